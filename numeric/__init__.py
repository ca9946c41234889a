"""Numeric back-ends: high-precision evaluation and identity testing (mpmath),
sampling of hypotheses' domains, and per-derivation numerics."""
