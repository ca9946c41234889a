"""verify's cache (derivations.engine.cache): a verified catalog derivation comes back, identical
and marked cached, only under the key of the same sources, libraries and settings."""
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import derivations
from derivations.engine import cache, scheduler
from derivations.engine.verdicts import DerivationVerdict
from derivations.engine.verify import verify_many

SLUG = "lion"  # a quick derivation with claims, controls and an erratum


@pytest.fixture
def d():
    return derivations.load(SLUG)


def _no_verification(*args, **kwargs):
    raise AssertionError("a cached derivation was verified again")


def test_a_verified_derivation_comes_back_identical_without_verifying(d, monkeypatch):
    first = verify_many([d], cache=derivations.CATALOG)[0]
    assert first.verdict is DerivationVerdict.VERIFIED and not first.cached and first.errata
    assert (cache.directory() / f"{SLUG}.json").is_file()
    monkeypatch.setattr(scheduler, "run_chunks", _no_verification)
    again = verify_many([d], cache=derivations.CATALOG)[0]
    assert again.cached
    assert {**again.to_json(), "cached": False} == first.to_json()
    assert [c.verdict for c in again.negative_controls] == [c.verdict for c in first.negative_controls]


def test_without_the_cache_every_claim_is_verified(d):
    verify_many([d], cache=derivations.CATALOG)
    assert not verify_many([d])[0].cached


def test_a_cached_derivation_leaves_the_workers_to_the_others(d, monkeypatch):
    """With the rest cached, a single derivation still to verify is split across the jobs."""
    verify_many([d], cache=derivations.CATALOG)
    seen = []

    def run_chunks(chunks, *args, **kwargs):
        seen.append(len(chunks))
        kwargs["jobs"] = 1
        return original(chunks, *args, **kwargs)
    original = scheduler.run_chunks
    monkeypatch.setattr(scheduler, "run_chunks", run_chunks)
    out = verify_many([d, derivations.load("attnrnn")], jobs=2, cache=derivations.CATALOG)
    assert [r.cached for r in out] == [True, False] and seen == [2]


@pytest.fixture
def tree(tmp_path):
    """A copy of the engine's and the posts' sources, to edit."""
    for top in ("derivations", "numeric"):
        shutil.copytree(cache.ROOT / top, tmp_path / top, ignore=shutil.ignore_patterns("assets", "__pycache__"))
    cache._engine_digest.cache_clear()
    yield tmp_path
    cache._engine_digest.cache_clear()


def _edit(path: Path):
    path.write_text(path.read_text() + "\n# edited\n")
    cache._engine_digest.cache_clear()


def test_the_key_follows_the_sources_and_the_settings(tree):
    before = {s: cache.sources_key(s, derivations.CATALOG, 50, 0, 10.0, tree) for s in ("id", SLUG, "hippo")}
    assert len(set(before.values())) == 3
    assert cache.sources_key(SLUG, derivations.CATALOG, 50, 0, 10.0, tree) == before[SLUG]
    for settings in ((40, 0, 10.0), (50, 1, 10.0), (50, 0, 5.0)):
        assert cache.sources_key(SLUG, derivations.CATALOG, *settings, tree) != before[SLUG]
    _edit(tree / "derivations" / "interp_decomp.py")  # the post "id": only its own key moves
    after = {s: cache.sources_key(s, derivations.CATALOG, 50, 0, 10.0, tree) for s in before}
    assert after["id"] != before["id"] and after[SLUG] == before[SLUG] and after["hippo"] == before["hippo"]
    _edit(tree / "derivations" / "hippo" / "legendre.py")  # a file of a post package
    assert cache.sources_key("hippo", derivations.CATALOG, 50, 0, 10.0, tree) != after["hippo"]
    _edit(tree / "numeric" / "identity.py")  # the engine: every key moves
    assert all(cache.sources_key(s, derivations.CATALOG, 50, 0, 10.0, tree) != after[s] for s in ("id", SLUG))


def test_the_key_changes_with_the_libraries_and_back_ends(monkeypatch):
    import mpmath.libmp
    from sympy.external import gmpy

    from numeric import certify
    k = cache.sources_key(SLUG, derivations.CATALOG, 50, 0, 10.0)
    changes = ((cache.metadata, "version", lambda name: "0.0"),
               (certify, "AVAILABLE", not certify.AVAILABLE),
               (gmpy, "GROUND_TYPES", "python" if gmpy.GROUND_TYPES != "python" else "gmpy"),
               (mpmath.libmp, "BACKEND", "python" if mpmath.libmp.BACKEND != "python" else "gmpy"))
    for module, name, value in changes:
        with monkeypatch.context() as m:
            m.setattr(module, name, value)
            assert cache.sources_key(SLUG, derivations.CATALOG, 50, 0, 10.0) != k, name
    assert cache.sources_key(SLUG, derivations.CATALOG, 50, 0, 10.0) == k


def test_only_the_catalogs_own_derivation_has_a_key(d):
    assert cache.key(d, derivations.CATALOG, 50, 0, 10.0) == cache.sources_key(SLUG, derivations.CATALOG, 50, 0, 10.0)
    assert cache.key(replace(d), derivations.CATALOG, 50, 0, 10.0) is None  # say a user's module with the slug lion


def test_only_a_verified_derivation_is_stored(d):
    res = verify_many([d])[0]
    k = cache.key(d, derivations.CATALOG, 50, 0, 10.0)
    assert not cache.store(replace(res, verdict=DerivationVerdict.FAILED), k)
    assert not cache.store(replace(res, verdict=DerivationVerdict.INCOMPLETE), k)
    assert not cache.store(replace(res, cached=True), k)
    assert not (cache.directory() / f"{SLUG}.json").exists()
    assert cache.store(res, k) and cache.load(SLUG, k).to_json() == {**res.to_json(), "cached": True}


@pytest.mark.parametrize("content", ["{not json", json.dumps({"key": "another", "result": {}}),
                                     json.dumps({"key": None}), "[]"])
def test_an_unreadable_or_foreign_entry_is_a_miss_and_is_replaced(d, content):
    k = cache.key(d, derivations.CATALOG, 50, 0, 10.0)
    folder = cache.directory()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{SLUG}.json").write_text(content.replace("null", json.dumps(k)))
    assert cache.load(SLUG, k) is None
    assert not verify_many([d], cache=derivations.CATALOG)[0].cached
    assert cache.load(SLUG, k) is not None


def test_a_cache_that_cannot_be_written_is_not_used(d, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("STEPCHECK_CACHE_DIR", str(blocker / "cache"))
    assert verify_many([d], cache=derivations.CATALOG)[0].verdict is DerivationVerdict.VERIFIED
    assert not verify_many([d], cache=derivations.CATALOG)[0].cached


def test_the_directory_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("STEPCHECK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.directory() == tmp_path / "stepcheck"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.directory() == tmp_path / ".cache" / "stepcheck"
