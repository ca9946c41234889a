r"""Automatic mutants: can the engine tell a claim from its small corruptions?

A checker that accepts everything passes every true claim, so each claim of a derivation whose
statement is an :class:`~derivations.engine.claims.Identity` or
:class:`~derivations.engine.claims.Inequality` of SymPy expressions (explicit matrices: one
entry at a time) is corrupted by five operators, and the engine must refute the corruption:

* ``sign``: one term of a sum negated (a side that is not a sum: the whole side);
* ``double``: one term of a sum (or the whole side) multiplied by 2;
* ``exponent``: one power \(b^e\) becomes \(b^{e+1}\) (and \(e^u\) becomes \(e^{u+1}\));
* ``swap``: two free symbols of the same kind exchanged in one side;
* ``drop``: one term of a sum removed.

At most ``cap`` mutants per claim, chosen deterministically from ``seed`` (one operator after
the other).  Each mutant is checked by the *generic* engine, whatever custom proof or check
the claim has: the numeric phase first (a confirmed counterexample kills the mutant; the
symbolic phase could only add a proof that contradicts it), then the symbolic phase.  A mutant
is *equivalent*, and excluded from the score, when it is structurally the claim itself, when
SymPy proves it (its difference reduces to 0), or, for an inequality, when it is implied by
the claim (its margin exceeds the claim's by a manifestly nonnegative amount); it *survives*
otherwise.  A surviving inequality mutant may still be true (a weakening that SymPy cannot
certify): the report lists every survivor for inspection.  A claim is *not
mutable* when it has no such statement, or when the generic numeric check does not already
agree on the unmutated statement (then no mutant could be refuted numerically either).

The score of a derivation is killed / (killed + survived).
"""
from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

OPERATORS = ("sign", "double", "exponent", "swap", "drop")
MAX_NODES = 300  # subexpressions of one side (or matrix entry) considered for mutation
MAX_ENTRIES = 8  # matrix entries of one side considered for mutation


@dataclass
class Mutant:
    claim_id: str
    operator: str
    description: str
    statement: object
    structural: bool = False  # the mutated side is structurally the original one
    original: object = None  # the unmutated statement


@dataclass
class MutantResult:
    claim_id: str
    operator: str
    description: str
    status: str  # killed | survived | equivalent
    verdict: str  # the engine's verdict on the mutant: refuted | proved | checked | unknown
    detail: str = ""


@dataclass
class MutationReport:
    slug: str
    results: list = field(default_factory=list)
    not_mutable: list = field(default_factory=list)  # [(claim id, reason)]

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def score(self) -> float | None:
        n = self.count("killed") + self.count("survived")
        return None if n == 0 else self.count("killed") / n

    def to_json(self) -> dict:
        return {"slug": self.slug, "killed": self.count("killed"), "survived": self.count("survived"),
                "equivalent": self.count("equivalent"), "score": self.score,
                "mutants": [vars(r) for r in self.results],
                "not_mutable": [{"claim": c, "reason": why} for c, why in self.not_mutable]}

    def lines(self) -> list[str]:
        """The text report: the score, then every survivor with its mutant, the equivalent
        mutants, and the claims that could not be mutated."""
        k, s, e = self.count("killed"), self.count("survived"), self.count("equivalent")
        score = "n/a" if self.score is None else f"{100 * self.score:.1f}%"
        out = [f"mutants of {self.slug}: {k}/{k + s} non-equivalent mutants refuted ({score}); "
               f"{e} equivalent excluded; {len(self.not_mutable)} claim(s) not mutable"]
        for r in self.results:
            if r.status == "survived":
                out.append(f"  SURVIVED {r.claim_id} [{r.operator}] {r.description} -> {r.verdict}"
                           + (f" ({r.detail})" if r.detail else ""))
        for r in self.results:
            if r.status == "equivalent":
                out.append(f"  equivalent {r.claim_id} [{r.operator}] {r.description} ({r.detail})")
        for cid, why in self.not_mutable:
            out.append(f"  not mutable {cid}: {why}")
        return out


# -- mutation operators on one expression ---------------------------------------------------

