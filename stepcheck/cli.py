"""The command line: ``stepcheck`` (installed), ``python -m stepcheck``, ``python cli.py``.

Only click is imported at start-up; SymPy and the derivations load when a command runs.  Bad
input of any kind raises an exception that carries its exit status (``BadInput``: 2, click's
usage errors: 2) and is caught once, in :meth:`_Group.main`, which prints one line.
"""
from __future__ import annotations

import json
import os
import sys

import click

from stepcheck import __version__

# Claims run in parallel processes; a multithreaded BLAS in each only oversubscribes the cores.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

MAX_DIGITS = 1000
MAX_TIMEOUT = 3600.0
MAX_JOBS = 64
MEMORY_MB = 4096  # derivations.engine.budget.DEFAULT_MEMORY_MB, not imported: start-up stays click-only
INTERRUPTED = 130  # the shell's status for a command stopped by Ctrl-C (128 + SIGINT)


class _Group(click.Group):
    """A click group whose every error is a single line on stderr with the error's own status."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from derivations.engine.errors import BadInput, MissingTool
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except (click.ClickException, BadInput, MissingTool) as exc:
            message = exc.format_message() if isinstance(exc, click.ClickException) else str(exc)
            click.echo(f"Error: {message}{_hint(exc)}", err=True)
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("Interrupted.", err=True)
            sys.exit(INTERRUPTED)
        sys.exit(rv if isinstance(rv, int) else 0)


def _hint(exc) -> str:
    """What to do about a click error that has an obvious fix: a side of ``check`` (or a file of
    ``chain``) that starts with '-' is read as an option unless it follows ``--``."""
    ctx = getattr(exc, "ctx", None)
    name = ctx.command.name if ctx is not None and ctx.command is not None else ""
    if isinstance(exc, click.NoSuchOption) and name in ("check", "chain") and not exc.option_name.startswith("--"):
        usage = "stepcheck check [OPTIONS] -- LHS RHS" if name == "check" else "stepcheck chain [OPTIONS] -- FILE"
        return f" (an argument that starts with '-' goes after '--': {usage})"
    return ""


def _check_common(digits: int, timeout: float) -> None:
    if not 5 <= digits <= MAX_DIGITS:
        raise click.BadParameter(f"digits must be between 5 and {MAX_DIGITS}, got {digits}", param_hint="--digits")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise click.BadParameter(f"timeout must be in (0, {MAX_TIMEOUT:g}] seconds, got {timeout:g}", param_hint="--timeout")


def _jobs(jobs: int | None) -> int:
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if not 1 <= jobs <= MAX_JOBS:
        raise click.BadParameter(f"jobs must be between 1 and {MAX_JOBS}, got {jobs}", param_hint="--jobs")
    return jobs


def _targets(slug: str | None, all_: bool, module: str | None = None, *, module_option: bool = False) -> list:
    """The derivations named by SLUG (a catalog slug or a path to a .py file), --module or
    --all (exactly one of them); --all includes the third-party catalogs."""
    from derivations import load, slugs
    if sum((bool(slug), all_, bool(module))) != 1:
        raise click.UsageError("give exactly one of SLUG, --module or --all" if module_option
                               else "give exactly one of SLUG or --all")
    if all_:
        _plugin_warnings()
        return [load(s) for s in slugs()]
    if module:
        return [_load_module(module)]
    return [_derivation(slug)]


def _derivation(target: str):
    """A catalog slug, or a path to a module defining DERIVATION (ending in .py or naming a file)."""
    import derivations
    if target in derivations.CATALOG:
        return derivations.load(target)
    if target.endswith(".py") or os.sep in target or os.path.isfile(target):
        return derivations.load_path(target)
    return derivations.load(target)


def _load_module(name: str):
    """The DERIVATION of the module NAME, found on sys.path or in the current directory."""
    import derivations
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    return derivations.load_module(name)


def _complete_slug(ctx, param, incomplete: str):
    """Shell completion of SLUG: the catalog's slugs (read without importing a post), the
    installed catalogs' slugs, and files for a path."""
    from click.shell_completion import CompletionItem

    from derivations import CATALOG
    names = list(CATALOG)
    try:
        from derivations import plugins
        names += list(plugins()[0])
    except Exception:  # a broken third-party catalog must not break completion
        pass
    items = [CompletionItem(n) for n in names if n.startswith(incomplete)]
    if not items or os.sep in incomplete or incomplete.startswith(".") or incomplete.endswith(".py"):
        items.append(CompletionItem(incomplete, type="file"))
    return items


