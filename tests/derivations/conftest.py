"""The shared fixture of the derivation tests: each test module names its ``SLUG`` and gets the
derivation verified once, through the public driver."""
import pytest


@pytest.fixture(scope="module")
def verified(request):
    """The :class:`~derivations.engine.verdicts.DerivationResult` of the module's ``SLUG``."""
    from derivations import load
    from derivations.engine.verify import verify_derivation
    return verify_derivation(load(request.module.SLUG))
