"""The claim graph of a derivation as SVG, drawn in Python (no JavaScript).

Nodes are the claims, coloured by verdict; an edge ``a -> b`` means claim ``b`` uses claim
``a`` (``Claim.uses``).  A ``uses`` entry naming nothing in the derivation becomes a dashed
grey node.  Layout: a claim sits one layer below the deepest claim it uses; layers are rows
(wrapped when wide), ordered by the mean position of their parents to limit crossings.
"""
from __future__ import annotations

from html import escape

from derivations.engine.render import COLOURS  # noqa: F401 (re-exported)
from derivations.engine.report.model import anchor, resolve_use

CHAR_W, NODE_H, GAP_X, GAP_Y, MAX_W, PAD = 7.0, 26, 16, 46, 940, 12
MAX_LABEL = 30


def _layers(nodes, parents):
    depth = {}

    def d(n, seen=()):
        if n not in depth:
            ps = [p for p in parents.get(n, ()) if p not in seen and p != n]
            depth[n] = 0 if not ps else 1 + max(d(p, seen + (n,)) for p in ps)
        return depth[n]

    for n in nodes:
        d(n)
    return depth


def _label(s: str) -> str:
    return s if len(s) <= MAX_LABEL else s[:MAX_LABEL - 1] + "\u2026"


def layout(e: dict):
    """Node boxes ``{id: (x, y, w, verdict)}``, edges ``[(from, to)]`` and the canvas size."""
    claims = e["claims"]
    ids = [c["id"] for c in claims]
    verdict = {c["id"]: c["verdict"] for c in claims}
    parents, edges, external = {}, [], []
    for c in claims:
        for u in c.get("uses") or ():
            p = resolve_use(u, ids)
            if p is None:
                p = "ext:" + u
                if p not in external:
                    external.append(p)
                    verdict[p] = "external"
            if p != c["id"] and (p, c["id"]) not in edges:
                parents.setdefault(c["id"], []).append(p)
                edges.append((p, c["id"]))
    nodes = external + ids
    depth = _layers(nodes, parents)
    order = {n: i for i, n in enumerate(nodes)}
    width = {n: max(48.0, CHAR_W * len(_label(n.removeprefix("ext:"))) + 18) for n in nodes}
    boxes, y, xs = {}, PAD, {}
    for level in range(max(depth.values(), default=-1) + 1):
        row = [n for n in nodes if depth[n] == level]
        row.sort(key=lambda n: (sum(xs[p] for p in parents.get(n, ()) if p in xs)
                                / max(1, sum(p in xs for p in parents.get(n, ()))) if parents.get(n) else -1,
                                order[n]))
        lines, cur, used = [], [], 0.0
        for n in row:
            if cur and used + width[n] + GAP_X > MAX_W - 2 * PAD:
                lines.append(cur)
                cur, used = [], 0.0
            cur.append(n)
            used += width[n] + GAP_X
        if cur:
            lines.append(cur)
        for line in lines:
            total = sum(width[n] for n in line) + GAP_X * (len(line) - 1)
            x = max(PAD, (MAX_W - total) / 2)
            for n in line:
                boxes[n] = (x, y, width[n], verdict[n])
                xs[n] = x + width[n] / 2
                x += width[n] + GAP_X
            y += NODE_H + GAP_Y
    right = max((b[0] + b[2] for b in boxes.values()), default=MAX_W / 2)
    return boxes, edges, (max(MAX_W, right + PAD), y - GAP_Y + PAD + 34)


def claim_graph_svg(e: dict, standalone: bool = False) -> str:
    """SVG markup of ``e``'s claim graph; ``standalone`` adds the XML namespace (for a
    ``.svg`` file) and drops the in-page links."""
    boxes, edges, (w, h) = layout(e)
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [f'<svg{ns} class="claim-graph nomath" viewBox="0 0 {w:.0f} {h:.0f}" width="{w:.0f}" height="{h:.0f}" '
           f'role="img" aria-label="claim graph of {escape(e["slug"])}" font-family="monospace" font-size="12">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#57606a"/></marker></defs>']
    for a, b in edges:
        xa, ya, wa, _ = boxes[a]
        xb, yb, wb, _ = boxes[b]
        x1, y1, x2, y2 = xa + wa / 2, ya + NODE_H, xb + wb / 2, yb
        if y2 <= y1:  # same row after wrapping: hook around the side
            x1, y1, x2, y2 = xa + wa, ya + NODE_H / 2, xb, yb + NODE_H / 2
        mid = (y1 + y2) / 2
        out.append(f'<path d="M{x1:.1f},{y1:.1f} C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} {x2:.1f},{y2 - 1:.1f}" '
                   f'fill="none" stroke="#8c959f" stroke-width="1.2" marker-end="url(#arrow)"/>')
    for n, (x, y, bw, v) in boxes.items():
        fill, ink = COLOURS.get(v, COLOURS["unknown"])
        name = n.removeprefix("ext:")
        dash = ' stroke-dasharray="4 3"' if v == "external" else ""
        title = f"{name}: {v}" if v != "external" else f"{name}: not a claim of this derivation"
        node = (f'<g class="node {escape(v)}"><title>{escape(title)}</title>'
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{NODE_H}" rx="5" fill="{fill}" '
                f'stroke="#57606a" stroke-width="0.8"{dash}/>'
                f'<text x="{x + bw / 2:.1f}" y="{y + NODE_H / 2 + 4:.1f}" text-anchor="middle" fill="{ink}">'
                f'{escape(_label(name))}</text></g>')
        if not standalone and v != "external":
            node = f'<a href="#{anchor(n)}">{node}</a>'
        out.append(node)
    x = PAD
    for v in ("proved", "certified", "checked", "refuted", "unknown"):
        fill, _ = COLOURS[v]
        out.append(f'<rect x="{x}" y="{h - 22}" width="12" height="12" rx="2" fill="{fill}" stroke="#57606a" '
                   f'stroke-width="0.8"/><text x="{x + 16}" y="{h - 12}" fill="#24292f">{v}</text>')
        x += 16 + CHAR_W * len(v) + 18
    out.append("</svg>")
    return "\n".join(out)
