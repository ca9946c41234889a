"""run_with_budget: a forked child, killed when its time is spent; every failure is one line.
deadline: a nestable in-process alarm (each test that sets one runs in a forked child, so an
alarm can never leak into pytest's process)."""
import os
import signal
import time

import pytest

from derivations.engine.budget import DeadlineExpired, deadline, remaining, run_with_budget


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


# -- deadline: nestable alarms -------------------------------------------------------------------

def _in_child(fn):
    out = run_with_budget(fn, seconds=20)
    assert out.status == "ok", out.reason
    return out.value


TICK = 0.02  # the CPU-time interval timer counts in scheduler ticks: a read may exceed what was set by one


def _spin(seconds):
    """Compute for ``seconds`` of CPU time (the clock deadlines count)."""
    t0 = time.process_time()
    while time.process_time() - t0 < seconds:
        sum(range(1000))


def _expires():
    t0 = time.process_time()
    try:
        with deadline(0.1) as d:
            _spin(5)
    except DeadlineExpired as exc:
        return exc.deadline is d, d.expired(exc), time.process_time() - t0, remaining()
    return None


def test_deadline_interrupts_a_busy_block():
    mine, expired, elapsed, left = _in_child(_expires)
    assert mine and expired and 0.09 < elapsed < 1.0
    assert left is None  # no alarm left behind


def _finishes():
    old = signal.getsignal(signal.SIGPROF)
    with deadline(5) as d:
        inside = remaining()
    return 0 < inside <= 5 + TICK, d.remaining() > 4, remaining(), signal.getsignal(signal.SIGPROF) is old


def test_deadline_that_is_not_reached_leaves_nothing_armed():
    assert _in_child(_finishes) == (True, True, None, True)


def _inner_expires_outer_continues():
    t0 = time.process_time()
    with deadline(2.0) as outer:
        try:
            with deadline(0.1) as inner:
                _spin(5)
        except DeadlineExpired as exc:
            caught = exc.deadline is inner
        left = remaining()
        try:
            _spin(5)
        except DeadlineExpired as exc:
            return caught, left, exc.deadline is outer, time.process_time() - t0
    return None


def test_inner_deadline_expiring_restores_the_outer_timer():
    caught, left, outer_fired, elapsed = _in_child(_inner_expires_outer_continues)
    assert caught
    assert 1.5 < left < 1.95   # the outer's remaining time, re-armed
    assert outer_fired and 1.9 < elapsed < 3.0


def _outer_expires_inside_inner():
    t0 = time.process_time()
    try:
        with deadline(0.2) as outer:
            with deadline(10) as inner:
                assert remaining() <= 0.2 + TICK  # cut to the outer's time
                try:
                    _spin(5)
                except DeadlineExpired as exc:
                    if exc.deadline is inner:
                        return "inner caught the outer's expiry"
                    raise
    except DeadlineExpired as exc:
        return exc.deadline is outer, time.process_time() - t0, remaining()
    return None


def test_outer_expiring_during_an_inner_deadline_raises_the_outers_exception():
    outer_fired, elapsed, left = _in_child(_outer_expires_inside_inner)
    assert outer_fired and 0.15 < elapsed < 1.0 and left is None


def _swallowed():
    try:
        with deadline(0.1):
            try:
                _spin(5)
            except Exception:  # library code that catches Exception must not swallow the deadline
                return "swallowed"
    except DeadlineExpired:
        return "raised"


def test_deadline_is_not_swallowed_by_except_exception():
    assert _in_child(_swallowed) == "raised"


def _foreign_handler_restored():
    hits = []
    signal.signal(signal.SIGPROF, lambda *a: hits.append(1))
    signal.setitimer(signal.ITIMER_PROF, 0.3)
    with deadline(0.05):
        pass
    _spin(0.6)
    return hits


def _load_does_not_shorten():
    """A deadline counts CPU time: a block that sleeps (as a process does while others hold the
    cores) for longer than the deadline, then computes within it, is not interrupted."""
    with deadline(0.3):
        time.sleep(0.5)
        _spin(0.1)
    return "finished"


def test_a_deadline_counts_cpu_time_not_the_wall_clock():
    assert _in_child(_load_does_not_shorten) == "finished"


def test_an_outer_handler_and_timer_are_restored():
    assert _in_child(_foreign_handler_restored) == [1]
