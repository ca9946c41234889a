"""The catalog: one module per post, registered here by one line each; and how any derivation
(a catalog slug, a third-party catalog's slug, a module, a file) is loaded.

Importing this package is cheap (no SymPy); a derivation module is imported only when its
slug is asked for.  :data:`METADATA` keeps the built-in posts' slug, title, date and number
of claims readable without importing them (``stepcheck list``); a test compares it with each
post's ``DERIVATION``.

Third-party catalogs register in the entry-point group ``stepcheck.derivations`` (see
:func:`plugins`); their slugs follow the built-in ones in :func:`slugs` and :func:`load`.
Loading a user's module turns every way it can fail (a syntax error, an import that fails,
no ``DERIVATION``, a ``DERIVATION`` that is not a :class:`~derivations.engine.claims.Derivation`)
into one line (:class:`ModuleError`, exit status 2).
"""
from __future__ import annotations

import importlib
import os
import sys
from typing import NamedTuple

from derivations.engine.errors import BadInput, UnknownDerivation

# slug -> module (the one line of registration a new derivation needs); the named posts first,
# then the catalog cards in the order of ../shared/spec/catalog.md
CATALOG = {
    "hippo": "derivations.hippo",
    "rope": "derivations.rope",
    "attention-scale": "derivations.attention_scale",
    "batch-size-lr": "derivations.batch_size_lr",
    "adam-epsilon": "derivations.adam_epsilon",
    "sgd-average-loss": "derivations.sgd_average_loss",
    "integral-test": "derivations.integral_test",
    "lora-plus": "derivations.lora_plus",
    "topk": "derivations.topk",
    "svd": "derivations.svd",
    "cr": "derivations.cr",
    "id": "derivations.interp_decomp",
    "rot": "derivations.rot",
    "simvq": "derivations.simvq",
    "fsq": "derivations.fsq",
    "mla": "derivations.mla",
    "attnrnn": "derivations.attnrnn",
    "prenorm": "derivations.prenorm",
    "lion": "derivations.lion",
    "gflow": "derivations.gflow",
    "reflow": "derivations.reflow",
    "sid1": "derivations.sid1",
    "sid2": "derivations.sid2",
    "shortcut": "derivations.shortcut",
    "upsample": "derivations.upsample",
}


class Info(NamedTuple):
    """What ``stepcheck list`` shows of a derivation."""

    slug: str
    title: str
    date: str
    claims: int


# slug -> (title, date, number of claims) of each built-in post, so that ``list`` imports no post
# (and no SymPy); tests/cli/test_loading.py compares every row with the post's DERIVATION.
METADATA = {
    "hippo": ("HiPPO: Legendre projections of a signal's history obey a linear ODE (LegT, LegS)", "2024-05-24", 34),
    "rope": ("Rotary position embedding: relative property, decay bound, RoPE-2D and RoPE-Tie", "2021-03-23", 27),
    "attention-scale": ("The attention scale from gradient maximisation: Var[q.k]=d, softmax gradient, "
                        "Lambert-W optimum", "2023-10-22", 21),
    "batch-size-lr": ("When the batch size grows, how should the learning rate follow? (SGD and SignSGD)",
                      "2024-11-14", 23),
    "adam-epsilon": ("How does Adam's epsilon affect the scaling law of the learning rate? (SoftSignSGD)",
                     "2024-11-18", 17),
    "sgd-average-loss": ("Convergence of SGD's average loss (regret) for convex losses", "2023-12-19", 23),
    "integral-test": ("The integral test for infinite series (and what the post leaves out)", "2009-08-12", 26),
    "lora-plus": ("LoRA+: why the two LoRA factors want different learning rates", "2024-02-27", 11),
    "topk": ("Softmax sequel: smooth approximations of Top-K", "2024-09-19", 15),
    "svd": ("Low-rank approximation II: SVD", "2024-10-01", 8),
    "cr": ("Low-rank approximation III: CR (column-row sampling)", "2024-10-11", 8),
    "id": ("Low-rank approximation IV: ID (interpolative decomposition)", "2024-10-30", 5),
    "rot": ("The rotation trick: generalising the straight-through estimator", "2024-10-24", 5),
    "simvq": ("Another VQ trick: a linear map on the codebook (SimVQ)", "2024-11-06", 4),
    "fsq": ("Embarrassingly simple FSQ: rounding beats VQ-VAE", "2023-10-31", 6),
    "mla": ("Cache vs quality: from MHA, MQA, GQA to MLA", "2024-05-13", 6),
    "attnrnn": ("Attention as a quadratic-complexity RNN", "2024-03-18", 5),
    "prenorm": ("Why Pre Norm underperforms Post Norm", "2022-03-29", 9),
    "lion": ("Embedding anomalies under Lion/Tiger training and their remedies", "2023-08-28", 7),
    "gflow": ("Gradient flow: exploring the path to the minimum", "2023-06-16", 17),
    "reflow": ("Generative diffusion models (20): from ReFlow to WGAN-GP", "2023-06-28", 9),
    "sid1": ("Generative diffusion models (25): identity-based distillation (part I)", "2024-05-01", 8),
    "sid2": ("Generative diffusion models (26): identity-based distillation (part II): why lambda=0.5 and "
             "lambda=1", "2024-11-22", 6),
    "shortcut": ("Generative diffusion models (27): the step size as a conditioning input (Shortcut models)",
                 "2024-12-15", 8),
    "upsample": ("Generative diffusion models (23): signal-to-noise ratio and high-resolution generation "
                 "(part II)", "2024-04-17", 10),
}

