"""The verification driver: the one place where a claim's statement and evidence become a verdict.

For each statement (each part of an :class:`~derivations.engine.claims.All`) the engine runs

1. the **symbolic phase** on the statement's own difference (identity) or margin (inequality):
   the claim's extra strategies, then the generic ones (:mod:`derivations.engine.symbolic`);
   quantities with an exact value are substituted; a statement over a small finite domain is
   also proved point by point; an exact nonzero difference (or a negative exact margin) is an
   exact refutation with its witness;
2. the **numeric phase** on the statement's own sides: rigorous enclosures when both sides are
   closed and python-flint can enclose them (``certified``), else the two-precision rule at
   sampled and edge points (:mod:`numeric.identity`), the standard-error rule for stochastic
   quantities (:mod:`numeric.stochastic`), or the gap against the stated tolerance
   (:mod:`numeric.approximation`); for an identity the symbolic phase proves, one comparison of
   its sides at the first sampled point, a cross-check of the proof (:func:`_decide`);
3. the **oracles**: independent implementations compared with one side, recorded.

The verdict (see :mod:`derivations.engine.verdicts` for the vocabulary):

* a proof stands unless the numbers contradict it (then ``unknown``: proof and numbers conflict);
* an exact refutation stands unless the sides agree numerically beyond the exact difference's
  size (then ``unknown``: SymPy and the numbers conflict); a difference below the numeric
  resolution refutes;
* otherwise certified / checked / refuted / unknown as the numeric phase found;
* an oracle that disagrees with its side makes an ok verdict ``unknown``;
* a conjunction is refuted if any part is, else as strong as its weakest part.

Each claim runs in a forked worker (:mod:`derivations.engine.scheduler`); inside it the build,
the symbolic phase and the numeric phase each get ``timeout`` seconds of CPU time (so a verdict
does not depend on the machine's load), and at most :data:`WALL_FACTOR` times as long on the
wall clock.
"""
from __future__ import annotations

import signal
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field

from derivations.engine.budget import DEFAULT_MEMORY_MB, DeadlineExpired, deadline, run_with_budget
from derivations.engine.claims import All, Approximation, Claim, Derivation, Identity, Inequality, quantities
from derivations.engine.verdicts import (ClaimResult, DerivationResult, ErratumResult, Verdict,
                                         derivation_verdict, weakest)

FINITE_POINTS = 64  # a statement over at most this many points of finite domains is also proved point by point
REFUTED_SYMBOLIC_SECONDS = 2.0  # the symbolic phase's budget once the numbers have refuted the statement


WALL_FACTOR = 4  # a phase that has not used its CPU seconds is stopped after this many times as long on the wall clock


class _Expired(BaseException):
    """A phase's time is spent.  A ``BaseException`` (like ``KeyboardInterrupt`` and the budget's
    ``DeadlineExpired``): SymPy, mpmath and the engine's own routes catch ``Exception`` to try
    something else, and one that caught the one-shot alarm would run on without a deadline.
    ``waited``: the wall-clock alarm fired (the phase waited rather than computed)."""

    def __init__(self, waited: bool = False):
        super().__init__()
        self.waited = waited


@contextmanager
def _alarm(seconds: float):
    """Raise :class:`_Expired` in this (worker, main-thread) process after ``seconds`` of its
    CPU time (:func:`~derivations.engine.budget.deadline`, inside which the symbolic strategies
    cut their slices), or after :data:`WALL_FACTOR` times as long on the wall clock."""

    def waited(signum, frame):
        raise _Expired(waited=True)

    old = signal.signal(signal.SIGALRM, waited)
    signal.setitimer(signal.ITIMER_REAL, WALL_FACTOR * seconds)
    ours = []
    try:
        with deadline(seconds) as token:  # its expiry may also fire as the block ends, in its exit
            ours.append(token)
            yield
    except DeadlineExpired as exc:
        if ours and ours[0].expired(exc):
            raise _Expired() from None
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def claim_seed(seed: int, claim_id: str) -> int:
    """Deterministic per-claim seed (independent of claim order and of Python's hash salt)."""
    return zlib.crc32(f"{seed}:{claim_id}".encode())


# --- statements ---------------------------------------------------------------------------

def _sides(stmt):
    if isinstance(stmt, Approximation):
        return stmt.exact, stmt.surrogate
    return stmt.lhs, stmt.rhs


def _variables(stmt):
    """Every free symbol of the statement with its sampling domain (declared, or implied by
    its assumptions), checked against the assumptions."""
    import sympy as sp

    from numeric.sampling import check_consistent, default_domain
    free = set()
    for e in _sides(stmt):
        if isinstance(e, (sp.Basic, sp.MatrixBase)):
            free |= e.free_symbols
    domains = {}
    for s in free:
        dom = stmt.variables.get(s) or default_domain(s)
        check_consistent(s, dom)
        domains[s] = dom
    return domains


