r"""The Python API (``import stepcheck``): verify a derivation given as an object, a path, a module
or a slug; check an identity from text or SymPy expressions with options as text or mappings;
chain a document, with each relation judged by the engine (true and false steps of each kind:
=, \le, <, \approx with and without a tolerance, \ne, sequences); assert helpers."""
import os
from pathlib import Path

import pytest
import sympy as sp

import stepcheck
from derivations.engine.errors import BadInput, DomainError, ExpressionError, UnknownDerivation

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "sample_derivation.py"
FAST = {"digits": 20}


def test_public_names_and_version():
    for name in ("verify", "check", "chain", "assert_verified", "assert_chain", "Derivation", "claim", "control",
                 "Identity", "Inequality", "Approximation", "real", "positive", "integers", "ClaimResult",
                 "DerivationResult", "ChainResult", "StepResult", "Verdict"):
        assert getattr(stepcheck, name) is not None and name in stepcheck.__all__
    assert stepcheck.__version__.count(".") == 2
    with pytest.raises(AttributeError):
        stepcheck.frobnicate  # noqa: B018


# -- check -------------------------------------------------------------------------------------
def test_check_text_sides():
    r = stepcheck.check("sin(2*x)", "2*sin(x)*cos(x)", **FAST)
    assert r.verdict == "proved" and r.ok
    r = stepcheck.check("(x+1)**2", "x**2+2*x+2", **FAST)
    assert r.verdict == "refuted" and "difference = -1" in r.counterexample["text"]


@pytest.mark.parametrize("options", [{"assume": {"x": "positive", "y": "positive"}},
                                     {"assume": ["x=positive", "y=positive"]},
                                     {"assume": {"x": ["positive"], "y": ("real", "positive")}}])
def test_check_assumptions_as_mappings_or_text(options):
    assert stepcheck.check("log(x*y)", "log(x) + log(y)", **options, **FAST).verdict == "proved"


def test_check_without_assumptions_is_refuted_for_complex_symbols():
    r = stepcheck.check("log(x*y)", "log(x) + log(y)", **FAST)
    assert r.verdict == "refuted" and r.counterexample["difference"].startswith("6.2831")


@pytest.mark.parametrize("domain", [{"x": (0.5, 2)}, ["x=0.5..2"]])
def test_check_domain_as_mapping_or_text(domain):
    r = stepcheck.check("sqrt(x**2)", "x", domain=domain, **FAST)
    assert r.verdict == "proved"
    r = stepcheck.check("sqrt(x**2)", "x", domain={"x": (-2, 2)}, **FAST)
    assert r.verdict == "refuted" and float(r.counterexample["at"]["x"]) < 0


def test_check_sympy_sides_get_the_options_assumptions():
    x = sp.Symbol("x")  # complex: sqrt(x**2) = x is false ...
    assert stepcheck.check(sp.sqrt(x ** 2), x, **FAST).verdict == "refuted"
    # ... and true once the option makes x positive (the expression's x is renamed)
    assert stepcheck.check(sp.sqrt(x ** 2), x, assume={"x": "positive"}, **FAST).verdict == "proved"
    # a text side names the expression side's symbols
    y = sp.Symbol("y", positive=True)
    assert stepcheck.check(sp.sqrt(y ** 2), "y", **FAST).verdict == "proved"
    assert stepcheck.check(y ** 2, 0, **FAST).verdict == "refuted"


