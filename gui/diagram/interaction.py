"""What the mouse, the wheel and the keys do on the network diagram.

:class:`DiagramInteraction` is the event half of :class:`gui.diagram.view.NetworkView`
(mixed into it): hover highlights and live tooltips, clicks on buttons, neurons and
edges, the wheel (nudge a weight; Ctrl: zoom), the inline value editor and the layer
menu.  It only emits the view's signals; the app applies the edits.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Slot
from PySide6.QtWidgets import QGraphicsView, QMenu, QToolTip

from gui.diagram.editors import ValueEditor, layer_menu
from gui.diagram.hits import Hit, hovered_neuron
from gui.diagram.items import DiagramButton, NeuronItem

HIT_TOLERANCE = 4.0  # view pixels beside an edge that still count as on it
NUDGE = 0.05  # one wheel notch moves a weight by this fraction of the weight scale's limit
FINE = 0.1  # with Shift: a tenth of that
TOOLTIP_MS = 60_000


class DiagramInteraction:
    """Event handlers of the NetworkView (which provides the state, the scene and the
    signals they use)."""

    # The right-click menu of a neuron, edge or bias (kind, key) in lecture mode, or None:
    # set by lecture mode; without it (or where it gives no menu), the layer menu.
    element_menu: Callable[[str, tuple], QMenu | None] | None = None

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
            l, i, j = hit.key if hit.kind == "edge" else (hit.key[0] - 1, hit.key[1], -1)
            self.parameterClicked.emit(l, i, j)
            if self.editable:
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
        hit = self.hit_at(event.pos()) if self.text else None
        menu = None
        if self.element_menu is not None and hit is not None:
            menu = self.element_menu(hit.kind, hit.key)  # lecture mode: pins, the chain rule
        layer = self.diagram.layer_at(self.mapToScene(event.pos())) if self.text else -1
        if menu is None and layer < 0:
            return
        self._close_editor()
        QToolTip.hideText()
        menu = menu or self.layer_menu(layer)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def layer_menu(self, layer: int) -> QMenu:
        """The right-click menu of a layer: neurons, Remove layer, Activation ▸."""
        return layer_menu(self, self.text, layer, lambda wanted: self._request(*wanted))
