"""Determinism: the same seed gives the same results, apart from timings, whether the items run
in one process or spread over two (every claim has its own seed and points)."""
from derivations import load
from derivations.engine.verify import verify_many

# small derivations with exact, numeric, Monte Carlo (lion) and erratum items
SLUGS = ("attnrnn", "cr", "lion")


def _without_timings(value):
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def test_serial_and_parallel_runs_are_identical_apart_from_timings():
    targets = [load(s) for s in SLUGS]
    serial = [_without_timings(r.to_json()) for r in verify_many(targets, seed=7, jobs=1)]
    parallel = [_without_timings(r.to_json()) for r in verify_many(targets, seed=7, jobs=2)]
    assert serial == parallel
    assert [d["slug"] for d in serial] == list(SLUGS) and all(d["verdict"] == "verified" for d in serial)
    # the runs are not trivially equal: they carry counterexamples and measured digits
    assert any(c["counterexample"] for d in serial for c in d["negative_controls"])
