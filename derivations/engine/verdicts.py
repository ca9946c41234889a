"""The verdict vocabulary: one place for what a verdict is and how verdicts add up.

A claim's :class:`Verdict` is one of

* ``proved``: SymPy reduced the statement's difference to exactly 0, or an exact certificate of
  that statement holds;
* ``certified``: rigorous ball enclosures of the statement's sides decide it;
* ``checked``: the statement's own sides agree at two precisions (error bounded relative to the
  result), or within a stated standard-error band;
* ``refuted``: a counterexample beyond doubt (exact, confirmed at a higher precision, disjoint
  enclosures, or beyond the standard-error band);
* ``unknown``: anything else, with the reason.

A derivation is ``verified`` when every claim is ok, every negative control is refuted and every
erratum is confirmed; ``failed`` when a claim is refuted, a control holds, or an erratum is
contradicted; ``incomplete`` otherwise.  Only :mod:`derivations.engine.verify` creates results.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Verdict(str, Enum):
    PROVED = "proved"
    CERTIFIED = "certified"
    CHECKED = "checked"
    REFUTED = "refuted"
    UNKNOWN = "unknown"

    @property
    def is_ok(self) -> bool:
        """Proved, certified or checked."""
        return self in (Verdict.PROVED, Verdict.CERTIFIED, Verdict.CHECKED)

    def __str__(self) -> str:
        return self.value


OK_VERDICTS = tuple(v.value for v in Verdict if v.is_ok)
VERDICTS = tuple(v.value for v in Verdict)
_STRENGTH = {Verdict.PROVED: 3, Verdict.CERTIFIED: 2, Verdict.CHECKED: 1, Verdict.UNKNOWN: 0}


def weakest(verdicts) -> Verdict:
    """The verdict of a conjunction: refuted if any part is, else the weakest part."""
    vs = [Verdict(v) for v in verdicts]
    if Verdict.REFUTED in vs:
        return Verdict.REFUTED
    return min(vs, key=_STRENGTH.__getitem__) if vs else Verdict.UNKNOWN


def is_ok(verdict) -> bool:
    return Verdict(verdict).is_ok


class DerivationVerdict(str, Enum):
    VERIFIED = "verified"
    FAILED = "failed"
    INCOMPLETE = "incomplete"

    def __str__(self) -> str:
        return self.value


@dataclass
class ClaimResult:
    """What the engine concluded about one claim (or control).  ``symbolic`` and ``numeric``
    are the phases' own statuses, ``method`` how the verdict was reached, ``detail`` why (and
    what was left open), ``oracles`` the independent implementations compared with a side."""

    id: str
    statement: str
    verdict: Verdict
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
    oracles: list = field(default_factory=list)

    def __post_init__(self):
        self.verdict = Verdict(self.verdict)

    @property
    def ok(self) -> bool:
        return self.verdict.is_ok

    def to_json(self) -> dict:
        """The contract's JSON (:func:`derivations.engine.contract.claim`): digits an integer,
        gap a number, the counterexample in its one shape."""
        from derivations.engine.contract import claim
        return claim(self)


@dataclass
class ErratumResult:
    """An erratum's two results: the post's statement (confirmed wrong when refuted) and the
    correction (confirmed when ok)."""

    id: str
    post_says: str
    correct: str
    note: str
    post: ClaimResult
    correction: ClaimResult

    @property
    def ok(self) -> bool:
        return self.post.verdict is Verdict.REFUTED and self.correction.ok

    @property
    def contradicted(self) -> bool:
        """The post's statement holds or the correction is refuted."""
        return self.post.ok or self.correction.verdict is Verdict.REFUTED

    @property
    def evidence(self) -> str:
        from numeric.counterexamples import describe_counterexample
        cx = describe_counterexample(self.post.counterexample) or self.post.detail
        return (f"post's statement {self.post.verdict}" + (f" ({cx})" if cx else "")
                + f"; corrected statement {self.correction.verdict}")

    def to_json(self) -> dict:
        return {"id": self.id, "post_says": self.post_says, "correct": self.correct,
                "evidence": self.evidence, "note": self.note, "post_says_result": self.post.to_json(),
                "correct_result": self.correction.to_json(), "ok": self.ok}


def derivation_verdict(claims, controls, errata) -> DerivationVerdict:
    """Verified / failed / incomplete (module docstring) from a derivation's results."""
    if (any(c.verdict is Verdict.REFUTED for c in claims) or any(c.ok for c in controls)
            or any(e.contradicted for e in errata)):
        return DerivationVerdict.FAILED
    if all(c.ok for c in claims) and all(c.verdict is Verdict.REFUTED for c in controls) and all(e.ok for e in errata):
        return DerivationVerdict.VERIFIED
    return DerivationVerdict.INCOMPLETE


def overall_verdict(verdicts) -> DerivationVerdict:
    """The catalog's verdict from its derivations' verdicts."""
    vs = [DerivationVerdict(v) for v in verdicts]
    if all(v is DerivationVerdict.VERIFIED for v in vs):
        return DerivationVerdict.VERIFIED
    if any(v is DerivationVerdict.FAILED for v in vs):
        return DerivationVerdict.FAILED
    return DerivationVerdict.INCOMPLETE


@dataclass
class DerivationResult:
    slug: str
    title: str
    source: str
    verdict: DerivationVerdict
    seconds: float
    claims: list
    negative_controls: list
    errata: list
    cached: bool = False  # stored results of an earlier run with the same sources (derivations.engine.cache)

    def __post_init__(self):
        self.verdict = DerivationVerdict(self.verdict)

    def to_json(self) -> dict:
        return {
            "slug": self.slug, "title": self.title, "source": self.source, "verdict": self.verdict.value,
            "seconds": self.seconds,
            "claims": [c.to_json() for c in self.claims],
            "negative_controls": [c.to_json() for c in self.negative_controls],
            "errata": [e.to_json() for e in self.errata], "cached": self.cached,
        }
