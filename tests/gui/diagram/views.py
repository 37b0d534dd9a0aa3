"""Snapshots, networks and positions on the view, shared by the diagram tests."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication

from core.engine.network import Network
from core.snapshot import Snapshot
from gui.diagram.view import NetworkView

# Tooltips are real QToolTips; the offscreen platform cannot raise their window.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$", extend=True)


def snapshot_of(net: Network, steps: int = 1, scale_dw: float = 0.01) -> Snapshot:
    """A snapshot of ``net`` with made-up gradients (zero before any step)."""
    frozen = lambda arrays: tuple(np.array(a, dtype=float) for a in arrays)  # noqa: E731
    rng = np.random.default_rng(1)
    dW = [rng.normal(scale=scale_dw, size=w.shape) * (steps > 0) for w in net.weights]
    db = [rng.normal(scale=scale_dw, size=b.shape) * (steps > 0) for b in net.biases]
    return Snapshot(
        tuple(net.layers),
        tuple(net.activation_names),
        frozen(net.weights),
        frozen(net.biases),
        frozen(dW),
        frozen(db),
        epoch=0,
        steps=steps,
        lr=0.03,
        status="ok",
        message="",
        history_start=0,
        history={},
    )


def network(layers: list[int], seed: int = 0, act: str = "tanh") -> Network:
    return Network.initialized(layers, [act] * (len(layers) - 1), "xavier_uniform", seed)


def names(n: int) -> list[str]:
    return [f"x{i + 1}" for i in range(n)]


@pytest.fixture
def view(show) -> NetworkView:
    v = show(NetworkView(), 900, 600)
    v.set_network(snapshot_of(network([2, 4, 2, 1])), names(2))
    return v


def view_pos(v: NetworkView, scene_point: QPointF) -> QPoint:
    return v.mapFromScene(scene_point)


def edge_pos(v: NetworkView) -> tuple[QPoint, tuple[int, int, int]]:
    """A view position on an edge that hit-testing finds, and that edge's (l, i, j)."""
    edges = v.diagram.edges
    for e, (x0, y0, x1, y1) in enumerate(edges.ends):
        pos = view_pos(v, QPointF(x0 + 0.3 * (x1 - x0), y0 + 0.3 * (y1 - y0)))
        hit = v.hit_at(pos)
        if hit is not None and hit.kind == "edge" and hit.index == e:
            return pos, hit.key
    raise AssertionError("no edge can be hit")


def hover_text(v: NetworkView, pos: QPoint) -> str:
    event = QHelpEvent(QEvent.Type.ToolTip, pos, v.viewport().mapToGlobal(pos))
    QApplication.sendEvent(v.viewport(), event)
    return v.tooltip_text
