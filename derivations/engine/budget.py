"""Run a computation under a wall-clock budget and a memory bound.

SymPy has no timeout and ``simplify``/``integrate`` can run for minutes; signals only work in
the main thread.  So each budgeted computation runs in a forked child process: the parent
waits at most ``seconds`` and kills the child when the budget is spent.  This works the same
from the CLI, from pytest (with or without pytest-timeout) and from a notebook kernel.

The child returns its result through a pipe (results must be picklable).

Inside such a child, :func:`deadline` slices the time further (a phase, one symbolic
strategy): a nestable alarm on ``SIGPROF``/``ITIMER_PROF`` that raises
:class:`DeadlineExpired` in the main thread.  Slices count the process's own CPU time, not the
wall clock, so that a proof which fits its slice on a quiet machine fits it on a loaded one
too (a verdict must not depend on what else the machine is doing); a computation that waits
without computing is stopped by a wall-clock alarm around the phase and by the parent's
hard deadline.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass

DEFAULT_MEMORY_MB = 4096


@dataclass
class Budgeted:
    """``status`` is ``ok`` (``value`` holds the result), ``timeout``, ``memory`` or
    ``error`` (``reason`` holds a one-line message)."""

    status: str
    value: object = None
    reason: str = ""


def _child(conn, fn, args, memory_mb):
    try:
        if memory_mb:
            import resource
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        result = Budgeted("ok", fn(*args))
    except MemoryError:
        result = Budgeted("memory", reason=f"exceeded the memory bound of {memory_mb} MiB")
    except RecursionError:
        result = Budgeted("error", reason="expression too deeply nested")
    except BaseException as exc:  # report, never propagate a traceback to the user
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" ({tb[-1].name}:{tb[-1].lineno})" if tb else ""
        result = Budgeted("error", reason=f"{type(exc).__name__}: {exc}"[:300] + where)
    try:
        conn.send(result)
    except Exception as exc:  # unpicklable result
        conn.send(Budgeted("error", reason=f"result could not be returned: {exc}"))
    finally:
        conn.close()
        os._exit(0)


def run_with_budget(fn, *args, seconds: float = 10.0, memory_mb: int | None = DEFAULT_MEMORY_MB) -> Budgeted:
    """Call ``fn(*args)`` in a forked child; give up after ``seconds``."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, memory_mb), daemon=True)
    proc.start()
    send.close()
    died = False
    try:
        if recv.poll(seconds):
            try:
                result = recv.recv()
            except EOFError:
                died = True
                result = Budgeted("error", reason="worker died without a result")
        else:
            result = Budgeted("timeout", reason=f"did not finish within {seconds:g} s")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
    # Only a child that sent nothing died of the signal; one that did may be killed above while exiting.
    if died and proc.exitcode and proc.exitcode < 0:
        result.reason = f"worker killed by signal {-proc.exitcode}"
    return result


class DeadlineExpired(BaseException):
    """Raised by :func:`deadline` when its time is spent; ``deadline`` is the context's own
    token, so a handler catches only the deadline it set.  A ``BaseException`` (like
    ``KeyboardInterrupt``): library code that catches ``Exception`` must not swallow it, or
    the one-shot alarm would be lost and the computation would run on."""

    def __init__(self, token, seconds: float):
        super().__init__(f"deadline of {seconds:g} s expired")
        self.deadline = token
        self.seconds = seconds


CLOCK = time.process_time  # the clock of every deadline: this process's CPU time (user + system)
TIMER, SIGNAL = signal.ITIMER_PROF, signal.SIGPROF  # the interval timer that counts it, and its signal


class Deadline:
    """The token of one :func:`deadline` context: ``expired(exc)`` says whether ``exc`` is
    this context's expiry; ``remaining()`` is its CPU time left in seconds."""

    def __init__(self, seconds: float, at: float):
        self.seconds = seconds
        self.at = at

    def expired(self, exc: BaseException) -> bool:
        return isinstance(exc, DeadlineExpired) and exc.deadline is self

    def remaining(self) -> float:
        return max(0.0, self.at - CLOCK())


def remaining() -> float | None:
    """CPU seconds left on the running :func:`deadline` (any ``ITIMER_PROF`` alarm), or None."""
    left, _ = signal.getitimer(TIMER)
    return left if left > 0 else None


@contextmanager
def deadline(seconds: float):
    """Raise :class:`DeadlineExpired` in this (main-thread) process after ``seconds`` of its CPU
    time (:data:`CLOCK`), unless the block ends first.  Nestable: an inner deadline never outlives the outer
    one (it is cut to the outer's remaining time, and the outer expiring during the inner
    block raises the *outer's* exception); on exit the outer's handler and its remaining
    time are restored (re-armed at once if it expired meanwhile)."""
    now = CLOCK()
    outer_left, _ = signal.getitimer(TIMER)
    outer_handler = signal.getsignal(SIGNAL)
    outer_at = now + outer_left if outer_left > 0 else None
    token = Deadline(seconds, now + seconds)
    outer_first = outer_at is not None and outer_at <= token.at

    def fire(signum, frame):
        if outer_at is not None and callable(outer_handler) and (outer_first or CLOCK() >= outer_at):
            outer_handler(signum, frame)
        raise DeadlineExpired(token, seconds)

    signal.signal(SIGNAL, fire)
    signal.setitimer(TIMER, max(1e-6, min(token.at, outer_at or token.at) - now))
    try:
        yield token
    finally:
        try:
            signal.setitimer(TIMER, 0)
        finally:
            signal.signal(SIGNAL, outer_handler)
            if outer_at is not None:
                signal.setitimer(TIMER, max(1e-6, outer_at - CLOCK()))
