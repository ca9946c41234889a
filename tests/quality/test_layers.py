"""The layers point down: ``numeric`` < ``derivations.engine`` < ``derivations.toolkit`` < posts <
the catalog < ``derivations.engine.report`` < ``stepcheck`` and ``cli`` (see
``benchmarks/import_graph.py``, whose functions this reads the code with).  Any upward import, any
circle, any import of one post by another fails here; a fake tree shows that the checker sees each."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def import_graph():
    """``benchmarks/import_graph.py`` as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "benchmarks" / "import_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def project(import_graph):
    return import_graph.graph(ROOT)


def test_the_graph_reads_the_whole_project(project):
    """Not vacuous: every package is read, with arrows known to be there (the lazy one too)."""
    assert len(project) > 80
    assert {"numeric.identity", "derivations.engine.verify", "derivations.toolkit", "derivations.hippo",
            "stepcheck.cli", "cli"} <= set(project)
    assert "derivations.engine.prose" in project["derivations.engine.render"]
    assert "derivations.hippo.legendre" in project["derivations.hippo.claims"]


def test_no_upward_import(import_graph, project):
    assert import_graph.upward(project) == []


def test_no_circle(import_graph, project):
    assert import_graph.cycles(project) == []


def test_no_post_imports_another_post(import_graph, project):
    assert import_graph.post_to_post(project) == []


def _tree(root: Path, files: dict) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_checker_reports_a_wrong_tree(import_graph, tmp_path):
    """An upward import (numeric -> engine, lazily inside a function), a circle through it, a post
    importing another post (relatively) and one importing the report: each is reported; the
    downward imports of a post's own package are not."""
    _tree(tmp_path, {
        "numeric/__init__.py": "",
        "numeric/evaluate.py": "def f():\n    from derivations.engine import claims\n",
        "derivations/__init__.py": "",
        "derivations/engine/__init__.py": "",
        "derivations/engine/claims.py": "import numeric.evaluate\n",
        "derivations/engine/report/__init__.py": "",
        "derivations/alpha/__init__.py": "from .claims import X\n",
        "derivations/alpha/claims.py": "from ..beta import Y\nfrom derivations.engine.claims import Z\n",
        "derivations/beta.py": "from derivations.engine import report\n",
        "stepcheck/__init__.py": "import derivations.alpha\n",
    })
    g = import_graph.graph(tmp_path)
    assert g["derivations.alpha"] == {"derivations.alpha.claims"}
    assert import_graph.cycles(g) == [["derivations.engine.claims", "numeric.evaluate"]]
    assert import_graph.upward(g) == [("derivations.beta", "derivations.engine.report"),
                                      ("numeric.evaluate", "derivations.engine.claims")]
    assert import_graph.post_to_post(g) == [("derivations.alpha.claims", "derivations.beta")]


def test_a_clean_tree_passes(import_graph, tmp_path):
    """The same tree with the arrows pointing down: nothing reported."""
    _tree(tmp_path, {
        "numeric/__init__.py": "",
        "numeric/evaluate.py": "",
        "derivations/__init__.py": "",
        "derivations/engine/__init__.py": "",
        "derivations/engine/claims.py": "import numeric.evaluate\n",
        "derivations/toolkit/__init__.py": "",
        "derivations/toolkit/gaussian.py": "from derivations.engine.claims import Z\n",
        "derivations/alpha.py": "from derivations.toolkit.gaussian import phi\n",
        "stepcheck/__init__.py": "import derivations.alpha\n",
    })
    g = import_graph.graph(tmp_path)
    assert sum(map(len, g.values())) == 4
    assert (import_graph.cycles(g), import_graph.upward(g), import_graph.post_to_post(g)) == ([], [], [])
