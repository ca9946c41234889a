"""Ad-hoc claims from user text: the ``check`` command's identity and the steps of a ``chain``.

``--assume x=positive`` becomes a SymPy assumption on ``x``; ``--domain x=a..b`` becomes the
sampling domain of ``x`` (and tells SymPy that ``x`` is real, positive or negative as the
interval implies).  Inconsistent options are bad input.  The Python API takes the same options
as text or as mappings (:func:`option_texts`); a chain document states them on ``Assume:`` lines
(:mod:`derivations.engine.chain`), and :func:`step_claim` turns each of its steps into an
ordinary claim.
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


def typed_names(text: str) -> set[str]:
    """The symbol names the user typed in ``text`` (already accepted by the parser): every name
    that is neither a function nor a constant, whether or not SymPy's automatic evaluation keeps
    it (``exp(z + 2*n*pi*I)`` with ``n`` an integer is ``exp(z)``, and ``n`` was still typed)."""
    import ast

    from derivations.engine.parser import CONSTANTS, FUNCTIONS
    called = set()
    names = set()
    for node in ast.walk(ast.parse(text.strip(), mode="eval")):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called.add(id(node.func))
        elif isinstance(node, ast.Name):
            names.add(node)
    return {n.id for n in names if id(n) not in called and n.id not in CONSTANTS and n.id not in FUNCTIONS}


def _parse_pair(lhs_text: str, rhs_text: str, symbols: dict):
    from derivations.engine.parser import parse_expression
    try:
        sides = (parse_expression(lhs_text, symbols), parse_expression(rhs_text, symbols))
    except ExpressionError as exc:
        return "bad", str(exc)
    return "ok", (*sides, typed_names(lhs_text) | typed_names(rhs_text))


def _parse_sides(lhs_text: str, rhs_text: str, symbols: dict, names: bool = False):
    """Both sides, parsed in a budgeted child: SymPy evaluates while it builds, and a costly
    construction that the parser's size bounds do not foresee must not hang the command.
    With ``names``, also the symbol names the user typed (:func:`typed_names`)."""
    from derivations.engine.budget import run_with_budget
    out = run_with_budget(_parse_pair, lhs_text, rhs_text, symbols, seconds=PARSE_SECONDS)
    if out.status != "ok":
        raise ExpressionError(f"expression too costly to build ({out.reason})")
    status, value = out.value
    if status == "bad":
        raise ExpressionError(value)
    return value if names else value[:2]


def option_texts(assume=(), domain=()) -> tuple[list[str], list[str]]:
    """``(assume, domain)`` in the command line's text form, from either that form
    (``["x=positive"]``, ``["x=0..1"]``) or mappings (``{"x": "positive"}`` or
    ``{"x": ["integer", "positive"]}``; ``{"x": (0, 1)}``)."""
    if isinstance(assume, str) or isinstance(domain, str):
        raise DomainError("assume and domain are lists of NAME=VALUE texts or mappings, not one text")
    assume_texts, domain_texts = [], []
    if isinstance(assume, dict):
        for name, words in assume.items():
            for word in ([words] if isinstance(words, str) else list(words)):
                assume_texts.append(f"{name}={word}")
    else:
        assume_texts = [str(a) for a in assume]
    if isinstance(domain, dict):
        for name, bounds in domain.items():
            try:
                lo, hi = bounds
                lo, hi = float(lo), float(hi)
            except (TypeError, ValueError):
                raise DomainError(f"domain of {name}: expected a pair of numbers (lo, hi), got {bounds!r}") from None
            domain_texts.append(f"{name}={lo!r}..{hi!r}")
    else:
        domain_texts = [str(d) for d in domain]
    return assume_texts, domain_texts


def _side(value, symbols: dict):
    """A side given as a SymPy object or a number, its symbols renamed to the assumed ones."""
    import sympy as sp
    if isinstance(value, (sp.Basic, sp.MatrixBase)):
        expr = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        expr = sp.sympify(value, strict=True)
    else:
        raise ExpressionError(f"a side is text or a SymPy expression, not {type(value).__name__}")
    renames = {s: symbols[s.name] for s in expr.free_symbols if isinstance(s, sp.Symbol) and s.name in symbols}
    return expr.xreplace(renames) if renames else expr


def _mixed_sides(lhs, rhs, symbols: dict):
    """Both sides when at least one is an expression: a text side is parsed with the
    expression side's symbols (``check(x**2, "x*x")`` names one ``x``)."""
    import sympy as sp
    sides = [side if isinstance(side, str) else _side(side, symbols) for side in (lhs, rhs)]
    names = dict(symbols)
    for e in sides:
        if not isinstance(e, str):
            names.update({s.name: s for s in e.free_symbols if isinstance(s, sp.Symbol) and s.name not in names})
    return tuple(_parse_sides(e, "0", names)[0] if isinstance(e, str) else e for e in sides)