def _plugin_warnings() -> None:
    """Each problem with an installed third-party catalog, one line on stderr."""
    from derivations import plugins
    for problem in plugins()[1]:
        click.echo(f"Warning: {problem}", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stepcheck", message="%(prog)s %(version)s")
def main():
    """Check the derivations of ML-theory blog posts: which steps are proved, which are
    only numerically consistent, and which are wrong (with a counterexample)."""


def _dump(payload: dict) -> None:
    """A JSON document on stdout (the contract: derivations/engine/contract.py)."""
    click.echo(json.dumps(payload, indent=2, default=str))


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def list_cmd(as_json):
    """List the derivations in the catalog (and in installed third-party catalogs): slug,
    title, date, number of claims.

    Exit status: 0 (a third-party catalog that cannot be read is a warning on stderr).
    """
    from derivations import CATALOG, info, plugins
    found, problems = plugins()  # one scan of the installed distributions
    for problem in problems:
        click.echo(f"Warning: {problem}", err=True)
    rows = [info(slug) for slug in [*CATALOG, *found]]
    if as_json:
        from derivations.engine.contract import envelope
        _dump(envelope("list", {}, version=__version__,
                       derivations=[{"slug": d.slug, "title": d.title, "date": d.date, "claims": d.claims}
                                    for d in rows], problems=list(problems)))
        return
    width = max([18] + [len(d.slug) for d in rows])
    for d in rows:
        click.echo(f"{d.slug:<{width}} {d.date}  {d.claims:>3} claims  {d.title}")


SLUG_HELP = "SLUG is a catalog slug (see 'stepcheck list') or a path to your own module (a .py file defining DERIVATION)."


@main.command()
@click.argument("slug", required=False, shell_complete=_complete_slug)
@click.option("--module", metavar="PKG.MOD", help="Verify the DERIVATION of this module (on sys.path or in the "
                                                   "current directory).")
@click.option("--all", "all_", is_flag=True, help="Verify every derivation in the catalog and installed catalogs.")
@click.option("--digits", default=50, show_default=True, help="Significant digits the numeric checks must agree to.")
@click.option("--seed", default=0, show_default=True, help="Seed for sampled points and Monte Carlo.")
@click.option("--timeout", default=10.0, show_default=True, help="CPU seconds per claim and phase (symbolic, numeric).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON (nothing else on stdout).")
@click.option("--jobs", default=None, type=int, help="Worker processes (default: number of cores).")
@click.option("--mutants", is_flag=True,
              help="Then corrupt each claim (sign, factor 2, exponent + 1, symbols swapped, term dropped, digits "
                   "transposed, off by one, transposed) and print the share of corruptions the engine refutes.")
@click.option("-v", "--verbose", is_flag=True, help="Also print what each claim states (its LaTeX) and assumes.")
@click.option("-q", "--quiet", is_flag=True, help="Print only each derivation's verdict (and what is not as it "
                                                   "should be).")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse the results of a catalog derivation verified with the same sources, libraries and "
                   "settings (stored in $STEPCHECK_CACHE_DIR or ~/.cache/stepcheck).")
