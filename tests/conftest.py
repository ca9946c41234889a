import itertools
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# As in stepcheck/cli.py: tests run in parallel processes (xdist), and so do the claims of a
# verification; a multithreaded BLAS in each only oversubscribes the cores (lora-plus's
# batched products ran 15 times slower on two loaded cores).  Read when numpy loads, after this.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402


# verify's cache (derivations.engine.cache) never reaches a test from the user's ~/.cache or from
# another test: a directory of the session for fixtures of wider scope, a new one for each test
@pytest.fixture(scope="session", autouse=True)
def _session_verify_cache(tmp_path_factory):
    old = os.environ.get("STEPCHECK_CACHE_DIR")
    os.environ["STEPCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("verify-cache"))
    yield
    if old is None:
        os.environ.pop("STEPCHECK_CACHE_DIR")
    else:
        os.environ["STEPCHECK_CACHE_DIR"] = old


_CACHES = itertools.count()


@pytest.fixture(autouse=True)
def _own_verify_cache(tmp_path_factory, monkeypatch):
    """A directory of its own, created only when the test writes to the cache."""
    path = tmp_path_factory.getbasetemp() / "verify-caches" / str(next(_CACHES))
    monkeypatch.setenv("STEPCHECK_CACHE_DIR", str(path))


@pytest.fixture(scope="session")
def json_contract():
    """``validate(doc)``: ``doc`` (a parsed --json output or results.json) conforms to the JSON
    Schema of the contract (stepcheck/schema/results.schema.json), else AssertionError listing why."""
    import json

    jsonschema = pytest.importorskip("jsonschema")
    from stepcheck.api import schema_path
    validator = jsonschema.Draft202012Validator(json.loads(schema_path().read_text()),
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    def validate(doc):
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:20])
        return doc
    return validate
