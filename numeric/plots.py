r"""Figures for the reports (matplotlib, optional extra ``stepcheck[plots]``, Agg backend).

Every figure function takes the directory to write into and returns ``[(png file name,
caption)]``, the signature of the ``Derivation.plots`` hook.  The figures recompute what they
show from the mathematics of the specs (numpy/mpmath), independently of the derivation
modules, with fixed seeds:

* ``hippo``: HiPPO-LegS reconstruction of \(u(t)=\sin 2t+e^{-t/3}\) from its coefficients;
  the LegS and LegT ODE states against the direct projection over time;
* ``rope``: the decay indicator \(F_{128}(\Delta)\) and the bound of a score;
* ``attention-scale``: Monte Carlo \(\mathrm{Var}[q\cdot k]/d\) against \(d\); \(\alpha^*(n)\) against the post's fits;
* ``batch-size-lr``: \(\eta^*(B)\) for SGD, SignSGD (diagonal curvature) and the surge;
* ``sgd-average-loss``: a projected-SGD run's average regret against the bound;
* ``integral-test``: partial sums between the integral-test bounds, and a non-monotone counterexample;
* any derivation: agreeing digits against working precision (:func:`digits_vs_precision`).

:data:`PLOTS` maps a slug to its figure functions; the report runs them for the slugs it covers.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

COLOURS = {"proved": "#1a7f37", "certified": "#0550ae", "checked": "#2f8f5b", "refuted": "#cf222e",
           "unknown": "#6e7781"}


def pyplot():
    """matplotlib's pyplot on the Agg backend; ``ImportError`` when matplotlib is absent."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _save(fig, outdir, name: str) -> str:
    fig.savefig(Path(outdir) / name, dpi=110, bbox_inches="tight")
    pyplot().close(fig)
    return name


def _label(ax, x=None, y=None, title=None, size=9.5, legend=None, grid="major"):
    """Axis labels, title, legend (``legend`` = keyword arguments of ``ax.legend``) and a light grid."""
    if x:
        ax.set_xlabel(x)
    if y:
        ax.set_ylabel(y)
    if title:
        ax.set_title(title, fontsize=size)
    if legend is not None:
        ax.legend(**legend)
    ax.grid(alpha=0.3, which=grid)


def _sci(x: float) -> str:
    """``3e-11`` as LaTeX: ``$3\times10^{-11}$``."""
    m, e = f"{x:.0e}".split("e")
    return f"${'' if m == '1' else m + chr(92) + 'times'}10^{{{int(e)}}}$"


# ----------------------------------------------------------------------------------- generic

