"""The node-link diagram: layers as columns, neurons as nodes, edges coloured by weight
(or by dL/dw of the last step) on one clamped diverging scale with a legend.

The view draws the newest snapshot and never changes the network itself: edits on the
diagram (a typed or wheeled weight, + / − neuron, + layer, the layer menu) are signals;
the app applies them and calls :meth:`NetworkView.set_network` again.

The parts: :mod:`gui.diagram_layout` (where things go, pure), :mod:`gui.diagram_text`
(names and hover texts, pure), :mod:`gui.diagram_edges` (all edges in one batched item),
:mod:`gui.diagram_items` (neurons, buttons, legend), :mod:`gui.diagram_scene` (builds and
colours the items, hit-testing) and :mod:`gui.diagram_editors` (the inline number editor
and the layer menu).  This module holds the state and handles the mouse.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal, Slot
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import QFrame, QGraphicsView, QMenu, QToolTip, QWidget

from gui import palette
from gui.diagram_edges import round_limit, suggested_limits
from gui.diagram_editors import ValueEditor, layer_menu
from gui.diagram_items import DiagramButton, NeuronItem
from gui.diagram_layout import MAX_SHOWN, MIN_NODE, diagram_layout
from gui.diagram_scene import NO_GRADIENT, DiagramScene, Hit, hovered_neuron
from gui.diagram_stage import Stage, StageOverlay
from gui.diagram_text import DiagramText

__all__ = ["NO_GRADIENT", "NetworkView", "Stage", "round_limit", "suggested_limits"]

VIEWS = ("weights", "gradients")
MIN_SCENE = (700.0, 380.0)  # smaller views show the whole diagram scaled down
HIT_TOLERANCE = 4.0  # view pixels beside an edge that still count as on it
NUDGE = 0.05  # one wheel notch moves a weight by this fraction of the weight scale's limit
FINE = 0.1  # with Shift: a tenth of that
TOOLTIP_MS = 60_000


class NetworkView(QGraphicsView):
    """The network diagram.  Feed it with :meth:`set_network` (every snapshot),
    :meth:`set_neuron_maps` and :meth:`set_sample_values`; listen to its signals."""

    weightEdited = Signal(int, int, int, float)  # l (weights index), i, j, value
    biasEdited = Signal(int, int, float)  # l (biases index), i, value
    neuronSelected = Signal(int, int)  # layer (0 = input), index; (-1, -1) = none
    neuronHovered = Signal(int, int)
    addNeuronRequested = Signal(int)
    removeNeuronRequested = Signal(int)
    addLayerRequested = Signal(int)
    removeLayerRequested = Signal(int)
    activationRequested = Signal(int, str)
    viewChanged = Signal(str)  # the user clicked Weights / Gradients

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diagram = DiagramScene(self)
        self.setScene(self.diagram)
        self.overlay = StageOverlay(self.diagram)  # lecture mode's stage (gui.diagram_stage)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setMinimumSize(320, 220)
        self.max_shown = MAX_SHOWN  # at most this many neurons drawn per column
        self.min_node = MIN_NODE  # nodes never smaller: more neurons get an ellipsis
        self.snapshot = None
        self.text: DiagramText | None = None
        self._scales = {"weights": palette.WEIGHTS, "gradients": palette.GRADIENTS.with_limit(0.1)}
        self._view = "weights"
        self._selected = (-1, -1)
        self._hover: Hit | None = None
        self._maps: list[np.ndarray] | None = None
        self._sample: tuple[list | None, list | None, list | None] = (None, None, None)
        self._zoom = 1.0
        self._pan: QPoint | None = None  # where a drag on empty space last was
        self._tip: QPoint | None = None
        self.tooltip_text = ""
        self.editor: ValueEditor | None = None
        self._editing: Hit | None = None

    # ------------------------------------------------------------------ public API

    @property
    def view_mode(self) -> str:
        """'weights' or 'gradients': what colours the edges."""
        return self._view

    @property
    def layers(self) -> list[int]:
        """The layer sizes drawn now ([] before the first snapshot)."""
        return list(self.text.layers) if self.text is not None else []

    @property
    def selected(self) -> tuple[int, int]:
        """The selected neuron (layer, index), or (-1, -1)."""
        return self._selected

    def set_network(self, snapshot, input_names: Sequence[str], labels: dict | None = None) -> None:
        """Draw ``snapshot`` (a core.snapshot.Snapshot).  The same topology only recolours;
        a new one (layers, input names or labels) rebuilds the items."""
        text = DiagramText(
            tuple(snapshot.layers), tuple(snapshot.activation_names), tuple(input_names), labels
        )
        old = self.text
        self.snapshot, self.text = snapshot, text
        if old is None or (old.layers, old.input_names, old.labels) != (
            text.layers,
            text.input_names,
            text.labels,
        ):
            layer, i = self._selected
            if layer >= len(text.layers) or (layer >= 0 and i >= text.layers[layer]):
                self._selected = (-1, -1)
            self._rebuild()
        else:
            if old.activation_names != text.activation_names:
                self.diagram.set_captions(text)
            self._recolour()
        self._refresh_tooltip()

    def set_neuron_maps(self, maps: list[np.ndarray] | None) -> None:
        """Each neuron's output over the input plane (core.planes.layer_maps), or None."""
        self._maps = maps
        if self.text is not None:
            self.diagram.set_maps(maps, palette.ACTIVATIONS)

    def set_sample_values(
        self,
        z: list[np.ndarray] | None,
        a: list[np.ndarray] | None,
        delta: list[np.ndarray] | None = None,
    ) -> None:
        """z and delta per non-input layer, a per layer (a[0] = the inputs), for one sample;
        they fill the neurons that have no heatmap and appear in the hover texts."""
        self._sample = (z, a, delta)
        if self.text is not None:
            self.diagram.colour_neurons(a, palette.ACTIVATIONS)
        self._refresh_tooltip()

    def set_stage(self, stage: Stage | None) -> None:
        """Show lecture mode's frame ``stage`` over the diagram; None: the normal diagram.
        A frame that differs only in ``pulse`` just moves the dots (cheap, for animation)."""
        if self.overlay.show(stage) and self.text is not None:
            self._recolour()

    def set_view(self, view: str) -> None:
        """Colour the edges by 'weights' or by 'gradients' (dL/dw of the last step)."""
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; use 'weights' or 'gradients'")
        self._view = view
        if self.text is not None:
            self._recolour()
        self._refresh_tooltip()

    def set_scale_limits(self, weights: float, gradients: float) -> None:
        """The fixed ranges of the two colour scales: |w| and |dL/dw| at full colour."""
        self._scales = {
            "weights": palette.WEIGHTS.with_limit(float(weights)),
            "gradients": palette.GRADIENTS.with_limit(float(gradients)),
        }
        if self.text is not None:
            self._recolour()

    @property
    def scale_limits(self) -> tuple[float, float]:
        """The ranges of the weight and gradient colour scales."""
        return self._scales["weights"].limit, self._scales["gradients"].limit

    @property
    def colour_scale(self) -> palette.DivergingScale:
        """The scale the edges are drawn with now (weights or gradients)."""
        return self._scales[self._view]

    # ------------------------------------------------------------------ drawing

    def _rebuild(self) -> None:
        """Lay the diagram out for the current size and rebuild its items."""
        self._close_editor()
        self._set_hover(None)
        width, height = self._scene_size()
        layout = diagram_layout(self.text.layers, width, height, self.max_shown, self.min_node)
        self.diagram.build(self.text, layout)
        layer, i = self._selected
        if (layer, i) in self.diagram.neurons:
            self.diagram.neurons[(layer, i)].selected = True
        self.diagram.set_maps(self._maps, palette.ACTIVATIONS)
        self.diagram.colour_neurons(self._sample[1], palette.ACTIVATIONS)
        self.overlay.place()
        self._recolour()
        self._fit()

    def _recolour(self) -> None:
        """Edges, bias glyphs, legend and toggle from the snapshot, the view and the scales."""
        emphasis = self.overlay.emphasis(self.diagram.emphasis(self._selected))
        self.diagram.colour(self.snapshot, self._view, self.colour_scale, emphasis)
        if self._hover is not None and self._hover.kind == "edge":
            self.diagram.show_glow(self._hover.index)

    def _scene_size(self) -> tuple[float, float]:
        size = self.viewport().size()
        return max(float(size.width()), MIN_SCENE[0]), max(float(size.height()), MIN_SCENE[1])

    def _fit(self) -> None:
        """Show the whole diagram (scaled down if the view is smaller), times the user's zoom."""
        rect = self.diagram.sceneRect()
        size = self.viewport().size()
        fit = min(size.width() / rect.width(), size.height() / rect.height(), 1.0)
        self.resetTransform()
        QGraphicsView.scale(self, fit * self._zoom, fit * self._zoom)
        if self._zoom == 1.0:
            self.centerOn(rect.center())

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out about the view's centre, between 0.5x and 8x."""
        factor = float(np.clip(factor * self._zoom, 0.5, 8.0)) / self._zoom
        self._zoom *= factor
        QGraphicsView.scale(self, factor, factor)

    def reset_zoom(self) -> None:
        """Back to the whole diagram."""
        self._zoom = 1.0
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.text is not None:
            self._rebuild()

    # ------------------------------------------------------------------ hover and tooltips

    def hit_at(self, pos: QPoint) -> Hit | None:
        """What is under view position ``pos``."""
        if self.text is None:
            return None
        tolerance = HIT_TOLERANCE / max(self.transform().m11(), 1e-6)
        return self.diagram.hit(self.mapToScene(pos), tolerance)

    def tooltip_at(self, pos: QPoint) -> str:
        """The hover text at view position ``pos`` ('' where there is nothing)."""
        hit = self.hit_at(pos)
        return self.diagram.describe(hit, self.snapshot, self._sample) if hit is not None else ""

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ToolTip:
            self._show_tooltip(event.pos())
            return True
        return super().viewportEvent(event)

    def _show_tooltip(self, pos: QPoint) -> None:
        text = self.tooltip_at(pos)
        if not text:
            QToolTip.hideText()
            self._tip, self.tooltip_text = None, ""
            return
        global_pos = self.viewport().mapToGlobal(pos)
        QToolTip.showText(global_pos, text, self.viewport(), QRect(), TOOLTIP_MS)
        self._tip, self.tooltip_text = QPoint(pos), text

    def _refresh_tooltip(self) -> None:
        """Keep an open tooltip live: new numbers arrived while the mouse rests on something."""
        if self._tip is not None and self.text is not None:
            text = self.tooltip_at(self._tip)
            if text != self.tooltip_text:
                self._show_tooltip(self._tip)

    def _set_hover(self, hit: Hit | None) -> None:
        """Highlight what the mouse is over; tell the app which neuron that is."""
        old = self._hover
        if hit is None and old is None or hit is not None and hit.same(old):
            return
        if old is not None and isinstance(old.item, NeuronItem | DiagramButton):
            old.item.hovered = False
            old.item.update()
        self.diagram.hide_glow()
        if hit is not None and isinstance(hit.item, NeuronItem | DiagramButton):
            hit.item.hovered = True
            hit.item.update()
        if hit is not None and hit.kind == "edge":
            self.diagram.show_glow(hit.index)
        self._hover = hit
        if hovered_neuron(hit) != hovered_neuron(old):
            self.neuronHovered.emit(*hovered_neuron(hit))
        pointing = hit is not None and hit.kind in ("button", "edge", "bias", "neuron")
        self.viewport().setCursor(
            Qt.CursorShape.PointingHandCursor if pointing else Qt.CursorShape.ArrowCursor
        )

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        pos = event.position().toPoint()
        if self._pan is not None and event.buttons() & Qt.MouseButton.LeftButton:
            step, self._pan = pos - self._pan, pos
            bars = self.horizontalScrollBar(), self.verticalScrollBar()
            bars[0].setValue(bars[0].value() - step.x())
            bars[1].setValue(bars[1].value() - step.y())
            return
        self._set_hover(self.hit_at(pos))
        if self._tip is not None:
            self._show_tooltip(pos)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._set_hover(None)
        self._tip = None
        super().leaveEvent(event)

    # ------------------------------------------------------------------ clicks and wheel

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() != Qt.MouseButton.LeftButton or self.text is None:
            super().mousePressEvent(event)
            return
        QToolTip.hideText()
        self._tip = None
        pos = event.position().toPoint()
        hit = self.hit_at(pos)
        if hit is None:
            self._pan = pos  # dragging empty space pans a zoomed-in diagram
            self.select(-1, -1)
        elif hit.kind == "button" and hit.item.enabled:
            self._request(*hit.item.request)
        elif hit.kind == "neuron":
            self.select(*((-1, -1) if hit.key == self._selected else hit.key))
        elif hit.kind in ("edge", "bias"):
            self._open_editor(hit, pos)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._pan = None
        event.accept()  # presses do the work; nothing in the scene grabs the mouse

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.hit_at(event.position().toPoint()) is None:
            self.reset_zoom()
        event.accept()

    def _request(self, kind: str, arg, name: str = "") -> None:
        """Act on a button's or a menu action's request: a signal (or the view toggle)."""
        if kind == "view":
            self.set_view(arg)
            self.viewChanged.emit(arg)
        elif kind in ("add", "remove", "layer", "remove_layer"):
            signal = {
                "add": self.addNeuronRequested,
                "remove": self.removeNeuronRequested,
                "layer": self.addLayerRequested,
                "remove_layer": self.removeLayerRequested,
            }[kind]
            signal.emit(arg)
        elif kind == "activation" and name != self.text.activation_names[arg - 1]:
            self.activationRequested.emit(arg, name)

    def select(self, layer: int, index: int, emit: bool = True) -> None:
        """Select neuron (layer, index) ((-1, -1): none) and highlight its edges; emit
        neuronSelected unless ``emit`` is False (the app syncing the view)."""
        self._selected = (layer, index)
        for key, item in self.diagram.neurons.items():
            item.selected = key == self._selected
            item.update()
        if self.text is not None:
            self._recolour()
        if emit:
            self.neuronSelected.emit(layer, index)

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        delta = event.angleDelta()
        notches = (delta.y() or delta.x()) / 120.0
        modifiers = event.modifiers()
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            factor = float(np.clip(1.15**notches * self._zoom, 0.5, 8.0)) / self._zoom
            self._zoom *= factor
            QGraphicsView.scale(self, factor, factor)
        else:
            hit = self.hit_at(event.position().toPoint())
            if hit is not None and hit.kind in ("edge", "bias"):
                fine = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
                step = self._scales["weights"].limit * NUDGE * (FINE if fine else 1.0)
                value = self.diagram.value_of(hit, self.snapshot) + notches * step
                self._emit_edit(hit, float(f"{value:.12g}"))
        event.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_0 and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.reset_zoom()
            return
        if event.key() == Qt.Key.Key_Escape and self._selected != (-1, -1):
            self.select(-1, -1)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ editing values

    def _emit_edit(self, hit: Hit, value: float) -> None:
        if hit.kind == "edge":
            self.weightEdited.emit(*hit.key, value)
        else:
            layer, i = hit.key
            self.biasEdited.emit(layer - 1, i, value)

    def _open_editor(self, hit: Hit, pos: QPoint) -> None:
        """An inline editor for the weight (or bias) at ``hit``, next to the cursor."""
        self._close_editor()
        what = "weight" if hit.kind == "edge" else "bias"
        value = self.diagram.value_of(hit, self.snapshot)
        editor = ValueEditor.open(self.viewport(), value, what, pos)
        editor.committed.connect(self._commit_edit)
        editor.cancelled.connect(self._close_editor)
        self.editor, self._editing = editor, hit

    @Slot(float)
    def _commit_edit(self, value: float) -> None:
        hit = self._editing
        self._close_editor()
        if hit is not None:
            self._emit_edit(hit, value)

    @Slot()
    def _close_editor(self) -> None:
        editor, self.editor, self._editing = self.editor, None, None
        if editor is not None:
            editor.blockSignals(True)
            editor.hide()
            editor.deleteLater()

    # ------------------------------------------------------------------ the layer menu

    def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        layer = self.diagram.layer_at(self.mapToScene(event.pos())) if self.text else -1
        if layer < 0:
            return
        self._close_editor()
        QToolTip.hideText()
        menu = self.layer_menu(layer)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def layer_menu(self, layer: int) -> QMenu:
        """The right-click menu of a layer: neurons, Remove layer, Activation ▸."""
        return layer_menu(self, self.text, layer, self._on_menu_action)

    @Slot(bool)
    def _on_menu_action(self, checked: bool = False) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self._request(*action.data())
