r"""The chain reader: display blocks of Markdown and LaTeX into numbered steps, Assume: and
Tolerance: lines, what is ignored, unreadable blocks reported with their reason, and the
shipped examples (which the engine checks later) read completely."""
import json
import time
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derivations.engine.chain import Assumptions, Interval, read_chain
from derivations.engine.errors import ExpressionError

x, y, n, t = sp.symbols("x y n t")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def steps_of(text):
    return [(s.block, s.step, s.relation, s.lhs_tex, s.rhs_tex) for s in read_chain(text).steps]


def test_display_blocks_of_markdown():
    doc = read_chain("Intro.\n\n$$\na = b\n$$\n\ntext\n\n$$ c \\le d $$\n")
    assert [(b.index, b.line, b.error) for b in doc.blocks] == [(1, 3, None), (2, 9, None)]
    assert steps_of("$$ a = b $$ $$ c \\le d $$") == [(1, 1, "=", "a", "b"), (2, 1, "<=", "c", "d")]
    s = doc.blocks[0].steps[0]
    assert (s.line, s.lhs, s.rhs) == (4, sp.Symbol("a"), sp.Symbol("b"))


def test_a_chain_is_a_sequence_of_steps_with_every_relation():
    doc = read_chain(r"$$ a = b \le c \leq d \leqslant e < f > g \ge h \geq i \geqslant j \ne k \neq l \approx m \lt o \gt p $$")
    assert [s.relation for s in doc.steps] == ["=", "<=", "<=", "<=", "<", ">", ">=", ">=", ">=", "!=", "!=", "~",
                                              "<", ">"]
    assert [s.step for s in doc.steps] == list(range(1, 15))
    assert [(s.lhs_tex, s.rhs_tex) for s in doc.steps[:2]] == [("a", "b"), ("b", "c")]


def test_align_with_ampersands_line_breaks_and_continuation_lines():
    text = r"""\begin{align*}
(x+1)^2 &= x^2 + 2x + 1 \\
        &\ge 2x + 1 \\
y       &= 2 \nonumber \\
        &< 3. \label{eq:y}
\end{align*}"""
    doc = read_chain(text)
    assert [(s.step, s.line, s.relation, s.lhs_tex, s.rhs_tex) for s in doc.steps] == [
        (1, 2, "=", "(x+1)^2", "x^2 + 2x + 1"),
        (2, 3, ">=", "x^2 + 2x + 1", "2x + 1"),
        (3, 4, "=", "y", "2"),                         # a line starting with an expression: a new chain
        (4, 5, "<", "2", "3"),
    ]
    assert doc.steps[0].lhs == (x + 1) ** 2 and doc.steps[1].rhs == 2 * x + 1


@pytest.mark.parametrize("env", ["align", "align*", "equation", "equation*", "eqnarray", "gather", "multline"])
def test_display_environments(env):
    assert steps_of(f"\\begin{{{env}}} a &= b \\end{{{env}}}") == [(1, 1, "=", "a", "b")]


def test_long_right_sides_continue_across_lines():
    text = r"""$$\begin{aligned}
f &= x^2 + 2x \\
  &\quad + 1 \\[2pt]
  &\overset{(a)}{=} (x+1)^2 \\
g &\stackrel{\text{H4}}{\le} \\
  & y, \quad \text{by (H4)}
\end{aligned}$$"""
    assert steps_of(text) == [(1, 1, "=", "f", "x^2 + 2x + 1"), (1, 2, "=", "x^2 + 2x + 1", "(x+1)^2"),
                              (1, 3, "<=", "g", "y")]
    assert read_chain(text).steps[0].rhs == x ** 2 + 2 * x + 1


def test_inline_math_prose_and_code_are_ignored():
    text = """Inline $a = b$ and \\(c = d\\), a price of $5, escaped \\$$ and `$$ e = f $$` in code.

```latex
$$ g = h $$
Assume: $x > 0$
```

~~~
$$ i = j $$
~~~

<!-- $$ k = l $$ -->

$$ m = o $$
"""
    doc = read_chain(text)
    assert [(s.lhs_tex, s.rhs_tex) for s in doc.steps] == [("m", "o")]
    assert doc.blocks[0].assumptions.names == {}  # the Assume line in the fence was not read
    assert doc.problems == []


