"""The post's algorithms in mpmath: GradTopK by subset enumeration and by the recurrence, the weighted-softmax
iteration (as written, cancellation-free, the author's variant), and ThreTopK's threshold by root finding.

Every function works at the current ``mpmath.mp.dps`` (callers wrap it in ``workdps``) and takes plain
float/int/str inputs; the claims compare them with the closed forms at two precisions.
"""
from __future__ import annotations

import itertools
import math

import mpmath

mpf = mpmath.mpf


def _v(x):
    return [mpf(t) for t in x]


# ----------------------------------------------------------------------------- GradTopK


def elementary(y, k):
    """\\(e_k(y)\\) by the product expansion (exact subset sum, no cancellation)."""
    return mpmath.fsum(mpmath.fprod(c) for c in itertools.combinations(y, k)) if k else mpf(1)


def gradtopk_enumeration(x, k):
    """\\(\\partial_{x_i}\\log\\sum_{|S|=k}e^{\\sum_{j\\in S}x_j}\\) by brute force over the k-subsets:
    the probability that i is in S under the softmax over subsets."""
    x = _v(x)
    subsets = list(itertools.combinations(range(len(x)), k))
    w = [mpmath.exp(mpmath.fsum(x[j] for j in s)) for s in subsets]
    z = mpmath.fsum(w)
    return [mpmath.fsum(wi for wi, s in zip(w, subsets) if i in s) / z for i in range(len(x))]


def gradtopk_recurrence(x, k):
    """The post's recurrence \\(Z_{1,i}=y_i\\), \\(Z_{j,i}=y_i(Z_{j-1}-Z_{j-1,i})\\), \\(Z_j=\\frac1j\\sum_iZ_{j,i}\\)
    (sum rule), returning \\(Z_{k,i}/Z_k\\); \\(y=e^{x-\\max x}\\) (the ratio is shift invariant)."""
    x = _v(x)
    top = max(x)
    y = [mpmath.exp(t - top) for t in x]
    zi = list(y)
    for j in range(2, k + 1):
        zprev = mpmath.fsum(zi) / (j - 1)
        zi = [yi * (zprev - zii) for yi, zii in zip(y, zi)]
    z = mpmath.fsum(zi) / k
    return [t / z for t in zi]


# ----------------------------------------------------------------------------- weighted-softmax iteration (C2)


def weighted_softmax(x, w, tau):
    """\\([\\mathrm{softmax}(x/\\tau;w)]_i=w_ie^{x_i/\\tau}/\\sum_lw_le^{x_l/\\tau}\\)."""
    x, tau = _v(x), mpf(tau)
    top = max(x)
    e = [wi * mpmath.exp((t - top) / tau) for wi, t in zip(w, x)]
    s = mpmath.fsum(e)
    return [t / s for t in e]


def iteration_naive(x, tau):
    """\\(p^{(2)}\\) as written: \\(p^{(1)}=\\mathrm{softmax}\\), weights \\(1-p^{(1)}\\) by subtraction, which cancels
    catastrophically at the argmax (\\(1-p_{\\max}\\asymp e^{-(x_{(1)}-x_{(2)})/\\tau}\\))."""
    p1 = weighted_softmax(x, [1] * len(x), tau)
    step = weighted_softmax(x, [1 - p for p in p1], tau)
    return [a + b for a, b in zip(p1, step)]


def iteration_stable(x, tau):
    """The same \\(p^{(2)}\\) with \\(1-p^{(1)}_i=\\sum_{l\\ne i}e^{x_l/\\tau}/\\sum_le^{x_l/\\tau}\\) (a sum of positive terms:
    no cancellation, ordinary precision suffices)."""
    x, tau = _v(x), mpf(tau)
    top = max(x)
    y = [mpmath.exp((t - top) / tau) for t in x]
    s = mpmath.fsum(y)
    p1 = [t / s for t in y]
    w = [mpmath.fsum(y[:i] + y[i + 1:]) / s for i in range(len(y))]
    step = weighted_softmax(x, w, tau)
    return [a + b for a, b in zip(p1, step)]


def guard_digits(x, tau) -> int:
    """Decimal digits lost to cancellation in \\(1-p^{(1)}_{\\max}\\): \\((x_{(1)}-x_{(2)})/(\\tau\\ln10)\\), rounded up."""
    a, b = sorted((float(t) for t in x), reverse=True)[:2]
    return math.ceil((a - b) / (float(tau) * math.log(10))) + 1


def iteration_author(x, tau):
    """The author's variant: shift \\(x\\ge0\\), then \\(p^{(2)}=p^{(1)}+\\mathrm{softmax}((1-p^{(1)})\\circ x/\\tau)\\)."""
    x, tau = _v(x), mpf(tau)
    low = min(x)
    x = [t - low for t in x] if low < 0 else x
    top = max(x)
    y = [mpmath.exp((t - top) / tau) for t in x]
    s = mpmath.fsum(y)
    p1 = [t / s for t in y]
    w = [mpmath.fsum(y[:i] + y[i + 1:]) / s for i in range(len(y))]
    logits = [wi * t / tau for wi, t in zip(w, x)]
    lt = max(logits)
    e = [mpmath.exp(t - lt) for t in logits]
    se = mpmath.fsum(e)
    return [a + b / se for a, b in zip(p1, e)]