def _finite_points(domains: dict):
    """All points of the domains when every one is a finite set of integers and there are at
    most :data:`FINITE_POINTS` of them (the statement's whole domain), else ``None``."""
    import itertools
    if not domains or any(d.kind != "integer" for d in domains.values()):
        return None
    count = 1
    for d in domains.values():
        count *= int(d.hi - d.lo) + 1
    if count > FINITE_POINTS:
        return None
    keys = sorted(domains, key=lambda s: s.name)
    ranges = [range(int(domains[k].lo), int(domains[k].hi) + 1) for k in keys]
    return [dict(zip(keys, combo)) for combo in itertools.product(*ranges)]


def _has_exact_everywhere(exprs) -> tuple[bool, list]:
    qs = [q for e in exprs for q in quantities(e)]
    return all(getattr(type(q), "exact", None) for q in qs), qs


def _substitute_exact(e):
    """``e`` with every quantity replaced by its exact value."""
    import sympy as sp
    from sympy.core.function import AppliedUndef

    def sub(x):
        return x.replace(lambda n: isinstance(n, AppliedUndef) and getattr(type(n), "exact", None) is not None,
                         lambda n: type(n).exact(*n.args))

    return e.applyfunc(sub) if isinstance(e, sp.MatrixBase) else sub(sp.sympify(e))


def _difference(lhs, rhs):
    import sympy as sp
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        return sp.ImmutableMatrix(lhs) - sp.ImmutableMatrix(rhs)
    return sp.sympify(lhs) - sp.sympify(rhs)


# --- the symbolic phase --------------------------------------------------------------------

def _quantity_note(qs) -> str:
    hows = [f"{type(q).__name__}: {type(q).how}" if getattr(type(q), "how", "") else type(q).__name__ for q in qs]
    return "exact value of " + ", ".join(dict.fromkeys(hows))


def _symbolic(claim: Claim, stmt, domains: dict, generic=None):
    """The symbolic phase on one statement: a :class:`SymbolicOutcome` (engine-internal).
    ``generic`` restricts the generic strategies (default: all of them) and an inequality's
    search for its sign to the cheap forms (``prove_nonnegative``'s ``cheap``)."""
    import sympy as sp

    from derivations.engine.symbolic import STRATEGIES, SymbolicOutcome, prove_nonnegative, prove_zero
    skipped = _not_attempted(claim, stmt)
    if skipped:
        return SymbolicOutcome("skipped", detail=skipped)
    lhs, rhs = stmt.lhs, stmt.rhs
    if isinstance(stmt, Identity) and (isinstance(lhs, sp.MatrixBase) != isinstance(rhs, sp.MatrixBase) or (
            isinstance(lhs, sp.MatrixBase) and lhs.shape != rhs.shape)):
        return SymbolicOutcome("refuted", "shape", {"text": "the two sides have different shapes"})
    _, qs = _has_exact_everywhere((lhs, rhs))
    note = _quantity_note(qs) if qs else ""
    if qs:
        lhs, rhs = _substitute_exact(lhs), _substitute_exact(rhs)
    strategies = tuple(claim.strategies) + tuple(s for s in (generic or STRATEGIES) if s not in claim.strategies)
    # Piecewise conditions are settled on the statement's declared domains only: a default
    # sampling box is where the numbers look, not where the statement is claimed
    declared = {s: d for s, d in domains.items() if s in stmt.variables}

    def decide(a, b):
        if isinstance(stmt, Identity):
            return prove_zero(_difference(a, b), strategies, domains=declared)
        margin = b - a if stmt.rel in ("<=", "<") else a - b
        out = prove_nonnegative(margin, stmt.certificate, strict=stmt.rel in ("<", ">"), cheap=generic is not None)
        if out.status != "proved":
            refuted = _exact_sign_refutes(margin, strict=stmt.rel in ("<", ">"))
            if refuted is not None:
                return refuted
        return out

    out = decide(lhs, rhs)
    pts = _finite_points(domains)
    if pts and out.status not in ("proved", "refuted"):
        out = _pointwise(decide, lhs, rhs, pts, out)
    elif pts and out.status == "proved" and isinstance(stmt, Identity):
        out = _witness(lhs, rhs, pts) or out
    if note and out.status in ("proved", "refuted"):
        out.method = f"{note}; {out.method}" if out.method else note
    return out


def _not_attempted(claim: Claim, stmt) -> str:
    """Why the symbolic phase does not try ``stmt`` ("" when it does)."""
    if not claim.symbolic:
        return "symbolic phase not attempted (see the claim's doc)"
    if isinstance(stmt, Approximation):
        return "approximations are measured, never proved"
    exact, qs = _has_exact_everywhere((stmt.lhs, stmt.rhs))
    if qs and not exact:
        names = ", ".join(sorted({type(q).__name__ for q in qs if not getattr(type(q), "exact", None)}))
        return f"no exact value for {names}"
    return ""


