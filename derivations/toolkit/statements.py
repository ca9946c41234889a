r"""Builders for claim statements shared by posts: a one-point domain, a conjunction of labelled identities (one
per step of a derivation: what SymPy computes against the post's closed form, each part decided on its own), and
the joining of such conjunctions with single labelled statements.  They only assemble
:class:`~derivations.engine.All`; the engine decides every part."""
from __future__ import annotations

from derivations.engine import All, Identity, real


def at(v):
    """The one-point domain \\(\\{v\\}\\): a parameter the post fixes (for positive symbols too, \\(v>0\\))."""
    return real(v, v)


def parts(rows, variables=None, points=3) -> All:
    """``All`` of one :class:`~derivations.engine.Identity` per ``(label, lhs, rhs)`` row, over ``variables``."""
    return All(tuple(Identity(lhs, rhs, variables or {}, points) for _, lhs, rhs in rows),
               tuple(label for label, _, _ in rows))


def joined(*statements) -> All:
    """Several ``All`` and ``(label, statement)`` pairs as one conjunction, in order."""
    out, labels = [], []
    for s in statements:
        for label, part in (s.labelled() if isinstance(s, All) else [s]):
            labels.append(label)
            out.append(part)
    return All(tuple(out), tuple(labels))