def digits_vs_precision(series: list, outdir, name: str, title: str = "") -> list:
    """Plot ``series = [(label, verdict, [(dps, agreeing digits), ...]), ...]``."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    top = max((p for _, _, pts in series for p, _ in pts), default=100)
    ax.plot([0, top], [0, top], ls=":", color="#8c959f", lw=1, label="agreement = working precision")
    markers, ok_colours = "osD^v<>", ["#1a7f37", "#0550ae", "#8250df", "#bf8700", "#2f8f5b"]
    for i, (label, verdict, pts) in enumerate(series):
        colour = COLOURS["refuted"] if verdict == "refuted" else ok_colours[i % len(ok_colours)]
        ax.plot([p for p, _ in pts], [d for _, d in pts], marker=markers[i % len(markers)], ms=4, lw=1,
                color=colour, alpha=0.85, label=f"{label} ({verdict})")
    ax.set_xlim(0, top * 1.03)
    ax.set_ylim(bottom=min(0, min((min(d for _, d in pts) for _, _, pts in series if pts), default=0)) - 1)
    _label(ax, "working precision (significant digits)", "agreeing digits of lhs and rhs",
           title or "agreement against working precision", 10, {"fontsize": 7, "loc": "upper left"})
    caption = ("Agreeing significant digits of the two sides at one seeded point, against the working precision "
               "of the evaluation: a claim that holds follows the diagonal (only the precision limits the "
               "agreement; exact agreement is drawn on it), a refuted claim stays flat at the size of its real "
               "discrepancy however many digits are used.")
    return [(_save(fig, outdir, name), caption)]


# ------------------------------------------------------------------------------------- hippo

def _hippo_u(t):
    return np.sin(2 * t) + np.exp(-t / 3)


def _legendre_g(n_max: int, s):
    r"""Orthonormal Legendre functions \(g_n=\sqrt{(2n+1)/2}P_n\), rows n = 0..n_max-1."""
    s = np.asarray(s, dtype=float)
    p = np.zeros((n_max,) + s.shape)
    p[0] = 1.0
    if n_max > 1:
        p[1] = s
    for n in range(1, n_max - 1):
        p[n + 1] = ((2 * n + 1) * s * p[n] - n * p[n - 1]) / (n + 1)
    return p * np.sqrt((2 * np.arange(n_max) + 1) / 2).reshape((-1,) + (1,) * s.ndim)


_GL_S, _GL_W = np.polynomial.legendre.leggauss(160)


def _legs_coeffs(n: int, T: float):
    return _legendre_g(n, _GL_S) @ (_GL_W * _hippo_u((_GL_S + 1) * T / 2))


def _legt_coeffs(n: int, T: float, w: float):
    return _legendre_g(n, _GL_S) @ (_GL_W * _hippo_u((_GL_S + 1) * w / 2 + T - w))


def _legs_matrices(n: int):
    i, k = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    a = np.where(k < i, -np.sqrt((2 * i + 1) * (2 * k + 1)), 0.0) - np.diag(np.arange(n) + 1.0)
    return a, np.sqrt(2 * (2 * np.arange(n) + 1))


def _legt_matrices(n: int, w: float):
    i, k = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    a = -np.sqrt((2 * i + 1) * (2 * k + 1)) * np.where(k < i, 1.0, (-1.0) ** (i - k)) / w
    return a, np.sqrt(2 * (2 * np.arange(n) + 1)) / w


def _rk4(f, x, t0, t1, h):
    steps = int(math.ceil((t1 - t0) / h))
    h = (t1 - t0) / steps
    ts, xs, t = [t0], [x.copy()], t0
    for _ in range(steps):
        k1 = f(t, x)
        k2 = f(t + h / 2, x + h / 2 * k1)
        k3 = f(t + h / 2, x + h / 2 * k2)
        k4 = f(t + h, x + h * k3)
        x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += h
        ts.append(t)
        xs.append(x.copy())
    return np.array(ts), np.array(xs)


def hippo_reconstruction(outdir) -> list:
    plt = pyplot()
    T = 10.0
    t = np.linspace(0, T, 800)
    s = 2 * t / T - 1
    fig, ax = plt.subplots(figsize=(7.0, 3.8))
    ax.plot(t, _hippo_u(t), color="black", lw=2.2, label=r"$u(t)=\sin 2t+e^{-t/3}$")
    for n, col in ((4, "#cf222e"), (8, "#bf8700"), (16, "#0550ae")):
        c = _legs_coeffs(n, T)
        err = np.max(np.abs(c @ _legendre_g(n, s) - _hippo_u(t)))
        ax.plot(t, c @ _legendre_g(n, s), color=col, lw=1.3, label=f"$N={n}$ (max error {err:.1e})")
    _label(ax, "$t$", "value", r"HiPPO-LegS: the history on $[0,T]$ rebuilt from the state "
           r"$x(T)=(c_0,\dots,c_{N-1})$, $T=10$", 10,
           {"fontsize": 8, "loc": "upper center", "bbox_to_anchor": (0.5, -0.14), "ncol": 2})
    caption = (r"HiPPO-LegS reconstruction: the input $u(t)=\sin 2t+e^{-t/3}$ on $[0,T]$, $T=10$, and "
               r"$\sum_{n<N}c_n(T)\,g_n(2t/T-1)$ rebuilt from the $N$ coefficients of the state at time $T$ "
               r"(the projection on the orthonormal Legendre functions $g_n$), for $N=4,8,16$: the whole "
               r"history is recovered more closely as $N$ grows.")
    return [(_save(fig, outdir, "hippo-reconstruction.png"), caption)]


def hippo_ode_vs_projection(outdir) -> list:
    plt = pyplot()
    n, w, t1 = 8, 1.0, 10.0
    a_s, b_s = _legs_matrices(n)
    a_t, b_t = _legt_matrices(n, w)
    ts, xs = _rk4(lambda T, x: (a_s @ x + b_s * _hippo_u(T)) / T, _legs_coeffs(n, 0.5), 0.5, t1, 1e-3)
    tt, xt = _rk4(lambda T, x: a_t @ x + b_t * _hippo_u(T), _legt_coeffs(n, w, w), w, t1, 1e-3)
    every = max(1, len(ts) // 60)
    ps = np.array([_legs_coeffs(n, T) for T in ts[::every]])
    pt = np.array([_legt_coeffs(n, T, w) for T in tt[::every]])
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(7.0, 6.2), sharex=True)
    for j, col in zip(range(4), ("#0550ae", "#cf222e", "#1a7f37", "#bf8700")):
        ax1.plot(ts, xs[:, j], color=col, lw=1.3, label=f"$c_{j}$ ODE")
        ax1.plot(ts[::every], ps[:, j], "o", ms=3.5, mfc="none", color=col)
    ax1.plot([], [], "o", ms=3.5, mfc="none", color="#444", label="projection")
    _label(ax1, None, "LegS coefficient", r"LegS, $N=8$: ODE $x'=\frac{1}{T}(A^Sx+B^Su)$ from $T=0.5$ (lines) "
           "vs direct projection (circles)", legend={"fontsize": 7, "ncol": 5, "loc": "upper right"})
    err_s = np.max(np.abs(xs[::every] - ps), axis=1)[1:]
    err_t = np.max(np.abs(xt[::every] - pt), axis=1)[1:]
    ax2.semilogy(ts[::every][1:], err_s, color="#1a7f37", label="LegS (exact ODE): error of the integrator only")
    ax2.semilogy(tt[::every][1:], err_t, color="#cf222e",
                 label=r"LegT, $w=1$ (closed by truncating $u(T-w)$): approximate")
    _label(ax2, "$T$", r"$\max_n |c_n^{\rm ODE}(T)-c_n^{\rm proj}(T)|$", legend={"fontsize": 8})
    caption = (r"HiPPO ODEs against the direct projection, $u(t)=\sin 2t+e^{-t/3}$, $N=8$. Top: the first four "
               r"LegS coefficients from integrating $x'=\frac1T(A^Sx+B^Su)$ (RK4, step $10^{-3}$, started at "
               r"$T=0.5$ from quadrature) lie on the projections $c_n(T)$. Bottom: the largest deviation: LegS "
               r"stays at the integrator's error (at most " + _sci(err_s.max()) + r"; the LegS ODE is exact), LegT "
               r"($w=1$) stays near " + _sci(np.median(err_t)) + r", the truncation error of its closure "
               r"$u(T-w)\approx\sum_{k<N}c_kg_k(-1)$, which no step size removes.")
    return [(_save(fig, outdir, "hippo-ode-vs-projection.png"), caption)]


# -------------------------------------------------------------------------------------- rope

def _rope_partial_sums(d: int, deltas):
    theta = 10000.0 ** (-2 * np.arange(d // 2) / d)
    return np.cumsum(np.exp(1j * np.outer(deltas, theta)), axis=1), theta


def rope_decay(outdir) -> list:
    plt = pyplot()
    d = 128
    deltas = np.arange(0, 1025)
    s, theta = _rope_partial_sums(d, deltas)
    sum_s = np.abs(s).sum(axis=1)
    f = 2 / d * sum_s
    rng = np.random.default_rng(0)
    ups = int(np.sum(np.diff(f[:257]) > 0))
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(7.0, 6.0), sharex=True)
    ax1.plot(deltas, f, color="#0550ae", lw=1)
    ax1.axhline(f[0], color="#8c959f", ls=":", lw=1)
    _label(ax1, None, r"$F_{128}(\Delta)$", f"RoPE decay indicator $F_{{128}}(\\Delta)=\\frac{{2}}{{d}}\\sum_j|S_j(\\Delta)|$: "
           f"{f[0]:g} at $\\Delta=0$, {f[1000]:.3f} at 1000; {ups} of the 256 unit steps on $[0,256]$ go up", 9)
    ax2.semilogy(deltas, sum_s, color="#cf222e", lw=1.2, label=r"bound $\sum_j|S_j(\Delta)|$")
    worst = 0.0
    for label, col, same in (("$k=q$", "#0550ae", True), ("independent $q,k$", "#24292f", False)):
        q = rng.standard_normal(d)
        k = q if same else rng.standard_normal(d)
        h = (q[0::2] + 1j * q[1::2]) * np.conj(k[0::2] + 1j * k[1::2])
        score = np.abs(np.real(np.exp(1j * np.outer(deltas, theta)) @ h)) / np.max(np.abs(np.diff(np.append(h, 0))))
        worst = max(worst, float(np.max(score / sum_s)))
        ax2.semilogy(deltas, score + 1e-9, color=col, lw=0.7, alpha=0.85,
                     label=r"$|(\mathcal{R}_m q)^\top(\mathcal{R}_n k)|\,/\max_i|h_{i+1}-h_i|$, " + label)
    assert worst <= 1 + 1e-12
    ax2.set_ylim(bottom=1e-2)
    _label(ax2, r"relative distance $\Delta=m-n$", "normalized score",
           legend={"fontsize": 7.5, "loc": "upper center", "bbox_to_anchor": (0.5, -0.2), "ncol": 2})
    caption = (r"RoPE long-range decay, $d=128$, $\theta_i=10000^{-2i/d}$. Top: the post's indicator "
               r"$F_{128}(\Delta)=\frac2d\sum_j|S_j(\Delta)|$ falls from $32.5$ at $\Delta=0$ to about $4.5$ near "
               r"$\Delta=1000$, but not monotonically: it oscillates. Bottom: the score of a Gaussian query with "
               r"itself ($k=q$) and with an independent key (seed 0), divided by $\max_i|h_{i+1}-h_i|$, stays "
               r"under the Abel-summation bound $\sum_j|S_j(\Delta)|$ at every distance, with room to spare "
               f"(largest ratio score/bound {worst:.2f}); the $k=q$ score decays with the bound, the independent one "
               r"does not decay.")
    return [(_save(fig, outdir, "rope-decay.png"), caption)]


# --------------------------------------------------------------------------- attention-scale

def _mc_dot_variance(rng, d: int, n: int, law: str):
    vals = []
    for _ in range(n // 2000):
        if law == "gaussian":
            q, k = rng.standard_normal((2000, d)), rng.standard_normal((2000, d))
        elif law == "rademacher":
            q, k = 2.0 * rng.integers(0, 2, (2000, d)) - 1, 2.0 * rng.integers(0, 2, (2000, d)) - 1
        elif law == "uniform":
            q, k = rng.uniform(-3 ** 0.5, 3 ** 0.5, (2000, d)), rng.uniform(-3 ** 0.5, 3 ** 0.5, (2000, d))
        elif law == "k=q":
            q = rng.standard_normal((2000, d))
            k = q
        else:  # means 0.5
            q, k = rng.standard_normal((2000, d)) + 0.5, rng.standard_normal((2000, d)) + 0.5
        vals.append(np.einsum("ij,ij->i", q, k))
    x = np.concatenate(vals)
    dev = (x - x.mean()) ** 2
    return x.var(), dev.std() / math.sqrt(len(x))


def attention_variance(outdir) -> list:
    plt = pyplot()
    dims = [4, 8, 16, 32, 64, 128, 256, 512]
    rng = np.random.default_rng(2023)
    n = 10000
    fig, ax = plt.subplots(figsize=(7.0, 4.0))
    styles = {"gaussian": ("#0550ae", "o", "Gaussian"), "rademacher": ("#1a7f37", "s", r"Rademacher $\pm1$"),
              "uniform": ("#bf8700", "D", r"uniform $[-\sqrt{3},\sqrt{3}]$"),
              "k=q": ("#cf222e", "v", r"control: $k=q$ (not independent)"),
              "mean": ("#8250df", "^", r"control: means $0.5$")}
    for j, (law, (col, mk, label)) in enumerate(styles.items()):
        est = [_mc_dot_variance(rng, d, n, law) for d in dims]
        x = np.array(dims) * (1 + 0.04 * (j - 2))
        ax.errorbar(x, [v / d for (v, _), d in zip(est, dims)], yerr=[5 * se / d for (_, se), d in zip(est, dims)],
                    fmt=mk, ms=4, color=col, capsize=2, lw=1, label=label)
    for y, txt in ((1, r"$\mathrm{Var}=d$"), (2, r"$2d$"), (1.5, r"$d(1+2\mu^2)$")):
        ax.axhline(y, color="#8c959f", ls=":", lw=1)
        ax.text(590, y, txt, va="center", fontsize=8)
    ax.set_xscale("log", base=2)
    ax.set_ylim(0.7, 2.3)
    _label(ax, "dimension $d$", r"Monte Carlo $\mathrm{Var}[q\cdot k]\,/\,d$",
           r"Variance of the attention score $q\cdot k$: $10^4$ pairs per point, bars $\pm5$ SE",
           legend={"fontsize": 7, "loc": "upper center", "bbox_to_anchor": (0.5, -0.16), "ncol": 3})
    caption = (r"Monte Carlo variance of $q\cdot k$ divided by $d$ ($10^4$ independent pairs per point, "
               r"seed 2023, error bars 5 standard errors): with independent mean-zero unit-variance components the "
               r"ratio is 1 for every $d$ and every component law (Gaussian, Rademacher, uniform), as the post's "
               r"$\mathrm{Var}[q\cdot k]=d$ says; the controls show which hypotheses matter: $k=q$ gives $2d$, "
               r"means $0.5$ give $d(1+2\mu^2)=1.5d$.")
    return [(_save(fig, outdir, "attention-variance.png"), caption)]


def gaussian_alpha_star(n):
    r"""\(\alpha^*(n)=\sqrt{W_0(n\sqrt e/2)-1/2}\), maximizer of \(\alpha(1-e^{\alpha^2}/n)\)."""
    import mpmath
    return float(mpmath.sqrt(mpmath.lambertw(n * mpmath.sqrt(mpmath.e) / 2).real - mpmath.mpf(1) / 2))


def cosine_n_of_alpha(alpha: float, d: int = 128) -> float:
    r"""The \(n\) whose mean-field optimum is \(\alpha\) for cosine scores in dimension \(d\):
    \(n=\frac{d}{d\alpha}[\alpha R(\alpha)]\), \(R=M_d(2\alpha)/M_d(\alpha)^2\),
    \(M_d(\alpha)=\Gamma(d/2)(2/\alpha)^{d/2-1}I_{d/2-1}(\alpha)\), \((\log M_d)'=I_{d/2}/I_{d/2-1}\)."""
    import mpmath
    nu = mpmath.mpf(d) / 2 - 1
    a = mpmath.mpf(alpha)

    def log_m(x):
        return mpmath.loggamma(nu + 1) + nu * mpmath.log(2 / x) + mpmath.log(mpmath.besseli(nu, x))

    def dlog_m(x):
        return mpmath.besseli(nu + 1, x) / mpmath.besseli(nu, x)

    r = mpmath.exp(log_m(2 * a) - 2 * log_m(a))
    return float(r * (1 + a * (2 * dlog_m(2 * a) - 2 * dlog_m(a))))


def attention_alpha_star(outdir) -> list:
    plt = pyplot()
    ns = np.geomspace(40, 20000, 120)
    ga = np.array([gaussian_alpha_star(n) for n in ns])
    ca = np.linspace(16.0, 34.5, 80)
    cn = np.array([cosine_n_of_alpha(a) for a in ca])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.0, 3.8))
    ax1.axhspan(2, 3, color="#ddf4ff", label=r"post: $\alpha^*\in[2,3]$")
    ax1.plot(ns, ga, color="black", lw=2, label=r"$\alpha^*=\sqrt{W_0(n\sqrt{e}/2)-1/2}$")
    ax1.plot(ns, 0.84 * np.sqrt(np.log(ns)), color="#cf222e", ls="--", label=r"post's fit $0.84\sqrt{\ln n}$")
    ax1.plot(ns, np.sqrt(np.log(ns)), color="#8c959f", ls=":", label=r"$\sqrt{\ln n}$ (asymptote)")
    ax1.set_xscale("log")
    _label(ax1, "number of keys $n$", r"$\alpha^*$", "Gaussian scores", 10, {"fontsize": 7})
    ax2.axhspan(25, 35, color="#ddf4ff", label=r"post: $\alpha^*\in[25,35]$")
    ax2.plot(cn, ca, color="black", lw=2, label=r"$\alpha^*$, cosine scores, $d=128$")
    ax2.plot(ns, 3.5 * np.log(ns), color="#cf222e", ls="--", label=r"post's fit $3.5\ln n$")
    ax2.set_xscale("log")
    ax2.set_xlim(40, 20000)
    _label(ax2, "number of keys $n$", None, "cosine scores, $d=128$", 10, {"fontsize": 7})
    caption = (r"Optimal attention scale $\alpha^*(n)$ (maximizer of the mean-field surrogate "
               r"$\alpha(1-R(\alpha)/n)$) against the post's fits. Left, Gaussian scores: the closed form "
               r"$\alpha^{*2}=W_0(n\sqrt e/2)-\frac12$ against $0.84\sqrt{\ln n}$ (12% high at $n=40$, close "
               r"beyond a few hundred keys) and the slow asymptote $\sqrt{\ln n}$; $\alpha^*\in[2,3]$ for "
               r"$n$ between about 491 and 154000. Right, cosine scores in $d=128$ (from the Bessel form of the "
               r"moment generating function): $\alpha^*$ against $3.5\ln n$ (23% low at $n=40$); "
               r"$\alpha^*\in[25,35]$ for $n$ between about 684 and 34000.")
    return [(_save(fig, outdir, "attention-alpha-star.png"), caption)]


