r"""Verified derivations are not verified again until something they depend on changes.

A derivation's results are a function of its post's source files, the engine's (every other
file of :mod:`derivations` and :mod:`numeric`), the interpreter's and libraries' versions, the
numeric back-ends in use, and the settings (digits, seed, timeout): the claims are
built and decided deterministically, each with its own seed, and the phases' budgets count CPU
time.  :func:`key` hashes exactly these, as Lean hashes a file's imports before checking it
again; :func:`load` returns the stored results of a derivation only under the same key, and
:func:`store` keeps only a *verified* derivation's (a failed or incomplete one is what the user
is about to change, and an unknown that ran out of budget should get its chance again).

Only the derivations of the catalog the caller names are cached (``verify`` and ``report``: the
built-in one): a user's module or a third-party catalog may import files this key cannot see.
The cache lives in ``$STEPCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/stepcheck``, else
``~/.cache/stepcheck``: one JSON file per derivation, written whole (a temporary file renamed
over it) or not at all.  Anything unreadable there, or written under another key, is a miss; a
cache that cannot be written is simply not used.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import platform
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from derivations.engine.verdicts import ClaimResult, DerivationResult, DerivationVerdict, ErratumResult

FORMAT = 1
ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("sympy", "mpmath", "numpy", "gmpy2", "python-flint", "scipy")


def directory() -> Path:
    if os.environ.get("STEPCHECK_CACHE_DIR"):
        return Path(os.environ["STEPCHECK_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stepcheck"


def _post_files(module: str, root: Path) -> list[Path]:
    """The files of a catalog module: ``derivations/x.py``, or every file of ``derivations/x/``."""
    path = root.joinpath(*module.split("."))
    return sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]


@functools.lru_cache(maxsize=4)
def _engine_digest(root: Path, modules: tuple) -> bytes:
    """Every Python file of :mod:`derivations` and :mod:`numeric` outside the posts' ``modules``."""
    posts = {f for m in modules for f in _post_files(m, root)}
    files = sorted(f for f in [*(root / "derivations").rglob("*.py"), *(root / "numeric").rglob("*.py")]
                   if f not in posts)
    return _digest(files, root)


def _digest(files, root: Path) -> bytes:
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.digest()


def _versions() -> dict:
    """The interpreter's and the libraries' versions, and the back-ends in use: whether ball
    arithmetic is (``STEPCHECK_NO_FLINT``), SymPy's ground types (``SYMPY_GROUND_TYPES``) and
    mpmath's integers (``MPMATH_NOGMPY``)."""
    import mpmath.libmp
    from sympy.external.gmpy import GROUND_TYPES

    from numeric.certify import AVAILABLE
    out = {"python": platform.python_version(), "balls": AVAILABLE, "ground_types": GROUND_TYPES,
           "mpmath_backend": mpmath.libmp.BACKEND}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def sources_key(slug: str, catalog: dict, digits: int, seed: int, timeout: float, root: Path = ROOT) -> str | None:
    """The hash of what the results of derivation ``slug`` of ``catalog`` (slug -> module) depend
    on, in the tree at ``root``."""
    settings = {"format": FORMAT, "slug": slug, "versions": _versions(),
                "settings": [int(digits), int(seed), float(timeout)]}
    try:
        parts = (_engine_digest(root, tuple(sorted(catalog.values()))),
                 _digest(_post_files(catalog[slug], root), root))
    except OSError:
        return None
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode() + b"".join(parts)).hexdigest()


def key(d, catalog: dict, digits: int, seed: int, timeout: float) -> str | None:
    """The hash the stored results of derivation ``d`` must carry to be reused; ``None`` unless
    ``d`` is the ``DERIVATION`` of its module in ``catalog`` (the built-in one, slug -> module),
    loaded from this tree (a module of the user's may reuse a slug)."""
    module = sys.modules.get(catalog[d.slug]) if d.slug in catalog else None
    if getattr(module, "DERIVATION", None) is not d or ROOT not in Path(module.__file__).resolve().parents:
        return None
    return sources_key(d.slug, catalog, digits, seed, timeout)


def _claim(d: dict) -> ClaimResult:
    return ClaimResult(**d)


def _result(d: dict) -> DerivationResult:
    errata = [ErratumResult(**{**e, "post": _claim(e["post"]), "correction": _claim(e["correction"])})
              for e in d["errata"]]
    return DerivationResult(**{**d, "claims": [_claim(c) for c in d["claims"]],
                               "negative_controls": [_claim(c) for c in d["negative_controls"]],
                               "errata": errata, "cached": True})


def load(slug: str, k: str | None) -> DerivationResult | None:
    """The results stored for ``slug`` under key ``k``, else ``None``."""
    if k is None:
        return None
    try:
        with open(directory() / f"{slug}.json", encoding="utf-8") as fh:
            stored = json.load(fh)
        if stored.get("key") != k:
            return None
        return _result(stored["result"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def store(result: DerivationResult, k: str | None) -> bool:
    """Keep a verified derivation's results under key ``k``; whether they were written."""
    if k is None or result.verdict is not DerivationVerdict.VERIFIED or result.cached:
        return False
    try:
        text = json.dumps({"key": k, "result": dataclasses.asdict(result)}, allow_nan=False)
    except (TypeError, ValueError):  # a value JSON cannot hold exactly: not cached
        return False
    folder = directory()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{result.slug}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, folder / f"{result.slug}.json")
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    return True
