r"""Maxima of one-dimensional functions at the current ``mpmath.mp.dps``, for quantities such as "the largest gap
of an approximation and where it sits" (batch_size_lr: the erf surrogate, the mean-field law; adam_epsilon: the
clip surrogate, the mean surrogate at \(\epsilon=0\)).

* :func:`maximize`: a smooth maximum, located on a grid and refined to full precision by a root of the
  derivative (``findroot`` on ``mpmath.diff``);
* :func:`golden_max`: a unimodal maximum that may sit at a kink (no derivative), by golden-section search;
  at a kink the maximiser converges to full precision, at a smooth maximum to about half of it.
"""
from __future__ import annotations

import mpmath


def maximize(f, lo, hi, steps=160):
    """Maximiser and maximum of a smooth ``f`` on ``[lo, hi]``: the best point of a ``steps``-cell grid, refined by
    a root of ``f'`` when it is interior (it must stay in its grid cell)."""
    lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
    xs = [lo + (hi - lo) * k / steps for k in range(steps + 1)]
    k = max(range(len(xs)), key=lambda i: f(xs[i]))
    x = xs[k]
    if 0 < k < steps:
        x = mpmath.findroot(lambda t: mpmath.diff(f, t), x)
        if not xs[k - 1] <= x <= xs[k + 1]:
            raise ValueError("maximize: the refined maximiser left its grid cell")
    return x, f(x)


def golden_max(f, lo, hi):
    """Maximiser and maximum of a unimodal ``f`` on ``[lo, hi]`` by golden-section search, until the bracket is
    below the working precision."""
    lo, hi = mpmath.mpf(lo), mpmath.mpf(hi)
    r = (mpmath.sqrt(5) - 1) / 2
    x1, x2 = hi - r * (hi - lo), lo + r * (hi - lo)
    f1, f2 = f(x1), f(x2)
    while hi - lo > mpmath.mpf(2) ** (-mpmath.mp.prec + 8) * max(1, abs(hi)):
        if f1 < f2:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + r * (hi - lo)
            f2 = f(x2)
        else:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - r * (hi - lo)
            f1 = f(x1)
    x = (lo + hi) / 2
    return x, f(x)