# ----------------------------------------------------------------------------- batch-size-lr

def sign_eta_star(b, g, sigma, h):
    r"""Exact-erf SignSGD step \(\eta^*=\sum_i\mu_ig_i/(\sum_iH_{ii}+\sum_{i\ne j}\mu_i\mu_jH_{ij})\),
    \(\mu_i=\mathrm{erf}(\frac{g_i}{\sigma_i}\sqrt{B/2})\)."""
    from math import erf
    mu = np.array([erf(gi / si * math.sqrt(b / 2)) for gi, si in zip(g, sigma)])
    off = h - np.diag(np.diag(h))
    return float(mu @ g / (np.trace(h) + mu @ off @ mu))


def batch_eta_star(outdir) -> list:
    plt = pyplot()
    d, kappa = 10, 2.0
    g = np.linspace(0.5, 1.5, d)
    sigma = kappa * g
    h = 0.5 * np.eye(d) + 0.5 * np.ones((d, d))
    bs = np.geomspace(1e-2, 1e3, 240)
    sgd = (g @ g) / (g @ h @ g + np.sum(sigma ** 2 * np.diag(h)) / bs)
    sgd_inf = (g @ g) / (g @ h @ g)
    hd = np.diag(np.diag(h))
    diag = np.array([sign_eta_star(b, g, sigma, hd) for b in bs])
    surge = np.array([sign_eta_star(b, g, sigma, h) for b in bs])
    sign_inf_diag = np.abs(g).sum() / np.trace(h)
    sign_inf = np.abs(g).sum() / (np.sign(g) @ h @ np.sign(g))
    beta_n = math.sqrt(np.trace(h) / (np.sign(g) @ (h - hd) @ np.sign(g)))
    from mpmath import erfinv
    peak_exact = 2 * kappa ** 2 * float(erfinv(beta_n)) ** 2
    peak_mf = math.pi * kappa ** 2 * beta_n ** 2 / (2 * (1 - beta_n ** 2))
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    ax.loglog(bs, sgd / sgd_inf, color="#0550ae", label=r"SGD: $\eta_{\max}/(1+\mathcal{B}_{\rm noise}/B)$")
    ax.loglog(bs, diag / sign_inf_diag, color="#1a7f37", label="SignSGD, diagonal $H$ (monotone)")
    ax.loglog(bs, surge / sign_inf, color="#cf222e", label=r"SignSGD, $H=\frac{1}{2}I+\frac{1}{2}\mathbf{1}\mathbf{1}^\top$ (surge)")
    ax.loglog(bs, 0.6 * bs / bs[0] * (sgd / sgd_inf)[0] / 0.6, color="#0550ae", ls=":", lw=0.8)
    ax.loglog(bs, np.sqrt(bs / bs[0]) * (diag / sign_inf_diag)[0], color="#1a7f37", ls=":", lw=0.8)
    ax.axvline(peak_exact, color="#cf222e", ls="--", lw=0.8)
    ax.axvline(peak_mf, color="#cf222e", ls=":", lw=0.8)
    ax.text(peak_exact * 0.93, 0.012, f"peak (exact erf) $B={peak_exact:.3f}$", rotation=90, fontsize=7,
            ha="right", color="#cf222e")
    ax.text(peak_mf * 1.08, 0.012, f"mean-field peak $B={peak_mf:.3f}$", rotation=90, fontsize=7, color="#cf222e")
    ax.set_ylim(0.008, 2)
    _label(ax, "batch size $B$", r"$\eta^*(B)\,/\,\eta^*(\infty)$", r"Optimal learning rate against batch size "
           r"($d=10$, $\sigma_i=2g_i$); dotted: slopes $B$ and $\sqrt{B}$", legend={"fontsize": 8, "loc": "lower right"},
           grid="both")
    caption = (r"One-step optimal learning rate $\eta^*(B)$, divided by its large-batch limit, for $d=10$, "
               r"$g_i$ evenly spaced in $[0.5,1.5]$, $\sigma_i=2g_i$. SGD ($H=\frac12I+\frac12\mathbf{1}\mathbf{1}^\top$) "
               r"rises linearly for small $B$ and saturates. SignSGD with the exact $\mathbb{E}\,\mathrm{sign}="
               r"\mathrm{erf}$: with diagonal curvature it rises like $\sqrt B$ and saturates (monotone); with the "
               r"strongly coupled $H$ (off-diagonal sum $O=45>D=10$) it overshoots, the surge: peak "
               f"{surge.max() / sign_inf:.3f} times the limit at $B\\approx{peak_exact:.2f}$ (the mean-field formula "
               f"puts the peak at ${peak_mf:.2f}$), then falls back to "
               r"$\|g\|_1/(s^\top Hs)$.")
    return [(_save(fig, outdir, "batch-eta-star.png"), caption)]


