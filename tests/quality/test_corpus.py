"""The soundness corpus (tests/quality/corpus.py) through ``check``'s engine: a true identity is
never refuted, a false one never accepted (proved, certified or checked), and each case gives a
verdict it allows."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from corpus import CASES
from derivations.engine.adhoc import adhoc_claim
from derivations.engine.verify import verify_claim

BY_NAME = {c.name: c for c in CASES}


def _run(case):
    claim = adhoc_claim(case.lhs, case.rhs, case.domains, case.assume)
    r = verify_claim(claim, digits=case.digits, seed=0, timeout=case.timeout)
    return r.verdict, r.detail, r.counterexample


@pytest.fixture(scope="module")
def results():
    """Every case's (verdict, detail, counterexample), two cases at a time."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        return dict(zip(BY_NAME, pool.map(_run, CASES)))


def test_corpus_is_balanced_and_honest_about_unknowns():
    assert len(CASES) >= 40 and len(BY_NAME) == len(CASES)
    assert sum(c.true for c in CASES) >= 20 and sum(not c.true for c in CASES) >= 20
    for c in CASES:
        assert c.expect and set(c.expect) <= {"proved", "certified", "checked", "refuted", "unknown"}
        assert not (set(c.expect) & ({"refuted"} if c.true else {"proved", "certified", "checked"})), c.name
        if "unknown" in c.expect:
            assert "out of reach" in c.note, c.name


@pytest.mark.parametrize("name", list(BY_NAME))
def test_case(results, name):
    case = BY_NAME[name]
    verdict, detail, cx = results[name]
    if case.true:
        assert verdict != "refuted", f"false refutation of a true identity: {cx} ({detail})"
    else:
        assert verdict not in ("proved", "certified", "checked"), f"false accept: {verdict} ({detail})"
    assert verdict in case.expect, f"{verdict}: {detail} {cx or ''}"


def _refuted(results, name):
    """The counterexample of a case that must be refuted (its verdict and detail when it is not:
    a phase that timed out on a loaded machine leaves none)."""
    verdict, detail, cx = results[name]
    assert verdict == "refuted" and cx, f"{name}: {verdict} ({detail})"
    return cx


def test_counterexamples_name_the_hidden_difference(results):
    cx = _refuted(results, "ramanujan-163-at-12-digits")
    assert cx["difference"].startswith("-7.49927e-13")  # e^(pi sqrt 163) - (640320^3 + 744)
    cx = _refuted(results, "tanh-pi-268-digits")
    assert cx["difference"].startswith("1.11111e-269")  # sum_{n >= 269} 10^-n
    cx = _refuted(results, "exp-taylor-20-near-0")
    x0 = float(cx["at"]["x"])
    assert float(cx["difference"]) == pytest.approx(-x0 ** 21 / 51090942171709440000, rel=0.05)
    cx = _refuted(results, "harmonic-finite")
    assert cx["text"] == "difference = oo (exact, by do_it)"
    cx = _refuted(results, "basel-plus-1e-60")
    assert cx["text"] == f"difference = -1/1{'0' * 60} (exact, by do_it)"


def test_edge_probes_find_the_small_bad_region(results):
    verdict, detail, cx = results["abs-on-almost-positive-domain"]
    assert "edge of the domain" in detail and cx["at"] == {"x": "-0.001"}
    verdict, detail, cx = results["power-of-power-real"]
    assert "edge of the domain" in detail and float(cx["at"]["x"]) < 0 and abs(float(cx["at"]["a"])) > 1


def test_unknowns_say_why(results):
    verdict, detail, _ = results["borwein-8"]
    assert verdict == "unknown" and ("did not converge" in detail or "timed out" in detail)


def test_cancellation_is_resolved_before_any_verdict(results):
    # the false variant is refuted with both sides resolved: lhs is e^-x, not the 0.0 it was
    verdict, detail, cx = results["cosh-minus-sinh-off-by-1e-30"]
    assert verdict == "refuted" and float(cx["lhs"]) != 0
    assert float(cx["lhs"]) == pytest.approx(float(cx["rhs"]), rel=1e-12)
    verdict, detail, cx = results["de-moivre-power"]
    assert verdict == "proved" and cx is None and "conflict" not in detail
