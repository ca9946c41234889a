"""The catalog: one module per post, registered here by one line each.

Importing this package is cheap (no SymPy); a derivation module is imported only when its
slug is asked for.
"""
from __future__ import annotations

import importlib

from derivations.engine.errors import UnknownDerivation

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


def slugs() -> list[str]:
    return list(CATALOG)


def load(slug: str):
    """The :class:`~derivations.engine.claims.Derivation` registered under ``slug``."""
    if slug not in CATALOG:
        raise UnknownDerivation(f"unknown derivation {slug!r} (known: {', '.join(CATALOG)})")
    return importlib.import_module(CATALOG[slug]).DERIVATION