# -------------------------------------------------------------------------- sgd-average-loss

def _project_ball(x):
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(n, 1.0)


def sgd_simulation(T: int = 5000, seed: int = 2023):
    r"""Projected SGD on the unit ball of R^5 for \(L_t(\theta)=|a_t\cdot\theta-b_t|\), \(\|a_t\|=1\):
    running average regret for \(\eta_t=\alpha/\sqrt t\), \(\alpha=D/(\sqrt2 G)\), and the C1 bound."""
    rng = np.random.default_rng(seed)
    d, D, G = 5, 2.0, 1.0
    a = rng.standard_normal((T, d))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    theta0 = _project_ball(rng.standard_normal(d)) * 0.6
    b = a @ theta0 + 0.3 * rng.standard_normal(T)
    star, avg = np.zeros(d), np.zeros(d)  # comparator: minimiser of the full average (projected subgradient)
    for i in range(1, 3001):
        star = _project_ball(star - 0.5 / math.sqrt(i) * (np.sign(a @ star - b) @ a) / T)
        avg += (star - avg) / i
    star = avg
    alpha = D / (math.sqrt(2) * G)
    eta = alpha / np.sqrt(np.arange(1, T + 1))
    theta, regret = np.zeros(d), np.empty(T)
    for t in range(T):
        loss = a[t] @ theta - b[t]
        regret[t] = abs(loss) - abs(a[t] @ star - b[t])
        theta = _project_ball(theta - eta[t] * np.sign(loss) * a[t])
    ts = np.arange(1, T + 1)
    avg_regret = np.cumsum(regret) / ts
    bound = D ** 2 / (2 * ts * eta) + G ** 2 / (2 * ts) * np.cumsum(eta)
    return ts, avg_regret, bound, D, G, alpha