def adhoc_claim(lhs_text, rhs_text, domains=(), assumptions=()) -> Claim:
    """A :class:`Claim` for ``lhs = rhs`` with the user's assumptions and domains.  A side is
    text (parsed by :mod:`parser`, never evaluated) or, from the Python API, a SymPy
    expression, whose symbols named in the options get the options' assumptions."""
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
    typed = set()
    if isinstance(lhs_text, str) and isinstance(rhs_text, str):
        lhs, rhs, typed = _parse_sides(lhs_text, rhs_text, symbols, names=True)
    else:
        lhs, rhs = _mixed_sides(lhs_text, rhs_text, symbols)
        for side in (lhs_text, rhs_text):
            if isinstance(side, str):
                typed |= typed_names(side)
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
    # names are checked against what the user wrote: a symbol SymPy's evaluation removed was still typed
    unknown = {n for n in set(ranges) | set(assumed)} - {s.name for s in free} - typed
    if unknown:
        raise DomainError(f"--domain/--assume name symbols that do not occur: {', '.join(sorted(unknown))}")
    stmt = Identity(lhs, rhs, variables)
    shown = [side if isinstance(side, str) else sp.sstr(e) for side, e in ((lhs_text, lhs), (rhs_text, rhs))]
    return Claim(id="check", statement=f"{shown[0]} = {shown[1]}", build=lambda: stmt)


# -- the steps of a chain -----------------------------------------------------------------------
MAX_SEQUENCE_TERMS = 1000  # sequence elements written out of finite sums and products, per side


class StepError(ValueError):
    """A step whose statement cannot be built (the engine makes it the step's ``unknown``)."""


CHAIN_RELATIONS = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne", "~": r"\approx"}


def step_claim(step, assumptions) -> Claim:
    r"""The claim of one chain step (:class:`~derivations.engine.chain.Step`) under the block's
    :class:`~derivations.engine.chain.Assumptions`: ``=`` an :class:`Identity`, ``\le \ge < >`` an
    :class:`Inequality`, ``\approx`` an :class:`Approximation` with the step's stated tolerance
    (relative to the right side when relative), and ``\ne`` the :class:`Identity` of its sides,
    marked ``kind="not equal"`` (its verdict is read the other way round by the caller).

    The statement is built in the engine's worker, so a problem with it is that step's
    ``unknown``: an ``\approx`` without a stated tolerance (never a made-up one), or a sequence
    element whose index is not a number.  Elements of sequences (``\eta_1``, or ``\eta_t``
    inside a sum with numeric limits, which is written out) become symbols ``eta_1`` with the
    sequence's assumptions and sampling domain."""
    rel = step.relation
    statement = f"{step.lhs_tex} {CHAIN_RELATIONS.get(rel, rel)} {step.rhs_tex}"

    def build():
        from derivations.engine.claims import Approximation, Inequality
        lhs, rhs, variables = _step_sides(step.lhs, step.rhs, assumptions)
        if rel in ("=", "!="):
            return Identity(lhs, rhs, variables)
        if rel == "~":
            tol = step.tolerance
            if tol is None:
                raise StepError(r"no stated tolerance: give one on a 'Tolerance:' line (1%, 0.001) or write the "
                                r"value's digits (\pi \approx 3.14)")
            import sympy as sp
            return Approximation(rhs, lhs, sp.Rational(repr(tol.value)), variables, relative=tol.relative)
        return Inequality(lhs, rel, rhs, variables)

    return Claim(id=f"{step.block}.{step.step}", statement=statement, build=build,
                 kind="not equal" if rel == "!=" else "")


