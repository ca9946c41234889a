"""The command line as a person at a terminal meets it: progress on stderr only when stderr is a
terminal (never on a pipe or in --json's stdout), colour only on a terminal and never with
NO_COLOR, --verbose and --quiet, aligned columns, '--' and '**' hints, assumptions on symbols
the user typed, and completion of slugs."""
import json
import os
import sys

import pytest
from click.testing import CliRunner

from cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "tests", "cli", "sample_derivation.py")
FAST = ("--digits", "20", "--jobs", "1")


class _Stream:
    def __init__(self, tty: bool):
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.fixture
def stderr_is_a_terminal(monkeypatch):
    """Within the command, stderr counts as a terminal (stdout does not)."""
    from stepcheck import terminal
    monkeypatch.setattr(terminal, "is_terminal", lambda stream: stream is sys.stderr)


def test_no_progress_on_a_pipe(cli):
    r = cli("verify", SAMPLE, "--json", *FAST)
    assert r.exit_code == 0 and r.stderr == ""
    json.loads(r.stdout)


def test_progress_on_a_terminal_stays_out_of_stdout(cli, stderr_is_a_terminal):
    r = cli("verify", SAMPLE, "--json", *FAST)
    assert r.exit_code == 0
    json.loads(r.stdout)  # stdout is only the JSON document
    assert "\rverifying" not in r.stdout and "\r\x1b[Kverifying" in r.stderr
    assert "verifying 5/5" in r.stderr  # 3 claims, 1 control, 1 erratum
    assert r.stderr.endswith("\r\x1b[K")  # erased at the end
    text = cli("verify", SAMPLE, *FAST)  # text lines on stdout are whole lines, the counter never among them
    assert "\x1b" not in text.stdout and text.stdout.splitlines()[0] == "sample: Sample derivation (2024-01-01)"


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    from stepcheck.terminal import colour_wanted, painter
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert colour_wanted(_Stream(True)) and not colour_wanted(_Stream(False))
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted(_Stream(True))
    monkeypatch.setenv("NO_COLOR", "")  # no-color.org: only a non-empty value disables colour
    assert colour_wanted(_Stream(True))
    monkeypatch.setenv("TERM", "dumb")
    assert not colour_wanted(_Stream(True))
    assert painter(True)("refuted") == "\x1b[31m\x1b[1mrefuted\x1b[0m" and painter(False)("refuted") == "refuted"


def test_verdicts_coloured_on_a_terminal(monkeypatch):
    from stepcheck import terminal
    monkeypatch.setattr(terminal, "colour_wanted", lambda stream=None: True)
    r = CliRunner().invoke(main, ["verify", SAMPLE, *FAST], color=True)
    lines = r.stdout.splitlines()
    assert "\x1b[32m\x1b[1mproved   \x1b[0m double-angle" in lines[2]
    assert "\x1b[32mVERIFIED" in r.stdout or "\x1b[32m\x1b[1mVERIFIED" in r.stdout


def test_columns_align_whatever_the_ids(cli):
    """The digits column starts at the same place on every claim and control line (the id column
    is as wide as the derivation's longest id)."""
    r = cli("verify", SAMPLE, *FAST)
    rows = [line for line in r.stdout.splitlines() if " dig " in line or "    -    " in line]
    assert len(rows) == 4
    starts = {line.index(" dig ") if " dig " in line else line.index("    -    ") + 5 for line in rows}
    assert len(starts) == 1, r.stdout
    assert all(line.split()[:2] == ["proved", "double-angle"] for line in rows[:1])