def _exact_sign_refutes(margin, strict: bool):
    """An exact rational margin of the wrong sign (negative; or zero for a strict relation):
    the inequality is refuted exactly, else ``None``."""
    import sympy as sp

    from derivations.engine.symbolic import SymbolicOutcome
    m = sp.sympify(margin)
    if m.is_number and not m.is_Rational:
        m = sp.expand(m)
    if m.is_Rational and (m < 0 or (strict and m == 0)):
        return SymbolicOutcome("refuted", "exact margin", {"text": f"margin rhs - lhs = {sp.sstr(m)} (exact)"},
                               value=m)
    return None


def _witness(lhs, rhs, points):
    r"""A general proof of an identity on a finite domain, tested at each of its points by the
    cheap exact rewrites and ``doit``: the refutation at the first point whose difference is an
    exact nonzero number, else ``None``.  SymPy's closed forms can drop an edge case
    (\(\sum_{k=0}^n(-1)^k\binom nk\) becomes 0, false at \(n=0\)); an exact witness outranks them."""
    from derivations.engine.symbolic import CHEAP, do_it, prove_zero
    for pt in points:
        out = prove_zero(_difference(_at(lhs, pt), _at(rhs, pt)), CHEAP + (do_it,))
        if out.status == "refuted":
            where = ", ".join(f"{k}={v}" for k, v in pt.items())
            text = (out.counterexample or {}).get("text", "")
            out.counterexample = {"text": f"at {where}: {text} (a general proof by SymPy misses this point)",
                                  "at": {str(k): v for k, v in pt.items()}}
            return out
    return None


def _pointwise(decide, lhs, rhs, points, general):
    """The statement at every point of its finite domain, exactly: proved when every point is,
    refuted at the first point with an exact nonzero difference (the witness)."""
    from derivations.engine.symbolic import SymbolicOutcome
    methods = []
    for pt in points:
        out = decide(_at(lhs, pt), _at(rhs, pt))
        where = ", ".join(f"{k}={v}" for k, v in pt.items())
        if out.status == "refuted":
            text = (out.counterexample or {}).get("text", "")
            out.counterexample = {"text": f"at {where}: {text}".rstrip(": "), "at": {str(k): v for k, v in pt.items()}}
            return out
        if out.status != "proved":
            return general
        methods.append(out.method)
    return SymbolicOutcome("proved", f"at each of the {len(points)} points of the finite domain: "
                           + "+".join(dict.fromkeys(methods)))


def _at(e, pt):
    import sympy as sp
    return e.subs(pt) if isinstance(e, (sp.Basic, sp.MatrixBase)) else e


# --- the numeric phase ---------------------------------------------------------------------

def _stochastic(exprs) -> bool:
    return any(getattr(type(q), "estimator", None) and not getattr(type(q), "evaluator", None)
               for e in exprs for q in quantities(e))


def _closed(stmt, domains) -> bool:
    import sympy as sp
    return not domains and not any(isinstance(e, sp.MatrixBase) for e in _sides(stmt))


def _numeric(claim: Claim, stmt, domains: dict, digits: int, seed: int, cross_check: bool = False):
    """The numeric phase on one statement: a :class:`NumericOutcome` (engine-internal).
    ``cross_check``: only the two sides compared at the first seeded point (see :func:`_decide`)."""
    from numeric.identity import NumericOutcome
    from numeric.search import search_identity, search_inequality
    if _stochastic(_sides(stmt)):
        from numeric.stochastic import test_stochastic
        kind = type(stmt).__name__.lower()
        return test_stochastic(kind, *_sides(stmt), domains, seed, _finite_points(domains),
                               rel=getattr(stmt, "rel", None), tolerance=getattr(stmt, "tolerance", None),
                               relative=getattr(stmt, "relative", False))
    if _closed(stmt, domains):
        out = _certify(stmt, digits)
        if out is not None:
            return out
    if isinstance(stmt, Identity):
        defaulted = {s for s in domains if s not in stmt.variables}
        return search_identity(stmt.lhs, stmt.rhs, domains, digits, seed, 1 if cross_check else stmt.points,
                               defaulted, cross_check)
    if isinstance(stmt, Inequality):
        return search_inequality(stmt.lhs, stmt.rel, stmt.rhs, domains, digits, seed, stmt.points)
    if isinstance(stmt, Approximation):
        from numeric.approximation import measure_gap
        return measure_gap(stmt, domains, digits, seed)
    return NumericOutcome("unknown", detail=f"cannot evaluate a {type(stmt).__name__}")


