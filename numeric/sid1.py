"""Quadrature for the SiD post: the posterior mean of the noise, E[eps | x_t = x], for Gaussian-mixture data,
computed directly from its definition (no score formula)."""
from __future__ import annotations

import mpmath


def mixture_noise_posterior_mean(x, params: dict, dps: int):
    """``E[eps | x_t = x]`` for ``x_t = a x_0 + b eps``, ``x_0 ~ sum_i w_i N(m_i, s_i^2)``, ``eps ~ N(0, 1)``:

    ``int p_0(y) phi((x - a y)/b) (x - a y)/b dy / int p_0(y) phi((x - a y)/b) dy``

    by tanh-sinh quadrature over ``y``, one component at a time.  The quadrature nodes are placed around the
    bump of each component's integrand (centre and width of the product of the two Gaussians in ``y``), out to
    the width where the Gaussian tail falls below ``10^-(dps+5)``; the integrands themselves are the definitions,
    and normalising constants common to both integrals cancel."""
    with mpmath.workdps(dps):
        x = mpmath.mpf(x)
        a, b = mpmath.mpf(params["a"]), mpmath.mpf(params["b"])
        num = den = mpmath.mpf(0)
        for w, m, s in zip(params["weights"], params["means"], params["sds"]):
            w, m, s = mpmath.mpf(w), mpmath.mpf(m), mpmath.mpf(s)

            def joint(y, w=w, m=m, s=s):
                e = (x - a * y) / b
                return w / s * mpmath.exp(-((y - m) / s) ** 2 / 2 - e * e / 2)

            precision = 1 / s ** 2 + (a / b) ** 2
            centre = (m / s ** 2 + a * x / b ** 2) / precision
            width = 1 / mpmath.sqrt(precision)
            reach = int(mpmath.sqrt(2 * (dps + 5) * mpmath.log(10))) + 1
            # short pieces let tanh-sinh converge at a low degree
            nodes = [centre + k * width for k in (-reach, -reach / 2, -3, 0, 3, reach / 2, reach)]
            den += mpmath.quad(joint, nodes)
            num += mpmath.quad(lambda y: joint(y) * (x - a * y) / b, nodes)
        return num / den


def mixture_noise_posterior_mean_float(x: float, params: dict, nodes: int = 48) -> float:
    """The same posterior mean in float64 by composite Gauss-Legendre quadrature (numpy's ``leggauss`` nodes,
    ``nodes`` per piece) over the same pieces as :func:`mixture_noise_posterior_mean`: vectorised, about a
    millisecond, agreement with the exact value to ~1e-14."""
    import numpy as np
    gx, gw = np.polynomial.legendre.leggauss(nodes)
    a, b = float(params["a"]), float(params["b"])
    num = den = 0.0
    for w, m, s in zip(params["weights"], params["means"], params["sds"]):
        w, m, s = float(w), float(m), float(s)
        precision = 1 / s ** 2 + (a / b) ** 2
        centre = (m / s ** 2 + a * x / b ** 2) / precision
        edges = centre + np.array([-12, -6, -3, 0, 3, 6, 12]) / np.sqrt(precision)
        for lo, hi in zip(edges[:-1], edges[1:]):
            y = (hi - lo) / 2 * gx + (hi + lo) / 2
            e = (x - a * y) / b
            joint = w / s * np.exp(-((y - m) / s) ** 2 / 2 - e * e / 2) * (hi - lo) / 2
            den += float(gw @ joint)
            num += float(gw @ (joint * e))
    return num / den
