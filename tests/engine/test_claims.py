"""Statement builders (derivations/engine/claims.py: parts, joined; numeric.sampling.at): they assemble conjunctions the engine decides part by
part, so a wrong part is refuted with its label."""
import os

import sympy as sp

from derivations.engine import All, Identity, Inequality, claim
from derivations.engine.verify import verify_claim
from derivations.engine import at, joined, parts

x = sp.Symbol("x", real=True)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_parts_and_joined_keep_labels_in_order():
    s = joined(parts([("a", x + x, 2 * x), ("b", x * x, x ** 2)]), ("c", Inequality(x ** 2, ">=", 0)))
    assert isinstance(s, All) and s.labels == ("a", "b", "c")
    assert all(isinstance(p, Identity) for p in s.parts[:2])


def test_one_point_domain():
    d = at(0.3)
    assert (d.lo, d.hi) == (0.3, 0.3)


def test_a_wrong_part_is_refuted_by_label():
    bad = claim("t", "t")(lambda: parts([("right", (x + 1) ** 2, x ** 2 + 2 * x + 1), ("wrong", x * 2, x + 2)]))
    r = verify_claim(bad, digits=20)
    assert r.verdict == "refuted" and r.counterexample["part"] == "wrong"


def test_quantities_come_in_the_same_order_whatever_the_hash_salt():
    # a claim's method text lists its quantities in this order (reflow C1's varied between runs)
    import subprocess
    import sys
    code = ("import sympy as sp; from derivations.engine.claims import quantities, quantity\n"
            "qs = [quantity(n, exact=lambda x: x)(sp.Symbol('x')) for n in 'PQRSTUVW']\n"
            "print([type(q).__name__ for q in quantities(sp.Add(*qs))])")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}, cwd=ROOT).stdout
            for seed in (1, 2, 3)}
    assert runs == {str(list("PQRSTUVW")) + "\n"}
