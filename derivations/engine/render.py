"""Text and LaTeX renderings of derivations and verification results: one function per thing
shown, used by the command line (and the notebook display); the report has its own pages."""
from __future__ import annotations

import re

from derivations.engine.prose import derived_results, escaped, label_parts, tex_escape, tex_parts
from derivations.engine.verdicts import OK_VERDICTS
from numeric.counterexamples import describe_counterexample

COLOURS = {  # verdict -> (fill, text) in every coloured rendering (HTML pages, claim graphs, notebooks)
    "proved": ("#1a7f37", "#ffffff"),
    "certified": ("#0550ae", "#ffffff"),
    "checked": ("#7ee2a8", "#0b3d1f"),
    "refuted": ("#cf222e", "#ffffff"),
    "unknown": ("#d0d7de", "#24292f"),
    "external": ("#ffffff", "#57606a"),
}

_MARK = {"proved": "proved   ", "certified": "certified", "checked": "checked  ",
         "refuted": "refuted  ", "unknown": "unknown  "}
ID_WIDTH = (12, 40)  # the id column of claim lines: at least, at most (a longer id overflows its own line only)


def _plain(word, text=None):
    return word if text is None else text


def id_width(ids) -> int:
    """The width of the id column for a derivation's claim lines: its longest id, within :data:`ID_WIDTH`."""
    lo, hi = ID_WIDTH
    return max(lo, min(hi, max((len(i) for i in ids), default=lo)))


def whole_digits(d) -> int | None:
    """Agreeing digits as shown everywhere (terminal, pages, JSON): the whole digits that agree."""
    from derivations.engine.contract import digits
    return digits(d)


def _digits(r) -> str:
    d = whole_digits(r.digits) if r.ok else None
    return f"{d:>5} dig" if d is not None else "    -    "


def claim_line(r, control: bool = False, width: int = 28, paint=_plain) -> str:
    """One line per claim: verdict, id (in a column ``width`` wide), agreeing digits, time,
    method (and why, if not ok).  A negative control starts with ``ok`` when refuted, ``!!``
    otherwise.  ``paint(word, text)`` colours a verdict word (see :mod:`stepcheck.terminal`)."""
    tag = paint(r.verdict.value, _MARK.get(r.verdict.value, r.verdict.value))
    extra = r.method or ""
    cx = describe_counterexample(r.counterexample)
    if control:
        extra = (extra + ": " if extra else "") + cx if cx else (extra or r.detail)
        mark = paint("ok", "ok ") if r.verdict == "refuted" else paint("!!", "!! ")
    else:
        if r.verdict in ("unknown", "refuted"):
            extra = "; ".join(x for x in (extra, cx, r.detail) if x)
        elif r.gap:
            extra = f"{extra}; gap {r.gap}" if extra else f"gap {r.gap}"
        mark = "   "
    return f"  {mark}{tag} {r.id:<{width}} {_digits(r)} {r.seconds:6.2f}s  {extra}".rstrip()


def statement_lines(claim, indent: int = 7) -> list[str]:
    """``--verbose``: what the claim states (its LaTeX on one line) and its hypotheses."""
    pad = " " * indent
    out = [f"{pad}states: {' '.join(claim.statement.split())}"]
    if claim.hypotheses:
        out.append(f"{pad}assuming: " + "; ".join(" ".join(h.split()) for h in claim.hypotheses))
    return out


def erratum_lines(e, paint=_plain) -> list[str]:
    word = "confirmed" if e.ok else "NOT CONFIRMED"
    return [f"  {paint(word)} {e.id}: {e.evidence}"]


def erratum_block(slug: str, e, paint=_plain) -> list[str]:
    """The ``errata`` command's lines for one erratum result."""
    word = "confirmed" if e.ok else "NOT CONFIRMED"
    out = [f"{slug}/{e.id} [{paint(word)}]",
           f"  post says: {e.post_says}", f"  correct:   {e.correct}", f"  evidence:  {e.evidence}"]
    return out + ([f"  note:      {e.note}"] if e.note else [])


def check_lines(r, paint=_plain) -> list[str]:
    """The ``check`` command's verdict line (and, when unknown, the reason)."""
    how = r.method or r.detail
    cx = describe_counterexample(r.counterexample)
    d = whole_digits(r.digits) if r.ok else None
    line = (paint(r.verdict.value) + (f" ({d} digits)" if d is not None else "")
            + (f" by {how}" if how and r.verdict != "refuted" else "") + (f": {cx}" if cx else "")
            + f"  [{r.seconds:.2f}s]")
    return [line] + ([f"  {r.detail}"] if r.verdict == "unknown" and r.detail and r.detail != how else [])