def _certify(stmt, digits: int):
    """Rigorous enclosures of a closed statement's sides (python-flint): ``certified`` or
    ``disagree`` when the balls decide, ``None`` when they cannot be had or stay undecided."""
    import sympy as sp

    from numeric import certify
    from numeric.identity import NumericOutcome
    if not certify.AVAILABLE:
        return None
    try:
        if isinstance(stmt, Identity):
            a, b = certify.ball(stmt.lhs, digits=digits), certify.ball(stmt.rhs, digits=digits)
            verdict = certify.agree(a, b, digits)
            holds, fails = verdict == "agree", verdict == "differ"
        else:
            if isinstance(stmt, Inequality):
                lhs, rel, rhs = stmt.lhs, stmt.rel, stmt.rhs
            else:
                lhs, rel = sp.Abs(stmt.exact - stmt.surrogate, evaluate=False), "<="
                rhs = stmt.tolerance * sp.Abs(stmt.exact, evaluate=False) if stmt.relative else stmt.tolerance
            d = _resolving_digits(stmt, min(digits, 30), digits)
            a, b = certify.ball(lhs, digits=d), certify.ball(rhs, digits=d)
            verdict = certify.decide(a, rel, b)
            holds, fails = verdict == "holds", verdict == "fails"
    except certify.NotCertifiable:
        return None
    if holds:
        # the scale says which exact differences these balls could not see (_below_resolution)
        scale = max(abs(certify.to_mpf(a)), abs(certify.to_mpf(b)))
        return NumericOutcome("certified", digits if isinstance(stmt, Identity) else None, None,
                              f"Arb balls: {certify.show(a, 12)} and {certify.show(b, 12)}", {"scale": scale})
    if fails:
        from numeric.counterexamples import fmt
        lv, rv = certify.to_mpf(a), certify.to_mpf(b)
        return NumericOutcome("disagree", None, {
            "text": f"disjoint Arb enclosures: lhs {certify.show(a, 30)} vs rhs {certify.show(b, 30)}",
            "lhs": fmt(lv, 20), "rhs": fmt(rv, 20), "difference": fmt(lv - rv, 6)},
            "rigorous: the enclosures exclude the claim")
    return None


def _resolving_digits(stmt, default: int, digits: int) -> int:
    r"""Digits of the balls of an approximation's gap: enough to resolve its absolute tolerance (a number stated to
    50 digits has a tolerance \(5\cdot10^{-51}\), below the default 30-digit enclosure of a gap whose ball holds 0),
    at most ``digits + 10``."""
    import sympy as sp
    tol = sp.sympify(getattr(stmt, "tolerance", None))
    if not isinstance(stmt, Approximation) or stmt.relative or not (tol.is_number and tol.is_positive):
        return default
    return max(default, min(digits + 10, int(sp.ceiling(-sp.log(tol, 10))) + 3))


def _oracles(claim: Claim, stmt, domains: dict, digits: int, seed: int) -> list:
    """Each oracle against its side of the statement at the first sampled point."""
    if not claim.oracles or not isinstance(stmt, Identity):
        return []
    import mpmath

    from numeric.evaluate import Unevaluable, evaluate
    from numeric.identity import compare, difference_norm
    from numeric.sampling import draw_points
    pt = draw_points(domains, 1, seed)[0]
    out = []
    for o in claim.oracles:
        side = stmt.lhs if o.side == "lhs" else stmt.rhs
        row = {"name": o.name, "side": o.side, "status": "unknown", "digits": None, "detail": ""}
        try:
            if o.tolerance is None:
                cmp = compare(lambda dps: (o.fn(pt), evaluate(side, pt, dps)), digits)
                row.update(status=cmp.status, digits=cmp.digits, detail=cmp.detail)
            else:
                with mpmath.workdps(30):
                    gap = difference_norm(o.fn(pt), evaluate(side, pt, 30))
                row.update(status="agree" if gap <= o.tolerance else "disagree",
                           detail=f"max difference {mpmath.nstr(gap, 3)} (tolerance {o.tolerance:g})")
        except (Unevaluable, ValueError, ZeroDivisionError) as exc:
            row["detail"] = str(exc)
        out.append(row)
    return out


# --- one statement, one claim --------------------------------------------------------------

@dataclass
class _Decision:
    verdict: Verdict
    sym: object
    num: object
    note: str = ""
    counterexample: dict | None = None
    oracles: list = field(default_factory=list)


def _below_resolution(sym, num) -> bool:
    r"""An exact nonzero difference that agreeing numbers could not see: smaller than the
    sides' smallest size times \(10^{-\mathrm{digits}}\) (\(\sum 1/n^2 = \pi^2/6 + 10^{-60}\)
    at 50 digits)."""
    import mpmath
    import sympy as sp
    if num.digits is None:  # an agreement that claims no digits (a standard-error band) cannot see it
        return True
    scale = (num.extra or {}).get("scale")
    if sym.value is None or scale is None or not sym.value.is_finite:
        return False
    with mpmath.workdps(30):
        return mpmath.mpf(str(sp.N(abs(sym.value), 30))) <= scale * mpmath.mpf(10) ** (-num.digits)


