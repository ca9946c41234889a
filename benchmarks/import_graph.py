"""The import graph of the project's own modules: modules, arrows, circles and upward arrows.

    python benchmarks/import_graph.py [ROOT]

Every ``import``/``from ... import`` of a project module counts, also inside functions (a lazy
import is still a dependency).  Layers, lowest first (an arrow may point to its own layer or
below): ``numeric`` < ``derivations.engine`` (claims, strategies, verdicts, parser, budgets,
rendering) < ``derivations.toolkit`` (shared mathematics) < posts < the catalog
(``derivations/__init__``) < ``derivations.engine.report`` < ``stepcheck`` and ``cli``.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGES = ("numeric", "derivations", "stepcheck")
LAYERS = ("numeric", "engine", "toolkit", "post", "catalog", "report", "cli")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_modules(root: Path) -> dict:
    """``{module name: path}`` of every Python module of the project (tests and benchmarks excluded)."""
    out = {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            out[module_name(root, path)] = path
    if (root / "cli.py").is_file():
        out["cli"] = root / "cli.py"
    return out


def _resolve(name: str, modules: dict) -> str | None:
    """The project module ``name`` refers to (``a.b.c`` may be the attribute ``c`` of module ``a.b``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(name: str, path: Path, modules: dict) -> set:
    """The project modules ``name`` imports (at any depth of its code)."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")
                up = up[:len(up) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            subs = [f"{base}.{a.name}" for a in node.names]
            # ``from pkg import sub`` names the submodule; any other name is an attribute of ``pkg``
            targets = [t for t in subs if t in modules] or [base]
        for t in targets:
            hit = _resolve(t, modules)
            if hit and hit != name:
                out.add(hit)
    return out


def layer(name: str) -> str:
    if name.startswith("numeric"):
        return "numeric"
    if name.startswith("derivations.engine.report"):
        return "report"
    if name.startswith("derivations.engine"):
        return "engine"
    if name.startswith("derivations.toolkit"):
        return "toolkit"
    if name == "derivations":
        return "catalog"
    if name.startswith("derivations"):
        return "post"
    return "cli"


def graph(root: Path) -> dict:
    modules = project_modules(root)
    return {name: imports(name, path, modules) for name, path in modules.items()}


def upward(g: dict) -> list:
    """Arrows from a module to a module of a higher layer."""
    rank = {k: i for i, k in enumerate(LAYERS)}
    return sorted((a, b) for a, bs in g.items() for b in bs if rank[layer(b)] > rank[layer(a)])


def post_to_post(g: dict) -> list:
    """Arrows between two different posts (a post's own package may import itself)."""
    def post_of(m):
        return m.split(".")[1] if layer(m) == "post" else None
    return sorted((a, b) for a, bs in g.items() for b in bs
                  if post_of(a) and post_of(b) and post_of(a) != post_of(b))


def cycles(g: dict) -> list:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return sorted(out)


def main(root: Path) -> None:
    g = graph(root)
    arrows = sum(len(v) for v in g.values())
    print(f"modules {len(g)}, arrows {arrows}")
    for title, rows in (("circles", cycles(g)), ("upward arrows", upward(g)), ("post -> post arrows", post_to_post(g))):
        print(f"{title}: {len(rows)}")
        for r in rows:
            print("  " + (" <-> ".join(r) if title == "circles" else f"{r[0]} -> {r[1]}"))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent))
