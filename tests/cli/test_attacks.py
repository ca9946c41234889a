"""Hostile input through `python cli.py check`: every attack class is refused with exit status 2
and one line starting 'Error:', no traceback, and no code runs."""
import pytest

ATTACKS = {
    "import": "__import__('os')",
    "subclasses": "().__class__.__mro__[1].__subclasses__()",
    "dunder attribute": "x.__class__",
    "eval": "eval('1')",
    "exec": "exec('import os')",
    "open": "open('f')",
    "lambda": "(lambda: 1)()",
    "list comprehension": "[t for t in (1, 2)]",
    "set comprehension": "{t for t in (1, 2)}",
    "generator": "sum(t for t in (1, 2))",
    "string": "'abc'",
    "string escape": "'\\x5f\\x5fimport\\x5f\\x5f'",
    "f-string": "f'{x}'",
    "subscript": "x[0]",
    "keyword": "sin(x=1)",
    "starred": "sin(*x)",
    "walrus": "(y := 1)",
    "tower of powers": "10**10**10**10",
    "huge symbolic power": "x**(10**9)",
    "huge integer literal": "1" * 100_000,
    "huge factorial": "factorial(10**7)",
    "100 kB input": "x+" * 50_000 + "x",
    "nested parentheses": "(" * 10_000 + "x" + ")" * 10_000,
    "deep parentheses within length": "(" * 200 + "x" + ")" * 200,
    "deep unary minus": "-" * 1999 + "x",
    "NUL byte": "x\x00+1",
    "empty": "",
    "blank": "   ",
    "unknown function": "frobnicate(x)",
    "ragged matrix": "Matrix([[1, 2], [3]])",
    "non-square power": "Matrix([[1, 2]])**2",
    "power via exp(log)": "exp(10**9*log(2))",
    "power via root": "root(2, 1/10**18)",
}


@pytest.mark.parametrize("payload", ATTACKS.values(), ids=ATTACKS.keys())
def test_attack_is_refused_with_one_line(cli, payload):
    refused(cli("check", "--", payload, "x"))


@pytest.mark.parametrize("name", ["import", "subclasses", "tower of powers", "NUL byte", "empty"])
def test_attack_on_the_right_hand_side(cli, name):
    refused(cli("check", "--", "x", ATTACKS[name]))


def refused(r):
    assert r.exit_code == 2, r.output
    assert r.stdout == "" and "Traceback" not in r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")


@pytest.mark.parametrize("lhs, rhs, message", [
    ("Matrix([[1, 2]])", "Matrix([[1], [2]])", "matrix shapes differ: (1, 2) vs (2, 1)"),
    ("Matrix([[x]])", "x", "one side is a matrix and the other is not"),
])
def test_mismatched_sides(cli, lhs, rhs, message):
    r = cli("check", lhs, rhs)
    assert r.exit_code == 2 and r.stderr.strip() == f"Error: {message}"


@pytest.mark.parametrize("template", [
    "__import__('os').system('touch {path}')",
    "open('{path}', 'w')",
    "f\"{{__import__('os').system('touch {path}')}}\"",
    "[__import__('os').system('touch {path}') for _ in (1,)]",
    "(lambda: __import__('os').system('touch {path}'))()",
    "().__class__.__base__.__subclasses__()[0]('touch {path}')",
])
def test_no_code_runs(cli, tmp_path, template):
    target = tmp_path / "pwned"
    payload = template.format(path=target)
    r = cli("check", payload, "x")
    assert r.exit_code == 2 and r.stderr.startswith("Error: ")
    assert not target.exists()