ENTRY_POINT_GROUP = "stepcheck.derivations"


class ModuleError(BadInput):
    """A user's derivation module that cannot be loaded (one line: where and why)."""


# -- third-party catalogs ---------------------------------------------------------------------
def plugins() -> tuple[dict, list]:
    """``({slug: module name}, problems)`` of the installed third-party catalogs.

    Each entry point of the group ``stepcheck.derivations`` is either

    * ``slug = package.module``: a module defining ``DERIVATION`` (the entry point's name is
      its slug), or
    * ``name = package.module:OBJECT``: an object mapping slugs to module names (a catalog
      like :data:`CATALOG`; loading it imports ``package.module``).

    A slug already taken (by the built-in catalog or an earlier entry point), or an object
    that cannot be loaded or is not such a mapping, is skipped and reported in ``problems``
    (one line each).
    """
    from importlib.metadata import entry_points
    found: dict[str, str] = {}
    problems: list[str] = []
    eps = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: (ep.value, ep.name))
    for ep in eps:
        if ep.attr is None:
            pairs = [(ep.name, ep.module)]
        else:
            try:
                mapping = ep.load()
            except Exception as exc:  # a broken third-party package must not break the built-in catalog
                problems.append(f"entry point {ep.name} = {ep.value}: {_one_line(exc)}")
                continue
            if not (isinstance(mapping, dict) and all(isinstance(k, str) and isinstance(v, str)
                                                      for k, v in mapping.items())):
                problems.append(f"entry point {ep.name} = {ep.value}: not a mapping of slugs to module names")
                continue
            pairs = list(mapping.items())
        for slug, module in pairs:
            if slug in CATALOG or slug in found:
                problems.append(f"entry point {ep.name} = {ep.value}: slug {slug!r} is already taken; skipped")
            else:
                found[slug] = module
    return found, problems


def catalog() -> dict:
    """slug -> module name: the built-in catalog, then the third-party ones."""
    return {**CATALOG, **plugins()[0]}


def slugs() -> list[str]:
    return list(catalog())


def load(slug: str):
    """The :class:`~derivations.engine.claims.Derivation` registered under ``slug``."""
    modules = CATALOG if slug in CATALOG else catalog()
    if slug not in modules:
        raise UnknownDerivation(unknown_slug_message(slug, list(modules)))
    d = load_module(modules[slug])
    if d.slug != slug:
        raise ModuleError(f"{slug!r} is registered for module {modules[slug]}, whose DERIVATION has the slug "
                          f"{d.slug!r}")
    return d


def unknown_slug_message(slug: str, known: list) -> str:
    """``unknown derivation 'hipo'; did you mean 'hippo'? (...)``: the closest slugs, and where
    the whole list is (a catalog of 25 slugs on one line helps nobody)."""
    import difflib
    close = difflib.get_close_matches(slug, known, n=3, cutoff=0.6)
    close += [k for k in known if slug and (k.startswith(slug) or slug in k) and k not in close][:3 - len(close)]
    hint = f"; did you mean {' or '.join(repr(k) for k in close)}?" if close else ""
    rest = f"known: {', '.join(known)}" if len(known) <= 6 else f"'stepcheck list' shows all {len(known)}"
    return f"unknown derivation {slug!r}{hint} ({rest})"


