"""Sample derivation for the CLI tests (test-only; registered by monkeypatching the catalog).

Three claims (two proved identities, one inequality proved by a certificate), one negative
control and one erratum.
"""
import sympy as sp

from derivations.engine import Derivation, Erratum, Identity, Inequality, claim, control
from numeric.sampling import positive, real

x = sp.Symbol("x", real=True)
p, q = sp.symbols("p q", positive=True)


@claim("double-angle", r"\sin 2x = 2\sin x\cos x")
def double_angle():
    r"""The double-angle formula \(\sin 2x = 2\sin x\cos x\) for real \(x\)."""
    return Identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), {x: real(-3, 3)})


@claim("am-gm", r"\sqrt{pq} \le \tfrac{p+q}{2}", hypotheses=(r"p, q > 0",))
def am_gm():
    r"""AM-GM for two positive numbers, certified by \(\tfrac{p+q}{2}-\sqrt{pq} = \tfrac12(\sqrt p-\sqrt q)^2\)."""
    return Inequality(sp.sqrt(p * q), "<=", (p + q) / 2, {p: positive(4), q: positive(4)},
                      certificate=(sp.sqrt(p) - sp.sqrt(q)) ** 2 / 2)


@claim("arcsin-arccos", r"\arcsin x + \arccos x = \tfrac{\pi}{2}", hypotheses=(r"|x|\le 1",))
def arcs():
    r"""\(\arcsin x + \arccos x = \pi/2\) on \([-1, 1]\): proved by the logarithmic forms of the two functions."""
    return Identity(sp.asin(x) + sp.acos(x), sp.pi / 2, {x: real(-1, 1)})


@control("double-angle/factor-2", r"\sin 2x = \sin x\cos x")
def double_angle_wrong():
    r"""Dropped factor 2: must be refuted."""
    return Identity(sp.sin(2 * x), sp.sin(x) * sp.cos(x), {x: real(-3, 3)})


@control("square/post", r"(x+1)^2 = x^2+2x")
def square_post():
    r"""What the (imaginary) post says: the constant term is missing."""
    return Identity((x + 1) ** 2, x ** 2 + 2 * x, {x: real(-3, 3)})


@claim("square/correct", r"(x+1)^2 = x^2+2x+1")
def square_correct():
    r"""The binomial square \((x+1)^2 = x^2+2x+1\)."""
    return Identity((x + 1) ** 2, x ** 2 + 2 * x + 1, {x: real(-3, 3)})


def results():
    t = sp.Symbol("theta", real=True)
    rot = sp.Matrix([[sp.cos(t), -sp.sin(t)], [sp.sin(t), sp.cos(t)]])
    return [(r"R(\theta)", r"R(\theta) = " + sp.latex(rot))]


DERIVATION = Derivation(
    slug="sample", title="Sample derivation", source="https://example.org/sample", date="2024-01-01",
    summary="double angle, AM-GM, arcsin + arccos",
    claims=(double_angle, am_gm, arcs), controls=(double_angle_wrong,),
    errata=(Erratum("square", post_says=square_post, correct=square_correct, note="constant term dropped"),),
    results=results)
