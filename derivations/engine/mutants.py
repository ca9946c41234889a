r"""Automatic mutants: can the engine tell a claim from its small corruptions?

A checker that accepts everything passes every true claim, so each claim's statement (an
:class:`~derivations.engine.claims.Identity`, :class:`~derivations.engine.claims.Inequality`,
the stated surrogate of an :class:`~derivations.engine.claims.Approximation`, or one part of an
:class:`~derivations.engine.claims.All`; explicit matrices one entry at a time) is corrupted
by small operators, and the engine must refute the corruption:

* ``sign``: one term of a sum negated (a side that is not a sum: the whole side);
* ``double``: one term of a sum (or the whole side) multiplied by 2;
* ``exponent``: one power \(b^e\) becomes \(b^{e+1}\) (and \(e^u\) becomes \(e^{u+1}\));
* ``swap``: two free symbols of the same kind exchanged in one side;
* ``drop``: one term of a sum removed;
* ``digit``: two adjacent digits of an exact number transposed (\(200/347\) typed \(200/374\));
* ``offbyone``: an integer (coefficient, exponent, index) off by one;
* ``transpose``: a square matrix side transposed (\(B^\top\) written \(B\)).

At most ``cap`` mutants per claim, chosen deterministically from ``seed`` (one operator after
the other).  Each mutant is verified **exactly as the claim is**: the same engine path, with the
claim's own strategies, quantities, oracles and certificates.  A mutant is *killed* when the
engine refutes it, *equivalent* (excluded from the score) when it is structurally the claim
itself, when the engine proves it, or, for an inequality, when it is implied by the claim (its
margin exceeds the claim's by an amount that is manifestly nonnegative, or nonnegative on the
claim's declared domains by an interval enclosure), and *survives* otherwise; the
report lists every survivor.  A claim is *not mutable* when its own verdict is not ok (no
mutant could then tell anything) or no operator applies.

The score of a derivation is killed / (killed + survived).
"""
from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

OPERATORS = ("sign", "double", "exponent", "swap", "drop", "digit", "offbyone", "transpose")
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
    expression arguments (not integration limits, conditions, matrices, or the arguments of a
    quantity: those say where the statement is evaluated, not what it states)."""
    import sympy as sp
    from sympy.core.function import AppliedUndef
    stack = [(path, e)]
    while stack:
        p, node = stack.pop()
        yield p, node
        if isinstance(node, AppliedUndef):
            continue
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


class _Lazy:
    """A mutant built only when chosen: its description and expression are thunks (rebuilding a
    large expression, or printing a large term, costs more than judging a small mutant)."""

    def __init__(self, describe, make):
        self.describe, self.make = describe, make


def expression_mutants(e, symbols) -> dict:
    """``{operator: [_Lazy, ...]}`` for one expression; ``symbols`` are the statement's free
    symbols (for ``swap``)."""
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
            out["sign"].append(_Lazy(lambda t=term: f"term {_short(t)} negated",
                                     lambda p=p, i=i, t=term: _replace(e, p + (i,), -t)))
            out["double"].append(_Lazy(lambda t=term: f"term {_short(t)} doubled",
                                       lambda p=p, i=i, t=term: _replace(e, p + (i,), 2 * t)))
            out["drop"].append(_Lazy(lambda t=term: f"term {_short(t)} dropped",
                                     lambda p=p, n=n, i=i: _replace(e, p, sp.Add(*(n.args[:i] + n.args[i + 1:])))))
    if not sums and e != 0:
        out["sign"].append(_Lazy(lambda: "negated", lambda: -e))
        out["double"].append(_Lazy(lambda: "doubled", lambda: 2 * e))
    for p, n in nodes:
        if isinstance(n, sp.Pow):
            out["exponent"].append(_Lazy(lambda n=n: f"{_short(n)} -> exponent + 1",
                                         lambda p=p, n=n: _replace(e, p, sp.Pow(n.args[0], n.args[1] + 1))))
        elif isinstance(n, sp.exp):
            out["exponent"].append(_Lazy(lambda n=n: f"{_short(n)} -> exponent + 1",
                                         lambda p=p, n=n: _replace(e, p, sp.exp(n.args[0] + 1))))
    free = e.free_symbols
    ordered = sorted(symbols, key=lambda s: s.name)
    for i, s in enumerate(ordered):
        for t in ordered[i + 1:]:
            if (s in free or t in free) and _kind(s) == _kind(t):
                out["swap"].append(_Lazy(lambda s=s, t=t: f"{s} <-> {t}", lambda s=s, t=t: e.xreplace({s: t, t: s})))
    out["digit"] = _digit_mutants(e, nodes)
    out["offbyone"] = _offbyone_mutants(e, nodes)
    return out


def _kind(s) -> str:
    return "integer" if s.is_integer else "real" if s.is_real else "complex"


# -- mutants of a statement -----------------------------------------------------------------

_MUTABLE = {"Identity": ("lhs", "rhs"), "Inequality": ("lhs", "rhs"), "Approximation": ("surrogate",)}


def _sides(stmt):
    """The mutable sides of a statement as {name: SymPy object}, or a reason why there are none.
    An approximation's measured side is its evidence; the stated surrogate is what is mutated."""
    import sympy as sp
    names = _MUTABLE.get(type(stmt).__name__)
    if names is None:
        return f"statement is a {type(stmt).__name__}"
    sides = {}
    for name in names:
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


