"""The output view: what the network computes over its input, with the data on top.

For 2-D data a heatmap of the output over the input plane (up to 100x100 cells, coloured
through lookup tables from :mod:`gui.output.maps`), the training points (white outline) and,
on request, the test points (dark outline); for 1-D data the fitted curve over the points;
for classes of pictures the confusion matrix (gui.output.confusion); else a short message.
Hovering a neuron elsewhere shows that neuron's own map here (not for pictures).

While training, the output map comes from the training process (:meth:`OutputView.follow`).
Computed here are a new network's map and a hovered neuron's (through the layers up to it),
each on a grid as fine as core.data.planes.MAP_BUDGET allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.data import planes
from core.data.dataset import apply_features
from core.engine.trainer import quiet
from gui.output.confusion import ConfusionPanel
from gui.output.legend import Entry, ScaleLegend, class_entries
from gui.output.maps import (
    CURVE_POINTS,
    ClassShader,
    DivergingShader,
    OutputPlan,
    ValueScale,
    plan_for,
    point_colors,
    readout_text,
)
from gui.output.plot import (
    CURVE_COLOR,
    CURVE_TEST,
    CURVE_TRAIN,
    TEST_OUTLINE,
    TRAIN_OUTLINE,
    OutputPlot,
    font,
)
from gui.presentation import palette

if TYPE_CHECKING:
    from core.data.planes import Maps
    from core.engine.network import Network
    from core.session.format import Session

NO_SESSION = "Open a session to see the network's output here."


class OutputView(QWidget):
    """The output map (or curve) of a network on a session's data, with two toggles."""

    show_test_changed = Signal(bool)
    discretize_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, resolution: int = 100) -> None:
        super().__init__(parent)
        self.resolution = resolution
        self._plan = OutputPlan("message", message=NO_SESSION)
        self._network: Network | None = None
        self._grids: dict[int, planes.Grid] = {}  # by cells across, over the plan's extent
        self._sent: np.ndarray | None = None  # the training process's map of _network
        self._neuron: tuple[int, int] | None = None
        self._labels: dict | None = None
        self._values: np.ndarray | None = None  # what the map or curve shows, for the readout
        self._categorical = False
        self._point_colors: dict[bool, np.ndarray | None] = {}
        self._diverging, self._classes = DivergingShader(), ClassShader()
        self._point_scale: ValueScale | None = None
        self._palette_name = palette.STANDARD.name
        self._build_widgets()
        self._layout_widgets()
        self._show_message(NO_SESSION)

    def _build_widgets(self) -> None:
        self._title = QLabel("Output")
        self._title.setFont(font(12, bold=True))
        self._title.setToolTip("What the map shows: the network's output, or one neuron's")
        self._readout = QLabel("")
        self._readout.setTextFormat(Qt.TextFormat.PlainText)  # it names a CSV file's classes
        self._readout.setFont(font(10))
        self._readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._readout.setToolTip("The position under the mouse and the value there")
        # Long readouts are clipped rather than widening the whole view.
        self._readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.plot = OutputPlot()
        self.plot.setToolTip("The network's output over the input plane, with the data points")
        self.plot.hovered.connect(self._on_hovered)
        self._message = QLabel()
        self._message.setWordWrap(True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setFont(font(12))
        self._message.setMargin(24)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.plot)
        self._stack.addWidget(self._message)
        self.images = ConfusionPanel()  # for pictures: the confusion matrix and the wrong ones
        self._stack.addWidget(self.images)
        self.legend = ScaleLegend()
        self.test_box = QCheckBox("Show test data")
        self.test_box.setToolTip("Draw the test points too (dark outline); never trained on")
        self.test_box.toggled.connect(self.set_show_test)
        self.discretize_box = QCheckBox("Discretize output")
        self.discretize_box.setToolTip(
            "Colour each cell by the predicted class only (sign of the output, or argmax)"
        )
        self.discretize_box.toggled.connect(self.set_discretize)
        for box in (self.test_box, self.discretize_box):
            box.setFont(font(10))

    def _layout_widgets(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self._title)
        header.addWidget(self._readout, 1)
        toggles = QHBoxLayout()
        toggles.addWidget(self.test_box)
        toggles.addWidget(self.discretize_box)
        toggles.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self.legend)
        layout.addLayout(toggles)

    # ---------------------------------------------------------------- public API

    @property
    def show_test(self) -> bool:
        """Whether the test points are drawn."""
        return self.test_box.isChecked()

    @property
    def discretize(self) -> bool:
        """Whether the map shows the predicted class only (sign / argmax)."""
        return self.discretize_box.isChecked()

    @property
    def mode(self) -> str:
        """What the view shows now: "map", "curve" or "message"."""
        return "message" if self._stack.currentWidget() is self._message else self._plan.mode

    @property
    def title(self) -> str:
        """The title in the corner: "Output" or the hovered neuron."""
        return self._title.text()

    @property
    def message(self) -> str:
        """The text shown instead of a map (empty when a map or curve is shown)."""
        return self._message.text() if self.mode == "message" else ""

    @property
    def readout(self) -> str:
        """The hover readout: position and value under the mouse."""
        return self._readout.text()

    def set_session(self, session: Session, cut: planes.Slice | None = None) -> None:
        """Show ``session``'s data (a slice ``cut`` of > 2 inputs) and network; no neuron."""
        builtin = session.data.get("builtin") if isinstance(session.data, dict) else None
        plan = plan_for(session.dataset, list(session.features), builtin, cut)
        self._plan, self._labels, self._neuron = plan, session.labels, None
        self._grids = {}
        self.images.set_data(session.dataset)
        self.plot.show_plan(plan)
        self.discretize_box.setEnabled(plan.mode == "map")
        for box in (self.test_box, self.discretize_box):  # the matrix has its own split
            box.setVisible(plan.mode != "images")
        self.test_box.setEnabled(plan.points_test is not None and len(plan.points_test) > 0)
        self._point_scale = ValueScale.for_activation(session.network.activation_names[-1])
        self._draw_points(self._point_scale)
        self.set_network(session.network)

    @property
    def palette_name(self) -> str:
        """The name of the palette the map is drawn with (a key of palette.PALETTES)."""
        return self._palette_name

    def set_palette(self, name: str) -> None:
        """Draw the map, the points and the legend with palette ``name`` (palette.PALETTES)."""
        colours = palette.palette_named(name).activations
        self._palette_name = name
        self.images.set_palette(name)
        self._diverging = DivergingShader(colours)
        self.legend.set_colours(colours)
        if self._point_scale is not None:
            self._draw_points(self._point_scale)
        self._refresh()

    def set_network(self, network: Network) -> None:
        """Draw what ``network`` computes, computed here (a network not yet trained)."""
        self._network, self._sent = network, None
        self._refresh()

    def follow(self, network: Network, maps: Maps | None = None) -> None:
        """The training process's newest ``network`` and the maps it sent, if any (it sends
        them at every pause and often while playing; until then the map shown stays)."""
        self._network = network
        if maps is not None and maps.output is not None:
            self._sent = maps.output
        elif self._neuron is None and self.mode == "map":
            return  # a hovered neuron's map and the curve are computed here
        self._refresh()

    def show_neuron_map(self, layer: int, index: int) -> None:
        """Show neuron ``index`` of ``layer`` (layer 0 = the inputs); (-1, -1): the output."""
        net = self._network
        valid = net is not None and 0 <= layer < len(net.layers) and 0 <= index < net.layers[layer]
        neuron = (layer, index) if valid else None
        if neuron != self._neuron:
            self._neuron = neuron
            self._refresh()

    @Slot(bool)
    def set_show_test(self, on: bool) -> None:
        """Draw (or hide) the test points; the checkbox follows."""
        if on != self.test_box.isChecked():
            self.test_box.setChecked(on)  # comes back here through toggled
            return
        self._draw_test_points()
        if self.mode == "curve":
            self._draw_curve()  # its legend lists the test points only while they are shown
        self.show_test_changed.emit(on)

    @Slot(bool)
    def set_discretize(self, on: bool) -> None:
        """Show the predicted class only (or the graded output); the checkbox follows."""
        if on != self.discretize_box.isChecked():
            self.discretize_box.setChecked(on)  # comes back here through toggled
            return
        self._refresh()
        self.discretize_changed.emit(on)

    def refresh_map(self) -> None:
        """One batched forward pass over the grid, coloured into the image (the hot path)."""
        values, scale, categorical = self._map_values()
        shader = self._classes if categorical else self._diverging
        self.plot.set_map(shader.shade(values, scale, self.discretize))
        self._values, self._categorical = values, categorical
        self._update_legend(scale, values.shape[0] if categorical else 0)

    # ------------------------------------------------------------------- drawing

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        self._stack.setCurrentWidget(self._message)
        self._title.setText("Output")
        self._readout.setText("")
        self.legend.clear()
        self._values = None

    def _refresh(self) -> None:
        plan, net = self._plan, self._network
        if plan.mode == "message" or net is None:
            self._show_message(plan.message or NO_SESSION)
            return
        if net.layers[0] != len(plan.features):
            self._show_message(
                f"The network has {net.layers[0]} inputs, but the data gives "
                f"{len(plan.features)} ({', '.join(plan.features)}); "
                "change the input layer or the features."
            )
            return
        self._stack.setCurrentWidget(self.images if plan.mode == "images" else self.plot)
        self._title.setText("Output" if plan.mode == "images" else self._title_text())
        if plan.mode == "map":
            self.refresh_map()
        elif plan.mode == "images":
            self.legend.clear()
            self.images.follow(net)
        else:
            self._draw_curve()

    def _map_values(self) -> tuple[np.ndarray, ValueScale, bool]:
        """(values, scale, categorical): (k, r, r) with k > 1 outputs, else one (r, r) map."""
        net, features = self._network, list(self._plan.features)
        if self._neuron is None:
            out = self._sent
            if out is None:
                out = planes.output_map(net, features, self._grid(net.layers), self._plan.slice)
            scale = ValueScale.for_activation(net.activation_names[-1])
            return (out, scale, True) if out.shape[0] > 1 else (out[0], scale, False)
        layer, index = self._neuron
        g = self._grid(net.layers[: layer + 1])
        values = planes.neuron_map(net, features, g, layer, index, self._plan.slice)
        if layer == 0:  # an input feature: symmetric over its range (x1: 6, x1^2: 36)
            return values, ValueScale.symmetric(values), False
        return values, ValueScale.for_activation(net.activation_names[layer - 1]), False

    def _grid(self, layers: list[int]) -> planes.Grid:
        """The grid for a map computed here through ``layers``: as fine as the budget allows."""
        cells = planes.resolution_for(layers, self.resolution, planes.LEAST_MAP_RESOLUTION)
        if cells not in self._grids:
            self._grids[cells] = planes.grid_over(self._plan.extent, cells)
        return self._grids[cells]

    def _update_legend(self, scale: ValueScale, classes: int) -> None:
        if not classes:
            self.legend.show_scale(scale, self._caption())
            return
        names = self._plan.class_names
        if len(names) != classes:
            names = tuple(f"class {c + 1}" for c in range(classes))
        self.legend.show_entries(class_entries(names))

    def _caption(self) -> str:
        """What the colour bar measures, e.g. "output (tanh)" or "x1^2"."""
        net = self._network
        if self._neuron is None:
            return f"output ({net.activation_names[-1]})"
        layer, index = self._neuron
        if layer == 0:
            return self._plan.features[index]
        return f"a ({net.activation_names[layer - 1]})"

    def _draw_curve(self) -> None:
        """y (or the hovered neuron's a) over CURVE_POINTS x values, one batched forward pass."""
        x = np.linspace(*self._plan.extent[:2], CURVE_POINTS)
        inputs = apply_features(x[:, None], list(self._plan.features))
        with quiet():
            a = self._network.forward(inputs).a
        layer, index = self._neuron if self._neuron is not None else (len(a) - 1, 0)
        y = a[layer][:, index]
        self.plot.set_curve(x, y)
        self._values = np.vstack([x, y])
        name = "network output" if self._neuron is None else "neuron's activation"
        entries = [
            Entry(name, CURVE_COLOR, line=True),
            Entry("training data", CURVE_TRAIN, TRAIN_OUTLINE),
        ]
        if self.show_test and len(self._plan.points_test):
            entries.append(Entry("test data", CURVE_TEST, TEST_OUTLINE))
        self.legend.show_entries(tuple(entries))

    def _title_text(self) -> str:
        if self._neuron is None:
            return "Output"
        layer, index = self._neuron
        where = f"neuron {index + 1} of layer {layer}"
        neurons = (self._labels or {}).get("neurons")
        if neurons and layer < len(neurons) and index < len(neurons[layer]):
            return f"Neuron {neurons[layer][index]}: {where}"
        if layer == 0 and index < len(self._plan.features):
            return f"Input {self._plan.features[index]}: {where}"
        return where[0].upper() + where[1:]

    def _draw_points(self, scale: ValueScale) -> None:
        """Training points, coloured on the output scale of the session (or by class)."""
        plan = self._plan
        self._point_colors = {
            test: None
            if plan.mode != "map"
            else point_colors(plan, scale, test, self._diverging.colours)
            for test in (False, True)
        }
        self.plot.set_points(plan.points_train, self._point_colors[False], test=False)
        self._draw_test_points()

    def _draw_test_points(self) -> None:
        plan = self._plan
        points = plan.points_test if self.show_test else None
        self.plot.set_points(points, self._point_colors.get(True), test=True)

    # ------------------------------------------------------------------- readout

    @Slot(float, float)
    def _on_hovered(self, x: float, y: float) -> None:
        """Show (x1, x2) and the value under the mouse."""
        self._readout.setText(self.readout_at(x, y))

    def readout_at(self, x: float, y: float) -> str:
        """The readout text for the data position (x, y): position and value, or ""."""
        if self.mode == "message" or self._values is None:
            return ""
        return readout_text(self._plan, self._values, self._categorical, self._neuron, x, y)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Clear the readout when the mouse leaves the view."""
        self._readout.setText("")
        super().leaveEvent(event)
