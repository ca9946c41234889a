r"""Read a derivation as written (Markdown or LaTeX) into blocks of steps.

Every display-math block -- ``$$...$$``, ``\[...\]``, ``\begin{align*}`` / ``align`` /
``equation`` / ``equation*`` / ``eqnarray`` / ``gather`` / ``multline`` / ``flalign``, with
``aligned`` / ``split`` / ``gathered`` inside -- is read as chains ``e0 R1 e1 R2 e2 ...`` and
each adjacent pair is a :class:`Step`.  ``&`` markers are dropped and ``\\`` ends a line; a
line that starts with a relation continues the chain of the line above, and so does a line
that starts with ``+``, ``-``, ``\cdot`` or ``\times``, or that follows a line ending in a
relation or an operator (the align idiom for long right-hand sides); any other line starts a
new chain in the same block.  Relations: ``=``, ``\le \leq \leqslant``, ``\ge \geq \geqslant``,
``<``, ``>``, ``\ne \neq``, ``\approx``; ``\overset{..}{=}`` and ``\stackrel{..}{\le}`` are the
relation they annotate.  ``\nonumber``, ``\notag``, ``\label{..}``, ``\tag{..}``, ``%``
comments, trailing punctuation and a trailing annotation after spacing that contains
``\text{..}`` (``\quad\text{by (H2)}``) are dropped.  Inline math (``$..$``, ``\(..\)``),
prose, fenced code blocks and inline code are ignored.

Assumptions: a prose line starting ``Assume:`` applies to the blocks after it; its inline
math (``Assume: $x > 0$, $n \in \mathbb{Z}$, $n \ge 1$, $t \in [0, 1]$``) is split at commas
into conditions, each read into the vocabulary of ``check --assume/--domain``:

==============================  ===============================================================
``x > 0``, ``x \ge 0``, ...      positive, nonnegative, negative, nonpositive
``x \ne 0``                      nonzero
``x \in \mathbb{R}``             real  (``\mathbb{C}``: nothing, complex is the default)
``n \in \mathbb{Z}``             integer
``n \in \mathbb{N}``             integer and nonnegative (N is read as {0, 1, 2, ...}; say
                                 ``\mathbb{N}^+``, ``\mathbb{N}^*``, ``\mathbb{Z}^+`` or
                                 ``\mathbb{Z}_{>0}`` for the positive integers)
``\mathbb{R}_{>0}``, ``_{\ge 0}`` positive, nonnegative (``\mathbb{R}_+``, ``\mathbb{R}^+`` are
                                 refused as ambiguous)
``t \in [0, 1]``, ``0 < x < 1``  an interval (open or closed ends): real, the sign it implies,
                                 and the sampling domain
``n \ge 1``, ``x < -2``          a half-line: the sign it implies, and a finite sampling box
                                 ([a, a+3] for reals, {a, ..., a+19} for integers: the widths
                                 of the engine's default boxes, ``numeric.sampling``)
``x, y > 0``                     the condition for each name
==============================  ===============================================================

A later condition on the same name refines it (words accumulate, intervals intersect); a
contradiction, or a condition outside this table, is reported as a problem of that line and
not applied -- never guessed.  A condition on a name with a letter subscript (``\eta_t > 0``)
also holds for every element of the sequence ``\eta`` (see :mod:`latex`).

``Tolerance: 1%`` (relative) or ``Tolerance: 0.001`` (absolute; ``relative``/``absolute`` may
follow the number) sets the tolerance of later ``\approx`` steps; ``Tolerance: none`` clears
it.  Without it an ``\approx`` step takes half a unit in the last written digit of a decimal
literal on either side (``\pi \approx 3.14``: 0.005, absolute); otherwise it has none.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

import sympy as sp

from derivations.engine.errors import ExpressionError
from derivations.engine.latex import (GREEK, RELATIONS, Context, Token, read_tokens, scan_tokens,
                                      tokenize)

MAX_BLOCK_CHARS = 20_000
MAX_EXPRESSIONS = 4000  # in a document: each costs two parses (about 0.3 ms each for a short one)
MAX_CONDITIONS = 200  # Assume: conditions in a document
HALF_LINE_REAL = 3.0  # width of the sampling box of a real half-line (numeric.sampling.positive)
HALF_LINE_INTEGER = 19  # of an integer half-line (numeric.sampling.default_domain: 1..20)
OPEN_END_GAP = 1e-9  # relative: an open end of a real sampling interval is moved inward by this

DISPLAY_ENVS = ("align", "align*", "equation", "equation*", "eqnarray", "eqnarray*", "gather", "gather*",
                "multline", "multline*", "flalign", "flalign*", "displaymath")
_INNER_ENVS = DISPLAY_ENVS + ("aligned", "split", "gathered", "alignedat", "alignat", "alignat*")
_VERBATIM_ENVS = ("verbatim", "verbatim*", "lstlisting", "minted", "comment")
_ANNOTATED = (r"\overset", r"\stackrel", r"\underset")
_OPERATORS = ("+", "-", r"\cdot", r"\times")
_ANNOTATION_TEXT = (r"\text", r"\textrm", r"\textit", r"\textbf", r"\mbox", r"\hbox")
WORDS = ("real", "positive", "negative", "nonnegative", "nonpositive", "integer", "nonzero")


# -- data -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tolerance:
    """The tolerance of an ``\\approx`` step: ``value`` (relative to the right side when
    ``relative``) and where it comes from."""

    value: float
    relative: bool
    source: str

    def to_json(self) -> dict:
        return {"value": self.value, "relative": self.relative, "source": self.source}


@dataclass(frozen=True)
class Interval:
    """An interval of the extended reals; ``lo``/``hi`` are SymPy numbers or -oo/oo."""

    lo: sp.Expr = -sp.oo
    hi: sp.Expr = sp.oo
    lo_open: bool = True
    hi_open: bool = True

    def intersect(self, other: "Interval") -> "Interval":
        lo, lo_open = max((self.lo, not self.lo_open), (other.lo, not other.lo_open), key=_end_key)
        hi, hi_closed = min((self.hi, not self.hi_open), (other.hi, not other.hi_open), key=_end_key)
        return Interval(lo, hi, not lo_open, not hi_closed)

    def is_empty(self) -> bool:
        return bool(self.lo > self.hi) or (self.lo == self.hi and (self.lo_open or self.hi_open))

    def describe(self) -> str:
        lo = "-oo" if self.lo == -sp.oo else sp.sstr(self.lo)
        hi = "oo" if self.hi == sp.oo else sp.sstr(self.hi)
        return f"{'(' if self.lo_open else '['}{lo}, {hi}{')' if self.hi_open else ']'}"

    def to_json(self) -> dict:
        return {"lo": _json_number(self.lo), "hi": _json_number(self.hi),
                "lo_open": self.lo_open, "hi_open": self.hi_open}


def _end_key(end):
    value, closed = end
    return (float(value) if value.is_finite else (math.inf if value == sp.oo else -math.inf), closed)


def _json_number(v):
    if v == sp.oo:
        return "oo"
    if v == -sp.oo:
        return "-oo"
    return sp.sstr(v)


@dataclass
class SymbolAssumption:
    """What is assumed of one name: check words, an interval, and notes on the reading."""

    words: set = field(default_factory=set)
    interval: Interval | None = None
    notes: list = field(default_factory=list)

    def copy(self) -> "SymbolAssumption":
        return SymbolAssumption(set(self.words), self.interval, list(self.notes))

    def implied_words(self) -> set:
        """The words, with those the interval implies (an interval implies real)."""
        words = set(self.words)
        iv = self.interval
        if iv is not None:
            words.add("real")
            if iv.lo > 0 or (iv.lo == 0 and iv.lo_open):
                words.add("positive")
            elif iv.lo >= 0:
                words.add("nonnegative")
            if iv.hi < 0 or (iv.hi == 0 and iv.hi_open):
                words.add("negative")
            elif iv.hi <= 0:
                words.add("nonpositive")
        return words

    def sympy_kwargs(self) -> dict:
        return {w: True for w in sorted(self.implied_words())}

    def box(self):
        """The finite sampling interval ``(lo, hi, lo_open, hi_open)``, or None when the words
        alone say enough (no interval, or a half-line starting at 0)."""
        iv = self.interval
        if iv is None:
            return None
        lo, hi = iv.lo, iv.hi
        width = HALF_LINE_INTEGER if "integer" in self.words else HALF_LINE_REAL
        if lo.is_finite and hi.is_finite:
            return float(lo), float(hi), iv.lo_open, iv.hi_open
        if lo.is_finite and lo != 0:
            return float(lo), float(lo) + width, iv.lo_open, False
        if hi.is_finite and hi != 0:
            return float(hi) - width, float(hi), False, iv.hi_open
        return None


@dataclass
class Assumptions:
    """Assumptions in force for a block: per name, and the tolerance of ``\\approx`` steps."""

    names: dict = field(default_factory=dict)  # name -> SymbolAssumption
    tolerance: Tolerance | None = None

    def copy(self) -> "Assumptions":
        return Assumptions({k: v.copy() for k, v in self.names.items()}, self.tolerance)

    def refine(self, name: str, words=(), interval: Interval | None = None, note: str | None = None) -> None:
        """Add ``words`` and intersect ``interval`` for ``name``; raise ExpressionError (and
        change nothing) when the result is contradictory."""
        old = self.names.get(name, SymbolAssumption())
        new = old.copy()
        new.words |= set(words)
        if interval is not None:
            new.interval = interval if new.interval is None else new.interval.intersect(interval)
            if new.interval.is_empty():
                raise ExpressionError(f"{name} would lie in the empty interval {new.interval.describe()}")
            if new.interval.lo == new.interval.hi:
                raise ExpressionError(f"{name} would be fixed at {new.interval.lo}: substitute the value instead")
        try:
            sp.Symbol("t", **new.sympy_kwargs())
        except Exception:  # SymPy's InconsistentAssumptions spans many lines
            words = ", ".join(sorted(new.implied_words()))
            raise ExpressionError(f"contradictory assumptions for {name}: {words}") from None
        if "integer" in new.words and new.interval is not None:
            lo, hi, _, _ = _integer_range(new.interval)
            if lo > hi:
                raise ExpressionError(f"{name} is an integer but {new.interval.describe()} contains none")
        if note and note not in new.notes:
            new.notes.append(note)
        self.names[name] = new

    # -- for the engine ---------------------------------------------------------------
    def symbols(self) -> dict:
        """name -> ``Symbol`` with the assumptions, for :func:`latex.read_tokens`; a name
        ``base_t`` with a letter subscript also gives the sequence ``base_*`` (an
        ``IndexedBase``) the same assumptions."""
        out = {}
        for name, a in self.names.items():
            kw = a.sympy_kwargs()
            out[name] = sp.Symbol(name, **kw)
            base, _, sub = name.rpartition("_")
            if base and len(sub) == 1 and sub.isalpha() or base and sub in GREEK:
                out[f"{base}_*"] = sp.IndexedBase(base, **kw)
        return out

    def domains(self, symbols: dict | None = None) -> dict:
        """Symbol -> :class:`numeric.sampling.Domain` for names with an interval.  An open
        lower end is the Domain's ``open_lo``; an open upper end of a real interval is moved
        inward by ``OPEN_END_GAP`` (relative), as ``numeric.sampling`` does for negatives."""
        from numeric.sampling import Domain
        symbols = symbols or self.symbols()
        out = {}
        for name, a in self.names.items():
            box = a.box()
            if box is None:
                continue
            lo, hi, lo_open, hi_open = box
            if "integer" in a.words:
                lo_i, hi_i, _, _ = _integer_range(Interval(sp.nsimplify(lo), sp.nsimplify(hi), lo_open, hi_open))
                out[symbols[name]] = Domain(lo_i, hi_i, "integer")
            else:
                if hi_open:
                    hi -= OPEN_END_GAP * max(1.0, abs(hi))
                out[symbols[name]] = Domain(lo, hi, "real", open_lo=lo_open)
        return out

    def as_check_options(self) -> tuple[list[str], list[str]]:
        """``(assume, domain)``: the options ``check --assume NAME=WORD --domain NAME=a..b``
        that state these assumptions (open real ends moved inward by ``OPEN_END_GAP``: the
        check format has closed intervals only)."""
        assume, domain = [], []
        for name in sorted(self.names):
            a = self.names[name]
            words = a.implied_words()
            if a.interval is not None and not (words - {"real"}):
                words = {"real"}
            for w in sorted(words):
                if w == "real" and len(words) > 1:
                    continue
                assume.append(f"{name}={w}")
            box = a.box()
            if box is None:
                continue
            lo, hi, lo_open, hi_open = box
            if "integer" in a.words:
                lo_i, hi_i, _, _ = _integer_range(Interval(sp.nsimplify(lo), sp.nsimplify(hi), lo_open, hi_open))
                domain.append(f"{name}={lo_i}..{hi_i}")
            else:
                if lo_open:
                    lo += OPEN_END_GAP * max(1.0, abs(lo))
                if hi_open:
                    hi -= OPEN_END_GAP * max(1.0, abs(hi))
                domain.append(f"{name}={lo!r}..{hi!r}")
        return assume, domain

    def describe(self) -> list[str]:
        """One line per name: ``n: integer, positive; n in [1, oo) (sampled in 1..20)``."""
        lines = []
        for name in sorted(self.names):
            a = self.names[name]
            text = f"{name}: {', '.join(sorted(a.implied_words()))}"
            if a.interval is not None:
                text += f"; in {a.interval.describe()}"
                box = a.box()
                if box is not None and not (a.interval.lo.is_finite and a.interval.hi.is_finite):
                    text += f" (sampled in [{box[0]:g}, {box[1]:g}])"
            for note in a.notes:
                text += f"; {note}"
            lines.append(text)
        if self.tolerance is not None:
            kind = "relative" if self.tolerance.relative else "absolute"
            lines.append(f"tolerance of \\approx steps: {self.tolerance.value:g} ({kind})")
        return lines

    def to_json(self) -> dict:
        return {"symbols": {name: {"words": sorted(a.implied_words()),
                                   "interval": a.interval.to_json() if a.interval is not None else None,
                                   "notes": list(a.notes)} for name, a in sorted(self.names.items())},
                "tolerance": self.tolerance.to_json() if self.tolerance is not None else None}

    @classmethod
    def from_check_options(cls, assume=(), domain=()) -> "Assumptions":
        """The assumptions of ``check``'s ``--assume NAME=WORD`` and ``--domain NAME=a..b``."""
        from derivations.engine.adhoc import ASSUMPTIONS, _split, parse_domain
        out = cls()
        for text in assume:
            name, word = _split("assume", text)
            if word not in ASSUMPTIONS:
                raise ExpressionError(f"--assume {text!r}: unknown assumption (use one of {', '.join(ASSUMPTIONS)})")
            out.refine(name, {word})
        for text in domain:
            name, lo, hi = parse_domain(text)
            out.refine(name, (), Interval(sp.nsimplify(lo), sp.nsimplify(hi), False, False))
        return out


