"""Run many claims in a few forked workers, each claim still under its own budget.

Forking a child per claim isolates claims perfectly but throws away, after every claim, the
caches and first-use set-up (SymPy's, mpmath's and the derivation's own) that the next claim of
the same derivation needs again: measured at 1.4x to 2x the CPU of running them in one process.
So a derivation's claims run as a *chunk* in one forked worker:

* inside the worker every claim gets the engine's per-phase CPU-time budget (the worker is
  the main thread of its own process) and any exception becomes an ``unknown`` result;
* the parent gives each claim a hard deadline of wall clock (its three phases at half a core,
  plus a grace period: :func:`~derivations.engine.verify.hard_limit`); a worker
  that misses it (stuck in C code, where signals are not delivered) or dies is killed, the
  claim is ``unknown`` with the reason, and a fresh worker continues with the rest;
* at most ``jobs`` workers run at once; the parent is a single-threaded loop over the
  workers' pipes (no threads, so every fork happens from the main thread).

Results are identical to running the claims one by one: every claim has its own seed.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.connection import wait

from derivations.engine.budget import DEFAULT_MEMORY_MB


def _worker(conn, items, evaluate, memory_mb):
    try:
        if memory_mb:
            import resource
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        for key, claim in items:
            conn.send((key, evaluate(claim)))
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        conn.close()
        os._exit(0)


class _Running:
    def __init__(self, items, evaluate, memory_mb, hard_seconds):
        self.items, self.evaluate, self.memory_mb = items, evaluate, memory_mb
        self.hard = hard_seconds
        self.pos = 0
        self.start()

    def start(self):
        ctx = multiprocessing.get_context("fork")
        self.conn, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_worker, args=(send, self.items[self.pos:], self.evaluate, self.memory_mb),
                                daemon=True)
        self.proc.start()
        send.close()
        self.deadline = time.monotonic() + self.hard
        self.started = time.perf_counter()

    def stop(self):
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()

    @property
    def done(self):
        return self.pos >= len(self.items)


def run_chunks(chunks, evaluate, failed, on_item, jobs: int = 1, hard_seconds: float = 35.0,
               memory_mb: int | None = DEFAULT_MEMORY_MB) -> None:
    """Evaluate every ``(key, claim)`` of every chunk; ``on_item(key, result)`` once per item.

    ``evaluate(claim)`` runs in the worker and must return a picklable result;
    ``failed(claim, reason, seconds)`` makes the result of a claim whose worker was killed or died.
    """
    queue = [list(c) for c in chunks if c]
    running: list[_Running] = []
    try:
        while queue or running:
            while queue and len(running) < max(1, jobs):
                running.append(_Running(queue.pop(0), evaluate, memory_mb, hard_seconds))
            timeout = max(0.0, min(r.deadline for r in running) - time.monotonic())
            ready = wait([r.conn for r in running], timeout=timeout)
            for r in list(running):
                key, claim = r.items[r.pos]
                if r.conn in ready:
                    try:
                        got_key, result = r.conn.recv()
                    except (EOFError, OSError):
                        r.stop()
                        code = r.proc.exitcode
                        reason = f"worker died (exit {code})" if code is None or code >= 0 else \
                            f"worker killed by signal {-code}"
                        on_item(key, failed(claim, reason, time.perf_counter() - r.started))
                        r.pos += 1
                        _restart_or_drop(r, running)
                        continue
                    on_item(got_key, result)
                    r.pos += 1
                    r.deadline = time.monotonic() + r.hard
                    r.started = time.perf_counter()
                    if r.done:
                        r.stop()
                        running.remove(r)
                elif time.monotonic() >= r.deadline:
                    r.stop()
                    on_item(key, failed(claim, f"did not finish within the hard limit of {r.hard:g} s",
                                        time.perf_counter() - r.started))
                    r.pos += 1
                    _restart_or_drop(r, running)
    finally:
        for r in running:
            r.stop()


def _restart_or_drop(r: _Running, running: list) -> None:
    if r.done:
        running.remove(r)
    else:
        r.start()