def verify(slug, module, all_, digits, seed, timeout, as_json, jobs, mutants, verbose, quiet, cache):
    """Verify a derivation: one line per claim (verdict, id, agreeing digits, time, method),
    the negative controls, the errata, then the derivation's verdict.

    SLUG is a catalog slug or a path to your own module (a .py file defining DERIVATION).

    With --mutants, also the mutation score of each derivation (its exit status is not affected).
    A catalog derivation verified before with the same sources, libraries and settings is not
    verified again: its stored results are shown, marked cached (--no-cache verifies it anyway).
    On a terminal, progress is shown on stderr and verdicts are coloured (unless NO_COLOR is set).

    Exit status: 0 verified, 1 failed or incomplete, 2 usage error.
    """
    import time

    from derivations.engine.render import claim_line, erratum_lines, id_width, statement_lines, summary_line
    from derivations.engine.verdicts import overall_verdict
    from derivations.engine.verify import verify_many
    from stepcheck.terminal import Progress, colour_wanted, painter
    if verbose and quiet:
        raise click.UsageError("give at most one of --verbose and --quiet")
    _check_common(digits, timeout)
    jobs = _jobs(jobs)
    targets = _targets(slug, all_, module, module_option=True)
    t0 = time.perf_counter()
    paint = painter(colour_wanted())
    total = sum(len(d.claims) + len(d.controls) + len(d.errata) for d in targets)
    progress = Progress("verifying", total)
    state = {"index": 0, "headers": set()}
    show = not as_json and not quiet

    def on_result(kind, r):
        d = targets[state["index"]]
        progress.advance(note=d.slug)
        if not show:
            return
        if not state["headers"]:
            progress.echo(f"{d.slug}: {d.title} ({d.date})")
            progress.echo(f"  {d.source}")
            state["headers"].add("title")
            state["width"] = id_width(c.id for c in (*d.claims, *d.controls))
            state["claims"] = {c.id: c for c in (*d.claims, *d.controls)}
        if kind != "claim" and kind not in state["headers"]:
            progress.echo("  negative controls (must be refuted):" if kind == "control" else "  errata:")
            state["headers"].add(kind)
        lines = (erratum_lines(r, paint) if kind == "erratum"
                 else [claim_line(r, control=kind == "control", width=state["width"], paint=paint)])
        if verbose and kind != "erratum" and r.id in state["claims"]:
            lines += statement_lines(state["claims"][r.id])
        for line in lines:
            progress.echo(line)

    def on_derivation(res):
        state["index"] += 1
        state["headers"] = set()
        if as_json:
            return
        if quiet:
            from stepcheck.api import failures
            for line in failures(res):
                progress.echo(f"{res.slug}:{line[1:]}")
        progress.echo(summary_line(res, paint))
        if not quiet:
            progress.echo("")

    with progress:
        results = verify_many(targets, digits=digits, seed=seed, timeout=timeout, jobs=jobs,
                              on_result=on_result, on_derivation=on_derivation,
                              cache=_builtin_catalog() if cache else None)
        overall = overall_verdict(r.verdict for r in results)
        seconds = round(time.perf_counter() - t0, 3)
        reports = (_mutation_reports(targets, digits, seed, timeout, jobs, as_json or quiet, progress)
                   if mutants else None)
    if as_json:
        from derivations.engine.contract import envelope, settings
        derivations = [r.to_json() for r in results]
        for dj, rep in zip(derivations, reports or ()):
            dj["mutants"] = rep.to_json()
        _dump(envelope("verify", settings(digits, seed, timeout, jobs), version=__version__,
                       input={"target": slug or module, "all": bool(all_), "mutants": bool(mutants)},
                       verdict=overall.value, seconds=seconds, derivations=derivations))
    elif all_:
        click.echo(f"catalog: {paint(overall.value, overall.value.upper())} "
                   f"({sum(r.verdict == 'verified' for r in results)}/{len(results)} derivations verified) {seconds:.2f}s"
                   + (f"; {n_cached} cached, unchanged since verified (--no-cache verifies them again)"
                      if (n_cached := sum(r.cached for r in results)) else ""))
    sys.exit(0 if overall == "verified" else 1)


def _builtin_catalog() -> dict:
    from derivations import CATALOG
    return CATALOG


MUTANT_TIMEOUT = 4.0  # seconds per mutant and phase (capped by --timeout)


def _mutation_reports(targets, digits, seed, timeout, jobs, quiet, progress=None):
    """Mutants of every claim (derivations.engine.mutants), printed unless ``quiet``."""
    from derivations.engine.mutants import mutate_many
    echo = progress.echo if progress is not None else click.echo
    if progress is not None:
        progress.start("mutants: claims", sum(len(d.claims) for d in targets))
    reports = mutate_many(targets, digits=digits, seed=seed, timeout=min(timeout, MUTANT_TIMEOUT), jobs=jobs,
                          claim_timeout=timeout, on_claim=progress.advance if progress is not None else None)
    if not quiet:
        for rep in reports:
            for line in rep.lines():
                echo(line)
        if len(reports) > 1:
            killed = sum(r.count("killed") for r in reports)
            total = killed + sum(r.count("survived") for r in reports)
            echo(f"catalog mutants: {killed}/{total} non-equivalent mutants refuted")
    return reports


@main.command()
@click.argument("slug", required=False, shell_complete=_complete_slug)
@click.option("--digits", default=50, show_default=True, help="Significant digits the numeric checks must agree to.")
@click.option("--seed", default=0, show_default=True, help="Seed for sampled points and Monte Carlo.")
@click.option("--timeout", default=10.0, show_default=True, help="CPU seconds per claim and phase.")
@click.option("--json", "as_json", is_flag=True, help="Print the errata as JSON.")
def errata(slug, digits, seed, timeout, as_json):
    """List the errata (places where a post is wrong or imprecise) with their evidence,
    for one derivation (a slug or a path to a module) or the whole catalog.

    Exit status: 0 when every erratum is confirmed, 1 otherwise, 2 usage error.
    """
    from derivations.engine.render import erratum_block
    from derivations.engine.verify import verify_erratum
    from stepcheck.terminal import colour_wanted, painter
    _check_common(digits, timeout)
    targets = _targets(slug, not slug)
    paint = painter(colour_wanted())
    rows, results = [], []
    for d in targets:
        for e in d.errata:
            er = verify_erratum(e, digits, seed, timeout)
            results.append(er)
            rows.append({"slug": d.slug, **er.to_json()})
            if not as_json:
                for line in erratum_block(d.slug, er, paint):
                    click.echo(line)
    if as_json:
        from derivations.engine.contract import envelope, settings
        _dump(envelope("errata", settings(digits, seed, timeout), version=__version__,
                       input={"target": slug, "all": not slug},
                       confirmed=sum(r.ok for r in results), errata=rows))
    else:
        click.echo(f"{sum(r.ok for r in results)}/{len(results)} errata confirmed")
    sys.exit(0 if all(r.ok for r in results) else 1)