def _nodes(e, path=()):
    """(path, node) for every SymPy expression node below ``e``, preorder; only through
    expression arguments (not integration limits, conditions or matrices)."""
    import sympy as sp
    stack = [(path, e)]
    while stack:
        p, node = stack.pop()
        yield p, node
        for i in reversed(range(len(node.args))):
            a = node.args[i]
            if isinstance(a, sp.Expr) and not isinstance(a, sp.MatrixBase):
                stack.append((p + (i,), a))


def _replace(e, path, new):
    if not path:
        return new
    args = list(e.args)
    args[path[0]] = _replace(args[path[0]], path[1:], new)
    return e.func(*args)


def _short(e, n: int = 60) -> str:
    import sympy as sp
    s = sp.sstr(e)
    return s if len(s) <= n else s[: n - 3] + "..."


def expression_mutants(e, symbols) -> dict:
    """``{operator: [(description, mutated expression), ...]}`` for one expression; ``symbols``
    are the statement's free symbols (for ``swap``)."""
    import sympy as sp
    out = {op: [] for op in OPERATORS}
    nodes = []
    for i, pn in enumerate(_nodes(e)):
        if i >= MAX_NODES:
            break
        nodes.append(pn)
    sums = [(p, n) for p, n in nodes if isinstance(n, sp.Add)]
    for p, n in sums:
        for i, term in enumerate(n.args):
            out["sign"].append((f"term {_short(term)} negated", _replace(e, p + (i,), -term)))
            out["double"].append((f"term {_short(term)} doubled", _replace(e, p + (i,), 2 * term)))
            rest = n.args[:i] + n.args[i + 1:]
            out["drop"].append((f"term {_short(term)} dropped", _replace(e, p, sp.Add(*rest))))
    if not sums and e != 0:
        out["sign"].append(("negated", -e))
        out["double"].append(("doubled", 2 * e))
    for p, n in nodes:
        if isinstance(n, sp.Pow):
            b, x = n.args
            out["exponent"].append((f"{_short(n)} -> exponent + 1", _replace(e, p, sp.Pow(b, x + 1))))
        elif isinstance(n, sp.exp):
            out["exponent"].append((f"{_short(n)} -> exponent + 1", _replace(e, p, sp.exp(n.args[0] + 1))))
    free = e.free_symbols
    ordered = sorted(symbols, key=lambda s: s.name)
    for i, s in enumerate(ordered):
        for t in ordered[i + 1:]:
            if (s in free or t in free) and _kind(s) == _kind(t):
                out["swap"].append((f"{s} <-> {t}", e.xreplace({s: t, t: s})))
    return out


def _kind(s) -> str:
    return "integer" if s.is_integer else "real" if s.is_real else "complex"


# -- mutants of a statement -----------------------------------------------------------------

def _sides(stmt):
    """The mutable sides of a statement as {name: SymPy object}, or a reason why there are none."""
    import sympy as sp

    from derivations.engine.claims import Identity, Inequality
    if not isinstance(stmt, (Identity, Inequality)):
        return f"statement is {type(stmt).__name__}, not an Identity or Inequality"
    sides = {}
    for name in ("lhs", "rhs"):
        v = getattr(stmt, name)
        if not isinstance(v, sp.MatrixBase):
            try:
                v = sp.sympify(v)
            except (sp.SympifyError, TypeError, AttributeError):
                return f"{name} is not a SymPy expression"
            if not isinstance(v, sp.Expr):
                return f"{name} is a {type(v).__name__}, not a SymPy expression"
        sides[name] = v
    return sides


def _with(stmt, name, value):
    from dataclasses import replace

    from derivations.engine.claims import Inequality
    extra = {"certificate": None} if isinstance(stmt, Inequality) else {}
    return replace(stmt, **{name: value}, **extra)


