"""Test-only derivation that must fail: its one claim is false (a factor 2 is missing)."""
from derivations.engine import Derivation
from sample_derivation import double_angle_wrong

DERIVATION = Derivation(slug="broken", title="Broken derivation", source="https://example.org/broken",
                        date="2024-01-02", summary="a false claim", claims=(double_angle_wrong,))
