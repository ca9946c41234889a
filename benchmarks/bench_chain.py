"""Steps per second of ``stepcheck chain`` on the shipped examples, through the engine.

Each file of ``examples/`` is checked by :func:`stepcheck.chain` (reading, one batched engine
run of every step, verdicts) after one warm-up run of a tiny document, so that imports and the
engine's warm-up are not timed.  Prints a Markdown table: steps, blocks not parsed, document
problems, the verdicts, wall seconds, CPU seconds (this process and its forked workers: CPU
stays meaningful on a machine busy with other work) and steps per second of each.

    python benchmarks/bench_chain.py [--digits 50] [--jobs 1]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import stepcheck  # noqa: E402


def cpu() -> float:
    """CPU seconds of this process and its reaped children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--digits", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    stepcheck.chain("$$ 1 + 1 = 2 $$", digits=args.digits)  # warm-up
    folder = os.path.join(ROOT, "examples")
    print(f"digits {args.digits}, jobs {args.jobs}\n")
    print("| file | steps | not parsed | problems | verdicts | wall s | CPU s | steps/s (wall) | steps/s (CPU) |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    total = [0, 0, 0, 0.0, 0.0]
    for name in sorted(os.listdir(folder)):
        t0, c0 = time.perf_counter(), cpu()
        res = stepcheck.chain(os.path.join(folder, name), digits=args.digits, jobs=args.jobs)
        wall, used = time.perf_counter() - t0, cpu() - c0
        n = len(res.steps)
        counts = ", ".join(f"{v} {k}" for k, v in res.counts().items() if v and k != "not parsed")
        print(f"| {name} | {n} | {len(res.unparsed)} | {len(res.problems)} | {counts} | {wall:.2f} | {used:.2f} | "
              f"{n / wall:.2f} | {n / used:.2f} |")
        for i, v in enumerate((n, len(res.unparsed), len(res.problems), wall, used)):
            total[i] += v
    n, bad, problems, wall, used = total
    print(f"| all | {n} | {bad} | {problems} | | {wall:.2f} | {used:.2f} | {n / wall:.2f} | {n / used:.2f} |")


if __name__ == "__main__":
    main()
