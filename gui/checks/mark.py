"""The worst parameter of a gradient check, lit on the diagram: a red stroke under its
edge (a weight) and rings round the neurons it joins (or round its neuron, for a bias).

One item added to the diagram's scene (never one of the scene's own, so a rebuild leaves
it); :meth:`WorstMark.place` puts it where the parameter is drawn now."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from core.checks.gradcheck import WorstParameter
from gui.diagram.cards import neuron_rect
from gui.diagram.path import PathGlow
from gui.diagram.view import NetworkView

INK = QColor(220, 30, 60, 150)  # red: what failed, unlike the lecture's yellow path
MARK_Z = -0.5  # under the edges (0), above the lecture's pinned path (-1)


class WorstMark(PathGlow):
    """A red highlighter along the worst parameter's edge, rings round its neurons."""

    def __init__(self) -> None:
        super().__init__(INK, MARK_Z)
        self.setVisible(False)

    def place(self, view: NetworkView, worst: WorstParameter | None) -> bool:
        """Light ``worst`` where ``view`` draws it now (None: nothing); False when the
        diagram does not draw it (a column shortened with an ellipsis, another network)."""
        scene = view.diagram
        if self.scene() is not scene:
            scene.addItem(self)
        if worst is None or scene.layout is None:
            self.set_path(np.empty((0, 4)), [], self.width)
            return worst is None
        keys = [(worst.layer, worst.i)] + ([(worst.layer - 1, worst.j)] * (worst.j is not None))
        rings = [neuron_rect(scene.neurons[k]) for k in keys if k in scene.neurons]
        segments = np.empty((0, 4))
        if worst.j is not None:
            ids = scene.edges.ids
            hit = (ids[:, 0] == worst.layer - 1) & (ids[:, 1] == worst.i) & (ids[:, 2] == worst.j)
            segments = scene.edges.ends[hit]
        width = float(np.clip(scene.layout.node_size * 0.35, 8.0, 18.0))
        drawn = len(rings) == len(keys) and (worst.j is None or len(segments) == 1)
        self.set_path(segments if drawn else np.empty((0, 4)), rings if drawn else [], width)
        return drawn