# what a numeric counterexample measured; not its difference (a norm, unsigned: the exact one is the
# difference) nor its worst entry (the exact difference names its own)
_VALUES = ("at", "lhs", "rhs", "dps")


def _exact_witness(sym, num) -> dict | None:
    r"""The counterexample of an exact refutation: the symbolic phase's exact difference (its
    text), with the sides' values where the numeric phase found them apart too, so that an
    exact refutation keeps the numbers (\(\pi\) and \(22/7\) as decimals).  A difference
    found at one point of a finite domain keeps its own point: values measured elsewhere would
    not be its."""
    cx, seen = sym.counterexample, num.counterexample if num.status == "disagree" else None
    if not cx or not seen or "at" in cx:
        return cx or seen
    out = {k: seen[k] for k in _VALUES if k in seen}
    out.update(cx)
    return out


def _combine(sym, num) -> _Decision:
    """The verdict of one statement from its two phases (the rules in the module docstring)."""
    agreeing = num.status in ("agree", "certified")
    if sym.status == "proved":
        if num.status == "disagree":
            return _Decision(Verdict.UNKNOWN, sym, num, "symbolic proof and numeric check conflict", num.counterexample)
        return _Decision(Verdict.PROVED, sym, num)
    if sym.status == "refuted":
        if agreeing and not _below_resolution(sym, num) and sym.value is not None:
            return _Decision(Verdict.UNKNOWN, sym, num, "the exact difference is nonzero but the sides agree "
                             "numerically beyond its size (SymPy and the numbers conflict)", sym.counterexample)
        note = "the exact difference is below the numeric check's resolution" if agreeing else ""
        return _Decision(Verdict.REFUTED, sym, num, note, _exact_witness(sym, num))
    if num.status == "disagree":
        return _Decision(Verdict.REFUTED, sym, num, "", num.counterexample)
    if num.status == "certified":
        return _Decision(Verdict.CERTIFIED, sym, num)
    if num.status == "agree":
        return _Decision(Verdict.CHECKED, sym, num)
    return _Decision(Verdict.UNKNOWN, sym, num)


def _phase(fn, timeout: float, unknown):
    try:
        with _alarm(timeout):
            return fn()
    except _Expired as exc:
        return unknown(f"timed out after {timeout:g} s" + (
            f" (waiting {WALL_FACTOR * timeout:g} s of wall clock)" if exc.waited else " of CPU time"))


def _cross_checkable(claim: Claim, stmt, domains: dict) -> bool:
    """Whether a proof of ``stmt`` would leave its numeric search a cross-check: an identity
    over a domain (a closed one has one point anyway), evaluated deterministically, that the
    symbolic phase attempts.  Not an inequality: a false one often holds at the first point
    and fails only at a corner or after the descent, which would then cost the whole symbolic
    budget before the search (and the cheap rewrites again after it)."""
    return isinstance(stmt, Identity) and bool(domains) and not _stochastic(_sides(stmt)) \
        and not _not_attempted(claim, stmt)


def _decide(claim: Claim, stmt, digits: int, seed: int, timeout: float) -> _Decision:
    """Both phases on one statement, the numeric one first: a statement the numbers refute
    beyond doubt gets only the cheap exact rewrites (for an exact witness, or to expose a
    conflicting proof) instead of the whole symbolic budget.

    A statement the symbolic phase may prove (:func:`_cross_checkable`) first has its two sides
    compared at the first seeded point only, at two precisions (the rule of
    :func:`numeric.identity.compare`).  If they agree there the symbolic phase runs; when it
    proves the statement, that comparison is the numeric phase: a cross-check of the proof (a
    disagreement would still make the verdict unknown), not the evidence, so the difference on
    its own, the remaining points and the edge probes are not evaluated.  Otherwise the whole
    search runs, exactly as for any other statement (its first comparison is the one already
    made, so a disagreement or an unstable value there is final at once: the search would stop
    at it)."""
    from derivations.engine.symbolic import CHEAP, SymbolicOutcome
    from numeric.identity import NumericOutcome
    domains = _variables(stmt)

    def numeric(cross_check=False):
        return _phase(lambda: _numeric(claim, stmt, domains, digits, seed, cross_check), timeout,
                      lambda why: NumericOutcome("unknown", detail=f"numeric phase {why}"))

    def symbolic(refuted):
        return _phase(lambda: _symbolic(claim, stmt, domains, CHEAP if refuted else None),
                      min(timeout, REFUTED_SYMBOLIC_SECONDS) if refuted else timeout,
                      lambda why: SymbolicOutcome("unknown", detail=f"symbolic phase {why}"))

    num = sym = None
    if _cross_checkable(claim, stmt, domains):
        head = numeric(cross_check=True)
        if head.status in ("disagree", "unknown") and head.extra.get("evaluated") != 0:
            num = head  # the whole search ends at its first point the same way
        elif head.status == "agree":
            sym = symbolic(False)
            if sym.status == "proved":
                num = head
                num.detail = "; ".join(x for x in (num.detail, "a cross-check of the proof") if x)
    if num is None:
        num = numeric()
    if sym is None or (num.status == "disagree" and sym.status != "proved"):
        sym = symbolic(num.status == "disagree")
    decision = _combine(sym, num)
    if decision.verdict.is_ok and claim.oracles:
        decision.oracles = _phase(lambda: _oracles(claim, stmt, domains, digits, seed), timeout, lambda why: [])
        bad = next((o for o in decision.oracles if o["status"] == "disagree"), None)
        if bad:
            decision.verdict = Verdict.UNKNOWN
            decision.note = f"oracle {bad['name']!r} disagrees with the statement's {bad['side']}"
    return decision