def summary_line(res, paint=_plain) -> str:
    """A derivation's verdict with its counts (the same words as the report's pages)."""
    n_ok = sum(c.ok for c in res.claims)
    by = {}
    for c in res.claims:
        by[c.verdict.value] = by.get(c.verdict.value, 0) + 1
    counts = ", ".join(f"{v} {k}" for k, v in sorted(by.items()))
    ctl = sum(c.verdict == "refuted" for c in res.negative_controls)
    err = sum(e.ok for e in res.errata)
    tail = f"; errata confirmed {err}/{len(res.errata)}" if res.errata else ""
    return (f"{res.slug}: {paint(res.verdict.value, res.verdict.value.upper())}  ({n_ok}/{len(res.claims)} claims ok: "
            f"{counts}; negative controls refuted {ctl}/{len(res.negative_controls)}{tail})  {res.seconds:.2f}s"
            + (" (cached: sources unchanged since verified)" if res.cached else ""))


def latex_claims(d, document: bool = False) -> str:
    """The derivation's claims (one ``align*`` each) and derived results as LaTeX."""
    out = [f"% {d.title}", f"% {d.source} ({d.date})", f"\\section*{{{escaped(d.title)}}}"]
    for c in d.claims:
        out.append(f"\\paragraph{{{tex_escape(c.id)}}}")
        if c.hypotheses:
            out.append("Hypotheses: " + "; ".join(f"${h}$" for h in c.hypotheses) + ".")
        out.append("\\begin{align*}\n" + c.statement + "\n\\end{align*}")
    results = derived_results(d)  # a failing hook is one labelled line, not a failed document
    if results:
        out.append("\\subsection*{Derived results}")
        for label, tex in results:
            out.append(f"\\paragraph{{{tex_parts(label_parts(str(label)))}}}")
            out.append("\\begin{align*}\n" + tex + "\n\\end{align*}")
    if d.errata:
        out.append("\\subsection*{Errata}")
        for e in d.errata:
            out.append(f"\\paragraph{{{tex_escape(e.id)}}} The post says")
            out.append("\\begin{align*}\n" + e.post_says.statement + "\n\\end{align*}")
            out.append("which is false; correct:")
            out.append("\\begin{align*}\n" + e.correct.statement + "\n\\end{align*}")
    body = "\n".join(out)
    if not document:
        return body
    return PREAMBLE + body + "\n\\end{document}\n"


PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\setcounter{MaxMatrixCols}{64}
\begin{document}
"""


_PSMALL = re.compile(r"\\begin\{([pbBvV])smallmatrix\}(.*?)\\end\{\1smallmatrix\}", re.S)
_FENCE = {"p": ("(", ")"), "b": ("[", "]"), "B": (r"\{", r"\}"), "v": ("|", "|"), "V": (r"\|", r"\|")}


def web_tex(tex: str) -> str:
    """LaTeX for KaTeX and GitHub's MathJax: mathtools' ``psmallmatrix`` and friends (which
    neither knows) become ``smallmatrix`` between fences."""
    def fence(m):
        lo, hi = _FENCE[m.group(1)]
        return rf"\left{lo}\begin{{smallmatrix}}{m.group(2)}\end{{smallmatrix}}\right{hi}"
    while _PSMALL.search(tex):
        tex = _PSMALL.sub(fence, tex)
    return tex


def _top_level(tex: str) -> str:
    """``tex`` without the insides of its environments (a matrix's ``&`` is not an
    alignment point of the statement)."""
    out, depth = [], 0
    for part in re.split(r"(\\begin\{[^}]*\}|\\end\{[^}]*\})", tex):
        if part.startswith("\\begin{"):
            depth += 1
        elif part.startswith("\\end{"):
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(part)
    return "".join(out)


def display_tex(stmt: str) -> str:
    """A claim statement (written for ``align*``) as one display formula: wrapped in
    ``aligned`` when it has alignment points or line breaks of its own."""
    stmt = web_tex(stmt.strip())
    top = _top_level(stmt)
    if "&" in top.replace("\\&", "") or "\\\\" in top:
        return "\\begin{aligned}\n" + stmt + "\n\\end{aligned}"
    return stmt


def describe_cx(cx) -> str:
    return describe_counterexample(cx) if isinstance(cx, dict) else ""


def digits_text(c: dict) -> str:
    """Agreeing digits of a claim's JSON (an ok verdict), else ``-``."""
    d = whole_digits(c.get("digits")) if c["verdict"] in OK_VERDICTS else None
    return "-" if d is None else str(d)