def sgd_average_loss(outdir) -> list:
    plt = pyplot()
    ts, avg_regret, bound, D, G, alpha = sgd_simulation()
    fig, ax = plt.subplots(figsize=(7.0, 4.0))
    ax.loglog(ts, bound, color="#cf222e", label=r"bound $\frac{D^2}{2T\eta_T}+\frac{G^2}{2T}\sum_{t\leq T}\eta_t$")
    ax.loglog(ts, D ** 2 / (2 * alpha * np.sqrt(ts)) + G ** 2 * alpha / np.sqrt(ts), color="#cf222e", ls=":",
              label=r"closed form $\frac{D^2}{2\alpha\sqrt{T}}+\frac{G^2\alpha}{\sqrt{T}}$")
    pos = avg_regret > 0
    ax.loglog(ts[pos], avg_regret[pos], ".", ms=1.5, color="#0550ae",
              label=r"average regret $\frac{1}{T}\sum_t[L_t(\theta_t)-L_t(\theta^*)]$ (where positive)")
    _label(ax, "number of steps $T$", "average loss gap", r"Projected SGD, unit ball in $\mathbb{R}^5$, "
           r"$L_t=|a_t\cdot\theta-b_t|$, $\eta_t=\alpha/\sqrt{t}$, seed 2023", legend={"fontsize": 8, "loc": "upper right"},
           grid="both")
    caption = (r"Average-loss bound for projected SGD: unit ball in $\mathbb{R}^5$ ($D=2$), losses "
               r"$L_t(\theta)=|a_t\cdot\theta-b_t|$ with $\|a_t\|=1$ ($G=1$), $\eta_t=\alpha/\sqrt t$, "
               r"$\alpha=D/(\sqrt2G)$, comparator $\theta^*$ the minimiser of the average loss over all 5000 "
               r"samples. The average regret (dots; negative values, possible because $\theta^*$ is fixed in "
               r"advance, are not drawn) stays below the bound at every $T$; both fall like $T^{-1/2}$ and the "
               r"bound is loose by a roughly constant factor.")
    assert np.all(avg_regret <= bound)
    return [(_save(fig, outdir, "sgd-average-loss.png"), caption)]


