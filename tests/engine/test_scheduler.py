"""The chunked scheduler: order, isolation of failures, and equality with a serial run."""
import os
import signal
import time

import sympy as sp

from derivations.engine import Derivation, Identity, claim, control
from derivations.engine.scheduler import run_chunks
from derivations.engine.verify import _evaluate_guarded, _failed, verify_many
from numeric.sampling import real

x = sp.Symbol("x", real=True)


@claim("square", r"(x+1)^2=x^2+2x+1")
def square():
    """Binomial square."""
    return Identity((x + 1) ** 2, x ** 2 + 2 * x + 1, {x: real(-2, 2)})


@claim("stuck", "never returns")
def stuck():
    """Blocks SIGALRM and sleeps: only the parent's hard deadline can stop it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(60)


@claim("dies", "kills its worker")
def dies():
    """Exits the worker process abruptly."""
    os._exit(3)


@claim("raises", "raises")
def raises():
    """The claim's own code fails."""
    raise ValueError("broken builder")


@control("square/wrong", r"(x+1)^2=x^2+1")
def square_wrong():
    """Dropped cross term."""
    return Identity((x + 1) ** 2, x ** 2 + 1, {x: real(-2, 2)})


def _run(items, hard=1.5, jobs=1):
    got = []
    run_chunks(items, lambda c: _evaluate_guarded(c, 30, 0, 0.5), _failed,
               lambda k, r: got.append((k, r)), jobs=jobs, hard_seconds=hard)
    return got


def test_stuck_worker_is_killed_and_the_rest_still_runs():
    got = _run([[("a", stuck), ("b", square)]])
    assert [k for k, _ in got] == ["a", "b"]
    assert got[0][1].verdict == "unknown" and "hard limit" in got[0][1].detail
    assert got[1][1].verdict == "proved"


def test_dead_worker_is_reported_and_replaced():
    got = _run([[("a", dies), ("b", square_wrong)]])
    assert got[0][1].verdict == "unknown" and "worker died (exit 3)" in got[0][1].detail
    assert got[1][1].verdict == "refuted"


def test_exception_in_a_claim_is_unknown_with_the_reason():
    (key, res), = _run([[("a", raises)]])
    assert res.verdict == "unknown" and "ValueError: broken builder" in res.detail


def test_parallel_run_equals_serial_run_in_catalog_order():
    d1 = Derivation("one", "One", "u", "2024-01-01", "s", (square,), (square_wrong,))
    d2 = Derivation("two", "Two", "u", "2024-01-01", "s", (square,), ())
    seen = []

    def strip(results):
        return [[(c.id, c.verdict, c.digits, str(c.counterexample)) for c in r.claims + r.negative_controls]
                for r in results]

    serial = verify_many([d1, d2], digits=30, timeout=5, jobs=1)
    parallel = verify_many([d1, d2], digits=30, timeout=5, jobs=2,
                           on_result=lambda kind, r: seen.append((kind, r.id)),
                           on_derivation=lambda r: seen.append(("done", r.slug)))
    assert strip(serial) == strip(parallel)
    assert [r.verdict for r in parallel] == ["verified", "verified"]
    assert seen == [("claim", "square"), ("control", "square/wrong"), ("done", "one"),
                    ("claim", "square"), ("done", "two")]


def test_one_derivation_split_over_two_workers_keeps_its_order():
    d = Derivation("one", "One", "u", "2024-01-01", "s", (square, raises), (square_wrong,))
    res = verify_many([d], digits=30, timeout=5, jobs=2)[0]
    assert [c.id for c in res.claims] == ["square", "raises"]
    assert [c.verdict for c in res.claims] == ["proved", "unknown"]
    assert res.verdict == "incomplete"
