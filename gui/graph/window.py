"""The window of the computational graph: the graph of a neuron (or of the whole network)
for the traced sample, stepped through the backward pass node by node, right to left
(← →, Space plays, Home: the forward values), and exported as SVG or PNG."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.trace.graph import (
    ScalarGraph,
    network_graph,
    neuron_graph,
    whole_network_problem,
)
from core.trace.graph_lines import frame_text
from core.trace.iteration import IterationTrace
from core.trace.notation import Precision
from gui.graph.drawing import GraphScene
from gui.graph.export import write_png, write_svg
from gui.presentation.palette import STANDARD, Palette

TITLE_POINTS, STEP_POINTS, NOTE_POINTS, CONTROL_POINTS = 17, 18, 13, 13
MAX_ZOOM = 1.4  # a small graph grows on a large screen, but not into a poster
MIN_ZOOM = 0.7  # a large graph scrolls rather than shrink below projector-readable type
SECONDS = 1.2  # per frame when playing
FORWARD = "Forward pass: every node's value, left to right.  → steps back from L, node by node."


def _font(points: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    return font


class GraphView(QGraphicsView):
    """The scene, fitted to the view (from :data:`MIN_ZOOM` to :data:`MAX_ZOOM`: a larger
    graph scrolls, and the backward pass keeps its current node in view)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the window takes the keys

    def fit(self) -> None:
        """The whole graph in view, never larger than MAX_ZOOM nor smaller than MIN_ZOOM."""
        if self.scene() is None:
            return
        self.resetTransform()
        rect = self.scene().sceneRect()
        port = self.viewport().rect()
        zoom = min(port.width() / max(rect.width(), 1), port.height() / max(rect.height(), 1))
        zoom = max(min(zoom * 0.98, MAX_ZOOM), MIN_ZOOM)
        self.scale(zoom, zoom)
        self.centerOn(rect.center())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit()


