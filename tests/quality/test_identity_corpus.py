"""The identity corpus (tests/quality/identity_corpus.py) through ``check``'s engine, exactly as a
user runs it (``adhoc_claim`` + ``verify_claim``): no falsified identity is accepted (proved,
certified or checked) and no true one is refuted, over the whole corpus.

The budgets are shorter than ``check``'s defaults (``DIGITS`` digits, ``TIMEOUT`` s per phase)
so that the corpus fits the suite; a case the short budget cannot decide ends unknown, which
these tests allow.  The decided share at the default settings is what
``benchmarks/bench_corpus.py`` reports.
"""
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pytest

from derivations.engine.adhoc import adhoc_claim
from derivations.engine.verify import verify_claim
from identity_corpus import CASES, CLASSES, FLAWS, PAIRS

DIGITS = 15
TIMEOUT = 0.5
ACCEPT = ("proved", "certified", "checked")


def _run(case):
    claim = adhoc_claim(case.lhs, case.rhs, case.domains, case.assume)
    r = verify_claim(claim, digits=DIGITS, seed=0, timeout=TIMEOUT)
    return r.verdict, r.detail, r.counterexample


@pytest.fixture(scope="module")
def verdicts():
    """Every case's (verdict, detail, counterexample), two at a time (the file runs on one
    xdist worker: --dist loadfile)."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        return dict(zip((c.name for c in CASES), pool.map(_run, CASES, chunksize=4)))


def test_corpus_pairs_every_true_identity_with_a_false_one():
    assert len(PAIRS) >= 150 and len({c.name for c in CASES}) == len(CASES)
    for true, false in PAIRS:
        assert true.true and not false.true and false.flaw in FLAWS and true.cls == false.cls in CLASSES
        assert (true.lhs, true.rhs, true.assume, true.domains) != (false.lhs, false.rhs, false.assume, false.domains)
    assert set(Counter(c.cls for c in CASES)) == set(CLASSES)


def test_no_false_identity_is_accepted(verdicts):
    accepted = [(c.name, verdicts[c.name][0], verdicts[c.name][1]) for c in CASES
                if not c.true and verdicts[c.name][0] in ACCEPT]
    assert accepted == []


def test_no_true_identity_is_refuted(verdicts):
    refuted = [(c.name, verdicts[c.name][2], verdicts[c.name][1]) for c in CASES
               if c.true and verdicts[c.name][0] == "refuted"]
    assert refuted == []


def test_even_the_short_budget_decides_most_of_the_corpus(verdicts):
    # a floor well below what this budget reaches, so that an engine that gave up on everything
    # (and so passed the two tests above) fails here
    true = Counter(verdicts[c.name][0] for c in CASES if c.true)
    false = Counter(verdicts[c.name][0] for c in CASES if not c.true)
    assert sum(true[v] for v in ACCEPT) >= 0.6 * len(PAIRS)
    assert false["refuted"] >= 0.7 * len(PAIRS)
