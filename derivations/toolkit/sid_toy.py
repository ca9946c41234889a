r"""The Gaussian toy of Score identity Distillation (SiD): data, generator, optimal noise predictors.

Diffusion \(x_t=a\,x_0+b\,\varepsilon\) (\(a=\bar\alpha_t\), \(b=\bar\beta_t\), \(\varepsilon\sim\mathcal N(0,1)\)); teacher data
\(\mathcal N(\mu_T,s_T^2)\); a linear generator \(g_\theta(z)=\theta_1+\theta_2z\), \(z\sim\mathcal N(0,1)\), whose samples are
\(\mathcal N(\theta_1,\theta_2^2)\).  For data \(\mathcal N(\mu,s^2)\) the optimal \(\epsilon\)-predictor is the linear regression

\[\mathbb E[\varepsilon\mid x_t=x]=\frac{b\,(x-a\mu)}{a^2s^2+b^2}\]

(:func:`predictor`; its slope :func:`gain`).  The reference point of the catalog cards is :data:`REF`.

Used by ``sid1`` and ``sid2`` (cards sid1-C2, sid2-C1, sid2-C2).
"""
from __future__ import annotations

import sympy as sp

from derivations.engine import positive, real

a, b = sp.symbols("a b", positive=True)         # alpha-bar, beta-bar
mu_T = sp.Symbol("mu_T", real=True)
s_T = sp.Symbol("s_T", positive=True)
theta1 = sp.Symbol("theta_1", real=True)
theta2 = sp.Symbol("theta_2", positive=True)
z, eps = sp.symbols("z varepsilon", real=True)  # the generator's latent and the diffusion noise
NORMALS = (z, eps)

TOY_DOMAINS = {a: positive(1.0), b: positive(1.0), mu_T: real(-2, 2), s_T: positive(3.0), theta1: real(-2, 2),
               theta2: positive(3.0)}
REF = {a: sp.Rational(4, 5), b: sp.Rational(3, 5), mu_T: 1, s_T: 2, theta1: sp.Rational(1, 2), theta2: 1}


def gain(sd):
    r"""The slope \(b/(a^2s^2+b^2)\) of the optimal \(\epsilon\)-predictor for data of standard deviation \(s\)."""
    return b / (a ** 2 * sd ** 2 + b ** 2)


def predictor(point, mean, sd):
    r"""\(\epsilon^*(x)=\frac{b\,(x-a\mu)}{a^2s^2+b^2}=\mathbb E[\varepsilon\mid x_t=x]\) for data \(\mathcal N(\mu,s^2)\)."""
    return gain(sd) * (point - a * mean)


def noisy_sample(p1=theta1, p2=theta2):
    r"""The noisy generator sample \(x_t=a(p_1+p_2z)+b\varepsilon\) (the generator's parameters, or a frozen copy)."""
    return a * (p1 + p2 * z) + b * eps
