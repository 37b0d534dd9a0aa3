"""The node-link diagram: layers as columns, neurons as nodes, edges coloured by weight
(or by dL/dw of the last step) on one clamped diverging scale with a legend.

The view draws the newest snapshot and never changes the network itself: edits on the
diagram (a typed or wheeled weight, + / − neuron, + layer, the layer menu) are signals;
the app applies them and calls :meth:`NetworkView.set_network` again.

The parts: :mod:`gui.diagram.layout` (where things go, pure), :mod:`gui.diagram.text`
(names and hover texts, pure), :mod:`gui.diagram.edges` (all edges in one batched item),
:mod:`gui.diagram.items` (neurons, buttons, legend), :mod:`gui.diagram.scene` (builds and
colours the items, hit-testing), :mod:`gui.diagram.editors` (the inline number editor
and the layer menu) and :mod:`gui.diagram.interaction` (what the mouse, the wheel and the
keys do).  This module holds the state and draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from gui.diagram.cards import LABEL_POINTS
from gui.diagram.edges import grown_limit, round_limit, suggested_limits
from gui.diagram.editors import ValueEditor
from gui.diagram.hits import Hit
from gui.diagram.interaction import DiagramInteraction
from gui.diagram.layout import (
    LEFT,
    MAX_SHOWN,
    MIN_NODE,
    RIGHT,
    STAGE_SPREAD,
    Room,
    diagram_layout,
    stage_scale,
)
from gui.diagram.pictures import paint_weight_pictures
from gui.diagram.scene import NO_GRADIENT, DiagramScene
from gui.diagram.stage import Stage, StageOverlay
from gui.diagram.text import DiagramText
from gui.presentation import palette

__all__ = ["NO_GRADIENT", "NetworkView", "Stage", "round_limit", "suggested_limits"]

VIEWS = ("weights", "gradients")
MIN_SCENE = (700.0, 380.0)  # smaller views show the whole diagram scaled down
MIN_TEXT_SCALE, MAX_TEXT_SCALE = 0.6, 3.0  # lecture mode's type zoom
EDGE_PAD = 0.05  # scene pixels shown around the scene: a card slid onto its edge is not cut


class NetworkView(DiagramInteraction, QGraphicsView):
    """The network diagram.  Feed it with :meth:`set_network` (every snapshot),
    :meth:`set_neuron_maps` and :meth:`set_sample_values`; listen to its signals."""

    weightEdited = Signal(int, int, int, float)  # l (weights index), i, j, value
    biasEdited = Signal(int, int, float)  # l (biases index), i, value
    neuronSelected = Signal(int, int)  # layer (0 = input), index; (-1, -1) = none
    parameterClicked = Signal(int, int, int)  # a weight (l, i, j) or bias (l, i, -1) clicked
    neuronHovered = Signal(int, int)
    addNeuronRequested = Signal(int)
    removeNeuronRequested = Signal(int)
    addLayerRequested = Signal(int)
    removeLayerRequested = Signal(int)
    activationRequested = Signal(int, str)
    viewChanged = Signal(str)  # the user clicked Weights / Gradients
    paletteChanged = Signal(object)  # the Palette now drawn (View > Palette)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diagram = DiagramScene(self)
        self.setScene(self.diagram)
        self.overlay = StageOverlay(self.diagram)  # lecture mode's stage (gui.diagram.stage)
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
        self.colours = palette.STANDARD
        self._scales = {"weights": palette.WEIGHTS, "gradients": palette.GRADIENTS.with_limit(0.1)}
        self._controls = True
        self.auto_scale = False  # True: the weight scale grows when |w| outgrows it
        self._presenting = False
        self._holding = False  # set_frame's parts wait to recolour once
        self.editable = True  # a click on an edge or bias opens its editor (not in lectures)
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
        if self.auto_scale:  # the weights may have outgrown the legend: it grows with them
            grown = grown_limit(self.scale_limits[0], snapshot.weights)
            self._scales["weights"] = self.colours.weights.with_limit(grown)
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
        """Each neuron's output over the input plane (core.data.planes.layer_maps), or None."""
        self._maps = maps
        if self.text is not None:
            self.diagram.set_maps(maps, self.colours.activations)

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
            self.diagram.colour_neurons(a, self.colours.activations)
        self._refresh_tooltip()

    def set_picture_shape(self, shape: tuple[int, ...] | None) -> None:
        """The shape of the picture the inputs form (e.g. (8, 8)), or None: then the first
        layer's neurons show their incoming weights as that picture."""
        if shape != self.diagram.picture_shape:
            self.diagram.picture_shape = shape
            if self.text is not None:
                self._rebuild()

    def set_stage(self, stage: Stage | None) -> None:
        """Show lecture mode's frame ``stage`` over the diagram; None: the normal diagram.
        A frame that differs only in ``pulse`` just moves the dots (cheap, for animation)."""
        if self.overlay.show(stage) and self.text is not None:
            self._recolour()

    def set_frame(
        self, snapshot, input_names: Sequence[str], labels: dict | None, view: str, stage
    ) -> None:
        """One lecture frame at once: ``snapshot`` coloured by ``view`` with ``stage`` over
        it (as set_network, set_view and set_stage), recoloured once rather than three
        times."""
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; use 'weights' or 'gradients'")
        self._holding = True
        try:
            self._view = view
            self.set_network(snapshot, input_names, labels)
            self.set_stage(stage)
        finally:
            self._holding = False
        self._recolour()
        self._refresh_tooltip()

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
            "weights": self.colours.weights.with_limit(float(weights)),
            "gradients": self.colours.gradients.with_limit(float(gradients)),
        }
        if self.text is not None:
            self._recolour()

    def scale_colours(self, factor: float | None, fitted: tuple[float, float]) -> None:
        """Widen (``factor`` > 1) or narrow the colour scale shown now; None sets it to
        ``fitted`` (suggested limits for the weights and the gradients)."""
        weights, gradients = self.scale_limits
        if factor is None:
            weights, gradients = fitted if self._view == "weights" else (weights, fitted[1])
        elif self._view == "weights":
            weights *= factor
        else:
            gradients *= factor
        self.set_scale_limits(weights, gradients)

    @property
    def palette_name(self) -> str:
        """The name of the palette the diagram is drawn with (a key of palette.PALETTES)."""
        return self.colours.name

    def set_palette(self, name: str) -> None:
        """Draw with palette ``name`` (a key of palette.PALETTES): edges, neurons, legend,
        paper and ink, at the same scale limits."""
        self.colours = palette.palette_named(name)
        self.diagram.set_palette(self.colours)
        self.paletteChanged.emit(self.colours)
        if self.overlay.stage is not None:
            self.overlay.place()  # what a frame does not light fades as this palette says
        self.set_scale_limits(*self.scale_limits)
        if self.text is not None:
            self.diagram.set_maps(self._maps, self.colours.activations)
            self.diagram.colour_neurons(self._sample[1], self.colours.activations)

    @property
    def controls_visible(self) -> bool:
        """Whether the + / − and + layer buttons and the view toggle are shown."""
        return self._controls

    def set_controls_visible(self, on: bool) -> None:
        """Show or hide the diagram's controls (the + / − and + layer buttons and the
        weights / gradients toggle): lecture mode and films hide them, and the row of
        buttons gives its room to the network."""
        self._controls = on
        self.diagram.set_controls_visible(on)
        if self.text is not None:
            self._rebuild()

    @property
    def stage_scale(self) -> float:
        """How much larger than normal the diagram is drawn (1 unless presenting)."""
        if not self._presenting or self.text is None:
            return 1.0
        size = self.viewport().size()
        columns = len(self.text.layers)
        return stage_scale(size.width(), size.height(), columns, self._room().margins)

    def _room(self) -> Room:
        """How the layout spends its room: when presenting, no buttons, nodes further apart
        and side margins just as wide as the input names and the output caption need."""
        if self.text is None:
            return Room(self._controls)
        margins, text = self.diagram.margins_for(self.text), self.diagram.text_scale
        if not self._presenting:  # at least the usual margins; long input names get more
            margins = (max(LEFT, margins[0]), max(RIGHT, margins[1]))
            picture = self.diagram.picture_shape is not None
            return Room(self._controls, margins, text=text, picture=picture)
        return Room(self._controls, margins, STAGE_SPREAD, text)

    @property
    def presenting(self) -> bool:
        """Whether the diagram is drawn for a lecture hall (lecture mode)."""
        return self._presenting

    def set_presenting(self, on: bool) -> None:
        """Large type for a lecture hall: lay the diagram out for a smaller view and scale
        it up to fill this one, so that nodes, labels and value cards grow together."""
        self._presenting = on
        if self.text is not None:
            self._rebuild()

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
        layers = self.text.layers
        room = self._room()
        layout = diagram_layout(layers, width, height, self.max_shown, self.min_node, room)
        if self._presenting and self.diagram.caption_lines(self.text, layout) < 2:
            room = replace(room, caption_lines=1)  # one-line captions: the nodes get the room
            layout = diagram_layout(layers, width, height, self.max_shown, self.min_node, room)
        self.diagram.build(self.text, layout)
        layer, i = self._selected
        if (layer, i) in self.diagram.neurons:
            self.diagram.neurons[(layer, i)].selected = True
        self.diagram.set_maps(self._maps, self.colours.activations)
        self.diagram.colour_neurons(self._sample[1], self.colours.activations)
        self.overlay.place()
        self._recolour()
        self._fit()

    def _recolour(self) -> None:
        """Edges, bias glyphs, legend and toggle from the snapshot, the view and the scales."""
        if self._holding:
            return
        emphasis = self.overlay.emphasis(self.diagram.emphasis(self._selected))
        self.diagram.colour(self.snapshot, self._view, self.colour_scale, emphasis)
        paint_weight_pictures(self.diagram, self.snapshot.weights, self._scales["weights"])
        if self._hover is not None and self._hover.kind == "edge":
            self.diagram.show_glow(self._hover.index)

    def _scene_size(self) -> tuple[float, float]:
        size, k = self.viewport().size(), self.stage_scale
        width, height = size.width() / k, size.height() / k
        return max(width, MIN_SCENE[0]), max(height, MIN_SCENE[1])

    def _fit(self) -> None:
        """Show the whole diagram (scaled down if the view is smaller), times the user's zoom."""
        rect = self.diagram.sceneRect()
        size = self.viewport().size()
        rect = rect.adjusted(-EDGE_PAD, -EDGE_PAD, EDGE_PAD, EDGE_PAD)  # (rounding)
        fit = min(size.width() / rect.width(), size.height() / rect.height(), self.stage_scale)
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
        """Back to the whole diagram, its type at its own size."""
        self._zoom = 1.0
        if self.diagram.text_scale != 1.0:
            self.set_text_scale(1.0)
        self._fit()

    @property
    def text_scale(self) -> float:
        """How much larger than its own size the diagram's type is drawn."""
        return self.diagram.text_scale

    @property
    def card_points(self) -> float:
        """The point size of lecture mode's value cards now (in scene units)."""
        return LABEL_POINTS * self.diagram.text_scale

    def set_text_scale(self, scale: float) -> None:
        """Draw all the diagram's type (names, titles, captions, value cards) ``scale``
        times its size, between MIN_TEXT_SCALE and MAX_TEXT_SCALE, and lay it out again so
        that the whole network stays in view."""
        self.diagram.text_scale = float(np.clip(scale, MIN_TEXT_SCALE, MAX_TEXT_SCALE))
        if self.text is not None:
            self._rebuild()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.text is not None:
            self._rebuild()