@main.command()
@click.argument("slug", shell_complete=_complete_slug)
@click.option("--document", is_flag=True, help="Print a standalone .tex document.")
def latex(slug, document):
    """Print a derivation's claims and derived results as LaTeX (SLUG: a slug or a path to a module).

    Exit status: 0, 2 usage error.
    """
    from derivations.engine.render import latex_claims
    click.echo(latex_claims(_derivation(slug), document=document))


@main.command()
@click.argument("lhs")
@click.argument("rhs")
@click.option("--domain", "domains", multiple=True, metavar="x=a..b",
              help="Sampling domain of a real symbol (implies real; integers if a, b are integers and x is integer).")
@click.option("--assume", "assumptions", multiple=True, metavar="x=positive",
              help="SymPy assumption on a symbol: real, positive, negative, nonnegative, nonpositive, integer, nonzero.")
@click.option("--digits", default=50, show_default=True, help="Significant digits the numeric check must agree to.")
@click.option("--seed", default=0, show_default=True, help="Seed for the sampled points.")
@click.option("--timeout", default=10.0, show_default=True, help="CPU seconds for each phase (symbolic, numeric).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--memory", default=MEMORY_MB, show_default=True, metavar="MB",
              help="Memory bound (address space, MiB) of the check; exceeding it gives unknown.")
def check(lhs, rhs, domains, assumptions, digits, seed, timeout, as_json, memory):
    """Check the identity LHS = RHS (SymPy syntax: ** for powers) on the same engine.

    Options may come anywhere; a side that starts with '-' goes after '--', which ends the
    options:

        stepcheck check --assume x=positive -- "-x" "-(x)"

    Exit status: 0 proved, certified or checked, 1 refuted or unknown, 2 bad input.
    """
    from derivations.engine.adhoc import adhoc_claim
    from derivations.engine.render import check_lines
    from derivations.engine.verify import verify_claim
    from stepcheck.terminal import colour_wanted, painter
    _check_common(digits, timeout)
    if not 64 <= memory <= 1 << 20:
        raise click.BadParameter(f"memory must be between 64 and {1 << 20} MiB, got {memory}", param_hint="--memory")
    claim = adhoc_claim(lhs, rhs, domains, assumptions)
    r = verify_claim(claim, digits=digits, seed=seed, timeout=timeout, memory_mb=memory)
    if as_json:
        from derivations.engine.contract import envelope, settings
        j = r.to_json()
        _dump(envelope("check", settings(digits, seed, timeout, memory_mb=int(memory)), version=__version__,
                       input={"lhs": lhs, "rhs": rhs, "assume": list(assumptions), "domain": list(domains)},
                       **{k: j[k] for k in ("verdict", "symbolic", "numeric", "digits", "method", "detail",
                                            "counterexample", "gap", "seconds")}))
    else:
        for line in check_lines(r, painter(colour_wanted())):
            click.echo(line)
    sys.exit(0 if r.ok else 1)


@main.command()
@click.argument("slug", required=False, shell_complete=_complete_slug)
@click.option("--all", "all_", is_flag=True, help="Report on every derivation in the catalog and installed catalogs.")
@click.option("--out", required=True, metavar="DIR", help="Directory to write the report into: created, or replaced "
              "when it holds an earlier report (anything else in it is refused).")
@click.option("--format", "formats", default="md,tex,html", show_default=True, help="Comma-separated: md, tex, html, pdf.")
@click.option("--digits", default=50, show_default=True, help="Significant digits the numeric checks must agree to.")
@click.option("--seed", default=0, show_default=True, help="Seed for sampled points and Monte Carlo.")
@click.option("--timeout", default=10.0, show_default=True, help="CPU seconds per claim and phase (symbolic, numeric).")
@click.option("--jobs", default=None, type=int, help="Worker processes (default: number of cores).")
@click.option("--no-plots", is_flag=True, help="Skip the figures (they need matplotlib: stepcheck[plots]).")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse the results of a catalog derivation verified with the same sources, libraries and "
                   "settings, as verify does.")
