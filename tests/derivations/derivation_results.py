"""Shared helper for the derivation tests (imported by module name, like tests/quality/corpus.py)."""
from derivations.engine.verify import verify_derivation


def verify_by_id(derivation):
    """Verify once through the public driver: ``(claims, controls, errata)``, the first two keyed by
    claim id (use it in a module-scoped fixture)."""
    res = verify_derivation(derivation)
    return {c.id: c for c in res.claims}, {c.id: c for c in res.negative_controls}, res.errata
