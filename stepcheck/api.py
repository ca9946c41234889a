r"""The Python API: verify a derivation, check an identity, check a derivation as written.

* :func:`verify` -- a :class:`~derivations.engine.claims.Derivation` (or a ``.py`` file defining
  ``DERIVATION``, a module name, a catalog slug) -> :class:`DerivationResult`;
* :func:`check` -- ``lhs = rhs`` from text (parsed safely, never evaluated) or SymPy expressions
  -> :class:`ClaimResult`;
* :func:`chain` -- a Markdown or LaTeX document (text or a path) -> :class:`ChainResult`, one
  result per step of every display-math block;
* :func:`assert_verified`, :func:`assert_chain` -- the same, raising ``AssertionError`` with the
  verdicts and counterexamples (for tests written by hand).

Every verdict comes from the engine (:mod:`derivations.engine.verify`).  A chain's steps are
ordinary claims (:func:`derivations.engine.adhoc.step_claim`) verified in one batched run.

How ``\ne`` is judged.  A step ``a \ne b`` says that the two sides are not the same: not equal
as numbers when they are closed, not the same function of the free symbols otherwise.  The
engine judges the identity ``a = b`` and the step takes the opposite reading: the identity
*proved* makes the step *refuted* (the sides are equal; the proof is the evidence); the identity
refuted by an exact difference that exact arithmetic shows nonzero makes the step *proved*, one
whose nonzero difference (or whose sides) ball enclosures separate makes it *certified*, refuted
by numbers that differ beyond doubt makes it *checked* (the witness is recorded); anything else
(sides that agree numerically, which never proves them equal, or an identity left unknown) is
*unknown*.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from derivations.engine.errors import BadInput

DEFAULT_DIGITS = 50
DEFAULT_SEED = 0
DEFAULT_TIMEOUT = 10.0
MAX_DOCUMENT_BYTES = 200_000  # derivations.engine.chain.read_chain's default max_chars
READ_SECONDS = 30.0  # budget of reading a document (the LaTeX reader bounds sizes; this bounds time)
CHAIN_SUFFIXES = (".md", ".markdown", ".tex", ".txt")


def schema_path():
    """The JSON Schema of the contract (:mod:`derivations.engine.contract`), shipped with this package."""
    from pathlib import Path
    return Path(__file__).resolve().parent / "schema" / "results.schema.json"


class DocumentError(BadInput):
    """A chain document that cannot be read: missing, too large, not text."""


# -- verify ---------------------------------------------------------------------------------------
def derivation(target):
    """The :class:`~derivations.engine.claims.Derivation` named by ``target``: a Derivation, a
    path to a ``.py`` file defining ``DERIVATION`` (a ``str`` ending in ``.py`` or an
    ``os.PathLike``), a catalog slug (built-in or third-party), or a module name."""
    import re
    import types

    import derivations
    from derivations.engine.claims import Derivation
    if isinstance(target, Derivation):
        return target
    if isinstance(target, types.ModuleType):
        return derivations.load_module(target.__name__)
    if isinstance(target, str) and target in derivations.CATALOG:
        return derivations.load(target)
    if isinstance(target, os.PathLike) or (isinstance(target, str) and (target.endswith(".py") or os.sep in target)):
        return derivations.load_path(target)
    if not isinstance(target, str):
        raise BadInput(f"cannot verify a {type(target).__name__}: give a Derivation, a path, a module or a slug")
    if target in derivations.catalog():
        return derivations.load(target)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", target) and _importable(target):
        return derivations.load_module(target)
    return derivations.load(target)  # the unknown-slug error, with the known slugs


def _importable(name: str) -> bool:
    import importlib.util
    try:
        return importlib.util.find_spec(name) is not None
    except Exception:  # a parent package that fails to import: load_module says why
        return "." in name


def verify(derivation_or_path, *, digits: int = DEFAULT_DIGITS, seed: int = DEFAULT_SEED,
           timeout: float = DEFAULT_TIMEOUT, jobs: int = 1):
    """Verify every claim, negative control and erratum of a derivation (see :func:`derivation`
    for what may be given): a :class:`~derivations.engine.verdicts.DerivationResult`."""
    from derivations.engine.verify import verify_many
    return verify_many([derivation(derivation_or_path)], digits=digits, seed=seed, timeout=timeout, jobs=jobs)[0]


# -- check ----------------------------------------------------------------------------------------
def check(lhs, rhs, *, assume=(), domain=(), digits: int = DEFAULT_DIGITS, seed: int = DEFAULT_SEED,
          timeout: float = DEFAULT_TIMEOUT, memory_mb: int | None = None):
    """The identity ``lhs = rhs`` on the engine: a :class:`~derivations.engine.verdicts.ClaimResult`.

    Sides are text in SymPy syntax (parsed by a whitelist, never evaluated) or SymPy
    expressions.  ``assume``: ``{"x": "positive"}``, ``{"n": ["integer", "positive"]}`` or
    ``["x=positive"]``; ``domain``: ``{"x": (0, 1)}`` or ``["x=0..1"]`` (as ``check --assume``,
    ``--domain``).  Unstated symbols of text sides are complex."""
    from derivations.engine.adhoc import adhoc_claim, option_texts
    from derivations.engine.budget import DEFAULT_MEMORY_MB
    from derivations.engine.verify import verify_claim
    assume_texts, domain_texts = option_texts(assume, domain)
    claim = adhoc_claim(lhs, rhs, domain_texts, assume_texts)
    return verify_claim(claim, digits=digits, seed=seed, timeout=timeout,
                        memory_mb=DEFAULT_MEMORY_MB if memory_mb is None else memory_mb)


# -- chain ----------------------------------------------------------------------------------------
@dataclass
class StepResult:
    """One step of a chain and the engine's result for it.  ``lhs``/``rhs`` are the sides as
    read (SymPy syntax); ``assumptions`` maps each name of the step to what was assumed of it
    (``"complex (nothing assumed)"`` for an unstated one)."""

    block: int
    step: int
    line: int
    relation: str  # =, <=, >=, <, >, != or ~ (approximately)
    lhs_tex: str
    rhs_tex: str
    lhs: str
    rhs: str
    result: object  # ClaimResult
    assumptions: dict = field(default_factory=dict)
    tolerance: dict | None = None

    @property
    def verdict(self):
        return self.result.verdict

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def counterexample(self):
        return self.result.counterexample

    @property
    def where(self) -> str:
        return f"block {self.block}, step {self.step} (line {self.line})"

    def evidence(self) -> str:
        """Digits and method of an ok verdict, the counterexample of a refuted one, the reason
        of an unknown one."""
        from numeric.counterexamples import describe_counterexample
        r = self.result
        if r.ok and self.relation == "!=":
            return r.detail
        if r.ok:
            parts = [f"{r.digits:.0f} digits" if r.digits is not None else "", f"by {r.method}" if r.method else "",
                     f"gap {r.gap}" if r.gap else ""]
            return ", ".join(p for p in parts if p)
        if r.verdict.value == "refuted" and r.counterexample:
            return describe_counterexample(r.counterexample)
        return r.detail or r.method

    def to_json(self) -> dict:
        """The step in the JSON contract (:mod:`derivations.engine.contract`)."""
        j = self.result.to_json()
        return {"block": self.block, "step": self.step, "line": self.line, "relation": self.relation,
                "lhs": self.lhs, "rhs": self.rhs, "lhs_tex": self.lhs_tex, "rhs_tex": self.rhs_tex,
                **{k: j[k] for k in ("verdict", "digits", "method", "detail", "counterexample", "gap")},
                "tolerance": self.tolerance, "assumptions": dict(self.assumptions), "seconds": j["seconds"]}


@dataclass
class ChainResult:
    """The steps of every block with their results, the blocks that could not be read (with
    why), and problems outside blocks (an ``Assume:`` condition not applied, an unclosed
    ``$$``)."""

    steps: list
    unparsed: list  # {"block", "line", "tex", "error"}
    problems: list
    seconds: float = 0.0

    COUNTED = ("proved", "certified", "checked", "refuted", "unknown")

    def counts(self) -> dict:
        out = {v: sum(s.verdict.value == v for s in self.steps) for v in self.COUNTED}
        out["not parsed"] = len(self.unparsed)
        return out

    @property
    def first_wrong(self) -> StepResult | None:
        """The first refuted step in the document's order."""
        return next((s for s in self.steps if s.verdict.value == "refuted"), None)

    @property
    def ok(self) -> bool:
        """Every step proved, certified or checked, every block read, no problem."""
        return all(s.ok for s in self.steps) and not self.unparsed and not self.problems

    def summary(self) -> str:
        """``N steps: P proved, C checked, R refuted, U unknown, S not parsed`` (certified only
        when there are some)."""
        c = self.counts()
        parts = [f"{c['proved']} proved"] + ([f"{c['certified']} certified"] if c["certified"] else [])
        parts += [f"{c['checked']} checked", f"{c['refuted']} refuted", f"{c['unknown']} unknown",
                  f"{c['not parsed']} not parsed"]
        return f"{len(self.steps)} steps: " + ", ".join(parts)

    def lines(self, assumptions: bool = True) -> list[str]:
        """The ``chain`` command's text: one line per step (block.step, line, relation, verdict,
        digits or counterexample), the assumptions each step used, the blocks not read, the
        summary and the first wrong step."""
        out, previous = [], None
        for s in self.steps:
            out.append(f"  {f'{s.block}.{s.step}':<6} line {s.line:<4} {s.relation:<2} {s.verdict.value:<9} "
                       f"{s.evidence()}")
            used = _assumption_line(s.assumptions)
            if assumptions and used and used != previous:
                out.append(f"{'':19}assuming {used}")
                previous = used
        for b in self.unparsed:
            out.append(f"  block {b['block']} (line {b['line']}) not parsed: {b['error']}")
        out += [f"  problem: {p}" for p in self.problems]
        out.append(self.summary())
        wrong = self.first_wrong
        if wrong is not None:
            out.append(f"first wrong step: {wrong.where}: {wrong.lhs_tex} {_TEX_RELATION[wrong.relation]} "
                       f"{wrong.rhs_tex}")
        return out

    def to_json(self) -> dict:
        wrong = self.first_wrong
        return {"steps": [s.to_json() for s in self.steps], "blocks": list(self.unparsed),
                "problems": list(self.problems), "summary": self.counts(), "ok": self.ok,
                "first_wrong_step": None if wrong is None else {"block": wrong.block, "step": wrong.step,
                                                                "line": wrong.line},
                "seconds": self.seconds}


