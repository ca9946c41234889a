"""The identity corpus (tests/quality/identity_corpus.py) through ``check``, beside SymPy and mpmath alone.

Run: ``python benchmarks/bench_corpus.py`` (default settings of ``check``: 50 digits, 10 s per
phase; two cases at a time).  Prints Markdown tables: stepcheck's verdicts on the true and the
false identities per class, then the anchors measured in the same run on the same parsed
statements:

* **SymPy alone**: ``simplify(lhs - rhs) == 0`` and ``(lhs - rhs).equals(0)``, each in a child
  under the same per-phase timeout;
* **mpmath defaults**: both sides evaluated at 15 digits with ``quad``/``nsum``/``nprod``/
  ``limit``/``diff`` defaults at two seeded points, "agree" when they match to 10 digits;
* **identify**: for constant identities, ``mpmath.identify`` of the lhs value over the rhs's
  transcendental terms recovers exactly the rhs.

``--selfcheck`` instead evaluates every case with mpmath at 30 digits (tighter quadrature) and
lists the true cases whose sides do not agree and the false ones whose sides do: the corpus's
own check.  ``--only NAME`` restricts to cases whose name contains NAME; ``--json FILE`` keeps
the per-case results; ``--verbose`` lists every undecided true case with its reason;
``--assert`` exits 1 unless issue 17's thresholds hold (no false accept, no false refutation,
98% of the true identities decided, 70% proved).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "quality"))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import mpmath  # noqa: E402
import sympy as sp  # noqa: E402

from derivations.engine.adhoc import adhoc_claim  # noqa: E402
from derivations.engine.budget import run_with_budget  # noqa: E402
from derivations.engine.verify import verify_claim, warm_up  # noqa: E402
from identity_corpus import CASES, CLASSES  # noqa: E402

DECIDED = ("proved", "certified", "checked")
DECIDED_SHARE, PROVED_SHARE = 0.98, 0.70  # of the true identities (issue 17, "Done when")


# -- a plain mpmath evaluator (the anchor and the corpus's self-check) ---------------------------

_MP = {
    sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan, sp.cot: mpmath.cot, sp.sec: mpmath.sec,
    sp.csc: mpmath.csc, sp.asin: mpmath.asin, sp.acos: mpmath.acos, sp.atan: mpmath.atan,
    sp.acot: mpmath.acot, sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh, sp.tanh: mpmath.tanh,
    sp.coth: mpmath.coth, sp.asinh: mpmath.asinh, sp.acosh: mpmath.acosh, sp.atanh: mpmath.atanh,
    sp.exp: mpmath.exp, sp.log: mpmath.log, sp.gamma: mpmath.gamma, sp.loggamma: mpmath.loggamma,
    sp.digamma: mpmath.digamma, sp.polygamma: mpmath.psi, sp.beta: mpmath.beta, sp.erf: mpmath.erf,
    sp.erfc: mpmath.erfc, sp.erfi: mpmath.erfi, sp.erfinv: mpmath.erfinv, sp.besselj: mpmath.besselj,
    sp.bessely: mpmath.bessely, sp.besseli: mpmath.besseli, sp.besselk: mpmath.besselk,
    sp.airyai: mpmath.airyai, sp.airybi: mpmath.airybi, sp.LambertW: mpmath.lambertw,
    sp.factorial: mpmath.factorial, sp.binomial: mpmath.binomial, sp.harmonic: mpmath.harmonic,
    sp.polylog: mpmath.polylog, sp.Abs: abs, sp.floor: mpmath.floor, sp.atan2: mpmath.atan2,
    sp.Ci: mpmath.ci, sp.Si: mpmath.si, sp.re: mpmath.re, sp.im: mpmath.im, sp.arg: mpmath.arg,
    sp.conjugate: mpmath.conj, sp.sign: mpmath.sign, sp.dirichlet_eta: mpmath.altzeta,
    sp.catalan: lambda n: mpmath.binomial(2 * n, n) / (n + 1),
}
_CONST = {sp.pi: lambda: mpmath.pi, sp.E: lambda: mpmath.e, sp.EulerGamma: lambda: mpmath.euler,
          sp.Catalan: lambda: mpmath.catalan, sp.GoldenRatio: lambda: mpmath.phi}


def mp_value(e, env, tuned=False):
    """mpmath value of a SymPy expression (symbols from ``env``), with mpmath's own routines:
    defaults unless ``tuned`` (then ``quadosc`` on infinite oscillatory ranges and higher degrees)."""
    if e in env:
        return env[e]
    if e.is_Integer:
        return mpmath.mpf(int(e))
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if e is sp.I:
        return mpmath.mpc(0, 1)
    if e is sp.oo:
        return mpmath.inf
    if e is sp.S.NegativeInfinity:
        return -mpmath.inf
    if e in _CONST:
        return _CONST[e]()
    if e.is_Add:
        return mpmath.fsum(mp_value(a, env, tuned) for a in e.args)
    if e.is_Mul:
        return mpmath.fprod(mp_value(a, env, tuned) for a in e.args)
    if e.is_Pow:
        b, x = (mp_value(a, env, tuned) for a in e.args)
        return mpmath.power(b, x)
    if isinstance(e, sp.zeta):
        return mpmath.zeta(*(mp_value(a, env, tuned) for a in e.args))
    if isinstance(e, sp.harmonic) and len(e.args) == 1:
        return mpmath.harmonic(mp_value(e.args[0], env, tuned))
    if type(e) in _MP:
        return _MP[type(e)](*(mp_value(a, env, tuned) for a in e.args))
    if isinstance(e, (sp.Integral, sp.Sum, sp.Product)):
        return _iterated(e, env, tuned)
    if isinstance(e, sp.Limit):
        f, x, x0, d = e.args
        point = mp_value(x0, env, tuned)
        g = lambda t: mp_value(f, {**env, x: t}, tuned)  # noqa: E731
        if point in (mpmath.inf, -mpmath.inf):
            s = 1 if point > 0 else -1
            return mpmath.limit(lambda t: g(s * t), mpmath.inf)
        return mpmath.limit(g, point, direction=-1 if str(d) == "-" else 1)
    if isinstance(e, sp.Derivative):
        (x, n), = e.variable_count
        return mpmath.diff(lambda t: mp_value(e.expr, {**env, x: t}, tuned), env[x], int(n))
    raise ValueError(f"no mpmath value for {type(e).__name__}")


def _iterated(e, env, tuned):
    *rest, (x, lo, hi) = e.limits  # SymPy lists the innermost variable first
    inner = e.func(e.function, *rest) if rest else e.function
    a, b = mp_value(lo, env, tuned), mp_value(hi, env, tuned)
    f = lambda t: mp_value(inner, {**env, x: t}, tuned)  # noqa: E731
    if isinstance(e, sp.Integral):
        oscillates = inner.has(sp.sin, sp.cos, sp.besselj)
        if tuned and oscillates and b == mpmath.inf:
            return mpmath.quadosc(f, [a, b], omega=1)
        return mpmath.quad(f, [a, b], maxdegree=10) if tuned else mpmath.quad(f, [a, b])
    if b == mpmath.inf:
        return (mpmath.nsum if isinstance(e, sp.Sum) else mpmath.nprod)(f, [a, b])
    terms = [f(mpmath.mpf(k)) for k in range(int(a), int(b) + 1)]
    return mpmath.fsum(terms) if isinstance(e, sp.Sum) else mpmath.fprod(terms)


def _statement(case):
    stmt = adhoc_claim(case.lhs, case.rhs, case.domains, case.assume).build()
    from numeric.sampling import default_domain, draw_points
    free = sorted(stmt.lhs.free_symbols | stmt.rhs.free_symbols, key=lambda s: s.name)
    doms = {s: stmt.variables.get(s) or default_domain(s) for s in free}
    return stmt, draw_points(doms, 2, 1)


def _mp_point(pt):
    return {s: (mpmath.mpc(v) if isinstance(v, complex) else mpmath.mpf(v)) for s, v in pt.items()}


def _close(a, b, digits):
    """Relative agreement to ``digits``; absolute when one side is exactly 0."""
    scale = max(abs(a), abs(b)) if a != 0 and b != 0 else 1
    return abs(a - b) <= scale * mpmath.mpf(10) ** (-digits)


def _mp_compare(stmt, pts, dps, digits, tuned):
    with mpmath.workdps(dps):
        for pt in pts:
            env = _mp_point(pt)
            a, b = mp_value(stmt.lhs, env, tuned), mp_value(stmt.rhs, env, tuned)
            if a in (mpmath.inf, -mpmath.inf) or b in (mpmath.inf, -mpmath.inf):
                if a != b:
                    return "differ"
                continue
            if not _close(a, b, digits):
                return "differ"
    return "agree"


def _budgeted_compare(case, dps, digits, tuned, seconds):
    stmt, pts = _statement(case)  # parsed here: the parser forks a child of its own
    out = run_with_budget(_mp_compare, stmt, pts, dps, digits, tuned, seconds=seconds)
    if out.status == "ok":
        return out.value
    return f"{out.status}: {out.reason}"[:120]


def mpmath_defaults(case, seconds):
    """Both sides with mpmath's defaults (15 digits): ``agree`` to 10 digits, ``differ``, or why not
    (an anchor that cannot evaluate in ``seconds`` does not decide)."""
    return _budgeted_compare(case, 15, 10, False, seconds)


def selfcheck(case):
    """The corpus's own check: both sides at 30 digits, tighter quadrature; agree to 20 digits."""
    return _budgeted_compare(case, 30, 20, True, 60)


