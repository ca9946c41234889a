"""Benchmark of the HiPPO derivation: the exact matrices up to N = 256 and the 50-digit numeric claims.

Run: ``python benchmarks/bench_hippo.py``.  Prints a Markdown table (median of 5 cold runs, caches
cleared before each; CPU seconds beside wall seconds, since the machine may be shared) and, as a
baseline, the SymPy ``integrate`` route for the same matrices.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import sympy as sp  # noqa: E402

from derivations.engine.budget import run_with_budget  # noqa: E402
from derivations.engine.verify import _evaluate, warm_up  # noqa: E402
from derivations.hippo import claims, legendre, numerics  # noqa: E402

REPEAT = 5
BASELINE_LIMIT = 30.0  # seconds allowed for the SymPy integrate route at N = 16


def _clear():
    for f in (legendre.derived_integer_matrices, legendre.legendre_rows, legendre.legs_matrices, legendre.legs_su,
              legendre.legt_su, numerics.gauss_legendre, numerics._legendre_table, claims.closed_legs,
              claims.closed_legt, claims._legs_flow, claims._projection, claims._forcing_cached):
        f.cache_clear()


def median_time(fn, repeat=REPEAT) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn()`` over ``repeat`` cold runs."""
    wall, cpu = [], []
    for _ in range(repeat):
        _clear()
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def integrate_route(N: int):
    r"""LegS \(A_{nk}=-\int g_k(g_n+(s+1)g_n')\,ds\), \(B_n=2g_n(1)\) with ``sympy.integrate``."""
    s = sp.Symbol("s")
    g = [sp.sqrt(sp.Rational(2 * n + 1, 2)) * sp.legendre(n, s) for n in range(N)]
    A = sp.Matrix(N, N, lambda n, k: -sp.integrate(g[k] * (g[n] + (s + 1) * sp.diff(g[n], s)), (s, -1, 1)))
    B = sp.Matrix([2 * gn.subs(s, 1) for gn in g])
    return A, B


def _timed_integrate(N):
    t0 = time.perf_counter()
    A, B = integrate_route(N)
    seconds = time.perf_counter() - t0
    assert (A, B) == legendre.legs_su(N)  # the same matrices as the exact integer route
    return seconds


def _claim(cid):
    c = next(c for c in claims.CLAIMS if c.id == cid)

    def run():
        res = _evaluate(c, 50, 0, 60.0)
        assert res.verdict.is_ok, (cid, res.verdict, res.detail)
    return run


def main():
    warm_up()
    rows = []
    exact = {}
    for N in (8, 16, 32, 64, 256):
        repeat = REPEAT if N < 256 else 3
        rows.append((f"exact LegS/LegT derivation (integer C8(b) form), N = {N}",
                     median_time(lambda: legendre.derived_integer_matrices(N), repeat)))
        exact[N] = median_time(lambda: legendre.legs_su(N), repeat)
        rows.append((f"exact LegS derivation + exact SymPy sqrt form (legs_su), N = {N}", exact[N]))
    for cid, what in (("C7.ode", "variation of constants vs quadrature, N = 8, 50 digits"),
                      ("C7.residual", "residual, 2 inputs x 3 times, N = 8, 50 digits"),
                      ("C7.legs-matrix", "derived vs closed form, N in {1,..,8, 32}"),
                      ("C5.legt-exact", "derived vs closed form, N in {1,..,8, 32}")):
        rows.append((f"claim {cid}, in process ({what})", median_time(_claim(cid))))
    print("| step | wall, median of 5 (s) | CPU (s) |")
    print("|---|---:|---:|")
    for label, (wall, cpu) in rows:
        print(f"| {label} | {wall:.4f} | {cpu:.4f} |")
    for N in (8, 16):
        out = run_with_budget(_timed_integrate, N, seconds=BASELINE_LIMIT if N == 16 else 600)
        if out.status == "ok":
            print(f"| baseline: SymPy integrate route, N = {N} (1 run) | {out.value:.2f} "
                  f"(x{out.value / exact[N][0]:.0f} the exact route to the same SymPy matrices) | |")
        else:
            print(f"| baseline: SymPy integrate route, N = {N} | not finished ({out.reason}) | |")


if __name__ == "__main__":
    main()
