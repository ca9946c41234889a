"""Parse user expressions into SymPy objects without executing any code.

User text is data.  ``sympify``/``parse_expr`` end in ``eval`` and stripped globals do not
stop ``().__class__.__mro__[1].__subclasses__()`` escapes, so this module walks Python's
``ast`` itself and builds SymPy objects from a whitelist:

* numbers (int and float literals, bounded in size), ``+ - * / **`` and unary ``+ -``;
* names: whitelisted functions and constants, otherwise a symbol (letters, digits and single
  underscores; no leading underscore, so no dunders);
* calls of whitelisted functions with positional arguments (``Limit`` also takes ``dir``);
* tuples (integration/summation limits), lists (``Matrix`` rows), and the attribute ``.T``.

Everything else (attributes, subscripts, lambdas, comprehensions, strings, keywords, ...)
is rejected with :class:`~derivations.engine.errors.ExpressionError`.  Sizes are bounded
before anything is built: input length, nesting depth, integer literals, and integer powers
whose result would be huge (``10**10**10**10``), so building never hangs.
"""
from __future__ import annotations

import ast
import math
import re
import warnings

import sympy as sp

from derivations.engine import bounds
from derivations.engine.bounds import (  # noqa: F401  (re-exported: the bounds were defined here)
    MAX_COMBINATORIAL_ARG, MAX_INT_DIGITS, MAX_POWER_BITS, MAX_RATIONAL_SUM, MAX_SYMBOLIC_EXPONENT,
    MAX_SYMBOLIC_MATRIX_POWER, MAX_SYMBOLIC_MATRIX_WORK)
from derivations.engine.errors import ExpressionError

MAX_CHARS = 2000
MAX_DEPTH = 60
MAX_NODES = 2000
MAX_MATRIX_ENTRIES = 400

FUNCTIONS = {
    name: getattr(sp, name) for name in (
        "sin cos tan cot sec csc asin acos atan acot atan2 sinh cosh tanh coth asinh acosh atanh "
        "exp log sqrt cbrt root Abs sign floor ceiling re im conjugate arg gamma loggamma digamma "
        "polygamma beta zeta polylog binomial factorial erf erfc erfi erfinv besselj bessely besseli "
        "besselk airyai airybi LambertW Ci Si Ei li harmonic Min Max Integral Sum Product Limit "
        "Derivative Matrix Rational KroneckerDelta").split()
}
FUNCTIONS["ln"] = sp.log
FUNCTIONS["abs"] = sp.Abs
FUNCTIONS["W"] = sp.LambertW

CONSTANTS = {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo, "Catalan": sp.Catalan,
             "EulerGamma": sp.EulerGamma, "GoldenRatio": sp.GoldenRatio}

_UNEVALUATED = {"Integral", "Sum", "Product", "Limit", "Derivative"}
_SYMBOL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*\Z")


def parse_expression(text: str, symbols: dict | None = None):
    """Parse ``text`` to a SymPy expression or matrix.

    ``symbols`` maps names to pre-made symbols (with assumptions); other names become plain
    symbols.  Raises :class:`ExpressionError` with a one-line message on any problem.
    """
    if not isinstance(text, str):
        raise ExpressionError("expression must be text")
    if len(text) > MAX_CHARS:
        raise ExpressionError(f"expression too long ({len(text)} characters; limit {MAX_CHARS})")
    if not text.strip():
        raise ExpressionError("empty expression")
    if "\x00" in text:
        raise ExpressionError("expression contains a NUL character")
    # Python's parser itself recurses; bound nesting before handing it the text.
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested deeper than {MAX_DEPTH} levels")
    try:
        with warnings.catch_warnings():  # SyntaxWarnings (invalid escapes...) would print a second line
            warnings.simplefilter("ignore")
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"malformed expression: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        raise ExpressionError(f"malformed expression: {type(exc).__name__}") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(f"expression too large ({count} nodes; limit {MAX_NODES})")
    builder = _Builder(symbols or {}, text.strip())
    try:
        return builder.build(tree.body, 0)
    except ExpressionError:
        raise
    except RecursionError:
        raise ExpressionError("expression too deeply nested") from None
    except Exception as exc:  # SymPy raises many types on bad input; the user gets one line, never a traceback
        raise ExpressionError(f"invalid expression: {str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__}") from None


