"""The scene of the network diagram: builds the items where the layout says (texts as long
as fit), colours them, and finds what is under a point.  It knows nothing of snapshots or
signals: the view hands it the layout and texts (:meth:`DiagramScene.build`), the values to
colour with (:meth:`colour_edges`, :meth:`colour_neurons`), and asks what a point hits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
)

from gui.diagram.edges import EdgeLayer
from gui.diagram.hits import Hit
from gui.diagram.items import (
    WIDE_GAP,
    DiagramButton,
    LabelItem,
    LegendItem,
    NeuronItem,
    diagram_font,
    layer_buttons,
    map_image,
)
from gui.diagram.layout import MAX_NODE, Column, DiagramLayout
from gui.diagram.pictures import InputPicture, picture_caption, picture_note
from gui.diagram.text import DiagramText
from gui.presentation.palette import STANDARD, DivergingScale, Palette

BACKGROUND = QColor(*STANDARD.background)
TEXT_GAP = 6.0  # between two columns' titles
NO_GRADIENT = "no gradient yet: take a training step"


@dataclass(frozen=True)
class EdgeIndex:
    """The drawn edges of weights[l]: rows ``i`` and columns ``j``, at ``start`` onwards."""

    l: int
    i: np.ndarray
    j: np.ndarray
    start: int


class DiagramScene(QGraphicsScene):
    """The diagram's items.  Persistent: the edge layer, the legend, the view toggle and
    the hover glow.  Rebuilt with the topology: neurons, texts and layer buttons."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setBackgroundBrush(BACKGROUND)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.edges = EdgeLayer()
        self.legend = LegendItem()
        self.view_buttons = {
            "weights": DiagramButton(
                "Weights",
                "Colour and width of the edges by their weight w",
                ("view", "weights"),
                width=96,
            ),
            "gradients": DiagramButton(
                "Gradients",
                "Colour and width of the edges by dL/dw, the gradient of the last step",
                ("view", "gradients"),
                width=104,
            ),
        }
        self.glow = (QGraphicsLineItem(), QGraphicsLineItem())
        for k, line in enumerate(self.glow):
            line.setZValue(1.0 + 0.1 * k)
            line.setVisible(False)
        for item in (self.edges, self.legend, *self.view_buttons.values(), *self.glow):
            self.addItem(item)
        self.layout: DiagramLayout | None = None
        self.text: DiagramText | None = None
        self.neurons: dict[tuple[int, int], NeuronItem] = {}
        self.buttons: list[DiagramButton] = []
        self.captions: dict[int, LabelItem] = {}
        self.markers: dict[int, LabelItem] = {}
        self.edge_index: list[EdgeIndex] = []
        self._built: list[QGraphicsItem] = []
        self.colours = STANDARD
        self.controls_visible = True
        self.text_scale = 1.0  # all the diagram's type, times this (lecture mode's zoom)
        self.picture_shape: tuple[int, ...] | None = None  # inputs forming a picture (8x8)
        self.input_picture: InputPicture | None = None  # drawn where the inputs are nodes

    # ------------------------------------------------------------------ building

    def build(self, text: DiagramText, layout: DiagramLayout) -> None:
        """Replace the neurons, texts, buttons and edge geometry for a new topology or size."""
        for item in self._built:
            self.removeItem(item)
        self._built, self.buttons = [], []
        self.neurons, self.captions, self.markers = {}, {}, {}
        self.input_picture: InputPicture | None = None
        self.text, self.layout = text, layout
        self.setSceneRect(0, 0, layout.width, layout.height)
        for column in layout.columns:
            self._add_column(column)
        self._add_layer_buttons()
        self._place_edges()
        self.set_controls_visible(self.controls_visible)
        self.set_palette(self.colours)
        self.legend.setPos(132, layout.legend_y)
        gradients = self.view_buttons["gradients"]
        gradients.setPos(layout.width - 12 - gradients.width / 2, layout.legend_y)
        weights = self.view_buttons["weights"]
        weights.setPos(gradients.x() - gradients.width / 2 - 6 - weights.width / 2, layout.legend_y)
        self.hide_glow()

    def text_font(self, points: float, bold: bool = False) -> QFont:
        """The diagram's font at ``points`` times the text scale (lecture mode's type zoom)."""
        return diagram_font(points * self.text_scale, bold)

    def _add(self, item: QGraphicsItem) -> QGraphicsItem:
        self.addItem(item)
        self._built.append(item)
        return item

    def _add_text(
        self, text: str, font: QFont, color: QColor, x: float, y: float, align: str = "centre"
    ) -> LabelItem:
        """A text centred on (x, y), or ending at x (align='right')."""
        item = LabelItem(text, font, color, align)
        item.setPos(x, y)
        self._add(item)
        return item

    def _add_column(self, column: Column) -> None:
        text, layout = self.text, self.layout
        s = layout.node_size
        ink, faint = QColor(*self.colours.ink), QColor(*self.colours.faint_ink)
        if column.picture:  # the inputs as one picture, with its caption under it
            self.input_picture = self._add(InputPicture(column, self.picture_shape))
            words, font, y = picture_caption(self, column)
            self._add_text(words, font, faint, column.x, y)
        for i, y in zip(column.shown.tolist(), column.y.tolist()):
            if column.picture:
                break
            item = NeuronItem(column.layer, i, s, text.neuron_label(column.layer, i))
            item.setPos(column.x, y)
            self._add(item)
            self.neurons[(column.layer, i)] = item
            if column.layer == 0:
                x = column.x - s / 2 - max(9.0, s * 0.3) / 3 - 8
                self._add_text(text.input_name(i), self.text_font(11.0), ink, x, y, "right")
        bold = self.text_font(11.0, bold=True)
        title = self._fitting(bold, *(text.layer_title(column.layer, b) for b in (False, True)))
        self._add_text(title, bold, ink, column.x, layout.title_y)
        self.captions[column.layer] = self._add_text(
            self._caption(column.layer), self.text_font(10.5), faint, column.x, layout.caption_y
        )
        if column.hidden:
            bold, n, y = self.text_font(10.5, bold=True), column.hidden, column.marker_y
            marker = self._fitting(bold, f"⋮ {n} more", f"⋮ {n}", "⋮")
            self.markers[column.layer] = self._add_text(marker, bold, faint, column.x, y)

    def _fitting(self, font: QFont, *texts: str, layout: DiagramLayout | None = None) -> str:
        """The first of ``texts`` whose widest line fits between two columns (of ``layout``,
        else the scene's) (else the last)."""
        room = (layout or self.layout).gap() - TEXT_GAP
        metrics = QFontMetricsF(font)
        for text in texts:
            if max(metrics.horizontalAdvance(line) for line in text.split("\n")) <= room:
                return text
        return texts[-1]

    def _caption(self, layer: int, text: DiagramText | None = None, layout=None) -> str:
        """The caption under ``layer``'s column, as long as fits: one line, two, compact,
        the size alone."""
        text, font, layout = text or self.text, self.text_font(10.5), layout or self.layout
        narrow, compact = text.caption(layer, True), text.caption(layer, compact=True)
        wide = text.caption(layer) if layout.gap() >= WIDE_GAP else narrow
        return self._fitting(font, wide, narrow, compact, compact.split("\n")[0], layout=layout)

    def caption_lines(self, text: DiagramText, layout: DiagramLayout) -> int:
        """How many lines the tallest caption under ``layout``'s columns takes."""
        captions = (self._caption(c.layer, text, layout) for c in layout.columns)
        return max(caption.count("\n") + 1 for caption in captions)

    def set_captions(self, text: DiagramText) -> None:
        """New activation names (same topology): only the captions change."""
        self.text = text
        for layer, item in self.captions.items():
            caption = self._caption(layer)
            if item.text() != caption:
                item.setText(caption)

    def _add_layer_buttons(self) -> None:
        """+ / − over each hidden layer, + layer in every gap (see items.layer_buttons)."""
        self.buttons = layer_buttons(self.text, self.layout)
        for button in self.buttons:
            self._add(button)

    def _place_edges(self) -> None:
        """Every drawn edge from the right side of neuron j to the left side of neuron i."""
        columns, half = self.layout.columns, self.layout.node_size / 2
        ends, ids, self.edge_index, start = [], [], [], 0
        for l, (a, b) in enumerate(zip(columns[:-1], columns[1:])):
            ii, jj = (m.ravel() for m in np.indices((len(b.shown), len(a.shown))))
            n = len(ii)
            x0, x1 = (
                np.full(n, a.x + (a.picture / 2 if a.picture else half)),
                np.full(n, b.x - half),
            )
            ends.append(np.column_stack([x0, a.y[jj], x1, b.y[ii]]))
            ids.append(np.column_stack([np.full(n, l), b.shown[ii], a.shown[jj]]))
            self.edge_index.append(EdgeIndex(l, b.shown[ii], a.shown[jj], start))
            start += n
        self.edges.set_geometry(np.concatenate(ends), np.concatenate(ids))

    def set_controls_visible(self, on: bool) -> None:
        """Show or hide the + / − and + layer buttons and the weights / gradients toggle
        (lecture mode and films hide them); they stay so across rebuilds."""
        self.controls_visible = on
        for button in (*self.buttons, *self.view_buttons.values()):
            button.setVisible(on)

    def set_palette(self, palette: Palette) -> None:
        """The paper, ink and outlines of ``palette`` (the view recolours edges and maps)."""
        self.colours = palette
        self.setBackgroundBrush(QColor(*palette.background))
        ink, faint = QColor(*palette.ink), QColor(*palette.faint_ink)
        for item in self._built:
            if isinstance(item, LabelItem):
                item.color = faint if item in self._faint_labels() else ink
        for item in (*self.neurons.values(), *self.buttons, *self.view_buttons.values()):
            item.ink = ink
            if isinstance(item, NeuronItem):
                item.outline = palette.outline
        self.legend.ink, self.legend.faint_ink = ink, faint
        self.update()

    def margins_for(self, text: DiagramText) -> tuple[float, float]:
        """The least room left of the input column (its names beside nodes of MAX_NODE)
        and right of the output column (half its caption), in scene pixels."""
        names = QFontMetricsF(self.text_font(11.0))
        widest = max(names.horizontalAdvance(text.input_name(i)) for i in range(text.layers[0]))
        caption = QFontMetricsF(self.text_font(10.5)).horizontalAdvance(text.caption(text.last))
        return widest + MAX_NODE / 2 + 34, max(MAX_NODE / 2 + 16, caption / 2 + 12)

    def _faint_labels(self) -> set[LabelItem]:
        return {*self.captions.values(), *self.markers.values()}

    # ------------------------------------------------------------------ colouring

    def colour(
        self, snapshot, view: str, scale: DivergingScale, emphasis: np.ndarray | None
    ) -> None:
        """Edges, bias glyphs, legend and toggle for ``view`` ('weights' or 'gradients'),
        the edges outside ``emphasis`` dimmed (None: none); before any step the gradient
        view shows placeholders and says so."""
        if view == "weights":
            self.edges.set_values(self.edge_values(snapshot.weights), scale, emphasis)
            self.colour_biases(snapshot.biases, scale)
            self.legend.set_scale(scale, "weight")
        elif snapshot.steps > 0:
            self.edges.set_values(self.edge_values(snapshot.dW), scale, emphasis)
            self.colour_biases(snapshot.db, scale)
            self.legend.set_scale(scale, "dL/dw")
        else:
            self.edges.set_values(None, scale, emphasis)
            self.colour_biases(None, scale)
            self.legend.set_scale(scale, "dL/dw", NO_GRADIENT)
        for name, button in self.view_buttons.items():
            button.checked = name == view
            button.update()

    def value_of(self, hit: Hit, snapshot) -> float:
        """The weight (edge hit) or bias (bias hit) at ``hit`` in ``snapshot``."""
        if hit.kind == "edge":
            l, i, j = hit.key
            return float(snapshot.weights[l][i, j])
        layer, i = hit.key
        return float(snapshot.biases[layer - 1][i])

    def describe(self, hit: Hit, snapshot, sample: tuple) -> str:
        """The hover text of ``hit`` with the newest numbers (sample = (z, a, delta))."""
        if hit.kind == "button":
            return hit.item.toolTip()
        if hit.kind == "marker":
            column = self.layout.columns[hit.key[0]]
            return self.text.marker_tooltip(column.layer, column.shown.tolist(), column.hidden)
        if hit.kind == "edge":
            return self.text.edge_text(snapshot, *hit.key)
        return self.text.neuron_text(snapshot, sample, *hit.key) + picture_note(
            self, snapshot.weights, *hit.key
        )

    def edge_values(self, arrays: tuple[np.ndarray, ...]) -> np.ndarray:
        """The value of every drawn edge, gathered from per-layer weight-shaped arrays."""
        parts = [np.asarray(arrays[e.l])[e.i, e.j] for e in self.edge_index]
        return np.concatenate(parts) if parts else np.empty(0)

    def emphasis(self, selected: tuple[int, int]) -> np.ndarray | None:
        """Edges into and out of the selected neuron (None: nothing selected)."""
        layer, i = selected
        if layer < 0:
            return None
        l, to, frm = self.edges.ids.T
        return ((l == layer - 1) & (to == i)) | ((l == layer) & (frm == i))

    def colour_biases(self, arrays: tuple[np.ndarray, ...] | None, scale: DivergingScale) -> None:
        """Bias glyphs coloured by biases (or db) on ``scale``; None: neutral placeholders."""
        for (layer, i), item in self.neurons.items():
            if layer == 0:
                continue
            if arrays is None:
                item.bias = QColor(235, 237, 240)
            else:
                item.bias = QColor(*scale.colors(np.array(arrays[layer - 1][i])).tolist())
            item.update()

    def colour_neurons(self, activations: list[np.ndarray] | None, scale: DivergingScale) -> None:
        """Neurons without a heatmap filled by their activation for the selected sample
        (and the input picture drawn from its inputs)."""
        if self.input_picture is not None:
            self.input_picture.set_pixels(None if activations is None else activations[0])
        for (layer, i), item in self.neurons.items():
            fill = None
            if activations is not None and layer < len(activations):
                a = np.asarray(activations[layer]).ravel()
                if i < len(a):
                    fill = QColor(*scale.colors(np.array(a[i])).tolist())
            item.fill = fill
            item.update()

    def set_maps(self, maps: list[np.ndarray] | None, scale: DivergingScale) -> None:
        """Each neuron's heatmap over the input plane (x2 upwards), or none."""
        for (layer, i), item in self.neurons.items():
            if layer == 1 and self.picture_shape is not None:
                continue  # its incoming weights as a picture (gui.diagram.pictures)
            item.image = None
            if maps is not None and layer < len(maps) and i < len(maps[layer]):
                item.image = map_image(np.asarray(maps[layer][i])[::-1], scale)
            item.update()

    # ------------------------------------------------------------------ finding

    def hit(self, pos: QPointF, tolerance: float) -> Hit | None:
        """The button, bias glyph, neuron, ellipsis marker or edge at ``pos`` (in that order)."""
        for button in (*self.buttons, *self.view_buttons.values()):
            if button.isVisible() and button.sceneBoundingRect().contains(pos):
                return Hit("button", button.request, button)
        for key, item in self.neurons.items():
            local = pos - item.pos()
            if item.bias is not None and item.bias_rect().adjusted(-2, -2, 2, 2).contains(local):
                return Hit("bias", key, item)
            if item.body().adjusted(-2, -2, 2, 2).contains(local):
                return Hit("neuron", key, item)
        for layer, marker in self.markers.items():
            if marker.sceneBoundingRect().contains(pos):
                return Hit("marker", (layer,), marker)
        edge = self.edges.nearest(pos.x(), pos.y(), tolerance)
        if edge >= 0:
            return Hit("edge", tuple(int(v) for v in self.edges.ids[edge]), index=edge)
        return None

    def layer_at(self, pos: QPointF) -> int:
        """The layer whose column band holds ``pos`` (-1: none, e.g. the legend row)."""
        if self.layout is None or pos.y() > self.layout.legend_y - 18:
            return -1
        xs = np.array([c.x for c in self.layout.columns])
        nearest = int(np.argmin(np.abs(xs - pos.x())))
        return nearest if abs(xs[nearest] - pos.x()) <= self.layout.gap() / 2 else -1

    def show_glow(self, edge: int) -> None:
        """Outline the hovered edge: a dark halo under a copy of its own pen."""
        pen = self.edges.pen_of(edge)
        x0, y0, x1, y1 = self.edges.ends[edge]
        halo, line = self.glow
        halo.setPen(QPen(QColor(20, 24, 30, 170), pen.widthF() + 4))
        inner = QPen(pen)
        inner.setColor(QColor(pen.color().red(), pen.color().green(), pen.color().blue()))
        line.setPen(inner)
        for item in self.glow:
            item.setLine(x0, y0, x1, y1)
            item.setVisible(True)

    def hide_glow(self) -> None:
        """No edge is hovered."""
        for item in self.glow:
            item.setVisible(False)
