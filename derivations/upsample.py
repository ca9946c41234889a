r"""Generative diffusion models (23): signal-to-noise ratio and high-resolution generation (part II).

Post: 苏剑林 (Su Jianlin), 《生成扩散模型漫谈（二十三）：信噪比与大图生成（下）》, 2024-04-17,
https://kexue.fm/archives/10055 (Hwang, Park, Jo, "Upsample Guidance", arXiv:2404.01709).
\(\mathcal D\): \(s\times s\) average pooling, \(\mathcal U\): nearest-neighbour upsampling, \(x_t=\bar\alpha_tx_0+\bar\beta_t\varepsilon\).

Main results:

* ``upsample.C1.*``: pooling averages \(s^2\) iid unit noises, so \(\mathcal D[x_t]\overset d=\bar\alpha_t\mathcal D[x_0]+\frac{\bar\beta_t}s\varepsilon'\)
  and the SNR rises by \(s^2\); \(\mathcal D\circ\mathcal U=\mathrm{Id}\), \(\mathcal U\circ\mathcal D\) idempotent (proved; Monte Carlo checked).
* ``upsample.C2.*``: with \(\rho_t=\sqrt{\bar\alpha_t^2+\bar\beta_t^2/s^2}\) the rescaled pooled input is a variance-preserving
  input at the time \(\tau\) with \(\mathrm{SNR}(\tau)=s^2\mathrm{SNR}(t)\); for the cosine schedule
  \(\tau=\frac2\pi\arctan(\tan(\pi t/2)/s)\) (proved in \(u=\tan(\pi t/2)\); grid checked in \(t\)).
* ``upsample.C3.*``: the guidance algebra \((1+w)\epsilon^{\mathrm{approx}}-w\epsilon_\theta=\epsilon_\theta+(1+w)\mathcal U[\frac1s\epsilon_\theta(\mathcal D[x_t]/\rho_t,\tau)
  -\mathcal D[\epsilon_\theta]]\) (proved), and \(\epsilon^{\mathrm{approx}}=\varepsilon\) exactly when both predictions are perfect (the
  \(1/s\) is the pooled-noise scale).  "\(\epsilon^{\mathrm{high}}\approx\epsilon^{\mathrm{approx}}\)", \(w\approx0.2\) and the
  CNN/Transformer difference are empirical and not checked.
"""
from __future__ import annotations

import sympy as sp

from derivations.engine import Derivation, Identity, claim, control
from numeric.identity import NumericOutcome
from numeric.sampling import integers, positive, real
from numeric.upsample import guidance_residual, pooled_noise_stats

S = 2          # the pooling factor of the explicit operator checks
HIGH = 4       # high-resolution side of the symbolic arrays

