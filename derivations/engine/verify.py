"""Verification driver: turns claims into honest verdicts.

Verdicts of a claim:

* ``proved``: SymPy reduced the difference to exactly 0 (or an exact certificate holds);
* ``certified``: rigorous ball-arithmetic enclosures decide the claim;
* ``checked``: not proved, but the numeric cross-check agrees at two precisions to the
  stated digits (or a claim-specific check with an honest tolerance passed);
* ``refuted``: a concrete counterexample, exact or confirmed at a higher precision;
* ``unknown``: timeout, not evaluable, or the symbolic and numeric results conflict.

Each claim runs in a forked child (see :mod:`derivations.engine.budget`); inside it the
symbolic phase and the numeric phase each get ``timeout`` seconds of wall clock.
"""
from __future__ import annotations

import signal
import time
import zlib
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from derivations.engine.budget import DEFAULT_MEMORY_MB, run_with_budget
from derivations.engine.claims import Approximation, Claim, Derivation, Identity, Inequality

OK_VERDICTS = ("proved", "certified", "checked")


@dataclass
class ClaimResult:
    id: str
    statement: str
    verdict: str
    symbolic: str
    numeric: str
    digits: float | None
    seconds: float
    method: str = ""
    detail: str = ""
    counterexample: dict | None = None
    kind: str = "identity"
    hypotheses: list = field(default_factory=list)
    uses: list = field(default_factory=list)
    gap: str | None = None

    def to_json(self) -> dict:
        return asdict(self)

    def _repr_latex_(self) -> str:  # Jupyter
        from derivations.engine.report.notebook import claim_latex
        return claim_latex(self)

    def _repr_html_(self) -> str:
        from derivations.engine.report.notebook import claim_html
        return claim_html(self)


class _Expired(Exception):
    pass


@contextmanager
def _alarm(seconds: float):
    """Raise :class:`_Expired` in this (child, main-thread) process after ``seconds``."""

    def fire(signum, frame):
        raise _Expired()

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def claim_seed(seed: int, claim_id: str) -> int:
    """Deterministic per-claim seed (independent of claim order and of Python's hash salt)."""
    return zlib.crc32(f"{seed}:{claim_id}".encode())


def _variables(stmt, exprs):
    from numeric.sampling import check_consistent, default_domain
    import sympy as sp
    free = set()
    for e in exprs:
        if isinstance(e, (sp.Basic, sp.MatrixBase)):
            free |= e.free_symbols
    domains = {}
    for s in free:
        dom = stmt.variables.get(s) or default_domain(s)
        check_consistent(s, dom)
        domains[s] = dom
    return domains


def _symbolic(claim: Claim, stmt):
    from derivations.engine.symbolic import SymbolicOutcome, prove_nonnegative, prove_zero
    import sympy as sp
    if claim.prove is not None:
        return claim.prove()
    if stmt is None or not claim.symbolic:
        return SymbolicOutcome("skipped")
    if isinstance(stmt, Identity):
        lhs, rhs = stmt.lhs, stmt.rhs
        if isinstance(lhs, sp.MatrixBase) != isinstance(rhs, sp.MatrixBase) or (
                isinstance(lhs, sp.MatrixBase) and lhs.shape != rhs.shape):
            return SymbolicOutcome("refuted", "shape", {"text": "the two sides have different shapes"})
        return prove_zero(sp.sympify(lhs) - sp.sympify(rhs) if not isinstance(lhs, sp.MatrixBase) else lhs - rhs)
    if isinstance(stmt, Inequality):
        margin = stmt.rhs - stmt.lhs if stmt.rel in ("<=", "<") else stmt.lhs - stmt.rhs
        return prove_nonnegative(margin, stmt.certificate, strict=stmt.rel in ("<", ">"))
    return SymbolicOutcome("skipped", detail="approximations are measured, never proved")


def _numeric(claim: Claim, stmt, digits: int, seed: int):
    from numeric.identity import NumericOutcome, test_identity, test_inequality
    if claim.cross_check is not None:
        return claim.cross_check(digits, seed)
    if stmt is None or not claim.numeric:
        return NumericOutcome("skipped")
    if isinstance(stmt, Identity):
        doms = _variables(stmt, (stmt.lhs, stmt.rhs))
        defaulted = {s for s in doms if s not in stmt.variables}
        return test_identity(stmt.lhs, stmt.rhs, doms, digits, seed, stmt.points, defaulted)
    if isinstance(stmt, Inequality):
        doms = _variables(stmt, (stmt.lhs, stmt.rhs))
        return test_inequality(stmt.lhs, stmt.rel, stmt.rhs, doms, digits, seed, stmt.points)
    if isinstance(stmt, Approximation):
        from numeric.approximation import measure_gap
        doms = _variables(stmt, (stmt.exact, stmt.surrogate))
        return measure_gap(stmt, doms, digits, seed)
    raise TypeError(f"unknown statement type {type(stmt).__name__}")