def _method(d: _Decision) -> str:
    sym, num = d.sym, d.num
    method = sym.method if sym.status in ("proved", "refuted") else ""
    if d.verdict in (Verdict.CHECKED, Verdict.CERTIFIED) or (d.verdict is Verdict.REFUTED and not method):
        method = method or ("ball arithmetic" if num.status == "certified" else "numeric")
    return method


def _detail(d: _Decision) -> str:
    parts = (d.note, d.sym.detail if d.sym.status != "proved" else "", d.num.detail)
    return "; ".join(dict.fromkeys(x for x in parts if x))


_SYM_JSON = {"proved": "proved", "refuted": "refuted", "failed": "failed", "unknown": "unknown", "skipped": "skipped"}
_NUM_JSON = {"agree": "agree", "certified": "certified", "disagree": "disagree", "unknown": "unknown",
             "skipped": "skipped"}


def _evaluate(claim: Claim, digits: int, seed: int, timeout: float) -> ClaimResult:
    """Build the claim's statement and decide each of its parts."""
    try:
        with _alarm(timeout):
            stmt = claim.build()
    except _Expired:
        return _failed(claim, f"building the statement took more than {timeout:g} s")
    parts = stmt.labelled() if isinstance(stmt, All) else [("", stmt)]
    for label, part in parts:
        if not isinstance(part, (Identity, Inequality, Approximation)):
            raise TypeError(f"claim {claim.id}: a statement is an Identity, Inequality, Approximation or All, "
                            f"not {type(part).__name__}")
    decisions = [(label, _decide(claim, part, digits, seed, timeout)) for label, part in parts]
    verdict = weakest(d.verdict for _, d in decisions)
    # report the part that decided: the refuted one, else the weakest
    label, main = next(((lab, d) for lab, d in decisions if d.verdict is verdict), decisions[0])
    where = f"{label}: " if label and len(decisions) > 1 else ""
    cx = dict(main.counterexample) if main.counterexample else None
    if cx and where:
        cx["part"] = label
        if "text" in cx:
            cx["text"] = where + cx["text"]
    methods = [_method(d) for _, d in decisions]
    method = methods[0] if len(set(methods)) == 1 else "; ".join(
        f"{lab}: {m}" for (lab, _), m in zip(decisions, methods) if m)
    detail = _detail(main)
    digits_seen = [d.num.digits for _, d in decisions if d.num.digits is not None]
    gaps = [d.num.extra.get("gap") for _, d in decisions if d.num.extra and d.num.extra.get("gap")]
    kinds = sorted({type(p).__name__.lower() for _, p in parts})
    return ClaimResult(
        id=claim.id, statement=claim.statement, verdict=verdict, symbolic=_SYM_JSON[main.sym.status],
        numeric=_NUM_JSON[main.num.status],
        digits=round(float(min(digits_seen)), 1) if digits_seen and verdict.is_ok else None,
        seconds=0.0, method=method, detail=(where + detail) if detail else "", counterexample=cx,
        kind=claim.kind or "+".join(kinds), hypotheses=list(claim.hypotheses), uses=list(claim.uses),
        gap=", ".join(gaps) if gaps else None,
        oracles=[o for _, d in decisions for o in d.oracles])


def _failed(claim: Claim, reason: str, seconds: float = 0.0) -> ClaimResult:
    """The result of a claim whose evaluation did not return (timeout, memory, crash)."""
    return ClaimResult(id=claim.id, statement=claim.statement, verdict=Verdict.UNKNOWN, symbolic="unknown",
                       numeric="unknown", digits=None, seconds=round(seconds, 3), detail=reason,
                       kind=claim.kind, hypotheses=list(claim.hypotheses), uses=list(claim.uses))


