r"""``stepcheck chain FILE``: one line per step and the summary, the first wrong step named, the JSON
contract, stdin, exit codes (0 all ok, 1 a wrong/unknown step or an unread block, 2 bad input),
and hostile LaTeX (``\input``, ``\def``, ``\csname``, huge exponents, deep nesting): an unread
block with its reason or one error line, and no code run."""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRONG = ROOT / "examples" / "wrong-step.md"
FAST = ("--digits", "20", "--jobs", "1")


def test_wrong_step_exits_1_and_is_named(cli):
    r = cli("chain", str(WRONG), *FAST)
    assert r.exit_code == 1, r.output
    lines = r.stdout.splitlines()
    steps = [line.split()[:5] for line in lines if line.startswith("  ") and line.split()[1] == "line"]
    assert steps == [["1.1", "line", "18", "=", "proved"], ["1.2", "line", "18", ">=", "proved"],
                     ["2.1", "line", "25", "=", "proved"], ["2.2", "line", "26", "=", "refuted"],
                     ["3.1", "line", "32", "<=", "checked"]]
    refuted = next(line for line in lines if " refuted " in line)
    assert "lhs" in refuted and "vs rhs" in refuted and "difference" in refuted  # the counterexample
    assert lines[-2] == "5 steps: 3 proved, 1 checked, 1 refuted, 0 unknown, 0 not parsed"
    assert lines[-1] == (r"first wrong step: block 2, step 2 (line 26): \frac{DG}{2\sqrt{T}} + \frac{DG}{2\sqrt{T}} "
                         r"= \frac{DG}{2\sqrt{T}}")
    assert "assuming D, G, eta: positive | T: integer, positive in [1, oo) (sampled in [1, 20])" in r.stdout


def test_json_contract(cli, json_contract):
    r = cli("chain", str(WRONG), "--json", *FAST)
    assert r.exit_code == 1
    out = json_contract(json.loads(r.stdout))
    assert out["input"] == {"file": str(WRONG), "assume": [], "domain": []}
    assert {"steps", "blocks", "problems", "summary", "first_wrong_step", "ok", "settings"} <= set(out)
    assert out["summary"] == {"proved": 3, "certified": 0, "checked": 1, "refuted": 1, "unknown": 0, "not parsed": 0}
    assert out["first_wrong_step"] == {"block": 2, "step": 2, "line": 26} and out["ok"] is False
    wrong = out["steps"][3]
    assert {k: wrong[k] for k in ("block", "step", "relation", "verdict", "lhs", "rhs")} == {
        "block": 2, "step": 2, "relation": "=", "verdict": "refuted", "lhs": "D*G/sqrt(T)", "rhs": "D*G/(2*sqrt(T))"}
    cx = wrong["counterexample"]
    assert cx["kind"] == "numeric" and set(cx["at"]) == {"D", "G", "T"}
    assert float(cx["lhs"]) == pytest.approx(2 * float(cx["rhs"]))
    assert wrong["assumptions"] == {"D": "positive", "G": "positive",
                                    "T": "integer, positive in [1, oo) (sampled in [1, 20])"}
    assert out["blocks"] == [] and out["settings"]["digits"] == 20


def test_stdin_all_steps_ok_exits_0(cli_input):
    r = cli_input("Assume: $x > 0$\n$$ \\ln(x^2) = 2\\ln x \\le 2x - 2 $$\n", "chain", "-", *FAST)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[-1] == "2 steps: 1 proved, 1 checked, 0 refuted, 0 unknown, 0 not parsed"


def test_options_hold_from_the_start(cli_input):
    doc = "$$ \\sqrt{x^2} = x $$\n"
    assert cli_input(doc, "chain", "-", *FAST).exit_code == 1
    r = cli_input(doc, "chain", "-", "--assume", "x=positive", *FAST)
    assert r.exit_code == 0 and "assuming x: positive" in r.stdout
    assert cli_input(doc, "chain", "-", "--domain", "x=1..2", *FAST).exit_code == 0


def test_unknown_and_unread_and_problems_exit_1(cli_input):
    for doc, tail in [("$$ \\pi \\approx \\frac{22}{7} $$", "1 unknown, 0 not parsed"),
                      ("$$ 1 = 1 $$\n$$ \\foo = 1 $$", "0 unknown, 1 not parsed"),
                      ("Assume: $x \\in \\mathbb{Q}$\n$$ 1 = 1 $$", "0 unknown, 0 not parsed")]:
        r = cli_input(doc, "chain", "-", *FAST)
        assert r.exit_code == 1 and r.stdout.splitlines()[-1].endswith(tail), r.output
    assert "problem: line 1: assumption" in r.stdout


