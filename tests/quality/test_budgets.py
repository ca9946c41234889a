"""Budgets and robustness: a claim that allocates too much, sleeps, or ignores the alarm comes
out ``unknown`` with the reason, in bounded time, from pytest (with pytest-timeout armed), from
a thread (as in a notebook kernel) and from the CLI; the process exits cleanly."""
import signal
import threading
import time

import pytest
import sympy as sp
from click.testing import CliRunner

from derivations.engine import Identity, claim, quantity
from derivations.engine.verify import verify_claim
from numeric.sampling import real

x = sp.Symbol("x", real=True)


def _vm_size_mb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) // 1024
    pytest.skip("no /proc/self/status")


@claim("hog", "a huge list")
def hog():
    """Builds a list of 10^9 references (8 GB)."""
    big = [0] * 10 ** 9
    return Identity(sp.Integer(len(big)), sp.Integer(10) ** 9)


def _sleepy(t):
    time.sleep(60)
    return t


Sleepy = quantity("Sleepy", evaluator=_sleepy)


@claim("sleeper", "x = x", symbolic=False)
def sleeper():
    """A numeric evaluator that sleeps far beyond its budget."""
    return Identity(Sleepy(x), x, {x: real(0, 1)})


def _deaf_build():
    signal.signal(signal.SIGALRM, signal.SIG_IGN)  # the phase alarm cannot interrupt this claim
    time.sleep(60)


deaf = claim("deaf", "ignores SIGALRM", symbolic=False)(_deaf_build)


def test_memory_bound_gives_unknown_memory():
    r = verify_claim(hog, digits=15, timeout=10, memory_mb=_vm_size_mb() + 300)
    assert r.verdict == "unknown" and "memory" in r.detail
    assert "\n" not in r.detail


@pytest.mark.timeout(30)
def test_a_sleeping_check_times_out_under_pytest_timeout():
    t0 = time.perf_counter()
    r = verify_claim(sleeper, digits=15, timeout=0.5)
    assert r.verdict == "unknown" and "numeric phase timed out after 0.5 s" in r.detail
    assert time.perf_counter() - t0 < 20  # far below the 60 s the check wanted


def test_a_claim_deaf_to_the_alarm_is_killed_by_the_outer_budget():
    # verify_claim's own run, with the hard limit shortened from its hard_limit(timeout)
    from derivations.engine.budget import run_with_budget
    from derivations.engine.verify import _evaluate_guarded
    t0 = time.perf_counter()
    out = run_with_budget(_evaluate_guarded, deaf, 15, 0, 0.1, seconds=1.0)
    assert (out.status, out.reason) == ("timeout", "did not finish within 1 s")
    assert time.perf_counter() - t0 < 20


def test_from_a_thread_as_in_a_notebook():
    out = {}

    def worker():
        out["sleeper"] = verify_claim(sleeper, digits=15, timeout=0.5)
        out["true"] = verify_claim(claim("t", "sin 2x")(lambda: Identity(
            sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-1, 1)})), digits=15, timeout=10)

    t = threading.Thread(target=worker)
    t.start()
    t.join(60)
    assert not t.is_alive()
    assert out["sleeper"].verdict == "unknown" and "timed out" in out["sleeper"].detail
    assert out["true"].verdict == "proved"


def test_cli_check_out_of_time_is_unknown_with_exit_1():
    from cli import main
    res = CliRunner().invoke(main, ["check", "Integral(exp(-x**2)*sin(x**5)*log(1 + x**3), (x, 0, oo))",
                                    "1/3", "--timeout", "0.3", "--digits", "20"])
    assert res.exit_code == 1 and res.output.startswith("unknown")


def test_cli_memory_option_is_validated():
    from cli import main
    res = CliRunner().invoke(main, ["check", "x", "x", "--memory", "10"])
    assert res.exit_code == 2 and "memory must be between 64" in res.output
