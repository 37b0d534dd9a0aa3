"""The computational graph drawn: a box per node (its operation or name, its forward value
and, once the backward pass has reached it, its gradient) and an arrow per edge (its local
derivative, once the gradient above it is known).  Every number comes from the core's
:class:`~core.trace.graph.ScalarGraph`; nothing is computed here."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem

from core.trace.graph import Edge, Node, ScalarGraph
from core.trace.graph_lines import holds
from core.trace.notation import Precision, format_number
from gui.diagram.items import diagram_font
from gui.presentation.palette import STANDARD, Palette

COLUMN = 220.0  # scene pixels from one column to the next
ROW = 110.0  # ... and from one row to the next
NODE_WIDTH, LINE = 124.0, 26.0  # a node's box and the height of one of its lines
NAME_POINTS, VALUE_POINTS, EDGE_POINTS = 15.0, 15.0, 13.0
FILLS = {"w": "#fde9d2", "b": "#fde9d2", "x": "#e3eef8", "a": "#e3eef8", "L": "#efe3f3"}
FILLS["loss"] = "#efe3f3"
BROKEN = "#c62828"  # the border of a node where the chain rule breaks
OPERATIONS = ("×", "Σ", "+", "f", "loss", "L")


def rgb(colour: tuple[int, int, int]) -> QColor:
    """A QColor of an (r, g, b) tuple."""
    return QColor(*colour)


def node_lines(node: Node, digits: int | Precision, backward: bool) -> list[str]:
    """What a node's box says: its operation and name, its value, and (``backward``) its
    gradient ∂L/∂node."""
    if node.op in ("×", "Σ"):
        head = node.caption
    elif node.op in OPERATIONS:
        head = f"{node.caption}  {node.name}" if node.caption != node.name else node.name
    else:
        head = node.name
    lines = [head, format_number(node.value, digits, "unicode")]
    if backward and node.grad is not None:
        lines.append(f"grad {format_number(node.grad, digits, 'unicode')}")
    return lines


class NodeItem(QGraphicsItem):
    """One node's box; ``lines`` is what it says (for tests and the SVG)."""

    def __init__(self, node: Node, colours: Palette) -> None:
        super().__init__()
        self.node, self.colours = node, colours
        self.lines: list[str] = []
        self.lit = self.current = False
        self.broken = False  # the trace's gradient is not upstream × local (a bug)
        self.width, self.height = NODE_WIDTH, 3 * LINE + 10  # room for the gradient

    def show(self, digits: int | Precision, backward: bool, lit: bool, current: bool) -> None:
        """Say the value (and the gradient once lit), widened to fit the text."""
        self.prepareGeometryChange()
        self.lit, self.current = lit, current
        self.lines = node_lines(self.node, digits, backward and lit)
        metrics = QFontMetricsF(diagram_font(VALUE_POINTS, bold=True))
        widest = max(  # as wide in every frame: the boxes never jump
            metrics.horizontalAdvance(line) for line in node_lines(self.node, digits, True)
        )
        self.width = max(NODE_WIDTH, widest + 20)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return QRectF(-self.width / 2 - 3, -self.height / 2 - 3, self.width + 6, self.height + 6)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        box = QRectF(-self.width / 2, -self.height / 2, self.width, self.height)
        ink = rgb(self.colours.ink)
        fill = QColor(FILLS.get(self.node.op, "#ffffff"))
        edge = rgb(self.colours.gradients.positive) if self.lit else ink
        edge = QColor(BROKEN) if self.broken else edge
        pen = QPen(edge, 4.5 if self.current else (2.5 if self.lit else 1.5))
        if self.node.collapsed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        radius = 18.0 if self.node.op in OPERATIONS else 6.0
        painter.drawRoundedRect(box, radius, radius)
        for n, line in enumerate(self.lines):
            top = box.top() + 5 + n * LINE
            bold = n == 0
            painter.setFont(diagram_font(NAME_POINTS if n == 0 else VALUE_POINTS, bold))
            colour = ink
            if n == 2:
                sign = self.node.grad if self.node.grad is not None else 0.0
                scale = self.colours.gradients
                colour = rgb(scale.negative if sign < 0 else scale.positive)
            painter.setPen(colour)
            painter.drawText(QRectF(box.left(), top, box.width(), LINE), Qt.AlignCenter, line)