class _Builder:
    def __init__(self, symbols: dict, text: str = ""):
        self.symbols = symbols
        self.text = text

    def build(self, node, depth):
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested deeper than {MAX_DEPTH} levels")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExpressionError(f"{_describe(node)} is not allowed in expressions")
        return method(node, depth + 1)

    # -- leaves -------------------------------------------------------------------------
    def _Constant(self, node, depth):
        v = node.value
        if isinstance(v, bool) or v is None or not isinstance(v, (int, float)):
            raise ExpressionError(f"literal {type(v).__name__} is not allowed in expressions")
        if isinstance(v, int):
            return bounds.integer_literal(v)
        if not math.isfinite(v):
            raise ExpressionError("non-finite float literal")
        # A decimal literal means the exact decimal (0.1 is 1/10), not the nearest binary double:
        # read from the source text, since the float keeps only 17 digits (a 21-digit integer
        # written with ".0" became another integer and a true identity was refuted).
        text = (ast.get_source_segment(self.text, node) or "").replace("_", "") or repr(v)
        return bounds.decimal_literal(text)

    def _Name(self, node, depth):
        name = node.id
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            raise ExpressionError(f"function {name} used without arguments")
        if name in self.symbols:
            return self.symbols[name]
        if not _SYMBOL_NAME.match(name) or len(name) > 40:
            raise ExpressionError(f"name {name!r} is not allowed (use letters, digits, single underscores)")
        return sp.Symbol(name)

    # -- operators ----------------------------------------------------------------------
    def _UnaryOp(self, node, depth):
        x = self.build(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -x
        if isinstance(node.op, ast.UAdd):
            return x
        raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")

    def _BinOp(self, node, depth):
        if isinstance(node.op, ast.BitXor):  # said before the operands are built (x^2 is a power to a reader)
            raise ExpressionError("'^' is not a power here: write ** for powers (x**2)")
        a = self.build(node.left, depth)
        b = self.build(node.right, depth)
        op = node.op
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div):
            if isinstance(b, sp.MatrixBase):
                raise ExpressionError("division by a matrix")
            return a / b
        if isinstance(op, ast.Pow):
            return bounds.power(a, b)
        if isinstance(op, ast.MatMult) and isinstance(a, sp.MatrixBase):
            return a * b
        raise ExpressionError(f"operator {type(op).__name__} is not allowed")

    # -- calls, tuples, lists, .T --------------------------------------------------------
    def _Call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("only named functions can be called")
        name = node.func.id
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name!r}")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError("starred arguments are not allowed")
        args = [self.build(a, depth) for a in node.args]
        kwargs = {}
        for kw in node.keywords:
            if name == "Limit" and kw.arg == "dir" and isinstance(kw.value, ast.Constant) \
                    and kw.value.value in ("+", "-", "+-"):
                kwargs["dir"] = kw.value.value
            else:
                raise ExpressionError(f"keyword argument {kw.arg!r} is not allowed")
        if name == "Matrix":
            return self._matrix(args)
        if name in bounds.COMBINATORIAL:
            bounds.check_function_args(name, args)
        if name == "Limit":
            if len(args) != 3 or not isinstance(args[1], sp.Symbol) or \
                    any(isinstance(a, (sp.Tuple, sp.MatrixBase)) for a in args):
                raise ExpressionError("Limit takes an expression, a symbol and a point")
            return sp.Limit(*args, **kwargs)
        if name in _UNEVALUATED:
            if not args:
                raise ExpressionError(f"{name} needs arguments")
            for lim in args[1:]:
                if not isinstance(lim, (sp.Symbol, sp.Tuple)):
                    raise ExpressionError(f"{name} limits must be a symbol or (symbol, a, b)")
                if isinstance(lim, sp.Tuple) and not isinstance(lim[0], sp.Symbol):
                    raise ExpressionError(f"{name} limit variable must be a symbol")
            return FUNCTIONS[name](*args, **kwargs)
        if any(isinstance(a, (sp.MatrixBase, sp.Tuple)) for a in args):
            raise ExpressionError(f"{name} does not take a matrix or tuple argument")
        bounds.check_function_args(name, args)
        if name in ("floor", "ceiling") and len(args) == 1:
            return bounds.integer_part(FUNCTIONS[name], args[0])
        return FUNCTIONS[name](*args)

    @staticmethod
    def _matrix(args):
        if len(args) != 1 or not isinstance(args[0], sp.Tuple):
            raise ExpressionError("Matrix takes one list of rows, e.g. Matrix([[1, 2], [3, 4]])")
        rows = args[0]
        if all(isinstance(r, sp.Tuple) for r in rows):
            data = [list(r) for r in rows]
        else:
            data = [[x] for x in rows]
        if not 1 <= sum(len(r) for r in data) <= MAX_MATRIX_ENTRIES:
            raise ExpressionError(f"Matrix must have between 1 and {MAX_MATRIX_ENTRIES} entries")
        if len({len(r) for r in data}) != 1:
            raise ExpressionError("Matrix rows must have equal length")
        if any(isinstance(x, (sp.Tuple, sp.MatrixBase)) for r in data for x in r):
            raise ExpressionError("Matrix entries must be expressions")
        return sp.ImmutableMatrix(data)

    def _Tuple(self, node, depth):
        return sp.Tuple(*[self.build(e, depth) for e in node.elts])

    _List = _Tuple

    def _Attribute(self, node, depth):
        if node.attr != "T":
            raise ExpressionError(f"attribute .{node.attr} is not allowed (only .T)")
        m = self.build(node.value, depth)
        if not isinstance(m, sp.MatrixBase):
            raise ExpressionError(".T applies to matrices only")
        return m.T


def _describe(node) -> str:
    names = {"Lambda": "lambda", "ListComp": "a comprehension", "GeneratorExp": "a generator",
             "SetComp": "a comprehension", "DictComp": "a comprehension", "Subscript": "subscripting",
             "Compare": "a comparison", "BoolOp": "a boolean operator", "IfExp": "a conditional",
             "Dict": "a dict", "Set": "a set", "JoinedStr": "an f-string", "NamedExpr": "assignment",
             "Starred": "starred unpacking", "Await": "await", "Yield": "yield", "Slice": "a slice"}
    return names.get(type(node).__name__, type(node).__name__)
