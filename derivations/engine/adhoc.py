"""Ad-hoc claims from user text (the ``check`` command).

``--assume x=positive`` becomes a SymPy assumption on ``x``; ``--domain x=a..b`` becomes the
sampling domain of ``x`` (and tells SymPy that ``x`` is real, positive or negative as the
interval implies).  Inconsistent options are bad input.
"""
from __future__ import annotations

import math
import re

from derivations.engine.claims import Claim, Identity
from derivations.engine.errors import DomainError, ExpressionError

ASSUMPTIONS = ("real", "positive", "negative", "nonnegative", "nonpositive", "integer", "nonzero")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*\Z")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
MAX_ABS_BOUND = 1e6
PARSE_SECONDS = 10.0


def _split(option: str, text: str) -> tuple[str, str]:
    if text.count("=") != 1:
        raise DomainError(f"--{option} takes NAME=VALUE, got {text!r}")
    name, value = (x.strip() for x in text.split("="))
    if not _NAME.match(name):
        raise DomainError(f"--{option}: {name!r} is not a symbol name")
    return name, value


def parse_domain(text: str):
    """``x=a..b`` -> (name, lo, hi) with finite numbers lo < hi."""
    name, value = _split("domain", text)
    parts = value.split("..")
    if len(parts) != 2 or not all(_NUMBER.match(p.strip()) for p in parts):
        raise DomainError(f"--domain {text!r}: expected NAME=a..b with numbers a < b")
    lo, hi = (float(p) for p in parts)
    if not (math.isfinite(lo) and math.isfinite(hi)) or max(abs(lo), abs(hi)) > MAX_ABS_BOUND:
        raise DomainError(f"--domain {text!r}: bounds must be finite numbers of size at most {MAX_ABS_BOUND:g}")
    if not lo < hi:
        raise DomainError(f"--domain {text!r}: empty interval (need a < b)")
    return name, lo, hi


def _parse_pair(lhs_text: str, rhs_text: str, symbols: dict):
    from derivations.engine.parser import parse_expression
    try:
        return "ok", (parse_expression(lhs_text, symbols), parse_expression(rhs_text, symbols))
    except ExpressionError as exc:
        return "bad", str(exc)


def _parse_sides(lhs_text: str, rhs_text: str, symbols: dict):
    """Both sides, parsed in a budgeted child: SymPy evaluates while it builds, and a costly
    construction that the parser's size bounds do not foresee must not hang the command."""
    from derivations.engine.budget import run_with_budget
    out = run_with_budget(_parse_pair, lhs_text, rhs_text, symbols, seconds=PARSE_SECONDS)
    if out.status != "ok":
        raise ExpressionError(f"expression too costly to build ({out.reason})")
    status, value = out.value
    if status == "bad":
        raise ExpressionError(value)
    return value


def adhoc_claim(lhs_text: str, rhs_text: str, domains=(), assumptions=()) -> Claim:
    """A :class:`Claim` for ``lhs = rhs`` with the user's assumptions and domains."""
    import sympy as sp

    from derivations.engine.parser import parse_expression
    from numeric.sampling import Domain, check_consistent

    assumed: dict[str, dict] = {}
    for a in assumptions:
        name, value = _split("assume", a)
        if value not in ASSUMPTIONS:
            raise DomainError(f"--assume {a!r}: unknown assumption (use one of {', '.join(ASSUMPTIONS)})")
        assumed.setdefault(name, {})[value] = True
    ranges = {}
    for dtext in domains:
        name, lo, hi = parse_domain(dtext)
        if name in ranges:
            raise DomainError(f"--domain given twice for {name}")
        ranges[name] = (lo, hi)
    symbols = {}
    for name in set(assumed) | set(ranges):
        kw = dict(assumed.get(name, {}))
        if name in ranges:
            lo, hi = ranges[name]
            kw.setdefault("real", True)
            if lo > 0:
                kw.setdefault("positive", True)
            elif lo >= 0:
                kw.setdefault("nonnegative", True)
            if hi < 0:
                kw.setdefault("negative", True)
            elif hi <= 0:
                kw.setdefault("nonpositive", True)
        try:
            symbols[name] = sp.Symbol(name, **kw)
        except Exception:  # SymPy's InconsistentAssumptions (its message spans many lines)
            raise DomainError(f"inconsistent assumptions for {name} (from --assume and --domain): "
                              + ", ".join(sorted(kw))) from None
    lhs, rhs = _parse_sides(lhs_text, rhs_text, symbols)
    if isinstance(lhs, sp.Tuple) or isinstance(rhs, sp.Tuple):
        raise ExpressionError("a tuple is not an expression")
    if isinstance(lhs, sp.MatrixBase) != isinstance(rhs, sp.MatrixBase):
        raise ExpressionError("one side is a matrix and the other is not")
    if isinstance(lhs, sp.MatrixBase) and lhs.shape != rhs.shape:
        raise ExpressionError(f"matrix shapes differ: {lhs.shape} vs {rhs.shape}")
    variables = {}
    for name, (lo, hi) in ranges.items():
        sym = symbols[name]
        kind = "integer" if sym.is_integer else "real"
        if kind == "integer" and math.ceil(lo) > math.floor(hi):
            raise DomainError(f"--domain for {name} contains no integer")
        dom = Domain(math.ceil(lo) if kind == "integer" else lo, math.floor(hi) if kind == "integer" else hi, kind)
        check_consistent(sym, dom)
        variables[sym] = dom
    free = set()
    for e in (lhs, rhs):
        free |= e.free_symbols
    unknown = {n for n in set(ranges) | set(assumed)} - {s.name for s in free}
    if unknown:
        raise DomainError(f"--domain/--assume name symbols that do not occur: {', '.join(sorted(unknown))}")
    stmt = Identity(lhs, rhs, variables)
    return Claim(id="check", statement=f"{lhs_text} = {rhs_text}", build=lambda: stmt)