def _terms(rhs):
    """``rhs`` as rational coefficients times transcendental monomials, or None."""
    out = {}
    for t in sp.Add.make_args(sp.expand(rhs)):
        c, m = t.as_coeff_Mul()
        if not c.is_Rational:
            return None
        out[m] = out.get(m, 0) + c
    return out


def identify_anchor(case):
    """``recovered`` when ``mpmath.identify`` of the lhs value, over the rhs's monomials,
    returns exactly the rhs; ``n/a`` for identities with free symbols or a rational rhs."""
    try:
        stmt, _ = _statement(case)
    except Exception:
        return "n/a"
    if stmt.lhs.free_symbols or stmt.rhs.free_symbols or not stmt.rhs.is_number or stmt.rhs.is_Rational:
        return "n/a"
    terms = _terms(stmt.rhs)
    if not terms:
        return "n/a"
    names = {f"c{i}": m for i, m in enumerate(t for t in terms if t != 1)}
    try:
        with mpmath.workdps(15):
            value = mp_value(stmt.lhs, {}, False)
            consts = {n: mp_value(m, {}, False) for n, m in names.items()}
            found = mpmath.identify(value, consts) if consts else mpmath.identify(value)
    except Exception:
        return "error"
    if not found:
        return "none"
    from derivations.engine.parser import parse_expression
    try:
        expr = parse_expression(found, {n: sp.Symbol(n) for n in names}).subs(
            {sp.Symbol(n): m for n, m in names.items()})
    except Exception:
        return "none"
    return "recovered" if sp.expand(expr - stmt.rhs) == 0 else "other"


