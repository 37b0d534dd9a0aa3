"""The network diagram as a picture for slides and handouts: PNG at a chosen size or DPI,
SVG as vectors, and :func:`render_session`, the headless ``render`` command behind both.

Exports draw the view's own scene, so whatever the diagram shows (heatmaps, the selection,
labels, the legend, items added later) is exported too, with three differences made for
paper and projectors: a white background, no on-screen controls (the + / − and + layer
buttons, the Weights / Gradients toggle, the hover glow), and the picture cropped to the
drawing.  The on-screen edge layer paints its edges in colour batches (or as one cached
image); an export draws them itself, and the SVG has one element per edge and real
``<text>`` for every name, caption and label.
"""

from __future__ import annotations

import copy
import math
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontInfo, QFontMetricsF, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from core.engine.trainer import trainer_for
from core.session.format import Session, SessionError, load_session
from core.session.lessons import resolve
from core.snapshot import Snapshot, network_snapshot, snapshot_network, take_snapshot
from gui.diagram.edges import suggested_limits
from gui.diagram.items import INK, DiagramButton, NeuronItem, diagram_font
from gui.diagram.neurons import fill_neurons
from gui.diagram.view import VIEWS, NetworkView

REFERENCE_DPI = 96.0  # the scene's pixels: dpi=192 exports at twice its size
MARGIN = 16.0  # white space around the drawing, in scene pixels
MAX_PIXELS = 16384  # the longest side of a PNG
MAX_DPI = 1200.0
DEFAULT_WIDTH = 1600  # a PNG's width when neither its size nor its dpi is given
LAYOUT_WIDTH = 1000.0  # render: the diagram is laid out this wide, then scaled to the output
ASPECT = 16 / 10  # render: the figure's shape when only one side (or only a dpi) is given
SUFFIXES = (".png", ".svg")
WHITE = QColor(255, 255, 255)
BADGE = QColor(255, 255, 255, 215)  # behind neuron labels in SVGs
HINTS = QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing


# ---------------------------------------------------------------------- the look of an export


def _hideable(view: NetworkView) -> list:
    """The scene's items that an export leaves out: controls, the hover glow, and the edge
    layer (drawn by the export itself)."""
    scene = view.diagram
    controls = [item for item in scene.items() if isinstance(item, DiagramButton)]
    return [*controls, *scene.glow, scene.edges]


@contextmanager
def _export_look(view: NetworkView, text_labels: bool) -> Iterator[QRectF]:
    """The scene as exported (see the module docstring) while the block runs, restored after;
    yields the rectangle to export, in scene coordinates.  ``text_labels``: neurons leave
    their labels to the export (SVG writes them as text, not outlines)."""
    if view.text is None:
        raise ValueError("the diagram is empty: nothing to export before set_network")
    scene = view.diagram
    hidden = [item for item in _hideable(view) if item.isVisible()]
    neurons = list(scene.neurons.values())
    saved = [(item.hovered, item.label) for item in neurons]
    brush = scene.backgroundBrush()
    try:
        for item in hidden:
            item.setVisible(False)
        for item in neurons:
            item.hovered = False
            item.label = "" if text_labels else item.label
        scene.setBackgroundBrush(Qt.BrushStyle.NoBrush)
        yield _drawing_rect(view)
    finally:
        for item in hidden:
            item.setVisible(True)
        for item, (hovered, label) in zip(neurons, saved, strict=True):
            item.hovered, item.label = hovered, label
        scene.setBackgroundBrush(brush)


def _drawing_rect(view: NetworkView) -> QRectF:
    """Everything visible plus the edges, with a white margin."""
    scene = view.diagram
    rect = scene.edges.boundingRect()
    for item in scene.items():
        if item.isVisible() and item.parentItem() is None:
            rect = rect.united(item.sceneBoundingRect())
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def _paint(painter: QPainter, view: NetworkView, rect: QRectF, per_edge: bool) -> None:
    """White, the edges, then the rest of the scene (``rect`` in the painter's coordinates,
    which are scene coordinates).  ``per_edge``: one line per edge, not one call per pen."""
    painter.setRenderHints(HINTS)
    painter.fillRect(rect, WHITE)
    for stroke in view.diagram.edges.strokes:
        painter.setPen(stroke.pen)
        if per_edge:
            for line in stroke.lines:
                painter.drawLine(line)
        else:
            painter.drawLines(stroke.lines)
    view.diagram.render(painter, rect, rect)