def _step_sides(lhs, rhs, assumptions):
    """``(lhs, rhs, variables)``: the sides with sequence elements made symbols, and the
    sampling domain of every free symbol that has one in ``assumptions``."""
    import sympy as sp
    domains = {s.name: d for s, d in assumptions.domains().items()}
    sides, elements = [], {}
    for e in (lhs, rhs):
        if isinstance(e, sp.Basic) and e.has(sp.Indexed):
            e = _elements_as_symbols(_write_out_finite(e), elements)
        sides.append(e)
    free = set()
    for e in sides:
        if isinstance(e, (sp.Basic, sp.MatrixBase)):
            free |= e.free_symbols
    sequences = {_sequence_of(name): d for name, d in domains.items() if _sequence_of(name)}
    variables = {}
    for s in free:
        if s.name in domains:
            variables[s] = domains[s.name]
        elif s in elements and elements[s] in sequences:
            variables[s] = sequences[elements[s]]
    return sides[0], sides[1], variables


def _sequence_of(name: str) -> str:
    """``eta`` for an assumption on ``eta_t`` (a letter subscript: every element), else ''."""
    from derivations.engine.latex import GREEK
    base, _, sub = name.rpartition("_")
    return base if base and ((len(sub) == 1 and sub.isalpha()) or sub in GREEK) else ""


def _write_out_finite(e):
    """Sums and products over a sequence with numeric limits written out term by term, while the
    sequence elements written stay within :data:`MAX_SEQUENCE_TERMS` (a longer one stays a sum,
    and its symbolic index makes the step unknown)."""
    import math

    import sympy as sp
    left = [MAX_SEQUENCE_TERMS]

    def finite(node):
        if not isinstance(node, (sp.Sum, sp.Product)) or not node.has(sp.Indexed):
            return False
        if not all((hi - lo).is_Integer and hi >= lo for _, lo, hi in node.limits):
            return False
        terms = math.prod(int(hi - lo) + 1 for _, lo, hi in node.limits)
        terms *= max(1, node.function.count(lambda n: isinstance(n, sp.Indexed)))
        if terms > left[0]:
            return False
        left[0] -= terms
        return True

    return e.replace(finite, lambda node: node.doit(deep=False))


_WORDS = ("real", "positive", "negative", "nonnegative", "nonpositive", "integer", "nonzero")


def _elements_as_symbols(e, elements: dict):
    """Each ``eta[k]`` with a number ``k`` as the symbol ``eta_k`` (the sequence's assumptions);
    ``elements`` records symbol -> the assumption name of its sequence (``eta_t``)."""
    import sympy as sp
    renames = {}
    for node in e.atoms(sp.Indexed):
        if not all(i.is_Integer for i in node.indices):
            where = ", ".join(sp.sstr(i) for i in node.indices)
            raise StepError(f"the sequence {node.base.label} is indexed by {where}, which is not a number: "
                             "write the sum or product for a given number of terms")
        label = node.base.label
        kw = {w: True for w in _WORDS if label.assumptions0.get(w)}
        name = f"{label.name}_{'_'.join(str(i) for i in node.indices)}"
        sym = sp.Symbol(name, **kw)
        renames[node] = sym
        elements[sym] = label.name
    return e.xreplace(renames)
