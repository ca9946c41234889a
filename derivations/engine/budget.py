"""Run a computation under a wall-clock budget and a memory bound.

SymPy has no timeout and ``simplify``/``integrate`` can run for minutes; signals only work in
the main thread.  So each budgeted computation runs in a forked child process: the parent
waits at most ``seconds`` and kills the child when the budget is spent.  This works the same
from the CLI, from pytest (with or without pytest-timeout) and from a notebook kernel.

The child returns its result through a pipe (results must be picklable).
"""
from __future__ import annotations

import multiprocessing
import os
import traceback
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
