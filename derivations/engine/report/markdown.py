"""Markdown pages: an index with one row per derivation, and one page per derivation.

Mathematics is written for GitHub's renderer: display formulas between ``$$`` lines,
inline ``$...$`` (docstrings' ``\\(...\\)`` are converted).
"""
from __future__ import annotations

import re

from derivations.engine.report.model import (VERDICTS, anchor, claim_counts, controls_refuted, describe_cx,
                                             digits_text, display_tex, errata_confirmed, label_parts, plain, prose,
                                             tally, uses_targets, web_tex)


def _cell(s: str) -> str:
    return str(s).replace("|", r"\|").replace("\n", " ")


def _parts(parts: list) -> str:
    """:func:`~derivations.engine.prose.prose` parts in GitHub's Markdown: ``$..$`` and
    ``$$`` blocks for formulas, backticks for code, ``**`` and ``*`` for emphasis."""
    out = []
    for kind, text in parts:
        if kind == "math":
            out.append("$" + web_tex(text) + "$")
        elif kind == "display":
            out.append("\n$$\n" + web_tex(text) + "\n$$\n")
        elif kind == "code":
            out.append("`" + text.replace("`", "'") + "`")
        elif kind == "strong":
            out.append(f"**{text}**")
        elif kind == "em":
            out.append(f"*{text}*")
        else:
            out.append(text)
    return "".join(out)


def _text(s: str) -> str:
    """Prose with LaTeX and docstring markup in it (docstrings, summaries, notes, captions)."""
    return _parts(prose(s))


def _math(tex: str) -> str:
    return "$$\n" + display_tex(tex) + "\n$$"


def _plain(s: str) -> str:
    """Evidence and counterexamples: numbers, never mathematics."""
    return "`" + plain(s).replace("`", "'") + "`" if s else ""


def _footer(meta: dict) -> list:
    from derivations.engine.report.html import footer_text
    return ["", "---", "", f"*{footer_text(meta)}*"]


def _claim(c: dict, ids: list, docs: dict, control: bool = False) -> list:
    ok = (c["verdict"] == "refuted") if control else c["verdict"] in ("proved", "certified", "checked")
    mark = "" if ok else " (!)"
    out = [f'<a id="{anchor(c["id"])}"></a>', "", f'### `{c["id"]}`: {c["verdict"]}{mark}', "", _math(c["statement"]), "",
           "| verdict | method | agreeing digits | symbolic | numeric | time |", "|---|---|---|---|---|---|",
           f'| **{c["verdict"]}** | {_cell(c.get("method") or "")} | {digits_text(c)} | {c["symbolic"]} | '
           f'{c["numeric"]} | {c["seconds"]:.2f} s |', ""]
    if c.get("hypotheses"):
        out += ["Hypotheses: " + "; ".join(f"${web_tex(h)}$" for h in c["hypotheses"]) + ".", ""]
    if c.get("uses"):
        refs = [f"[`{u}`](#{anchor(t)})" if t else f"`{u}`" for u, t in uses_targets(c, ids)]
        out += ["Uses: " + ", ".join(refs) + ".", ""]
    cx = describe_cx(c.get("counterexample"))
    if cx:
        out += [("Counterexample: " if c["verdict"] == "refuted" else "Evidence: ") + _plain(cx), ""]
    if c.get("gap"):
        out += [f"Measured gap: `{c['gap']}`.", ""]
    if c.get("detail"):
        out += ["Detail: " + _plain(c["detail"]), ""]
    if docs.get(c["id"]):
        out += ["> " + _text(docs[c["id"]]).replace("\n", "\n> "), ""]
    return out


