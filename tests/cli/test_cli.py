"""The command line: help, exit codes, option validation, and verify/latex/errata/list on a
test-only derivation given by its path (the engine end to end); --all and list on a catalog
replaced by the test-only derivations."""
import json
import os
import subprocess
import sys

import pytest

from cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAST = ("--digits", "20")
SAMPLE = os.path.join(ROOT, "tests", "cli", "sample_derivation.py")
BROKEN = os.path.join(ROOT, "tests", "cli", "sample_broken.py")


def one_error_line(result, exit_code=2):
    """The result is a usage error: the given status, one line on stderr starting 'Error:'."""
    assert result.exit_code == exit_code, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# -- help ---------------------------------------------------------------------------------------

def test_every_command_has_help(cli):
    top = cli("--help")
    assert top.exit_code == 0
    for name, cmd in main.commands.items():
        assert name in top.stdout
        r = cli(name, "--help")
        assert r.exit_code == 0 and r.stdout.startswith(f"Usage: main {name}")
        first_words = " ".join(cmd.help.split()[:3])
        assert first_words in " ".join(r.stdout.split())


def test_help_does_not_import_sympy():
    code = ("import sys\n"
            "sys.argv = ['cli.py', '--help']\n"
            "import cli\n"
            "for args in [['--help']] + [[c, '--help'] for c in cli.main.commands]:\n"
            "    try:\n"
            "        cli.main(args)\n"
            "    except SystemExit as e:\n"
            "        assert e.code == 0, (args, e.code)\n"
            "heavy = sorted(m for m in ('sympy', 'mpmath', 'numpy', 'derivations.engine.verify') if m in sys.modules)\n"
            "print('HEAVY', heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "HEAVY []"


def test_version_and_module_entry_point():
    import stepcheck
    for cmd in ([sys.executable, "cli.py", "--version"], [sys.executable, "-m", "stepcheck", "--version"]):
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and out.stdout.strip() == f"stepcheck {stepcheck.__version__}", out


# -- usage errors ---------------------------------------------------------------------------------

def test_unknown_command(cli):
    assert "No such command" in one_error_line(cli("frobnicate"))


@pytest.mark.parametrize("args", [("verify", "nope"), ("latex", "nope"), ("errata", "nope")])
def test_unknown_slug(cli, catalog, args):
    line = one_error_line(cli(*args))
    assert line == "Error: unknown derivation 'nope' (known: sample, broken)"


@pytest.mark.parametrize("slug, suggestion", [("hipo", "'hippo'"), ("lora", "'lora-plus'"),
                                              ("integral", "'integral-test'"), ("sgd", "'svd' or 'sgd-average-loss'")])
def test_unknown_slug_did_you_mean(cli, slug, suggestion):
    import derivations
    line = one_error_line(cli("verify", slug))
    assert line == (f"Error: unknown derivation {slug!r}; did you mean {suggestion}? ('stepcheck list' shows all "
                    f"{len(derivations.slugs())})")


@pytest.mark.parametrize("args, fragment", [
    (("verify", "sample", "--digits", "4"), "digits must be between 5 and 1000"),
    (("verify", "sample", "--digits", "1001"), "digits must be between 5 and 1000"),
    (("verify", "sample", "--digits", "ten"), "'ten' is not a valid integer"),
    (("verify", "sample", "--timeout", "0"), "timeout must be in (0, 3600]"),
    (("verify", "sample", "--timeout", "-1"), "timeout must be in (0, 3600]"),
    (("verify", "sample", "--timeout", "nan"), "timeout must be in (0, 3600]"),
    (("verify", "sample", "--timeout", "inf"), "timeout must be in (0, 3600]"),
    (("verify", "sample", "--timeout", "3601"), "timeout must be in (0, 3600]"),
    (("verify", "sample", "--jobs", "0"), "jobs must be between 1 and 64"),
    (("verify",), "give exactly one of SLUG, --module or --all"),
    (("verify", "sample", "--all"), "give exactly one of SLUG, --module or --all"),
    (("verify", "sample", "--module", "sample_derivation"), "give exactly one of SLUG, --module or --all"),
    (("report", "--out", "x"), "give exactly one of SLUG or --all"),
    (("check", "x", "x", "--digits", "2000"), "digits must be between 5 and 1000"),
    (("check", "x", "x", "--timeout", "0"), "timeout must be in (0, 3600]"),
    (("check", "x"), "Missing argument 'RHS'"),
    (("errata", "sample", "--digits", "0"), "digits must be between 5 and 1000"),
    (("latex",), "Missing argument 'SLUG'"),
    (("check", "x", "x", "--bogus"), "No such option '--bogus'"),
])
def test_bad_options_exit_2_with_one_line(cli, catalog, args, fragment):
    assert fragment in one_error_line(cli(*args))


@pytest.mark.parametrize("options, fragment", [
    (("--domain", "x=1"), "expected NAME=a..b"),
    (("--domain", "x=2..1"), "empty interval"),
    (("--domain", "x=0..nan"), "expected NAME=a..b"),
    (("--domain", "x"), "takes NAME=VALUE"),
    (("--domain", "y=0..1"), "do not occur: y"),
    (("--assume", "x=happy"), "unknown assumption"),
    (("--assume", "x"), "takes NAME=VALUE"),
    (("--assume", "x=positive", "--domain", "x=-1..1"), "domain of x contains values that are not positive"),
    (("--assume", "x=positive", "--assume", "x=negative"), "inconsistent assumptions for x"),
    (("--assume", "x=negative", "--domain", "x=1..2"), "inconsistent assumptions for x"),
])
def test_malformed_or_inconsistent_domains(cli, options, fragment):
    assert fragment in one_error_line(cli("check", "x", "x", *options))


# -- check: verdicts and exit codes ---------------------------------------------------------------

def test_check_proved_exit_0(cli):
    r = cli("check", "sin(2*x)", "2*sin(x)*cos(x)", *FAST)
    assert r.exit_code == 0 and r.stdout.startswith("proved (20 digits) by trig_expand")
    # asin z = -i log(iz + sqrt(1 - z^2)) and acos z = pi/2 - asin z: their logarithms cancel
    r = cli("check", "asin(x) + acos(x)", "pi/2", "--domain", "x=-1..1", *FAST)
    assert r.exit_code == 0 and r.stdout.startswith("proved (20 digits) by log_rewrite")


def test_check_checked_exit_0(cli):
    # Euler's reflection of the dilogarithm: true on (0, 1), no strategy proves it
    r = cli("check", "polylog(2, x) + polylog(2, 1 - x)", "pi**2/6 - log(x)*log(1 - x)", "--domain", "x=0.05..0.95",
            *FAST)
    assert r.exit_code == 0 and r.stdout.startswith("checked (20 digits) by numeric")


def test_check_refuted_exit_1_with_counterexample(cli):
    r = cli("check", "log(x*y)", "log(x) + log(y)", *FAST)  # false for complex x, y
    assert r.exit_code == 1 and r.stdout.startswith("refuted: at x=(")
    assert "difference 6.28319" in r.stdout  # off by 2*pi*i
    proved = cli("check", "log(x*y)", "log(x) + log(y)", "--assume", "x=positive", "--assume", "y=positive", *FAST)
    assert proved.exit_code == 0 and proved.stdout.startswith("proved")


def test_check_exact_refutation(cli):
    r = cli("check", "(x+1)**2", "x**2+2*x+2", *FAST)
    assert r.exit_code == 1 and r.stdout.startswith("refuted: difference = -1 (exact, by expand)")


def test_check_unknown_exit_1(cli):
    r = cli("check", "1/0", "1/0", *FAST)
    assert r.exit_code == 1 and r.stdout.startswith("unknown")
    assert "could not evaluate" in r.stdout


def test_check_assume_negative_without_domain(cli):
    r = cli("check", "--assume", "x=negative", *FAST, "--", "Abs(x)", "-x")
    assert r.exit_code == 0 and r.stdout.startswith("proved")


def test_check_json(cli, json_contract):
    r = cli("check", "1/0", "1/0", "--json", *FAST)
    out = json_contract(json.loads(r.stdout))
    assert {"verdict", "symbolic", "numeric", "digits", "counterexample", "seconds", "method", "detail"} <= set(out)
    assert (out["verdict"], out["symbolic"], out["numeric"]) == ("unknown", "failed", "unknown")
    assert out["input"] == {"lhs": "1/0", "rhs": "1/0", "assume": [], "domain": []}
    assert out["settings"] == {"digits": 20, "seed": 0, "timeout": 10.0, "memory_mb": 4096}
    r = cli("check", "pi", "22/7", "--json", *FAST)
    out = json_contract(json.loads(r.stdout))
    assert (out["verdict"], out["numeric"]) == ("refuted", "disagree") and r.exit_code == 1
    assert out["counterexample"]["rhs"].startswith("3.142857142857")


# -- verify, latex, errata, list on the sample derivation -----------------------------------------

CLAIM_KEYS = {"id", "statement", "verdict", "symbolic", "numeric", "digits", "seconds"}
CONTROL_KEYS = {"id", "statement", "verdict", "counterexample"}
ERRATUM_KEYS = {"id", "post_says", "correct", "evidence"}
DERIVATION_KEYS = {"slug", "title", "source", "verdict", "seconds", "claims", "negative_controls", "errata"}


def check_contract(d):
    assert DERIVATION_KEYS <= set(d)
    for c in d["claims"]:
        assert CLAIM_KEYS <= set(c)
        assert c["symbolic"] in ("proved", "refuted", "failed", "unknown", "skipped")
        assert c["numeric"] in ("agree", "certified", "disagree", "unknown", "skipped")
    for c in d["negative_controls"]:
        assert CONTROL_KEYS <= set(c)
    for e in d["errata"]:
        assert ERRATUM_KEYS <= set(e)


def test_verify_text_exit_0(cli):
    r = cli("verify", SAMPLE, *FAST)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "sample: Sample derivation (2024-01-01)"
    assert lines[1] == "  https://example.org/sample"
    assert lines[2].split()[:2] == ["proved", "double-angle"]
    assert lines[3].split()[:2] == ["proved", "am-gm"]
    assert lines[4].split()[:2] == ["proved", "arcsin-arccos"] and lines[4].endswith("log_rewrite")
    assert lines[5] == "  negative controls (must be refuted):"
    assert lines[6].split()[:3] == ["ok", "refuted", "double-angle/factor-2"]
    assert lines[7] == "  errata:"
    assert lines[8].startswith("  confirmed square: post's statement refuted (difference = 1 (exact, by expand))")
    assert lines[9].startswith("sample: VERIFIED  (3/3 claims ok: 3 proved; negative controls refuted 1/1; "
                               "errata confirmed 1/1)")


def test_verify_json_contract(cli, json_contract):
    r = cli("verify", SAMPLE, "--json", *FAST)
    assert r.exit_code == 0
    out = json_contract(json.loads(r.stdout))
    assert out["settings"] == {"digits": 20, "seed": 0, "timeout": 10.0, "jobs": os.cpu_count() or 1}
    assert out["input"] == {"target": SAMPLE, "all": False, "mutants": False} and out["verdict"] == "verified"
    (d,) = out["derivations"]
    check_contract(d)
    assert (d["slug"], d["title"], d["source"], d["verdict"]) == ("sample", "Sample derivation",
                                                                    "https://example.org/sample", "verified")
    assert [(c["id"], c["verdict"], c["symbolic"], c["numeric"]) for c in d["claims"]] == [
        ("double-angle", "proved", "proved", "agree"),
        ("am-gm", "proved", "proved", "agree"),
        ("arcsin-arccos", "proved", "proved", "agree")]
    assert [c["digits"] for c in d["claims"]] == [20, None, 20]  # an inequality measures no digits
    ctl = d["negative_controls"][0]
    assert ctl["verdict"] == "refuted" and ctl["counterexample"]["kind"] == "numeric"
    assert float(ctl["counterexample"]["lhs"]) == pytest.approx(2 * float(ctl["counterexample"]["rhs"]))
    e = d["errata"][0]
    assert (e["id"], e["post_says"], e["correct"]) == ("square", r"(x+1)^2 = x^2+2x", r"(x+1)^2 = x^2+2x+1")


def test_verify_failed_exit_1(cli):
    r = cli("verify", BROKEN, *FAST)
    assert r.exit_code == 1
    assert "broken: FAILED" in r.stdout
    assert any(line.split()[:2] == ["refuted", "double-angle/factor-2"] for line in r.stdout.splitlines())


def test_verify_all_json(cli, catalog, json_contract):
    r = cli("verify", "--all", "--json", *FAST)
    assert r.exit_code == 1  # one derivation fails
    out = json_contract(json.loads(r.stdout))
    assert {"verdict", "seconds", "derivations"} <= set(out)
    assert out["verdict"] == "failed"
    assert [(d["slug"], d["verdict"]) for d in out["derivations"]] == [("sample", "verified"), ("broken", "failed")]
    for d in out["derivations"]:
        check_contract(d)


def test_verify_reuses_a_verified_catalog_derivation_unless_told_not_to(cli, json_contract):
    first = cli("verify", "lion", *FAST)
    assert first.exit_code == 0 and "cached" not in first.stdout
    again = cli("verify", "lion", *FAST)
    assert again.exit_code == 0
    summary = again.stdout.splitlines()[-2]
    assert summary.startswith("lion: VERIFIED") and summary.endswith("(cached: sources unchanged since verified)")
    assert [ln.split()[:2] for ln in again.stdout.splitlines()[2:-2]] == \
        [ln.split()[:2] for ln in first.stdout.splitlines()[2:-2]]
    assert "cached" not in cli("verify", "lion", "--no-cache", *FAST).stdout
    (d,) = json_contract(json.loads(cli("verify", "lion", "--json", *FAST).stdout))["derivations"]
    assert d["cached"] is True and d["verdict"] == "verified"
    (d,) = json.loads(cli("verify", "lion", "--json", "--seed", "1", *FAST).stdout)["derivations"]
    assert d["cached"] is False  # other settings, another key


def test_latex(cli):
    r = cli("latex", SAMPLE)
    assert r.exit_code == 0
    tex = r.stdout
    assert "\\section*{Sample derivation}" in tex
    assert "\\begin{align*}\n\\sin 2x = 2\\sin x\\cos x\n\\end{align*}" in tex
    assert "\\paragraph{am-gm}" in tex and "Hypotheses: $p, q > 0$." in tex
    assert "R(\\theta) = \\left[\\begin{matrix}\\cos{\\left(\\theta \\right)}" in tex
    assert "\\subsection*{Errata}" in tex and "(x+1)^2 = x^2+2x\n\\end{align*}\nwhich is false" in tex
    assert tex.count("\\begin{align*}") == tex.count("\\end{align*}") == 6
    doc = cli("latex", SAMPLE, "--document").stdout
    assert doc.startswith("\\documentclass") and doc.rstrip().endswith("\\end{document}")


def test_errata(cli, json_contract):
    r = cli("errata", SAMPLE, *FAST)
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == "sample/square [confirmed]"
    assert r.stdout.splitlines()[-1] == "1/1 errata confirmed"
    out = json_contract(json.loads(cli("errata", SAMPLE, "--json", *FAST).stdout))
    (e,) = out["errata"]
    assert (out["confirmed"], e["slug"], e["id"], e["ok"]) == (1, "sample", "square", True)
    assert e["post_says_result"]["counterexample"]["kind"] == "exact"


def test_list(cli, catalog, json_contract):
    r = cli("list")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split()[:4] == ["sample", "2024-01-01", "3", "claims"]
    assert lines[1].split()[:4] == ["broken", "2024-01-02", "1", "claims"]
    out = json_contract(json.loads(cli("list", "--json").stdout))
    assert [(d["slug"], d["claims"]) for d in out["derivations"]] == [("sample", 3), ("broken", 1)]
