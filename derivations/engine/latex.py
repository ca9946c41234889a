r"""Read LaTeX math as posts write it into SymPy expressions, without running any code.

User text is data, so this is a small tokenizer and recursive-descent parser over an explicit
whitelist of commands; every number, power and special-function argument goes through the
bounds of :mod:`derivations.engine.bounds` (shared with the Python-syntax :mod:`parser`)
*before* SymPy builds it.  Any problem is an :class:`ExpressionError` with one line naming the
offending command and its position (1-based character offset in the text).

Why not SymPy's ``parse_latex``?  Both backends were tried on what posts write and on hostile
input (SymPy 1.14 with the antlr4 runtime 4.11, and with lark 1.3.1 in a scratch environment):

* ANTLR backend: it runs no ``eval``, but it accepts what it does not know by *guessing*:
  ``\input{/etc/passwd}`` becomes the symbol ``input``, ``\def\x{1}`` the product ``def*x*1``,
  ``\csname foo\endcsname`` a product of letters, ``\mathrm{Var}(X)`` is ``mathrm*X*V*a*r``,
  ``\mathrm{d}x`` in an integral is not a differential, ``e^{x}`` is the symbol ``e`` to the
  ``x``, ``x_{ij}`` is ``x_{i*j}``, 3000 nested braces raise ``RecursionError``, and its error
  messages span several lines.
* Lark backend: it evaluates while building: ``2^{10^{10^{10}}}`` did not return in minutes
  (the process had to be killed); ambiguous input returns a lark ``Tree('_ambig', ...)``
  instead of an expression (``n(n+1)``, ``\cosh x``, ``\zeta(2)``); it rejects ``\pi``,
  ``\Gamma(x)``, ``\mathrm{}``, ``\text{}``, ``\operatorname{}``; lark is not a dependency.
* Both would need the resulting tree re-walked and bounded afterwards, and neither can refuse
  a construct with a reason.  An own parser refuses anything outside the whitelist, bounds
  sizes before building, and explains each refusal in one line.

What is read (see the tests for one case each):

* numbers (``0.1`` is exactly 1/10), ``+ - * / \cdot \times``, implicit multiplication
  (``2x``, ``n(n+1)``, ``\frac{1}{2}x``), ``^`` (``e^{x}`` and ``\mathrm{e}^x`` are ``exp``),
  ``x!``, ``\frac \dfrac \tfrac``, ``\sqrt{}`` and ``\sqrt[n]{}``, ``\binom``;
* groups ``( ) [ ] { } \{ \}`` with or without ``\left``/``\right`` (and ``\big``...),
  ``|x|``, ``\lvert x\rvert`` and ``\left|x\right|`` as ``Abs``, ``\lfloor \rfloor``,
  ``\lceil \rceil``;
* ``\sum_{k=1}^{n}``, ``\prod_{k=1}^{n}``: the summand is the product that follows (up to the
  next ``+``/``-``/relation); ``\int_a^b f\,dx`` (also ``\mathrm{d}x``, ``\,dx`` first); the
  integrand runs up to the differential; ``\lim_{x\to a}`` (``a^+``/``a^-`` one-sided,
  ``\to\infty``; two-sided otherwise); ``\frac{d}{dx}`` and ``\frac{\partial^2}{\partial x^2}``
  applied to the product that follows;
* functions ``\sin \cos \tan \cot \sec \csc \arcsin \arccos \arctan \sinh \cosh \tanh \coth
  \ln \log \exp \max \min`` with or without parentheses (``\sin 2x`` is sin(2x); the argument
  without parentheses is the implicit product that follows, up to the next function,
  operator or parenthesis), ``\sin^2 x`` is (sin x)^2, ``\log_b x``; ``\log`` is the natural
  logarithm, as in the posts; ``\Gamma(x)``, ``\zeta(s)``; ``\operatorname{..}``/``\mathrm{..}``
  of ``erf erfc erfi sgn sign Ei Si Ci li arsinh arcosh artanh ...``;
* ``\pi``, ``\infty``, ``e`` (a bare ``e`` is Euler's number, unless it is a summation variable;
  ``e_t`` is a symbol), ``\mathrm{i}`` (the imaginary unit; a bare ``i`` is a symbol);
* names: a letter or Greek letter (``\alpha``...``\Omega``, ``\varepsilon``, ``\ell``; ``\gamma``
  is a symbol, not Euler's constant), with a subscript (``x_1``, ``\eta_t``, ``x_{ij}``,
  ``\theta_{t+1}`` are single symbols named ``x_1``, ``eta_t``, ``x_ij``, ``theta_{t+1}``),
  primes and stars (``x'``, ``\theta^*``), accents (``\bar x``, ``\hat x``, ``\tilde x`` are
  ``xbar``, ``xhat``, ``xtilde``), ``\mathcal{R}`` (``calR``), ``\mathrm{Var}``/``\text{Var}``
  (one symbol ``Var``);
* noise: ``\, \! \; \: \quad \qquad ~ \displaystyle \limits \nonumber \label{} \tag{}``
  and trailing ``, . ;``.

Readings that need a decision (documented, never guessed silently):

* A run of letters is a product: ``xy`` is x*y; write ``\mathrm{xy}`` for one name.  A run
  that spells a function (``sin x``, ``log n``) is refused: write ``\sin``.
* ``f(x)``: a name followed directly by ``(`` is a *product* when the same name also occurs
  on its own elsewhere in the block (so ``n(n+1)`` and ``x(1-x)`` are products), or is a
  summation/limit variable there; otherwise it is an application of an undefined function,
  ``Function('f')(x)``, which the engine reports as not evaluable.  ``a\,(b+c)`` or
  ``a \cdot (b+c)`` is always a product.  ``\mathrm{Var}(X)``, ``\mathbb{E}[X]`` are undefined
  functions.
* A subscripted name whose subscript mentions a summation, product, limit or integration
  variable of the block is a *sequence*: ``\sum_{t=1}^{T}\eta_t`` is ``Sum(eta[t], (t, 1, T))``
  with ``eta = IndexedBase('eta')``, and every other subscripted use of that base in the block
  (``\eta_1``, ``\eta_{T+1}``) is an element of the same sequence.
* ``a/bc`` is refused (is it a/(bc) or (a/b)c?), as are ``x2`` (a number after a factor),
  ``2 3``, ``\sin^{-1}``, ``x^2^3``, ``n!!``.

Refused, each with its reason: unknown commands; TeX programming and file access (``\input
\include \def \newcommand \csname \catcode \write \immediate \openout`` ...); ``\begin``
(environments are the chain reader's business); relations, ``&`` and ``\\`` inside an
expression; ellipses (``\cdots``); vectors and norms (``\mathbf``, ``\vec``, ``\|x\|``,
``^\top``); ``\pm``; ``\partial`` outside a derivative; indefinite integrals; sets
(``\mathbb{R}``); prose in ``\text{}``; input longer than :data:`MAX_CHARS` characters or
nested deeper than :data:`MAX_DEPTH` levels; the value bounds of :mod:`bounds` (huge powers,
integers, factorials, Gamma/zeta arguments).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp

from derivations.engine import bounds
from derivations.engine.errors import ExpressionError

MAX_CHARS = 4000
MAX_DEPTH = 60
MAX_DERIVATIVE_ORDER = 10

# -- vocabulary ---------------------------------------------------------------------------
GREEK = {name: name for name in (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "omicron rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split()}
GREEK["ell"] = "ell"

FUNCTIONS = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
    "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan, "arccot": sp.acot,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "coth": sp.coth,
    "ln": sp.log, "log": sp.log, "exp": sp.exp,
}
# names that \operatorname{..}, \mathrm{..} or \text{..} may wrap (besides FUNCTIONS)
NAMED_FUNCTIONS = {
    "sgn": sp.sign, "sign": sp.sign, "erf": sp.erf, "erfc": sp.erfc, "erfi": sp.erfi,
    "Ei": sp.Ei, "Si": sp.Si, "Ci": sp.Ci, "li": sp.li,
    "arsinh": sp.asinh, "arcsinh": sp.asinh, "arcosh": sp.acosh, "arccosh": sp.acosh,
    "artanh": sp.atanh, "arctanh": sp.atanh, "sech": sp.sech, "csch": sp.csch,
}
MULTI_ARGUMENT = {"max": sp.Max, "min": sp.Min}
SPECIAL_FUNCTIONS = {"Gamma": sp.gamma, "zeta": sp.zeta}  # \Gamma(x), \zeta(s); bare: symbols
_FUNCTION_WORDS = sorted(set(FUNCTIONS) | set(MULTI_ARGUMENT) | {"sqrt", "lim", "sum", "int"}, key=len)

RELATIONS = {
    "=": "=", "<": "<", ">": ">", r"\lt": "<", r"\gt": ">",
    r"\le": "<=", r"\leq": "<=", r"\leqslant": "<=", r"\ge": ">=", r"\geq": ">=", r"\geqslant": ">=",
    r"\ne": "!=", r"\neq": "!=", r"\approx": "~",
}
UNSUPPORTED_RELATIONS = {r"\equiv", r"\sim", r"\simeq", r"\cong", r"\propto", r"\ll", r"\gg", r"\lesssim",
                         r"\gtrsim", r"\leqq", r"\geqq", r"\to", r"\rightarrow", r"\Rightarrow", r"\implies",
                         r"\iff", r"\Leftrightarrow", r"\in", r"\notin", r"\subset", r"\subseteq", r"\coloneqq",
                         r"\triangleq", r"\doteq", r"\mapsto", r"\gets", r"\leftarrow"}
FORBIDDEN = {r"\input", r"\include", r"\includeonly", r"\def", r"\edef", r"\gdef", r"\xdef", r"\let",
             r"\futurelet", r"\newcommand", r"\renewcommand", r"\providecommand", r"\DeclareMathOperator",
             r"\newenvironment", r"\renewenvironment", r"\csname", r"\endcsname", r"\catcode", r"\write",
             r"\immediate", r"\openout", r"\openin", r"\closeout", r"\closein", r"\read", r"\expandafter",
             r"\noexpand", r"\special", r"\usepackage", r"\documentclass", r"\makeatletter", r"\makeatother",
             r"\loop", r"\repeat", r"\jobname", r"\string", r"\uppercase", r"\lowercase", r"\afterassignment",
             r"\everymath", r"\everydisplay", r"\verb", r"\url", r"\href", r"\require", r"\newline", r"\char",
             r"\mathchar", r"\number", r"\romannumeral", r"\the", r"\relax", r"\global", r"\long", r"\outer"}

# Dropped before parsing.
_NOISE = {r"\displaystyle", r"\textstyle", r"\scriptstyle", r"\scriptscriptstyle", r"\limits", r"\nolimits",
          r"\nonumber", r"\notag", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr",
          r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\bigm", r"\Bigm"}
_NOISE_WITH_GROUP = {r"\label", r"\tag", r"\hspace", r"\vspace", r"\phantom", r"\hphantom", r"\vphantom"}
# Visible spacing: kept as a token, since ``a\,(b)`` is a product where ``a(b)`` may be a call.
_SPACING = {r"\,", r"\!", r"\;", r"\:", r"\>", "\\ ", r"\quad", r"\qquad", r"\enspace", r"\thinspace",
            r"\medspace", r"\thickspace", r"\negthinspace"}
_ELLIPSES = {r"\cdots", r"\ldots", r"\dots", r"\vdots", r"\ddots", r"\dotsb", r"\dotsc", r"\dotsm"}
_VECTORS = {r"\mathbf", r"\boldsymbol", r"\bm", r"\vec", r"\overrightarrow", r"\top", r"\intercal", r"\|",
            r"\Vert", r"\lVert", r"\rVert", r"\langle", r"\rangle", r"\otimes", r"\odot", r"\circ"}
_ACCENTS = {r"\bar": "bar", r"\overline": "bar", r"\hat": "hat", r"\widehat": "hat", r"\tilde": "tilde",
            r"\widetilde": "tilde", r"\dot": "dot", r"\ddot": "ddot"}
_NAME_WRAPPERS = {r"\mathrm", r"\text", r"\textrm", r"\textit", r"\mathit", r"\operatorname", r"\mathsf"}
_ARROWS = {r"\to": None, r"\rightarrow": None, r"\longrightarrow": None, r"\searrow": "+",
           r"\downarrow": "+", r"\nearrow": "-", r"\uparrow": "-"}
_STARS = {"*", r"\ast", r"\star"}
_OPENERS = {"(": ")", "[": "]", "{": "}", r"\{": r"\}"}
_UNICODE = {"π": r"\pi", "∞": r"\infty", "·": r"\cdot", "×": r"\times", "≤": r"\le", "≥": r"\ge",
            "≠": r"\ne", "≈": r"\approx", "−": "-", "…": r"\ldots", "⋯": r"\cdots",
            **{ch: "\\" + name for ch, name in zip(
                "αβγδεζηθικλμνξρστυφχψωΓΔΘΛΞΠΣΦΨΩ",
                ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi rho sigma tau "
                 "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega").split())}}

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<cmd>\\(?:[A-Za-z]+|[^A-Za-z]))
  | (?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<letter>[A-Za-z])
  | (?P<char>[-+*/^_()\[\]{}|!',.;:=<>&~])
""", re.X)