def derivation_page(e: dict, meta: dict, graph_file: str | None = None) -> str:
    ids = [c["id"] for c in e["claims"]]
    out = [f'# {e["title"]}', "", f'**{e["verdict"].upper()}**: {tally(e)}; verified in {e["seconds"]:.2f} s.', "",
           f'Post: <{e["source"]}> ({e.get("date", "")}). Back to the [index](index.md).', ""]
    if e.get("summary"):
        out += [_text(e["summary"]), ""]
    if graph_file:
        out += ["## Claim graph", "",
                "Each claim is a node coloured by its verdict; an arrow points from a claim to the claims that use it.",
                "", f"![claim graph of {e['slug']}]({graph_file})", ""]
    out += ["## Claims", ""]
    for c in e["claims"]:
        out += _claim(c, ids, e.get("docs", {}))
    if e["negative_controls"]:
        out += ["## Negative controls", "", "Plausible wrong variants; each must be refuted, with a counterexample.", ""]
        for c in e["negative_controls"]:
            out += _claim(c, ids, e.get("docs", {}), control=True)
    if e["errata"]:
        out += ["## Errata", "", "Places where the post is wrong or imprecise: what it says must be refuted, the "
                "correction proved or checked.", ""]
        for x in e["errata"]:
            out += [f'### {x["id"]}: {"confirmed" if x["ok"] else "NOT confirmed"}', "",
                    f'**The post says** ({x["post_says_result"]["verdict"]}):', "", _math(x["post_says"]), "",
                    f'**Correct** ({x["correct_result"]["verdict"]}):', "", _math(x["correct"]), "",
                    "**Evidence:** " + _plain(x["evidence"]), ""]
            if x.get("note"):
                out += ["**Note:** " + _text(x["note"]), ""]
    if e.get("results_latex"):
        out += ["## Derived results", ""]
        for label, tex in e["results_latex"]:
            out += [f"**{_parts(label_parts(label))}**", "", _math(tex), ""]
    if e.get("figures"):
        out += ["## Figures", ""]
        for k, f in enumerate(e["figures"], 1):
            out += [f"![Figure {k}: {f['name']}]({f['svg']})", "", f"**Figure {k}.** {_text(f['caption'])}", ""]
    return "\n".join(out + _footer(meta)).rstrip() + "\n"


def index_page(entries: list, meta: dict) -> str:
    from derivations.engine.report.model import catalog_verdict
    ok = sum(e["verdict"] == "verified" for e in entries)
    out = ["# stepcheck report", "",
           f"Catalog: **{catalog_verdict(entries).upper()}** ({ok}/{len(entries)} derivations verified). "
           f"Numeric checks to {meta['digits']} digits, seed {meta['seed']}, {meta['timeout']:g} s per claim and phase; "
           f"verification took {meta['seconds']:.1f} s.", "",
           "Verdicts: **proved** (SymPy reduced the difference to exactly 0, or an exact certificate), **certified** "
           "(ball arithmetic), **checked** (numeric agreement at two precisions, or a Monte Carlo check with a stated "
           "tolerance; never a proof), **refuted** (counterexample), **unknown**.", "",
           "| derivation | date | verdict | claims | " + " | ".join(VERDICTS) + " | controls refuted | errata | time |",
           "|---|---|---|---|" + "---|" * len(VERDICTS) + "---|---|---|"]
    for e in entries:
        by = claim_counts(e)
        ctl, n_ctl = controls_refuted(e)
        err, n_err = errata_confirmed(e)
        out.append(f'| [{_cell(e["slug"])}]({e["slug"]}.md) | {e.get("date", "")} | **{e["verdict"]}** | '
                   f'{len(e["claims"])} | ' + " | ".join(str(by[v]) for v in VERDICTS)
                   + f" | {ctl}/{n_ctl} | {err}/{n_err} | {e['seconds']:.2f} s |")
    out.append("")
    for e in entries:
        out.append(f'- [{_cell(e["slug"])}]({e["slug"]}.md): {e["title"]}')
    if meta.get("notes"):
        out += ["", "## Notes", ""] + [f"- {plain(n)}" for n in meta["notes"]]
    return "\n".join(out + _footer(meta)) + "\n"
