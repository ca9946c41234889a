r"""The claim language: statements, evidence, claims, negative controls, errata, derivations.

A **claim** is a *statement* (what the post says) plus *evidence* (what post code may supply to
help decide it).  Only the engine (:mod:`derivations.engine.verify`) turns the two into a
verdict; post code never builds a verdict or an outcome.

Statements (built by the claim's function, evaluated by the engine):

* :class:`Identity` ``lhs = rhs`` (expressions or explicit matrices);
* :class:`Inequality` ``lhs REL rhs`` with REL one of ``<=, <, >=, >``, optionally with an exact
  certificate for the margin;
* :class:`Approximation` ``exact ~ surrogate`` within a tolerance the post states (or the digits
  of a :func:`stated` number): measured, never proved;
* :class:`All`, a conjunction (:func:`family` builds one over instances of a structural
  parameter such as a matrix size \(N\)).

Every free symbol carries its hypotheses twice: as SymPy assumptions (used by the symbolic
phase) and as a sampling :class:`~numeric.sampling.Domain` (used by the numeric phase; symbols
without one are sampled from the domain their assumptions imply).  A finite domain such as
``integers(64, 64)`` *is* the set of instances at which a family is claimed.

Evidence (supplied by post code; the engine decides what it shows):

* **quantities** (:func:`quantity`): a named object the statement talks about that SymPy cannot
  express (an expectation, an ODE solution, a least-squares coefficient), with an ``exact``
  value (a SymPy expression the symbolic phase substitutes), a deterministic ``evaluator`` (an
  ODE solve, a quadrature, an independent implementation; judged at two precisions), a
  stochastic ``estimator`` (a Monte Carlo mean *with its standard error*, judged within
  :data:`~numeric.stochastic.SE_BAND` standard errors) and/or a rigorous ``enclosure``;
* **strategies** (``claim(..., strategies=(...))``): extra named rewrites the symbolic phase
  applies to the statement's own difference (each ``diff -> expr``; only an exact 0 proves);
* **certificates**: ``Inequality(..., certificate=c)``: the engine proves ``margin - c = 0`` and
  that ``c`` is manifestly nonnegative;
* **oracles** (:class:`Oracle`): an independent implementation of one side, compared by the
  engine with that side and recorded, never a substitute for evaluating the statement.

Negative controls are claims that must be *refuted*; an erratum pairs what a post says (must be
refuted) with the corrected statement (must hold).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

RELATIONS = ("<=", "<", ">=", ">")


@dataclass(frozen=True)
class Identity:
    r"""\(\mathrm{lhs} = \mathrm{rhs}\) for every value of the free symbols in their domains."""

    lhs: Any
    rhs: Any
    variables: dict = field(default_factory=dict)
    points: int = 6


@dataclass(frozen=True)
class Inequality:
    r"""\(\mathrm{lhs}\ \mathrm{rel}\ \mathrm{rhs}\) for every value of the free symbols."""

    lhs: Any
    rel: str
    rhs: Any
    variables: dict = field(default_factory=dict)
    certificate: Any = None
    points: int = 24

    def __post_init__(self):
        if self.rel not in RELATIONS:
            raise ValueError(f"unknown relation {self.rel!r}")


@dataclass(frozen=True)
class Stated:
    """A number as the post prints it: ``text`` (``"0.1078"``), its exact value and the
    tolerance its digits imply (half a unit in the last printed digit, or one unit when the
    post truncates, ``2.10974...``)."""

    text: str
    value: Any
    tolerance: Any


def stated(text: str, truncated: bool = False) -> Stated:
    r"""The decimal ``text`` as stated by the post: \(0.1078\) claims the value to within
    \(5\cdot10^{-5}\) (\(10^{-4}\) when ``truncated``, as in \(2.10974\ldots\))."""
    import sympy as sp
    t = text.strip().rstrip(".").replace("\u2026", "")
    mantissa = t.lstrip("+-").lower().split("e")[0]
    exp = int(t.lower().split("e")[1]) if "e" in t.lower() else 0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    ulp = sp.Rational(10) ** (exp - decimals)
    return Stated(text.strip(), sp.Rational(t), ulp if truncated else ulp / 2)


@dataclass(frozen=True)
class Approximation:
    r"""\(\mathrm{exact}\approx\mathrm{surrogate}\): \(|\mathrm{exact}-\mathrm{surrogate}|\le\) ``tolerance``
    (relative to \(|\mathrm{exact}|\) when ``relative``) on the whole domain.

    The tolerance is the post's: a stated bound ("within 5%"), or the digits of a
    :func:`stated` surrogate (then ``tolerance`` may be omitted).  Never proved; refuted when
    the gap exceeds the tolerance beyond the evaluation's own error."""

    exact: Any
    surrogate: Any
    tolerance: Any = None
    variables: dict = field(default_factory=dict)
    relative: bool = False
    points: int = 16
    stated_text: str = ""

    def __post_init__(self):
        s = self.surrogate
        if isinstance(s, Stated):
            object.__setattr__(self, "surrogate", s.value)
            object.__setattr__(self, "stated_text", s.text)
            if self.tolerance is None:
                object.__setattr__(self, "tolerance", s.tolerance)
        if self.tolerance is None:
            raise ValueError("an approximation needs the tolerance the post states (or a stated() number)")