def _digit_mutants(e, nodes) -> list:
    """Two adjacent different digits of an exact number transposed (200/347 -> 200/374)."""
    import sympy as sp
    out = []
    for p, n in nodes:
        if not isinstance(n, sp.Rational):
            continue
        for which, part in (("p", n.p), ("q", n.q)):
            text = str(abs(part))
            i = next((k for k in range(len(text) - 1) if text[k] != text[k + 1] and not (k == 0 and text[1] == "0")),
                     None)
            if i is None:
                continue
            swapped = int(text[:i] + text[i + 1] + text[i] + text[i + 2:]) * (1 if part > 0 else -1)
            new = sp.Rational(swapped, n.q) if which == "p" else sp.Rational(n.p, swapped)
            out.append(_Lazy(lambda n=n, new=new: f"digits of {_short(n)} transposed -> {_short(new)}",
                             lambda p=p, new=new: _replace(e, p, new)))
    return out


def _offbyone_mutants(e, nodes) -> list:
    """An integer in the expression (a coefficient, an exponent, an index) off by one."""
    import sympy as sp
    return [_Lazy(lambda n=n: f"{n} -> {n + 1}", lambda p=p, n=n: _replace(e, p, n + 1))
            for p, n in nodes if isinstance(n, sp.Integer) and p and n not in (0, -1)]


def _side_mutants(v, symbols) -> dict:
    return expression_mutants(v, symbols)


