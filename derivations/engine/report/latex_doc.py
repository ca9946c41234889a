"""One standalone LaTeX document for the whole catalog, and its PDF (latexmk, when present).

The body of each derivation is :func:`derivations.engine.render.latex_claims` (one
``align*`` per claim), annotated with the verdicts; the negative controls, the evidence for
each erratum and the figures are added after it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess

from derivations.engine.prose import escaped, tex_escape, tex_text
from derivations.engine.render import latex_claims
from derivations.engine.report.model import (VERDICTS, claim_counts, controls_refuted, describe_cx, digits_text,
                                             errata_confirmed, plain, tally)

PREAMBLE = r"""\documentclass[11pt]{article}
\input{glyphtounicode}\pdfgentounicode=1
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb,mathtools}
\usepackage{xcolor,graphicx,url,adjustbox}
\usepackage[hidelinks]{hyperref}
\setcounter{MaxMatrixCols}{64}
\sloppy
\allowdisplaybreaks
\definecolor{vproved}{HTML}{1A7F37}
\definecolor{vcertified}{HTML}{0550AE}
\definecolor{vchecked}{HTML}{2F8F5B}
\definecolor{vrefuted}{HTML}{CF222E}
\definecolor{vunknown}{HTML}{6E7781}
\definecolor{vconfirmed}{HTML}{1A7F37}
\definecolor{vnotconfirmed}{HTML}{CF222E}
% \verdict{verdict}{how}: the verdict of the claim whose \paragraph precedes it
\newcommand{\verdict}[2]{\textcolor{v#1}{\textsf{\textbf{#1}}}\quad{\small #2}\par}
\title{stepcheck: verified derivations}
\date{@DATE@}
\begin{document}
\maketitle
"""

def tex_plain(s: str) -> str:
    """Evidence and counterexamples (numbers, never LaTeX) escaped."""
    return escaped(plain(s))


def _how(c: dict) -> str:
    parts = [c.get("method") or ""]
    if c["verdict"] in ("proved", "certified", "checked") and c.get("digits") is not None:
        parts.append(f"{digits_text(c)} digits")
    if c.get("gap"):
        parts.append(f"gap {c['gap']}")
    cx = describe_cx(c.get("counterexample"))
    if cx:
        parts.append(cx)
    elif c["verdict"] == "unknown" and c.get("detail"):
        parts.append(c["detail"])
    parts.append(f"{c['seconds']:.2f} s")
    return tex_plain("; ".join(p for p in parts if p))


def _annotate(body: str, e: dict) -> str:
    claims = {tex_escape(c["id"]): c for c in e["claims"]}
    errata = {tex_escape(x["id"]): x for x in e["errata"]}
    out, mode, pending, after_correct = [], "claims", None, False
    for line in body.split("\n"):
        out.append(line)
        if line.startswith("\\section*{"):
            out.append(f"\\addcontentsline{{toc}}{{section}}{{{line[len('section*{') + 1:-1]}}}")
            out.append(f"\\noindent\\url{{{e['source']}}} ({tex_text(e.get('date', ''))})\\par")
            out.append(f"\\noindent Verdict: \\textbf{{{e['verdict']}}}; {tally(e)}; {e['seconds']:.2f}\\,s.\\par")
            if e.get("summary"):
                out.append(tex_text(e["summary"]) + "\\par")
        elif line == "\\subsection*{Derived results}":
            mode = "results"
        elif line == "\\subsection*{Errata}":
            mode = "errata"
        elif mode == "claims" and line.startswith("\\paragraph{") and line.endswith("}"):
            c = claims.get(line[len("\\paragraph{"):-1])
            if c is not None:
                out.append(f"\\verdict{{{c['verdict']}}}{{{_how(c)}}}")
        elif mode == "errata" and line.startswith("\\paragraph{"):
            key = line[len("\\paragraph{"):].split("}", 1)[0]
            pending, after_correct = errata.get(key), False
        elif mode == "errata" and pending is not None and line.startswith("which is false"):
            after_correct = True
        elif mode == "errata" and pending is not None and after_correct and line == "\\end{align*}":
            word = "confirmed" if pending["ok"] else "notconfirmed"
            out.append(f"\\verdict{{{word}}}{{{tex_plain(pending['evidence'])}}}")
            if pending.get("note"):
                out.append(tex_text(pending["note"]) + "\\par")
            pending = None
    return "\n".join(out)


def derivation_tex(d, e: dict) -> str:
    """The annotated LaTeX of one derivation (no preamble)."""
    out = [_annotate(latex_claims(d), e)]
    if e["negative_controls"]:
        out.append("\\subsection*{Negative controls (each must be refuted)}")
        for c in e["negative_controls"]:
            out.append(f"\\paragraph{{{tex_escape(c['id'])}}}")
            out.append(f"\\verdict{{{c['verdict']}}}{{{_how(c)}}}")
            out.append("\\begin{align*}\n" + c["statement"] + "\n\\end{align*}")
    if e.get("figures"):
        out.append("\\subsection*{Figures}")
        for k, f in enumerate(e["figures"], 1):
            fname = f["png"]
            out.append("\\begin{center}\n"
                       f"\\IfFileExists{{{fname}}}{{\\includegraphics[width=0.85\\linewidth]{{{fname}}}}}"
                       f"{{\\fbox{{figure {tex_escape(fname)} missing}}}}\\\\[0.5ex]\n"
                       f"\\parbox{{0.85\\linewidth}}{{\\small \\textbf{{Figure {k}.}} {tex_text(f['caption'])}}}\n"
                       "\\end{center}")
    return _fitted("\n".join(out))


_ALIGN = re.compile(r"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}", re.S)


def _fitted(tex: str) -> str:
    """Every displayed statement shrunk to the text width when it is wider (never enlarged): a
    long formula is read smaller rather than cut off at the margin."""
    return _ALIGN.sub(lambda m: "\\begin{center}\\adjustbox{max width=\\linewidth}{$\\displaystyle\\begin{aligned}\n"
                      + m[1] + "\n\\end{aligned}$}\\end{center}", tex)


def catalog_document(pairs: list, meta: dict) -> str:
    """A standalone document: an overview table, then every derivation of ``pairs``
    (``[(derivation, entry), ...]``)."""
    rows = []
    for _, e in pairs:
        by = claim_counts(e)
        ctl, n_ctl = controls_refuted(e)
        err, n_err = errata_confirmed(e)
        rows.append(f"{tex_escape(e['slug'])} & {e['verdict']} & {len(e['claims'])} & "
                    + " & ".join(str(by[v]) for v in VERDICTS) + f" & {ctl}/{n_ctl} & {err}/{n_err} & "
                    f"{e['seconds']:.1f} \\\\")
    cols = "ll" + "r" * (1 + len(VERDICTS) + 3)  # slug, verdict; claims, one per verdict, controls, errata, seconds
    head = ("\\noindent Numeric checks to " + str(meta["digits"]) + f" digits, seed {meta['seed']}, "
            f"{meta['timeout']:g}\\,s per claim and phase.\\par\n"
            f"\\begin{{center}}\\small\\begin{{tabular}}{{{cols}}}\n"
            "derivation & verdict & claims & " + " & ".join(VERDICTS) + " & controls & errata & s \\\\ \\hline\n"
            + "\n".join(rows) + "\n\\end{tabular}\\end{center}\n\\tableofcontents\n")
    body = "\n\\clearpage\n".join(derivation_tex(d, e) for d, e in pairs)
    tool = meta.get("tool") or {}
    date = escaped(f"stepcheck {tool.get('version', '')}, {meta.get('date', '')}")
    return PREAMBLE.replace("@DATE@", date) + head + "\\clearpage\n" + body + "\n\\end{document}\n"


def latexmk() -> str | None:
    """The latexmk program (with pdflatex), or ``None`` when TeX is not installed."""
    exe = shutil.which("latexmk")
    return exe if exe is not None and shutil.which("pdflatex") is not None else None


AUX = (".aux", ".fls", ".fdb_latexmk", ".out", ".toc")


def compile_pdf(outdir: str, name: str = "catalog.tex", timeout: float = 600.0) -> tuple[bool, str]:
    """Run latexmk on ``outdir/name``: ``(ok, one-line message)``.  The auxiliary files go; the
    log stays when the PDF could not be built (the message names it, relative to the report)."""
    exe = latexmk()
    base = name[:-4]
    if exe is None:
        return False, f"latexmk not found: wrote {name}, no PDF"
    try:
        proc = subprocess.run([exe, "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-quiet", name],
                              cwd=outdir, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"latexmk did not finish within {timeout:g} s: wrote {name}, no PDF"
    ok = proc.returncode == 0 and os.path.exists(os.path.join(outdir, base + ".pdf"))
    for ext in AUX + ((".log",) if ok else ()):
        try:
            os.remove(os.path.join(outdir, base + ext))
        except OSError:
            pass
    if ok:
        return True, f"wrote {base}.pdf"
    return False, f"latexmk failed (exit {proc.returncode}): see {base}.log in the report"