@dataclass(frozen=True)
class All:
    """Every part holds: a conjunction of statements (``labels`` name the parts in messages,
    e.g. ``N=8``)."""

    parts: tuple
    labels: tuple = ()

    def __post_init__(self):
        if not self.parts:
            raise ValueError("All() needs at least one statement")
        if self.labels and len(self.labels) != len(self.parts):
            raise ValueError("one label per part")

    def labelled(self):
        labels = self.labels or tuple(f"part {i + 1}" for i in range(len(self.parts)))
        return list(zip(labels, self.parts))


def family(build: Callable, **instances) -> All:
    """The statement ``build(v)`` at each instance ``v`` of one structural parameter, e.g.
    ``family(lambda N: Identity(A(N), closed(N)), N=(2, 4, 8))``: a family over \\(N\\)
    claimed (and checked) at exactly these instances."""
    if len(instances) != 1:
        raise ValueError("family() takes exactly one parameter, e.g. N=(2, 4, 8)")
    (name, values), = instances.items()
    return All(tuple(build(v) for v in values), tuple(f"{name}={v}" for v in values))


def parts(rows, variables=None, points: int = 3) -> All:
    """One :class:`Identity` per ``(label, lhs, rhs)`` row (a derivation step: what SymPy computes
    against the post's closed form), over ``variables``, as a labelled conjunction."""
    return All(tuple(Identity(lhs, rhs, variables or {}, points) for _, lhs, rhs in rows),
               tuple(label for label, _, _ in rows))


def joined(*statements) -> All:
    """Several :class:`All` and ``(label, statement)`` pairs as one conjunction, in order."""
    out, labels = [], []
    for s in statements:
        for label, part in (s.labelled() if isinstance(s, All) else [s]):
            labels.append(label)
            out.append(part)
    return All(tuple(out), tuple(labels))


def quantity(name: str, *, exact: Callable | None = None, evaluator: Callable | None = None,
             estimator: Callable | None = None, enclosure: Callable | None = None, how: str = "",
             **assumptions):
    r"""A named quantity for statements: an undefined SymPy function (apply it to its arguments,
    ``Q(d)``, or to none, ``Q()``) whose class carries the evidence:

    * ``exact(*args) -> sympy expression``: the exact value (args are SymPy objects);
    * ``evaluator(*args) -> mpf | mpc | mpmath.matrix`` at the current ``mpmath.mp.dps`` (args
      are mpmath numbers): a deterministic computation, judged at two precisions;
    * ``estimator(*args, seed=seed) -> Estimate``: a stochastic estimate with its standard error;
    * ``enclosure(*args, digits=d) -> arb``: a rigorous ball (python-flint).

    ``how`` says in a few words how the value is obtained (shown with the verdict);
    ``assumptions`` are SymPy's (``real=True``, ``positive=True``).  The functions must be
    picklable (module-level functions or ``functools.partial``, not lambdas or closures): mutants
    and parallel workers send statements between processes."""
    import sympy as sp
    if not any((exact, evaluator, estimator, enclosure)):
        raise ValueError(f"quantity {name}: give at least one of exact, evaluator, estimator, enclosure")
    return sp.Function(name, exact=exact, evaluator=evaluator, estimator=estimator, enclosure=enclosure,
                       how=how, **assumptions)