class GraphWindow(QWidget):
    """A window of its own for the graph of neuron (layer, index) of a trace."""

    def __init__(self, parent: QWidget | None = None, colours: Palette = STANDARD) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Computational graph — Backprop Lab")
        self.colours = colours
        self.digits: int | Precision = 4  # as lecture mode's equations write numbers
        self.trace: IterationTrace | None = None
        self.layer, self.index, self.sample = 1, 0, 0
        self.graph: ScalarGraph | None = None
        self.scene: GraphScene | None = None
        self.view = GraphView(self)
        self.title = self._label(TITLE_POINTS, bold=True)
        self.step_text = self._label(STEP_POINTS)
        self.note = self._label(NOTE_POINTS)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5a606a")
        self.back = self._button("◀ Back", "Previous node of the backward pass (←)", -1)
        self.play = self._button("▶ Play", "Play the backward pass (Space)", 0)
        self.next = self._button("Next ▶", "Next node of the backward pass (→)", 1)
        self.play.setCheckable(True)
        self.expand = QCheckBox("Expand the next layer")
        self.expand.setToolTip("Open each neuron of the next layer one level: z → f → a")
        self.whole = QCheckBox("Whole network")
        for box in (self.expand, self.whole):
            box.setFont(_font(CONTROL_POINTS))
            box.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the arrows and Space step the graph
            box.toggled.connect(self.rebuild)
        self.svg = self._button("SVG…", "Save the graph as an SVG (for slides)", None)
        self.png = self._button("PNG…", "Save the graph as a PNG", None)
        self.svg.clicked.connect(lambda: self._export("svg"))
        self.png.clicked.connect(lambda: self._export("png"))
        self.timer = QTimer(self)
        self.timer.setInterval(round(SECONDS * 1000))
        self.timer.timeout.connect(self._advance)
        self.play.toggled.connect(self._play)
        self._lay_out()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _label(self, points: int, bold: bool = False) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setFont(_font(points, bold))
        return label

    def _button(self, text: str, tip: str, step: int | None) -> QPushButton:
        button = QPushButton(text)
        button.setFont(_font(CONTROL_POINTS))
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if step:
            button.clicked.connect(lambda: self.go(self.frame + step))
        return button

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        for widget in (self.expand, self.whole, self.back, self.play, self.next):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(self.svg)
        top.addWidget(self.png)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.step_text)
        layout.addWidget(self.note)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """← → step the backward pass, Home: the forward values, End: all of it,
        Space: play or pause."""
        steps = {
            Qt.Key.Key_Right: lambda: self.go(self.frame + 1),
            Qt.Key.Key_Left: lambda: self.go(self.frame - 1),
            Qt.Key.Key_Home: lambda: self.go(-1),
            Qt.Key.Key_End: lambda: self.go(self.frames - 2),
            Qt.Key.Key_Space: self.play.toggle,
        }
        action = steps.get(Qt.Key(event.key()))
        if action is None or event.modifiers() not in (Qt.KeyboardModifier.NoModifier,):
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    # --- what it shows ---

    @property
    def frame(self) -> int:
        """-1: the forward values; k: the backward pass up to graph.order[k]."""
        return -1 if self.scene is None else self.scene.frame

    @property
    def frames(self) -> int:
        """The forward frame and one per node of the backward pass."""
        return 0 if self.scene is None else self.scene.frames

    def show_graph(self, trace: IterationTrace, layer: int, index: int, sample: int = 0) -> None:
        """The graph of neuron ``index`` of ``layer`` (1 = the first hidden layer) for the
        trace's batch row ``sample``, at its forward frame."""
        self.trace, self.layer, self.index = trace, layer, index
        self.sample = min(max(sample, 0), trace.n - 1)
        problem = whole_network_problem(trace)
        self.whole.setEnabled(problem is None)
        self.whole.setToolTip(
            "The whole network's scalar graph, every weight"
            if problem is None
            else f"Not for this network: {problem}."
        )
        if problem is not None:
            self.whole.blockSignals(True)
            self.whole.setChecked(False)
            self.whole.blockSignals(False)
        self.rebuild()

    def set_palette(self, colours: Palette) -> None:
        """Draw with ``colours`` (the diagram's palette), still on the frame shown."""
        frame, self.colours = self.frame, colours
        self.rebuild()
        if self.trace is not None:
            self.go(frame)

    @Slot()
    def rebuild(self) -> None:
        """Build the graph from the trace again (a toggle changed), at the forward frame."""
        if self.trace is None:
            return
        whole = self.whole.isChecked() and self.whole.isEnabled()
        last = self.layer == len(self.trace.layers) - 1
        self.expand.setEnabled(not whole and not last)
        if whole:
            self.graph = network_graph(self.trace, self.sample)
        else:
            expand = self.expand.isChecked() and not last
            self.graph = neuron_graph(self.trace, self.layer, self.index, self.sample, expand)
        self.scene = GraphScene(self.graph, self.colours, self)
        self.scene.digits = self.digits
        self.view.setScene(self.scene)
        batch = f", sample {self.sample + 1} of {self.trace.n}" if self.trace.n > 1 else ""
        self.title.setText(f"{self.graph.title}{batch}")
        self.note.setText(self.graph.note)
        self.note.setVisible(bool(self.graph.note))
        self.go(-1)
        self.view.fit()

    def go(self, frame: int) -> None:
        """Show ``frame`` (clamped): the forward values or the backward pass so far."""
        if self.scene is None:
            return
        self.scene.show_frame(frame)
        if self.frame < 0:
            self.step_text.setText(FORWARD)
        else:
            key = self.graph.order[self.frame]
            step = f"{self.frame + 1}/{len(self.graph.order)}   "
            self.step_text.setText(step + frame_text(self.graph, key, self.scene.digits))
            self.view.ensureVisible(self.scene.nodes[key], 80, 80)
        self.back.setEnabled(self.frame >= 0)
        self.next.setEnabled(self.frame < self.frames - 2)

    def _play(self, on: bool) -> None:
        self.play.setText("❚❚ Pause" if on else "▶ Play")
        if on and self.frame >= self.frames - 2:
            self.go(-1)
        self.timer.start() if on else self.timer.stop()

    def _advance(self) -> None:
        if self.frame >= self.frames - 2:
            self.play.setChecked(False)
        else:
            self.go(self.frame + 1)

    # --- exports ---

    def export(self, kind: str, path: str) -> None:
        """Write the graph as ``kind`` ("svg" or "png") to ``path`` (OSError if it cannot)."""
        if self.scene is None:
            raise ValueError("there is no graph to save yet")
        if kind == "svg":
            write_svg(self.scene, path, self.title.text())
        else:
            write_png(self.scene, path)

    def _export(self, kind: str) -> None:
        name = "graph.svg" if kind == "svg" else "graph.png"
        filters = "SVG image (*.svg)" if kind == "svg" else "PNG image (*.png)"
        path, _ = QFileDialog.getSaveFileName(
            self, f"Save the graph as {kind.upper()}", name, filters
        )
        if not path:
            return
        try:
            self.export(kind, path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Cannot save the graph", f"{exc}; choose another file.")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Type grows with the window, as lecture mode's (1920 wide: 1.5 times)."""
        super().resizeEvent(event)
        scale = min(max(self.width() / 1280, 1.0), 1.5)
        for label, points in ((self.title, TITLE_POINTS), (self.step_text, STEP_POINTS)):
            label.setFont(_font(round(points * scale), bold=label is self.title))
        self.note.setFont(_font(round(NOTE_POINTS * scale)))
        controls = (self.expand, self.whole, self.back, self.play, self.next, self.svg, self.png)
        for widget in controls:
            widget.setFont(_font(round(CONTROL_POINTS * scale)))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.play.setChecked(False)
        super().closeEvent(event)
