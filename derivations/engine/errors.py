"""Errors that mean "the user asked for something we cannot do" (exit code 2).

Every such error carries a one-line message; the CLI maps the whole hierarchy to
exit status 2 in one place.  Nothing in the engine calls ``sys.exit``.
"""


class BadInput(Exception):
    """Invalid user input: an unknown slug, a malformed expression, a bad option."""

    exit_code = 2


class ExpressionError(BadInput):
    """A user expression that is not in the accepted language or is too large."""


class DomainError(BadInput):
    """A sampling domain or assumption that is malformed or inconsistent."""


class UnknownDerivation(BadInput):
    """A slug that is not in the catalog."""


class MissingTool(Exception):
    """A program the request needs is not installed (``--format pdf`` without latexmk): exit 1,
    one line saying what to install."""

    exit_code = 1
