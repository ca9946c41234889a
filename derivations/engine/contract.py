r"""The JSON contract: what every ``--json`` output and a report's ``results.json`` contain.

One place decides the shape of what leaves the engine as JSON (the schema is
``stepcheck/schema/results.schema.json``; its version is :data:`SCHEMA_VERSION`):

* every document starts with :func:`envelope`: ``schema_version``, ``tool`` (name and version),
  ``command`` and the ``settings`` the command ran with;
* numbers are JSON numbers: ``digits`` an integer or ``null`` (never negative), ``gap`` a
  number or ``null``, ``seconds`` a number;
* every counterexample, whatever found it, has one shape (:func:`counterexample`)::

      {"kind": "exact" | "numeric" | "ball" | "standard-error" | "tolerance" | "witness",
       "at": {name: value}, "lhs": value, "rhs": value, "difference": value,
       "part": label | null, "entry": [i, j] | null, "dps": int | null, "text": "one line"}

  where a *value* is a decimal string with every digit the engine printed (``"0.8848"``,
  ``"-1.2e-140"``, ``"inf"``), a complex number ``{"re": "...", "im": "..."}`` of such strings,
  a list of values (a vector; a matrix is a list of rows), or ``null`` when the engine kept no
  number (an exact refutation, a Monte Carlo band, a counterexample described in words).

The engine builds its counterexample dicts where it finds them (``numeric.identity``, the
ball arithmetic, the standard-error rule, the symbolic phase, claims' own evidence); only this
module turns them into the contract, so that changing one producer cannot change the JSON.
"""
from __future__ import annotations

import math
import re

SCHEMA_VERSION = "1.1"
KINDS = ("exact", "numeric", "ball", "standard-error", "tolerance", "witness")
FIELDS = ("kind", "at", "lhs", "rhs", "difference", "part", "entry", "dps", "text")  # of every counterexample

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
_SPECIAL = {"+inf": "inf", "inf": "inf", "-inf": "-inf", "nan": "nan", "+nan": "nan", "-nan": "nan"}
_COMPLEX = re.compile(r"\((\S+) ([+-]) (\S+)j\)\Z")


def tool(version: str) -> dict:
    """The tool that wrote a document.  Its ``version`` is the caller's (``stepcheck.__version__``):
    the engine sits below the package that names the tool and never imports it."""
    return {"name": "stepcheck", "version": str(version)}


def envelope(command: str, settings: dict, *, version: str, **fields) -> dict:
    """The head of every JSON document: schema version, tool (of ``version``), command and settings,
    then ``fields``."""
    return {"schema_version": SCHEMA_VERSION, "tool": tool(version), "command": command, "settings": dict(settings),
            **fields}


def settings(digits: int, seed: int, timeout: float, jobs: int | None = None, **more) -> dict:
    """The settings a command ran with, as JSON numbers."""
    out = {"digits": int(digits), "seed": int(seed), "timeout": float(timeout)}
    if jobs is not None:
        out["jobs"] = int(jobs)
    out.update(more)
    return out


# -- numbers ------------------------------------------------------------------------------------
def digits(d) -> int | None:
    """Agreeing digits as a JSON integer: the whole digits that agree (``48.7`` -> 48), never
    negative; ``None`` when the check measured none."""
    if d is None:
        return None
    d = float(d)
    if not math.isfinite(d):
        return None
    return max(0, math.floor(d + 1e-9))


def gap(text) -> float | None:
    """An approximation's measured gap as a number: the largest of the parts' gaps
    (``"0.1078, 0.003"`` -> 0.1078)."""
    if text is None or text == "":
        return None
    if isinstance(text, (int, float)):
        return float(text)
    values = []
    for part in str(text).split(","):
        v = decimal(part)
        if isinstance(v, str) and v not in ("nan",):
            values.append(float(v))
    return max(values) if values else None


def decimal(text) -> str | None:
    """``text`` as a decimal string when it is one (``"+inf"`` -> ``"inf"``), else ``None``."""
    t = str(text).strip()
    if t.lower() in _SPECIAL:
        return _SPECIAL[t.lower()]
    if _DECIMAL.match(t):
        return t[1:] if t.startswith("+") else t
    return None


