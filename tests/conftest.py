import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import pytest  # noqa: E402


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