# ------------------------------------------------------------------------------ integral-test

def bump_integral(x_max: int) -> np.ndarray:
    r"""\(\int_1^X e^{-x^4\sin^2\pi x}dx\) for \(X=1..x_{\max}\): Gauss-Legendre on each unit cell,
    refined geometrically around the integer where the bump of width \(\sim1/(\pi n^2)\) sits."""
    nodes, weights = np.polynomial.legendre.leggauss(30)

    def quad(lo, hi):
        x = (hi - lo) / 2 * nodes + (hi + lo) / 2
        return (hi - lo) / 2 * weights @ np.exp(-x ** 4 * np.sin(np.pi * x) ** 2)

    def around(n, lo, hi):  # integral over [lo, hi] containing n, breakpoints at n +- 2^k/(pi n^2)
        width = 1 / (math.pi * n * n)
        cuts = [n]
        k = width
        while k < 0.5:
            cuts += [n - k, n + k]
            k *= 2
        cuts = sorted(c for c in set(cuts + [lo, hi]) if lo <= c <= hi)
        return sum(quad(p, q) for p, q in zip(cuts, cuts[1:]))

    out = [0.0]
    for n in range(1, x_max):
        out.append(out[-1] + around(n, n, n + 0.5) + around(n + 1, n + 0.5, n + 1))
    return np.array(out)