def statement_mutants(claim_id: str, stmt, cap: int = 5, seed: int = 0):
    """Up to ``cap`` :class:`Mutant` of ``stmt`` (deterministic in ``seed`` and the claim id),
    or a string saying why the statement cannot be mutated."""
    import sympy as sp
    sides = _sides(stmt)
    if isinstance(sides, str):
        return sides
    rng = random.Random(zlib.crc32(f"{seed}:{claim_id}".encode()))
    symbols = set()
    for v in sides.values():
        symbols |= v.free_symbols
    pools = {op: [] for op in OPERATORS}
    for name, v in sides.items():
        if isinstance(v, sp.MatrixBase):
            entries = [(i, j) for i in range(v.rows) for j in range(v.cols) if v[i, j] != 0]
            rng.shuffle(entries)
            for i, j in sorted(entries[:MAX_ENTRIES]):
                for op, found in expression_mutants(v[i, j], symbols).items():
                    for desc, new in found:
                        m = sp.Matrix(v)
                        m[i, j] = new
                        pools[op].append((f"{name}[{i},{j}]: {desc}", name, sp.ImmutableMatrix(m)))
        else:
            for op, found in expression_mutants(v, symbols).items():
                pools[op].extend((f"{name}: {desc}", name, new) for desc, new in found)
    chosen, seen = [], set()
    while len(chosen) < cap and any(pools.values()):
        for op in OPERATORS:
            if len(chosen) >= cap or not pools[op]:
                continue
            desc, name, new = pools[op].pop(rng.randrange(len(pools[op])))
            key = (name, new)
            if key in seen:
                continue
            seen.add(key)
            chosen.append(Mutant(claim_id, op, desc, _with(stmt, name, new), new == sides[name], stmt))
    return chosen


# -- judging mutants with the generic engine ------------------------------------------------

def _generic(claim_id: str, stmt):
    from derivations.engine.claims import Claim
    return Claim(id=claim_id, statement="", build=lambda: stmt)


def _judge(mutant: Mutant, digits: int, seed: int, timeout: float) -> MutantResult:
    """Numeric phase first, then (unless refuted) the symbolic phase; runs in a budgeted child."""
    from derivations.engine.symbolic import SymbolicOutcome
    from derivations.engine.verify import _alarm, _combine, _Expired, _numeric, _symbolic, claim_seed
    from numeric.identity import NumericOutcome, describe_counterexample
    c = _generic(mutant.claim_id, mutant.statement)
    try:
        with _alarm(timeout):
            num = _numeric(c, mutant.statement, digits, claim_seed(seed, mutant.claim_id + "~" + mutant.description))
    except _Expired:
        num = NumericOutcome("unknown", detail=f"numeric phase timed out after {timeout:g} s")
    if num.status == "disagree":
        return MutantResult(mutant.claim_id, mutant.operator, mutant.description, "killed", "refuted",
                            describe_counterexample(num.counterexample))
    try:
        with _alarm(timeout):
            sym = _symbolic(c, mutant.statement)
    except _Expired:
        sym = SymbolicOutcome("unknown", detail=f"symbolic phase timed out after {timeout:g} s")
    verdict, cx, note = _combine(c, sym, num)
    if verdict == "proved":
        return MutantResult(mutant.claim_id, mutant.operator, mutant.description, "equivalent", verdict,
                            f"SymPy proves the mutant ({sym.method})")
    if verdict != "refuted" and _implied(mutant, timeout):
        return MutantResult(mutant.claim_id, mutant.operator, mutant.description, "equivalent", verdict,
                            "still true: implied by the claim (its margin grows by a manifestly nonnegative amount)")
    status = "killed" if verdict == "refuted" else "survived"
    why = describe_counterexample(cx) if status == "killed" else "; ".join(
        x for x in (note, num.detail, sym.detail) if x)
    return MutantResult(mutant.claim_id, mutant.operator, mutant.description, status, verdict, why[:200])


def _margin(stmt):
    return stmt.rhs - stmt.lhs if stmt.rel in ("<=", "<") else stmt.lhs - stmt.rhs