def _evaluate_guarded(claim: Claim, digits: int, seed: int, timeout: float) -> ClaimResult:
    """:func:`_evaluate` with the claim's own seed and time, any failure made ``unknown``."""
    import mpmath
    t0 = time.perf_counter()
    mpmath.mp.dps = 15  # a claim that leaves the global precision changed must not affect the next
    try:
        target = min(digits, claim.digits) if claim.digits else digits
        res = _evaluate(claim, target, claim_seed(seed, claim.id), timeout)
    except MemoryError:
        res = _failed(claim, "exceeded the memory bound")
    except RecursionError:
        res = _failed(claim, "recursion too deep")
    except Exception as exc:  # a claim's own code failing is a result, not a crash of the run
        res = _failed(claim, f"{type(exc).__name__}: {exc}"[:300])
    res.seconds = round(time.perf_counter() - t0, 3)
    return res


def hard_limit(timeout: float) -> float:
    """The wall clock one claim may take before its worker is killed (it is stuck where no alarm
    reaches, in C code): its three phases of ``timeout`` CPU seconds each at half a core (two
    processes to a core, as on a loaded machine), plus 5 s."""
    return 2 * 3 * timeout + 5


def verify_claim(claim: Claim, digits: int = 50, seed: int = 0, timeout: float = 10.0,
                 memory_mb: int | None = DEFAULT_MEMORY_MB) -> ClaimResult:
    """Verify one claim in a budgeted child process: at most :func:`hard_limit` seconds of wall
    clock and ``memory_mb`` MiB of address space; exceeding either gives ``unknown``."""
    t0 = time.perf_counter()
    out = run_with_budget(_evaluate_guarded, claim, digits, seed, timeout, seconds=hard_limit(timeout),
                          memory_mb=memory_mb)
    res = out.value if out.status == "ok" else _failed(claim, out.reason)
    res.seconds = round(time.perf_counter() - t0, 3)
    return res


def _erratum_result(e, post: ClaimResult, correct: ClaimResult) -> ErratumResult:
    return ErratumResult(e.id, e.post_says.statement, e.correct.statement, e.note, post, correct)


def verify_erratum(e, digits: int = 50, seed: int = 0, timeout: float = 10.0) -> ErratumResult:
    """Verify an erratum: the post's statement (must be refuted) and the correction."""
    post = verify_claim(e.post_says, digits, seed, timeout)
    correct = verify_claim(e.correct, digits, seed, timeout)
    return _erratum_result(e, post, correct)


# --- many claims -----------------------------------------------------------------------------

def _keyed_claims(di: int, d: Derivation) -> list:
    """``((di, kind, index, part), claim)`` for every claim a derivation's verdict needs."""
    out = [((di, "claim", i, ""), c) for i, c in enumerate(d.claims)]
    out += [((di, "control", i, ""), c) for i, c in enumerate(d.controls)]
    for i, e in enumerate(d.errata):
        out += [((di, "erratum", i, "post"), e.post_says), ((di, "erratum", i, "correct"), e.correct)]
    return out


def _split(items: list, parts: int) -> list:
    """``parts`` contiguous chunks of nearly equal length (neighbouring claims share caches)."""
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for k in range(parts):
        end = start + size + (k < extra)
        out.append(items[start:end])
        start = end
    return [c for c in out if c]


def _cached(targets, keyed, catalog, digits, seed, timeout) -> tuple[dict, dict]:
    """``(keys, stored)``: each catalog derivation's cache key, and for those whose results are
    stored under it, ``[(item key, result)]`` in :func:`_keyed_claims`' order (results whose ids
    are not the derivation's items, which the key should already exclude, are not used)."""
    from derivations.engine import cache as results_cache
    keys, stored = {}, {}
    for di, d in enumerate(targets):
        keys[di] = results_cache.key(d, catalog, digits, seed, timeout)
        hit = results_cache.load(d.slug, keys[di])
        if hit is None:
            continue
        results = [*hit.claims, *hit.negative_controls]
        for e in hit.errata:
            results += [e.post, e.correction]
        items = keyed[di]
        if len(results) == len(items) and all(r.id == c.id for r, (_, c) in zip(results, items)):
            stored[di] = [(k, r) for r, (k, _) in zip(results, items)]
            del keys[di]
    return keys, stored


