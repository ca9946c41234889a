"""The pytest plugin through ``pytester``: a passing and a failing derivation module and chain file
become one item per claim or step, a failure shows the verdict and the counterexample, files are
selected by ``--stepcheck`` or ``stepcheck_paths``, and nothing changes without them."""
import shutil
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True, scope="module")
def loaded():
    """What the inner runs import, imported out here: pytester removes the modules a run imported
    after it, and numpy's extension cannot be imported twice in one process."""
    import importlib

    from derivations.engine.verify import warm_up
    warm_up()
    for name in ("hypothesis", "stepcheck.api", "stepcheck.pytest_plugin", "derivations.engine.chain",
                 "numeric.certify", "numeric.evaluate", "numeric.identity", "numeric.approximation", "numeric.stochastic"):
        importlib.import_module(name)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# when the package is installed, its entry point loads the plugin; otherwise name it
LOAD = () if any(ep.name == "stepcheck" for ep in entry_points(group="pytest11")) else ("-p", "stepcheck.pytest_plugin")
INNER = (*LOAD, "-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:randomly", "-o", "addopts=",
         "-o", "stepcheck_digits=20")


@pytest.fixture
def proofs(pytester):
    """A project with a test, a passing and a failing derivation module, a passing and a failing
    chain file, a helper module, and a prose file."""
    pytester.syspathinsert(ROOT)
    d = pytester.mkdir("proofs")
    shutil.copy(HERE / "sample_derivation.py", d / "good_post.py")
    (d / "bad_post.py").write_text(textwrap.dedent('''
        import sympy as sp
        from stepcheck import Derivation, Identity, claim

        x = sp.Symbol("x", real=True)

        @claim("square", "(x+1)^2 = x^2 + 1")
        def square():
            return Identity((x + 1) ** 2, x ** 2 + 1)

        DERIVATION = Derivation(slug="bad", title="Bad", source="", date="2025-01-01", summary="", claims=(square,))
    '''))
    (d / "helper.py").write_text("def f():\n    return 1\n")
    (d / "good.md").write_text("Assume: $x > 0$\n\n$$ \\frac{x^2-1}{x+1} = x - 1 $$\n")
    shutil.copy(ROOT / "examples" / "wrong-step.md", d / "wrong.md")
    (d / "notes.txt").write_text("$$ 1 = 2 $$\n")
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    return d


def test_items_per_claim_and_step_with_verdicts_and_counterexamples(pytester, proofs):
    result = pytester.runpytest(*INNER, "--stepcheck", "proofs", "-v", "-rf")
    result.assert_outcomes(passed=1 + 5 + 1 + 4, failed=1 + 1)
    out = result.stdout.str()
    for item in ("proofs/good_post.py::double-angle PASSED",
                 "proofs/good_post.py::control double-angle/factor-2 PASSED",
                 "proofs/good_post.py::erratum square PASSED", "proofs/bad_post.py::square FAILED",
                 "proofs/good.md::block 1 step 1 (line 3) PASSED",
                 "proofs/wrong.md::block 2 step 2 (line 26) FAILED", "test_plain.py::test_plain PASSED"):
        assert item in out, out
    assert "helper.py" not in out and "notes.txt" not in out
    # the failures show the verdict and the counterexample
    assert "claim square: (x+1)^2 = x^2 + 1\nrefuted: at x=" in out
    assert "block 2, step 2 (line 26)" in out and "refuted: at D=" in out and "vs rhs" in out


def test_single_files_and_the_ini_option(pytester, proofs):
    result = pytester.runpytest(*INNER, "--stepcheck", "proofs/good.md", "--stepcheck", "proofs/bad_post.py")
    result.assert_outcomes(passed=1 + 1, failed=1)
    pytester.makeini("[pytest]\nstepcheck_paths = proofs/bad_post.py proofs/notes.txt\n")
    result = pytester.runpytest(*INNER)
    result.assert_outcomes(passed=1, failed=2)  # a file named explicitly is taken whatever its suffix
    result = pytester.runpytest(*INNER, "test_plain.py")  # explicit test paths: the ini paths are not added
    result.assert_outcomes(passed=1)


def test_nothing_changes_without_paths(pytester, proofs):
    result = pytester.runpytest(*INNER)
    result.assert_outcomes(passed=1)
    result = pytester.runpytest(*INNER, "proofs")
    result.assert_outcomes()  # the modules are not test files and nothing is selected


def test_a_module_that_fails_to_load_is_a_collection_error(pytester, proofs):
    (proofs / "broken.py").write_text("DERIVATION = (\n")
    result = pytester.runpytest(*INNER, "--stepcheck", "proofs/broken.py")
    result.assert_outcomes(errors=1)
    assert "proofs/broken.py:1: SyntaxError: '(' was never closed" in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_this_projects_collection_is_unchanged():
    """Without paths the plugin takes no file of this project (its tests, examples, sample
    derivations), so the project's own collection is what it was."""
    from types import SimpleNamespace

    from stepcheck.pytest_plugin import pytest_collect_file
    parent = SimpleNamespace(config=SimpleNamespace(_stepcheck_paths=[]))
    files = [p for p in ROOT.rglob("*") if p.is_file() and ".git" not in p.parts]
    assert any(p.name == "sample_derivation.py" for p in files) and any(p.suffix == ".md" for p in files)
    assert [p for p in files if pytest_collect_file(p, parent) is not None] == []
