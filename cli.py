"""stepcheck: check the derivations of ML-theory posts step by step.

Only click is imported at start-up; SymPy and the derivations load when a command runs.
"""
from __future__ import annotations

import json
import os
import sys

import click

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Claims run in parallel processes; a multithreaded BLAS in each only oversubscribes the cores.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

MAX_DIGITS = 1000
MAX_TIMEOUT = 3600.0
MEMORY_MB = 4096  # derivations.engine.budget.DEFAULT_MEMORY_MB, not imported: start-up stays click-only


class InputError(click.ClickException):
    """Bad input: one line on stderr, exit status 2."""

    exit_code = 2


class _Group(click.Group):
    """A click group whose every usage error is a single line (no usage banner)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def _fail(exc) -> None:
    raise InputError(str(exc))


def _check_common(digits: int, timeout: float) -> None:
    if not 5 <= digits <= MAX_DIGITS:
        raise click.BadParameter(f"digits must be between 5 and {MAX_DIGITS}, got {digits}", param_hint="--digits")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise click.BadParameter(f"timeout must be in (0, {MAX_TIMEOUT:g}] seconds, got {timeout:g}", param_hint="--timeout")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Check the derivations of ML-theory blog posts: which steps are proved, which are
    only numerically consistent, and which are wrong (with a counterexample)."""


@main.command("list")
def list_cmd():
    """List the derivations in the catalog: slug, title, date, number of claims."""
    from derivations import load, slugs
    for slug in slugs():
        d = load(slug)
        click.echo(f"{slug:<18} {d.date}  {len(d.claims):>3} claims  {d.title}")


@main.command()
@click.argument("slug", required=False)
@click.option("--all", "all_", is_flag=True, help="Verify every derivation in the catalog.")
@click.option("--digits", default=50, show_default=True, help="Significant digits the numeric checks must agree to.")
@click.option("--seed", default=0, show_default=True, help="Seed for sampled points and Monte Carlo.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per claim and phase (symbolic, numeric).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--jobs", default=None, type=int, help="Worker processes (default: number of cores).")
@click.option("--mutants", is_flag=True,
              help="Then corrupt each claim (sign, factor 2, exponent + 1, symbols swapped, term dropped) and "
                   "print the share of corruptions the engine refutes.")
def verify(slug, all_, digits, seed, timeout, as_json, jobs, mutants):
    """Verify a derivation: one line per claim, then the derivation's verdict.

    With --mutants, also the mutation score of each derivation (its exit status is not affected).

    Exit status: 0 verified, 1 failed or incomplete, 2 usage error.
    """
    _check_common(digits, timeout)
    jobs = os.cpu_count() or 1 if jobs is None else jobs
    if not 1 <= jobs <= 64:
        raise click.BadParameter(f"jobs must be between 1 and 64, got {jobs}", param_hint="--jobs")
    from derivations import load, slugs
    from derivations.engine.errors import BadInput
    from derivations.engine.render import claim_line, erratum_lines, summary_line
    from derivations.engine.verdicts import overall_verdict
    from derivations.engine.verify import verify_many
    if all_ == bool(slug):
        raise InputError("give exactly one of SLUG or --all")
    try:
        targets = [load(s) for s in (slugs() if all_ else [slug])]
    except BadInput as exc:
        _fail(exc)

    import time
    t0 = time.perf_counter()
    state = {"index": 0, "headers": set()}

    def on_result(kind, r):
        if as_json:
            return
        d = targets[state["index"]]
        if not state["headers"]:
            click.echo(f"{d.slug}: {d.title} ({d.date})")
            click.echo(f"  {d.source}")
            state["headers"].add("title")
        if kind != "claim" and kind not in state["headers"]:
            click.echo("  negative controls (must be refuted):" if kind == "control" else "  errata:")
            state["headers"].add(kind)
        if kind == "erratum":
            for line in erratum_lines(r):
                click.echo(line)
        else:
            click.echo(claim_line(r, control=kind == "control"))

    def on_derivation(res):
        state["index"] += 1
        state["headers"] = set()
        if not as_json:
            click.echo(summary_line(res))
            click.echo("")

    results = verify_many(targets, digits=digits, seed=seed, timeout=timeout, jobs=jobs,
                          on_result=on_result, on_derivation=on_derivation)
    overall = overall_verdict(r.verdict for r in results).value
    seconds = round(time.perf_counter() - t0, 3)
    reports = _mutation_reports(targets, digits, seed, timeout, jobs, as_json) if mutants else None
    if as_json:
        derivations = [r.to_json() for r in results]
        for dj, rep in zip(derivations, reports or ()):
            dj["mutants"] = rep.to_json()
        payload = ({"verdict": overall, "seconds": seconds, "derivations": derivations}
                   if all_ else derivations[0])
        click.echo(json.dumps(payload, indent=2, default=str))
    elif all_:
        click.echo(f"catalog: {overall.upper()} ({sum(r.verdict == 'verified' for r in results)}/{len(results)} "
                   f"derivations verified) {seconds:.2f}s")
    sys.exit(0 if overall == "verified" else 1)


