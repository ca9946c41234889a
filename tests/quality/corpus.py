"""The soundness corpus: identities for ``check`` drawn from the classic ways numeric and
symbolic checking fail, each with the verdicts the engine may honestly give.

A true identity must never be ``refuted``; a false one must never be ``proved``, ``certified``
or ``checked``.  ``expect`` lists the verdicts allowed for a case: ``unknown`` appears only where
the mathematics is out of reach of the engine's budget, and the note says why.  Cases run at
the default 50 digits unless the trap needs another precision (a near-identity hidden just
below the requested digits, or 268 digits deep).
"""
from __future__ import annotations

from dataclasses import dataclass

TRUE_OK = ("proved", "certified", "checked")  # certified: a closed statement whose Arb balls agree


@dataclass(frozen=True)
class Case:
    name: str
    lhs: str
    rhs: str
    true: bool
    expect: tuple
    note: str
    domains: tuple = ()
    assume: tuple = ()
    digits: int = 50
    timeout: float = 3.0


A = "Matrix([[a, b], [c, d]])"
B = "Matrix([[e, f], [g, h]])"


_LEIBNIZ = "4*Sum((-1)**k/(2*k + 1), (k, 0, oo))/pi"  # 1, evaluated by nsum (keeps doit out of the way)


def _borwein(n: int) -> str:
    r"""\(\int_0^\infty \prod_{k=0}^{n-1} \operatorname{sinc}(x/(2k+1))\,dx\) as text."""
    return "Integral(" + "*".join(f"sin(x/{2 * k + 1})/(x/{2 * k + 1})" for k in range(n)) + ", (x, 0, oo))"