def statement_mutants(claim_id: str, stmt, cap: int = 5, seed: int = 0):
    """Up to ``cap`` :class:`Mutant` of ``stmt`` (deterministic in ``seed`` and the claim id),
    one operator after the other; a conjunction is mutated one part at a time.  Returns a
    string saying why when the statement cannot be mutated."""
    import sympy as sp

    from derivations.engine.claims import All
    rng = random.Random(zlib.crc32(f"{seed}:{claim_id}".encode()))
    parts = stmt.labelled() if isinstance(stmt, All) else [("", stmt)]
    pools = {op: [] for op in OPERATORS}   # op -> [(label prefix, part index, side name, entry or None, _Lazy)]
    reasons = []
    for k, (label, part) in enumerate(parts):
        sides = _sides(part)
        if isinstance(sides, str):
            reasons.append(sides)
            continue
        symbols = set()
        for v in sides.values():
            symbols |= v.free_symbols
        at = f"{label}: " if label else ""
        for name, v in sides.items():
            if isinstance(v, sp.MatrixBase):
                if v.rows == v.cols and v.rows > 1 and v != v.T:
                    pools["transpose"].append((at, k, name, None, _Lazy(lambda: "transposed", lambda v=v: v.T)))
                entries = [(i, j) for i in range(v.rows) for j in range(v.cols) if v[i, j] != 0]
                rng.shuffle(entries)
                for i, j in sorted(entries[:MAX_ENTRIES]):
                    for op, found in _side_mutants(v[i, j], symbols).items():
                        pools[op].extend((at, k, name, (i, j), lazy) for lazy in found)
            else:
                for op, found in _side_mutants(v, symbols).items():
                    pools[op].extend((at, k, name, None, lazy) for lazy in found)
    if not any(pools.values()):
        return "; ".join(dict.fromkeys(reasons)) or "no mutation operator applies"
    chosen, seen = [], set()
    while len(chosen) < cap and any(pools.values()):
        for op in OPERATORS:
            if len(chosen) >= cap or not pools[op]:
                continue
            at, k, name, entry, lazy = pools[op].pop(rng.randrange(len(pools[op])))
            part = parts[k][1]
            old = getattr(part, name)
            if entry is None:
                new, where = lazy.make(), name
            else:
                m = sp.Matrix(old)
                m[entry] = lazy.make()
                new, where = m, f"{name}[{entry[0]},{entry[1]}]"
            if isinstance(new, sp.MatrixBase):
                new = sp.ImmutableMatrix(new)
            if (k, name, new) in seen:
                continue
            seen.add((k, name, new))
            mutated = _with(part, name, new)
            if isinstance(stmt, All):
                mutated = All(stmt.parts[:k] + (mutated,) + stmt.parts[k + 1:], stmt.labels)
            chosen.append(Mutant(claim_id, op, f"{at}{where}: {lazy.describe()}", mutated, new == old, stmt))
    return chosen


# -- judging mutants through the claim's own verification --------------------------------------

def _mutant_claim(claim, stmt):
    """The claim with its statement replaced: same strategies, oracles and quantities."""
    from dataclasses import replace
    return replace(claim, build=lambda: stmt)


def _judge(claim, mutant: Mutant, digits: int, seed: int, timeout: float) -> MutantResult:
    """The verdict the engine gives the mutated claim, exactly as it verifies the claim."""
    from derivations.engine.verify import _evaluate, claim_seed
    from derivations.engine.verdicts import Verdict
    from numeric.counterexamples import describe_counterexample
    res = _evaluate(_mutant_claim(claim, mutant.statement), digits, claim_seed(seed, claim.id), timeout)
    verdict = res.verdict
    if verdict in (Verdict.PROVED, Verdict.CERTIFIED):
        return MutantResult(mutant.claim_id, mutant.operator, mutant.description, "equivalent", verdict.value,
                            f"the mutant is true: the engine {verdict.value} it ({res.method})")
    if verdict is not Verdict.REFUTED and _implied(mutant, timeout):
        return MutantResult(mutant.claim_id, mutant.operator, mutant.description, "equivalent", verdict.value,
                            "still true: implied by the claim (its margin grows by an amount nonnegative "
                            "on the claim's domains)")
    status = "killed" if verdict is Verdict.REFUTED else "survived"
    why = describe_counterexample(res.counterexample) if status == "killed" else res.detail
    return MutantResult(mutant.claim_id, mutant.operator, mutant.description, status, verdict.value, (why or "")[:200])


def _margin(stmt):
    return stmt.rhs - stmt.lhs if stmt.rel in ("<=", "<") else stmt.lhs - stmt.rhs


def _nonnegative_on_domains(gain, variables: dict) -> bool:
    """``gain >= 0`` wherever the statement's declared real and integer domains put its symbols:
    an interval enclosure (:func:`numeric.certify.interval`) of ``gain``, or of its factored or
    cancelled form, whose lower end is at least 0."""
    import sympy as sp

    from numeric import certify
    from numeric.sampling import Domain
    box = {s: (d.lo, d.hi) for s, d in variables.items() if isinstance(d, Domain) and d.kind != "complex"}
    if not box:
        return False
    for form in (lambda e: e, sp.factor, sp.cancel):
        try:
            enclosure = certify.interval(form(gain), box)
        except (certify.NotCertifiable, NotImplementedError, sp.PolynomialError):
            continue
        if enclosure.a >= 0:
            return True
    return False