@dataclass(frozen=True)
class Token:
    kind: str  # cmd, num, letter, char, space, end
    text: str
    pos: int  # 0-based offset in the text

    def __str__(self):
        return "end of expression" if self.kind == "end" else repr(self.text)


@dataclass(frozen=True)
class Context:
    """What the whole block says about its names (see the module docstring): names used on
    their own (so ``n(n+1)`` is a product) and bases of sequences (``\\eta`` in
    ``\\sum_t \\eta_t``)."""

    standalone: frozenset = frozenset()
    sequences: frozenset = frozenset()

    def __or__(self, other: "Context") -> "Context":
        return Context(self.standalone | other.standalone, self.sequences | other.sequences)


def _error(message: str, token: Token | None = None) -> ExpressionError:
    if token is not None and token.kind != "end":
        message += f" at position {token.pos + 1}"
    return ExpressionError(message)


def tokenize(text: str, *, max_chars: int = MAX_CHARS, allow: frozenset = frozenset()) -> list[Token]:
    """Tokens of ``text``: TeX's single-letter and single-digit-aware lexing, without macros.

    Whitespace is dropped, noise commands (``\\displaystyle``, ``\\label{..}``, ...) removed,
    visible spacing kept as ``space`` tokens, a few Unicode symbols mapped to their commands.
    Nesting of ``{ ( [`` is bounded here, before any recursion.  ``allow`` names characters
    beyond the expression alphabet that the caller handles (the chain reader's ``&``).
    """
    if not isinstance(text, str):
        raise ExpressionError("LaTeX must be text")
    if len(text) > max_chars:
        raise ExpressionError(f"LaTeX too long ({len(text)} characters; limit {max_chars})")
    tokens: list[Token] = []
    depth = 0
    pos = 0
    skip_group = False
    while pos < len(text):
        ch = text[pos]
        if ch in _UNICODE:
            tokens.append(Token("cmd" if _UNICODE[ch].startswith("\\") else "char", _UNICODE[ch], pos))
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if m is None:
            if ch == "%":
                raise _error("comment character % inside math", Token("char", ch, pos))
            shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
            raise _error(f"character {shown} is not allowed in LaTeX math", Token("char", ch, pos))
        kind = m.lastgroup
        value = m.group()
        pos = m.end()
        if kind == "ws":
            continue
        if kind == "cmd" and value == "\\" + "\n":
            continue
        if kind == "char" and value in "{([":
            depth += 1
            if depth > MAX_DEPTH:
                raise _error(f"LaTeX nested deeper than {MAX_DEPTH} levels", Token(kind, value, m.start()))
        elif kind == "char" and value in "})]":
            depth -= 1
        if kind == "char" and value == "~":
            kind, value = "space", "~"
        if kind == "char" and value == "&" and "&" not in allow:
            raise _error("alignment & inside an expression", Token(kind, value, m.start()))
        if kind == "cmd":
            if value in _NOISE:
                continue
            if value in _NOISE_WITH_GROUP:
                skip_group = True
                continue
            if value in _SPACING:
                kind = "space"
        tok = Token(kind, value, m.start())
        if skip_group:
            skip_group = False
            if tok.text == "*":  # \tag*{..}
                skip_group = True
                continue
            if tok.text == "{":
                pos = _skip_braces(text, m.start())
                depth -= 1
                continue
        tokens.append(tok)
    return tokens


