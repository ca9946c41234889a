"""Benchmark of the HiPPO derivation: exact LegS matrices and the 50-digit numeric cross-checks.

Run: ``python benchmarks/bench_hippo.py``.  Prints a Markdown table (median of 5 cold runs, caches
cleared before each) and, as a baseline, the SymPy ``integrate`` route for the same matrices.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import sympy as sp  # noqa: E402

from derivations import hippo as h  # noqa: E402
from derivations.engine.budget import run_with_budget  # noqa: E402
from numeric import hippo as nh  # noqa: E402

REPEAT = 5
BASELINE_LIMIT = 30.0  # seconds allowed for the SymPy integrate route at N = 16


def _clear():
    for f in (h.derived_integer_matrices, h.legendre_rows, h.legs_matrices, h.legs_su, h.legt_su,
              nh.gauss_legendre, nh._legendre_table):
        f.cache_clear()


def median_time(fn, repeat=REPEAT) -> float:
    out = []
    for _ in range(repeat):
        _clear()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


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
    assert (A, B) == h.legs_su(N)  # the same matrices as the exact integer route
    return seconds


def main():
    rows = []
    exact = {}
    for N in (8, 16, 32, 64):
        rows.append((f"exact LegS derivation (integer C8(b) form), N = {N}",
                     median_time(lambda: h.derived_integer_matrices(N))))
        exact[N] = median_time(lambda: h.legs_su(N))
        rows.append((f"exact LegS derivation + exact SymPy sqrt form (legs_su), N = {N}", exact[N]))
    rows.append(("LegS 50-digit ODE cross-check (C7.ode: 2 inputs, N = 8, two precisions)",
                 median_time(lambda: h.legs_ode.cross_check(50, 0))))
    rows.append(("LegS 50-digit residual cross-check (C7.residual: 2 inputs x 3 times, N = 8)",
                 median_time(lambda: h.legs_residual.cross_check(50, 0))))
    rows.append(("float64 construction vs exact, every block N <= 64 (C7.legs_matrix cross-check)",
                 median_time(h.float_agreement_blocks)))
    print("| step | median of 5 (s) |")
    print("|---|---:|")
    for label, sec in rows:
        print(f"| {label} | {sec:.4f} |")
    for N in (8, 16):
        out = run_with_budget(_timed_integrate, N, seconds=BASELINE_LIMIT if N == 16 else 600)
        if out.status == "ok":
            print(f"| baseline: SymPy integrate route, N = {N} (1 run) | {out.value:.2f} "
                  f"(x{out.value / exact[N]:.0f} the exact route to the same SymPy matrices) |")
        else:
            print(f"| baseline: SymPy integrate route, N = {N} | not finished ({out.reason}) |")


if __name__ == "__main__":
    main()