CASES = (
    # -- near-identities: famous near-integers and constants ---------------------------------
    Case("ramanujan-163", "exp(pi*sqrt(163))", "640320**3 + 744", False, ("refuted",),
         "e^(pi sqrt 163) = 640320^3 + 744 - 7.5e-13: agrees to 30 digits"),
    Case("ramanujan-163-at-12-digits", "exp(pi*sqrt(163))", "640320**3 + 744", False, ("refuted",),
         "asked for 12 digits the sides agree beyond them; the difference, evaluated at digits+40, is a "
         "stable -7.5e-13", digits=12),
    Case("ramanujan-58", "exp(pi*sqrt(58))", "396**4 - 104", False, ("refuted",),
         "e^(pi sqrt 58) = 396^4 - 104 - 1.8e-7 (Ramanujan's near-integer)"),
    Case("355/113", "355/113", "pi", False, ("refuted",), "Zu Chongzhi's fraction, 7 digits of pi"),
    Case("e^pi-pi", "exp(pi) - pi", "20", False, ("refuted",), "e^pi - pi = 19.99909998"),
    Case("pi^4+pi^5", "pi**4 + pi**5", "exp(6)", False, ("refuted",), "403.42877 vs 403.42879"),
    Case("cos-cos-cos", "cos(pi*cos(pi*cos(log(pi + 20))))", "-1", False, ("refuted",),
         "equal to -1 within 3.9e-35; at 30 digits only the stable difference sees it", digits=30),
    Case("sqrt2-60-decimals", "sqrt(2)", "1.4142135623730950488016887242096980785696718753769480731766797",
         False, ("refuted",), "a 62-digit decimal is not sqrt 2 (exact: minimal polynomial); the literal is read "
         "exactly, not as a 17-digit float"),
    Case("long-literal", "123456789012345678901", "123456789012345678901.0", True, ("proved",),
         "a 21-digit integer written as a decimal: the float of the literal would be another integer"),
    Case("tanh-pi-268-digits", "Sum(floor(n*tanh(pi))/10**n, (n, 1, oo))", "1/81", False, ("refuted",),
         "Borweins' example: equal to 1/81 to 268 digits, so only a 280-digit check can see it; nsum's "
         "extrapolation returns exactly 1/81 at every precision, direct summation does not", digits=280),
    # -- truncated series, statements true only near 0 or on part of the domain ------------------
    Case("exp-taylor-20-near-0", "Sum(x**k/factorial(k), (k, 0, 20))", "exp(x)", False, ("refuted",),
         "the degree-20 Taylor polynomial of exp on |x| <= 0.01: equal to 62 digits, beyond the 50 asked",
         domains=("x=-0.01..0.01",)),
    Case("sin-taylor-5-near-0", "sin(x)", "x - x**3/6 + x**5/120", False, ("refuted",),
         "x^7/5040 on |x| <= 1e-3: about 20 digits of agreement", domains=("x=-0.001..0.001",)),
    Case("exp-series", "Sum(x**k/factorial(k), (k, 0, oo))", "exp(x)", True, TRUE_OK, "the whole series"),
    Case("abs-on-almost-positive-domain", "Abs(x)", "x", False, ("refuted",),
         "false only on [-0.001, 0), a millionth of the domain: the domain's edge refutes it",
         domains=("x=-0.001..1000",)),
    Case("asin-sin-beyond-pi/2", "asin(sin(x))", "x", False, ("refuted",), "false for |x| > pi/2",
         domains=("x=-3..3",)),
    Case("asin-sin-inside", "asin(sin(x))", "x", True, TRUE_OK, "true on [-pi/2, pi/2]; no strategy knows the "
         "domain", domains=("x=-1.5..1.5",)),
    Case("atan-reciprocal-real", "atan(x) + atan(1/x)", "pi/2", False, ("refuted",), "-pi/2 for x < 0",
         assume=("x=real",)),
    Case("atan-reciprocal-positive", "atan(x) + atan(1/x)", "pi/2", True, TRUE_OK, "true for x > 0",
         assume=("x=positive",)),
    # -- branch cuts with and without the assumptions that make them true -------------------
    Case("sqrt-x2-real", "sqrt(x**2)", "x", False, ("refuted",), "|x| for real x", assume=("x=real",)),
    Case("sqrt-x2-positive", "sqrt(x**2)", "x", True, ("proved",), "x > 0", assume=("x=positive",)),
    Case("sqrt-x2-abs", "sqrt(x**2)", "Abs(x)", True, ("proved",), "real x", assume=("x=real",)),
    Case("log-product-complex", "log(x*y)", "log(x) + log(y)", False, ("refuted",),
         "off by 2 pi i across the cut (plain symbols are complex)"),
    Case("log-product-real", "log(x*y)", "log(x) + log(y)", False, ("refuted",), "x, y < 0",
         assume=("x=real", "y=real")),
    Case("log-product-positive", "log(x*y)", "log(x) + log(y)", True, ("proved",), "x, y > 0",
         assume=("x=positive", "y=positive")),
    Case("power-of-power-real", "(x**a)**b", "x**(a*b)", False, ("refuted",),
         "fails for x < 0 and |a| > 1, a third of the sampled box: the domain's corner refutes it",
         assume=("x=real", "a=real", "b=real")),
    Case("power-of-power-positive", "(x**a)**b", "x**(a*b)", True, ("proved",), "x > 0, a, b real",
         assume=("x=positive", "a=real", "b=real")),
    Case("sqrt-product-real", "sqrt(x*y)", "sqrt(x)*sqrt(y)", False, ("refuted",), "x, y < 0",
         assume=("x=real", "y=real")),
    Case("sqrt-product-nonnegative", "sqrt(x*y)", "sqrt(x)*sqrt(y)", True, ("proved",), "x, y >= 0",
         assume=("x=nonnegative", "y=nonnegative")),
    Case("cube-root-of-cube-real", "(x**3)**(1/3)", "x", False, ("refuted",), "principal root for x < 0",
         assume=("x=real",)),
    Case("cube-root-of-cube-positive", "(x**3)**(1/3)", "x", True, ("proved",), "x > 0",
         assume=("x=positive",)),
    Case("log-exp-complex", "log(exp(z))", "z", False, ("refuted",),
         "fails for |Im z| > pi, outside the default sampling box |Re z|, |Im z| <= 2: the far probe refutes"),
    Case("exp-log-complex", "exp(log(z))", "z", True, ("proved",), "every z != 0"),
    # -- oscillatory improper integrals --------------------------------------------------------
    Case("dirichlet", "Integral(sin(x)/x, (x, 0, oo))", "pi/2", True, ("proved",),
         "doit proves it; quad cannot (its own error estimate is 1), so numbers stay silent"),
    Case("borwein-8", _borwein(8), "pi/2", False, ("unknown",),
         "out of reach: it differs from pi/2 by 2.3e-11; SymPy does not integrate the 8-fold sinc product, "
         "generic quadrature does not converge (its estimate says so) and mpmath.quadosc needs about a minute "
         "at 30 digits; the engine must not check it (the first seven equal pi/2)", timeout=1.0),
    Case("kink-integral", "Integral(Abs(x - 1/3), (x, 0, 1))", "5/18", True, ("proved",),
         "quad stops at its maximal degree 2e-7 off at 80 and 140 digits alike: that stable wrong value "
         "must not refute; doit proves it"),
    # -- slowly convergent and divergent series ------------------------------------------------
    Case("n-log2n-nsum-value", "Sum(1/(n*log(n)**2), (n, 2, oo))", "1.91056295070081", False, ("refuted",),
         "the value nsum returns at 15 digits (the sum is 2.10974...)", timeout=10.0),
    Case("harmonic-finite", "Sum(1/n, (n, 1, oo))", "100", False, ("refuted",),
         "diverges: doit gives oo, an exact refutation (no numeric value exists)"),
    Case("basel", "Sum(1/n**2, (n, 1, oo))", "pi**2/6", True, ("proved",), "doit"),
    Case("basel-plus-1e-60", "Sum(1/n**2, (n, 1, oo))", "pi**2/6 + 1/10**60", False, ("refuted",),
         "hidden below 50 digits: the exact difference -10^-60 (doit) is below the numeric resolution"),
    Case("zeta3-20-digits", "Sum(1/n**3, (n, 1, oo))", "1.2020569031595942854", False, ("refuted",),
         "zeta(3) to 20 digits is not zeta(3)"),
    Case("central-binomial", "Sum(1/(n**2*binomial(2*n, n)), (n, 1, oo))", "pi**2/18", True, ("checked",),
         "doit leaves a hypergeometric function"),
    # -- catastrophic cancellation: a refutation must rest on a value accurate relative to itself
    Case("cosh-minus-sinh-far-out", "cosh(x) - sinh(x)", f"exp(-x)*{_LEIBNIZ}", True, TRUE_OK,
         "cosh and sinh are 1e295 at x = 680 and cancel to e^-x: both were 0.0 at 80 and 140 digits, which "
         "refuted the identity; the error bound asks for 650 digits", domains=("x=0..2000",)),
    Case("cosh-minus-sinh-off-by-1e-30", "cosh(x) - sinh(x)", "exp(-x)*(1 + 10**-30)", False, ("refuted",),
         "resolved where the terms cancel, the 31st digit differs", domains=("x=0..2000",)),
    Case("de-moivre-far-probe", "cos(n*z) + I*sin(n*z)", f"exp(I*n*z)*{_LEIBNIZ}", True, TRUE_OK,
         "n = -40, z = -8-8i (a far probe): cos and i sin are 1e139 and cancel to 1e-139",
         assume=("n=integer",)),
    Case("de-moivre-power", "(cos(z) + I*sin(z))**n", "cos(n*z) + I*sin(n*z)", True, ("proved",),
         "integer n: the far probe's cancellation made it 'proof and numbers conflict'", assume=("n=integer",)),
    Case("de-moivre-conjugate", "(cos(z) + I*sin(z))**n", "cos(n*z) - I*sin(n*z)", False, ("refuted",),
         "the conjugate", assume=("n=integer",)),
    # -- constructs evaluated by their own routes (more in tests/numeric/test_routes.py) ------------
    Case("limit-x-log-x", "Limit(x*log(x), x, 0)", "0", True, TRUE_OK,
         "from the right (SymPy's default): 1/k sampling does not fit x log x, 2^-k sampling does", digits=20),
    Case("removable-x-over-sin", "Integral(x/sin(x), (x, -pi/2, pi/2))", "4*Catalan", True, TRUE_OK,
         "0/0 at tanh-sinh's midpoint node: the integrand's limit there", digits=20),
    Case("removable-x-over-sin-off", "Integral(x/sin(x), (x, -pi/2, pi/2))", "4*Catalan + 10**-15", False,
         ("refuted",), "off in the 16th digit", digits=20, timeout=6.0),
    # -- matrices with a transposed factor ---------------------------------------------------
    Case("transpose-product-same-order", f"({A}*{B}).T", f"{A}.T*{B}.T", False, ("refuted",),
         "(AB)^T = A^T B^T is false"),
    Case("transpose-product-reversed", f"({A}*{B}).T", f"{B}.T*{A}.T", True, ("proved",), "(AB)^T = B^T A^T"),
    Case("binomial-noncommuting", f"({A} + {B})**2", f"{A}**2 + 2*{A}*{B} + {B}**2", False, ("refuted",),
         "AB != BA"),
    Case("binomial-ordered", f"({A} + {B})**2", f"{A}**2 + {A}*{B} + {B}*{A} + {B}**2", True, ("proved",),
         "(A+B)^2 expanded in order"),
    # -- true identities that simplify cannot prove ------------------------------------------
    Case("ramanujan-nested-cube-roots", "(2**(1/3) - 1)**(1/3)", "(1/9)**(1/3) - (2/9)**(1/3) + (4/9)**(1/3)",
         True, TRUE_OK, "Ramanujan's denesting; simplify does not finish", timeout=1.5),
    Case("golden-cube-root", "(2 + sqrt(5))**(1/3)", "(1 + sqrt(5))/2", True, TRUE_OK, "phi^3 = 2 + sqrt 5"),
    Case("denest-sqrt", "sqrt(5 + 2*sqrt(6))", "sqrt(2) + sqrt(3)", True, ("proved",), "sqrtdenest"),
    Case("machin", "4*atan(1/5) - atan(1/239)", "pi/4", True, TRUE_OK, "Machin's formula"),
    Case("trilog-1/2", "polylog(3, 1/2)", "7*zeta(3)/8 - pi**2*log(2)/12 + log(2)**3/6", True, TRUE_OK,
         "Li_3(1/2)"),
    Case("dilog-reflection", "polylog(2, x) + polylog(2, 1 - x)", "pi**2/6 - log(x)*log(1 - x)", True, TRUE_OK,
         "Euler's reflection for the dilogarithm", domains=("x=0.05..0.95",), timeout=6.0),
    Case("gamma-reflection", "gamma(z)*gamma(1 - z)", "pi/sin(pi*z)", True, TRUE_OK,
         "at symbolic complex z"),
    Case("lambert-w", "LambertW(x)*exp(LambertW(x))", "x", True, TRUE_OK, "definition of W",
         domains=("x=0.1..5",)),
)
