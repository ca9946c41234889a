"""Errors that mean "the user asked for something we cannot do" (exit status 2).

The root of the hierarchy lives here, at the bottom of the layers, because the sampling domains
already raise it; ``derivations.engine.errors`` adds the engine's own kinds.  Every such error
carries a one-line message, and the command line maps the whole hierarchy to its exit status in
one place.  Nothing calls ``sys.exit``.
"""


class BadInput(Exception):
    """Invalid user input: an unknown slug, a malformed expression, a bad option."""

    exit_code = 2


class DomainError(BadInput):
    """A sampling domain or assumption that is malformed or inconsistent."""