@pytest.fixture
def one_line():
    def check(r):
        assert r.exit_code == 2, r.output
        assert r.stdout == "" and "Traceback" not in r.output
        lines = r.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
        return lines[0]
    return check


def test_bad_files_exit_2(cli, tmp_path, one_line):
    big = tmp_path / "big.md"
    big.write_text("$$ x = x $$\n" * 20_000)
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    latin = tmp_path / "l.tex"
    latin.write_bytes("\\[ x = \u00e9 \\]".encode("latin-1"))
    missing = one_line(cli("chain", str(tmp_path / "none.md")))
    assert missing.endswith("none.md: cannot read it (No such file or directory)")
    assert one_line(cli("chain", str(tmp_path))).endswith(": is a directory")
    assert one_line(cli("chain", str(big))).endswith("big.md: too large (more than 200000 bytes)")
    assert one_line(cli("chain", str(binary))).endswith("b.md: not a text file (it contains NUL bytes)")
    assert one_line(cli("chain", str(latin))).endswith("l.tex: not UTF-8 text (byte 8)")


@pytest.mark.parametrize("options, fragment", [
    (("--assume", "x=happy"), "unknown assumption"),
    (("--domain", "x=2..1"), "empty interval"),
    (("--digits", "2"), "digits must be between 5 and 1000"),
    (("--timeout", "0"), "timeout must be in (0, 3600]"),
    (("--jobs", "0"), "jobs must be between 1 and 64"),
])
def test_bad_options_exit_2(cli, one_line, options, fragment):
    assert fragment in one_line(cli("chain", str(WRONG), *options))


HOSTILE = {
    "input": (r"$$ \input{/etc/passwd} = 1 $$", r"command \input is not allowed (TeX programming or file access)"),
    "include": (r"\[ x + \include{secret} = x \]", r"command \include is not allowed"),
    "def": (r"$$ \def\x{1} \x = 1 $$", r"command \def is not allowed"),
    "newcommand": (r"$$ \newcommand{\x}{1} = 1 $$", r"command \newcommand is not allowed"),
    "csname": (r"$$ \csname eval\endcsname = 1 $$", r"command \csname is not allowed"),
    "write18": (r"$$ \immediate\write18{touch PWNED} = 1 $$", r"command \immediate is not allowed"),
    "catcode": (r"$$ \catcode`\$=11 = 1 $$", "is not allowed"),
    "huge exponent": (r"$$ 2^{10^{10^{10}}} = 1 $$", "too large"),
    "huge symbolic power": (r"$$ x^{10^{12}} = 1 $$", "too large"),
    "huge factorial": (r"$$ (10^{8})! = 1 $$", "too large"),
    "deep braces": ("$$ " + "{" * 5000 + "x" + "}" * 5000 + " = x $$", "nested deeper than 60 levels"),
    "deep fractions": ("$$ " + r"\frac{1}{1+" * 80 + "x" + "}" * 80 + " = 1 $$", "nested deeper than 60 levels"),
    "deep parentheses": ("$$ " + r"\left(" * 100 + "x" + r"\right)" * 100 + " = x $$", "nested deeper"),
    "python in math": (r"$$ __import__('os').system('touch PWNED') = 1 $$", "line 1:"),
}


@pytest.mark.parametrize("doc, reason", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_latex_is_an_unread_block(cli_input, monkeypatch, tmp_path, doc, reason):
    import builtins

    import sympy.parsing.sympy_parser as sympy_parser

    def forbidden(*args, **kwargs):
        raise AssertionError("code execution attempted")
    monkeypatch.chdir(tmp_path)
    for owner, name in ((builtins, "eval"), (builtins, "exec"), (sympy_parser, "parse_expr")):
        monkeypatch.setattr(owner, name, forbidden)
    r = cli_input(doc, "chain", "-", "--json", *FAST)
    assert r.exit_code == 1, r.output
    out = json.loads(r.stdout)
    assert out["steps"] == [] and len(out["blocks"]) == 1
    assert reason in out["blocks"][0]["error"], out["blocks"][0]["error"]
    assert list(tmp_path.iterdir()) == []  # nothing written (no shell escape, no PWNED file)


def test_hostile_whole_documents_exit_2(cli_input, one_line):
    assert "too large" in one_line(cli_input("x" * 300_000, "chain", "-"))
    assert "not a text file" in one_line(cli_input("$$ x = 1 $$\x00", "chain", "-"))
    assert "too many display-math blocks" in one_line(cli_input("$$ x = x $$\n" * 600, "chain", "-"))