MUTANT_TIMEOUT = 2.0  # seconds per mutant and phase (capped by --timeout)


def _mutation_reports(targets, digits, seed, timeout, jobs, quiet):
    """Mutants of every claim (derivations.engine.mutants), printed unless ``quiet``."""
    from derivations.engine.mutants import mutate_many
    reports = mutate_many(targets, digits=digits, seed=seed, timeout=min(timeout, MUTANT_TIMEOUT), jobs=jobs)
    if not quiet:
        for rep in reports:
            for line in rep.lines():
                click.echo(line)
        if len(reports) > 1:
            killed = sum(r.count("killed") for r in reports)
            total = killed + sum(r.count("survived") for r in reports)
            click.echo(f"catalog mutants: {killed}/{total} non-equivalent mutants refuted")
    return reports


@main.command()
@click.argument("slug", required=False)
@click.option("--digits", default=50, show_default=True, help="Significant digits the numeric checks must agree to.")
@click.option("--seed", default=0, show_default=True, help="Seed for sampled points and Monte Carlo.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per claim and phase.")
@click.option("--json", "as_json", is_flag=True, help="Print the errata as JSON.")
def errata(slug, digits, seed, timeout, as_json):
    """List the errata (places where a post is wrong or imprecise) with their evidence,
    for one derivation or the whole catalog.

    Exit status: 0 when every erratum is confirmed, 1 otherwise, 2 usage error.
    """
    _check_common(digits, timeout)
    from derivations import load, slugs
    from derivations.engine.errors import BadInput
    from derivations.engine.verify import verify_erratum
    try:
        targets = [load(s) for s in ([slug] if slug else slugs())]
    except BadInput as exc:
        _fail(exc)
    rows = []
    for d in targets:
        for e in d.errata:
            er = verify_erratum(e, digits, seed, timeout)
            row = {k: v for k, v in er.to_json().items() if k in ("id", "post_says", "correct", "evidence", "note", "ok")}
            rows.append({"slug": d.slug, **row})
            if not as_json:
                mark = "confirmed" if er.ok else "NOT CONFIRMED"
                click.echo(f"{d.slug}/{e.id} [{mark}]")
                click.echo(f"  post says: {e.post_says.statement}")
                click.echo(f"  correct:   {e.correct.statement}")
                click.echo(f"  evidence:  {er.evidence}")
                if e.note:
                    click.echo(f"  note:      {e.note}")
    if as_json:
        click.echo(json.dumps({"errata": rows}, indent=2, default=str))
    else:
        click.echo(f"{sum(r['ok'] for r in rows)}/{len(rows)} errata confirmed")
    sys.exit(0 if all(r["ok"] for r in rows) else 1)


@main.command()
@click.argument("slug")
@click.option("--document", is_flag=True, help="Print a standalone .tex document.")
def latex(slug, document):
    """Print a derivation's claims and derived results as LaTeX."""
    from derivations import load
    from derivations.engine.errors import BadInput
    from derivations.engine.render import latex_claims
    try:
        d = load(slug)
    except BadInput as exc:
        _fail(exc)
    click.echo(latex_claims(d, document=document))