def report(slug, all_, out, formats, digits, seed, timeout, jobs, no_plots, cache):
    """Verify, then write reports people read: Markdown pages, one LaTeX document (PDF with
    latexmk), offline HTML pages with KaTeX, claim graphs and figures, and results.json.

    The report is written into a new folder beside DIR, which then replaces DIR: no page or
    figure of an earlier report is left behind.

    Exit status: 0 written, 1 a requested PDF could not be built (or latexmk is not
    installed: nothing is written then), 2 usage error.
    """
    from derivations.engine.report import check_formats, parse_formats, prepare_outdir, run_report
    from stepcheck.terminal import Progress
    _check_common(digits, timeout)
    jobs = _jobs(jobs)
    fmts = parse_formats(formats)
    if not out.strip():
        raise click.BadParameter("the output directory must not be empty", param_hint="--out")
    targets = _targets(slug, all_)
    check_formats(fmts)
    outdir = prepare_outdir(out)
    with Progress("verifying", 0) as progress:
        status = run_report(targets, outdir, fmts, digits, seed, timeout, jobs, not no_plots, echo=progress.echo,
                            progress=progress, version=__version__, cache=_builtin_catalog() if cache else None)
    sys.exit(status)


@main.command()
@click.argument("file")
@click.option("--domain", "domains", multiple=True, metavar="x=a..b",
              help="Sampling domain of a real symbol, in force from the start (as check's).")
@click.option("--assume", "assumptions", multiple=True, metavar="x=positive",
              help="SymPy assumption on a symbol, in force from the start (as check's).")
@click.option("--digits", default=50, show_default=True, help="Significant digits the numeric checks must agree to.")
@click.option("--seed", default=0, show_default=True, help="Seed for the sampled points.")
@click.option("--timeout", default=10.0, show_default=True, help="CPU seconds per step and phase (symbolic, numeric).")
@click.option("--jobs", default=None, type=int, help="Worker processes (default: number of cores).")
@click.option("--json", "as_json", is_flag=True, help="Print the steps, unread blocks and summary as JSON.")
def chain(file, domains, assumptions, digits, seed, timeout, jobs, as_json):
    """Check a derivation as written: each step of every display-math block of a Markdown or
    LaTeX FILE ('-' reads stdin) goes through the engine.

    A block ($$..$$, \\[..\\], align, equation, ...) is a chain e0 R1 e1 R2 e2 ...; each
    adjacent pair is a step; R is =, \\le, \\ge, <, >, \\ne or \\approx.  A prose line
    'Assume: $x > 0$, $n \\in \\mathbb{Z}$' holds for the blocks after it; 'Tolerance: 1%'
    gives later \\approx steps their tolerance (an \\approx without one, stated or written as
    digits, is unknown).  Unstated symbols are complex.

    Exit status: 0 every step proved, certified or checked; 1 a step refuted or unknown, a
    block not parsed, or a problem in the document (an assumption not applied, an unclosed
    block); 2 bad input (unreadable file, too large, not text).
    """
    import time

    from stepcheck.api import decode_document, read_steps, verify_steps
    _check_common(digits, timeout)
    jobs = _jobs(jobs)
    t0 = time.perf_counter()
    text = decode_document(_read_bytes(file), "stdin" if file == "-" else file)
    doc = read_steps(text, assumptions, domains)
    res = verify_steps(doc, digits=digits, seed=seed, timeout=timeout, jobs=jobs)
    res.seconds = round(time.perf_counter() - t0, 3)
    if as_json:
        from derivations.engine.contract import envelope, settings
        _dump(envelope("chain", settings(digits, seed, timeout, jobs), version=__version__,
                       input={"file": file, "assume": list(assumptions), "domain": list(domains)}, **res.to_json()))
    else:
        for line in res.lines():
            click.echo(line)
    sys.exit(0 if res.ok else 1)


def _read_bytes(file: str) -> bytes:
    """FILE's bytes (at most one more than the limit, so that a larger one is recognised)."""
    from stepcheck.api import MAX_DOCUMENT_BYTES, DocumentError
    if file == "-":
        return click.get_binary_stream("stdin").read(MAX_DOCUMENT_BYTES + 1)
    if os.path.isdir(file):
        raise DocumentError(f"{file}: is a directory")
    try:
        with open(file, "rb") as fh:
            return fh.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise DocumentError(f"{file}: cannot read it ({exc.strerror or exc})") from None


if __name__ == "__main__":
    main()
