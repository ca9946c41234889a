"""The report written once per test session and shared by the report, browser and PDF tests
(test_report.py, test_report_browser.py), whichever pytest-xdist worker gets there first: the
demo derivation (every verdict, a control, an erratum, figures) and two real posts of the
catalog (lora-plus: derived results labelled in LaTeX; id: a figure), verified for real
through the command line, in every format (the PDF when TeX is installed)."""
from __future__ import annotations

import fcntl
import io
import os
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SMALL_SLUGS = ("report-demo", "lora-plus", "id")


def _formats() -> str:
    return "md,tex,html,pdf" if shutil.which("latexmk") and shutil.which("pdflatex") else "md,tex,html"


def _write_small_report(out: Path) -> tuple[int, str]:
    import cli
    import derivations
    import report_demo
    catalog = {s: ("report_demo" if s == report_demo.SLUG else derivations.CATALOG[s]) for s in SMALL_SLUGS}
    buf = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(derivations, "CATALOG", catalog)
        mp.setattr(derivations, "plugins", lambda: ({}, []))  # no installed third-party catalog in this report
        with redirect_stdout(buf), redirect_stderr(buf), pytest.raises(SystemExit) as exc:
            cli.main(["report", "--all", "--out", str(out), "--format", _formats(), "--jobs", "2"])
    return exc.value.code, buf.getvalue()


@pytest.fixture(scope="session")
def small_report(tmp_path_factory):
    """``(folder, exit status, log)`` of the shared report (module docstring)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out, done = root / "small-report", root / "small-report.status"
    with open(root / "small-report.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                code, log = _write_small_report(out)
                done.write_text(f"{code}\n{log}")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    code, log = done.read_text().split("\n", 1)
    return out, int(code), log