# ----------------------------------------------------------------------------- ThreTopK (C3, C4)


def f_exp(u):
    """\\(f(u)=\\min(1,e^u)\\)."""
    return mpf(1) if u >= 0 else mpmath.exp(u)


def f_laplace(u):
    """Laplace CDF: \\(1-\\frac12e^{-u}\\) for \\(u\\ge0\\), \\(\\frac12e^u\\) for \\(u<0\\)."""
    return 1 - mpmath.exp(-u) / 2 if u >= 0 else mpmath.exp(u) / 2


def f_sigmoid(u):
    return 1 / (1 + mpmath.exp(-u))


def threshold_newton(x, k, f, start):
    """The root of \\(\\sum_if(x_i-\\lambda)=k\\) by mpmath's secant iteration from ``start`` (smooth ``f``)."""
    return mpmath.findroot(lambda t: mpmath.fsum(f(u - t) for u in x) - k, mpf(start))


def threshold_bisection(x, k, f):
    """The root \\(\\lambda\\) of \\(\\sum_if(x_i-\\lambda)=k\\): bisection in float64 (the sum is nonincreasing in
    \\(\\lambda\\); bracket \\([\\min x-40,\\max x+40]\\)), then secant polishing at the working precision (the root is
    not at a kink of ``f`` for the inputs used here, so ``f`` is analytic near it)."""
    xf = [float(t) for t in x]
    lo, hi = min(xf) - 40, max(xf) + 40
    with mpmath.workdps(15):
        for _ in range(200):
            mid = (lo + hi) / 2
            if float(mpmath.fsum(f(mpf(t - mid)) for t in xf)) > k:
                lo = mid
            else:
                hi = mid
            if hi - lo < 1e-13 * (1 + abs(hi)):
                break
    return threshold_newton(_v(x), k, f, (lo + hi) / 2)


def threshold_exp_closed(x, k):
    """\\(\\lambda=\\log\\sum_{i>m}e^{x_i}-\\log(k-m)\\) for the admissible \\(m\\) (\\(x_m\\ge\\lambda\\ge x_{m+1}\\), sorted)."""
    xs = sorted(_v(x), reverse=True)
    for m in range(k):
        lam = mpmath.log(mpmath.fsum(mpmath.exp(t) for t in xs[m:])) - mpmath.log(k - m)
        if (m == 0 or xs[m - 1] >= lam) and lam >= xs[m]:
            return lam, m
    raise ValueError("no admissible m")


def threshold_laplace_closed(x, k):
    """\\(\\lambda=\\log S_2-\\log(\\sqrt{(k-m)^2+S_1S_2}+(k-m))\\), \\(S_1=\\sum_{i\\le m}e^{-x_i}\\), \\(S_2=\\sum_{i>m}e^{x_i}\\),
    for the admissible \\(m\\)."""
    xs = sorted(_v(x), reverse=True)
    for m in range(len(xs)):
        s1 = mpmath.fsum(mpmath.exp(-t) for t in xs[:m])
        s2 = mpmath.fsum(mpmath.exp(t) for t in xs[m:])
        lam = mpmath.log(s2) - mpmath.log(mpmath.sqrt((k - m) ** 2 + s1 * s2) + (k - m))
        if (m == 0 or xs[m - 1] >= lam) and lam >= xs[m]:
            return lam, m
    raise ValueError("no admissible m")


def softmax(x):
    x = _v(x)
    top = max(x)
    e = [mpmath.exp(t - top) for t in x]
    s = mpmath.fsum(e)
    return [t / s for t in e]


def threshold_gradient_fd(x, k, f=f_sigmoid):
    """\\(\\nabla\\lambda\\) by central differences of the root, at twice the working precision with
    step \\(10^{-\\mathrm{dps}/2}\\) (truncation \\(O(h^2)=O(10^{-\\mathrm{dps}})\\), rounding \\(O(10^{-3\\,\\mathrm{dps}/2})\\))."""
    dps = mpmath.mp.dps
    start = threshold_bisection(x, k, f)
    with mpmath.workdps(2 * dps):
        h = mpf(10) ** (-dps // 2)
        x = _v(x)
        out = []
        for j in range(len(x)):
            up = x[:j] + [x[j] + h] + x[j + 1:]
            dn = x[:j] + [x[j] - h] + x[j + 1:]
            out.append((threshold_newton(up, k, f, start) - threshold_newton(dn, k, f, start)) / (2 * h))
    return [+t for t in out]


def threshold_gradient_formula(x, k, f_prime):
    """\\(\\partial\\lambda/\\partial x_j=f'(x_j-\\lambda)/\\sum_if'(x_i-\\lambda)\\) at the sigmoid root."""
    lam = threshold_bisection(x, k, f_sigmoid)
    d = [f_prime(mpf(t) - lam) for t in x]
    s = mpmath.fsum(d)
    return [t / s for t in d]