def _integer_range(iv: Interval):
    lo = -math.inf if not iv.lo.is_finite else (math.floor(iv.lo) + 1 if iv.lo_open and iv.lo.is_integer
                                                 else math.ceil(iv.lo))
    hi = math.inf if not iv.hi.is_finite else (math.ceil(iv.hi) - 1 if iv.hi_open and iv.hi.is_integer
                                               else math.floor(iv.hi))
    return lo, hi, False, False


@dataclass
class Step:
    """``lhs relation rhs``: the ``step``-th step (1-based) of block ``block``, on source ``line``."""

    block: int
    step: int
    line: int
    relation: str  # =, <=, >=, <, >, !=, ~ (approximately)
    lhs_tex: str
    rhs_tex: str
    lhs: sp.Expr
    rhs: sp.Expr
    tolerance: Tolerance | None = None  # of a ~ step: stated, or from the digits written

    def to_json(self) -> dict:
        return {"block": self.block, "step": self.step, "line": self.line, "relation": self.relation,
                "lhs_tex": self.lhs_tex, "rhs_tex": self.rhs_tex, "lhs": sp.sstr(self.lhs), "rhs": sp.sstr(self.rhs),
                "tolerance": self.tolerance.to_json() if self.tolerance is not None else None}


@dataclass
class Block:
    """One display-math block: its steps, or the one-line reason it could not be read."""

    index: int
    line: int
    tex: str
    steps: list
    error: str | None
    assumptions: Assumptions

    def to_json(self) -> dict:
        return {"index": self.index, "line": self.line, "tex": self.tex, "error": self.error,
                "steps": [s.to_json() for s in self.steps], "assumptions": self.assumptions.to_json()}