def quantities(expr) -> list:
    """The applied quantities (see :func:`quantity`) occurring in ``expr``, in a fixed order (by
    their text: ``atoms`` is a set, whose order follows Python's hash salt, and the order shows in
    a claim's method text)."""
    import sympy as sp
    from sympy.core.function import AppliedUndef
    objs = list(expr) if isinstance(expr, sp.MatrixBase) else [expr]
    out = []
    for o in objs:
        if isinstance(o, sp.Basic):
            out += sorted((a for a in o.atoms(AppliedUndef) if _evidence(a)), key=sp.srepr)
    return list(dict.fromkeys(out))


def _evidence(node) -> bool:
    t = type(node)
    return any(getattr(t, k, None) is not None for k in ("exact", "evaluator", "estimator", "enclosure"))


@dataclass(frozen=True)
class Oracle:
    """An independent implementation of one ``side`` (``"lhs"`` or ``"rhs"``) of an identity:
    ``fn(point) -> value`` at the current ``mpmath.mp.dps`` (``point`` maps symbols to
    numbers).  The engine compares it with the statement's own side at the first sampled point
    (two-precision agreement, or within the absolute ``tolerance`` the post states for a float64
    or finite-difference implementation) and records the result; a disagreement makes the
    verdict unknown, an agreement never replaces evaluating the statement."""

    name: str
    fn: Callable
    side: str = "lhs"
    tolerance: float | None = None

    def __post_init__(self):
        if self.side not in ("lhs", "rhs"):
            raise ValueError("an oracle computes 'lhs' or 'rhs'")


@dataclass(frozen=True)
class Claim:
    """One named step of a derivation (or a negative control).

    ``build`` returns the statement (:class:`Identity`, :class:`Inequality`,
    :class:`Approximation` or :class:`All`).  Evidence: ``strategies`` (extra named rewrites of
    the statement's difference, tried first), ``oracles``; quantities and certificates live in
    the statement.  ``symbolic=False`` skips the symbolic phase (a claim SymPy cannot prove:
    say why in ``doc``); ``digits`` caps the requested agreement for a claim that cannot be
    checked beyond it (say why in ``doc``).
    """

    id: str
    statement: str
    build: Callable[[], Any]
    doc: str = ""
    hypotheses: tuple = ()
    uses: tuple = ()
    strategies: tuple = ()
    oracles: tuple = ()
    symbolic: bool = True
    digits: int | None = None
    kind: str = ""

    def __post_init__(self):
        if not callable(self.build):
            raise TypeError(f"claim {self.id}: build must be a function returning the statement")


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
    ``correct`` proved, certified or checked."""

    id: str
    post_says: Claim
    correct: Claim
    note: str = ""


@dataclass(frozen=True)
class Figure:
    r"""A figure a reader of the post would want: ``draw(fig)`` draws on a matplotlib
    ``Figure`` (axes labelled, units stated); ``caption`` says what it shows."""

    name: str
    caption: str
    draw: Callable


@dataclass(frozen=True)
class Derivation:
    """A post's derivation: its claims in order, its negative controls, its errata, and
    optionally derived results (``results() -> [(label, latex), ...]``, printed after the
    claims) and figures."""

    slug: str
    title: str
    source: str
    date: str
    summary: str
    claims: tuple
    controls: tuple = ()
    errata: tuple = ()
    results: Callable[[], list] | None = None
    figures: tuple = ()

    def __post_init__(self):
        ids = [c.id for c in self.all_claims()]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"{self.slug}: duplicate claim ids {sorted(dup)}")

    def all_claims(self) -> list:
        """Claims, controls, and both sides of every erratum."""
        out = list(self.claims) + list(self.controls)
        for e in self.errata:
            out += [e.post_says, e.correct]
        return out
