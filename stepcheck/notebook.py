"""Rich display of verification results in Jupyter: :func:`register` installs HTML and LaTeX
formatters for :class:`~derivations.engine.verdicts.ClaimResult` and ``DerivationResult``
(``import stepcheck`` does it when IPython is running; ``%load_ext stepcheck.notebook`` too)."""
from __future__ import annotations

import re
from html import escape

from derivations.engine.render import COLOURS, describe_cx, digits_text, display_tex


def _text(s: str) -> str:
    """Plain text inside ``\\text{...}``."""
    return re.sub(r"[\\{}$&#^_%~]", lambda m: "\\" + m.group(0) if m.group(0) in "{}$&#_%" else " ", s)


def _tag(c: dict) -> str:
    d = digits_text(c)
    return c["verdict"] + (f", {d} digits" if d != "-" else "") + (f", {c['method']}" if c.get("method") else "")


def claim_latex(r) -> str:
    c = r.to_json()
    return f"$$\\text{{{_text(c['id'])} [{_text(_tag(c))}]}}\\qquad {display_tex(c['statement'])}$$"


def derivation_latex(res) -> str:
    head = f"$$\\text{{{_text(res.slug)}: {res.verdict.value.upper()} ({res.seconds:.2f} s)}}$$"
    return "\n".join([head] + [claim_latex(r) for r in list(res.claims) + list(res.negative_controls)])


def _row(c: dict) -> str:
    fill, ink = COLOURS.get(c["verdict"], COLOURS["unknown"])
    why = describe_cx(c.get("counterexample")) or (c.get("detail") if c["verdict"] == "unknown" else "")
    return (f"<tr><td><code>{escape(c['id'])}</code></td>"
            f'<td><span style="background:{fill};color:{ink};padding:0 .4em;border-radius:.8em">'
            f"{escape(c['verdict'])}</span></td><td>{escape(c.get('method') or '')}</td>"
            f"<td>{digits_text(c)}</td><td>{c['seconds']:.2f} s</td>"
            f"<td>$$ {escape(display_tex(c['statement']))} $$"
            + (f"<div style='font-size:85%;color:#57606a'>{escape(why)}</div>" if why else "") + "</td></tr>")


_HEAD = "<tr><th>claim</th><th>verdict</th><th>method</th><th>digits</th><th>time</th><th>statement</th></tr>"


def claim_html(r) -> str:
    return f"<table>{_HEAD}{_row(r.to_json())}</table>"


def derivation_html(res) -> str:
    j = res.to_json()
    rows = [_row(c) for c in j["claims"]]
    if j["negative_controls"]:
        rows.append("<tr><th colspan='6'>negative controls (must be refuted)</th></tr>")
        rows += [_row(c) for c in j["negative_controls"]]
    errata = "".join(f"<li><b>{escape(e['id'])}</b> ({'confirmed' if e['ok'] else 'NOT confirmed'}): "
                     f"{escape(e['evidence'])}</li>" for e in j["errata"])
    return (f"<p><b>{escape(res.title)}</b> ({escape(res.slug)}): <b>{escape(res.verdict.value.upper())}</b> in "
            f"{res.seconds:.2f} s</p><table>{_HEAD}{''.join(rows)}</table>"
            + (f"<p>Errata:</p><ul>{errata}</ul>" if errata else ""))


def register(ipython) -> None:
    """Display results as tables (HTML) and formulas (LaTeX) in ``ipython``'s notebook front end."""
    from derivations.engine.verdicts import ClaimResult, DerivationResult
    formatters = ipython.display_formatter.formatters
    formatters["text/html"].for_type(ClaimResult, claim_html)
    formatters["text/html"].for_type(DerivationResult, derivation_html)
    formatters["text/latex"].for_type(ClaimResult, claim_latex)
    formatters["text/latex"].for_type(DerivationResult, derivation_latex)


load_ipython_extension = register