_TEX_RELATION = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "!=": r"\ne", "~": r"\approx"}


def _assumption_line(assumed: dict) -> str:
    """``D, G: positive; T: integer, positive, in [1, oo) ...``: names with the same
    assumptions together."""
    groups: dict[str, list] = {}
    for name, text in assumed.items():
        groups.setdefault(text, []).append(name)
    return " | ".join(f"{', '.join(names)}: {text}" for text, names in groups.items())


def read_document(text_or_path) -> str:
    """The text of a chain document: ``text_or_path`` itself, or the file it names (an
    ``os.PathLike``, or a one-line ``str`` naming an existing file).  At most
    :data:`MAX_DOCUMENT_BYTES`, UTF-8 text without NUL bytes; anything else is a
    :class:`DocumentError`."""
    if isinstance(text_or_path, os.PathLike) or (isinstance(text_or_path, str) and "\n" not in text_or_path
                                                 and os.path.isfile(text_or_path)):
        path = os.fspath(text_or_path)
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as exc:
            raise DocumentError(f"{path}: cannot read it ({exc.strerror or exc})") from None
        return decode_document(data, path)
    if not isinstance(text_or_path, str):
        raise DocumentError(f"a chain document is text or a path, not {type(text_or_path).__name__}")
    if len(text_or_path) > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"document too long ({len(text_or_path)} characters; limit {MAX_DOCUMENT_BYTES})")
    if "\x00" in text_or_path:
        raise DocumentError("the document is not text (it contains NUL bytes)")
    return text_or_path