def info(slug: str) -> Info:
    """Slug, title, date and number of claims; read from :data:`METADATA` without importing a
    built-in post, otherwise from the loaded derivation."""
    if slug in CATALOG and slug in METADATA:
        return Info(slug, *METADATA[slug])
    d = load(slug)
    return Info(slug, d.title, d.date, len(d.claims))


# -- user modules ------------------------------------------------------------------------------
def load_module(name: str):
    """The ``DERIVATION`` of the module ``name`` (imported as usual, from ``sys.path``)."""
    try:
        module = importlib.import_module(name)
    except SyntaxError as exc:
        raise ModuleError(_syntax_error(exc)) from None
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise ModuleError(f"no module named {name!r}") from None
        raise ModuleError(f"module {name}: importing it failed: {_one_line(exc)}{_user_line(exc, _origin(name))}") \
            from None
    except (Exception, SystemExit) as exc:
        raise ModuleError(f"module {name}: importing it failed: {_one_line(exc)}{_user_line(exc, _origin(name))}") \
            from None
    return _derivation_of(module, f"module {name}")


def load_path(path) -> object:
    """The ``DERIVATION`` of the Python file ``path``, run as a module of its own.

    The file's directory goes to the front of ``sys.path`` (as when Python runs a script), so
    that the module may import its neighbours, also later, from a claim's worker."""
    import importlib.util
    import zlib
    path = os.fspath(path)
    if not os.path.exists(path):
        raise ModuleError(f"{path}: no such file")
    if not os.path.isfile(path):
        raise ModuleError(f"{path}: not a file")
    if not path.endswith(".py"):
        raise ModuleError(f"{path}: a derivation module is a .py file")
    full = os.path.abspath(path)
    try:
        with open(full, "rb") as fh:
            source = fh.read()
    except OSError as exc:
        raise ModuleError(f"{path}: cannot read it ({exc.strerror})") from None
    stem = os.path.splitext(os.path.basename(full))[0]
    # a private module name: a user's random.py must not replace the standard library's
    name = f"_stepcheck_user_{zlib.crc32(full.encode()):08x}_{''.join(c if c.isalnum() else '_' for c in stem)}"
    folder = os.path.dirname(full)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(name, full)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        code = compile(source, path, "exec")
        exec(code, module.__dict__)  # noqa: S102 -- the user's own module, as `python my_post.py` would run it
    except SyntaxError as exc:
        sys.modules.pop(name, None)
        raise ModuleError(_syntax_error(exc)) from None
    except (Exception, SystemExit) as exc:
        sys.modules.pop(name, None)
        raise ModuleError(f"{path}: importing it failed: {_one_line(exc)}{_user_line(exc, full)}") from None
    return _derivation_of(module, path)


def _derivation_of(module, where: str):
    from derivations.engine.claims import Derivation
    if not hasattr(module, "DERIVATION"):
        raise ModuleError(f"{where} defines no DERIVATION (a stepcheck Derivation)")
    d = module.DERIVATION
    if not isinstance(d, Derivation):
        raise ModuleError(f"{where}: DERIVATION is a {type(d).__name__}, not a stepcheck Derivation")
    return d


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _syntax_error(exc: SyntaxError) -> str:
    where = f"{exc.filename or '<module>'}:{exc.lineno}" if exc.lineno else (exc.filename or "<module>")
    return f"{where}: {type(exc).__name__}: {exc.msg}"


def _origin(name: str) -> str | None:
    """The file of the module ``name`` (its parent packages are imported by now), if any."""
    import importlib.util
    try:
        spec = importlib.util.find_spec(name)
    except Exception:
        return None
    return os.path.abspath(spec.origin) if spec is not None and spec.origin else None


def _user_line(exc: BaseException, filename: str | None) -> str:
    """Where in the user's file the failure happened: `` (line N)`` of its innermost frame in
    ``filename``, else nothing."""
    import traceback
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if filename is not None and os.path.abspath(frame.filename) == filename:
            return f" (line {frame.lineno})"
    return ""