@dataclass
class Document:
    """The blocks of a document, and problems outside them (one line each, with a line number)."""

    blocks: list
    problems: list

    @property
    def steps(self) -> list:
        return [s for b in self.blocks for s in b.steps]

    def to_json(self) -> dict:
        return {"blocks": [b.to_json() for b in self.blocks], "problems": list(self.problems)}


# -- the document --------------------------------------------------------------------------------
def read_chain(text: str, *, max_chars: int = 200_000, max_blocks: int = 500,
               assumptions: Assumptions | None = None) -> Document:
    """Read a Markdown or LaTeX document into blocks of steps (see the module docstring).

    ``assumptions`` (e.g. from :meth:`Assumptions.from_check_options`) hold from the start.
    A document longer than ``max_chars``, with more than ``max_blocks`` display blocks or
    ``MAX_EXPRESSIONS`` expressions in them is bad input (:class:`ExpressionError`); a block
    that cannot be read gets its ``error``; past ``MAX_CONDITIONS`` Assume: conditions the
    rest are a problem, not read.
    """
    if not isinstance(text, str):
        raise ExpressionError("a document must be text")
    if len(text) > max_chars:
        raise ExpressionError(f"document too long ({len(text)} characters; limit {max_chars})")
    masked = _mask(text)
    lines = _Lines(text)
    problems: list[str] = []
    spans = _display_spans(masked, lines, problems)
    if len(spans) > max_blocks:
        raise ExpressionError(f"too many display-math blocks ({len(spans)}; limit {max_blocks})")
    events = [(start, "block", (start, end, inner_start, inner_end)) for start, end, inner_start, inner_end in spans]
    for m in _DIRECTIVE.finditer(masked):
        if not any(s <= m.start() < e for s, e, _, _ in spans):
            events.append((m.start(), m.group("kind").lower(), m))
    events.sort(key=lambda e: e[0])
    state = assumptions.copy() if assumptions is not None else Assumptions()
    blocks = []
    snapshot = symbols = None  # the assumptions in force and their symbols, made once per change
    budget = _Budget()
    for pos, kind, payload in events:
        line = lines.number(pos)
        if kind == "assume":
            _read_assume_line(payload.group("rest"), line, state, problems, budget)
            snapshot = None
        elif kind == "tolerance":
            _read_tolerance_line(payload.group("rest"), line, state, problems)
            snapshot = None
        else:
            if snapshot is None:
                snapshot = state.copy()
                symbols = snapshot.symbols()
            _, _, a, b = payload
            blocks.append(_read_block(len(blocks) + 1, masked[a:b], text[a:b], a, lines, snapshot, symbols, budget))
    return Document(blocks, problems)


