"""``verify --all``: wall and CPU time, and each derivation's seconds, against a baseline from the same run.

Runs ``python cli.py verify --all --json`` ``--repeat`` times (default 3), interleaved with a
baseline, and prints medians as Markdown tables.  The baseline is either

* ``--against DIR``: the same command in another checkout (a ``git worktree`` or ``git archive``
  of an earlier revision), so the ratio says how much faster or slower this tree is, or
* by default a fixed reference workload (SymPy rewrites and mpmath quadrature and arithmetic at
  60 digits, the kind of work a verification does), so the ratio stays comparable between runs on a
  machine whose speed varies with other load.

Every run starts with an empty cache (``STEPCHECK_CACHE_DIR`` a new directory), so every derivation
is verified; one more row is the same command with every derivation cached (the results of an
earlier run reused: ``derivations.engine.cache``). Wall time is what a user waits; CPU time (user +
system of the command and its workers) is what the command costs, and stays meaningful on a machine
busy with other work. Each derivation's seconds come from the JSON (its claims' wall time inside
their worker). Ratios are this tree / baseline.
No timing is asserted anywhere: the numbers are for reading.

    python benchmarks/bench_verify.py [--repeat 3] [--jobs N] [--against DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

REFERENCE = r"""
import mpmath, sympy as sp
x, y = sp.symbols("x y")
for k in range(1, 9):
    sp.cancel(sp.together(1 / (x + k) + 1 / (x - k) - 2 * x / (x ** 2 - k ** 2)))
    sp.expand(sp.expand_trig(sp.sin(k * x + y)))
    sp.trigsimp(sp.sin(x) ** 2 * k + sp.cos(x) ** 2 * k)
with mpmath.workdps(60):
    for k in range(1, 9):
        mpmath.quad(lambda t: mpmath.exp(-k * t * t) * mpmath.cos(t), [0, mpmath.inf])
        mpmath.fsum(mpmath.mpf(1) / mpmath.mpf(n) ** 2 for n in range(1, 4000))
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(argv, cwd, cache_dir=None) -> tuple[float, float, dict | None]:
    """(wall, cpu, parsed JSON or None) of one run of ``argv`` in ``cwd``, with verify's cache in
    ``cache_dir`` (default: a new empty directory, so that every derivation is verified)."""
    env = dict(os.environ, PYTHONPATH=cwd, STEPCHECK_CACHE_DIR=cache_dir or tempfile.mkdtemp(prefix="stepcheck-bench-"))
    c0, t0 = _children_cpu(), time.perf_counter()
    out = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
    try:
        doc = json.loads(out.stdout)
    except json.JSONDecodeError:
        doc = None
    return wall, cpu, doc


def verdicts(doc) -> list:
    """Every claim's, control's and erratum part's (slug, kind, id, verdict), in catalog order."""
    rows = []
    for d in doc["derivations"]:
        for kind in ("claims", "negative_controls"):
            rows += [(d["slug"], kind, c["id"], c["verdict"]) for c in d[kind]]
        for e in d["errata"]:
            rows += [(d["slug"], part, e["id"], e[part]["verdict"]) for part in ("post_says_result", "correct_result")]
    return rows


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=None, help="passed to verify --jobs (default: its own)")
    ap.add_argument("--against", metavar="DIR", help="a checkout to run the same command in, as the baseline")
    args = ap.parse_args()
    verify = [sys.executable, "cli.py", "verify", "--all", "--json"] + (["--jobs", str(args.jobs)] if args.jobs else [])
    if args.against:
        base_name, base = f"verify --all in {args.against}", (verify, os.path.abspath(args.against))
    else:
        base_name, base = "reference workload", ([sys.executable, "-c", REFERENCE], ROOT)
    runs = {"this": [], "base": [], "warm": []}
    warm_dir = tempfile.mkdtemp(prefix="stepcheck-bench-")
    run_once(verify, ROOT, warm_dir)  # fills the cache the warm runs reuse
    for _ in range(args.repeat):
        runs["this"].append(run_once(verify, ROOT))
        runs["base"].append(run_once(*base))
        runs["warm"].append(run_once(verify, ROOT, warm_dir))
    this, other = runs["this"], runs["base"]
    wall, cpu = med([r[0] for r in this]), med([r[1] for r in this])
    bwall, bcpu = med([r[0] for r in other]), med([r[1] for r in other])
    print(f"Medians of {args.repeat} interleaved runs on {os.cpu_count()} cores "
          f"(load average {os.getloadavg()[0]:.1f} at the end).\n")
    print("| command | wall s | CPU s |\n| --- | ---: | ---: |")
    print(f"| verify --all (this tree) | {wall:.1f} | {cpu:.1f} |")
    print(f"| {base_name} | {bwall:.1f} | {bcpu:.1f} |")
    print(f"| ratio this / baseline | {wall / bwall:.2f} | {cpu / bcpu:.2f} |")
    warm = runs["warm"]
    print(f"| verify --all (this tree), every derivation cached | {med([r[0] for r in warm]):.1f} | "
          f"{med([r[1] for r in warm]):.1f} |")
    docs = [r[2] for r in this if r[2]]
    bdocs = [r[2] for r in other if r[2]] if args.against else []
    if not docs:
        print("\nverify --all printed no JSON")
        return
    same = all(verdicts(d) == verdicts(docs[0]) for d in docs + [r[2] for r in runs["warm"] if r[2]])
    print(f"\nEvery claim's verdict identical across this tree's runs (cached ones included): {same}")
    if bdocs:
        ours, theirs = dict(((s, k, i), v) for s, k, i, v in verdicts(docs[0])), \
            dict(((s, k, i), v) for s, k, i, v in verdicts(bdocs[0]))
        changed = sum(ours[key] != theirs[key] for key in ours.keys() & theirs.keys())
        print(f"Against the baseline: {changed} of {len(ours.keys() & theirs.keys())} items with the same id changed "
              f"verdict; {len(ours.keys() - theirs.keys())} only here, {len(theirs.keys() - ours.keys())} only there")
    per = {}
    for d in docs:
        for der in d["derivations"]:
            per.setdefault(der["slug"], []).append(der["seconds"])
    bper = {}
    for d in bdocs:
        for der in d["derivations"]:
            bper.setdefault(der["slug"], []).append(der["seconds"])
    print("\n| derivation | seconds (this) |" + (" seconds (baseline) | ratio |" if bdocs else ""))
    print("| --- | ---: |" + (" ---: | ---: |" if bdocs else ""))
    for slug, xs in sorted(per.items(), key=lambda kv: -med(kv[1])):
        row = f"| {slug} | {med(xs):.2f} |"
        if bdocs and slug in bper:
            row += f" {med(bper[slug]):.2f} | {med(xs) / med(bper[slug]):.2f} |"
        print(row)


if __name__ == "__main__":
    main()