def _simplify(lhs, rhs):
    return sp.simplify(lhs - rhs) == 0


def _equals(lhs, rhs):
    return (lhs - rhs).equals(0)


def sympy_alone(case, timeout):
    """(simplify == 0, equals) each under ``timeout`` in a child; with seconds."""
    stmt, _ = _statement(case)
    out = {}
    for name, fn in (("simplify", _simplify), ("equals", _equals)):
        t0 = time.perf_counter()
        r = run_with_budget(fn, stmt.lhs, stmt.rhs, seconds=timeout)
        out[name] = r.value if r.status == "ok" else r.status
        out[name + "_s"] = time.perf_counter() - t0
    return out


def stepcheck(case, digits, timeout):
    claim = adhoc_claim(case.lhs, case.rhs, case.domains, case.assume)
    r = verify_claim(claim, digits=digits, seed=0, timeout=timeout)
    return {"verdict": r.verdict, "method": r.method, "detail": r.detail, "seconds": r.seconds}


def run_case(args):
    case, opts = args
    row = {"name": case.name, "cls": case.cls, "true": case.true}
    t0 = time.perf_counter()
    if opts["selfcheck"]:
        row["selfcheck"] = selfcheck(case)
        print(f"{case.name}: {row['selfcheck']} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
        return row
    row.update(stepcheck(case, opts["digits"], opts["timeout"]))
    print(f"{case.name}: {row['verdict']} ({row['seconds']:.1f} s)", file=sys.stderr, flush=True)
    if opts["anchors"]:
        row.update(sympy_alone(case, opts["timeout"]))
        row["mpmath"] = mpmath_defaults(case, opts["timeout"])
        row["identify"] = identify_anchor(case)
    return row


# -- tables ------------------------------------------------------------------------------------

def _pct(n, d):
    return f"{100 * n / d:.0f}%" if d else "-"


def verdict_table(rows):
    lines = ["| class | true | proved | certified | checked | unknown | refuted (false refutation) |"
             " false | refuted | unknown | checked (false accept) | proved (false accept) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for cls in CLASSES + ("all",):
        t = [r for r in rows if r["true"] and (cls == "all" or r["cls"] == cls)]
        f = [r for r in rows if not r["true"] and (cls == "all" or r["cls"] == cls)]
        ct, cf = Counter(r["verdict"] for r in t), Counter(r["verdict"] for r in f)
        name = f"**{cls}**" if cls == "all" else cls
        lines.append(f"| {name} | {len(t)} | {ct['proved']} | {ct['certified']} | {ct['checked']} | {ct['unknown']} | "
                     f"{ct['refuted']} | {len(f)} | {cf['refuted']} | {cf['unknown']} | {cf['checked']} | "
                     f"{cf['proved'] + cf['certified']} |")
    t = [r for r in rows if r["true"]]
    decided = sum(r["verdict"] in DECIDED for r in t)
    proved = sum(r["verdict"] == "proved" for r in t)
    lines.append("")
    lines.append(f"True identities decided: {decided}/{len(t)} ({_pct(decided, len(t))}); proved "
                 f"{proved}/{len(t)} ({_pct(proved, len(t))}).")
    return "\n".join(lines)


def anchor_table(rows):
    t = [r for r in rows if r["true"]]
    f = [r for r in rows if not r["true"]]

    def count(rs, key, pred):
        return sum(1 for r in rs if pred(r.get(key)))

    step_t = sum(r["verdict"] in DECIDED for r in t)
    step_p = sum(r["verdict"] == "proved" for r in t)
    step_fa = sum(r["verdict"] in DECIDED for r in f)
    step_ref = sum(r["verdict"] == "refuted" for r in f)
    step_fr = sum(r["verdict"] == "refuted" for r in t)
    simp_p = count(t, "simplify", lambda v: v is True)
    simp_fa = count(f, "simplify", lambda v: v is True)
    eq_t, eq_fa = count(t, "equals", lambda v: v is True), count(f, "equals", lambda v: v is True)
    eq_fr, eq_ref = count(t, "equals", lambda v: v is False), count(f, "equals", lambda v: v is False)
    mp_t, mp_fa = count(t, "mpmath", lambda v: v == "agree"), count(f, "mpmath", lambda v: v == "agree")
    mp_fr, mp_ref = count(t, "mpmath", lambda v: v == "differ"), count(f, "mpmath", lambda v: v == "differ")
    id_rows = [r for r in t if r.get("identify") not in (None, "n/a")]
    id_rec = count(id_rows, "identify", lambda v: v == "recovered")
    nt, nf = len(t), len(f)
    med = lambda key, rs: statistics.median(r[key] for r in rs) if rs else float("nan")  # noqa: E731
    step_med, simp_med = med("seconds", t + f), med("simplify_s", t + f)
    lines = [
        "| route (same run) | true accepted | true proved | true rejected (false refutation) | "
        "false rejected | false accepted | median s/case |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| stepcheck `check` | {step_t} ({_pct(step_t, nt)}) | {step_p} ({_pct(step_p, nt)}) | {step_fr} | "
        f"{step_ref} ({_pct(step_ref, nf)}) | {step_fa} | {step_med:.2f} |",
        f"| SymPy `simplify(lhs - rhs) == 0` | {simp_p} ({_pct(simp_p, nt)}) | {simp_p} ({_pct(simp_p, nt)}) | - | "
        f"- | {simp_fa} | {simp_med:.2f} |",
        f"| SymPy `(lhs - rhs).equals(0)` | {eq_t} ({_pct(eq_t, nt)}) | - | {eq_fr} | {eq_ref} ({_pct(eq_ref, nf)}) | "
        f"{eq_fa} | {med('equals_s', t + f):.2f} |",
        f"| mpmath defaults (15 digits, agree to 10) | {mp_t} ({_pct(mp_t, nt)}) | - | {mp_fr} | "
        f"{mp_ref} ({_pct(mp_ref, nf)}) | {mp_fa} | - |",
        f"| mpmath `identify` (constant identities) | {id_rec}/{len(id_rows)} ({_pct(id_rec, len(id_rows))}) | - | - | "
        f"- | - | - |",
        "",
        f"Proved, stepcheck / SymPy simplify alone: {step_p}/{simp_p} = "
        f"{(step_p / simp_p if simp_p else float('nan')):.2f}; median time per case, stepcheck / simplify: "
        f"{step_med / simp_med:.2f}.",
    ]
    return "\n".join(lines)


def unknown_list(rows):
    out = ["| case | class | verdict | reason |", "|---|---|---|---|"]
    for r in rows:
        if r["true"] and r["verdict"] not in DECIDED:
            out.append(f"| {r['name']} | {r['cls']} | {r['verdict']} | {r['detail'][:160].replace('|', '/')} |")
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--digits", type=int, default=50)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-anchors", action="store_true")
    ap.add_argument("--selfcheck", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--names", default="", help="file with one case name per line: run only those")
    ap.add_argument("--json", default="")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--assert", dest="check", action="store_true",
                    help="exit 1 unless issue 17's thresholds hold: no false accept, no false refutation, "
                         f"{DECIDED_SHARE:.0%} of the true identities decided, {PROVED_SHARE:.0%} proved")
    a = ap.parse_args(argv)
    cases = [c for c in CASES if a.only in c.name]
    if a.names:
        with open(a.names) as fh:
            wanted = {line.strip() for line in fh if line.strip()}
        cases = [c for c in cases if c.name in wanted]
    opts = {"digits": a.digits, "timeout": a.timeout, "anchors": not a.no_anchors, "selfcheck": a.selfcheck}
    warm_up()
    t0 = time.perf_counter()
    with ProcessPoolExecutor(a.jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        rows = list(pool.map(run_case, [(c, opts) for c in cases]))
    wall = time.perf_counter() - t0
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=1, default=str)
    if a.selfcheck:
        bad = [r for r in rows if (r["selfcheck"] != "agree") == r["true"]]
        for r in bad:
            print(f"{'TRUE ' if r['true'] else 'FALSE'} {r['name']}: {r['selfcheck']}")
        print(f"{len(rows) - len(bad)}/{len(rows)} cases as expected ({wall:.0f} s)")
        return 0 if not bad else 1
    print(f"## Identity corpus: {sum(r['true'] for r in rows)} true, {sum(not r['true'] for r in rows)} false "
          f"(`check` defaults: {a.digits} digits, {a.timeout:g} s per phase; {a.jobs} jobs, {wall:.0f} s wall)\n")
    print(verdict_table(rows))
    if opts["anchors"]:
        print()
        print(anchor_table(rows))
    if a.verbose:
        print()
        print(unknown_list(rows))
    if a.check:
        failed = thresholds_failed(rows)
        print()
        print("Thresholds: " + ("met" if not failed else "NOT met: " + "; ".join(failed)))
        return 1 if failed else 0
    return 0


def thresholds_failed(rows) -> list[str]:
    """Issue 17's thresholds that ``rows`` miss (each as a sentence), for ``--assert``."""
    t = [r for r in rows if r["true"]]
    f = [r for r in rows if not r["true"]]
    out = []
    accepted = [r["name"] for r in f if r["verdict"] in DECIDED]
    refuted = [r["name"] for r in t if r["verdict"] == "refuted"]
    decided = sum(r["verdict"] in DECIDED for r in t)
    proved = sum(r["verdict"] == "proved" for r in t)
    if accepted:
        out.append("false accepts: " + ", ".join(accepted))
    if refuted:
        out.append("false refutations: " + ", ".join(refuted))
    if t and decided < DECIDED_SHARE * len(t):
        out.append(f"decided {decided}/{len(t)} < {DECIDED_SHARE:.0%}")
    if t and proved < PROVED_SHARE * len(t):
        out.append(f"proved {proved}/{len(t)} < {PROVED_SHARE:.0%}")
    return out


if __name__ == "__main__":
    sys.exit(main())
