"""Parse throughput of the chain reader on the shipped examples, and the parse failures.

Reads every file of ``examples/`` with :func:`derivations.engine.chain.read_chain` (after one
warm-up read, so SymPy's caches and imports are not timed), ``ROUNDS`` times each, and prints
a Markdown table: steps, blocks, blocks not parsed, document problems, and steps per second
(median over the rounds of wall and of process CPU time; CPU stays meaningful on a machine
busy with other work).  Parsing only: no step is verified here.

    python benchmarks/bench_chain_parse.py
"""
from __future__ import annotations

import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
ROUNDS = 5

from derivations.engine.chain import read_chain  # noqa: E402


def measure(text: str) -> tuple[float, float]:
    """(wall, cpu) seconds of one read."""
    t0, c0 = time.perf_counter(), time.process_time()
    read_chain(text)
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    folder = os.path.join(ROOT, "examples")
    rows, total_steps, total_wall, total_cpu, failures = [], 0, 0.0, 0.0, 0
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as fh:
            text = fh.read()
        doc = read_chain(text)  # warm-up, and the counts
        steps = len(doc.steps)
        bad = [b for b in doc.blocks if b.error]
        failures += len(bad) + len(doc.problems)
        runs = [measure(text) for _ in range(ROUNDS)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        total_steps, total_wall, total_cpu = total_steps + steps, total_wall + wall, total_cpu + cpu
        rows.append((name, steps, len(doc.blocks), len(bad), len(doc.problems), steps / wall, steps / cpu))
        for b in bad:
            print(f"{name}: block {b.index} not parsed: {b.error}", file=sys.stderr)
        for p in doc.problems:
            print(f"{name}: {p}", file=sys.stderr)
    print("| file | steps | blocks | not parsed | problems | steps/s (wall) | steps/s (cpu) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, steps, blocks, bad, problems, per_wall, per_cpu in rows:
        print(f"| {name} | {steps} | {blocks} | {bad} | {problems} | {per_wall:.0f} | {per_cpu:.0f} |")
    print(f"| all | {total_steps} | {sum(r[2] for r in rows)} | {sum(r[3] for r in rows)} | "
          f"{sum(r[4] for r in rows)} | {total_steps / total_wall:.0f} | {total_steps / total_cpu:.0f} |")
    print(f"\nparse failures (blocks not parsed + problems): {failures}; median of {ROUNDS} rounds")


if __name__ == "__main__":
    main()
