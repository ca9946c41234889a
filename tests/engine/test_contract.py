"""The JSON contract (derivations/engine/contract.py): numbers as numbers, complex numbers as
{"re", "im"} decimal strings, and one counterexample shape whatever found the counterexample --
for dicts as each producer builds them, and end to end through the engine."""
import pytest

from derivations.engine import contract
from derivations.engine.contract import counterexample, counterexample_kind, value

SHAPE = {"kind", "at", "lhs", "rhs", "difference", "part", "entry", "dps", "text"}


@pytest.mark.parametrize("text, expected", [
    ("0.884840220568783", "0.884840220568783"),
    ("-1.2e-140", "-1.2e-140"),
    ("2.62537412640769e+17", "2.62537412640769e+17"),
    ("+inf", "inf"), ("-inf", "-inf"), ("nan", "nan"),
    ("(1.004 - 1.972j)", {"re": "1.004", "im": "-1.972"}),
    ("(-1.76748997483874 + 1.44917542766753j)", {"re": "-1.76748997483874", "im": "1.44917542766753"}),
    ("[1.0, 2.0; 3.0, (0.0 + 1.0j)]", [["1.0", "2.0"], ["3.0", {"re": "0.0", "im": "1.0"}]]),
    ("(1.0, 2.5, -3.0)", ["1.0", "2.5", "-3.0"]),
    ("<20x20 matrix>", None), ("<40 values>", None), ("x + 1", None),
    (3, "3"), (0.5, "0.5"), (1 + 2j, {"re": "1.0", "im": "2.0"}), (None, None), (True, None),
])
def test_values(text, expected):
    assert value(text) == expected


def test_value_of_number_objects():
    import mpmath
    import sympy as sp
    assert value(sp.Integer(-4)) == "-4"
    assert value(mpmath.mpf(1) / 3) == "0.333333333333333"
    assert value(mpmath.mpc(1, -2)) == {"re": "1.0", "im": "-2.0"}
    assert value(sp.Rational(1, 4)) == "0.25"


@pytest.mark.parametrize("d, expected", [(50.0, 50), (48.7, 48), (49.99999999999, 50), (0.3, 0), (-0.2, 0),
                                         (None, None), (float("nan"), None)])
def test_digits_are_whole_and_never_negative(d, expected):
    assert contract.digits(d) == expected


@pytest.mark.parametrize("gap, expected", [("0.1078", 0.1078), ("0.1078, 0.003", 0.1078), ("1.5e-5", 1.5e-5),
                                           (None, None), ("", None), (0.25, 0.25)])
def test_gap_is_a_number(gap, expected):
    assert contract.gap(gap) == expected


def _numeric():
    """As numeric.counterexamples.counterexample builds it (a complex point)."""
    return {"at": {"x": "(-1.5 + 2.0j)", "n": "3.0"}, "lhs": "(1.004 - 1.972j)", "rhs": "(1.004 + 4.311j)",
            "difference": "6.28319", "dps": 140}


@pytest.mark.parametrize("cx, symbolic, kind", [
    (_numeric(), "failed", "numeric"),
    ({"text": "difference = -1 (exact, by expand)"}, "refuted", "exact"),
    ({"text": "at n=3: difference = 2 (exact, by expand)", "at": {"n": 3}}, "refuted", "exact"),
    ({"text": "margin rhs - lhs = -1/2 (exact)"}, "refuted", "exact"),
    # an exact difference keeps the values of the sides the numbers found apart: still exact
    ({"text": "difference = -22/7 + pi (exact, by identical)", "difference": "-0.00126449", "nonzero": "ball",
      "lhs": "3.1415926535897932385", "rhs": "3.1428571428571428571"}, "refuted", "exact"),
    ({"kind": "exact", "at": {}, "lhs": None, "rhs": None, "difference": "-0.00126449", "nonzero": "ball",
      "text": "difference = -22/7 + pi (exact, by identical)"}, "refuted", "exact"),
    ({"text": "disjoint Arb enclosures: lhs [3.14159 +/- 1e-30] vs rhs [3.14285 +/- 1e-30]",
      "lhs": "3.14159265358979", "rhs": "3.14285714285714", "difference": "-0.00126449"}, "failed", "ball"),
    ({"text": "rigorously violated: lhs [2.0 +/- 1e-12] vs rhs [1.0 +/- 1e-12]"}, "skipped", "ball"),
    ({"text": "0.51 vs 0.50 at d=64: 7.2 SE apart (band 5 SE)"}, "skipped", "standard-error"),
    ({"text": "0.51 vs 0.50: violated beyond 5 SE"}, "skipped", "standard-error"),
    ({"text": "gap 0.2 > tolerance 0.1 at x=1.5"}, "skipped", "tolerance"),
    ({"text": "violated: lhs 2.0 vs rhs 1.0 (margin -1.0)"}, "skipped", "numeric"),
    ({"text": "the sides are equal (proved by expand)"}, "proved", "witness"),
    ({"text": "N3: iterates settle at the local minimum 0.93"}, "skipped", "witness"),
])
def test_every_kind_has_one_shape(cx, symbolic, kind):
    out = counterexample(cx, symbolic)
    assert set(out) == SHAPE and out["kind"] == kind == counterexample_kind(cx, symbolic)
    assert out["text"] and isinstance(out["at"], dict)
    assert counterexample(out, symbolic) == out  # normalising twice changes nothing


