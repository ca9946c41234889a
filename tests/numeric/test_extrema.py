"""Maxima at the working precision (numeric.extrema.py): a smooth maximum to full precision, a kink,
and an end point."""
import mpmath
from numeric.extrema import golden_max, maximize


def test_smooth_maximum_to_full_precision():
    with mpmath.workdps(40):
        x, v = maximize(lambda t: t * mpmath.exp(-t), 0, 5)   # max 1/e at t = 1
        assert abs(x - 1) < mpmath.mpf(10) ** -35 and abs(v - 1 / mpmath.e) < mpmath.mpf(10) ** -35


def test_maximum_at_an_end_is_the_end():
    with mpmath.workdps(30):
        x, v = maximize(lambda t: t, 0, 2)
        assert (x, v) == (2, 2)


def test_kink_maximum_by_golden_section():
    with mpmath.workdps(40):
        x, v = golden_max(lambda u: abs(u / mpmath.sqrt(u * u + 1) - min(u, 1)), 0, 10)
        assert abs(x - 1) < mpmath.mpf(10) ** -30 and abs(v - (1 - 1 / mpmath.sqrt(2))) < mpmath.mpf(10) ** -30
