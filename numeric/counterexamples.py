r"""Counterexamples of the two-precision rule, in one JSON-able shape and one line of text.

:func:`counterexample` turns a disagreeing :class:`~numeric.identity.Comparison` at a point into
``{"at", "lhs", "rhs", "difference"}`` (plus ``"worst"``, the entry that differs most, for
matrices); numbers are short decimal strings (:func:`fmt`).  :func:`describe_counterexample`
gives the line the terminal prints.
"""
from __future__ import annotations

import mpmath

from numeric.identity import Comparison, _difference


def fmt(v, n: int = 15) -> str:
    """Short human-readable form of a numeric value (number, vector or matrix)."""
    if isinstance(v, mpmath.matrix):
        rows = [[mpmath.nstr(v[i, j], n) for j in range(v.cols)] for i in range(v.rows)]
        if v.rows * v.cols > 16:
            return f"<{v.rows}x{v.cols} matrix>"
        return "[" + "; ".join(", ".join(r) for r in rows) + "]"
    if isinstance(v, (list, tuple)):
        if len(v) > 16:
            return f"<{len(v)} values>"
        return "(" + ", ".join(fmt(x, n) for x in v) + ")"
    return mpmath.nstr(v, n)


def _worst_entry(lhs, rhs):
    if not isinstance(lhs, mpmath.matrix) or lhs.rows * lhs.cols == 1:
        return None
    best, where = -1, None
    for i in range(lhs.rows):
        for j in range(lhs.cols):
            d = abs(lhs[i, j] - rhs[i, j])
            if d > best:
                best, where = d, (i, j)
    return {"entry": list(where), "lhs": fmt(lhs[where]), "rhs": fmt(rhs[where])}


def counterexample(cmp: Comparison, point: dict | None = None) -> dict:
    """JSON-able record of a confirmed disagreement."""
    out = {
        "at": {str(k): str(v) if isinstance(v, int) else fmt(mpmath.mpmathify(v)) for k, v in (point or {}).items()},
        "lhs": fmt(cmp.lhs),
        "rhs": fmt(cmp.rhs),
        "difference": fmt(_difference(cmp.lhs, cmp.rhs), 6),
        "dps": cmp.dps,
    }
    worst = _worst_entry(cmp.lhs, cmp.rhs)
    if worst:
        out["worst"] = worst
    return out


def describe_counterexample(cx: dict | None) -> str:
    """One line for a counterexample dict (used by the text output)."""
    if not cx:
        return ""
    if "text" in cx:
        return cx["text"]
    at = ", ".join(f"{k}={v}" for k, v in cx.get("at", {}).items())
    where = f" at {at}" if at else ""
    worst = cx.get("worst")
    if worst:
        i, j = worst["entry"]
        return f"entry ({i},{j}){where}: lhs {worst['lhs']} vs rhs {worst['rhs']}"
    return (f"{where.strip() + ': ' if where else ''}lhs {cx.get('lhs')} vs rhs {cx.get('rhs')}"
            f" (difference {cx.get('difference')})")