def test_latex_documents_comments_and_verbatim():
    text = r"""\documentclass{article}
\begin{document}
% $$ a = b $$ in a comment
% Assume: $x > 0$
Tolerance: 1\%
\begin{verbatim}
$$ c = d $$
\end{verbatim}
\[ e % a comment = f
   = g \]
\begin{equation}\label{eq:1}
  h = i \tag{2}
\end{equation}
\end{document}"""
    doc = read_chain(text)
    assert [(s.lhs_tex, s.rhs_tex, s.line) for s in doc.steps] == [("e", "g", 10), ("h", "i", 12)]
    assert doc.blocks[0].assumptions.names == {}
    assert doc.blocks[0].assumptions.tolerance.relative


def test_an_unreadable_block_is_reported_and_the_others_still_read():
    text = r"""$$ a = b $$

$$
x = \foo{y}
$$

$$ \input{/etc/passwd} = 1 $$

$$ c = d $$"""
    doc = read_chain(text)
    assert [(b.index, b.error) for b in doc.blocks] == [
        (1, None),
        (2, r"line 4: unknown command \foo (column 5)"),
        (3, r"line 7: command \input is not allowed (TeX programming or file access) (column 4)"),
        (4, None)]
    assert [len(b.steps) for b in doc.blocks] == [1, 0, 0, 1]


@pytest.mark.parametrize("text, error", [
    ("$$ = a $$", "relation = without a left side"),
    ("$$ a = $$", "relation = without a right side"),
    ("$$ a = = b $$", "relation = without an expression between two relations"),
    ("$$ a \\le b, \\quad t \\ge 1 $$", "a comma list is not an expression"),
    ("$$ a = b\\%c $$", r"unknown command \%"),
    ("$$ a = \\begin{cases} 1 \\end{cases} $$", "environment {cases} is not supported"),
    ("$$ " + "{" * 100 + "x" + "}" * 100 + " $$", "nested deeper than 60 levels"),
    ("$$ a = " + "x+" * 11000 + "x $$", "LaTeX too long"),
])
def test_block_errors_name_the_line_and_reason(text, error):
    block = read_chain(text).blocks[0]
    assert block.steps == [] and error in block.error and block.error.startswith("line 1: ")


def test_hostile_documents_run_no_code(monkeypatch):
    import builtins

    import sympy.parsing.sympy_parser as sympy_parser

    def forbidden(*args, **kwargs):
        raise AssertionError("code execution attempted")
    for owner, name in ((builtins, "eval"), (builtins, "exec"), (builtins, "compile"), (sympy_parser, "parse_expr")):
        monkeypatch.setattr(owner, name, forbidden)
    text = ("Assume: $x > \\input{/etc/passwd}$, $__import__('os') > 0$\n"
            "$$ \\def\\x{1} = \\x $$\n$$ \\csname eval\\endcsname = 1 $$\n"
            "$$ 2^{10^{10^{10}}} = \\immediate\\write18{ls} $$\n$$ a = b $$\n")
    start = time.process_time()
    doc = read_chain(text)
    assert [b.error is None for b in doc.blocks] == [False, False, False, True]
    assert "\\input is not allowed" in doc.problems[0] and "not applied" in doc.problems[1]
    assert time.process_time() - start < 2


def test_unterminated_blocks_are_problems():
    assert read_chain("a\n$$ x = y\n").problems == ["line 2: $$ is never closed"]
    assert read_chain("\\begin{align} x = y").problems == ["line 1: \\begin{align} is never closed"]
    assert read_chain("\\[ x = y").problems == ["line 1: \\[ is never closed by \\]"]


def test_document_size_and_block_count_are_bounded():
    with pytest.raises(ExpressionError, match="document too long"):
        read_chain("x" * 1_000_001)
    with pytest.raises(ExpressionError, match="too many display-math blocks"):
        read_chain("$$a=b$$\n" * 11, max_blocks=10)
    with pytest.raises(ExpressionError, match="more than 4000 expressions"):
        read_chain(("$$" + "a=" * 2000 + "a$$\n") * 3)
    doc = read_chain(("Assume: " + "$x > 0$, " * 20 + "\n") * 20)
    assert doc.problems == ["line 11: more than 200 assumption conditions; the rest are not read"]
    start = time.process_time()
    doc = read_chain(("$$ " + r"\frac{1}{" * 20 + "x" + "}" * 20 + " = y $$\n") * 40)
    assert len(doc.steps) == 40 and time.process_time() - start < 3
    start = time.process_time()
    for text in ("$x" * 99_999, "\\(" * 99_999, "<!--" * 49_999, "`a" * 99_999):  # no quadratic scans
        assert read_chain(text).blocks == []
    assert time.process_time() - start < 3