def _paint_labels(painter: QPainter, view: NetworkView, labels: dict) -> None:
    """Each neuron's label as text on a white badge, where the neuron draws it.  A badge
    (not the screen's outlined glyphs) stays behind the text in any SVG viewer, even one
    that substitutes the font."""
    for key, label in labels.items():
        item: NeuronItem = view.diagram.neurons[key]
        font = diagram_font(min(12.0, max(10.0, item.size * 0.24)), bold=True)
        metrics = QFontMetricsF(font)
        centre = item.scenePos()
        width = metrics.horizontalAdvance(label)
        base = QPointF(
            centre.x() - width / 2, centre.y() + (metrics.ascent() - metrics.descent()) / 2
        )
        badge = QRectF(0, 0, width + 8, metrics.ascent() + metrics.descent() + 2)
        badge.moveCenter(centre)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BADGE)
        painter.drawRoundedRect(badge, 3, 3)
        painter.setFont(font)
        painter.setPen(INK)
        painter.drawText(base, label)


# ---------------------------------------------------------------------- PNG and SVG


def png_size(
    rect: QRectF, width: int | None, height: int | None, dpi: float | None
) -> tuple[int, int, float]:
    """The PNG's pixel size and the scale from scene pixels for a drawing of ``rect``:
    ``width`` x ``height`` (a missing one in proportion), the drawing fitted and centred;
    with neither, at ``dpi`` (the scene is 96 dpi), else ``DEFAULT_WIDTH`` wide."""
    if dpi is not None and not 0 < dpi <= MAX_DPI:
        raise ValueError(f"the dpi must be more than 0 and at most {MAX_DPI}, not {dpi:g}")
    if width is None and height is None and dpi is not None:
        scale = dpi / REFERENCE_DPI
        w, h = math.ceil(rect.width() * scale), math.ceil(rect.height() * scale)
    else:
        width = DEFAULT_WIDTH if width is None and height is None else width
        if (width is not None and width <= 0) or (height is not None and height <= 0):
            raise ValueError(f"the size must be positive, not {width} x {height}")
        scale = min(
            width / rect.width() if width is not None else math.inf,
            height / rect.height() if height is not None else math.inf,
        )
        w = width if width is not None else max(1, round(rect.width() * scale))
        h = height if height is not None else max(1, round(rect.height() * scale))
    if max(w, h) > MAX_PIXELS:
        raise ValueError(f"{w} x {h} pixels is too large (at most {MAX_PIXELS} a side)")
    return w, h, scale


def drawing_size(view: NetworkView) -> tuple[float, float]:
    """The width and height of what an export draws, in scene pixels: the size of a PNG at
    96 dpi (``export_png(view, path, dpi=96)``)."""
    with _export_look(view, text_labels=False) as rect:
        return rect.width(), rect.height()