def warm_up() -> None:
    """Load once, before forking, what every claim's worker would otherwise load again
    (SymPy's lazily imported modules, the LaTeX printer, SciPy)."""
    import mpmath
    import numpy  # noqa: F401
    import sympy as sp

    import derivations.engine.symbolic  # noqa: F401  (the engine's own lazily imported modules)
    import numeric.approximation  # noqa: F401
    import numeric.certify  # noqa: F401
    import numeric.stochastic  # noqa: F401
    x = sp.Symbol("x")
    sp.Matrix([[x, 1]]) + sp.Matrix([[1, x]])
    sp.simplify(sp.sin(x) ** 2 + sp.cos(x) ** 2)
    sp.trigsimp(sp.expand_trig(sp.sin(2 * x)))
    sp.cancel(sp.together(1 / x + 1 / (x + 1)))
    sp.radsimp(1 / (1 + sp.sqrt(2)))
    sp.sqrtdenest(sp.sqrt(3 + 2 * sp.sqrt(2)))
    sp.minimal_polynomial(sp.sqrt(2) + 1, polys=True)
    sp.solve(x ** 2 - 2, x)
    (sp.sin(x) + sp.cosh(x)).rewrite(sp.exp)
    sp.latex(sp.Integral(x, (x, 0, 1)))
    mpmath.quad(lambda t: t, [0, 1])
    try:
        import scipy.linalg  # noqa: F401
        import scipy.special  # noqa: F401
    except ImportError:
        pass


def verify_many(derivations, digits: int = 50, seed: int = 0, timeout: float = 10.0, jobs: int = 1,
                on_result=None, on_derivation=None, evaluate=None, cache: dict | None = None) -> list:
    """Verify several derivations with at most ``jobs`` worker processes.

    Each derivation's claims run as one chunk in a forked worker (a single derivation with
    ``jobs > 1`` is split into ``jobs`` chunks); see :mod:`derivations.engine.scheduler`.
    Results are identical to a serial run (every claim has its own seed) and are reported in
    catalog order: ``on_result(kind, result)`` per item, ``on_derivation(result)`` per derivation.
    A derivation's ``seconds`` is the time spent on its claims.

    ``cache``: a catalog (slug -> module, the built-in one) whose derivations, when verified before
    with the same sources, libraries and settings, are not verified again
    (:mod:`derivations.engine.cache`); their stored results come back with ``cached`` set, and
    the newly verified ones are stored.  Not with a custom ``evaluate``, whose results are not
    the engine's verification.
    """
    from functools import partial

    from derivations.engine.scheduler import run_chunks
    targets = list(derivations)
    keyed = [_keyed_claims(di, d) for di, d in enumerate(targets)]
    keys, stored = _cached(targets, keyed, cache, digits, seed, timeout) if cache and evaluate is None else ({}, {})
    todo = [items for di, items in enumerate(keyed) if di not in stored]
    chunks = _split(todo[0], jobs) if len(todo) == 1 else todo
    order = [k for items in keyed for k, _ in items]
    done: dict = {k: r for items in stored.values() for k, r in items}
    state = {"next": 0, "out": [], "acc": ([], [], [], 0.0)}

    def finish(di):
        claims, controls, errata, spent = state["acc"]
        d = targets[di]
        res = DerivationResult(d.slug, d.title, d.source, derivation_verdict(claims, controls, errata),
                               round(spent, 3), claims, controls, errata, cached=di in stored)
        if keys.get(di):
            from derivations.engine import cache as results_cache
            results_cache.store(res, keys[di])
        state["out"].append(res)
        state["acc"] = ([], [], [], 0.0)
        on_derivation and on_derivation(res)

    def emit():
        while state["next"] < len(order):
            key = order[state["next"]]
            di, kind, i, part = key
            claims, controls, errata, spent = state["acc"]
            if kind == "erratum":
                other = (di, kind, i, "correct")
                if key not in done or other not in done:
                    return
                post, correct = done.pop(key), done.pop(other)
                item = _erratum_result(targets[di].errata[i], post, correct)
                errata.append(item)
                spent += post.seconds + correct.seconds
                state["next"] += 2
            else:
                if key not in done:
                    return
                item = done.pop(key)
                (claims if kind == "claim" else controls).append(item)
                spent += item.seconds
                state["next"] += 1
            state["acc"] = (claims, controls, errata, spent)
            on_result and on_result(kind, item)
            if state["next"] == len(order) or order[state["next"]][0] != di:
                finish(di)

    def on_item(key, result):
        done[key] = result
        emit()

    emit()
    if chunks:
        warm_up()
        run_chunks(chunks, evaluate or partial(_evaluate_guarded, digits=digits, seed=seed, timeout=timeout), _failed,
                   on_item, jobs=jobs, hard_seconds=hard_limit(timeout))
    for di, items in enumerate(keyed):
        if not items:  # a derivation without claims still gets its (empty) verdict
            state["out"].insert(di, DerivationResult(targets[di].slug, targets[di].title, targets[di].source,
                                                     derivation_verdict([], [], []), 0.0, [], [], []))
    return state["out"]


def verify_derivation(d: Derivation, digits: int = 50, seed: int = 0, timeout: float = 10.0,
                      on_result=None, jobs: int = 1) -> DerivationResult:
    """Verify every claim, control and erratum of ``d``; ``on_result(kind, result)`` is called
    as each finishes (for streaming output)."""
    return verify_many([d], digits, seed, timeout, jobs, on_result)[0]
