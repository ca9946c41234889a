"""Start-up time of the CLI, next to the floor set by importing click.

Runs each command 5 times (interleaved, after one warm-up run each, all in this one run) and
prints the medians as a Markdown table with their ratio to `python -c "import click"`. Wall
time is what a user waits; CPU time (user + system of the child) is what the command costs,
and stays meaningful on a machine busy with other work.

    python benchmarks/bench_startup.py
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = 5
COMMANDS = [
    ('python -c "import click"', [sys.executable, "-c", "import click"]),
    ("python cli.py --help", [sys.executable, "cli.py", "--help"]),
    ("python cli.py list", [sys.executable, "cli.py", "list"]),
]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(argv) -> tuple[float, float]:
    """(wall, cpu) seconds of one run."""
    c0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0, _children_cpu() - c0


def main() -> None:
    for _, argv in COMMANDS:  # warm the file cache
        run_once(argv)
    times = {label: [] for label, _ in COMMANDS}
    for _ in range(RUNS):
        for label, argv in COMMANDS:
            times[label].append(run_once(argv))
    def median(label, i):
        return statistics.median(t[i] for t in times[label])

    base_wall, base_cpu = median(COMMANDS[0][0], 0), median(COMMANDS[0][0], 1)
    print(f"Start-up, median of {RUNS} runs (Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f})\n")
    print("| command | wall (ms) | vs `import click` | CPU (ms) | vs `import click` |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, _ in COMMANDS:
        wall, cpu = median(label, 0), median(label, 1)
        print(f"| `{label}` | {wall * 1000:.0f} | {wall / base_wall:.2f}x | {cpu * 1000:.0f} | {cpu / base_cpu:.2f}x |")


if __name__ == "__main__":
    main()
