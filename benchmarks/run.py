"""The performance table: every derivation's verify time, and the engine against the naive route
it replaced, measured side by side in one run.

Run: ``python benchmarks/run.py`` (about five minutes on 2 cores).  Prints one Markdown table.
Medians of ``REPEAT`` runs unless a row says otherwise; a naive route that does not finish within
its budget is reported as a lower bound.  Ratios are naive / engine, from the same run.
"""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import mpmath  # noqa: E402
import sympy as sp  # noqa: E402

import derivations  # noqa: E402
from benchmarks.bench_hippo import integrate_route  # noqa: E402
from derivations.engine.budget import run_with_budget  # noqa: E402
from derivations.engine.verify import _evaluate, verify_many, warm_up  # noqa: E402
from derivations.hippo import claims as hippo_claims  # noqa: E402
from derivations.hippo import legendre as hippo  # noqa: E402
from derivations.hippo import numerics as nh  # noqa: E402

REPEAT = 3
NAIVE_BUDGET = 120.0


def median(fn, repeat=REPEAT):
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def command_median(args, repeat=REPEAT):
    def run():
        subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return median(run, repeat)


def budgeted(fn, *args, budget=NAIVE_BUDGET):
    """Seconds of one run of ``fn(*args)`` in a child process, or ``None`` past the budget."""
    def timed(*a):
        t0 = time.perf_counter()
        fn(*a)
        return time.perf_counter() - t0
    out = run_with_budget(timed, *args, seconds=budget, memory_mb=None)
    return out.value if out.status == "ok" else None


def fmt(sec):
    return f"{sec:.3f}" if sec is not None else f"> {NAIVE_BUDGET:.0f}"


def ratio(naive, engine):
    if naive is None:
        return f"> {NAIVE_BUDGET / engine:.0f}x"
    return f"{naive / engine:.1f}x"


# --- naive routes -----------------------------------------------------------------------------

def _clear_hippo():
    for f in (hippo.derived_integer_matrices, hippo.legendre_rows, hippo.legs_su):
        f.cache_clear()


def legs_exact(N):
    _clear_hippo()
    hippo.legs_su(N)


def rope_difference(d):
    """\\(\\mathcal R_m^\\top\\mathcal R_n-\\mathcal R_{n-m}\\) for symbolic block frequencies."""
    m, n = sp.symbols("m n", real=True)
    th = sp.symbols(f"theta0:{d // 2}", real=True)

    def R(a):
        return sp.Matrix([[sp.cos(a), -sp.sin(a)], [sp.sin(a), sp.cos(a)]])

    def big(pos):
        return sp.diag(*[R(pos * t) for t in th])

    return big(m).T * big(n) - big(n - m)


def rope_simplify(d):
    assert sp.simplify(rope_difference(d)) == sp.zeros(d, d)


def rope_targeted(d):
    assert rope_difference(d).applyfunc(lambda e: sp.expand(sp.expand_trig(sp.expand(e)))) == sp.zeros(d, d)


def _legs_ode_setup(N, dps):
    with mpmath.workdps(dps):
        A, B = hippo.legs_su(N)
        Am = mpmath.matrix([[mpmath.mpmathify(sp.N(A[i, j], dps + 10)) for j in range(N)] for i in range(N)])
        Bm = mpmath.matrix([[mpmath.mpmathify(sp.N(B[i, 0], dps + 10))] for i in range(N)])
        sig = nh.sin_exp()
        c0 = nh.projection(sig, nh.LEGS, 1, N, dps, derivative=False)
    return Am, Bm, sig, c0


def legs_ode_engine(N, dps):
    Am, Bm, sig, c0 = _legs_ode_setup(N, dps)
    return nh.legs_ode(Am, Bm, c0, sig, 1, 2, dps)


def legs_ode_odefun(N, dps):
    Am, Bm, sig, c0 = _legs_ode_setup(N, dps)
    with mpmath.workdps(dps):
        def rhs(t, c):
            col = Am * mpmath.matrix([[x] for x in c]) + Bm * sig.u(t)
            return [col[i] / t for i in range(N)]
        f = mpmath.odefun(rhs, 1, list(c0))
        return f(2)


# --- the table --------------------------------------------------------------------------------

def main():
    rows = []
    warm_up()
    slugs = derivations.slugs()
    targets = [derivations.load(s) for s in slugs]
    for d in targets:
        sec = median(lambda d=d: verify_many([d], jobs=1))
        rows.append((f"verify {d.slug} ({len(d.claims)} claims, {len(d.controls)} controls, "
                     f"{len(d.errata)} errata)", None, sec, ""))

    serial = command_median([sys.executable, "cli.py", "verify", "--all", "--no-cache", "--jobs", "1"])
    jobs = os.cpu_count() or 1
    parallel = command_median([sys.executable, "cli.py", "verify", "--all", "--no-cache", "--jobs", str(jobs)])
    rows.append((f"`verify --all`: serial vs `--jobs {jobs}` (wall)", serial, parallel, ratio(serial, parallel)))

    click_s = command_median([sys.executable, "-c", "import click"], 5)
    help_s = command_median([sys.executable, "cli.py", "--help"], 5)
    rows.append(("`cli.py --help` vs `python -c 'import click'` (wall, median of 5)", click_s, help_s,
                 f"{help_s / click_s:.2f}x of import click"))

    for N in (8, 16):
        engine = median(lambda: legs_exact(N), 5)
        naive = budgeted(lambda: integrate_route(N))
        rows.append((f"exact LegS matrices N = {N}: SymPy `integrate` (1 run) vs exact integer route",
                     naive, engine, ratio(naive, engine)))
    rows.append(("exact LegS matrices N = 256 (integer derivation + SymPy surds)", None,
                 median(lambda: legs_exact(256), 1), "target <= 5 s"))

    for d in (4, 8):
        engine = median(lambda: rope_targeted(d), 5)
        naive = budgeted(rope_simplify, d)
        rows.append((f"RoPE relative property d = {d}: `simplify` (1 run) vs expand_trig route",
                     naive, engine, ratio(naive, engine)))

    engine = median(lambda: legs_ode_engine(8, 30), 5)
    naive = budgeted(legs_ode_odefun, 8, 30)
    rows.append(("LegS ODE N = 8, 30 digits, T: 1 -> 2: `mp.odefun` (1 run) vs variation of constants",
                 naive, engine, ratio(naive, engine)))
    rows.append(("LegS 50-digit check of C7.ode (the claim's whole verification, in process)", None,
                 median(lambda: _evaluate(hippo_claims.legs_ode, 50, 0, 60), 5), ""))

    print(f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, sympy {sp.__version__}, mpmath {mpmath.__version__} "
          f"(backend {mpmath.libmp.BACKEND}), SymPy ground types {sp.external.gmpy.GROUND_TYPES}.\n")
    print("| what | naive (s) | engine (s) | ratio |")
    print("|---|---:|---:|---:|")
    for label, naive, engine, note in rows:
        print(f"| {label} | {fmt(naive) if naive is not None or note.endswith('x') else ''} | "
              f"{engine:.3f} | {note} |")


if __name__ == "__main__":
    main()
