"""The catalog: one module per post, registered here by one line each.

Importing this package is cheap (no SymPy); a derivation module is imported only when its
slug is asked for.
"""
from __future__ import annotations

import importlib

from derivations.engine.errors import UnknownDerivation

# slug -> module (the one line of registration a new derivation needs)
CATALOG = {
    "attnrnn": "derivations.attnrnn",
    "mla": "derivations.mla",
    "fsq": "derivations.fsq",
    "simvq": "derivations.simvq",
    "rot": "derivations.rot",
    "id": "derivations.interp_decomp",
    "cr": "derivations.cr",
    "svd": "derivations.svd",
    "rope": "derivations.rope",
    "attention-scale": "derivations.attention_scale",
    "topk": "derivations.topk",
    "lora-plus": "derivations.lora_plus",
    "hippo": "derivations.hippo",
    "batch-size-lr": "derivations.batch_size_lr",
    "adam-epsilon": "derivations.adam_epsilon",
    "lion": "derivations.lion",
    "reflow": "derivations.reflow",
    "shortcut": "derivations.shortcut",
    "gflow": "derivations.gflow",
    "prenorm": "derivations.prenorm",
    "sid1": "derivations.sid1",
    "sid2": "derivations.sid2",
    "upsample": "derivations.upsample",
    "sgd-average-loss": "derivations.sgd_average_loss",
    "integral-test": "derivations.integral_test",
}


def slugs() -> list[str]:
    return list(CATALOG)


def load(slug: str):
    """The :class:`~derivations.engine.claims.Derivation` registered under ``slug``."""
    if slug not in CATALOG:
        raise UnknownDerivation(f"unknown derivation {slug!r} (known: {', '.join(CATALOG)})")
    return importlib.import_module(CATALOG[slug]).DERIVATION