def value(v):
    """A number the engine printed (``numeric.counterexamples.fmt``: ``"1.5"``, ``"(1.0 - 2.0j)"``,
    ``"[1.0, 2.0; 3.0, 4.0]"``, ``"(1.0, 2.0)"``), or a number object, as a contract value
    (module docstring); ``None`` when it holds no number (``"<4x4 matrix>"``)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return None
    if isinstance(v, int) or getattr(v, "is_Integer", False):
        return str(int(v))
    if isinstance(v, float):
        return decimal(repr(v))
    if isinstance(v, complex):
        return {"re": decimal(repr(v.real)), "im": decimal(repr(v.imag))}
    if isinstance(v, (list, tuple)):
        return [value(x) for x in v]
    if not isinstance(v, str):
        return _number_object(v)
    t = v.strip()
    d = decimal(t)
    if d is not None:
        return d
    m = _COMPLEX.match(t)
    if m and decimal(m[1]) is not None and decimal(m[3]) is not None:
        im = decimal(m[3])
        return {"re": decimal(m[1]), "im": im if m[2] == "+" else _negate(im)}
    if t.startswith("[") and t.endswith("]"):
        rows = [_entries(row) for row in t[1:-1].split(";")]
        return None if any(r is None for r in rows) else rows
    if t.startswith("(") and t.endswith(")") and "," in t:
        return _entries(t[1:-1])
    return None


def _entries(row: str):
    out = [value(x) for x in row.split(",")]
    return None if any(x is None for x in out) else out


def _negate(d: str) -> str:
    return d[1:] if d.startswith("-") else ("-" + d if d != "nan" else d)


def _number_object(v):
    """An mpmath or SymPy number (a pointwise witness) at 15 digits."""
    try:
        import mpmath
        x = mpmath.mpmathify(v)
    except (TypeError, ValueError):
        try:
            import sympy as sp
            x = mpmath.mpmathify(str(sp.N(v, 15)))
        except Exception:
            return None
    if isinstance(x, mpmath.mpc):
        return {"re": decimal(mpmath.nstr(x.real, 15)), "im": decimal(mpmath.nstr(x.imag, 15))}
    return decimal(mpmath.nstr(x, 15))


# -- counterexamples ----------------------------------------------------------------------------
def counterexample_kind(cx: dict, symbolic: str | None = None) -> str:
    """What found the counterexample ``cx`` (a dict as the engine builds it):

    * ``exact``: the symbolic phase (an exact nonzero difference, an exact margin of the wrong
      sign, a point of a finite domain, different shapes);
    * ``numeric``: two working precisions agreeing on a disagreement confirmed at a third
      (``numeric.counterexamples.counterexample``), or a margin of the wrong sign at two precisions;
    * ``ball``: disjoint Arb enclosures (rigorous);
    * ``standard-error``: a Monte Carlo estimate beyond the standard-error band;
    * ``tolerance``: an approximation's gap beyond the stated tolerance;
    * ``witness``: a counterexample a claim's own evidence describes in words.
    """
    if cx.get("kind") in KINDS:
        return cx["kind"]
    if symbolic == "refuted":  # the verdict's witness is the symbolic phase's, whatever numbers it carries
        return "exact"
    text = str(cx.get("text", ""))
    if "Arb enclosures" in text or "rigorously violated" in text:
        return "ball"
    if "lhs" in cx and "rhs" in cx:
        return "numeric"
    if re.search(r"\bSE\b", text) and ("SE apart" in text or "beyond" in text):
        return "standard-error"
    if re.search(r"\bgap \S+ > tolerance\b", text):
        return "tolerance"
    if re.search(r"\bviolated: lhs .* vs rhs .*\(margin ", text):
        return "numeric"
    return "witness"


def counterexample(cx, symbolic: str | None = None) -> dict | None:
    """The one JSON shape of a counterexample (module docstring) from any dict the engine builds;
    ``symbolic`` is the claim's symbolic status (``refuted`` marks an exact witness)."""
    if not cx:
        return None
    if not isinstance(cx, dict):
        return {"kind": "witness", "at": {}, "lhs": None, "rhs": None, "difference": None, "part": None,
                "entry": None, "dps": None, "text": str(cx)}
    if cx.get("kind") in KINDS and set(cx) == set(FIELDS):
        return dict(cx)  # already in the contract's shape (normalising twice changes nothing)
    from numeric.counterexamples import describe_counterexample
    worst = cx.get("worst") or {}
    at = cx.get("at") or {}
    dps = cx.get("dps")
    return {
        "kind": counterexample_kind(cx, symbolic),
        "at": {str(k): value(v) for k, v in at.items()} if isinstance(at, dict) else {},
        "lhs": value(worst.get("lhs", cx.get("lhs"))),
        "rhs": value(worst.get("rhs", cx.get("rhs"))),
        "difference": value(cx.get("difference")) if not worst else None,
        "part": cx.get("part"),
        "entry": [int(i) for i in worst["entry"]] if worst.get("entry") is not None else None,
        "dps": int(dps) if isinstance(dps, (int, float)) and not isinstance(dps, bool) else None,
        "text": describe_counterexample(cx),
    }


# -- results ------------------------------------------------------------------------------------
def claim(r) -> dict:
    """A :class:`~derivations.engine.verdicts.ClaimResult` as JSON."""
    return {
        "id": r.id, "statement": r.statement, "kind": r.kind, "verdict": r.verdict.value,
        "symbolic": r.symbolic, "numeric": r.numeric, "digits": digits(r.digits), "seconds": float(r.seconds),
        "method": r.method, "detail": r.detail, "counterexample": counterexample(r.counterexample, r.symbolic),
        "gap": gap(r.gap), "hypotheses": list(r.hypotheses), "uses": list(r.uses),
        "oracles": [oracle(o) for o in r.oracles],
    }


def oracle(o: dict) -> dict:
    return {"name": str(o.get("name", "")), "side": o.get("side"), "status": o.get("status", "unknown"),
            "digits": digits(o.get("digits")), "detail": str(o.get("detail", ""))}
