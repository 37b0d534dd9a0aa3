"""Where the computational graph opens from: View > Show as a computational graph
(Ctrl+Shift+G) for the neuron selected, else the one the lecture's frame lights, and the
neuron's right-click menu in the diagram.  Outside lecture mode there is no traced step:
the action enters lecture mode and opens the graph when the trace arrives."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from gui.graph.window import GraphWindow

SHORTCUT = "Ctrl+Shift+G"
TEXT = "Show as a computational &graph"
WAITING = "Tracing a step in lecture mode: the computational graph opens when it arrives"


class GraphOpener(QObject):
    """Opens (and keeps) the graph window of ``window`` from lecture mode's trace; ``view``
    is the network diagram whose right-click menus get the entry."""

    def __init__(self, window: QMainWindow, view, lecture, status) -> None:
        super().__init__(window)
        self.window, self.view, self.lecture, self.status = window, view, lecture, status
        self.graph_window: GraphWindow | None = None
        self.pending: tuple[int, int] | None = None  # the neuron to show once traced
        self.action = QAction(TEXT, window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setToolTip("The chain rule of one neuron as a graph of scalar operations")
        self.action.triggered.connect(self.show_current)
        lecture.activeChanged.connect(self._on_active)
        lecture.controller.planChanged.connect(self._on_plan)
        lecture.chooser.shownChanged.connect(self._on_shown)
        lecture.controller.frameChanged.connect(self._on_frame)
        view.paletteChanged.connect(self._on_palette)
        self._on_active(False)

    @Slot(object)
    def _on_palette(self, colours) -> None:
        """View > Palette: an open graph is drawn in the new colours, on the same frame."""
        if self.graph_window is not None:
            self.graph_window.set_palette(colours)

    def fill(self, menu: QMenu) -> None:
        """Add the entry to ``menu`` (View's lecture entries)."""
        menu.addAction(self.action)

    def neuron_now(self) -> tuple[int, int]:
        """The neuron to draw: the one selected on the diagram, else the last one the
        lecture's frame lights, else the first output neuron."""
        layers = self._layers()
        layer, index = self.view.selected
        if 0 < layer < len(layers) and index < layers[layer]:
            return layer, index
        frame = self.lecture.controller.frame
        lit = [n for n in (frame.neurons if frame is not None else ()) if n[0] > 0]
        return lit[-1] if lit else (len(layers) - 1, 0)

    def _layers(self) -> list[int]:
        trace = self.lecture.trace
        return trace.layers if trace is not None else self.lecture.model.session.network.layers

    @Slot()
    def show_current(self) -> None:
        """The action: the graph of :meth:`neuron_now`."""
        self.show_neuron(*self.neuron_now())

    def show_neuron(self, layer: int, index: int) -> None:
        """The graph of neuron (layer, index) for the lecture's traced sample, entering
        lecture mode first if it is not on (the graph then opens when the trace comes)."""
        trace = self.lecture.trace
        if not self.lecture.active or trace is None:
            self.pending = (layer, index)
            self.status.say(WAITING, 8000)
            if not self.lecture.active:
                self.lecture.enter()
            return
        window = self.graph_window
        if window is None:
            window = self.graph_window = GraphWindow(self.window, self.view.colours)
            window.resize(round(self.window.width() * 0.8), round(self.window.height() * 0.8))
        else:
            window.colours = self.view.colours
        window.digits = self.lecture.panel.precision
        window.show_graph(trace, layer, index, self.lecture.shown)
        self.status.say(f"{window.graph.title}: → steps the backward pass, Space plays", 8000)
        window.show()
        window.raise_()
        window.activateWindow()

    @Slot(object)
    def _on_plan(self, plan) -> None:
        """A new trace (or plan): the waiting graph opens; an open one follows the trace."""
        trace = self.lecture.trace
        if trace is None or not self.lecture.active:
            return
        if self.pending is not None:
            neuron, self.pending = self.pending, None
            self.show_neuron(*neuron)
        elif self.graph_window is not None and self.graph_window.isVisible():
            window = self.graph_window
            if window.trace is not trace and window.layer < len(trace.layers):
                index = min(window.index, trace.layers[window.layer] - 1)
                window.show_graph(trace, window.layer, index, self.lecture.shown)

    @Slot(object)
    def _on_frame(self, frame) -> None:
        """The lecture moves on: an open graph of its trace shows the forward values in
        forward and loss frames, and in a backward frame the backward pass as far as the
        node of the δ, ∂L/∂w or ∂L/∂b it computes (if the graph has it)."""
        window, trace = self.graph_window, self.lecture.trace
        if frame is None or window is None or not window.isVisible() or window.trace is not trace:
            return
        if frame.phase in ("forward", "loss"):
            window.go(-1)
            return
        keys = {graph_key(term.target) for term in frame.terms}
        reached = [k for k, key in enumerate(window.graph.order) if key in keys]
        if reached:
            window.go(max(reached))

    @Slot(int)
    def _on_shown(self, sample: int) -> None:
        """The lecture shows another sample of the batch: an open graph shows it too."""
        window, trace = self.graph_window, self.lecture.trace
        if window is None or not window.isVisible() or trace is None or window.trace is not trace:
            return
        if 0 <= sample < trace.n and sample != window.sample:
            window.show_graph(trace, window.layer, window.index, sample)

    @Slot(bool)
    def _on_active(self, on: bool) -> None:
        """Add the entry to the diagram's right-click menus: lecture mode's element menu,
        or outside it the layer menu of the neuron clicked."""
        if not on:
            self.pending = None  # left lecture mode: nothing waits for a trace any more
            if self.graph_window is not None:
                self.graph_window.close()  # its trace went with the lecture: never stale
        inner = self.view.element_menu if on else None
        self.view.element_menu = lambda kind, key: self._menu(inner, kind, key)

    def _menu(self, inner, kind: str, key: tuple) -> QMenu | None:
        menu = inner(kind, key) if inner is not None else None
        if kind != "neuron" or key[0] <= 0:
            return menu
        if menu is None:
            menu = self.view.layer_menu(key[0]) if inner is None else QMenu(self.view)
        first = menu.actions()[0] if menu.actions() else None
        entry = QAction(TEXT.replace("&", ""), menu)
        entry.triggered.connect(lambda: self.show_neuron(key[0], key[1]))
        menu.insertAction(first, entry)
        if first is not None:
            menu.insertSeparator(first)
        return menu


def graph_key(symbol) -> str | None:
    """The graph node whose gradient is ``symbol`` (a lecture term's target): δ of neuron
    (l, i) is node z{l}_{i}'s, ∂L/∂w^l_ij node w{l}_{i}_{j}'s, ∂L/∂b^l_i node b{l}_{i}'s."""
    if symbol.name == "delta":
        return f"z{symbol.layer}_{symbol.i}"
    if symbol.name == "dL/dw":
        return f"w{symbol.layer}_{symbol.i}_{symbol.j}"
    if symbol.name == "dL/db":
        return f"b{symbol.layer}_{symbol.i}"
    return None