def _below_resolution(sym, num) -> bool:
    r"""An exact nonzero difference that agreeing numbers could not see: smaller than the
    sides' smallest size times \(10^{-\mathrm{digits}}\) (\(\sum 1/n^2 = \pi^2/6 + 10^{-60}\)
    at 50 digits).  A larger one contradicts the numbers and stays unknown."""
    import mpmath
    import sympy as sp
    scale = (num.extra or {}).get("scale")
    if sym.value is None or num.digits is None or scale is None or not sym.value.is_finite:
        return False
    with mpmath.workdps(30):
        return mpmath.mpf(str(sp.N(abs(sym.value), 30))) <= scale * mpmath.mpf(10) ** (-num.digits)


def _combine(claim: Claim, sym, num) -> tuple[str, dict | None, str]:
    """(verdict, counterexample, note) from the two phases."""
    if sym.status == "proved":
        if num.status == "disagree":
            return "unknown", num.counterexample, "symbolic proof and numeric check conflict"
        return "proved", None, ""
    if sym.status == "certified":
        return "certified", None, ""
    if sym.status == "refuted":
        if num.status == "agree":
            if _below_resolution(sym, num):
                return "refuted", sym.counterexample, "the exact difference is below the numeric check's resolution"
            return "unknown", sym.counterexample, "exact difference is nonzero but numbers agree"
        return "refuted", sym.counterexample or num.counterexample, ""
    if num.status == "disagree":
        return "refuted", num.counterexample, ""
    if num.status == "certified":
        return "certified", None, ""
    if num.status == "agree":
        return "checked", None, ""
    return "unknown", None, ""


def _evaluate(claim: Claim, digits: int, seed: int, timeout: float) -> ClaimResult:
    from derivations.engine.symbolic import SymbolicOutcome
    from numeric.identity import NumericOutcome
    stmt, build_error = None, ""
    if claim.build is not None:
        try:
            with _alarm(timeout):
                stmt = claim.build()
        except _Expired:
            build_error = f"building the statement took more than {timeout:g} s"
    if build_error:
        sym, num = SymbolicOutcome("unknown", detail=build_error), NumericOutcome("unknown", detail=build_error)
    else:
        try:
            with _alarm(timeout):
                sym = _symbolic(claim, stmt)
        except _Expired:
            sym = SymbolicOutcome("unknown", detail=f"symbolic phase timed out after {timeout:g} s")
        if sym.status == "refuted" and claim.cross_check is None and not isinstance(stmt, Identity):
            num = NumericOutcome("skipped")
        else:
            try:
                with _alarm(timeout):
                    num = _numeric(claim, stmt, digits, seed)
            except _Expired:
                num = NumericOutcome("unknown", detail=f"numeric phase timed out after {timeout:g} s")
    verdict, cx, note = _combine(claim, sym, num)
    method = sym.method if sym.status in ("proved", "refuted", "certified") else ""
    if verdict in ("checked", "certified") and num.detail:
        method = method or "numeric"
    detail = "; ".join(dict.fromkeys(x for x in (note, sym.detail if sym.status != "proved" else "", num.detail) if x))
    sym_json = {"proved": "proved", "certified": "proved", "refuted": "failed", "failed": "failed",
                "unknown": "unknown", "skipped": "skipped"}[sym.status]
    # The JSON contract has no numeric "unknown": an inconclusive check is "skipped", its reason in detail.
    num_json = {"agree": "agree", "certified": "agree", "disagree": "disagree", "unknown": "skipped",
                "skipped": "skipped"}[num.status]
    digits_out = None if num.digits is None else round(float(num.digits), 1)
    return ClaimResult(
        id=claim.id, statement=claim.statement, verdict=verdict, symbolic=sym_json, numeric=num_json,
        digits=digits_out, seconds=0.0, method=method, detail=detail, counterexample=cx,
        kind=claim.kind if stmt is None else type(stmt).__name__.lower(),
        hypotheses=list(claim.hypotheses), uses=list(claim.uses),
        gap=num.extra.get("gap") if num.extra else None)


def _failed(claim: Claim, reason: str, seconds: float = 0.0) -> ClaimResult:
    """The result of a claim whose evaluation did not return (timeout, memory, crash)."""
    return ClaimResult(id=claim.id, statement=claim.statement, verdict="unknown", symbolic="unknown",
                       numeric="skipped", digits=None, seconds=round(seconds, 3), detail=reason,
                       hypotheses=list(claim.hypotheses), uses=list(claim.uses))


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