@dataclass
class _Budget:
    """What is left of the document's allowance of expressions and assumption conditions."""

    expressions: int = MAX_EXPRESSIONS
    conditions: int = MAX_CONDITIONS


class _Lines:
    """Offsets -> 1-based line numbers."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def number(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DIRECTIVE = re.compile(r"^[ \t>*_-]*(?:\*\*|__)?(?P<kind>Assume|Tolerance)(?:\*\*|__)?\s*:(?:\*\*|__)?(?P<rest>.*)$",
                        re.M | re.I)


def _blank(s: str) -> str:
    return re.sub(r"[^\n]", " ", s)


def _mask(text: str) -> str:
    """``text`` with code (fenced blocks, inline code, verbatim environments), HTML comments
    and, in a LaTeX document, ``%`` comments replaced by spaces, so that nothing in them is
    read; offsets are kept.  (In Markdown ``%`` is text: ``Tolerance: 1%``.)"""
    out = []
    fence = None
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
            out.append(_blank(line))
        elif fence is not None:
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = None
            out.append(_blank(line))
        else:
            out.append(line)
    masked = "".join(out)
    # inline code: a run of backticks, text without backticks, the same run (linear time)
    masked = re.sub(r"(?<!`)(`+)(?!`)([^`\n]+)\1(?!`)", lambda m: _blank(m.group()), masked)
    masked = _blank_between(masked, "<!--", "-->")
    if re.search(r"\\documentclass|\\begin\{document\}", masked):  # LaTeX: % starts a comment
        masked = re.sub(r"(?<!\\)%[^\n]*", lambda m: _blank(m.group()), masked)
    for env in _VERBATIM_ENVS:
        masked = _blank_between(masked, "\\begin{" + env + "}", "\\end{" + env + "}")
    return masked


def _blank_between(text: str, start: str, end: str) -> str:
    """Blank every ``start ... end`` span (an unclosed one runs to the end of the text)."""
    pieces, i = [], 0
    while True:
        j = text.find(start, i)
        if j < 0:
            break
        k = text.find(end, j + len(start))
        stop = len(text) if k < 0 else k + len(end)
        pieces += [text[i:j], _blank(text[j:stop])]
        i = stop
    pieces.append(text[i:])
    return "".join(pieces)


def _display_spans(s: str, lines: _Lines, problems: list) -> list:
    """(start, end, inner_start, inner_end) of each display-math block of the masked text."""
    spans = []
    i, n = 0, len(s)
    unclosed = n + 1  # from here on no inline \( is closed
    while i < n:
        c = s[i]
        if c == "\\":
            if s.startswith(r"\[", i):
                j = s.find(r"\]", i + 2)
                if j < 0:
                    problems.append(f"line {lines.number(i)}: \\[ is never closed by \\]")
                    break
                spans.append((i, j + 2, i + 2, j))
                i = j + 2
            elif s.startswith(r"\(", i):
                j = s.find(r"\)", i + 2) if i < unclosed else -1
                if j < 0:  # no later \( can be closed either: do not search again
                    unclosed = i
                i = j + 2 if j >= 0 else i + 2
            elif s.startswith(r"\begin{", i):
                m = re.match(r"\\begin\{([A-Za-z]+\*?)\}", s[i:])
                if m and m.group(1) in DISPLAY_ENVS:
                    end = "\\end{" + m.group(1) + "}"
                    j = s.find(end, i + m.end())
                    if j < 0:
                        problems.append(f"line {lines.number(i)}: \\begin{{{m.group(1)}}} is never closed")
                        break
                    spans.append((i, j + len(end), i + m.end(), j))
                    i = j + len(end)
                else:
                    i += m.end() if m else 2
            else:
                i += 2  # an escaped character: \$, \\, ...
        elif c == "$":
            if s.startswith("$$", i):
                j = _find_unescaped(s, "$$", i + 2)
                if j < 0:
                    problems.append(f"line {lines.number(i)}: $$ is never closed")
                    break
                spans.append((i, j + 2, i + 2, j))
                i = j + 2
            else:  # inline math, within its paragraph; a lone $ is text
                j = _find_unescaped(s, "$", i + 1)
                inline = j >= 0 and s.find("\n\n", i, j) < 0 and not s.startswith("$$", j)
                i = j + 1 if inline else i + 1
        else:
            i += 1
    return spans


def _find_unescaped(s: str, what: str, start: int) -> int:
    j = s.find(what, start)
    while j > 0 and s[j - 1] == "\\" and (j < 2 or s[j - 2] != "\\"):
        j = s.find(what, j + 1)
    return j


# -- a block -------------------------------------------------------------------------------------
def _clean_block(tex: str) -> str:
    """Comments, environment wrappers and ``\\\\[2pt]`` spacing blanked, offsets kept."""
    tex = re.sub(r"(?<!\\)%[^\n]*", lambda m: _blank(m.group()), tex)
    envs = "|".join(re.escape(e) for e in _INNER_ENVS)
    tex = re.sub(r"\\(?:begin|end)\{(?:" + envs + r")\}(?:\{\d+\})?", lambda m: _blank(m.group()), tex)
    tex = re.sub(r"(?<=\\\\)\s*\[\s*[-+]?\d*\.?\d+\s*(?:pt|em|ex|mm|cm|in|bp|mu|pc)\s*\]",
                 lambda m: _blank(m.group()), tex)
    return tex


def _read_block(index: int, masked: str, tex: str, offset: int, lines: _Lines, assumptions: Assumptions,
                symbols: dict, budget: _Budget) -> Block:
    line = lines.number(offset)
    try:
        steps = _steps(index, _clean_block(masked), offset, lines, assumptions, symbols, budget)
        return Block(index, line, tex, steps, None, assumptions)
    except _TooMuch:
        raise
    except ExpressionError as exc:
        return Block(index, line, tex, [], str(exc), assumptions)


class _TooMuch(ExpressionError):
    """The document as a whole is too large to read (bad input, not a block's problem)."""


def _located(exc: ExpressionError, text: str, offset: int, lines: _Lines) -> ExpressionError:
    """The message with its 'at position N' (in ``text``) turned into a line and column."""
    msg = str(exc)
    m = re.search(r" at position (\d+)$", msg)
    if m:
        pos = offset + int(m.group(1)) - 1
        line = lines.number(pos)
        column = pos - lines.starts[line - 1] + 1
        return ExpressionError(f"line {line}: {msg[:m.start()]} (column {column})")
    return ExpressionError(f"line {lines.number(offset)}: {msg}")


def _steps(index: int, tex: str, offset: int, lines: _Lines, assumptions: Assumptions, symbols: dict,
           budget: _Budget) -> list:
    try:
        tokens = tokenize(tex, max_chars=MAX_BLOCK_CHARS, allow=frozenset("&"))
    except ExpressionError as exc:
        raise _located(exc, tex, offset, lines) from None
    chains = _chains(_split_lines(tokens), tex, offset, lines)
    exprs = [item for chain in chains for item in chain if item[0] == "expr"]
    budget.expressions -= len(exprs)
    if budget.expressions < 0:
        raise _TooMuch(f"more than {MAX_EXPRESSIONS} expressions in the display blocks of the document")
    context = Context()
    for _, toks in exprs:
        try:
            context = context | scan_tokens(toks, tex, symbols)
        except ExpressionError as exc:
            raise _located(exc, tex, offset, lines) from None
    parsed = {}
    for _, toks in exprs:
        try:
            parsed[id(toks)] = read_tokens(toks, tex, symbols, context=context)
        except ExpressionError as exc:
            raise _located(exc, tex, offset, lines) from None
    steps = []
    for chain in chains:
        for k in range(1, len(chain) - 1, 2):
            (_, left), (_, rel), (_, right) = chain[k - 1], chain[k], chain[k + 1]
            relation = RELATIONS[rel.text]
            lhs_tex, rhs_tex = _source(left, tex), _source(right, tex)
            step = Step(index, len(steps) + 1, lines.number(offset + rel.pos), relation, lhs_tex, rhs_tex,
                        parsed[id(left)], parsed[id(right)])
            if relation == "~":
                step.tolerance = assumptions.tolerance or _digits_tolerance(lhs_tex, rhs_tex)
            steps.append(step)
    return steps


def _source(tokens: list, tex: str) -> str:
    """The source of an expression, its pieces on several lines joined by a space."""
    pieces, start, end = [], None, None
    for t in tokens:
        if start is not None and "\n" in tex[end:t.pos]:
            pieces.append(tex[start:end])
            start = None
        if start is None:
            start = t.pos
        end = t.pos + len(t.text)
    pieces.append(tex[start:end])
    return " ".join(p.strip() for p in pieces)


def _split_lines(tokens: list) -> list:
    """Token lists of the lines of a block: split at top-level ``\\\\``, ``&`` dropped."""
    out, current, depth = [], [], 0
    for t in tokens:
        if t.kind == "char" and t.text == "{":
            depth += 1
        elif t.kind == "char" and t.text == "}":
            depth -= 1
        if t.text == "\\\\" and depth == 0:
            out.append(current)
            current = []
        elif not (t.kind == "char" and t.text == "&"):
            current.append(t)
    out.append(current)
    return [_strip_annotation(line) for line in out]


def _strip_annotation(line: list) -> list:
    """Drop trailing punctuation and a trailing annotation: after the last visible spacing
    (or comma) at the top level, a tail that contains ``\\text{..}``."""
    def trim(toks):
        while toks and (toks[-1].kind == "space" or toks[-1].text in (",", ".", ";")):
            toks = toks[:-1]
        return toks
    line = trim(line)
    depth = 0
    for k, t in enumerate(line):
        if t.text in ("{", "(", "[", r"\left"):
            depth += 1
        elif t.text in ("}", ")", "]", r"\right"):
            depth -= 1
        elif depth == 0 and (t.kind == "space" or t.text == ","):
            tail = [u for u in line[k + 1:] if u.kind != "space"]
            if tail and (tail[0].text in _ANNOTATION_TEXT or (
                    any(u.text in _ANNOTATION_TEXT for u in tail) and not any(u.text in RELATIONS for u in tail))):
                return trim(line[:k])
    return line


def _is_relation(tokens: list, k: int):
    """(relation token, tokens it spans) when a relation starts at ``tokens[k]``."""
    t = tokens[k]
    if t.text in RELATIONS and t.kind in ("char", "cmd"):
        return t, 1
    if t.text in _ANNOTATED and k + 1 < len(tokens) and tokens[k + 1].text == "{":
        depth, j = 0, k + 1
        while j < len(tokens):
            if tokens[j].text == "{":
                depth += 1
            elif tokens[j].text == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        rest = tokens[j + 1:j + 4]
        if len(rest) == 3 and rest[0].text == "{" and rest[1].text in RELATIONS and rest[2].text == "}":
            return Token(rest[1].kind, rest[1].text, rest[1].pos), j + 4 - k
        if len(rest) >= 1 and rest[0].text in RELATIONS:
            return Token(rest[0].kind, rest[0].text, rest[0].pos), j + 2 - k
    return None


def _chains(line_tokens: list, tex: str, offset: int, lines: _Lines) -> list:
    """Chains of ``("expr", tokens)`` and ``("rel", token)`` items, alternating."""
    streams = []  # token streams, one per chain, relations marked
    previous_open = False
    for toks in line_tokens:
        toks = [t for t in toks]
        while toks and toks[0].kind == "space":
            toks.pop(0)
        if not toks:
            continue
        first = toks[0]
        continues = streams and (previous_open or _is_relation(toks, 0) is not None
                                 or (first.kind in ("char", "cmd") and first.text in _OPERATORS))
        if continues:
            streams[-1].extend(toks)
        else:
            streams.append(toks)
        previous_open = toks[-1].text in _OPERATORS or any(
            (rel := _is_relation(toks, k)) is not None and k + rel[1] == len(toks) for k in range(len(toks)))
    chains = []
    for stream in streams:
        items, current, depth, k = [], [], 0, 0
        while k < len(stream):
            t = stream[k]
            if t.text in ("{", "(", "[", r"\left"):
                depth += 1
            elif t.text in ("}", ")", "]", r"\right"):
                depth -= 1
            rel = _is_relation(stream, k) if depth == 0 else None
            if rel is not None:
                token, width = rel
                if not current:
                    what = "a left side" if not items else "an expression between two relations"
                    raise _located(ExpressionError(f"relation {token.text} without {what} at position {token.pos + 1}"),
                                   tex, offset, lines)
                items.append(("expr", current))
                items.append(("rel", token))
                current = []
                k += width
                continue
            current.append(t)
            k += 1
        if items and not current:
            token = items[-1][1]
            raise _located(ExpressionError(f"relation {token.text} without a right side at position {token.pos + 1}"),
                           tex, offset, lines)
        items.append(("expr", current))
        chains.append(items)
    return chains


_DECIMAL = re.compile(r"^\s*[-+]?\s*(\d+)\.(\d+)\s*$")
_SCIENTIFIC = re.compile(r"^\s*[-+]?\s*(\d+)(?:\.(\d+))?\s*\\(?:times|cdot)\s*10\s*\^\s*\{?\s*([-+]?\d+)\s*\}?\s*$")


def _digits_tolerance(lhs_tex: str, rhs_tex: str) -> Tolerance | None:
    """Half a unit in the last written digit of a side that is a decimal literal (``3.14``:
    0.005; ``1.5\\times 10^{-3}``: 5e-5); the coarser of two; None without one."""
    found = []
    for side in (lhs_tex, rhs_tex):
        m = _DECIMAL.match(side)
        if m:
            found.append((0.5 * 10.0 ** -len(m.group(2)), side.strip()))
            continue
        m = _SCIENTIFIC.match(side)
        if m:
            digits = len(m.group(2) or "")
            found.append((0.5 * 10.0 ** (int(m.group(3)) - digits), side.strip()))
    if not found:
        return None
    value, side = max(found)
    return Tolerance(value, False, f"half a unit in the last digit of {side}")


# -- Assume: and Tolerance: lines ----------------------------------------------------------------
_INLINE = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$|\\\((.+?)\\\)")
_SET_WORDS = {
    r"\mathbb{R}": ({"real"}, None), r"\mathbb{C}": (set(), None), r"\mathbb{Z}": ({"integer"}, None),
    r"\mathbb{N}": ({"integer", "nonnegative"}, "N read as {0, 1, 2, ...}"),
    r"\mathbb{N}_0": ({"integer", "nonnegative"}, None),
    r"\mathbb{N}^+": ({"integer", "positive"}, None), r"\mathbb{N}_+": ({"integer", "positive"}, None),
    r"\mathbb{N}^*": ({"integer", "positive"}, None), r"\mathbb{Z}^+": ({"integer", "positive"}, None),
    r"\mathbb{Z}_{>0}": ({"integer", "positive"}, None), r"\mathbb{N}_{>0}": ({"integer", "positive"}, None),
    r"\mathbb{Z}_{\ge0}": ({"integer", "nonnegative"}, None), r"\mathbb{N}_{\ge1}": ({"integer", "positive"}, None),
    r"\mathbb{Z}_{\ge1}": ({"integer", "positive"}, None),
    r"\mathbb{R}_{>0}": ({"positive"}, None), r"\mathbb{R}_{\ge0}": ({"nonnegative"}, None),
    r"\mathbb{R}_{<0}": ({"negative"}, None), r"\mathbb{R}_{\le0}": ({"nonpositive"}, None),
}
_AMBIGUOUS_SETS = {r"\mathbb{R}_+", r"\mathbb{R}^+", r"\mathbb{R}_{+}", r"\mathbb{R}^{+}", r"\mathbb{Z}_+"}
_SIGN = {">": "positive", ">=": "nonnegative", "<": "negative", "<=": "nonpositive"}


def _normalize_set(tex: str) -> str:
    s = re.sub(r"\s+|\\left|\\right|\\,|\\!", "", tex)
    s = s.replace(r"\geq", r"\ge").replace(r"\geqslant", r"\ge").replace(r"\leq", r"\le").replace(r"\gt", ">")
    s = s.replace(r"\lt", "<").replace(r"\mathbbR", r"\mathbb{R}").replace(r"\mathbbZ", r"\mathbb{Z}")
    s = s.replace(r"\mathbbN", r"\mathbb{N}").replace(r"\mathbbC", r"\mathbb{C}")
    s = re.sub(r"\^\{([+*])\}", r"^\1", s)
    s = re.sub(r"_\{([0+])\}", r"_\1", s)
    return s


def _read_assume_line(rest: str, line: int, state: Assumptions, problems: list, budget: _Budget) -> None:
    maths = [a or b for a, b in _INLINE.findall(rest)] or [rest.strip().rstrip(".")]
    pending: list[str] = []
    for math_text in maths:
        for piece in _split_conditions(math_text):
            budget.conditions -= 1
            if budget.conditions < 0:
                if budget.conditions == -1:
                    problems.append(f"line {line}: more than {MAX_CONDITIONS} assumption conditions; "
                                    "the rest are not read")
                return
            try:
                applied = _read_condition(piece, pending, state)
            except ExpressionError as exc:
                problems.append(f"line {line}: assumption '{piece.strip()}' not applied: {exc}")
                pending.clear()
                continue
            if applied:
                pending.clear()
    if pending:
        problems.append(f"line {line}: no condition given for {', '.join(pending)}")


def _split_conditions(text: str) -> list[str]:
    text = re.sub(r"\\q?quad|\\text\{[^{}]*\}|\\(?:and|land|wedge)\b", ",", text)
    pieces, depth, current = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch in ",;" and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += ch
    pieces.append(current)
    return [p for p in (q.strip().rstrip(".") for q in pieces) if p]


def _name_of(tex: str) -> str:
    value = _latex_value(tex)
    if not isinstance(value, sp.Symbol):
        raise ExpressionError(f"'{tex.strip()}' is not a name")
    return value.name


def _latex_value(tex: str):
    from derivations.engine.latex import parse_latex_math
    return parse_latex_math(tex)


def _number_of(tex: str):
    value = _latex_value(tex)
    if value in (sp.oo, -sp.oo):
        return value
    if not (value.is_number and value.is_real and value.is_finite):
        raise ExpressionError(f"'{tex.strip()}' is not a real number")
    return value


def _read_condition(piece: str, pending: list, state: Assumptions) -> bool:
    """Apply one condition (to ``pending`` names too); False when ``piece`` is a bare name
    that waits for the condition after it (``x, y > 0``)."""
    toks = tokenize(piece)
    depth, rels = 0, []
    for k, t in enumerate(toks):
        if t.text in ("{", "(", "[", r"\left"):
            depth += 1
        elif t.text in ("}", ")", "]", r"\right"):
            depth -= 1
        elif depth == 0 and (t.text in RELATIONS or t.text in (r"\in", r"\notin")):
            rels.append(k)
    if not rels:
        pending.append(_name_of(piece))
        return False
    parts, start = [], 0
    for k in rels:
        parts.append(piece[start:toks[k].pos])
        start = toks[k].pos + len(toks[k].text)
    parts.append(piece[start:])
    ops = [RELATIONS.get(toks[k].text, toks[k].text) for k in rels]
    if ops == [r"\in"]:
        names = pending + [_name_of(parts[0])]
        words, interval, note = _read_set(parts[1])
        for name in names:
            state.refine(name, words, interval, note)
        return True
    if any(op in ("=", "~", r"\in", r"\notin") for op in ops):
        bad = next(op for op in ops if op in ("=", "~", r"\in", r"\notin"))
        raise ExpressionError(f"relation {bad} is not an assumption (use <, >, \\le, \\ge, \\ne or \\in)")
    if len(ops) == 1:
        a, b = parts
        op = ops[0]
        try:
            name, bound = _name_of(a), _number_of(b)
        except ExpressionError as first:
            try:  # written the other way round: 0 < x
                name, bound = _name_of(b), _number_of(a)
            except ExpressionError:
                raise first from None
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "!=": "!="}[op]
        for n in pending + [name]:
            _apply_bound(state, n, op, bound)
        return True
    if len(ops) == 2 and (set(ops) <= {"<", "<="} or set(ops) <= {">", ">="}):
        lo, name, hi = _number_of(parts[0]), _name_of(parts[1]), _number_of(parts[2])
        if ops[0] in (">", ">="):
            lo, hi = hi, lo
            ops = [{">": "<", ">=": "<="}[o] for o in reversed(ops)]
        for n in pending + [name]:
            state.refine(n, (), Interval(lo, hi, ops[0] == "<", ops[1] == "<"))
        return True
    raise ExpressionError("expected x > a, a < x < b, x \\ne 0 or x \\in S")


