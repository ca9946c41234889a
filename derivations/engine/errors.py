"""The engine's kinds of bad input (exit status 2), below the root in :mod:`numeric.errors`."""
from numeric.errors import BadInput, DomainError  # noqa: F401 (the hierarchy's root and the domains' kind)


class ExpressionError(BadInput):
    """A user expression that is not in the accepted language or is too large."""


class UnknownDerivation(BadInput):
    """A slug that is not in the catalog."""


class MissingTool(Exception):
    """A program the request needs is not installed (``--format pdf`` without latexmk): exit 1,
    one line saying what to install."""

    exit_code = 1