def verify_claim(claim: Claim, digits: int = 50, seed: int = 0, timeout: float = 10.0,
                 memory_mb: int | None = DEFAULT_MEMORY_MB) -> ClaimResult:
    """Verify one claim in a budgeted child process: at most ``3 * timeout + 5`` seconds of wall
    clock and ``memory_mb`` MiB of address space; exceeding either gives ``unknown``."""
    t0 = time.perf_counter()
    out = run_with_budget(_evaluate_guarded, claim, digits, seed, timeout, seconds=3 * timeout + 5,
                          memory_mb=memory_mb)
    res = out.value if out.status == "ok" else _failed(claim, out.reason)
    res.seconds = round(time.perf_counter() - t0, 3)
    return res


@dataclass
class DerivationResult:
    slug: str
    title: str
    source: str
    verdict: str
    seconds: float
    claims: list
    negative_controls: list
    errata: list

    def to_json(self) -> dict:
        return {
            "slug": self.slug, "title": self.title, "source": self.source, "verdict": self.verdict,
            "seconds": self.seconds,
            "claims": [c.to_json() for c in self.claims],
            "negative_controls": [c.to_json() for c in self.negative_controls],
            "errata": self.errata,
        }

    def _repr_latex_(self) -> str:  # Jupyter
        from derivations.engine.report.notebook import derivation_latex
        return derivation_latex(self)

    def _repr_html_(self) -> str:
        from derivations.engine.report.notebook import derivation_html
        return derivation_html(self)


def _erratum_json(e, post: ClaimResult, correct: ClaimResult) -> dict:
    from numeric.identity import describe_counterexample
    cx = describe_counterexample(post.counterexample) or post.detail
    summary = (f"post's statement {post.verdict}" + (f" ({cx})" if cx else "")
               + f"; corrected statement {correct.verdict}")
    return {
        "id": e.id, "post_says": e.post_says.statement, "correct": e.correct.statement,
        "evidence": summary, "note": e.note,
        "post_says_result": post.to_json(), "correct_result": correct.to_json(),
        "ok": post.verdict == "refuted" and correct.verdict in OK_VERDICTS,
    }


def verify_erratum(e, digits: int = 50, seed: int = 0, timeout: float = 10.0) -> dict:
    """Verify an erratum: the post's statement (must be refuted) and the correction."""
    post = verify_claim(e.post_says, digits, seed, timeout)
    correct = verify_claim(e.correct, digits, seed, timeout)
    return _erratum_json(e, post, correct)


def derivation_verdict(claims, controls, errata) -> str:
    if any(c.verdict == "refuted" for c in claims) or any(c.verdict in OK_VERDICTS for c in controls) or any(
            e["post_says_result"]["verdict"] in OK_VERDICTS or e["correct_result"]["verdict"] == "refuted"
            for e in errata):
        return "failed"
    if all(c.verdict in OK_VERDICTS for c in claims) and all(c.verdict == "refuted" for c in controls) and all(
            e["ok"] for e in errata):
        return "verified"
    return "incomplete"


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


def warm_up() -> None:
    """Load once, before forking, what every claim's child would otherwise load again.

    Each claim runs in a fresh fork of this process, so SymPy's lazily imported modules
    (``sympy.tensor`` on the first matrix addition, the simplification and polynomial
    machinery, the LaTeX printer) and SciPy would be imported again in every child.
    """
    import mpmath
    import numpy  # noqa: F401
    import sympy as sp
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
                on_result=None, on_derivation=None) -> list:
    """Verify several derivations with at most ``jobs`` worker processes.

    Each derivation's claims run as one chunk in a forked worker (a single derivation with
    ``jobs > 1`` is split into ``jobs`` chunks); see :mod:`derivations.engine.scheduler`.
    Results are identical to a serial run (every claim has its own seed) and are reported in
    catalog order: ``on_result(kind, result)`` per item, ``on_derivation(result)`` per derivation.
    A derivation's ``seconds`` is the time spent on its claims.
    """
    from functools import partial

    from derivations.engine.scheduler import run_chunks
    targets = list(derivations)
    keyed = [_keyed_claims(di, d) for di, d in enumerate(targets)]
    chunks = _split(keyed[0], jobs) if len(targets) == 1 else keyed
    order = [k for items in keyed for k, _ in items]
    done: dict = {}
    state = {"next": 0, "out": [], "acc": ([], [], [], 0.0)}

    def finish(di):
        claims, controls, errata, spent = state["acc"]
        d = targets[di]
        res = DerivationResult(d.slug, d.title, d.source, derivation_verdict(claims, controls, errata),
                               round(spent, 3), claims, controls, errata)
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
                item = _erratum_json(targets[di].errata[i], post, correct)
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

    warm_up()
    run_chunks(chunks, partial(_evaluate_guarded, digits=digits, seed=seed, timeout=timeout), _failed,
               on_item, jobs=jobs, hard_seconds=3 * timeout + 5)
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