# -- assumptions -----------------------------------------------------------------------------------
def assumed(line):
    doc = read_chain(f"Assume: {line}\n\n$$ a = b $$")
    return doc.blocks[0].assumptions, doc.problems


@pytest.mark.parametrize("line, name, words, interval", [
    ("$x > 0$", "x", {"positive", "real"}, "(0, oo)"),
    ("$x \\ge 0$", "x", {"nonnegative", "real"}, "[0, oo)"),
    ("$x < 0$", "x", {"negative", "real"}, "(-oo, 0)"),
    ("$x \\leq 0$", "x", {"nonpositive", "real"}, "(-oo, 0]"),
    ("$0 < x$", "x", {"positive", "real"}, "(0, oo)"),
    ("$x \\ne 0$", "x", {"nonzero"}, None),
    ("$x \\in \\mathbb{R}$", "x", {"real"}, None),
    ("$x \\in \\mathbb{C}$", "x", set(), None),
    ("$n \\in \\mathbb{Z}$", "n", {"integer"}, None),
    ("$n \\in \\mathbb{N}$", "n", {"integer", "nonnegative"}, None),
    ("$n \\in \\mathbb{N}^+$", "n", {"integer", "positive"}, None),
    ("$n \\in \\mathbb{Z}_{>0}$", "n", {"integer", "positive"}, None),
    ("$x \\in \\mathbb{R}_{\\geq 0}$", "x", {"nonnegative"}, None),
    ("$t \\in [0, 1]$", "t", {"real", "nonnegative"}, "[0, 1]"),
    ("$t \\in \\left(0, 1\\right]$", "t", {"real", "positive"}, "(0, 1]"),
    ("$t \\in (-1, \\infty)$", "t", {"real"}, "(-1, oo)"),
    ("$0 < x < 1$", "x", {"real", "positive"}, "(0, 1)"),
    ("$-1 \\le x < 0$", "x", {"real", "negative"}, "[-1, 0)"),
    ("$1 > x \\ge 0$", "x", {"real", "nonnegative"}, "[0, 1)"),
    ("$0 < \\theta < \\pi$", "theta", {"real", "positive"}, "(0, pi)"),
    ("$\\eta_t > 0$", "eta_t", {"real", "positive"}, "(0, oo)"),
    ("$n \\ge 1$", "n", {"real", "positive"}, "[1, oo)"),
])
def test_assume_vocabulary(line, name, words, interval):
    a, problems = assumed(line)
    assert problems == []
    got = a.names[name]
    assert got.implied_words() == words
    assert (got.interval.describe() if got.interval is not None else None) == interval


def test_natural_numbers_are_read_with_zero_and_say_so():
    a, _ = assumed("$n \\in \\mathbb{N}$")
    assert a.names["n"].notes == ["N read as {0, 1, 2, ...}"]


def test_half_lines_get_a_finite_sampling_box():
    a, _ = assumed("$n \\in \\mathbb{Z}$, $n \\ge 1$, $x \\ge 1$, $y < -2$, $z > 0$")
    assert a.names["n"].implied_words() == {"integer", "positive", "real"}
    assert a.names["n"].box() == (1.0, 20.0, False, False)
    assert a.names["x"].box() == (1.0, 4.0, False, False)
    assert a.names["y"].box() == (-5.0, -2.0, False, True)
    assert a.names["z"].box() is None  # positive alone: the engine's default box
    domains = {s.name: d for s, d in a.domains().items()}
    assert (domains["n"].kind, domains["n"].lo, domains["n"].hi) == ("integer", 1.0, 20.0)
    assert (domains["x"].kind, domains["x"].lo, domains["x"].hi) == ("real", 1.0, 4.0)
    assert domains["y"].hi < -2.0  # open end, moved inward


def test_check_options_are_in_the_check_format():
    from derivations.engine.adhoc import ASSUMPTIONS, parse_domain
    from numeric.sampling import Domain, check_consistent
    a, _ = assumed("$x > 0$, $n \\in \\mathbb{Z}$, $n \\ge 1$, $t \\in [0, 1]$, $0 < p < 1$, $m \\in \\mathbb{N}$")
    assume, domain = a.as_check_options()
    assert assume == ["m=integer", "m=nonnegative", "n=integer", "n=positive", "p=positive", "t=nonnegative",
                      "x=positive"]
    assert domain[0] == "n=1..20" and domain[2] == "t=0.0..1.0"
    symbols = a.symbols()
    for option in assume:
        assert option.split("=")[1] in ASSUMPTIONS
    for option in domain:
        name, lo, hi = parse_domain(option)
        sym = symbols[name]
        check_consistent(sym, Domain(lo, hi, "integer" if sym.is_integer else "real"))  # open ends moved inside
    assert Assumptions.from_check_options(assume, domain).names["t"].interval == Interval(0, 1, False, False)


