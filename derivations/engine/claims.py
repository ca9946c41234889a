"""The data model: statements, claims, negative controls, errata and derivations.

A *derivation* is an ordered collection of named claims.  A *claim* pairs a LaTeX statement
with a builder that returns the mathematical object to check:

* :class:`Identity` ``lhs = rhs`` (expressions or explicit matrices);
* :class:`Inequality` ``lhs REL rhs`` with REL one of ``<=, <, >=, >``, optionally with an
  exact certificate for ``rhs - lhs >= 0``;
* :class:`Approximation` ``exact ~ surrogate``: never proved, the gap is measured and must
  stay within the stated tolerance.

Every free symbol carries its hypotheses twice: as SymPy assumptions on the symbol (used by
the symbolic proof) and as a sampling :class:`~numeric.sampling.Domain` (used by the numeric
cross-check).  Symbols without an explicit domain are sampled from the domain their
assumptions imply.

Negative controls are claims that must be *refuted*; an erratum pairs what a post says
(refuted) with the corrected statement (proved or checked).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Identity:
    """\\(\\mathrm{lhs} = \\mathrm{rhs}\\) for every value of the free symbols in their domains."""

    lhs: Any
    rhs: Any
    variables: dict = field(default_factory=dict)
    points: int = 6


@dataclass(frozen=True)
class Inequality:
    """\\(\\mathrm{lhs}\\ \\mathrm{rel}\\ \\mathrm{rhs}\\) for every value of the free symbols."""

    lhs: Any
    rel: str
    rhs: Any
    variables: dict = field(default_factory=dict)
    certificate: Any = None
    points: int = 24

    def __post_init__(self):
        if self.rel not in ("<=", "<", ">=", ">"):
            raise ValueError(f"unknown relation {self.rel!r}")


@dataclass(frozen=True)
class Approximation:
    """\\(\\mathrm{exact} \\approx \\mathrm{surrogate}\\) with \\(|\\mathrm{exact}-\\mathrm{surrogate}| \\le\\) ``tolerance``
    (relative to \\(|\\mathrm{exact}|\\) when ``relative``) on the domain; the measured gap is reported."""

    exact: Any
    surrogate: Any
    tolerance: float
    variables: dict = field(default_factory=dict)
    relative: bool = False
    points: int = 16


@dataclass(frozen=True)
class Claim:
    """One named step of a derivation (or a negative control).

    ``build`` returns an :class:`Identity`, :class:`Inequality` or :class:`Approximation`.
    ``prove`` replaces the generic symbolic driver by an exact certificate of the claim's own
    (returning a :class:`~derivations.engine.symbolic.SymbolicOutcome`); ``cross_check``
    replaces the generic numeric test (``(digits, seed) -> NumericOutcome``), for Monte Carlo,
    ODE integration and other checks that are not a pointwise comparison.  ``digits`` caps the
    requested agreement for a claim that cannot be checked beyond it (say so in ``doc``).
    """

    id: str
    statement: str
    build: Callable[[], Any] | None = None
    doc: str = ""
    hypotheses: tuple = ()
    uses: tuple = ()
    prove: Callable | None = None
    cross_check: Callable | None = None
    symbolic: bool = True
    numeric: bool = True
    digits: int | None = None
    kind: str = "identity"


def claim(id: str, statement: str, **options) -> Callable[[Callable], Claim]:
    """Decorator: the decorated function builds the claim's statement; its docstring states
    the mathematics and becomes the claim's ``doc``."""

    def wrap(fn: Callable) -> Claim:
        return Claim(id=id, statement=statement.strip(), build=fn, doc=(fn.__doc__ or "").strip(), **options)

    return wrap


control = claim  # negative controls are claims that must be refuted; same constructor


@dataclass(frozen=True)
class Erratum:
    """A place where the post is wrong or imprecise: ``post_says`` must be refuted and
    ``correct`` proved or checked."""

    id: str
    post_says: Claim
    correct: Claim
    note: str = ""


@dataclass(frozen=True)
class Derivation:
    """A post's derivation: its claims in order, its negative controls and its errata.

    ``results`` (optional) returns ``[(label, latex), ...]``: derived objects printed by
    ``python cli.py latex SLUG`` after the claims (for example explicit matrices).
    """

    slug: str
    title: str
    source: str
    date: str
    summary: str
    claims: tuple
    controls: tuple = ()
    errata: tuple = ()
    results: Callable[[], list] | None = None
    plots: Callable[[Any], list] | None = None  # (outdir: Path) -> [(png file name, caption)] for `report`

    def __post_init__(self):
        ids = [c.id for c in self.claims] + [c.id for c in self.controls]
        for e in self.errata:
            ids += [e.post_says.id, e.correct.id]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"{self.slug}: duplicate claim ids {sorted(dup)}")