def integral_test_sums(outdir) -> list:
    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(11.0, 3.6))
    n = np.arange(1, 41)
    s2 = np.cumsum(1.0 / n ** 2)
    ax = axes[0]
    ax.fill_between(n, 1 - 1 / (n + 1), 2 - 1 / n, color="#ddf4ff", label="integral-test bounds")
    ax.plot(n, s2, "o", ms=3, color="#0550ae", label=r"$S_N=\sum_{n\leq N}n^{-2}$")
    ax.axhline(math.pi ** 2 / 6, color="black", ls=":", lw=1, label=r"$\zeta(2)=\pi^2/6$")
    _label(ax, "$N$", None, r"$f=x^{-2}$: $\int_1^{N+1}f\leq S_N\leq f(1)+\int_1^Nf$", 9,
           {"fontsize": 7, "loc": "lower right"})
    m = np.unique(np.geomspace(1, 1e4, 80).astype(int))
    h = np.cumsum(1.0 / np.arange(1, 10001))[m - 1]
    ax = axes[1]
    ax.fill_between(m, np.log(m + 1), 1 + np.log(m), color="#ddf4ff", label="integral-test bounds")
    ax.plot(m, h, "o", ms=3, color="#0550ae", label=r"$H_N=\sum_{n\leq N}1/n$")
    ax.set_xscale("log")
    _label(ax, "$N$", None, r"$f=1/x$: $\ln(N+1)\leq H_N\leq 1+\ln N\to\infty$", 9,
           {"fontsize": 7, "loc": "upper left"})
    x = np.arange(1, 31)
    ax = axes[2]
    ax.plot(x, x.astype(float), "o", ms=3, color="#cf222e", label=r"$S_N=\sum_{n\leq N}f(n)=N$")
    ax.plot(x, bump_integral(30), color="#0550ae", lw=2, label=r"$\int_1^N f\to0.5754$")
    ax.set_yscale("log")
    _label(ax, "$N$", None, r"not monotone: $f=e^{-x^4\sin^2\pi x}$", 9, {"fontsize": 7, "loc": "center right"})
    caption = (r"Integral test. Left: partial sums of $\sum n^{-2}$ stay between $\int_1^{N+1}x^{-2}dx$ and "
               r"$1+\int_1^Nx^{-2}dx$ and converge to $\zeta(2)$, not to the integral $1$. Middle: the harmonic "
               r"partial sums stay between $\ln(N+1)$ and $1+\ln N$, so they diverge with the integral. Right: "
               r"without monotonicity the test fails: $f(x)=e^{-x^4\sin^2\pi x}$ has $f(n)=1$, so the series "
               r"diverges, while $\int_1^\infty f\approx0.5754$ is finite.")
    return [(_save(fig, outdir, "integral-test-sums.png"), caption)]


PLOTS = {
    "hippo": [hippo_reconstruction, hippo_ode_vs_projection],
    "rope": [rope_decay],
    "attention-scale": [attention_variance, attention_alpha_star],
    "batch-size-lr": [batch_eta_star],
    "sgd-average-loss": [sgd_average_loss],
    "integral-test": [integral_test_sums],
}