def decode_document(data: bytes, name: str) -> str:
    """Bytes of a document as text (bounded, UTF-8, no NUL)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"{name}: too large (more than {MAX_DOCUMENT_BYTES} bytes)")
    if b"\x00" in data:
        raise DocumentError(f"{name}: not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{name}: not UTF-8 text (byte {exc.start + 1})") from None


def _read(text: str, start):
    """``("ok", Document)`` or ``("bad", message)``: run in a budgeted child."""
    from derivations.engine.chain import read_chain
    try:
        return "ok", read_chain(text, assumptions=start)
    except BadInput as exc:
        return "bad", str(exc)


def read_steps(text: str, assume=(), domain=()):
    """The :class:`~derivations.engine.chain.Document` of ``text`` with the options' assumptions
    in force from the start, read in a child process under :data:`READ_SECONDS`: the reader
    bounds sizes before SymPy builds anything, and this bounds the time whatever it builds."""
    from derivations.engine.adhoc import option_texts
    from derivations.engine.budget import run_with_budget
    from derivations.engine.chain import Assumptions
    from derivations.engine.errors import ExpressionError
    start = Assumptions.from_check_options(*option_texts(assume, domain))
    out = run_with_budget(_read, text, start, seconds=READ_SECONDS)
    if out.status != "ok":
        raise ExpressionError(f"the document is too costly to read ({out.reason})")
    status, value = out.value
    if status == "bad":
        raise ExpressionError(value)
    return value


def _not_equal(r):
    r"""The result of ``a \ne b`` from the engine's result for ``a = b`` (module docstring)."""
    from derivations.engine.verdicts import Verdict
    if r.verdict is Verdict.PROVED:
        return replace(r, verdict=Verdict.REFUTED, digits=None,
                       counterexample={"text": f"the sides are equal (proved by {r.method})"})
    if r.verdict is Verdict.REFUTED:
        return replace(r, verdict=_differ_verdict(r), digits=None, counterexample=None,
                       detail=f"the sides differ: {_cx_text(r.counterexample)}")
    if r.ok:
        return replace(r, verdict=Verdict.UNKNOWN, digits=None, counterexample=None,
                       detail=f"the sides agree numerically ({r.verdict.value}), which neither proves nor refutes "
                              "that they differ")
    return r


