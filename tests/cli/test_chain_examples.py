"""Every chain file in ``examples/`` through the engine: each step's verdict, and the planted wrong
step refuted and named first.  The verdicts are the engine's at 15 digits (the same as at 50 on
these steps); timeouts are generous so that a loaded machine does not turn a step unknown."""
from pathlib import Path

import pytest

import stepcheck
from numeric import certify

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BALLS = "certified" if certify.AVAILABLE else "checked"  # closed approximations: Arb balls with python-flint

EXPECTED = {
    "wrong-step.md": {
        (1, 1): "proved", (1, 2): "proved", (2, 1): "proved", (2, 2): "refuted", (3, 1): "checked"},
    "sgd-average-loss.md": {
        (1, 1): "proved", (2, 1): "proved", (3, 1): "proved", (3, 2): "proved", (4, 1): "proved", (5, 1): "proved",
        (5, 2): "proved", (6, 1): "proved", (7, 1): "checked", (7, 2): "proved", (8, 1): "checked", (8, 2): "proved",
        (8, 3): "proved", (9, 1): "proved", (10, 1): "proved"},
    "integral-test.tex": {
        (1, 1): "checked", (1, 2): "proved", (1, 3): "proved", (1, 4): "proved", (2, 1): "proved", (2, 2): "checked",
        (2, 3): "checked", (2, 4): "proved", (3, 1): "proved", (4, 1): "proved", (5, 1): "proved", (6, 1): "proved",
        (6, 2): BALLS},
    "attention-scale.md": {
        (1, 1): "proved", (2, 1): "proved", (3, 1): "proved", (4, 1): "proved", (5, 1): "proved", (6, 1): "proved",
        (7, 1): BALLS, (8, 1): BALLS, (9, 1): BALLS, (10, 1): BALLS},
}


def test_every_example_is_listed():
    assert sorted(p.name for p in EXAMPLES.iterdir()) == sorted(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_step_verdicts(name):
    res = stepcheck.chain(EXAMPLES / name, digits=15, timeout=60)
    assert {(s.block, s.step): s.verdict.value for s in res.steps} == EXPECTED[name]
    assert res.unparsed == [] and res.problems == []
    if name == "wrong-step.md":
        assert not res.ok and (res.first_wrong.block, res.first_wrong.step, res.first_wrong.line) == (2, 2, 26)
        assert res.first_wrong.counterexample["at"]  # a point where the two sides differ
    else:
        assert res.ok and res.first_wrong is None