def export_png(
    view: NetworkView,
    path: str | os.PathLike,
    width: int | None = None,
    height: int | None = None,
    dpi: float | None = None,
) -> None:
    """Save the diagram as a PNG ``width`` x ``height`` pixels (a missing one in proportion
    to the drawing); with neither, at ``dpi`` (96 dpi = the scene's own size) or 1600
    pixels wide.  ``dpi`` is recorded in the file, so that slides and documents place it
    at width / dpi inches.  White background, antialiased, without the on-screen controls.

    Raises ValueError for a bad size or an empty view, OSError when the file cannot be written.
    """
    with _export_look(view, text_labels=False) as rect:
        w, h, scale = png_size(rect, width, height, dpi)
        image = QImage(w, h, QImage.Format.Format_ARGB32)
        image.fill(WHITE)
        painter = QPainter(image)
        painter.translate((w - rect.width() * scale) / 2, (h - rect.height() * scale) / 2)
        painter.scale(scale, scale)
        painter.translate(-rect.topLeft())
        _paint(painter, view, rect, per_edge=False)
        painter.end()
    if dpi is not None:  # only now: the image's dpi would also scale the fonts as drawn
        dots_per_metre = round(dpi / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
    if not image.save(os.fspath(path), "PNG"):
        raise OSError(f"cannot write {os.fspath(path)}")


def export_svg(view: NetworkView, path: str | os.PathLike, title: str = "") -> None:
    """Save the diagram as an SVG for slides: vectors (heatmaps as embedded images), one
    element per neuron square and per drawn edge, and every name, caption, label and the
    legend as text.  ``title`` is the document's title.

    Raises ValueError for an empty view, OSError when the file cannot be written.
    """
    scene = view.diagram
    labels = {key: item.label for key, item in scene.neurons.items()}
    labels = {key: text for key, text in labels.items() if text and scene.neurons[key].size >= 26}
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    with _export_look(view, text_labels=True) as rect:
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setResolution(round(REFERENCE_DPI))  # font sizes as on screen
        generator.setSize(QSize(math.ceil(rect.width()), math.ceil(rect.height())))
        generator.setViewBox(rect)
        generator.setTitle(title or "Network diagram")
        generator.setDescription("Exported from Backprop Lab")
        painter = QPainter(generator)
        _paint(painter, view, rect, per_edge=True)
        _paint_labels(painter, view, labels)
        painter.end()
    family = QFontInfo(diagram_font(11.0)).family()
    svg = slide_ready(bytes(buffer.data()).decode("utf-8"), rect, family)
    Path(path).write_text(svg, encoding="utf-8")


def slide_ready(svg: str, rect: QRectF, family: str) -> str:
    """Qt's SVG with its size in pixels (not millimetres) and a font every viewer has:
    ``family`` (the one the diagram used), else any sans-serif (Qt writes its own
    "Sans Serif", which viewers do not know and may replace with a serif)."""
    size = f'<svg width="{math.ceil(rect.width())}px" height="{math.ceil(rect.height())}px"'
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', size, svg, count=1)
    family = re.sub(r"[\"'<>&]", "", family)
    return re.sub(r'font-family="[^"]*"', f"font-family=\"'{family}', sans-serif\"", svg)


# ---------------------------------------------------------------------- render (headless)


def session_snapshot(session: Session, view: str) -> Snapshot:
    """The session's network as drawn: as loaded for 'weights'; for 'gradients', after one
    training step of a copy (so there is a dL/dw to show)."""
    if view == "weights":
        return network_snapshot(session.network)
    stepped = copy.copy(session)
    stepped.network = session.network.copy()
    trainer = trainer_for(stepped)
    trainer.step()
    return take_snapshot(trainer)


def session_view(session: Session, view: str, width: float, height: float) -> NetworkView:
    """A NetworkView laid out at ``width`` x ``height``, showing ``session`` in ``view``
    with heatmaps (2-D built-in data) or the first training row's activations.  Never
    appears on screen; close it when done."""
    net_view = NetworkView()
    net_view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    net_view.resize(round(width), round(height))
    net_view.show()  # the viewport takes its size (and the layout its room) only when shown
    snap = session_snapshot(session, view)
    net_view.set_scale_limits(*suggested_limits(snap))
    net_view.set_view(view)
    net_view.set_network(snap, session.dataset.input_names, session.fitting_labels())
    network = snapshot_network(snap)
    fill_neurons(net_view, network, session)
    return net_view


def render_size(width: int | None, height: int | None, dpi: float | None) -> tuple[int, int]:
    """The picture's size in pixels for ``render``'s options: as given (a missing side by
    the 16:10 shape); with neither, 1600 x 1000, or with ``dpi`` the 16:10 figure laid out
    1000 x 625 scene pixels (10.4 x 6.5 inches at 96 dpi) at that dpi."""
    if width is None and height is None:
        scale = DEFAULT_WIDTH / LAYOUT_WIDTH if dpi is None else dpi / REFERENCE_DPI
        return round(LAYOUT_WIDTH * scale), round(LAYOUT_WIDTH / ASPECT * scale)
    if height is None:
        return width, max(1, round(width / ASPECT))
    if width is None:
        return max(1, round(height * ASPECT)), height
    return width, height


def render_problem(
    out_path: str | os.PathLike,
    view: str,
    width: int | None = None,
    height: int | None = None,
    dpi: float | None = None,
) -> str:
    """What is wrong with these render options ('' if nothing)."""
    suffix = Path(out_path).suffix.lower()
    if suffix not in SUFFIXES:
        return f"{out_path}: the output must be a .png or an .svg file"
    if view not in VIEWS:
        return f"unknown view {view!r}: use 'weights' or 'gradients'"
    for name, side in (("width", width), ("height", height)):
        if side is not None and side <= 0:
            return f"--{name} must be a positive number of pixels, not {side}"
    if dpi is not None and suffix == ".svg":
        return "--dpi is for a PNG: an SVG is vectors, sharp at any size"
    if dpi is not None and not 0 < dpi <= MAX_DPI:
        return f"--dpi must be more than 0 and at most {MAX_DPI:g}, not {dpi:g}"
    return ""


def render_session(
    session_path: str | os.PathLike,
    out_path: str | os.PathLike,
    view: str = "weights",
    width: int | None = None,
    height: int | None = None,
    dpi: float | None = None,
) -> int:
    """Draw a session's network (a file or a built-in lesson's name) into ``out_path``
    (.png: pixels by :func:`render_size`, ``dpi`` recorded; .svg: vectors of that shape).
    Needs no display with QT_QPA_PLATFORM=offscreen.  Returns the exit status: 0, or 2 with
    a message on stderr for a bad session, view, size, dpi or output file."""
    problem = render_problem(out_path, view, width, height, dpi)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        session = load_session(resolve(session_path))
    except (FileNotFoundError, SessionError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or session_path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    application()
    width, height = render_size(width, height, dpi)
    net_view = session_view(session, view, LAYOUT_WIDTH, LAYOUT_WIDTH * height / width)
    try:
        if Path(out_path).suffix.lower() == ".svg":
            export_svg(net_view, out_path, title=session.name)
        else:
            export_png(net_view, out_path, width, height, dpi)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        net_view.close()
        net_view.deleteLater()
    return 0


_apps: list[QApplication] = []  # a QApplication made here lives as long as the process


def application() -> QApplication:
    """The running QApplication, or a new one (the ``render`` command has none yet)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(["backprop-lab"])
        _apps.append(app)
    return app
