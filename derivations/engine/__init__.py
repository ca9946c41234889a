"""The stepcheck engine and its claim language.

Post modules import what they need from here: statements (:class:`Identity`,
:class:`Inequality`, :class:`Approximation`, :class:`All`, :func:`family`), evidence
(:func:`quantity` with :class:`Estimate`, :class:`Oracle`, :func:`stated` numbers), claims
(:func:`claim`, :func:`control`, :class:`Erratum`, :class:`Derivation`, :class:`Figure`),
dropped hypotheses (:class:`Hypothesis`, :func:`dropped`) and sampling domains.
"""
from derivations.engine.claims import (All, Approximation, Claim, Derivation, Erratum, Figure, Identity, Inequality,
                                       Oracle, claim, control, family, joined, parts, quantity, stated)
from derivations.engine.hypotheses import Hypothesis, dropped
from numeric.sampling import Domain, at, complex_box, integers, positive, real
from numeric.stochastic import Estimate

__all__ = ["All", "Approximation", "Claim", "Derivation", "Domain", "Erratum", "Estimate", "Figure", "Hypothesis",
           "Identity", "Inequality", "Oracle", "at", "claim", "complex_box", "control", "dropped", "family", "integers",
           "joined", "parts", "positive", "quantity", "real", "stated"]
