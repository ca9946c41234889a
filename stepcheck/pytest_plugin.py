r"""pytest as a proof regression suite: a user's derivation modules and chain files run as tests.

Installed with the package (entry point ``pytest11``), inert until told which files to check:

* ``pytest --stepcheck PATH`` (repeatable): PATH, a file or a folder, is collected in addition
  to whatever else pytest collects;
* or, in the ini file, ``stepcheck_paths = proofs docs/derivation.md`` (relative to the ini
  file's folder): these are collected when pytest meets them, and added to the collection when
  pytest runs without path arguments (its ``testpaths`` or the current folder).

Which files: a file named explicitly is taken whatever its name (a ``.py`` file is a
derivation module, any other a chain document); in a folder, ``*.py`` files that assign
``DERIVATION`` at the top level (a line starting ``DERIVATION``) and ``*.md``, ``*.markdown``,
``*.tex`` chain documents.  Nothing else is touched, so a project that does not name paths
collects exactly what it collected before.

Items: one per claim, negative control and erratum of a derivation (``verify``), one per step of
a chain (``chain``), plus one failing item per block that could not be read and one for
problems of the document.  The whole file is verified once, when its first item runs; a failure
shows the verdict and the counterexample.  ``stepcheck_digits`` (default 50) and
``stepcheck_timeout`` (CPU seconds per claim and phase, default 10) set the engine's options.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

CHAIN_SUFFIXES = (".md", ".markdown", ".tex")
_DERIVATION_LINE = re.compile(r"^DERIVATION\b", re.M)


def pytest_addoption(parser):
    group = parser.getgroup("stepcheck", "derivations checked by stepcheck")
    group.addoption("--stepcheck", action="append", default=[], metavar="PATH",
                    help="Collect PATH (a derivation module, a chain document, or a folder of them) as stepcheck "
                         "tests.")
    parser.addini("stepcheck_paths", "Derivation modules, chain documents or folders to collect as stepcheck tests.",
                  type="paths", default=[])
    parser.addini("stepcheck_digits", "Significant digits the numeric checks must agree to (default 50).", default="50")
    parser.addini("stepcheck_timeout", "CPU seconds per claim and phase (default 10).", default="10")


def pytest_configure(config):
    explicit = [Path(p).resolve() for p in config.getoption("stepcheck")]
    configured = [Path(p).resolve() for p in config.getini("stepcheck_paths")]
    config._stepcheck_paths = explicit + configured
    if not config._stepcheck_paths:
        return
    initial = [Path(a.split("::")[0]).resolve() for a in config.args]
    add = list(explicit)
    if config.args_source is not config.ArgsSource.ARGS:
        add += configured
    for path in add:
        if not any(path == a or a in path.parents for a in initial):
            config.args.append(str(path))
            initial.append(path)


def _selected(config, path: Path) -> bool:
    """Is ``path`` one of the named files, or a derivation module / chain document in a named folder?"""
    roots = getattr(config, "_stepcheck_paths", [])
    if not roots:
        return False
    path = path.resolve()
    if path in roots:
        return True
    if not any(r in path.parents for r in roots if r.is_dir()):
        return False
    if path.suffix in CHAIN_SUFFIXES:
        return True
    if path.suffix == ".py":
        try:
            return bool(_DERIVATION_LINE.search(path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            return False
    return False


def pytest_collect_file(file_path, parent):
    if not _selected(parent.config, file_path):
        return None
    if file_path.suffix == ".py":
        return DerivationFile.from_parent(parent, path=file_path)
    return ChainFile.from_parent(parent, path=file_path)


def _options(config) -> dict:
    return {"digits": int(config.getini("stepcheck_digits")), "timeout": float(config.getini("stepcheck_timeout"))}


class StepcheckFailure(Exception):
    """A claim or step whose verdict is not what it must be (the message says which and why)."""


# -- derivation modules ---------------------------------------------------------------------------
class DerivationFile(pytest.File):
    """A module defining ``DERIVATION``: one item per claim, control and erratum."""

    _result = None

    def collect(self):
        import derivations
        from derivations.engine.errors import BadInput
        try:
            self.derivation = derivations.load_path(self.path)
        except BadInput as exc:
            raise self.CollectError(str(exc)) from None
        d = self.derivation
        for c in d.claims:
            yield ClaimItem.from_parent(self, name=c.id, kind="claim", key=c.id)
        for c in d.controls:
            yield ClaimItem.from_parent(self, name=f"control {c.id}", kind="control", key=c.id)
        for e in d.errata:
            yield ClaimItem.from_parent(self, name=f"erratum {e.id}", kind="erratum", key=e.id)

    def result(self):
        if self._result is None:
            from stepcheck.api import verify
            self._result = verify(self.derivation, **_options(self.config))
        return self._result


class ClaimItem(pytest.Item):
    def __init__(self, *, kind: str, key: str, **kw):
        super().__init__(**kw)
        self.kind, self.key = kind, key

    def runtest(self):
        from numeric.counterexamples import describe_counterexample
        res = self.parent.result()
        if self.kind == "erratum":
            e = next(e for e in res.errata if e.id == self.key)
            if not e.ok:
                raise StepcheckFailure(f"erratum {e.id} not confirmed: {e.evidence}")
            return
        pool = res.claims if self.kind == "claim" else res.negative_controls
        r = next(r for r in pool if r.id == self.key)
        cx = describe_counterexample(r.counterexample)
        why = "; ".join(x for x in (cx, r.detail) if x)
        if self.kind == "claim" and not r.ok:
            raise StepcheckFailure(f"claim {r.id}: {r.statement}\n{r.verdict.value}" + (f": {why}" if why else ""))
        if self.kind == "control" and r.verdict.value != "refuted":
            raise StepcheckFailure(f"negative control {r.id} (must be refuted): {r.statement}\n{r.verdict.value}"
                                   + (f" ({r.method or r.detail})" if (r.method or r.detail) else ""))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, StepcheckFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"{self.kind} {self.key}"


# -- chain documents ------------------------------------------------------------------------------
class ChainFile(pytest.File):
    """A Markdown or LaTeX document: one item per step, per unread block, and for its problems."""

    _result = None

    def collect(self):
        from derivations.engine.errors import BadInput
        from stepcheck.api import document_problems, read_document, read_steps
        try:
            self.document = read_steps(read_document(Path(self.path)))
        except BadInput as exc:
            raise self.CollectError(f"{self.path}: {exc}") from None
        for block in self.document.blocks:
            if block.error:
                yield ChainItem.from_parent(self, name=f"block {block.index} (line {block.line})",
                                            key=("block", block.index))
            for s in block.steps:
                yield ChainItem.from_parent(self, name=f"block {s.block} step {s.step} (line {s.line})",
                                            key=("step", s.block, s.step))
        if document_problems(self.document):
            yield ChainItem.from_parent(self, name="document", key=("problems",))

    def result(self):
        if self._result is None:
            from stepcheck.api import verify_steps
            self._result = verify_steps(self.document, **_options(self.config))
        return self._result


class ChainItem(pytest.Item):
    def __init__(self, *, key: tuple, **kw):
        super().__init__(**kw)
        self.key = key

    def runtest(self):
        if self.key[0] == "block":
            block = next(b for b in self.parent.document.blocks if b.index == self.key[1])
            raise StepcheckFailure(f"block {block.index} (line {block.line}) not parsed: {block.error}")
        if self.key[0] == "problems":
            from stepcheck.api import document_problems
            raise StepcheckFailure("\n".join(document_problems(self.parent.document)))
        res = self.parent.result()
        s = next(s for s in res.steps if (s.block, s.step) == self.key[1:])
        if not s.ok:
            used = "; ".join(f"{k}: {v}" for k, v in s.assumptions.items())
            raise StepcheckFailure(f"{s.where}: {s.lhs_tex} {s.relation} {s.rhs_tex}\n{s.verdict.value}: {s.evidence()}"
                                   + (f"\nassuming {used}" if used else ""))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, StepcheckFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.name
