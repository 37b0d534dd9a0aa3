"""The backward pass of a computational graph in words, one line per node:
∂L/∂w5 = 0.1385 × 0.5933 = 0.08217, upstream × local, summed over the node's edges.

Where the trace's gradient is not upstream × local (a bug in the backward pass, as the bug
lab plants them) the line says so: the graph shows the trace's numbers, the local
derivatives are computed from the forward values, and the chain rule shows the difference.
"""

from __future__ import annotations

from core.trace.graph import ScalarGraph
from core.trace.notation import Precision, format_number

TOLERANCE = 1e-9  # relative: far above rounding, far below any real slip


def holds(graph: ScalarGraph, key: str) -> bool:
    """Whether node ``key``'s gradient is Σ upstream × local over its edges (L: always)."""
    node = graph.node(key)
    if node.grad is None or not graph.out_of(key):
        return True
    wanted = graph.downstream(key)
    return abs(wanted - node.grad) <= TOLERANCE * max(abs(wanted), abs(node.grad), 1e-300)


def frame_text(graph: ScalarGraph, key: str, digits: int | Precision = 4) -> str:
    """The backward step at node ``key``: ∂L/∂node = upstream × local (+ ...) = gradient,
    with the batch's sum for a weight or bias, and a warning where the trace's gradient is
    not what the chain rule gives."""
    node = graph.node(key)
    name = node.name or node.caption
    fmt = lambda v: format_number(v, digits, "unicode")  # noqa: E731
    if node.op == "L":
        return "∂L/∂L = 1"
    parts = [
        f"{_signed(fmt(graph.node(e.target).grad), n > 0)} × {_signed(fmt(e.local))}"
        for n, e in enumerate(graph.out_of(key))
    ]
    if " " in name or "·" in name:
        name = f"({name})"
    if not holds(graph, key):
        product = fmt(graph.downstream(key))
        return (
            f"∂L/∂{name} = {' + '.join(parts)} = {product}, but the trace holds "
            f"{fmt(node.grad)}: the backward pass breaks the chain rule here"
        )
    text = f"∂L/∂{name} = {' + '.join(parts)} = {fmt(node.grad)}"
    if node.total is not None:
        text += f"   (batch: Σ_s = {fmt(node.total)})"
    return text


def _signed(text: str, inside: bool = True) -> str:
    """−0.5 as (−0.5) inside a sum or after a × sign."""
    return f"({text})" if inside and text.startswith("−") else text