def _differ_verdict(r):
    """How strongly a refuted ``a = b`` shows ``a \\ne b``: *proved* when exact arithmetic shows
    the difference nonzero (\\(\\sqrt2 - 1.414\\), by its minimal polynomial), *certified* when a
    ball enclosure does (the exact difference \\(\\pi - 22/7\\) whose Arb ball excludes 0, or
    disjoint enclosures of the sides), *checked* when numbers at two precisions do."""
    from derivations.engine.contract import counterexample_kind
    from derivations.engine.verdicts import Verdict
    cx = r.counterexample or {}
    if r.symbolic == "refuted":
        return Verdict.CERTIFIED if cx.get("nonzero") == "ball" else Verdict.PROVED
    return Verdict.CERTIFIED if counterexample_kind(cx, r.symbolic) == "ball" else Verdict.CHECKED


def _step_error(r):
    """A step whose statement could not be built says why without the exception's class name."""
    prefix = "StepError: "
    return replace(r, detail=r.detail[len(prefix):]) if r.detail.startswith(prefix) else r


def _cx_text(cx) -> str:
    from numeric.counterexamples import describe_counterexample
    return describe_counterexample(cx)


_WORD_ORDER = ("integer", "real", "positive", "nonnegative", "negative", "nonpositive", "nonzero")


def _assumed(a) -> str:
    """What is assumed of one name, briefly: ``positive``, ``integer, positive in [1, oo)
    (sampled in [1, 20])``, ``real in (0, 1)``."""
    import sympy as sp
    words = a.implied_words()
    if words - {"real"}:
        words.discard("real")
    text = ", ".join(w for w in _WORD_ORDER if w in words)
    iv = a.interval
    if iv is not None and not ((iv.lo == 0 and iv.hi == sp.oo) or (iv.lo == -sp.oo and iv.hi == 0)):
        text += f" in {iv.describe()}"
        box = a.box()
        if box is not None and not (iv.lo.is_finite and iv.hi.is_finite):
            text += f" (sampled in [{box[0]:g}, {box[1]:g}])"
    return "; ".join([text] + list(a.notes))


def _step_assumptions(step, block) -> dict:
    """name -> what was assumed of it (``Assume:`` lines and options in force for the block),
    for every free symbol of the step as the engine sees it (sequence elements as symbols)."""
    import sympy as sp

    from derivations.engine.adhoc import StepError, _sequence_of, _step_sides
    names = block.assumptions.names
    try:
        sides = _step_sides(step.lhs, step.rhs, block.assumptions)[:2]
    except StepError:  # a sequence with a symbolic index: the step is unknown, say what its names are
        sides = (step.lhs, step.rhs)
    free = set()
    for e in sides:
        if isinstance(e, (sp.Basic, sp.MatrixBase)):
            free |= {s for s in e.free_symbols if isinstance(s, sp.Symbol)}
    sequences = {_sequence_of(n): n for n in names if _sequence_of(n)}
    out = {}
    for s in sorted(free, key=lambda s: s.name):
        base = s.name.rpartition("_")[0]
        if s.name in names:
            out[s.name] = _assumed(names[s.name])
        elif base in sequences:
            out[s.name] = f"{_assumed(names[sequences[base]])} (as {sequences[base]})"
        else:
            out[s.name] = "complex (nothing assumed)"
    return out