def _skip_braces(text: str, start: int) -> int:
    """Offset just after the group that opens at ``text[start] == '{'``."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i + 1
    raise _error("unbalanced { in \\label or \\tag", Token("char", "{", start))


def parse_latex_math(text: str, symbols: dict | None = None, *, context: Context | None = None) -> sp.Expr:
    """Parse one LaTeX expression (no relation) into a SymPy expression.

    ``symbols`` maps names (``"x"``, ``"eta_t"``) to pre-made symbols with assumptions, and
    ``"eta_*"`` to an ``IndexedBase`` for the sequence ``eta``.  ``context`` says how names
    are used in the rest of the block (:func:`scan_tokens`); without it the expression
    itself is the block.  Raises :class:`ExpressionError` with one line on any problem.
    """
    tokens = tokenize(text)
    while tokens and (tokens[-1].kind == "space" or tokens[-1].text in (",", ".", ";")):
        tokens.pop()  # trailing punctuation of a displayed line
    if context is None:
        context = scan_tokens(tokens, text, symbols)
    return read_tokens(tokens, text, symbols, context=context)


def read_tokens(tokens: list, text: str, symbols: dict | None = None, *, context: Context = Context()) -> sp.Expr:
    """:func:`parse_latex_math` on tokens of ``text`` (the chain reader's entry point: its
    expressions may span several lines of a block; positions in messages refer to ``text``)."""
    return _Parser(_checked(tokens), text, symbols or {}, context).parse()


def scan_tokens(tokens: list, text: str, symbols: dict | None = None) -> Context:
    """First pass over one expression of a block: the names it uses on their own and the
    sequences it indexes by a bound variable (union the results over the block)."""
    return _Parser(_checked(tokens), text, symbols or {}, Context()).discover()


def _checked(tokens: list) -> list:
    tokens = list(tokens)
    while tokens and tokens[0].kind == "space":
        tokens.pop(0)
    while tokens and tokens[-1].kind == "space":
        tokens.pop()
    if not tokens:
        raise ExpressionError("empty expression")
    if len(tokens) > MAX_CHARS:
        raise ExpressionError(f"expression too long ({len(tokens)} tokens; limit {MAX_CHARS})")
    return tokens


@dataclass
class _Sub:
    """A subscript: its text for a symbol name, the names it mentions, its tokens."""

    text: str
    atoms: set
    tokens: list
    has_ops: bool


@dataclass
class _Parser:
    toks: list
    text: str
    symbols: dict
    context: Context
    i: int = 0
    depth: int = 0
    bound: list = field(default_factory=list)  # summation/product/limit variables in scope
    closers: list = field(default_factory=list)  # expected closing delimiters, innermost last
    integrals: list = field(default_factory=list)  # open integrands: subscripts seen in each
    found_standalone: set = field(default_factory=set)
    found_sequences: set = field(default_factory=set)
    cache: dict = field(default_factory=dict)

    # -- entry points ------------------------------------------------------------------
    def parse(self) -> sp.Expr:
        try:
            result = self.expr()
            self._expect_end()
        except ExpressionError:
            raise
        except RecursionError:
            raise ExpressionError("expression too deeply nested") from None
        except Exception as exc:  # SymPy raises many types on bad input; the user gets one line
            message = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            raise ExpressionError(f"invalid expression: {message}") from None
        if not isinstance(result, sp.Expr):
            raise ExpressionError(f"not an expression: {type(result).__name__}")
        return result

    def discover(self) -> Context:
        """First pass: parse once to learn which names stand alone and which are sequences."""
        self.parse()
        return Context(frozenset(self.found_standalone), frozenset(self.found_sequences))

    # -- token access ------------------------------------------------------------------
    def _end_token(self) -> Token:
        return Token("end", "", len(self.text))

    def peek_raw(self) -> Token:
        return self.toks[self.i] if self.i < len(self.toks) else self._end_token()

    def peek(self) -> Token:
        """The next token that is not spacing."""
        j = self.i
        while j < len(self.toks) and self.toks[j].kind == "space":
            j += 1
        return self.toks[j] if j < len(self.toks) else self._end_token()

    def next(self) -> Token:
        while self.i < len(self.toks) and self.toks[self.i].kind == "space":
            self.i += 1
        tok = self.peek_raw()
        self.i += 1
        return tok

    def at(self, *texts) -> bool:
        t = self.peek()
        return t.kind != "end" and t.text in texts

    def expect(self, text: str, what: str) -> Token:
        t = self.next()
        if t.text != text or t.kind == "end":
            if self._at_differential(back=1):
                raise _error(f"a differential inside {what} is not supported; write the integrand before it", t)
            raise _error(f"expected {text} to close {what}, found {t}", t)
        return t

    def _expect_end(self):
        t = self.peek()
        if t.kind == "end":
            return
        if t.text in RELATIONS:
            raise _error(f"relation {t.text} inside an expression", t)
        if t.text in UNSUPPORTED_RELATIONS:
            raise _error(f"{t.text} is not an expression or a supported relation", t)
        if t.text == r"\\":
            raise _error(r"line break \\ inside an expression", t)
        if t.text == ",":
            raise _error("a comma list is not an expression", t)
        if t.text == r"\right":
            raise _error(r"\right without \left", t)
        raise _error(f"unexpected {t}", t)

    def _split_number(self):
        """TeX reads one digit as a script or \\frac argument: ``x^23`` is x^2 times 3."""
        j = self.i
        while self.toks[j].kind == "space":
            j += 1
        t = self.toks[j]
        if t.kind == "num" and len(t.text) > 1 and t.text[0] != ".":
            self.toks[j:j + 1] = [Token("num", t.text[0], t.pos), Token("num", t.text[1:], t.pos + 1)]

    def _enter(self):
        """Count nesting where every recursion passes: primaries and sub-expressions."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _error(f"expression nested deeper than {MAX_DEPTH} levels", self.peek())

    def _leave(self):
        self.depth -= 1

    def _parse_slice(self, tokens: list, parse, what: str):
        """Run ``parse`` on a token slice (a group's contents) as a sub-expression."""
        saved = self.toks, self.i, self.closers
        self.toks, self.i, self.closers = list(tokens), 0, []
        self._enter()
        try:
            if self.peek().kind == "end":
                raise _error(f"empty {what}", saved[0][saved[1] - 1] if saved[1] else None)
            result = parse()
            t = self.peek()
            if t.kind != "end":
                if self._at_differential():
                    raise _error(f"a differential inside {what} is not supported; write it after the integrand", t)
                raise _error(f"unexpected {t} in {what}", t)
            return result
        finally:
            self._leave()
            self.toks, self.i, self.closers = saved

    def _group_tokens(self, what: str, single: bool = True) -> list:
        """The tokens of a ``{...}`` group, or (TeX style) of one token when ``single``."""
        t = self.next()
        if t.text == "{" and t.kind == "char":
            start = self.i
            depth = 1
            while self.i < len(self.toks):
                u = self.toks[self.i]
                self.i += 1
                if u.kind == "char" and u.text == "{":
                    depth += 1
                elif u.kind == "char" and u.text == "}":
                    depth -= 1
                    if depth == 0:
                        return self.toks[start:self.i - 1]
            raise _error(f"unbalanced {{ in {what}", t)
        if single and t.kind in ("num", "letter", "cmd") and t.text not in RELATIONS:
            if t.kind == "num" and len(t.text) > 1:
                self.i -= 1
                self._split_number()
                return [self.next()]
            return [t]
        raise _error(f"{what} needs an argument in braces, found {t}", t)

    # -- grammar -----------------------------------------------------------------------
    def expr(self):
        """sum of terms: ``[+-] term ([+-] term)*``"""
        t = self.peek()
        negate = False
        if t.text in ("+", "-") and t.kind == "char":
            self.next()
            negate = t.text == "-"
        result = self.term()
        if negate:
            result = -result
        while True:
            t = self.peek()
            if t.kind == "char" and t.text in ("+", "-"):
                self.next()
                right = self.term()
                result = result + right if t.text == "+" else result - right
            elif t.text in (r"\pm", r"\mp"):
                raise _error(f"{t.text} makes two expressions; write each one", t)
            else:
                break
        return result

    def term(self):
        """product of factors: explicit ``\\cdot \\times * /`` or implicit (``2x``, ``n(n+1)``)."""
        result = self.factor()
        after_division = False
        while True:
            t = self.peek()
            if t.text in (r"\cdot", r"\times", "*") and t.kind in ("cmd", "char"):
                self.next()
                result = result * self._signed_factor()
                after_division = False
            elif t.text in ("/", r"\div") and t.kind in ("cmd", "char"):
                self.next()
                result = result / self._signed_factor()
                after_division = True
            elif self._starts_factor(t):
                if after_division:
                    raise _error("a/bc is ambiguous: use \\frac or parentheses", t)
                if t.kind == "num":
                    raise _error("a number after a factor needs an explicit \\cdot", t)
                result = result * self.factor()
            else:
                break
        return result

    def _signed_factor(self):
        t = self.peek()
        if t.kind == "char" and t.text in ("+", "-"):
            self.next()
            f = self.factor()
            return -f if t.text == "-" else f
        return self.factor()

    def factor(self):
        """``primary`` with postfix ``!`` and a superscript."""
        base = self.primary()
        base = self._factorials(base)
        if self.at("^"):
            self.next()
            exponent = self._script()
            if self.at("^"):
                raise _error("double superscript: use braces, x^{a^b}", self.peek())
            base = bounds.power(base, exponent)
            if self.at("!"):
                raise _error("factorial after a power is ambiguous: use parentheses", self.peek())
            if self.at("_"):
                raise _error("write the subscript before the superscript (x_1^2)", self.peek())
        return base

    def _factorials(self, base):
        if self.at("!"):
            t = self.next()
            if self.at("!"):
                raise _error("double factorial n!! is not supported", self.peek())
            bounds.check_function_args("factorial", [base])
            return sp.factorial(base)
        return base

    def _script(self):
        """A super- or subscript argument: a group, one digit, one letter or one command."""
        t = self.peek()
        if t.kind == "char" and t.text == "{":
            toks = self._group_tokens("superscript")
            return self._parse_slice(toks, self.expr, "superscript")
        if t.kind == "num":
            self._split_number()
            if self.peek().text.startswith("."):
                raise _error("a decimal superscript needs braces", t)
            return self._number(self.next())
        if t.kind == "letter":
            self.next()
            return sp.E if t.text == "e" else self._symbol(t.text)
        if t.kind == "cmd" and t.text not in RELATIONS:
            if t.text in (r"\top", r"\intercal"):
                raise _error("transposes (vectors) are not supported", t)
            return self.primary()
        raise _error(f"missing superscript argument, found {t}", t)

    def _starts_factor(self, t: Token) -> bool:
        if t.kind in ("end", "space"):
            return False
        if self._at_differential():
            return False
        if t.kind in ("num", "letter"):
            return True
        if t.kind == "char":
            if t.text == "|":
                return not (self.closers and self.closers[-1] == "|")
            return t.text in "([{"
        if t.kind == "cmd":
            return t.text not in RELATIONS and t.text not in UNSUPPORTED_RELATIONS and t.text not in (
                r"\cdot", r"\times", r"\div", r"\pm", r"\mp", r"\right", r"\}", r"\rvert", r"\rfloor", r"\rceil",
                r"\\", r"\to")
        return False

    # -- primaries ---------------------------------------------------------------------
    def primary(self):
        self._enter()
        t = self.peek()
        if t.kind == "end":
            raise _error("expression ends where a value is expected")
        if self._at_differential():
            raise _error("an integrand is expected before the differential", t)
        if t.kind == "num":
            result = self._number(self.next())
        elif t.kind == "letter":
            result = self._letter()
        elif t.kind == "char":
            result = self._delimited()
        else:
            result = self._command()
        self._leave()
        return result

    def _number(self, t: Token):
        if "." in t.text:
            return bounds.decimal_literal(t.text if not t.text.startswith(".") else "0" + t.text)
        return bounds.integer_literal(t.text)

    def _delimited(self):
        t = self.next()
        if t.text in _OPENERS:
            return self._group(t, _OPENERS[t.text])
        if t.text == "|":
            return sp.Abs(self._group(t, "|"))
        if t.text in ("-", "+"):
            raise _error(f"unexpected sign {t.text}: use parentheses", t)
        if t.text == "'":
            raise _error("a prime ' must follow a name", t)
        raise _error(f"unexpected {t}", t)

    def _group(self, opener: Token, closer: str):
        self.closers.append(closer)
        if self.peek().text == closer and self.peek().kind in ("char", "cmd"):
            raise _error(f"empty {opener.text}{closer}", opener)
        inner = self.expr()
        self.closers.pop()
        t = self.next()
        if t.text != closer:
            if t.text == "," and opener.text in ("(", "["):
                raise _error("a comma list is not an expression (intervals belong on an Assume line)", t)
            if t.kind == "end" or t.text == r"\right":
                raise _error(f"{opener.text} at position {opener.pos + 1} is not closed by {closer}", t)
            raise _error(f"expected {closer} to close {opener.text}, found {t}", t)
        return inner

    def _left(self, t: Token):
        """``\\left( .. \\right)`` and its kin: parentheses, brackets, braces, |..|, floor, ceiling."""
        d = self.next()
        pairs = {"(": ")", "[": "]", r"\{": r"\}", "|": "|", r"\lvert": r"\rvert", r"\vert": r"\vert",
                 r"\lfloor": r"\rfloor", r"\lceil": r"\rceil"}
        if d.text not in pairs:
            if d.text == ".":
                raise _error(r"\left. (an evaluation bar) is not supported", d)
            if d.text in _VECTORS:
                raise _error(f"{d.text} (vectors and norms) is not supported", d)
            raise _error(f"unsupported delimiter {d} after \\left", d)
        close = pairs[d.text]
        self.closers.append(r"\right")
        inner = self.expr()
        self.closers.pop()
        r = self.next()
        if r.text != r"\right":
            raise _error(f"\\left{d.text} at position {t.pos + 1} is not closed by \\right{close}, found {r}", r)
        c = self.next()
        if c.text != close:
            raise _error(f"\\left{d.text} closed by \\right{c.text}", c)
        return self._wrap_delimiter(d.text, inner)

    @staticmethod
    def _wrap_delimiter(opener: str, inner):
        if opener in ("|", r"\lvert", r"\vert"):
            return sp.Abs(inner)
        if opener == r"\lfloor":
            return bounds.integer_part(sp.floor, inner)
        if opener == r"\lceil":
            return bounds.integer_part(sp.ceiling, inner)
        return inner

    def _bracket_pair(self, t: Token, close: str):
        self.closers.append(close)
        inner = self.expr()
        self.closers.pop()
        c = self.next()
        if c.text != close:
            raise _error(f"{t.text} at position {t.pos + 1} is not closed by {close}, found {c}", c)
        return self._wrap_delimiter(t.text, inner)

    def _command(self):
        t = self.peek()
        name = t.text
        if name in FORBIDDEN:
            raise _error(f"command {name} is not allowed (TeX programming or file access)", t)
        if name == r"\begin" or name == r"\end":
            self.next()
            env = "".join(u.text for u in self._group_tokens(name)) if self.at("{") else "?"
            raise _error(f"environment {{{env}}} is not supported inside an expression", t)
        if name == r"\left":
            self.next()
            return self._left(t)
        if name in (r"\lvert", r"\vert", r"\lfloor", r"\lceil"):
            self.next()
            return self._bracket_pair(t, {r"\lvert": r"\rvert", r"\vert": r"\vert", r"\lfloor": r"\rfloor",
                                          r"\lceil": r"\rceil"}[name])
        if name == r"\{":
            self.next()
            return self._group(t, r"\}")
        if name in (r"\frac", r"\dfrac", r"\tfrac", r"\cfrac"):
            self.next()
            return self._frac(t)
        if name == r"\sqrt":
            self.next()
            return self._sqrt(t)
        if name in (r"\binom", r"\dbinom", r"\tbinom"):
            self.next()
            n = self._parse_slice(self._group_tokens(name), self.expr, name)
            k = self._parse_slice(self._group_tokens(name), self.expr, name)
            bounds.check_function_args("binomial", [n, k])
            return sp.binomial(n, k)
        if name in (r"\sum", r"\prod"):
            self.next()
            return self._big_operator(t)
        if name == r"\int":
            self.next()
            return self._integral(t)
        if name == r"\lim":
            self.next()
            return self._limit(t)
        if name[1:] in FUNCTIONS:
            self.next()
            return self._apply(t, name[1:], FUNCTIONS[name[1:]])
        if name[1:] in MULTI_ARGUMENT:
            self.next()
            return self._apply_multi(t, name[1:])
        if name[1:] in SPECIAL_FUNCTIONS and self._calls(name[1:]):
            self.next()
            return self._apply_call(t, name[1:], SPECIAL_FUNCTIONS[name[1:]])
        if name == r"\pi" and not self._has_decoration():
            self.next()
            return sp.pi
        if name == r"\infty":
            self.next()
            return sp.oo
        if name[1:] in GREEK or name == r"\pi":
            self.next()
            return self._name(GREEK.get(name[1:], "pi"), t)
        if name in _NAME_WRAPPERS:
            self.next()
            return self._wrapped_name(t)
        if name == r"\mathbb":
            self.next()
            return self._blackboard(t)
        if name == r"\mathcal":
            self.next()
            toks = self._group_tokens(name)
            if len(toks) != 1 or toks[0].kind != "letter":
                raise _error(r"\mathcal takes one letter", t)
            return self._name("cal" + toks[0].text, t)
        if name in _ACCENTS:
            self.next()
            toks = [u for u in self._group_tokens(name) if u.kind != "space"]
            if len(toks) != 1 or not (toks[0].kind == "letter" or toks[0].text[1:] in GREEK):
                raise _error(f"{name} decorates one letter", t)
            inner = toks[0].text if toks[0].kind == "letter" else GREEK[toks[0].text[1:]]
            return self._name(inner + _ACCENTS[name], t)
        if name in _ELLIPSES:
            raise _error(f"an ellipsis {name} is not an expression; write a \\sum or \\prod", t)
        if name in _VECTORS:
            raise _error(f"{name} (vectors, norms, inner products) is not supported", t)
        if name in (r"\partial", r"\nabla"):
            raise _error(f"{name} outside \\frac{{\\partial}}{{\\partial x}} is not supported", t)
        if name in (r"\iint", r"\iiint", r"\oint"):
            raise _error(f"{name} is not supported (write nested \\int)", t)
        if name in RELATIONS or name in UNSUPPORTED_RELATIONS:
            raise _error(f"relation {name} inside an expression", t)
        if name in (r"\right", r"\rvert", r"\rfloor", r"\rceil", r"\}"):
            raise _error(f"{name} without its opening delimiter", t)
        if name == r"\\":
            raise _error(r"line break \\ inside an expression", t)
        if name in (r"\pm", r"\mp"):
            raise _error(f"{name} makes two expressions; write each one", t)
        raise _error(f"unknown command {name}", t)

    # -- names -------------------------------------------------------------------------
    def _has_decoration(self) -> bool:
        j = self.i + 1
        return j < len(self.toks) and self.toks[j].text in ("_", "'")

    def _letter(self):
        t = self.next()
        self._refuse_function_words(t)
        if t.text == "e" and self.peek_raw().text not in ("_", "'") and "e" not in self.bound:
            return sp.E
        return self._name(t.text, t)

    def _refuse_function_words(self, t: Token):
        """``sin x`` typed without a backslash reads as s*i*n*x: refuse it."""
        j = self.i - 1
        if j > 0 and self.toks[j - 1].kind == "letter" and self.toks[j - 1].pos == t.pos - 1:
            return  # not the start of a run
        run = ""
        while j < len(self.toks) and self.toks[j].kind == "letter" and self.toks[j].pos == t.pos + len(run):
            run += self.toks[j].text
            j += 1
        if len(run) > 1:
            for word in _FUNCTION_WORDS:
                if word in run and len(word) > 1:
                    raise _error(f"letters '{run}' would be a product of letters: write \\{word} "
                                 f"(or \\mathrm{{{run}}} for one name)", t)

    def _name(self, base: str, t: Token):
        """A name with its subscript, primes and stars; then a symbol, a sequence element, or
        (followed by ``(``) an application of an undefined function or a product."""
        decorations = ""
        sub = None
        while True:
            u = self.peek_raw()
            if u.kind == "char" and u.text == "_" and sub is None:
                self.next()
                sub = self._subscript()
            elif u.kind == "char" and u.text == "'":
                self.next()
                decorations += "'"
            elif u.kind == "char" and u.text == "^" and self._star_follows():
                self.next()
                star = self.next()
                if star.text == "{":
                    star = self.next()
                    self.expect("}", "superscript")
                decorations += "'" if star.text == r"\prime" else "^*"
            else:
                break
        stem = base + decorations
        name = stem if sub is None else f"{stem}_{sub.text}"
        if sub is not None and self.integrals:
            self.integrals[-1].append((stem, sub.atoms))
        if sub is not None and (sub.atoms & set(self.bound) or stem in self.context.sequences):
            if sub.atoms & set(self.bound):
                self.found_sequences.add(stem)
            if self._calls_raw():
                raise _error(f"an indexed function {name}(...) is not supported", self.peek_raw())
            return self._element(stem, sub)
        if self._calls_raw():
            if name in self.bound or name in self.context.standalone:
                return self._symbol(name)
            return self._apply_call(t, name, None)
        self.found_standalone.add(name)
        return self._symbol(name)

    def _star_follows(self) -> bool:
        j = self.i + 1
        if j < len(self.toks) and self.toks[j].text in _STARS | {r"\prime"}:
            return True
        return (j + 2 < len(self.toks) and self.toks[j].text == "{" and self.toks[j + 1].text in _STARS | {r"\prime"}
                and self.toks[j + 2].text == "}")

    def _subscript(self) -> _Sub:
        t = self.peek_raw()
        if t.kind == "num" and len(t.text) > 1:
            self._split_number()
        toks = [u for u in self._group_tokens("subscript") if u.kind != "space"]
        parts, atoms, has_ops = [], set(), False
        k = 0
        while k < len(toks):
            u = toks[k]
            if u.kind in ("letter", "num"):
                parts.append(u.text)
                if u.kind == "letter":
                    atoms.add(u.text)
            elif u.kind == "cmd" and u.text[1:] in GREEK:
                parts.append(GREEK[u.text[1:]])
                atoms.add(GREEK[u.text[1:]])
            elif u.text in _STARS:
                parts.append("*")
            elif u.kind == "char" and u.text in "+-,":
                parts.append(u.text)
                has_ops = True
            elif u.kind == "cmd" and u.text in (r"\max", r"\min"):
                parts.append(u.text[1:])
            elif u.kind == "cmd" and u.text in _NAME_WRAPPERS and k + 2 < len(toks) and toks[k + 1].text == "{":
                end = next((m for m in range(k + 2, len(toks)) if toks[m].text == "}"), None)
                if end is None or not all(v.kind in ("letter", "num") for v in toks[k + 2:end]):
                    raise _error("a subscript \\text{..} may hold letters and digits only", u)
                parts.append("".join(v.text for v in toks[k + 2:end]))
                k = end
            else:
                raise _error(f"unsupported subscript {u}", u)
            k += 1
        if not parts:
            raise _error("empty subscript", t)
        text = "".join(parts)
        return _Sub("{" + text + "}" if has_ops else text, atoms, toks, has_ops)

    def _element(self, stem: str, sub: _Sub):
        """``stem_sub`` as an element of the sequence ``IndexedBase(stem)``."""
        base = self.symbols.get(stem + "_*")
        if not isinstance(base, sp.IndexedBase):
            base = self.cache.setdefault(("base", stem), sp.IndexedBase(stem))
        if not sub.has_ops and all(u.kind == "letter" or u.text[1:] in GREEK for u in sub.tokens):
            indices = [self._symbol(u.text if u.kind == "letter" else GREEK[u.text[1:]]) for u in sub.tokens]
        else:
            indices = self._parse_slice(sub.tokens, self._comma_list, "subscript")
        return sp.Indexed(base, *indices)

    def _comma_list(self):
        items = [self.expr()]
        while self.at(","):
            self.next()
            items.append(self.expr())
        return items

    def _symbol(self, name: str):
        if name in self.symbols and isinstance(self.symbols[name], sp.Symbol):
            return self.symbols[name]
        return self.cache.setdefault(name, sp.Symbol(name))

    def _calls_raw(self) -> bool:
        """A ``(`` directly after a name (visible spacing in between makes it a product)."""
        u = self.peek_raw()
        return u.kind == "char" and u.text == "("

    def _calls(self, name: str) -> bool:
        """``\\Gamma(``, ``\\zeta(``: the special function, unless the name stands alone in the block."""
        self.i += 1
        try:
            return self._paren_follows() and name not in self.context.standalone
        finally:
            self.i -= 1

    def _paren_follows(self, spaced: bool = False) -> bool:
        """Is the next token ``(`` or ``\\left(`` / ``\\left[`` (after visible spacing if ``spaced``)?"""
        j = self.i
        while spaced and j < len(self.toks) and self.toks[j].kind == "space":
            j += 1
        if j >= len(self.toks):
            return False
        if self.toks[j].kind == "char" and self.toks[j].text == "(":
            return True
        return self.toks[j].text == r"\left" and j + 1 < len(self.toks) and self.toks[j + 1].text in ("(", "[")

    def _wrapped_name(self, t: Token):
        toks = self._group_tokens(t.text)
        words = "".join(u.text for u in toks if u.kind in ("letter", "num"))
        if not toks or not all(u.kind in ("letter", "num") for u in toks) or not words[0].isalpha():
            shown = self.text[toks[0].pos:toks[-1].pos + len(toks[-1].text)] if toks else ""
            raise _error(f"text '{shown}' inside math is not an expression", t)
        if len(toks) > 1 and any(toks[k].pos != toks[k - 1].pos + len(toks[k - 1].text) for k in range(1, len(toks))):
            raise _error(f"text '{self.text[toks[0].pos:toks[-1].pos + 1]}' inside math is not an expression", t)
        if words == "d":
            raise _error("differential d outside an integral or \\frac{d}{dx}", t)
        if words == "e":
            return sp.E
        if words == "i":
            return sp.I
        if words in FUNCTIONS:
            return self._apply(t, words, FUNCTIONS[words])
        if words in NAMED_FUNCTIONS:
            return self._apply(t, words, NAMED_FUNCTIONS[words])
        if words in MULTI_ARGUMENT:
            return self._apply_multi(t, words)
        if len(words) > 1 and (self._paren_follows() or self.peek_raw().text == "["):
            return self._apply_call(t, words, None)
        return self._name(words, t)

    def _blackboard(self, t: Token):
        toks = self._group_tokens(r"\mathbb")
        letter = "".join(u.text for u in toks)
        if letter == "E" and (self._paren_follows() or self.peek_raw().text == "["):
            return self._apply_call(t, "E", None)
        raise _error(f"\\mathbb{{{letter}}} is not an expression (sets belong on an Assume line)", t)

    # -- functions ---------------------------------------------------------------------
    def _call_arguments(self, t: Token, name: str) -> list:
        """``( a, b )``, ``[ a ]`` or ``\\left( a \\right)``: the argument list of a call."""
        o = self.next()
        if o.text == r"\left":
            o = self.next()
            close = {"(": ")", "[": "]", r"\{": r"\}"}.get(o.text)
            if close is None:
                raise _error(f"unsupported delimiter {o} after \\left", o)
            self.closers.append(r"\right")
            args = self._comma_list()
            self.closers.pop()
            if self.next().text != r"\right" or self.next().text != close:
                raise _error(f"arguments of {name} not closed by \\right{close}", t)
            return args
        close = {"(": ")", "[": "]", r"\{": r"\}"}.get(o.text)
        if close is None:
            raise _error(f"{name} needs an argument", o)
        self.closers.append(close)
        args = self._comma_list()
        self.closers.pop()
        c = self.next()
        if c.text != close:
            raise _error(f"arguments of {name} not closed by {close}, found {c}", c)
        return args

    def _apply_call(self, t: Token, name: str, function):
        """``name(args)``: a known function (``\\Gamma``, ``\\zeta``) or an undefined one."""
        args = self._call_arguments(t, name)
        if function is None:
            return sp.Function(name)(*args)
        if len(args) != 1 and function is sp.gamma:
            raise _error(f"\\Gamma takes one argument, got {len(args)}", t)
        if len(args) > 2:
            raise _error(f"{name} takes at most two arguments, got {len(args)}", t)
        bounds.check_function_args(function.__name__, args)
        return function(*args)

    def _apply(self, t: Token, name: str, function):
        """``\\sin x``, ``\\sin(x)``, ``\\sin^2 x``, ``\\log_2 x``: one-argument functions."""
        exponent = base = None
        for _ in range(2):
            if self.at("^") and exponent is None:
                self.next()
                exponent = self._script()
                if exponent == -1:
                    raise _error(f"\\{name}^{{-1}} is ambiguous: write \\arc{name} or 1/\\{name}", t)
            elif self.at("_") and base is None and name == "log":
                self.next()
                base = self._script()
        if self._paren_follows(spaced=True):
            args = self._call_arguments(t, name)
            if len(args) != 1:
                raise _error(f"\\{name} takes one argument, got {len(args)}", t)
            arg = args[0]
        else:
            arg = self._bare_argument(t, name)
        bounds.check_function_args(function.__name__, [arg])
        value = function(arg) if base is None else sp.log(arg, base)
        return value if exponent is None else bounds.power(value, exponent)

    def _apply_multi(self, t: Token, name: str):
        if self.at("_"):
            raise _error(f"\\{name} over a set (\\{name}_{{..}}) is not supported", t)
        args = self._call_arguments(t, name)
        return MULTI_ARGUMENT[name](*args)

    def _bare_argument(self, t: Token, name: str):
        """The argument of ``\\sin x``: the implicit product that follows, up to an operator,
        a relation, another function, a big operator or a parenthesis."""
        u = self.peek()
        sign = 1
        if u.kind == "char" and u.text == "-":
            self.next()
            sign = -1
        if not self._starts_factor(self.peek()):
            raise _error(f"\\{name} needs an argument", self.peek())
        result = self.factor()
        while True:
            u = self.peek()
            if not self._starts_factor(u) or u.kind == "num" or u.text in ("(", r"\left") or (
                    u.kind == "cmd" and (u.text[1:] in FUNCTIONS or u.text[1:] in MULTI_ARGUMENT
                                         or u.text in (r"\sum", r"\prod", r"\int", r"\lim", r"\operatorname"))):
                break
            result = result * self.factor()
        return sign * result

    # -- fractions, roots ----------------------------------------------------------------
    def _frac(self, t: Token):
        num = self._group_tokens(t.text)
        den = self._group_tokens(t.text)
        derivative = self._derivative_order(num, den, t)
        if derivative is not None:
            var_tokens, order = derivative
            var = self._parse_slice(var_tokens, self.primary, "derivative variable")
            if not isinstance(var, sp.Symbol):
                raise _error("a derivative is taken with respect to a name", t)
            body = self._body(t, r"\frac{d}{dx}")
            return sp.Derivative(body, (var, order))
        top = self._parse_slice(num, self.expr, "numerator")
        bottom = self._parse_slice(den, self.expr, "denominator")
        return top / bottom

    @staticmethod
    def _differential_prefix(toks: list) -> int:
        """Length of a leading differential ``d``, ``\\mathrm{d}`` or ``\\partial`` in ``toks``."""
        if toks and toks[0].kind == "letter" and toks[0].text == "d":
            return 1
        if toks and toks[0].text == r"\partial":
            return 1
        if len(toks) >= 4 and toks[0].text in _NAME_WRAPPERS and toks[1].text == "{" and toks[2].text == "d" \
                and toks[3].text == "}":
            return 4
        return 0

    def _derivative_order(self, num: list, den: list, t: Token):
        """``\\frac{d}{dx}``, ``\\frac{d^2}{dx^2}``: (variable tokens, order) or None."""
        num = [u for u in num if u.kind != "space"]
        den = [u for u in den if u.kind != "space"]
        n = self._differential_prefix(num)
        m = self._differential_prefix(den)
        if not n or not m or len(den) == m:
            return None
        order = 1
        rest = num[n:]
        if rest:
            if rest[0].text != "^" or len(rest) not in (2, 4):
                raise _error("write \\frac{d}{dx} f instead of \\frac{df}{dx}", t)
            digits = rest[1].text if len(rest) == 2 else rest[2].text
            if not digits.isdigit() or not 1 <= int(digits) <= MAX_DERIVATIVE_ORDER:
                raise _error(f"derivative order must be 1..{MAX_DERIVATIVE_ORDER}", t)
            order = int(digits)
        var = den[m:]
        if order > 1:
            if len(var) < 3 or var[-2].text != "^" or var[-1].text != str(order):
                if len(var) >= 5 and var[-4].text == "^" and var[-3].text == "{" and var[-2].text == str(order):
                    var = var[:-4]
                else:
                    raise _error(f"the denominator of a derivative of order {order} is dx^{order}", t)
            else:
                var = var[:-2]
        if not var:
            raise _error("a derivative needs a variable: \\frac{d}{dx}", t)
        return var, order

    def _sqrt(self, t: Token):
        index = None
        if self.peek_raw().text == "[":
            self.next()
            self.closers.append("]")
            index = self.expr()
            self.closers.pop()
            self.expect("]", r"\sqrt[")
        radicand = self._parse_slice(self._group_tokens(r"\sqrt"), self.expr, r"\sqrt")
        if index is None:
            return bounds.power(radicand, sp.Rational(1, 2))
        if index == 0:
            raise _error("\\sqrt[0] is undefined", t)
        return bounds.power(radicand, 1 / index)

    # -- sums, products, integrals, limits -----------------------------------------------
    def _scripts(self, t: Token) -> tuple[list | None, list | None]:
        """The ``_..`` and ``^..`` of a big operator, in either order (as token lists)."""
        lower = upper = None
        for _ in range(2):
            if self.at("_") and lower is None:
                self.next()
                lower = self._group_tokens(f"{t.text}_")
            elif self.at("^") and upper is None:
                self.next()
                self._split_number()
                upper = self._group_tokens(f"{t.text}^")
        return lower, upper

    def _body(self, t: Token, what: str):
        u = self.peek()
        if u.kind == "char" and u.text == "-":
            self.next()
            return -self._body(t, what)
        if not self._starts_factor(u):
            raise _error(f"{what} without an operand", u if u.kind != "end" else t)
        return self.term()

    def _big_operator(self, t: Token):
        lower, upper = self._scripts(t)
        if lower is None or upper is None:
            raise _error(f"{t.text} needs both limits, as in {t.text}_{{k=1}}^{{n}}", t)
        eq = [k for k, u in enumerate(lower) if u.text == "="]
        if len(eq) != 1:
            raise _error(f"the lower limit of {t.text} must read {{k=1}}", t)
        var = self._parse_slice(lower[:eq[0]], self._bound_name, f"{t.text} index")
        start = self._parse_slice(lower[eq[0] + 1:], self.expr, f"{t.text} lower limit")
        stop = self._parse_slice(upper, self.expr, f"{t.text} upper limit")
        self.bound.append(var.name)
        try:
            body = self._body(t, t.text)
        finally:
            self.bound.pop()
        return (sp.Sum if t.text == r"\sum" else sp.Product)(body, (var, start, stop))

    def _bound_name(self):
        """The variable of a sum, product, limit or differential: a letter or Greek letter,
        possibly subscripted."""
        t = self.next()
        if t.kind == "letter":
            base = t.text
        elif t.kind == "cmd" and t.text[1:] in GREEK:
            base = GREEK[t.text[1:]]
        else:
            raise _error(f"expected a variable name, found {t}", t)
        name = base
        if self.peek_raw().text == "_":
            self.next()
            name = f"{base}_{self._subscript().text}"
        return self._symbol(name)

    def _at_differential(self, back: int = 0) -> bool:
        """Inside an integrand: is the next token ``d`` or ``\\mathrm{d}`` before a variable?"""
        if not self.integrals:
            return False
        j = self.i - back
        while j < len(self.toks) and self.toks[j].kind == "space":
            j += 1
        n = self._differential_prefix(self.toks[j:j + 4])
        if not n or self.toks[j].text == r"\partial":
            return False
        k = j + n
        while k < len(self.toks) and self.toks[k].kind == "space":
            k += 1
        return k < len(self.toks) and (self.toks[k].kind == "letter" or self.toks[k].text[1:] in GREEK)

    def _integral(self, t: Token):
        lower, upper = self._scripts(t)
        if lower is None or upper is None:
            raise _error("an indefinite integral is not a value: give the limits, \\int_a^b", t)
        lo = self._parse_slice(lower, self.expr, r"\int lower limit")
        hi = self._parse_slice(upper, self.expr, r"\int upper limit")
        self.integrals.append([])
        try:
            if self._at_differential():
                var = self._differential()
                integrand = self.term() if self._starts_factor(self.peek()) else sp.Integer(1)
            else:
                integrand = self.expr()
                if not self._at_differential():
                    where = self.peek() if self.peek().kind != "end" else t
                    raise _error("integral without a differential d<variable>", where)
                var = self._differential()
        finally:
            seen = self.integrals.pop()
        for stem, atoms in seen:
            if var.name in atoms:
                self.found_sequences.add(stem)
        if self.integrals:
            self.integrals[-1].extend(seen)
        return sp.Integral(integrand, (var, lo, hi))

    def _differential(self):
        while self.peek_raw().kind == "space":
            self.i += 1
        self.i += self._differential_prefix(self.toks[self.i:self.i + 4])
        return self._bound_name()

    def _limit(self, t: Token):
        if not self.at("_"):
            raise _error(r"\lim needs its variable, as in \lim_{x\to 0}", t)
        self.next()
        toks = [u for u in self._group_tokens(r"\lim_") if u.kind != "space"]
        arrows = [k for k, u in enumerate(toks) if u.text in _ARROWS]
        if len(arrows) != 1:
            raise _error(r"the subscript of \lim must read {x \to a}", t)
        k = arrows[0]
        direction = _ARROWS[toks[k].text]
        point = toks[k + 1:]
        if len(point) >= 2 and point[-2].text == "^" and point[-1].text in "+-":
            direction, point = point[-1].text, point[:-2]
        elif len(point) >= 4 and point[-4].text == "^" and point[-3].text == "{" and point[-2].text in "+-" \
                and point[-1].text == "}":
            direction, point = point[-2].text, point[:-4]
        var = self._parse_slice(toks[:k], self._bound_name, r"\lim variable")
        at = self._parse_slice(point, self.expr, r"\lim point")
        self.bound.append(var.name)
        try:
            body = self._body(t, r"\lim")
        finally:
            self.bound.pop()
        if at in (sp.oo, -sp.oo):
            return sp.Limit(body, var, at)
        return sp.Limit(body, var, at, dir=direction or "+-")