def test_verbose_states_each_claim_and_quiet_only_the_verdicts(cli):
    verbose = cli("verify", SAMPLE, "--verbose", *FAST).stdout.splitlines()
    at = next(i for i, line in enumerate(verbose) if line.split()[:2] == ["proved", "double-angle"])
    assert verbose[at + 1] == r"       states: \sin 2x = 2\sin x\cos x"
    assert any(line == "       assuming: p, q > 0" for line in verbose)
    quiet = cli("verify", SAMPLE, "--quiet", *FAST)
    assert quiet.exit_code == 0 and len(quiet.stdout.splitlines()) == 1
    assert quiet.stdout.startswith("sample: VERIFIED  (3/3 claims ok")
    broken = os.path.join(ROOT, "tests", "cli", "sample_broken.py")
    failed = cli("verify", broken, "--quiet", *FAST)
    assert failed.exit_code == 1
    assert failed.stdout.splitlines()[-1].startswith("broken: FAILED")
    assert failed.stdout.splitlines()[0].startswith("broken: claim double-angle/factor-2: refuted: at x=")
    both = cli("verify", SAMPLE, "--verbose", "--quiet")
    assert both.exit_code == 2 and "at most one of --verbose and --quiet" in both.stderr


def test_dash_dash_is_documented_and_suggested(cli):
    helped = " ".join(cli("check", "--help").stdout.split())
    assert "a side that starts with '-' goes after '--'" in helped and "** for powers" in helped
    r = cli("check", "x", "-x")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    assert "No such option '-x'" in r.stderr and "goes after '--': stepcheck check [OPTIONS] -- LHS RHS" in r.stderr
    ok = cli("check", *FAST[:2], "--", "x", "-(-x)")
    assert ok.exit_code == 0 and ok.stdout.startswith("proved")


def test_caret_is_not_a_power(cli):
    r = cli("check", "x^2", "x**2")
    assert r.exit_code == 2 and r.stderr == "Error: '^' is not a power here: write ** for powers (x**2)\n"


@pytest.mark.parametrize("lhs, rhs, options", [
    ("exp(z + 2*n*pi*I)", "exp(z)", ("--assume", "n=integer")),
    ("binomial(n, n)", "1", ("--assume", "n=integer", "--assume", "n=nonnegative")),
    ("re(x + y*I)", "x", ("--assume", "x=real", "--assume", "y=real")),
    ("floor(k) + 0*m", "k", ("--assume", "k=integer", "--domain", "m=0..1")),
])
def test_assumptions_on_typed_symbols_that_sympy_removed(cli, lhs, rhs, options):
    """The names are checked against what the user typed: SymPy's evaluation removing a
    symbol (exp(2 pi i n) = 1 for an integer n) makes the identity proved, not bad input."""
    r = cli("check", lhs, rhs, *options, *FAST[:2])
    assert r.exit_code == 0 and r.stdout.startswith("proved"), r.output


def test_assumptions_on_symbols_never_typed_are_bad_input(cli):
    r = cli("check", "x", "x", "--assume", "y=real")
    assert r.exit_code == 2 and "name symbols that do not occur: y" in r.stderr
    r = cli("check", "sin(x)", "sin(x)", "--assume", "sin=real")  # a function's name is not a symbol
    assert r.exit_code == 2 and "name symbols that do not occur: sin" in r.stderr


def test_typed_names():
    from derivations.engine.adhoc import typed_names
    assert typed_names("exp(z + 2*n*pi*I)") == {"z", "n"}
    assert typed_names("Integral(f*x, (x, 0, 1)) + Matrix([[a, E]]).T") == {"f", "x", "a"}


def _complete(monkeypatch, capsys, words: str) -> list:
    monkeypatch.setenv("_STEPCHECK_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    with pytest.raises(SystemExit):
        main.main([], prog_name="stepcheck", complete_var="_STEPCHECK_COMPLETE")
    return capsys.readouterr().out.splitlines()


def test_shell_completion_of_slugs(monkeypatch, capsys):
    assert _complete(monkeypatch, capsys, "stepcheck verify hi") == ["plain,hippo"]
    assert _complete(monkeypatch, capsys, "stepcheck report si") == ["plain,simvq", "plain,sid1", "plain,sid2"]
    assert _complete(monkeypatch, capsys, "stepcheck latex tests/cli/sam") == ["file,tests/cli/sam"]
    assert "plain,--verbose" in _complete(monkeypatch, capsys, "stepcheck verify --ver")
