"""A small test-only derivation for the report tests (registered by monkeypatching
``derivations.CATALOG``): every verdict the report must show, a multi-line statement, a
``uses`` chain with an external reference, a negative control, an erratum, derived results
and a ``plots`` hook."""
from __future__ import annotations

import sympy as sp

from derivations.engine import Derivation, Erratum, Figure, Identity, claim, control
from numeric.sampling import real

x = sp.Symbol("x", real=True)
t = sp.Symbol("t", real=True)

SLUG = "report-demo"


@claim("C1.pythagoras", r"\sin^{2}{x} + \cos^{2}{x} = 1", hypotheses=(r"x\in\mathbb{R}",))
def c1():
    r"""The Pythagorean identity \(\sin^2x+\cos^2x=1\)."""
    return Identity(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), {x: real(-3, 3)})


@claim("C2.integral", r"\int_{0}^{1} e^{x t}\, dt = \frac{e^{x} - 1}{x}", hypotheses=(r"x>0",),
       uses=("C1", "Lemma-X"), symbolic=False)
def c2():
    r"""A parameter integral, checked numerically only: $\int_0^1 e^{xt}dt=(e^x-1)/x$."""
    return Identity(sp.Integral(sp.exp(x * t), (t, 0, 1)), (sp.exp(x) - 1) / x, {x: real(0.5, 2)})


@claim("C3.double_angle", r"\sin{\left(2 x \right)} &= 2 \sin{x} \cos{x}\\" "\n"
       r"&= \frac{2\tan{x}}{1+\tan^{2}{x}}", uses=("C1.pythagoras", "C2.integral"))
def c3():
    """Double angle, written on two aligned lines."""
    return Identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-1.5, 1.5)})


@control("N1.sum_is_one", r"\sin{x} + \cos{x} = 1")
def n1():
    """Wrong: only at special points."""
    return Identity(sp.sin(x) + sp.cos(x), sp.Integer(1), {x: real(0.2, 1.3)})


@claim("E1.post", r"\left(x + 1\right)^{2} = x^{2} + 1")
def e1_post():
    """What the imaginary post says."""
    return Identity((x + 1) ** 2, x ** 2 + 1, {x: real(-2, 2)})


@claim("E1.correct", r"\left(x + 1\right)^{2} = x^{2} + 2 x + 1")
def e1_correct():
    """The binomial square."""
    return Identity((x + 1) ** 2, x ** 2 + 2 * x + 1, {x: real(-2, 2)})


def _results():
    return [("rotation by $x$", sp.latex(sp.Matrix([[sp.cos(x), -sp.sin(x)], [sp.sin(x), sp.cos(x)]])))]


def _draw_line(fig):
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")


def _draw_unlabelled(fig):
    fig.subplots().plot([0, 1], [1, 0])


DERIVATION = Derivation(
    slug=SLUG, title="Report demo: trigonometry & a square", source="https://example.org/posts/demo",
    date="2024-01-02", summary=r"A test derivation; its main identity is $\sin^2x+\cos^2x=1$.",
    claims=(c1, c2, c3), controls=(n1,),
    errata=(Erratum("E1", e1_post, e1_correct, note=r"The square has a cross term $2x$."),),
    results=_results, figures=(Figure("line", r"A straight line $y=x$.", _draw_line),
                               Figure("bare", "A line without axis labels (must be refused).", _draw_unlabelled)))


def fake_entry(verdicts=("proved", "checked", "proved"), control="refuted"):
    """An entry for the demo derivation with made-up verdicts (no verification)."""
    from derivations.engine.report.model import entry
    from derivations.engine.verdicts import ClaimResult, DerivationResult, ErratumResult
    d = DERIVATION

    def res(c, v):
        return ClaimResult(c.id, c.statement, v, "proved" if v == "proved" else "skipped",
                           "agree" if v != "refuted" else "disagree", 50.0 if v != "refuted" else None, 0.1,
                           method="expand", hypotheses=list(c.hypotheses), uses=list(c.uses),
                           counterexample={"text": "x=1: 1.38 vs 1"} if v == "refuted" else None)
    err = ErratumResult("E1", d.errata[0].post_says.statement, d.errata[0].correct.statement, d.errata[0].note,
                        res(d.errata[0].post_says, "refuted"), res(d.errata[0].correct, "proved"))
    r = DerivationResult(d.slug, d.title, d.source, "verified", 1.0, [res(c, v) for c, v in zip(d.claims, verdicts)],
                         [res(d.controls[0], control)], [err])
    return entry(d, r)
