"""Text and LaTeX renderings of derivations and verification results."""
from __future__ import annotations

from numeric.identity import describe_counterexample

_MARK = {"proved": "proved   ", "certified": "certified", "checked": "checked  ",
         "refuted": "refuted  ", "unknown": "unknown  "}


def _digits(r) -> str:
    ok = r.ok
    return f"{r.digits:>5.0f} dig" if ok and r.digits is not None else "    -    "


def claim_line(r, control: bool = False) -> str:
    """One line per claim: verdict, id, agreeing digits, time, method (and why, if not ok)."""
    tag = _MARK.get(r.verdict, r.verdict)
    extra = r.method or ""
    if control:
        cx = describe_counterexample(r.counterexample)
        extra = (extra + ": " if extra else "") + cx if cx else (extra or r.detail)
        ok = "ok " if r.verdict == "refuted" else "!! "
        return f"  {ok}{tag} {r.id:<28} {_digits(r)} {r.seconds:6.2f}s  {extra}"
    if r.verdict in ("unknown", "refuted"):
        cx = describe_counterexample(r.counterexample)
        extra = "; ".join(x for x in (extra, cx, r.detail) if x)
    elif r.gap:
        extra = f"{extra}; gap {r.gap}" if extra else f"gap {r.gap}"
    return f"  {tag} {r.id:<31} {_digits(r)} {r.seconds:6.2f}s  {extra}"


def erratum_lines(e) -> list[str]:
    ok = "ok " if e.ok else "!! "
    return [f"  {ok}{e.id}: {e.evidence}"]


def summary_line(res) -> str:
    n_ok = sum(c.ok for c in res.claims)
    by = {}
    for c in res.claims:
        by[c.verdict.value] = by.get(c.verdict.value, 0) + 1
    counts = ", ".join(f"{v} {k}" for k, v in sorted(by.items()))
    ctl = sum(c.verdict == "refuted" for c in res.negative_controls)
    err = sum(e.ok for e in res.errata)
    tail = f"; errata {err}/{len(res.errata)} confirmed" if res.errata else ""
    return (f"{res.slug}: {res.verdict.value.upper()}  ({n_ok}/{len(res.claims)} claims ok: {counts}; "
            f"controls refuted {ctl}/{len(res.negative_controls)}{tail})  {res.seconds:.2f}s")


def latex_claims(d, document: bool = False) -> str:
    """The derivation's claims (one ``align*`` each) and derived results as LaTeX."""
    out = [f"% {d.title}", f"% {d.source} ({d.date})", f"\\section*{{{_tex_escape(d.title)}}}"]
    for c in d.claims:
        out.append(f"\\paragraph{{{_tex_escape(c.id)}}}")
        if c.hypotheses:
            out.append("Hypotheses: " + "; ".join(f"${h}$" for h in c.hypotheses) + ".")
        out.append("\\begin{align*}\n" + c.statement + "\n\\end{align*}")
    if d.results is not None:
        out.append("\\subsection*{Derived results}")
        for label, tex in d.results():
            out.append(f"\\paragraph{{{_tex_escape(label)}}}")
            out.append("\\begin{align*}\n" + tex + "\n\\end{align*}")
    if d.errata:
        out.append("\\subsection*{Errata}")
        for e in d.errata:
            out.append(f"\\paragraph{{{_tex_escape(e.id)}}} The post says")
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


def _tex_escape(s: str) -> str:
    for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"),
                 ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\textasciitilde{}"), ("^", r"\^{}")):
        s = s.replace(a, b) if a != "\\" else s.replace(a, "\x00")
    return s.replace("\x00", r"\textbackslash{}")