s_int = sp.Symbol("s", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
alpha, beta, s, w = sp.symbols("alpha beta s w", positive=True)
DOMAINS = {alpha: positive(1.0), beta: positive(1.0), s: real(1, 4), w: positive(1.0), s_int: integers(1, 8)}

P = sp.kronecker_product(sp.eye(HIGH // S), sp.Matrix([[sp.Rational(1, S)] * S]))   # (2 x 4): block means
Q = sp.kronecker_product(sp.eye(HIGH // S), sp.ones(S, 1))                          # (4 x 2): repeat


def pool(X):
    r"""\(\mathcal D[X]=PXP^\top\): \(2\times2\) average pooling of a \(4\times4\) array."""
    return P * X * P.T


def up(Y):
    r"""\(\mathcal U[Y]=QYQ^\top\): nearest-neighbour upsampling of a \(2\times2\) array."""
    return Q * Y * Q.T


def sym_array(name, n):
    """An ``n x n`` array of independent real symbols."""
    return sp.Matrix(n, n, lambda r, c: sp.Symbol(f"{name}_{r}{c}", real=True))


# ---- C1 ---------------------------------------------------------------------------------------------

@claim("upsample.C1.pooled_noise",
       r"\operatorname{Var}\Big(\frac1{s^2}\sum_{i=1}^{s^2}\varepsilon_i\Big)=\frac1{s^2},\qquad"
       r"\frac{\bar\alpha_t^2}{\bar\beta_t^2/s^2}=s^2\,\frac{\bar\alpha_t^2}{\bar\beta_t^2}",
       hypotheses=(r"\varepsilon_i\ \text{iid}\ \mathcal N(0,1)",))
def c1_pooled_noise():
    r"""A pooled pixel of unit white noise is the mean of \(s^2\) independent unit normals: its variance is
    \(s^2\cdot s^{-4}=s^{-2}\); disjoint blocks are independent, so \(\mathcal D[\varepsilon]=\varepsilon'/s\) with \(\varepsilon'\) iid
    \(\mathcal N(0,1)\) at low resolution, and the signal-to-noise ratio is multiplied by \(s^2\)."""
    var = sp.Sum((1 / s_int ** 2) ** 2, (i, 1, s_int ** 2))
    snr = alpha ** 2 / (beta / s) ** 2
    return Identity(sp.Matrix([var, snr]), sp.Matrix([1 / s_int ** 2, s ** 2 * alpha ** 2 / beta ** 2]),
                    variables=DOMAINS)


@claim("upsample.C1.operators",
       r"\mathcal D\circ\mathcal U=\mathrm{Id},\qquad(\mathcal U\circ\mathcal D)^2=\mathcal U\circ\mathcal D\quad(s=2,\ 4\times4)")
def c1_operators():
    r"""Upsampling then pooling returns the low-resolution array; pooling then upsampling is a projection
    (idempotent), on symbolic arrays."""
    Y, X = sym_array("y", HIGH // S), sym_array("x", HIGH)
    UD = up(pool(X))
    # both statements stacked as one column of entries (the arrays have different shapes)
    return Identity(sp.Matrix([*pool(up(Y)), *up(pool(UD))]), sp.Matrix([*Y, *UD]), points=2)


MC = {"fields": 20000, "size": 8, "s": 2}


def _c1_monte_carlo(digits, seed):
    var, se_var, corr, se_corr = pooled_noise_stats(MC["fields"], MC["size"], MC["s"], seed)
    ok = abs(var - 0.25) <= 4 * se_var and abs(corr) <= 4 * se_corr
    detail = (f"MC {MC['fields']} fields {MC['size']}x{MC['size']}, s=2, seed {seed}: pooled variance {var:.5f} "
              f"(pred 0.25, 4SE {4 * se_var:.5f}); neighbour correlation {corr:.4f} (pred 0, 4SE {4 * se_corr:.4f})")
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("upsample.C1.monte_carlo", r"\operatorname{Var}\mathcal D[\varepsilon]\approx0.25,\ \operatorname{corr}\approx0\quad(s=2)",
       symbolic=False, cross_check=_c1_monte_carlo, uses=("upsample.C1.pooled_noise",))
def c1_monte_carlo():
    r"""Monte Carlo on \(2\cdot10^4\) white-noise fields of \(8\times8\) pixels: the pooled variance is \(1/4\) and
    neighbouring pooled pixels are uncorrelated, within 4 standard errors."""
    return None


@control("upsample.C1.std_over_s2", r"\text{pooled noise std }=\bar\beta_t/s^2\quad(\text{SNR factor }s^4)", symbolic=False)
def ctl_std_over_s2():
    r"""The pooled noise has standard deviation \(\bar\beta_t/s\), not \(\bar\beta_t/s^2\)."""
    return Identity(sp.Sum((1 / s_int ** 2) ** 2, (i, 1, s_int ** 2)), 1 / s_int ** 4,
                    variables={s_int: integers(2, 8)})


# ---- C2 ---------------------------------------------------------------------------------------------

def rho(a, b, scale=s):
    r"""\(\rho_t=\sqrt{\bar\alpha_t^2+\bar\beta_t^2/s^2}\)."""
    return sp.sqrt(a ** 2 + b ** 2 / scale ** 2)


@claim("upsample.C2.vp_rescaling",
       r"\Big(\frac{\bar\alpha_t}{\rho_t}\Big)^2+\Big(\frac{\bar\beta_t}{s\rho_t}\Big)^2=1,\quad"
       r"\frac{(\bar\alpha_t/\rho_t)^2}{(\bar\beta_t/(s\rho_t))^2}=s^2\,\frac{\bar\alpha_t^2}{\bar\beta_t^2}"
       r"\ \Longrightarrow\ \frac{\bar\alpha_t}{\rho_t}=\bar\alpha_\tau,\ \frac{\bar\beta_t}{s\rho_t}=\bar\beta_\tau",
       hypotheses=(r"\bar\alpha_\tau^2+\bar\beta_\tau^2=1\ \text{(VP model)}", r"\mathrm{SNR}(\tau)=s^2\,\mathrm{SNR}(t)"))
def c2_vp_rescaling():
    r"""\(\mathcal D[x_t]/\rho_t=\frac{\bar\alpha_t}{\rho_t}\mathcal D[x_0]+\frac{\bar\beta_t}{s\rho_t}\varepsilon'\) has coefficients on the unit circle
    with SNR \(s^2\mathrm{SNR}(t)\); a variance-preserving model's \((\bar\alpha_\tau,\bar\beta_\tau)\) is the unique positive pair on the
    unit circle with that SNR, so the rescaled pooled input is exactly in distribution at time \(\tau\)."""
    A, B = alpha / rho(alpha, beta), beta / (s * rho(alpha, beta))
    return Identity(sp.Matrix([A ** 2 + B ** 2, A ** 2 / B ** 2]), sp.Matrix([1, s ** 2 * alpha ** 2 / beta ** 2]),
                    variables=DOMAINS)


u = sp.Symbol("u", positive=True)


@claim("upsample.C2.cosine_schedule",
       r"\bar\alpha_t=\cos\tfrac{\pi t}2:\ \ \tau=\tfrac2\pi\arctan\Big(\frac{\tan(\pi t/2)}s\Big)\ \text{gives}\ "
       r"\bar\alpha_\tau=\frac{\bar\alpha_t}{\rho_t},\ \bar\beta_\tau=\frac{\bar\beta_t}{s\rho_t}",
       hypotheses=(r"u=\tan(\pi t/2)>0",), uses=("upsample.C2.vp_rescaling",))
def c2_cosine_schedule():
    r"""With \(u=\tan(\pi t/2)\): \(\bar\alpha_t=1/\sqrt{1+u^2}\), \(\bar\beta_t=u/\sqrt{1+u^2}\), and \(\pi\tau/2=\arctan(u/s)\), so
    \(\cos(\pi\tau/2)=s/\sqrt{s^2+u^2}=\bar\alpha_t/\rho_t\) and \(\sin(\pi\tau/2)=u/\sqrt{s^2+u^2}=\bar\beta_t/(s\rho_t)\).
    (A direct simplification in \(t\) does not close in SymPy; the substitution does.)"""
    a_t, b_t = 1 / sp.sqrt(1 + u ** 2), u / sp.sqrt(1 + u ** 2)
    half_pi_tau = sp.atan(u / s)
    return Identity(sp.Matrix([sp.cos(half_pi_tau), sp.sin(half_pi_tau)]),
                    sp.Matrix([a_t / rho(a_t, b_t), b_t / (s * rho(a_t, b_t))]), variables={**DOMAINS, u: positive(20.0)})


t = sp.Symbol("t", positive=True)


def cosine_tau(time, scale=s):
    r"""\(\tau(t)=\frac2\pi\arctan(\tan(\pi t/2)/s)\)."""
    return 2 / sp.pi * sp.atan(sp.tan(sp.pi * time / 2) / scale)


@claim("upsample.C2.cosine_grid",
       r"\cos\tfrac{\pi\tau(t)}2=\frac{\cos(\pi t/2)}{\rho_t},\ \ \sin\tfrac{\pi\tau(t)}2=\frac{\sin(\pi t/2)}{s\rho_t},\quad t\in(0,1)",
       symbolic=False, uses=("upsample.C2.cosine_schedule",))
def c2_cosine_grid():
    r"""The same statement directly in \(t\), evaluated at seeded points of \(t\in[0.02,0.98]\), \(s\in[1,4]\) at two precisions."""
    a_t, b_t = sp.cos(sp.pi * t / 2), sp.sin(sp.pi * t / 2)
    tau = cosine_tau(t)
    return Identity(sp.Matrix([sp.cos(sp.pi * tau / 2), sp.sin(sp.pi * tau / 2)]),
                    sp.Matrix([a_t / rho(a_t, b_t), b_t / (s * rho(a_t, b_t))]),
                    variables={t: real(0.02, 0.98), s: real(1, 4)}, points=4)


@claim("upsample.C2.reference", r"t=\tfrac12,\ s=2:\ \rho=\tfrac{\sqrt{10}}4,\ \ \tau=\tfrac2\pi\arctan\tfrac12=0.29516723530086654835\ldots")
def c2_reference():
    r"""Reference values: \(\rho=\sqrt{\tfrac12+\tfrac18}=\sqrt{10}/4\) and \(\tau=\frac2\pi\arctan\frac12\)."""
    half = sp.Rational(1, 2)
    a_t, b_t = sp.cos(sp.pi / 4), sp.sin(sp.pi / 4)
    return Identity(sp.Matrix([rho(a_t, b_t, 2), cosine_tau(half, 2)]),
                    sp.Matrix([sp.sqrt(10) / 4, 2 / sp.pi * sp.atan(half)]))


@control("upsample.C2.no_rescaling", r"\bar\alpha_\tau=\bar\alpha_t\ \text{(feeding }\mathcal D[x_t]\text{ without }1/\rho_t)",
         symbolic=False)
def ctl_no_rescaling():
    r"""Without \(1/\rho_t\) the pooled input's coefficients \((\bar\alpha_t,\bar\beta_t/s)\) are not on the unit circle."""
    return Identity(alpha ** 2 + (beta / s) ** 2, sp.Integer(1),
                    variables={alpha: real(0.2, 0.9), beta: real(0.2, 0.9), s: real(1.5, 4)})


@control("upsample.C2.snr_factor_s", r"\mathrm{SNR}(\tau)=s\,\mathrm{SNR}(t):\ \bar\alpha_\tau^2=\frac{s\bar\alpha_t^2}{s\bar\alpha_t^2+\bar\beta_t^2}"
         r"\overset?=\Big(\frac{\bar\alpha_t}{\rho_t}\Big)^2", symbolic=False)
def ctl_snr_factor_s():
    r"""With the SNR multiplied by \(s\) instead of \(s^2\), the VP time \(\tau\) no longer matches the rescaled input."""
    return Identity(s * alpha ** 2 / (s * alpha ** 2 + beta ** 2), (alpha / rho(alpha, beta)) ** 2,
                    variables={alpha: real(0.2, 0.9), beta: real(0.2, 0.9), s: real(1.5, 4)})


@control("upsample.C2.ve_schedule", r"\text{VE }(\bar\alpha\equiv1,\ \bar\beta_t=\sigma_t):\ \frac{1}{\rho_t}=\bar\alpha_\tau=1", symbolic=False)
def ctl_ve_schedule():
    r"""For a variance-exploding model (\(\bar\alpha_\tau\equiv1\)) the \(\rho\)-rescaling is not exact: \(1/\rho_t=1/\sqrt{1+\sigma_t^2/s^2}<1\)."""
    sigma = sp.Symbol("sigma", positive=True)
    return Identity(1 / rho(1, sigma), sp.Integer(1), variables={sigma: positive(10.0), s: real(1.5, 4)})


# ---- C3: guidance algebra -----------------------------------------------------------------------------

def eps_approx(eps_high, eps_low, scale=None, high_pass=True):
    r"""\(\epsilon^{\mathrm{approx}}=\frac1s\mathcal U[\epsilon_{\mathrm{low}}]+\epsilon_\theta-\mathcal U[\mathcal D[\epsilon_\theta]]\)."""
    scale = S if scale is None else scale
    out = up(eps_low) / scale + eps_high
    return out - up(pool(eps_high)) if high_pass else out


@claim("upsample.C3.guidance_algebra",
       r"(1+w)\,\epsilon^{\mathrm{approx}}-w\,\epsilon_\theta=\epsilon_\theta+(1+w)\,\mathcal U\Big[\tfrac1s\epsilon_\theta\big(\tfrac{\mathcal D[x_t]}{\rho_t},\tau\big)"
       r"-\mathcal D[\epsilon_\theta(x_t,t)]\Big]",
       hypotheses=(r"s=2,\ 4\times4\ \text{arrays of symbols}",))
def c3_guidance_algebra():
    r"""Linearity of \(\mathcal U\): the guided prediction is the high-resolution prediction plus \((1+w)\) times the upsampled
    difference between the rescaled low-resolution prediction and the pooled high-resolution one."""
    E, L = sym_array("e", HIGH), sym_array("l", HIGH // S)
    lhs = (1 + w) * eps_approx(E, L) - w * E
    rhs = E + (1 + w) * up(L / S - pool(E))
    return Identity(lhs, rhs, variables={w: positive(1.0)}, points=2)


@claim("upsample.C3.perfect_prediction",
       r"\epsilon_\theta(x_t,t)=\varepsilon,\ \epsilon_\theta\big(\tfrac{\mathcal D[x_t]}{\rho_t},\tau\big)=\varepsilon'=s\,\mathcal D[\varepsilon]"
       r"\ \Longrightarrow\ \epsilon^{\mathrm{approx}}=\varepsilon",
       uses=("upsample.C1.pooled_noise",))
def c3_perfect_prediction():
    r"""If both models predicted their noise exactly (the low-resolution noise is the unit-variance
    \(\varepsilon'=s\mathcal D[\varepsilon]\)), the approximation would return the high-resolution noise exactly: the \(1/s\) undoes
    the pooled-noise scale and the high-pass term removes the double-counted low frequencies."""
    E = sym_array("e", HIGH)
    return Identity(eps_approx(E, S * pool(E)), E, points=2)


def _c3_numpy(digits, seed):
    res, scale = guidance_residual(0.2, S, 8, seed)
    ok = res <= 64 * 2.2e-16 * max(1.0, scale)
    detail = f"random 8x8 float64 arrays (seed {seed}), w=0.2: max residual {res:.1e} (scale {scale:.2f})"
    return NumericOutcome("agree" if ok else "disagree", None, None if ok else {"text": detail}, detail)


@claim("upsample.C3.numpy_arrays", r"\text{the guidance identity on random }8\times8\text{ arrays (numpy pooling), }w=0.2",
       symbolic=False, cross_check=_c3_numpy, uses=("upsample.C3.guidance_algebra",))
def c3_numpy_arrays():
    r"""The identity with numpy's reshape-mean pooling and repeat upsampling (the implementation a user would write) on
    random float64 arrays: the residual is at rounding level (\(<64\) ulps)."""
    return None


@control("upsample.C3.no_inverse_s", r"\epsilon^{\mathrm{approx}}\ \text{without }1/s:\ \mathcal U[\varepsilon']+\varepsilon-\mathcal U\mathcal D[\varepsilon]=\varepsilon",
         symbolic=False)
def ctl_no_inverse_s():
    r"""Omitting \(1/s\) adds \((s-1)\mathcal U\mathcal D[\varepsilon]\): the low-frequency noise is \(s\) times too large (variance \(s^2\))."""
    E = sym_array("e", HIGH)
    return Identity(eps_approx(E, S * pool(E), scale=1), E)


@control("upsample.C3.no_high_pass",
         r"\epsilon^{\mathrm{approx}}=\tfrac1s\mathcal U[\epsilon_{\mathrm{low}}]+\epsilon_\theta\ \text{(no }-\mathcal U\mathcal D[\epsilon_\theta]):\ "
         r"\text{guidance identity}", symbolic=False)
def ctl_no_high_pass():
    r"""Dropping the high-pass correction counts the low frequencies twice; the guidance identity fails."""
    E, L = sym_array("e", HIGH), sym_array("l", HIGH // S)
    lhs = (1 + w) * eps_approx(E, L, high_pass=False) - w * E
    return Identity(lhs, E + (1 + w) * up(L / S - pool(E)), variables={w: positive(1.0)})


def results():
    return [
        ("Pooling and upsampling matrices (s=2)", r"P=" + sp.latex(P) + r",\quad Q=" + sp.latex(Q)),
        ("Cosine-schedule time shift", r"\tau=\tfrac2\pi\arctan\big(\tan(\pi t/2)/s\big),\quad\rho_t=\sqrt{\cos^2\tfrac{\pi t}2+\sin^2\tfrac{\pi t}2/s^2}"),
        ("Reference (t=1/2, s=2)", r"\tau=0.2951672353008665483508022,\quad\rho=\sqrt{10}/4=0.7905694150420948329997234"),
    ]


DERIVATION = Derivation(
    slug="upsample",
    title="Generative diffusion models (23): signal-to-noise ratio and high-resolution generation (part II)",
    source="https://kexue.fm/archives/10055",
    date="2024-04-17",
    summary=("Average pooling raises the SNR by s^2; a time shift tau and rescaling rho make the pooled input exactly "
             "in distribution for variance-preserving models; the upsample-guidance combination is exact linear "
             "algebra around a heuristic approximation."),
    claims=(c1_pooled_noise, c1_operators, c1_monte_carlo, c2_vp_rescaling, c2_cosine_schedule, c2_cosine_grid,
            c2_reference, c3_guidance_algebra, c3_perfect_prediction, c3_numpy_arrays),
    controls=(ctl_std_over_s2, ctl_no_rescaling, ctl_snr_factor_s, ctl_ve_schedule, ctl_no_inverse_s, ctl_no_high_pass),
    results=results,
)