def test_symbols_carry_the_assumptions_in_force():
    doc = read_chain(r"""$$ \sqrt{x^2} = x $$
Assume: $x > 0$, $\eta_t > 0$
$$ \sqrt{x^2} = x $$
$$ \sum_{t=1}^{T} \eta_t = S $$""")
    first, second, third = doc.steps
    assert first.lhs == sp.sqrt(sp.Symbol("x") ** 2)  # x complex: no simplification
    assert second.lhs == second.rhs and second.rhs.is_positive
    assert third.lhs.function.is_positive  # the sequence eta has the assumption of eta_t


def test_assumptions_accumulate_refine_and_contradictions_are_reported():
    doc = read_chain("""Assume: $n \\in \\mathbb{Z}$
$$ a = b $$
Assume: $n \\ge 1$, $x, y > 0$
$$ a = b $$
Assume: $n < 0$, $y \\in \\mathbb{Q}$, $z = 1$, $w \\in \\mathbb{R}_+$, $u$
$$ a = b $$""")
    first, second, third = (b.assumptions for b in doc.blocks)
    assert set(first.names) == {"n"} and first.names["n"].implied_words() == {"integer"}
    assert second.names["n"].implied_words() == {"integer", "positive", "real"}
    assert second.names["x"].implied_words() == second.names["y"].implied_words() == {"positive", "real"}
    assert third.names == second.names  # nothing on line 5 was applied
    assert doc.problems == [
        "line 5: assumption 'n < 0' not applied: n would lie in the empty interval [1, 0)",
        "line 5: assumption 'y \\in \\mathbb{Q}' not applied: set \\mathbb{Q} is not supported "
        "(R, Z, N, R_{>0}, intervals [a, b], (a, b), ...)",
        "line 5: assumption 'z = 1' not applied: relation = is not an assumption (use <, >, \\le, \\ge, \\ne or \\in)",
        "line 5: assumption 'w \\in \\mathbb{R}_+' not applied: \\mathbb{R}_+ is ambiguous (with or without 0?): "
        "write x > 0 or x \\ge 0",
        "line 5: no condition given for u"]


@pytest.mark.parametrize("line, problem", [
    ("$x > 0$, $x \\in \\mathbb{R}_{<0}$", "contradictory assumptions for x: negative, positive, real"),
    ("$n \\in \\mathbb{Z}$, $0 < n < 1$", "n is an integer but (0, 1) contains none"),
    ("$x \\ge 1$, $x \\le 1$", "x would be fixed at 1: substitute the value instead"),
    ("$x > y$", "'y' is not a real number"),
    ("$x \\in [0, a]$", "'a' is not a real number"),
])
def test_contradictory_or_unsupported_conditions_are_not_applied(line, problem):
    a, problems = assumed(line)
    assert len(problems) == 1 and problems[0].endswith(problem)


def test_assumptions_apply_only_to_later_blocks_and_from_options():
    doc = read_chain("$$ a = b $$\nAssume: $a > 0$\n$$ a = b $$",
                     assumptions=Assumptions.from_check_options(["b=integer"], ["c=0..2"]))
    assert set(doc.blocks[0].assumptions.names) == {"b", "c"}
    assert set(doc.blocks[1].assumptions.names) == {"a", "b", "c"}
    assert doc.blocks[1].assumptions.describe()[0] == "a: positive, real; in (0, oo)"


