r"""The ReFlow (rectified-flow) velocity that transports \(\mathcal N(0,1)\) onto \(\mathcal N(m,s^2)\).

With \(x_0\sim\mathcal N(0,1)\) and \(x_1\sim\mathcal N(m,s^2)\) independent and
\(x_t=(1-t)x_0+tx_1\), the conditional mean of \(x_1-x_0\) given \(x_t=x\) is the linear field

\[v^*(x,t)=m+\frac{ts^2-(1-t)}{(1-t)^2+t^2s^2}\,(x-tm),\]

whose ODE \(\dot X=v^*(X,t)\) from \(X_0=x_0\) follows \(X_t=tm+\sigma_tx_0\),
\(\sigma_t=\sqrt{(1-t)^2+t^2s^2}\).  The module holds the symbols \(m,s\) and these three
closed forms; the posts prove the properties.

Used by ``reflow`` (card reflow-C3) and ``shortcut`` (its flow map is this ODE's).
"""
from __future__ import annotations

import sympy as sp

m = sp.Symbol("m", real=True)
s = sp.Symbol("s", positive=True)


def sigma(time):
    r"""\(\sigma_t=\sqrt{(1-t)^2+t^2s^2}\), the standard deviation of \(x_t\) (and the flow's scale)."""
    return sp.sqrt((1 - time) ** 2 + time ** 2 * s ** 2)


def velocity(point, time):
    r"""\(v^*(x,t)=m+\frac{ts^2-(1-t)}{(1-t)^2+t^2s^2}(x-tm)\)."""
    return m + (time * s ** 2 - (1 - time)) / ((1 - time) ** 2 + time ** 2 * s ** 2) * (point - time * m)


def flow(start, time):
    r"""\(X_t=tm+\sigma_tx_0\), the solution of \(\dot X=v^*(X,t)\) from \(X_0=x_0\)."""
    return time * m + sigma(time) * start
