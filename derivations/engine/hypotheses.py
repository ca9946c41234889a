"""Dropped hypotheses: rerun a claim with one of its hypotheses removed.

A theorem's hypotheses earn their place when the statement fails without them.  For each
hypothesis of a claim, a :class:`Hypothesis` says how the claim reads without it:

* ``relax={symbol: (weaker_symbol, domain)}``: the hypothesis is a restriction on a symbol
  (its SymPy assumptions and its sampling domain).  Dropping it substitutes a less-assumed
  symbol over a wider domain and discards the exact certificate (which relied on the
  assumption); the inequality search, with its descent towards the boundary, then looks
  for a violation;
* ``build``: the statement without the hypothesis built differently (another construction,
  an instance that violates the hypothesis, a quantity computed by simulation).

:func:`dropped` turns them into claims ``<id>/drop:<name>``.  A needed hypothesis gives a
negative control, which must come out *refuted* with its witness; one declared
``needed=False`` gives a claim that must still hold (the hypothesis is implied by the
others).  :func:`rerun` verifies them on their own, for a report outside a derivation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from derivations.engine.claims import Claim, Identity, Inequality


@dataclass(frozen=True)
class Hypothesis:
    """One hypothesis of a claim: ``latex`` is the claim's own hypothesis string, ``name`` a
    short label (``H4``); see the module docstring for ``relax`` and ``build``; ``note``
    says what happens without it."""

    name: str
    latex: str
    relax: dict = field(default_factory=dict)
    build: Callable | None = None
    needed: bool = True
    note: str = ""


def relaxed(stmt, relax: dict):
    """``stmt`` with each symbol of ``relax`` replaced by its weaker symbol and wider domain;
    an inequality loses its certificate."""
    swap = {old: new for old, (new, _dom) in relax.items()}
    variables = {swap.get(s, s): d for s, d in stmt.variables.items()}
    variables.update({new: dom for new, dom in relax.values()})
    if isinstance(stmt, Inequality):
        return Inequality(stmt.lhs.xreplace(swap), stmt.rel, stmt.rhs.xreplace(swap), variables,
                          certificate=None, points=stmt.points)
    if isinstance(stmt, Identity):
        return Identity(stmt.lhs.xreplace(swap), stmt.rhs.xreplace(swap), variables, stmt.points)
    raise TypeError(f"cannot relax a {type(stmt).__name__}")


def _without(base: Claim, h: Hypothesis) -> Claim:
    if h.latex not in base.hypotheses:
        raise ValueError(f"{base.id}: {h.latex!r} is not one of its hypotheses")
    if h.relax:
        build = (lambda: relaxed(base.build(), h.relax))
    elif h.build is not None:
        build = h.build
    else:
        raise ValueError(f"{base.id}: hypothesis {h.name} needs relax= or build=")
    fate = "holds" if not h.needed else "fails"
    doc = (f"{base.id} without the hypothesis {h.name} (\\({h.latex}\\)): the statement {fate}. "
           + (h.note or "")).strip()
    return Claim(
        id=f"{base.id}/drop:{h.name}",
        statement=f"{base.statement}\\\\ \\text{{without }} {h.latex}",
        build=build, doc=doc,
        hypotheses=tuple(x for x in base.hypotheses if x != h.latex),
        uses=(base.id,), strategies=base.strategies, symbolic=base.symbolic, digits=base.digits,
        kind="dropped hypothesis")


def dropped(base: Claim, hypotheses) -> tuple[tuple, tuple]:
    """``(controls, claims)``: one control ``<id>/drop:<name>`` per needed hypothesis (must be
    refuted) and one claim per hypothesis declared not needed (must hold)."""
    made = [(h, _without(base, h)) for h in hypotheses]
    return (tuple(c for h, c in made if h.needed), tuple(c for h, c in made if not h.needed))


def undropped(base: Claim, hypotheses) -> list[str]:
    """The claim's hypotheses that no :class:`Hypothesis` covers (should be empty)."""
    covered = {h.latex for h in hypotheses}
    return [x for x in base.hypotheses if x not in covered]


def rerun(base: Claim, hypotheses, digits: int = 30, seed: int = 0, timeout: float = 10.0) -> list:
    """Verify ``base`` without each hypothesis in turn: ``[(name, needed, ClaimResult)]``.
    A needed hypothesis is confirmed by a ``refuted`` result, whose counterexample is the
    witness."""
    from derivations.engine.verify import verify_claim
    return [(h.name, h.needed, verify_claim(_without(base, h), digits, seed, timeout)) for h in hypotheses]