# -- tolerance of \approx steps --------------------------------------------------------------------
@pytest.mark.parametrize("text, value, relative", [
    (r"$$ \pi \approx 3.14 $$", 0.005, False),                 # half a unit in the last digit
    (r"$$ 2.718 \approx e $$", 0.0005, False),
    (r"$$ 1.61 \approx 1.6 $$", 0.05, False),                  # the coarser of two
    (r"$$ x \approx 1.5 \times 10^{-3} $$", 5e-5, False),
    (r"$$ x \approx 0.84\sqrt{\ln n} $$", None, None),          # a coefficient, not a value
    (r"$$ x \approx 3 $$", None, None),                        # no decimal point: no stated digits
    ("Tolerance: 1%\n$$ \\pi \\approx 3.14 $$", 0.01, True),    # a stated tolerance wins
    ("Tolerance: 0.001\n$$ x \\approx y $$", 0.001, False),
    ("Tolerance: 1e-6 relative\n$$ x \\approx y $$", 1e-6, True),
    ("Tolerance: $10^{-3}$\n$$ x \\approx y $$", 0.001, False),
    ("Tolerance: 1%\nTolerance: none\n$$ x \\approx y $$", None, None),
])
def test_tolerance_of_approximations(text, value, relative):
    step = read_chain(text).steps[0]
    assert step.relation == "~"
    if value is None:
        assert step.tolerance is None
    else:
        assert step.tolerance.value == pytest.approx(value) and step.tolerance.relative == relative


def test_exact_steps_have_no_tolerance_and_bad_tolerance_lines_are_problems():
    doc = read_chain("Tolerance: lots\n$$ a = 1.5 $$")
    assert doc.steps[0].tolerance is None
    assert doc.problems == ["line 1: tolerance 'lots' not understood (e.g. 'Tolerance: 1%' or 'Tolerance: 0.001')"]


def test_json():
    doc = read_chain("Assume: $x > 0$\n$$ \\pi \\approx 3.14 = \\frac{157}{50} $$\n$$ \\foo $$")
    data = json.loads(json.dumps(doc.to_json()))
    step = data["blocks"][0]["steps"][0]
    assert step == {"block": 1, "step": 1, "line": 2, "relation": "~", "lhs_tex": "\\pi", "rhs_tex": "3.14",
                    "lhs": "pi", "rhs": "157/50",
                    "tolerance": {"value": 0.005, "relative": False,
                                  "source": "half a unit in the last digit of 3.14"}}
    assert data["blocks"][0]["assumptions"]["symbols"]["x"]["words"] == ["positive", "real"]
    assert data["blocks"][1]["error"] == "line 3: unknown command \\foo (column 4)"


# -- the shipped examples --------------------------------------------------------------------------
@pytest.mark.parametrize("name, steps", [("sgd-average-loss.md", 15), ("integral-test.tex", 13),
                                         ("attention-scale.md", 10), ("wrong-step.md", 5)])
def test_examples_read_completely(name, steps):
    doc = read_chain((EXAMPLES / name).read_text())
    assert [b.error for b in doc.blocks if b.error] == [] and doc.problems == []
    assert len(doc.steps) == steps


def test_the_planted_wrong_step_is_wrong_and_the_others_are_not():
    doc = read_chain((EXAMPLES / "wrong-step.md").read_text())
    values = {sp.Symbol(name, positive=True): 1 for name in ("D", "G", "eta")}
    values[sp.Symbol("T", integer=True, positive=True)] = 1
    for s in doc.steps:
        gap = (s.lhs - s.rhs).subs(values).doit()
        if (s.block, s.step) == (2, 2):
            assert s.line == 26 and gap == sp.Rational(1, 2)  # DG/sqrt(T) against DG/(2 sqrt(T))
        elif s.relation == "=":
            assert gap == 0


# -- fuzz ------------------------------------------------------------------------------------------
PIECES = ["$$", "$", "\n", "\n\n", "Assume: ", "Tolerance: 1%", "x > 0", "a", "=", r"\le", r"\approx", "3.14", "&",
          r"\\", r"\begin{align}", r"\end{align}", "```", r"\[", r"\]", r"\frac{1}{2}", r"\foo", "{", "}", "%", "`",
          r"\text{by H}", r"\quad", ",", r"\overset{a}{=}", r"\mathbb{Z}", r"\in", "n", "[0, 1]", "<!--", "-->"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.lists(st.sampled_from(PIECES), max_size=50) | st.text(max_size=200))
def test_fuzz_documents_give_blocks_or_one_line_errors(pieces):
    text = pieces if isinstance(pieces, str) else "".join(pieces)
    start = time.process_time()
    try:
        doc = read_chain(text)
    except ExpressionError as exc:
        assert "\n" not in str(exc)
    else:
        json.dumps(doc.to_json())
        for b in doc.blocks:
            assert (b.error is None) or ("\n" not in b.error and b.steps == [])
        assert all("\n" not in p for p in doc.problems)
    assert time.process_time() - start < 1.0
