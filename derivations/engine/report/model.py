"""The report's data: one JSON-able *entry* per derivation.

An entry is :meth:`DerivationResult.to_json` plus what only the :class:`Derivation` knows
(date, summary, the claims' docstrings, derived results) and the figures made for it.  Every
renderer (Markdown, LaTeX, HTML, claim graph, notebook) reads entries only, so the report is
generic over derivations and can be rebuilt from saved results.
"""
from __future__ import annotations

import re

from derivations.engine.prose import derived_results, label_parts, plain, prose  # noqa: F401 (re-exported)
from derivations.engine.render import describe_cx, digits_text, display_tex, web_tex  # noqa: F401 (re-exported)
from derivations.engine.verdicts import OK_VERDICTS, VERDICTS  # noqa: F401 (re-exported)


def entry(d, res, figures=()) -> dict:
    """The entry of derivation ``d`` verified as ``res`` (a ``DerivationResult``)."""
    out = res.to_json()
    claims = list(d.claims) + list(d.controls)
    for e in d.errata:
        claims += [e.post_says, e.correct]
    out.update(date=d.date, summary=d.summary, docs={c.id: c.doc for c in claims if c.doc},
               results_latex=derived_results(d), figures=figure_list(figures))
    return out


def figure_list(figures) -> list:
    """Figures as the entry keeps them: ``{"name", "svg", "png", "caption"}`` each."""
    out = []
    for f in figures or ():
        if isinstance(f, dict):
            out.append(dict(f))
        else:  # (stem, caption)
            stem, caption = f
            out.append({"name": stem.rsplit("/", 1)[-1], "svg": f"{stem}.svg", "png": f"{stem}.png", "caption": caption})
    return out


def claim_counts(e: dict) -> dict:
    """Claims by verdict, in the fixed order of :data:`VERDICTS` (zero counts included)."""
    by = {v: 0 for v in VERDICTS}
    for c in e["claims"]:
        by[c["verdict"]] = by.get(c["verdict"], 0) + 1
    return by


def controls_refuted(e: dict) -> tuple[int, int]:
    return sum(c["verdict"] == "refuted" for c in e["negative_controls"]), len(e["negative_controls"])


def errata_confirmed(e: dict) -> tuple[int, int]:
    return sum(bool(x["ok"]) for x in e["errata"]), len(e["errata"])


def tally(e: dict) -> str:
    """``3 claims (2 proved, 1 checked); negative controls refuted 1/1; errata confirmed 1/1``."""
    counts = ", ".join(f"{n} {v}" for v, n in claim_counts(e).items() if n)
    return (f"{len(e['claims'])} claims ({counts or 'none'}); negative controls refuted "
            "{}/{}; errata confirmed {}/{}".format(*controls_refuted(e), *errata_confirmed(e)))


def catalog_verdict(entries) -> str:
    if all(e["verdict"] == "verified" for e in entries):
        return "verified"
    return "failed" if any(e["verdict"] == "failed" for e in entries) else "incomplete"


def anchor(claim_id: str) -> str:
    """An HTML id for a claim: ``claim-`` and the id with anything unusual replaced by ``-``."""
    return "claim-" + re.sub(r"[^A-Za-z0-9_-]", "-", claim_id)


def resolve_use(use: str, ids: list) -> str | None:
    """The claim a ``uses`` entry names: the id itself, or the unique id it abbreviates
    (``C3b`` for ``C3b.recurrence``); ``None`` when it names no claim of the derivation."""
    if use in ids:
        return use
    hits = [i for i in ids if i.startswith(use + ".") or i.split(".")[0] == use]
    return hits[0] if len(hits) == 1 else None


def uses_targets(c: dict, ids: list) -> list:
    """``[(use, resolved claim id or None), ...]`` for claim ``c``."""
    return [(u, resolve_use(u, ids)) for u in c.get("uses") or ()]


def how_text(c: dict) -> str:
    """Method, and for claims that are not ok the reason (counterexample or detail)."""
    parts = [c.get("method") or ""]
    if c["verdict"] in ("refuted", "unknown"):
        parts += [describe_cx(c.get("counterexample")), c.get("detail") or ""]
    elif c.get("gap"):
        parts.append(f"gap {c['gap']}")
    elif c["verdict"] == "checked" and not c.get("method"):
        parts.append(c.get("detail") or "")
    return "; ".join(p for p in parts if p)
