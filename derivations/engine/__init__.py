"""The stepcheck engine: claims, symbolic strategies, budgets and the verification driver."""
from derivations.engine.claims import (Approximation, Claim, Derivation, Erratum, Identity,
                                       Inequality, claim, control)

__all__ = ["Approximation", "Claim", "Derivation", "Erratum", "Identity", "Inequality", "claim", "control"]
