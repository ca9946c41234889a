"""Assertions and helpers shared by the derivation tests (imported by module name, like tests/quality/corpus.py)."""


def assert_verdicts(result, claims: dict, errata: tuple = ()):
    """Every claim has exactly the expected verdict, every negative control is refuted with a
    counterexample, and exactly the listed errata are confirmed (all of them)."""
    got = {c.id: c.verdict.value for c in result.claims}
    assert got == claims, {k: (got.get(k), claims.get(k)) for k in set(got) | set(claims) if got.get(k) != claims.get(k)}
    bad = [(c.id, c.verdict.value, c.detail) for c in result.negative_controls
           if c.verdict.value != "refuted" or not (c.counterexample or c.detail)]
    assert not bad, bad
    assert sorted(e.id for e in result.errata) == sorted(errata)
    assert all(e.ok for e in result.errata), [(e.id, e.evidence) for e in result.errata if not e.ok]
    assert result.verdict.value == "verified"


def by_id(items) -> dict:
    return {c.id: c for c in items}


def corrupted(claim, label, **changes):
    """``claim`` with the part of its statement labelled ``label`` changed (``changes`` replace fields of that
    part): an error planted in the stated mathematics, which the engine must refute."""
    from dataclasses import replace

    from derivations.engine import All
    stmt = claim.build()
    parts = tuple(replace(p, **changes) if lab == label else p for lab, p in stmt.labelled())
    return replace(claim, build=lambda: All(parts, stmt.labels))
