import os

import pytest
from click.testing import CliRunner

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def catalog(monkeypatch):
    """The catalog replaced by the test-only derivations in this folder."""
    import derivations
    monkeypatch.syspath_prepend(HERE)
    monkeypatch.setattr(derivations, "CATALOG", {"sample": "sample_derivation", "broken": "sample_broken"})
    return derivations.CATALOG


@pytest.fixture
def cli():
    """invoke(*args) -> click Result (stdout and stderr available separately)."""
    from cli import main
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def cli_input():
    """invoke(stdin_text, *args) -> click Result: a command reading ``-`` from stdin."""
    from cli import main
    runner = CliRunner()
    return lambda text, *args: runner.invoke(main, list(args), input=text, catch_exceptions=False)