def chain(text_or_path, *, assume=(), domain=(), digits: int = DEFAULT_DIGITS, seed: int = DEFAULT_SEED,
          timeout: float = DEFAULT_TIMEOUT, jobs: int = 1) -> ChainResult:
    r"""Check a derivation as written: every step of every display-math block of a Markdown or
    LaTeX document (:mod:`derivations.engine.chain` says what is read) as a claim on the engine.

    ``assume``/``domain`` hold from the start, as ``check``'s (``Assume:`` lines add to them);
    unstated symbols are complex.  ``=`` steps are identities, ``\le \ge < >`` inequalities
    (searched for a violation, proved only by an exact certificate), ``\approx`` approximations
    within the stated tolerance (unknown without one), ``\ne`` as in the module docstring."""
    import time
    t0 = time.perf_counter()
    doc = read_steps(read_document(text_or_path), assume, domain)
    res = verify_steps(doc, digits=digits, seed=seed, timeout=timeout, jobs=jobs)
    res.seconds = round(time.perf_counter() - t0, 3)
    return res


def verify_steps(doc, *, digits: int = DEFAULT_DIGITS, seed: int = DEFAULT_SEED, timeout: float = DEFAULT_TIMEOUT,
                 jobs: int = 1) -> ChainResult:
    """The steps of a read document (:func:`read_steps`) verified in one batched engine run."""
    import time

    from derivations.engine.adhoc import step_claim
    from derivations.engine.claims import Derivation
    from derivations.engine.verify import verify_many
    t0 = time.perf_counter()
    pairs = [(b, s) for b in doc.blocks for s in b.steps]
    claims = tuple(step_claim(s, b.assumptions) for b, s in pairs)
    results = []
    if claims:
        d = Derivation(slug="chain", title="chain", source="", date="", summary="", claims=claims)
        results = verify_many([d], digits=digits, seed=seed, timeout=timeout, jobs=jobs)[0].claims
    steps = []
    for (b, s), r in zip(pairs, results):
        r = _not_equal(r) if s.relation == "!=" else _step_error(r)
        steps.append(StepResult(s.block, s.step, s.line, s.relation, s.lhs_tex, s.rhs_tex, _sstr(s.lhs), _sstr(s.rhs),
                                r, _step_assumptions(s, b), s.tolerance.to_json() if s.tolerance else None))
    unparsed = [{"block": b.index, "line": b.line, "tex": b.tex, "error": b.error} for b in doc.blocks if b.error]
    return ChainResult(steps, unparsed, document_problems(doc), round(time.perf_counter() - t0, 3))


def document_problems(doc) -> list[str]:
    """The document's problems outside blocks, and that it has no block at all (a wrong file, or
    a document without display math, checks nothing and must not pass)."""
    problems = list(doc.problems)
    if not doc.blocks and not problems:
        problems.append(r"no display-math block ($$..$$, \[..\], align, equation, ...): nothing was checked")
    return problems


def _sstr(e) -> str:
    import sympy as sp
    return sp.sstr(e)


# -- for tests written by hand --------------------------------------------------------------------
def assert_verified(derivation_or_path, **options):
    """Verify a derivation (or, for a path ending in ``.md``, ``.markdown``, ``.tex`` or ``.txt``,
    check a chain: :func:`assert_chain`) and raise ``AssertionError`` unless it is verified,
    listing each claim, control or erratum that is not as it should be."""
    target = derivation_or_path
    if isinstance(target, (str, os.PathLike)) and os.fspath(target).endswith(CHAIN_SUFFIXES):
        return assert_chain(target, **options)
    res = verify(target, **options)
    if res.verdict.value != "verified":
        raise AssertionError(f"{res.slug}: {res.verdict.value}\n" + "\n".join(failures(res)))
    return res


def failures(res) -> list[str]:
    """One line per claim not ok, control not refuted, erratum not confirmed."""
    from numeric.counterexamples import describe_counterexample
    out = []
    for c in res.claims:
        if not c.ok:
            why = "; ".join(x for x in (describe_counterexample(c.counterexample), c.detail) if x)
            out.append(f"  claim {c.id}: {c.verdict.value}" + (f": {why}" if why else ""))
    for c in res.negative_controls:
        if c.verdict.value != "refuted":
            how = f"by {c.method}" if c.method else c.detail
            out.append(f"  control {c.id} (must be refuted): {c.verdict.value}" + (f" ({how})" if how else ""))
    for e in res.errata:
        if not e.ok:
            out.append(f"  erratum {e.id} not confirmed: {e.evidence}")
    return out


def assert_chain(text_or_path, **options) -> ChainResult:
    """Check a chain (:func:`chain`) and raise ``AssertionError`` unless every step is proved,
    certified or checked and every block was read; the message names the first wrong step."""
    res = chain(text_or_path, **options)
    if not res.ok:
        bad = [line for line, s in zip(res.lines(assumptions=False), res.steps) if not s.ok]
        rest = res.lines(assumptions=False)[len(res.steps):]
        raise AssertionError("\n".join(bad + rest))
    return res