def _implied(mutant: Mutant, timeout: float) -> bool:
    """A mutated inequality whose margin exceeds the claim's by an amount that is nonnegative
    manifestly (a nonnegative term moved to the larger side, a side's sign flipped where it
    cannot help) or on the claim's declared domains, by interval arithmetic (\\(1/T\\) made
    \\(1/T^2\\) on \\(T\\ge1\\)): it holds wherever the claim does, so no checker should refute it."""
    from derivations.engine.claims import All, Inequality
    from derivations.engine.symbolic import prove_nonnegative
    from derivations.engine.verify import _alarm, _Expired
    new, old = mutant.statement, mutant.original
    if isinstance(new, All):
        pairs = [(a, b) for a, b in zip(new.parts, old.parts) if a is not b]
        if len(pairs) != 1:
            return False
        new, old = pairs[0]
    if not isinstance(new, Inequality) or not isinstance(old, Inequality) or new.rel != old.rel:
        return False
    try:
        with _alarm(timeout):
            gain = _margin(new) - _margin(old)
            return prove_nonnegative(gain).status == "proved" or _nonnegative_on_domains(gain, new.variables)
    except _Expired:
        return False


def _prepare(claim, digits: int, seed: int, timeout: float, cap: int):
    """The claim's own verdict (with the claim's full ``timeout``) must be ok, else no mutant could
    tell anything; then its mutants."""
    from derivations.engine.verify import _alarm, _evaluate, _Expired, claim_seed
    res = _evaluate(claim, digits, claim_seed(seed, claim.id), timeout)
    if not res.ok:
        return f"the claim itself is {res.verdict.value}"
    try:
        with _alarm(max(timeout, 10.0)):
            stmt = claim.build()
    except _Expired:
        return "building the statement takes too long"
    return statement_mutants(claim.id, stmt, cap, seed)


def mutate_claim(claim, digits: int = 50, seed: int = 0, timeout: float = 2.0, cap: int = 5,
                 claim_timeout: float = 10.0):
    """``(results, reason)``: the judged mutants of one claim, or ``([], why not mutable)``.
    ``timeout`` is each mutant's budget per phase, ``claim_timeout`` the claim's own."""
    from derivations.engine.budget import run_with_budget
    from derivations.engine.verify import hard_limit
    out = run_with_budget(_prepare, claim, digits, seed, claim_timeout, cap, seconds=hard_limit(claim_timeout))
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
        r = run_with_budget(_judge, claim, m, digits, seed, timeout, seconds=hard_limit(timeout))
        if r.status == "ok":
            results.append(r.value)
        else:
            results.append(MutantResult(m.claim_id, m.operator, m.description, "survived", "unknown", r.reason))
    return results, ""


_TARGETS: list = []


def _run_claim(task):
    di, ci, digits, seed, timeout, cap, claim_timeout = task
    return mutate_claim(_TARGETS[di].claims[ci], digits, seed, timeout, cap, claim_timeout)


def mutate_many(derivations, digits: int = 50, seed: int = 0, timeout: float = 2.0, cap: int = 5,
                jobs: int = 1, on_claim=None, claim_timeout: float = 10.0) -> list:
    """A :class:`MutationReport` per derivation; the claims spread over ``jobs`` processes.
    Deterministic: every claim's mutants and points depend only on ``seed`` and its id.
    ``on_claim()`` is called as each claim's mutants are judged (for progress)."""
    global _TARGETS
    _TARGETS = list(derivations)
    tasks = [(di, ci, digits, seed, timeout, cap, claim_timeout) for di, d in enumerate(_TARGETS)
             for ci in range(len(d.claims))]
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
            on_claim and on_claim()
        return reports
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        _TARGETS = []