@pytest.mark.parametrize("call, error, fragment", [
    (lambda: stepcheck.check("x", "x", assume={"x": "happy"}), DomainError, "unknown assumption"),
    (lambda: stepcheck.check("x", "x", domain={"x": (1, 0)}), DomainError, "empty interval"),
    (lambda: stepcheck.check("x", "x", domain={"x": "wide"}), DomainError, "pair of numbers"),
    (lambda: stepcheck.check("x", "x", assume="x=positive"), DomainError, "not one text"),
    (lambda: stepcheck.check("__import__('os')", "x"), ExpressionError, "unknown function '__import__'"),
    (lambda: stepcheck.check(object(), "x"), ExpressionError, "not object"),
])
def test_check_bad_input_raises_bad_input(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


# -- verify ------------------------------------------------------------------------------------
def sample_expectations(res):
    assert res.slug == "sample" and res.verdict == "verified"
    assert [(c.id, c.verdict.value) for c in res.claims] == [
        ("double-angle", "proved"), ("am-gm", "proved"), ("arcsin-arccos", "proved")]
    assert [c.verdict.value for c in res.negative_controls] == ["refuted"]
    assert [e.ok for e in res.errata] == [True]


def test_a_derivation_given_every_way(monkeypatch):
    from stepcheck.api import derivation
    monkeypatch.syspath_prepend(str(HERE))
    import sample_derivation
    d = sample_derivation.DERIVATION
    assert derivation(d) is d and derivation("sample_derivation") is d and derivation(sample_derivation) is d
    for path in (SAMPLE, str(SAMPLE)):  # run as a module of its own: an equal derivation, not the same object
        other = derivation(path)
        assert (other.slug, [c.id for c in other.all_claims()]) == (d.slug, [c.id for c in d.all_claims()])
    monkeypatch.setattr("derivations.CATALOG", {"sample": "sample_derivation"})
    assert derivation("sample") is d
    sample_expectations(stepcheck.verify(SAMPLE, **FAST))


def test_verify_a_failing_derivation_and_unknown_names():
    res = stepcheck.verify(HERE / "sample_broken.py", **FAST)
    assert res.verdict == "failed" and res.claims[0].verdict == "refuted"
    with pytest.raises(UnknownDerivation, match="unknown derivation 'no-such-post'"):
        stepcheck.verify("no-such-post")
    with pytest.raises(BadInput, match="no module named 'no_such_pkg.mod'"):
        stepcheck.verify("no_such_pkg.mod")
    with pytest.raises(BadInput, match="cannot verify a int"):
        stepcheck.verify(3)


def test_assert_verified():
    x = sp.Symbol("x", real=True)
    double = stepcheck.claim("double", "x + x = 2x")(lambda: stepcheck.Identity(x + x, 2 * x))
    halved = stepcheck.control("halved", "x + x = x")(lambda: stepcheck.Identity(x + x, x))
    d = stepcheck.Derivation(slug="tiny", title="Tiny", source="", date="", summary="", claims=(double,),
                             controls=(halved,))
    assert stepcheck.assert_verified(d, **FAST).verdict == "verified"
    with pytest.raises(AssertionError, match=r"control double \(must be refuted\): proved \(by "):
        stepcheck.assert_verified(stepcheck.Derivation(slug="t2", title="", source="", date="", summary="",
                                                       claims=(), controls=(double,)), **FAST)
    with pytest.raises(AssertionError) as err:
        stepcheck.assert_verified(HERE / "sample_broken.py", **FAST)
    text = str(err.value)
    assert text.startswith("broken: failed") and "claim double-angle/factor-2: refuted" in text
    assert "lhs" in text and "rhs" in text  # the counterexample


# -- chain -------------------------------------------------------------------------------------
def steps(text, **options):
    res = stepcheck.chain(text, **{**FAST, **options})
    return res, [(s.relation, s.verdict.value) for s in res.steps]


def test_chain_relations_true_and_false():
    res, got = steps("Assume: $x > 0$\n"
                     "$$ (x+1)^2 = x^2 + 2x + 1 \\le 2x^2 + 2 < 2x^2 + 3 $$\n"
                     "$$ (x+1)^2 = x^2 + 1 $$\n"
                     "$$ x^2 + 1 \\ge 2x > x $$\n"
                     "$$ x \\ge x^2 $$")
    assert got == [("=", "proved"), ("<=", "proved"), ("<", "proved"),
                   ("=", "refuted"), (">=", "proved"), (">", "proved"), (">=", "refuted")]
    assert res.first_wrong.where == "block 2, step 1 (line 3)"
    assert not res.ok and res.summary() == "7 steps: 5 proved, 0 checked, 2 refuted, 0 unknown, 0 not parsed"


def test_unstated_symbols_are_complex_and_options_hold_from_the_start():
    _, got = steps("$$ \\sqrt{x^2} = x $$")
    assert got == [("=", "refuted")]
    res, got = steps("$$ \\sqrt{x^2} = x $$", assume={"x": "positive"})
    assert got == [("=", "proved")] and res.steps[0].assumptions == {"x": "positive"}
    res, got = steps("$$ \\sqrt{x^2} = x $$", domain=["x=1..2"])
    assert got == [("=", "proved")] and res.steps[0].assumptions == {"x": "positive in [1, 2]"}


def test_assumptions_reported_per_step():
    res, _ = steps("Assume: $n \\in \\mathbb{Z}$, $n \\ge 1$, $\\eta_t > 0$\n"
                   "$$ n(n+1) - n^2 = n $$\n"
                   "$$ \\sum_{t=1}^{2} \\eta_t g = \\eta_1 g + \\eta_2 g $$")
    assert res.steps[0].assumptions == {"n": "integer, positive in [1, oo) (sampled in [1, 20])"}
    assert res.steps[1].assumptions == {"eta_1": "positive (as eta_t)", "eta_2": "positive (as eta_t)",
                                        "g": "complex (nothing assumed)"}
    assert [s.verdict.value for s in res.steps] == ["proved", "proved"]


def test_approximations_need_a_stated_tolerance():
    _, got = steps("$$ \\pi \\approx 3.14 $$\n$$ \\pi \\approx 3.15 $$")  # half a unit in the last digit: 0.005
    assert got == [("~", "certified"), ("~", "refuted")]
    res, got = steps("$$ \\pi \\approx \\frac{22}{7} $$")
    assert got == [("~", "unknown")] and res.steps[0].result.detail.startswith("no stated tolerance")
    _, got = steps("Tolerance: 0.1%\n$$ \\pi \\approx \\frac{22}{7} $$\n"
                   "Tolerance: 0.01%\n$$ \\pi \\approx \\frac{22}{7} $$")
    assert got == [("~", "certified"), ("~", "refuted")]  # |22/7 - pi| / (22/7) = 4.0e-4


def test_not_equal_is_judged_from_the_identity():
    res, got = steps("$$ x \\ne x + 1 $$\n$$ \\pi \\ne \\frac{22}{7} $$\n$$ \\sin^2 x + \\cos^2 x \\ne 1 $$\n"
                     "$$ \\sqrt{2} \\ne 1.414 $$\n$$ e^{x} \\ne 1 + x $$", digits=30)
    # sqrt 2 - 1.414 is nonzero by its minimal polynomial; pi - 22/7, exact too, by its Arb ball;
    # e^x - (1 + x) by numbers at a point
    assert got == [("!=", "proved"), ("!=", "certified"), ("!=", "refuted"), ("!=", "proved"), ("!=", "checked")]
    assert res.steps[0].result.detail == "the sides differ: difference = -1 (exact, by identical)"
    assert res.steps[1].result.detail == "the sides differ: difference = -22/7 + pi (exact, by identical)"
    assert res.steps[2].counterexample["text"].startswith("the sides are equal (proved by")
    assert res.first_wrong.step == 1 and res.first_wrong.block == 3


@pytest.mark.parametrize("symbolic, cx, verdict", [
    ("refuted", {"text": "difference = 1 (exact, by expand)"}, "proved"),
    ("refuted", {"text": "difference = -22/7 + pi (exact, by identical)", "nonzero": "ball"}, "certified"),
    ("failed", {"text": "disjoint Arb enclosures: lhs [1.0 +/- 1e-30] vs rhs [2.0 +/- 1e-30]"}, "certified"),
    ("failed", {"at": {"x": "0.5"}, "lhs": "1.64872", "rhs": "1.5", "difference": "0.148721"}, "checked"),
])
def test_a_refuted_identity_shows_the_sides_differ_as_strongly_as_its_witness(symbolic, cx, verdict):
    from derivations.engine.verdicts import ClaimResult
    from stepcheck.api import _not_equal
    r = ClaimResult("1.1", "a \\ne b", "refuted", symbolic, "disagree", None, 0.1, method="", counterexample=cx)
    assert _not_equal(r).verdict.value == verdict and _not_equal(r).counterexample is None


def test_sequences_are_written_out_or_unknown():
    _, got = steps("Assume: $a_t > 0$\n$$ \\sum_{t=1}^{3} (a_t - a_{t+1}) = a_1 - a_4 $$\n"
                   "$$ \\sum_{t=1}^{3} a_t = a_1 + a_2 $$")
    assert got == [("=", "proved"), ("=", "refuted")]
    res, got = steps("$$ \\sum_{t=1}^{T} \\eta_t = \\eta_1 $$")
    assert got == [("=", "unknown")]
    assert res.steps[0].result.detail.startswith("the sequence eta is indexed by t, which is not a number")


def test_unparsed_blocks_and_problems_make_the_chain_not_ok():
    res, got = steps("$$ 1 + 1 = 2 $$\n$$ \\input{/etc/passwd} = 1 $$\nAssume: $x \\in \\mathbb{Q}$\n")
    assert got == [("=", "proved")]
    assert res.unparsed[0]["block"] == 2 and "\\input" in res.unparsed[0]["error"]
    assert res.problems and "not applied" in res.problems[0]
    assert not res.ok and res.first_wrong is None
    assert res.summary() == "1 steps: 1 proved, 0 checked, 0 refuted, 0 unknown, 1 not parsed"


def test_a_document_without_display_math_is_not_ok():
    res, got = steps("Prose with inline math $x = 1$ only.")
    assert got == [] and not res.ok
    assert res.problems == [r"no display-math block ($$..$$, \[..\], align, equation, ...): nothing was checked"]


def test_chain_from_a_path_and_assert_chain(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("Assume: $x > 0$\n\n$$ \\frac{x^2 - 1}{x + 1} = x - 1 $$\n")
    assert stepcheck.assert_chain(good, **FAST).ok
    assert stepcheck.assert_verified(str(good), **FAST).ok  # a chain file by its suffix
    bad = tmp_path / "bad.tex"
    bad.write_text("\\[ \\frac{x^2 - 1}{x + 1} = x + 1 \\]\n")
    with pytest.raises(AssertionError, match=r"(?s)1\.1 .*refuted.*first wrong step: block 1, step 1 \(line 1\)"):
        stepcheck.assert_chain(bad, **FAST)


@pytest.mark.parametrize("given, fragment", [
    ("x" * 200_001, "document too long"),
    ("$$ x = 1 $$\x00", "NUL"),
    (b"$$ x = 1 $$", "not bytes"),
])
def test_chain_bad_documents(given, fragment):
    with pytest.raises(BadInput, match=fragment):
        stepcheck.chain(given)


def test_chain_bad_files(tmp_path):
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x89PNG\x00\x01")
    latin = tmp_path / "l.md"
    latin.write_bytes("$$ x = \u00e9 $$".encode("latin-1"))
    with pytest.raises(BadInput, match="not a text file"):
        stepcheck.chain(binary)
    with pytest.raises(BadInput, match="not UTF-8 text"):
        stepcheck.chain(latin)
    with pytest.raises(BadInput, match="cannot read it"):
        stepcheck.chain(tmp_path / "missing.md")
    assert not os.path.exists(tmp_path / "missing.md")