def _apply_bound(state: Assumptions, name: str, op: str, bound) -> None:
    if op == "!=":
        if bound != 0:
            raise ExpressionError("only x \\ne 0 is supported among \\ne conditions")
        state.refine(name, {"nonzero"})
        return
    if bound in (sp.oo, -sp.oo):
        raise ExpressionError("a bound must be finite")
    interval = {">": Interval(bound, sp.oo, True, True), ">=": Interval(bound, sp.oo, False, True),
                "<": Interval(-sp.oo, bound, True, True), "<=": Interval(-sp.oo, bound, True, False)}[op]
    if bound == 0:
        state.refine(name, {_SIGN[op]}, interval)
    else:
        state.refine(name, (), interval)


def _read_set(tex: str):
    """(words, interval, note) of ``x \\in S``."""
    s = _normalize_set(tex)
    if s in _AMBIGUOUS_SETS:
        raise ExpressionError(f"{tex.strip()} is ambiguous (with or without 0?): write x > 0 or x \\ge 0")
    if s in _SET_WORDS:
        words, note = _SET_WORDS[s]
        return words, None, note
    m = re.fullmatch(r"([\[(])(.+),(.+)([\])])", s)
    if m:
        lo, hi = _number_of(m.group(2)), _number_of(m.group(3))
        interval = Interval(lo, hi, m.group(1) == "(" or lo == -sp.oo, m.group(4) == ")" or hi == sp.oo)
        return {"real"}, interval, None
    raise ExpressionError(f"set {tex.strip()} is not supported (R, Z, N, R_{{>0}}, intervals [a, b], (a, b), ...)")