@main.command()
@click.argument("lhs")
@click.argument("rhs")
@click.option("--domain", "domains", multiple=True, metavar="x=a..b",
              help="Sampling domain of a real symbol (implies real; integers if a, b are integers and x is integer).")
@click.option("--assume", "assumptions", multiple=True, metavar="x=positive",
              help="SymPy assumption on a symbol: real, positive, negative, nonnegative, nonpositive, integer, nonzero.")
@click.option("--digits", default=50, show_default=True, help="Significant digits the numeric check must agree to.")
@click.option("--seed", default=0, show_default=True, help="Seed for the sampled points.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds for each phase (symbolic, numeric).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--memory", default=MEMORY_MB, show_default=True, metavar="MB",
              help="Memory bound (address space, MiB) of the check; exceeding it gives unknown.")
def check(lhs, rhs, domains, assumptions, digits, seed, timeout, as_json, memory):
    """Check the identity LHS = RHS (SymPy syntax) on the same engine.

    Exit status: 0 proved or checked, 1 refuted or unknown, 2 bad input.
    """
    _check_common(digits, timeout)
    if not 64 <= memory <= 1 << 20:
        raise click.BadParameter(f"memory must be between 64 and {1 << 20} MiB, got {memory}", param_hint="--memory")
    from derivations.engine.adhoc import adhoc_claim
    from derivations.engine.errors import BadInput
    from derivations.engine.verify import verify_claim
    from numeric.identity import describe_counterexample
    try:
        claim = adhoc_claim(lhs, rhs, domains, assumptions)
    except BadInput as exc:
        _fail(exc)
    r = verify_claim(claim, digits=digits, seed=seed, timeout=timeout, memory_mb=memory)
    if as_json:
        click.echo(json.dumps({"verdict": r.verdict.value, "symbolic": r.symbolic, "numeric": r.numeric,
                               "digits": r.digits, "counterexample": r.counterexample, "seconds": r.seconds,
                               "method": r.method, "detail": r.detail}, indent=2, default=str))
    else:
        how = r.method or r.detail
        cx = describe_counterexample(r.counterexample)
        ok = r.ok
        click.echo(f"{r.verdict.value}" + (f" ({r.digits:.0f} digits)" if ok and r.digits is not None else "")
                   + (f" by {how}" if how and r.verdict != "refuted" else "")
                   + (f": {cx}" if cx else "") + f"  [{r.seconds:.2f}s]")
        if r.verdict == "unknown" and r.detail and r.detail != how:
            click.echo(f"  {r.detail}")
    sys.exit(0 if r.ok else 1)


@main.command()
@click.argument("slug", required=False)
@click.option("--all", "all_", is_flag=True, help="Report on every derivation in the catalog.")
@click.option("--out", required=True, metavar="DIR", help="Directory to write the report into (created if needed).")
@click.option("--format", "formats", default="md,tex,html", show_default=True, help="Comma-separated: md, tex, html, pdf.")
@click.option("--digits", default=50, show_default=True, help="Significant digits the numeric checks must agree to.")
@click.option("--seed", default=0, show_default=True, help="Seed for sampled points and Monte Carlo.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per claim and phase (symbolic, numeric).")
@click.option("--jobs", default=None, type=int, help="Worker processes (default: number of cores).")
@click.option("--no-plots", is_flag=True, help="Skip the figures (they need matplotlib: stepcheck[plots]).")
def report(slug, all_, out, formats, digits, seed, timeout, jobs, no_plots):
    """Verify, then write reports people read: Markdown pages, one LaTeX document (PDF with
    latexmk), offline HTML pages with KaTeX, claim graphs and plots.

    Exit status: 0 written, 1 a PDF could not be compiled, 2 usage error.
    """
    _check_common(digits, timeout)
    from derivations.engine.errors import BadInput
    from derivations.engine.report import run_report
    try:
        code = run_report(slug, all_, out, formats, digits, seed, timeout, jobs, not no_plots, echo=click.echo)
    except BadInput as exc:
        _fail(exc)
    sys.exit(code)


if __name__ == "__main__":
    main()