class EdgeItem(QGraphicsItem):
    """An arrow from one node's box to the next, with its local derivative when shown."""

    def __init__(self, edge: Edge, source: NodeItem, target: NodeItem, colours: Palette) -> None:
        super().__init__()
        self.edge, self.source, self.target, self.colours = edge, source, target, colours
        self.label = ""
        self.current = False
        self.setZValue(1)  # labels over the boxes they may touch (arrows end at the boxes)

    def ends(self) -> tuple[QPointF, QPointF]:
        s, t = self.source, self.target
        start = s.pos() + QPointF(s.width / 2, 0)
        end = t.pos() - QPointF(t.width / 2, 0)
        if t.pos().x() - t.width / 2 < start.x() + 10:  # stacked: leave from the top / bottom
            down = t.pos().y() > s.pos().y()
            start = s.pos() + QPointF(0, (s.height / 2) * (1 if down else -1))
            end = t.pos() + QPointF(-t.width / 4, (t.height / 2) * (-1 if down else 1))
        return start, end

    def show(self, digits: int | Precision, labelled: bool, current: bool) -> None:
        """Show the local derivative (``labelled``); ``current``: the step being taken."""
        self.prepareGeometryChange()
        local = self.edge.local
        self.label = ""
        if labelled and local is not None:
            text = format_number(local, digits, "unicode")
            self.label = f"δ = {text}" if self.edge.collapsed else f"× {text}"
        self.current = current
        self.update()

    def _label_rect(self) -> QRectF:
        start, end = self.ends()
        metrics = QFontMetricsF(diagram_font(EDGE_POINTS, bold=self.current))
        w, h = metrics.horizontalAdvance(self.label) + 12, metrics.height() + 4
        mid = start + (end - start) * 0.55
        return QRectF(mid.x() - w / 2, mid.y() - h / 2, w, h)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        start, end = self.ends()
        rect = QRectF(start, end).normalized().adjusted(-12, -12, 12, 12)
        return rect.united(self._label_rect()) if self.label else rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        start, end = self.ends()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = rgb(self.colours.gradients.positive if self.current else self.colours.faint_ink)
        if self.edge.local is None:
            colour = rgb(self.colours.faint_ink).lighter(140)
        pen = QPen(colour, 4.0 if self.current else 1.8)
        if self.edge.collapsed or self.edge.local is None:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        path = QPainterPath(start)
        dx = max(30.0, (end.x() - start.x()) / 2)
        path.cubicTo(start + QPointF(dx, 0), end - QPointF(dx, 0), end)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        direction = end - path.pointAtPercent(0.97)
        length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-9)
        unit = direction / length
        normal = QPointF(-unit.y(), unit.x())
        tip = QPolygonF([end, end - unit * 12 + normal * 6, end - unit * 12 - normal * 6])
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(tip)
        if self.label:
            rect = self._label_rect()
            painter.setPen(QPen(colour, 1.2))
            painter.setBrush(QColor(255, 255, 255, 235))
            painter.drawRoundedRect(rect, 5, 5)
            painter.setFont(diagram_font(EDGE_POINTS, bold=self.current))
            painter.setPen(rgb(self.colours.ink))
            painter.drawText(rect, Qt.AlignCenter, self.label)


class GraphScene(QGraphicsScene):
    """A :class:`ScalarGraph` laid out by its columns and rows; :meth:`show_frame` shows the
    forward values (frame -1) or the backward pass as far as ``order[frame]``."""

    def __init__(self, graph: ScalarGraph, colours: Palette = STANDARD, parent=None) -> None:
        super().__init__(parent)
        self.graph, self.colours, self.digits = graph, colours, 4
        self.setBackgroundBrush(rgb(colours.background))
        self.nodes: dict[str, NodeItem] = {}
        for node in graph.nodes:
            item = NodeItem(node, colours)
            item.setPos(node.column * COLUMN, node.row * ROW)
            self.addItem(item)
            self.nodes[node.key] = item
        self.edges = [
            EdgeItem(e, self.nodes[e.source], self.nodes[e.target], colours) for e in graph.edges
        ]
        for item in self.edges:
            self.addItem(item)
        self.frame = -1
        self.show_frame(-1)

    def _place(self) -> None:
        """Columns as far apart as the widest box and the widest local derivative need at
        this precision (9 digits widen both), so that no box or label covers another."""
        metrics = QFontMetricsF(diagram_font(EDGE_POINTS, bold=True))
        labels = [
            metrics.horizontalAdvance(f"δ = {format_number(e.edge.local, self.digits, 'unicode')}")
            for e in self.edges
            if e.edge.local is not None
        ]
        widest = max(item.width for item in self.nodes.values())
        step = max(COLUMN, widest + max(COLUMN - NODE_WIDTH, max(labels, default=0) + 24))
        for item in self.nodes.values():
            item.setPos(item.node.column * step, item.node.row * ROW)

    @property
    def frames(self) -> int:
        """Frames of the animation: the forward values, then one per node of the backward
        pass, right to left."""
        return len(self.graph.order) + 1

    def show_frame(self, frame: int) -> None:
        """Frame -1: every forward value; frame k >= 0: the gradients of order[0..k], the
        local derivatives of their edges, order[k] and its outgoing edges highlighted."""
        self.frame = max(-1, min(frame, len(self.graph.order) - 1))
        done = set(self.graph.order[: self.frame + 1])
        current = self.graph.order[self.frame] if self.frame >= 0 else None
        for key, item in self.nodes.items():
            item.broken = key in done and not holds(self.graph, key)
            item.show(self.digits, True, key in done, key == current)
        self._place()
        for item in self.edges:
            target_done = item.edge.target in done
            item.show(self.digits, target_done, item.edge.source == current and target_done)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-30, -30, 30, 30))
