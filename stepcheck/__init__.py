"""stepcheck: check derivations step by step -- which steps are proved, which are only numerically
consistent, and which are wrong (with a counterexample).

The public API (imported lazily: ``import stepcheck`` stays as cheap as the command line's start-up):

* ``verify(derivation_or_path)``, ``check(lhs, rhs, assume=..., domain=...)``, ``chain(text_or_path)``,
  and for tests written by hand ``assert_verified(derivation_or_path)``, ``assert_chain(text_or_path)``;
* the claim language: ``Derivation``, ``claim``, ``control``, ``Identity``, ``Inequality``,
  ``Approximation``, ``All``, ``family``, ``quantity``, ``Estimate``, ``Oracle``, ``stated``, ``Erratum``,
  ``Figure``, ``Hypothesis``, ``dropped`` and the domains ``real``, ``positive``, ``integers``, ``complex_box``;
* result types: ``Verdict``, ``ClaimResult``, ``ErratumResult``, ``DerivationResult``, ``ChainResult``,
  ``StepResult``.

Third-party catalogs register modules in the entry-point group ``stepcheck.derivations``; the
pytest plugin (``stepcheck.pytest_plugin``) runs derivation modules and chain files as tests.
"""
from __future__ import annotations

import sys
from importlib import import_module

__version__ = "0.2.0"

_LAZY = {
    **{name: "derivations.engine" for name in (
        "All", "Approximation", "Claim", "Derivation", "Domain", "Erratum", "Estimate", "Figure", "Hypothesis",
        "Identity", "Inequality", "Oracle", "claim", "complex_box", "control", "dropped", "family", "integers",
        "positive", "quantity", "real", "stated")},
    **{name: "derivations.engine.verdicts" for name in (
        "Verdict", "ClaimResult", "ErratumResult", "DerivationResult", "DerivationVerdict")},
    **{name: "stepcheck.api" for name in ("verify", "check", "chain", "assert_verified", "assert_chain",
                                          "ChainResult", "StepResult")},
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stepcheck' has no attribute {name!r}")


def __dir__():
    return __all__


if "IPython" in sys.modules:  # a notebook: show results as tables and formulas
    try:
        _ip = sys.modules["IPython"].get_ipython()
        if _ip is not None:
            from stepcheck.notebook import register as _register
            _register(_ip)
    except Exception:  # display is a convenience; never a reason for the import to fail
        pass
