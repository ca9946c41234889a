"""Numeric back-ends, generic over derivations (the lowest layer: imports nothing of ``derivations``):
high-precision evaluation with error bounds (mpmath), the two-precision rule, counterexample search,
series tails, maxima, sampling of hypotheses' domains, standard errors, approximation gaps and ball
enclosures.  A post's own numerics live with the post."""
