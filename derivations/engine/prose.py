"""Prose, labels and their LaTeX: the text the renderings share (docstrings, summaries, notes,
captions, derived results' labels), read into parts (text, math, display, code, strong, em) that
each renderer writes its own way, and those parts as LaTeX.  Below both the command line's
renderings (:mod:`derivations.engine.render`) and the report's pages."""
from __future__ import annotations

import re


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


# -- LaTeX --------------------------------------------------------------------------------------
def tex_escape(s: str) -> str:
    """``s`` as LaTeX text: the ten characters LaTeX reserves escaped (ids, slugs, file names)."""
    for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"),
                 ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\textasciitilde{}"), ("^", r"\^{}")):
        s = s.replace(a, b) if a != "\\" else s.replace(a, "\x00")
    return s.replace("\x00", r"\textbackslash{}")


_UNICODE = {"\u2248": r"$\approx$", "\u2264": r"$\le$", "\u2265": r"$\ge$", "\u2192": r"$\to$", "\u00d7": r"$\times$",
            "\u00b7": r"$\cdot$", "\u2212": "-", "\u2013": "--", "\u2014": "---", "\u2018": "`", "\u2019": "'",
            "\u201c": "``", "\u201d": "''", "\u2026": r"\dots{}", "\u00b1": r"$\pm$", "\u221e": r"$\infty$"}


_TEXT_SYMBOLS = {"<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}  # not glyphs of the text font


def escaped(s: str) -> str:
    """Text for LaTeX: special characters escaped, non-ASCII characters outside a small table of
    symbols as ``?`` (pdflatex has no glyph for them)."""
    return "".join(_TEXT_SYMBOLS.get(ch) or _UNICODE.get(ch, ch if ord(ch) < 128 else "?") for ch in tex_escape(s))


def render_parts(parts: list, forms: dict, text) -> str:
    """:func:`prose` parts in one output format: ``forms[kind](text)`` for the kinds the format
    marks up (math, display, code, strong, em), ``text(text)`` for plain text."""
    return "".join(forms.get(kind, text)(body) for kind, body in parts)


_TEX_FORMS = {
    "math": lambda t: f"${t}$",
    "display": lambda t: f"\\[{t}\\]",
    "code": lambda t: f"\\texttt{{{escaped(t)}}}",
    "strong": lambda t: f"\\textbf{{{escaped(t)}}}",
    "em": lambda t: f"\\emph{{{escaped(t)}}}",
}


def tex_parts(parts: list) -> str:
    """:func:`prose` parts as LaTeX."""
    return render_parts(parts, _TEX_FORMS, escaped)


def tex_text(s: str) -> str:
    """Prose for LaTeX (docstrings, summaries, notes, captions): formulas kept as mathematics,
    docstring markup as LaTeX's, the rest escaped."""
    return tex_parts(prose(s))
