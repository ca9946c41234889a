"""mpmath numerics for :mod:`derivations.attnrnn`: causal softmax attention in three forms."""
from __future__ import annotations

import mpmath


def forms(q, k, v, rescale=True):
    """Outputs \\(o_1..o_L\\) (flattened) of causal softmax attention computed (a) directly, (b) by the online-softmax
    recurrence over keys \\(1..i\\) with a running maximum (state rescaled by \\(e^{m_{old}-m_{new}}\\) unless
    ``rescale`` is false), (c) by the post's recurrence over keys \\(i..1\\)."""
    mp = lambda a: [[mpmath.mpf(float(x)) for x in row] for row in a]  # noqa: E731
    q, k, v = mp(q), mp(k), mp(v)
    direct, online, reverse = [], [], []
    for i in range(len(q)):
        s = [mpmath.fdot(q[i], k[j]) for j in range(i + 1)]
        w = [mpmath.exp(x) for x in s]
        z = mpmath.fsum(w)
        direct += [mpmath.fsum(w[j] * v[j][c] for j in range(i + 1)) / z for c in range(len(v[0]))]
        m, y, zz = s[0], list(v[0]), mpmath.mpf(1)
        for j in range(1, i + 1):
            m_new = max(m, s[j])
            scale = mpmath.exp(m - m_new) if rescale else 1
            e = mpmath.exp(s[j] - m_new)
            y = [a * scale + e * b for a, b in zip(y, v[j])]
            zz = zz * scale + e
            m = m_new
        online += [a / zz for a in y]
        yr, zr = [mpmath.mpf(0)] * len(v[0]), mpmath.mpf(0)
        for j in range(i, -1, -1):
            yr = [a + w[j] * b for a, b in zip(yr, v[j])]
            zr += w[j]
        reverse += [a / zr for a in yr]
    return direct, online, reverse