_TOLERANCE = re.compile(r"^\s*(?P<num>\d+(?:\.\d*)?|\.\d+)(?:[eE](?P<exp>[-+]?\d+))?\s*(?P<pct>\\?%)?\s*"
                        r"(?P<kind>relative|rel\.?|absolute|abs\.?)?\s*\.?\s*$", re.I)


def _read_tolerance_line(rest: str, line: int, state: Assumptions, problems: list) -> None:
    text = rest.replace("$", "").strip()
    if text.lower().rstrip(".") in ("none", "off"):
        state.tolerance = None
        return
    m = _TOLERANCE.match(text)
    value = None
    relative = False
    if m:
        value = float(m.group("num")) * 10.0 ** int(m.group("exp") or 0)
        if m.group("pct"):
            value /= 100
            relative = True
        kind = (m.group("kind") or "").lower()
        if kind.startswith("rel"):
            relative = True
        elif kind.startswith("abs") and m.group("pct"):
            problems.append(f"line {line}: tolerance '{text}' is a percentage and absolute; not applied")
            return
    else:
        words = re.match(r"^(?P<expr>.*?)\s*(?P<kind>relative|absolute)?\s*\.?$", text, re.I)
        try:
            v = _latex_value(words.group("expr"))
            if v.is_number and v.is_real and v > 0:
                value = float(v)
                relative = (words.group("kind") or "").lower() == "relative"
        except ExpressionError:
            value = None
    if value is None or not (0 < value < math.inf):
        problems.append(f"line {line}: tolerance '{text}' not understood (e.g. 'Tolerance: 1%' or 'Tolerance: 0.001')")
        return
    state.tolerance = Tolerance(value, relative, f"stated on line {line}")
