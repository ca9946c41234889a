r"""Planted errors: a subtle corruption of what a post *states* must be refuted in every derivation.

A checker that says "verified" to everything passes every true claim; its worth is its power to
notice a wrong step.  For every derivation of the catalog, one or two claims (the cheapest that
represent each kind of evidence the catalog uses; more for the historic escapees) get a corruption
planted in their statement object, the kind a reader's slip or a typo makes (issue 13):

* **coefficient**: a side times \(1+10^{-3}\), or a factor changed (\(\Sigma/B\) written \(\Sigma/B^2\),
  \(e^{\alpha^2/2}\) written \(e^{\alpha^2/3}\), \(\operatorname{erf}(c/\sqrt2)\) written \(\operatorname{erf}(c/2)\));
* **sign**: one term's sign flipped (the last pair of RoPE's elementwise form);
* **transpose**: a matrix transposed (\(R((n-m)\theta)\) written \(R((m-n)\theta)\), \(B^\top\) written \(B\));
* **off-by-one**: an integer (an exponent, an index, a count) off by one;
* **digit**: two adjacent digits of a stated number transposed (\(200/347\) typed \(200/374\)).

Each corrupted claim is verified exactly as ``verify --all`` verifies the claim: the same
function (:func:`~derivations.engine.verify._evaluate_guarded` in forked workers through
:func:`~derivations.engine.scheduler.run_chunks`), the claim's own id (hence its seed and sample
points), strategies, quantities (exact values, evaluators, estimators with their standard
errors, enclosures), certificates (kept: the post's certificate, now of a different statement) and
oracles; only the statement differs.  Each must be **refuted**, in the corrupted part; each claim
as stated must still hold (proved, certified or checked), so the test fails both ways.  The corruption runs inside the worker as part of the
claim's build, and checks there that the corrupted part carries the evidence it is said to
exercise (a mislabelled plant makes the claim ``unknown``, so the test fails).

A corruption must be false and within the evidence's resolution: ``x (1 + 1e-3)`` of a Monte Carlo
mean is below 5 standard errors (cr C1's SE is 0.04%), and the same factor on a bound with room
to spare is still true; such claims get a larger or a different corruption.

The historic escapees of issue 13 are here by name: attention-scale C5 with
\(E\,e^{\alpha s}=e^{\alpha^2/3}\) (it stayed *proved*), and claims of batch-size-lr and
adam-epsilon that used to carry ``cross_check=`` (0 of 39 corruptions were refuted there).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import partial
from typing import Callable

import pytest
import sympy as sp

import derivations
from derivations.engine.claims import All, Approximation, Identity, Inequality, quantities
from derivations.engine.mutants import expression_mutants
from derivations.engine.scheduler import run_chunks
from derivations.engine.verdicts import Verdict
from derivations.engine.verify import _evaluate_guarded, _failed, hard_limit, warm_up

DIGITS, SEED, TIMEOUT, JOBS = 50, 0, 10.0, 2  # verify --all's defaults, two workers
ONE_PERMILLE = 1 + sp.Rational(1, 1000)

# evidence kinds (what decides the corrupted part) and corruption kinds
SYMBOLIC, FAMILY, EXACT, EVALUATOR, ESTIMATOR = (
    "symbolic identity", "family over instances", "exact quantity", "evaluator", "estimator with SE")
ENCLOSURE, CERTIFICATE, INEQUALITY, APPROXIMATION, ORACLE = (
    "enclosure", "certificate", "inequality", "approximation", "oracle")
EVIDENCE = (SYMBOLIC, FAMILY, EXACT, EVALUATOR, ESTIMATOR, ENCLOSURE, CERTIFICATE, INEQUALITY, APPROXIMATION, ORACLE)
COEFFICIENT, SIGN, TRANSPOSE, OFF_BY_ONE, DIGIT = "coefficient", "sign", "transpose", "off-by-one", "digit"
CORRUPTIONS = (COEFFICIENT, SIGN, TRANSPOSE, OFF_BY_ONE, DIGIT)


# -- corruptions of a statement object -----------------------------------------------------------

def _symbols(e) -> dict:
    return {s.name: s for s in e.free_symbols}


def times(factor=ONE_PERMILLE) -> Callable:
    r"""The side times ``factor`` (default \(1+10^{-3}\))."""
    return lambda e: e * factor


def transposed(e):
    return e.T


def swapped(a: str, b: str) -> Callable:
    """The free symbols named ``a`` and ``b`` exchanged."""
    def edit(e):
        s = _symbols(e)
        return e.xreplace({s[a]: s[b], s[b]: s[a]})
    return edit


def replaced(old: Callable, new: Callable) -> Callable:
    """The subexpression ``old(symbols)`` replaced by ``new(symbols)`` (symbols by name)."""
    def edit(e):
        s = _symbols(e)
        return e.xreplace({old(s): new(s)})
    return edit


def number(old: str, new: str) -> Callable:
    """The exact number ``old`` (as the post prints it) replaced by ``new``."""
    return lambda e: sp.sympify(e).xreplace({sp.Rational(old): sp.Rational(new)})


def operator(op: str, match: str) -> Callable:
    """The mutant of :mod:`derivations.engine.mutants` operator ``op`` whose description contains ``match``."""
    def edit(e):
        found = [m for m in expression_mutants(e, e.free_symbols)[op] if match in m.describe()]
        if not found:
            raise AssertionError(f"no {op} mutant matching {match!r}")
        return found[0].make()
    return edit


def _evidence(claim, stmt) -> set:
    """The kinds of evidence the statement ``stmt`` (one part) of ``claim`` carries."""
    kinds = set()
    sides = (stmt.exact, stmt.surrogate) if isinstance(stmt, Approximation) else (stmt.lhs, stmt.rhs)
    qs = [q for s in sides if isinstance(s, (sp.Basic, sp.MatrixBase)) for q in quantities(s)]
    for key, kind in (("exact", EXACT), ("evaluator", EVALUATOR), ("estimator", ESTIMATOR), ("enclosure", ENCLOSURE)):
        if any(getattr(type(q), key, None) for q in qs):
            kinds.add(kind)
    if isinstance(stmt, Identity) and not qs:
        kinds.add(SYMBOLIC)
    if isinstance(stmt, Inequality):
        kinds.add(INEQUALITY)
        if stmt.certificate is not None:
            kinds.add(CERTIFICATE)
    if isinstance(stmt, Approximation):
        kinds.add(APPROXIMATION)
    if claim.oracles and isinstance(stmt, Identity):
        kinds.add(ORACLE)
    return kinds


@dataclass(frozen=True)
class Plant:
    """A corruption of one claim's statement: ``edit`` applied to ``side`` (an entry of it when
    ``entry`` is given) of the part labelled ``part`` (the whole statement when ``None``)."""

    slug: str
    claim: str
    evidence: str
    corruption: str
    what: str
    edit: Callable
    part: str | None = None
    side: str = "rhs"
    entry: tuple | None = None

    @property
    def id(self) -> str:
        return f"{self.slug}:{self.claim}:{self.corruption}"

    def corrupt(self, claim, stmt):
        """``stmt`` with the planted error; raises when the error is not where it is said to be."""
        if self.part is None:
            return self._one(claim, stmt, stmt)
        labels = [label for label, _ in stmt.labelled()]
        k = labels.index(self.part)
        return All(stmt.parts[:k] + (self._one(claim, stmt, stmt.parts[k]),) + stmt.parts[k + 1:], stmt.labels)

    def _one(self, claim, whole, part):
        family = isinstance(whole, All) and re.match(r"[A-Za-z_]\w*=", self.part or "")
        found = _evidence(claim, part) | ({FAMILY} if family else set())
        if self.evidence not in found:
            raise AssertionError(f"the corrupted part carries {sorted(found)}, not {self.evidence}")
        old = getattr(part, self.side)
        if self.entry is None:
            new = self.edit(old)
        else:
            m = sp.Matrix(old)
            m[self.entry] = self.edit(m[self.entry])
            new = m
        if isinstance(new, sp.MatrixBase):
            new = sp.ImmutableMatrix(new)
        if new == old:
            raise AssertionError(f"the corruption {self.what!r} changes nothing")
        return replace(part, **{self.side: new})


def _planted_build(build, plant, claim):
    return plant.corrupt(claim, build())


def _lora_b_for_bt(rhs):
    r"""lora-plus C1's right-hand side with \(\partial_AL=X^\top GB\) (post: \(X^\top GB^\top\)); \(B\) is
    square there (\(r=m=2\)), so the slip is well-shaped."""
    from derivations import lora_plus as lp
    top = lp.X.T * lp.loss_gradient(lp.X, lp.A, lp.B) * lp.B
    return top.col_join(rhs[top.rows:, :])


def _rows(n: int, edit: Callable) -> Callable:
    """``edit`` applied to the first ``n`` rows of a matrix side only."""
    return lambda m: edit(m[:n, :]).col_join(m[n:, :])


PLANTS = (
    # -- the historic escapees of issue 13 --------------------------------------------------------
    Plant("attention-scale", "C5.gaussian-mgf", EXACT, COEFFICIENT, "E e^{as} = e^{a^2/3} (post: e^{a^2/2})",
          replaced(lambda s: s["alpha"] ** 2 / 2, lambda s: s["alpha"] ** 2 / 3)),
    Plant("batch-size-lr", "C1.batch-moments", SYMBOLIC, COEFFICIENT, "Cov = Sigma/B^2 (post: Sigma/B)",
          times(1 / sp.Symbol("B", positive=True)), part="covariance"),
    Plant("batch-size-lr", "C5.toy", SYMBOLIC, DIGIT, "eta*(4) = 200/374 (post: 200/347)",
          number("200/347", "200/374"), part="exact values", entry=(8, 0)),
    Plant("batch-size-lr", "C10.sign-moments", EXACT, COEFFICIENT, "E sign(c+z) = erf(c/2) (post: erf(c/sqrt 2))",
          replaced(lambda s: sp.erf(sp.sqrt(2) * s["c"] / 2), lambda s: sp.erf(s["c"] / 2)), part="E sign(c+z)"),
    Plant("batch-size-lr", "C11.erf-gap", APPROXIMATION, DIGIT, "max gap 0.1087 (post: 0.1078)",
          number("0.1078", "0.1087"), part="max gap", side="surrogate"),
    Plant("batch-size-lr", "C15.peak-location-gap", APPROXIMATION, DIGIT, "peak at 1.103 (post: 1.130)",
          number("1.130", "1.103"), part="1.130", side="surrogate"),
    Plant("adam-epsilon", "C2.clip-gap", EVALUATOR, COEFFICIENT, "max gap (1 - 1/sqrt 2)(1 + 1e-3)",
          times(), part="max gap"),
    Plant("adam-epsilon", "C4.mean-gap", APPROXIMATION, DIGIT, "largest gap 0.1087 (post: 0.1078)",
          number("0.1078", "0.1087"), part="largest gap", side="surrogate"),
    Plant("adam-epsilon", "C6.example", APPROXIMATION, DIGIT, "nu1 = 0.894472 (post: 0.894427)",
          number("0.894427", "0.894472"), part="nu1", side="surrogate"),
    Plant("adam-epsilon", "C9.counterexamples", APPROXIMATION, DIGIT, "(i) Q(10) = 0.83007 (post: 0.83070)",
          number("0.83070", "0.83007"), part="(i) Q(10)", side="surrogate"),
    # -- every derivation ---------------------------------------------------------------------------
    Plant("hippo", "C4.fourier-quadrature", EVALUATOR, SIGN, "c_1' = (u(T)-u(T-w))/w - (2 pi i/w) c_1 (post: +)",
          operator("sign", "cF_poly3(1)"), part="u=1*t^0 + -2*t^1 + 1/2*t^3", entry=(3, 0)),
    Plant("hippo", "C7.ode", EVALUATOR, COEFFICIENT, "LegS ODE solution x (1 + 1e-3)", times()),
    Plant("hippo", "C5.legt-exact", FAMILY, TRANSPOSE, "N=2 boundary matrix transposed", transposed,
          part="N=2: boundary"),
    Plant("rope", "C5.elementwise", FAMILY, SIGN, "last pair: -q6 sin(m theta3) (post: +)",
          operator("sign", "q6*sin"), part="d=8", entry=(7, 0)),
    Plant("rope", "C2.relative-score", SYMBOLIC, TRANSPOSE, "score with R((m-n)theta) (post: R((n-m)theta))",
          swapped("m", "n")),
    Plant("rope", "C9.indicator-at-zero", ENCLOSURE, OFF_BY_ONE, "F_8(0) = (8/2+2)/2 (post: (8/2+1)/2)",
          number("5/2", "3"), part="d=8"),
    Plant("attention-scale", "C10.table", APPROXIMATION, DIGIT, "alpha*(40,128) = 16.81043541 (post: ...514)",
          number("16.81043514", "16.81043541"), part="n=40, d=128", side="surrogate"),
    Plant("attention-scale", "C4.small-scale", EXACT, COEFFICIENT, "slope 3/4 (1 + 1e-3)", times()),
    Plant("sgd-average-loss", "C1.expansion", SYMBOLIC, SIGN, "+2 eta <g, theta - theta*> (post: -)",
          operator("sign", "-2*eta")),
    Plant("sgd-average-loss", "C2.bound", CERTIFICATE, COEFFICIENT, "AM-GM bound DG/sqrt T (1 + 1e-3)",
          times()),
    Plant("sgd-average-loss", "C2.convex-example", ENCLOSURE, COEFFICIENT, "regret <= DG/T (post: DG/sqrt T)",
          number("9/50", "9/5000")),
    Plant("integral-test", "C11.loglog-sum", ENCLOSURE, DIGIT, "sum 1/(n ln^2 n) = 2.10974...9874 (post: ...9847)",
          number("2.1097428012368919744792571976165513263855319843947",
                 "2.1097428012368919744792571976165513263855319843974"), side="surrogate"),
    Plant("integral-test", "C2.cell-upper", CERTIFICATE, OFF_BY_ONE, "1/n - 1/(n+1) <= 1/(n+1)^2 (post: 1/n^2)",
          replaced(lambda s: s["n"] ** -2, lambda s: (s["n"] + 1) ** -2)),
    Plant("integral-test", "C5.harmonic-lower", INEQUALITY, OFF_BY_ONE, "H_{N-1} - ln N (post: H_N - ln N)",
          replaced(lambda s: sp.harmonic(s["N"]), lambda s: sp.harmonic(s["N"] - 1))),
    Plant("integral-test", "C11.zeta", APPROXIMATION, DIGIT, "zeta(3) = 1.20205690315959428539973816151144999076"
          "49862923450 (post: ...405)", number("1.2020569031595942853997381615114499907649862923405",
                                              "1.2020569031595942853997381615114499907649862923450"),
          part="zeta(3)", side="surrogate"),
    Plant("lora-plus", "C1.gradients", ORACLE, TRANSPOSE, "dL/dA = X^T G B (post: X^T G B^T)", _lora_b_for_bt),
    Plant("lora-plus", "C4.var-xab", SYMBOLIC, OFF_BY_ONE, "Var(XAB) with r+1 = 3 (post: r = 2)",
          number("6", "9"), entry=(0, 0)),
    Plant("topk", "C2.reference", APPROXIMATION, DIGIT, "entry 2 = 1.68e-44 (post: 1.86e-44)",
          number("1.86e-44", "1.68e-44"), part="entry 2", side="surrogate"),
    Plant("topk", "C1.softmax", SYMBOLIC, OFF_BY_ONE, "y_2/sum written y_3/sum", replaced(
          lambda s: s["y2"], lambda s: s["y3"]), entry=(1, 0)),
    Plant("svd", "C2.pseudo-inverse", ORACLE, SIGN, "entry -2/9 written 2/9", lambda e: -e, entry=(2, 0)),
    Plant("cr", "C1.variance-monte-carlo", ESTIMATOR, COEFFICIENT, "uniform p error 136 (1 + 1e-2)",
          times(1 + sp.Rational(1, 100)), part="uniform p, r=1"),
    Plant("cr", "C2.dirichlet-search", EVALUATOR, OFF_BY_ONE, "optimum with sqrt 6 (post: sqrt 5)",
          replaced(lambda s: sp.sqrt(5), lambda s: sp.sqrt(6))),
    Plant("id", "C1.eckart-young-floor", ENCLOSURE, DIGIT, "1.951404773033216319075137 (post: ...173)",
          number("1.951404773033216319075173", "1.951404773033216319075137"), part="card value", side="surrogate"),
    Plant("id", "C1.coefficients", SYMBOLIC, DIGIT, "185/312 (post: 185/321)", number("185/321", "185/312"),
          entry=(0, 0)),
    Plant("rot", "C2.ste", SYMBOLIC, TRANSPOSE, "G^T passed through (post: G)", swapped("G01", "G10")),
    Plant("simvq", "C1.gradients", ORACLE, TRANSPOSE, "dL/dQ = G W (post: G W^T)",
          _rows(6, swapped("w01", "w10"))),
    Plant("simvq", "C1.reference", SYMBOLIC, DIGIT, "18/100 (post: 81/100)", number("81/100", "18/100"),
          entry=(0, 0)),
    Plant("fsq", "C1.levels", EVALUATOR, OFF_BY_ONE, "L=8 takes 9 values", number("8", "9"), part="L=8"),
    Plant("fsq", "C1.codebook", INEQUALITY, OFF_BY_ONE, "1000 < 5^4 (post: 5^5)", number("3125", "625"),
          part="1000 < 5^5"),
    Plant("mla", "C3.no-absorption", INEQUALITY, OFF_BY_ONE, "cos 3 > cos 3 (post: cos 2 > cos 3)",
          replaced(lambda s: sp.cos(2), lambda s: sp.cos(3)), side="lhs"),
    Plant("attnrnn", "C1.three-forms", EVALUATOR, COEFFICIENT, "online form (1 + 1e-3)", times(), part="online"),
    Plant("attnrnn", "C1.reference", APPROXIMATION, DIGIT, "o_2 = 1.731058578630004879251195 (post: ...159)",
          number("1.731058578630004879251159", "1.731058578630004879251195"), part="o_2", side="surrogate"),
    Plant("prenorm", "C2.monte-carlo", ESTIMATOR, OFF_BY_ONE, "l=8 weight 2^-3 (post: 2^-4)",
          number("1/16", "1/8"), part="l=8"),
    Plant("lion", "C2.sign-persists", SYMBOLIC, OFF_BY_ONE, "beta_2^k (post: beta_2^(k-1))",
          replaced(lambda s: s["beta_2"] ** (s["k"] - 1), lambda s: s["beta_2"] ** s["k"]), entry=(1, 0)),
    Plant("lion", "C1.two-million-steps", EVALUATOR, COEFFICIENT, "closed form (1 + 1e-3)", times(),
          part="iterated = closed form"),
    Plant("gflow", "C3.first-variation", SYMBOLIC, SIGN, "F_0 + F_1 p/q (post: -)", operator("sign", "F_1")),
    Plant("gflow", "C1.reference-energies", APPROXIMATION, DIGIT, "0.1594088253272893201170560 (post: ...506)",
          number("0.1594088253272893201170506", "0.1594088253272893201170560"), side="surrogate"),
    Plant("reflow", "C3.monte-carlo", ESTIMATOR, DIGIT, "intercept 65/41 (post: 56/41)", number("56/41", "65/41"),
          part="intercept"),
    Plant("reflow", "C2.reference-gradient", APPROXIMATION, DIGIT, "-0.19372820561201092451 (post: ...415)",
          number("-0.19372820561201092415", "-0.19372820561201092451"), part="d/dtheta_1", side="surrogate"),
    Plant("sid1", "C1.kernel", SYMBOLIC, COEFFICIENT, "score without its 1/2", times(2)),
    Plant("sid1", "C2.reference", APPROXIMATION, DIGIT, "L1 = 0.1624019515856633514730791 (post: ...719)",
          number("0.1624019515856633514730719", "0.1624019515856633514730791"), part="L1", side="surrogate"),
    Plant("sid2", "C1.pointwise", SYMBOLIC, SIGN, "+(phi_1 - psi_1)^2 (post: -)",
          operator("sign", "(phi_1 - psi_1)**2")),
    Plant("shortcut", "C1.small-step", SYMBOLIC, SIGN, "x + m t (post: x - m t)", operator("sign", "-m*t"),
          entry=(0, 0)),
    Plant("shortcut", "C1.reference", APPROXIMATION, DIGIT, "u = 0.8948271984113353865468778 (post: ...787)",
          number("0.8948271984113353865468787", "0.8948271984113353865468778"), part="u(0.3,0.2,0.25)",
          side="surrogate"),
    Plant("upsample", "C2.reference-decimals", APPROXIMATION, DIGIT, "tau = 0.2951672353008665483508202 (post: ...022)",
          number("0.2951672353008665483508022", "0.2951672353008665483508202"), part="tau", side="surrogate"),
)


# issue 13: the claim that stayed proved, and claims that used to carry cross_check= (never refuted then)
HISTORIC_ESCAPEES = (
    ("attention-scale", "C5.gaussian-mgf"),
    ("batch-size-lr", "C1.batch-moments"), ("batch-size-lr", "C5.toy"), ("batch-size-lr", "C10.sign-moments"),
    ("batch-size-lr", "C11.erf-gap"), ("batch-size-lr", "C15.peak-location-gap"),
    ("adam-epsilon", "C2.clip-gap"), ("adam-epsilon", "C4.mean-gap"), ("adam-epsilon", "C6.example"),
    ("adam-epsilon", "C9.counterexamples"),
)


# -- the run: every claim as stated and every planted claim, as verify --all runs them -------------

def _claim(slug: str, claim_id: str):
    return next(c for c in derivations.load(slug).all_claims() if c.id == claim_id)


CLAIMS = tuple(dict.fromkeys((p.slug, p.claim) for p in PLANTS))


@pytest.fixture(scope="module")
def verdicts():
    """``{key: ClaimResult}``: each claim as stated (key ``(slug, id)``) and each plant (key ``plant.id``),
    one chunk per derivation in two forked workers, as ``verify --all`` runs them."""
    chunks = {}
    for slug, claim_id in CLAIMS:
        chunks.setdefault(slug, []).append(((slug, claim_id), _claim(slug, claim_id)))
    for p in PLANTS:
        c = _claim(p.slug, p.claim)
        chunks.setdefault(p.slug, []).append((p.id, replace(c, build=partial(_planted_build, c.build, p, c))))
    out = {}
    warm_up()
    run_chunks(list(chunks.values()), partial(_evaluate_guarded, digits=DIGITS, seed=SEED, timeout=TIMEOUT), _failed,
               out.__setitem__, jobs=JOBS, hard_seconds=hard_limit(TIMEOUT))
    return out


@pytest.mark.parametrize("plant", PLANTS, ids=lambda p: p.id)
def test_planted_error_is_refuted(verdicts, plant):
    res = verdicts[plant.id]
    assert res.verdict is Verdict.REFUTED, f"{plant.what}: {res.verdict.value}: {res.detail}"
    if plant.part is not None:
        assert res.counterexample and res.counterexample.get("part") == plant.part, res.counterexample


@pytest.mark.parametrize("key", CLAIMS, ids="{0[0]}:{0[1]}".format)
def test_claim_as_stated_holds(verdicts, key):
    res = verdicts[key]
    assert res.verdict.is_ok, f"{key}: {res.verdict.value}: {res.detail}"


def test_every_derivation_evidence_and_corruption_kind_is_planted():
    assert set(HISTORIC_ESCAPEES) <= {(p.slug, p.claim) for p in PLANTS}
    assert {p.slug for p in PLANTS} == set(derivations.CATALOG)
    assert {p.evidence for p in PLANTS} == set(EVIDENCE)
    assert {p.corruption for p in PLANTS} == set(CORRUPTIONS)
    assert len({p.id for p in PLANTS}) == len(PLANTS)


def test_a_plant_that_changes_nothing_or_misnames_its_evidence_is_rejected():
    x = sp.Symbol("x", real=True)
    claim = _claim("sid1", "C1.kernel")
    stmt = Identity(x ** 2, x * x)
    assert Plant("t", "c", SYMBOLIC, COEFFICIENT, "x 2", times(2)).corrupt(claim, stmt).rhs == 2 * x ** 2
    with pytest.raises(AssertionError, match="changes nothing"):
        Plant("t", "c", SYMBOLIC, COEFFICIENT, "x 1", times(1)).corrupt(claim, stmt)
    with pytest.raises(AssertionError, match="not estimator"):
        Plant("t", "c", ESTIMATOR, COEFFICIENT, "x 2", times(2)).corrupt(claim, stmt)