def test_numeric_counterexample_keeps_every_number():
    out = counterexample(_numeric(), "failed")
    assert out["at"] == {"x": {"re": "-1.5", "im": "2.0"}, "n": "3.0"}
    assert out["lhs"] == {"re": "1.004", "im": "-1.972"} and out["rhs"] == {"re": "1.004", "im": "4.311"}
    assert out["difference"] == "6.28319" and out["dps"] == 140
    assert out["text"] == "at x=(-1.5 + 2.0j), n=3.0: lhs (1.004 - 1.972j) vs rhs (1.004 + 4.311j) (difference 6.28319)"


def test_matrix_counterexample_names_the_worst_entry():
    cx = {"at": {}, "lhs": "<8x8 matrix>", "rhs": "<8x8 matrix>", "difference": "2.0", "dps": 70,
          "worst": {"entry": [2, 5], "lhs": "1.5", "rhs": "-0.5"}, "part": "N=8"}
    out = counterexample(cx, "failed")
    assert (out["entry"], out["lhs"], out["rhs"], out["part"]) == ([2, 5], "1.5", "-0.5", "N=8")
    assert out["text"] == "entry (2,5): lhs 1.5 vs rhs -0.5"


def test_exact_witness_at_a_point():
    import sympy as sp
    out = counterexample({"text": "at n=3: difference = 2 (exact, by expand)", "at": {"n": sp.Integer(3)}}, "refuted")
    assert out["at"] == {"n": "3"} and out["lhs"] is None and out["difference"] is None


def test_engine_results_in_the_contract(json_contract):
    """Counterexamples as the engine really produces them: exact, numeric at a complex point,
    and a claim that holds (no counterexample), each in the one shape and the schema."""
    import stepcheck
    exact = stepcheck.check("(x+1)**2", "x**2+2*x+2", digits=15).to_json()
    assert exact["counterexample"]["kind"] == "exact" and exact["digits"] is None
    assert exact["counterexample"]["text"] == "difference = -1 (exact, by expand)"
    numeric = stepcheck.check("log(x*y)", "log(x)+log(y)", digits=15).to_json()
    cx = numeric["counterexample"]
    assert cx["kind"] == "numeric" and set(cx["at"]) == {"x", "y"}
    lhs, rhs = (complex(float(v["re"]), float(v["im"])) for v in (cx["lhs"], cx["rhs"]))
    import math
    assert abs((rhs - lhs).imag - 2 * math.pi) < 1e-9  # off by 2 pi i
    ok = stepcheck.check("sin(2*x)", "2*sin(x)*cos(x)", digits=15).to_json()
    assert ok["counterexample"] is None and ok["digits"] == 15 and isinstance(ok["digits"], int)
    for j in (exact, numeric, ok):
        assert set(j["counterexample"] or SHAPE) == SHAPE
        json_contract(contract.envelope("check", contract.settings(15, 0, 10.0, memory_mb=4096), version="0.0.0",
                                        input={"lhs": "", "rhs": "", "assume": [], "domain": []},
                                        **{k: j[k] for k in ("verdict", "symbolic", "numeric", "digits", "method",
                                                             "detail", "counterexample", "gap", "seconds")}))
