"""What is under a point of the diagram: a button, a neuron, a bias glyph, an edge or an
ellipsis marker (:class:`Hit`, found by :meth:`gui.diagram.scene.DiagramScene.hit`)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QGraphicsItem


@dataclass(frozen=True)
class Hit:
    """What is under a point: 'button', 'neuron', 'bias', 'edge' or 'marker'.

    ``key`` is (layer, index) for neurons and biases, (l, i, j) for edges (weights[l][i, j])
    and (layer,) for markers; ``index`` is an edge's index in the EdgeLayer.
    """

    kind: str
    key: tuple[int, ...] = ()
    item: QGraphicsItem | None = None
    index: int = -1

    def same(self, other: Hit | None) -> bool:
        """The same thing as ``other``."""
        return other is not None and (self.kind, self.key, self.item) == (
            other.kind,
            other.key,
            other.item,
        )


def hovered_neuron(hit: Hit | None) -> tuple[int, int]:
    """The neuron ``hit`` is on, else (-1, -1)."""
    return hit.key if hit is not None and hit.kind == "neuron" else (-1, -1)
