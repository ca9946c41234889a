"""The report's data: one JSON-able *entry* per derivation.

An entry is :meth:`DerivationResult.to_json` plus what only the :class:`Derivation` knows
(date, summary, the claims' docstrings, derived results) and the figures made for it.  Every
renderer (Markdown, LaTeX, HTML, claim graph, notebook) reads entries only, so the report is
generic over derivations and can be rebuilt from saved results.
"""
from __future__ import annotations

import re

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


def derived_results(d) -> list:
    """``d.results()`` as ``[[label, latex], ...]``; a failing hook becomes one labelled line."""
    if d.results is None:
        return []
    try:
        return [[str(label), str(tex)] for label, tex in d.results()]
    except Exception as exc:  # a broken hook must not lose the rest of the report
        return [["results unavailable", r"\text{" + _plain(f"{type(exc).__name__}: {exc}")[:200] + "}"]]


def _plain(s: str) -> str:
    return re.sub(r"[\\{}$&#^_%~]", " ", s)


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


# -- prose: the text of docstrings, summaries, notes and captions -------------------------------
_MATH = re.compile(r"\$\$(?P<d1>.+?)\$\$|\\\[(?P<d2>.+?)\\\]|\$(?P<i1>[^$\n]+?)\$|\\\((?P<i2>.+?)\\\)", re.S)
_MARKUP = re.compile(r":[a-z]+:`(?P<tilde>~?)(?P<role>[^`]+)`|``(?P<code2>.+?)``|`(?P<code>[^`\n]+)`|\*\*(?P<strong>[^*]+?)\*\*"
                     r"|(?<![\w*])\*(?P<em>[^*\s][^*\n]*?)\*(?![\w*])", re.S)


def prose(s: str) -> list:
    r"""``s`` (prose that may hold LaTeX between ``$..$``, ``$$..$$``, ``\(..\)``, ``\[..\]`` and
    the markup of docstrings: ``**strong**``, ``*emphasis*``, ````code````, ```code```,
    ``:func:`name```) as ``[(kind, text), ...]`` with kind ``text``, ``math``, ``display``,
    ``code``, ``strong`` or ``em``: each renderer writes every kind its own way, so that no
    page shows the markup itself."""
    out = []
    pos = 0
    for m in _MATH.finditer(s or ""):
        out += _markup(s[pos:m.start()])
        tex = next(v for v in m.groupdict().values() if v is not None).strip()
        out.append(("display" if m["d1"] is not None or m["d2"] is not None else "math", tex))
        pos = m.end()
    return out + _markup((s or "")[pos:])


def _markup(text: str) -> list:
    out, pos = [], 0
    for m in _MARKUP.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos:m.start()]))
        if m["role"] is not None:
            out.append(("code", m["role"].rsplit(".", 1)[-1] if m["tilde"] else m["role"]))
        elif m["code2"] is not None or m["code"] is not None:
            out.append(("code", m["code2"] if m["code2"] is not None else m["code"]))
        elif m["strong"] is not None:
            out.append(("strong", m["strong"]))
        else:
            out.append(("em", m["em"]))
        pos = m.end()
    if pos < len(text):
        out.append(("text", text[pos:]))
    return out


def label_parts(label: str) -> list:
    r"""A derived result's label as :func:`prose`: with ``$..$`` it is prose; without, a label in
    LaTeX (``\eta_B/\eta_A\ \text{(post)}``) is one formula, and plain words stay words."""
    if "$" in label or "\\(" in label:
        return prose(label)
    if re.search(r"\\[A-Za-z]|[\^_{}]", label):
        return [("math", label.strip())]
    return [("text", label)]


_LOCATION = re.compile(r"\s\((?:[A-Za-z_][\w.<>]*):\d+\)")


def plain(s: str) -> str:
    """Evidence and counterexamples (numbers, never LaTeX) as a reader reads them: powers written
    ``^`` rather than Python's ``**``, and no code locations."""
    return _LOCATION.sub("", (s or "").replace("**", "^"))
