"""run_with_budget: a forked child, killed when its time is spent; every failure is one line."""
import os
import signal
import time

import pytest

from derivations.engine.budget import run_with_budget


def _vm_size_mb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) // 1024
    pytest.skip("no /proc/self/status")


def _allocate(mb):
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def _fail():
    raise ValueError("no such thing")


def _recurse(n):
    return _recurse(n + 1)


def _suicide():
    os.kill(os.getpid(), signal.SIGKILL)


def _exit_quietly():
    os._exit(3)


def _unpicklable():
    return lambda: 0


def test_ok_returns_the_value():
    out = run_with_budget(pow, 3, 40, seconds=10)
    assert (out.status, out.value) == ("ok", 3 ** 40)


def test_timeout_kills_the_child():
    t0 = time.perf_counter()
    out = run_with_budget(time.sleep, 30, seconds=0.3)
    assert out.status == "timeout" and "0.3 s" in out.reason
    assert time.perf_counter() - t0 < 10  # far below the 30 s the child wanted


def test_memory_bound():
    limit = _vm_size_mb() + 200  # the child starts as a copy of this process
    out = run_with_budget(_allocate, 2000, seconds=20, memory_mb=limit)
    assert out.status == "memory" and f"{limit} MiB" in out.reason
    # the same allocation within the bound succeeds
    assert run_with_budget(_allocate, 50, seconds=20, memory_mb=limit).value == 50 * 1024 * 1024


def test_error_is_one_line_with_its_location():
    out = run_with_budget(_fail, seconds=10)
    assert out.status == "error"
    assert out.reason.startswith("ValueError: no such thing") and "(_fail:" in out.reason
    assert "\n" not in out.reason


def test_recursion_error():
    out = run_with_budget(_recurse, 0, seconds=10)
    assert (out.status, out.reason) == ("error", "expression too deeply nested")


def test_child_killed_by_a_signal():
    out = run_with_budget(_suicide, seconds=10)
    assert out.status == "error" and out.reason == "worker killed by signal 9"


def test_child_exiting_without_result():
    out = run_with_budget(_exit_quietly, seconds=10)
    assert out.status == "error" and "without a result" in out.reason


def test_unpicklable_result():
    out = run_with_budget(_unpicklable, seconds=10)
    assert out.status == "error" and out.reason.startswith("result could not be returned")


def test_child_state_does_not_leak_into_the_parent():
    box = []
    assert run_with_budget(box.append, 1, seconds=10).status == "ok"
    assert box == []
