"""Sampling domains for free symbols, consistent with their SymPy assumptions.

A :class:`Domain` says where a symbol's numeric test points are drawn from.  Points are
drawn from a seeded :class:`random.Random` so that every run with the same seed tests the
same points.  Real points are binary floats, hence exactly representable at every mpmath
precision: the two-precision comparison evaluates both sides at *the same* point.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

from numeric.errors import DomainError


@dataclass(frozen=True)
class Domain:
    """An interval of the reals (``kind='real'``), of the integers (``'integer'``), or a
    square box of the complex plane (``'complex'``: real and imaginary parts in [lo, hi])."""

    lo: float
    hi: float
    kind: str = "real"
    open_lo: bool = False

    def __post_init__(self):
        if self.kind not in ("real", "integer", "complex"):
            raise DomainError(f"unknown domain kind {self.kind!r}")
        if self.kind == "integer":  # the integers inside [lo, hi]
            object.__setattr__(self, "lo", float(math.ceil(self.lo)))
            object.__setattr__(self, "hi", float(math.floor(self.hi)))
        if not (self.lo <= self.hi):
            raise DomainError(f"empty domain [{self.lo}, {self.hi}]")

    def sample(self, rng: random.Random):
        if self.kind == "integer":
            return rng.randint(int(self.lo), int(self.hi))
        if self.kind == "complex":
            return complex(rng.uniform(self.lo, self.hi), rng.uniform(self.lo, self.hi))
        x = rng.uniform(self.lo, self.hi)
        while self.open_lo and x == self.lo:
            x = rng.uniform(self.lo, self.hi)
        return x

    def describe(self) -> str:
        if self.kind == "integer":
            return f"{{{int(self.lo)},...,{int(self.hi)}}}"
        if self.kind == "complex":
            return f"re, im in [{self.lo:g}, {self.hi:g}]"
        return f"{'(' if self.open_lo else '['}{self.lo:g}, {self.hi:g}]"


def real(lo: float, hi: float) -> Domain:
    """Closed real interval [lo, hi]."""
    return Domain(float(lo), float(hi), "real")


def at(v: float) -> Domain:
    r"""The one-point domain \(\{v\}\): a parameter the statement fixes."""
    return Domain(float(v), float(v), "real")


def positive(hi: float = 3.0) -> Domain:
    """The interval (0, hi]."""
    return Domain(0.0, float(hi), "real", open_lo=True)


def integers(lo: int, hi: int) -> Domain:
    """The integers lo, ..., hi."""
    return Domain(float(lo), float(hi), "integer")


def complex_box(r: float = 2.0) -> Domain:
    """Complex numbers with real and imaginary parts in [-r, r]."""
    return Domain(-float(r), float(r), "complex")


def default_domain(symbol) -> Domain:
    """The sampling domain implied by a SymPy symbol's assumptions.

    A symbol without assumptions is complex in SymPy, so it is sampled in the complex plane:
    an identity that holds only on the reals is not accepted unless the symbol says so.
    """
    a = symbol.assumptions0
    if a.get("integer"):
        if a.get("positive"):
            return integers(1, 20)
        if a.get("nonnegative"):
            return integers(0, 20)
        if a.get("negative"):
            return integers(-20, -1)
        return integers(-10, 10)
    if a.get("positive"):
        return positive(3.0)
    if a.get("nonnegative"):
        return real(0.0, 3.0)
    if a.get("negative"):
        return real(-3.0, -3e-9)  # mirrors positive(): 0 is excluded, also at the domain's corners
    if a.get("nonpositive"):
        return real(-3.0, 0.0)
    if a.get("real"):
        return real(-3.0, 3.0)
    return complex_box(2.0)


def check_consistent(symbol, domain: Domain) -> None:
    """Raise :class:`DomainError` when ``domain`` contains points the assumptions exclude."""
    a = symbol.assumptions0
    name = symbol.name
    if domain.kind == "complex" and a.get("real"):
        raise DomainError(f"{name} is real but its domain is complex")
    if domain.kind != "integer" and a.get("integer"):
        raise DomainError(f"{name} is an integer but its domain is an interval of reals")
    if domain.kind == "complex":
        return
    lo, hi = domain.lo, domain.hi
    if a.get("positive") and (lo < 0 or (lo == 0 and not domain.open_lo and domain.kind != "integer")
                              or (domain.kind == "integer" and lo < 1)):
        raise DomainError(f"domain of {name} contains values that are not positive")
    if a.get("nonnegative") and lo < 0:
        raise DomainError(f"domain of {name} contains negative values")
    if a.get("negative") and hi >= 0:
        raise DomainError(f"domain of {name} contains values that are not negative")
    if a.get("nonpositive") and hi > 0:
        raise DomainError(f"domain of {name} contains positive values")


def draw_points(domains: dict, count: int, seed: int) -> list[dict]:
    """``count`` seeded points, each a mapping symbol -> value.

    With no free symbols there is one (empty) point.  Points excluded by strict assumptions
    (a nonzero symbol drawn at 0) are redrawn.
    """
    rng = random.Random(seed)
    if not domains:
        return [{}]
    ordered = sorted(domains.items(), key=lambda kv: kv[0].name)
    points = []
    for _ in range(count):
        point = {}
        for sym, dom in ordered:
            v = dom.sample(rng)
            while sym.is_nonzero and v == 0 and (dom.lo, dom.hi) != (0, 0):
                v = dom.sample(rng)
            point[sym] = v
        points.append(point)
    return points