def _implied(mutant: Mutant, timeout: float) -> bool:
    """A mutated inequality whose margin exceeds the claim's by a manifestly nonnegative amount
    (a nonnegative term moved to the larger side, a side's sign flipped where it cannot help):
    it holds whenever the claim does, so no checker should refute it."""
    from derivations.engine.claims import Inequality
    from derivations.engine.symbolic import prove_nonnegative
    from derivations.engine.verify import _alarm, _Expired
    if not isinstance(mutant.statement, Inequality) or not isinstance(mutant.original, Inequality) \
            or mutant.statement.rel != mutant.original.rel:
        return False
    try:
        with _alarm(timeout):
            return prove_nonnegative(_margin(mutant.statement) - _margin(mutant.original)).status == "proved"
    except _Expired:
        return False


def _baseline(claim_id: str, stmt, digits: int, seed: int, timeout: float):
    """The generic numeric check of the unmutated statement: ``None`` when it agrees, else why not."""
    from derivations.engine.verify import _alarm, _Expired, _numeric, claim_seed
    try:
        with _alarm(timeout):
            num = _numeric(_generic(claim_id, stmt), stmt, digits, claim_seed(seed, claim_id))
    except _Expired:
        return f"the generic numeric check of the statement takes more than {timeout:g} s"
    if num.status == "agree":
        return None
    return f"the generic numeric check of the statement gives {num.status}" + (f" ({num.detail[:120]})" if num.detail else "")


def _prepare(claim, digits: int, seed: int, timeout: float, cap: int):
    """Build the claim's statement, check the generic engine agrees on it, make its mutants."""
    from derivations.engine.verify import _alarm, _Expired
    if claim.build is None:
        return "no statement (custom check only)"
    try:
        with _alarm(max(timeout, 10.0)):
            stmt = claim.build()
    except _Expired:
        return "building the statement takes too long"
    if stmt is None:
        return "no statement (custom check only)"
    mutants = statement_mutants(claim.id, stmt, cap, seed)
    if isinstance(mutants, str):
        return mutants
    if not mutants:
        return "no mutation operator applies"
    why = _baseline(claim.id, stmt, digits, seed, timeout)
    return why if why else mutants


def mutate_claim(claim, digits: int = 50, seed: int = 0, timeout: float = 2.0, cap: int = 5):
    """``(results, reason)``: the judged mutants of one claim, or ``([], why not mutable)``."""
    from derivations.engine.budget import run_with_budget
    out = run_with_budget(_prepare, claim, digits, seed, timeout, cap, seconds=2 * max(timeout, 10.0) + 5)
    if out.status != "ok":
        return [], f"could not prepare mutants: {out.reason}"
    if isinstance(out.value, str):
        return [], out.value
    results = []
    for m in out.value:
        if m.structural:
            results.append(MutantResult(m.claim_id, m.operator, m.description, "equivalent", "identical",
                                        "structurally the claim itself"))
            continue
        r = run_with_budget(_judge, m, digits, seed, timeout, seconds=2 * timeout + 5)
        if r.status == "ok":
            results.append(r.value)
        else:
            results.append(MutantResult(m.claim_id, m.operator, m.description, "survived", "unknown", r.reason))
    return results, ""


_TARGETS: list = []


def _run_claim(task):
    di, ci, digits, seed, timeout, cap = task
    return mutate_claim(_TARGETS[di].claims[ci], digits, seed, timeout, cap)


def mutate_many(derivations, digits: int = 50, seed: int = 0, timeout: float = 2.0, cap: int = 5,
                jobs: int = 1) -> list:
    """A :class:`MutationReport` per derivation; the claims spread over ``jobs`` processes.
    Deterministic: every claim's mutants and points depend only on ``seed`` and its id."""
    global _TARGETS
    _TARGETS = list(derivations)
    tasks = [(di, ci, digits, seed, timeout, cap) for di, d in enumerate(_TARGETS) for ci in range(len(d.claims))]
    pool = None
    try:
        if jobs > 1 and len(tasks) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
            stream = pool.map(_run_claim, tasks)
        else:
            stream = map(_run_claim, tasks)
        reports = [MutationReport(d.slug) for d in _TARGETS]
        for (di, ci, *_), (results, why) in zip(tasks, stream):
            reports[di].results.extend(results)
            if why:
                reports[di].not_mutable.append((_TARGETS[di].claims[ci].id, why))
        return reports
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        _TARGETS = []
