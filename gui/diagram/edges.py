"""All edges of the network diagram in one batched graphics item.

Edges are the expensive part: thousands of antialiased wide lines, each its own
graphics item with its own pen, take about 116 ms to paint.  :class:`EdgeLayer`
holds every edge in one item, groups them into a few colour/width bins (one pen per
bin, from the same palette scale as the legend) and paints each bin with one call.
Large batches are drawn aliased into an image at twice the device resolution and
drawn back with smooth scaling: the same antialiased look at a fraction of the cost of
Qt's antialiased rasteriser for wide lines.  :func:`suggested_limits` proposes the fixed
ranges of the two colour scales for a session.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem

from gui.presentation.palette import DivergingScale

LEVELS = 8  # colour/width bins per sign: 2 * LEVELS + 1 pens in all
PERCENTILE_SAMPLE = 1_000_000  # gradients a scale's percentile is taken over, at most
DIRECT_EDGES = 300  # up to this many edges, Qt's own antialiasing is fast enough
SUPERSAMPLE = 2
DIM_ALPHA = 40  # edges away from the selected neuron
FADE_SHARE = 0.2  # faded edges' colour share when blended into ``EdgeLayer.fade_into``
NAN_GREY = QColor(128, 128, 128)
PLACEHOLDER = QColor(170, 174, 180)  # the edges before there is a gradient to show


def rgba_color(rgba: np.ndarray | tuple) -> QColor:
    """A QColor from an RGBA uint8 row of a palette scale."""
    r, g, b, a = (int(v) for v in rgba)
    return QColor(r, g, b, a)


def faded(color: QColor, into: QColor | None, share: float = FADE_SHARE) -> QColor:
    """``color`` dimmed: translucent (DIM_ALPHA), or, ``into`` a background, an opaque blend
    of ``share`` of it into that (the same look, and wide opaque lines draw ~7x faster)."""
    if into is None:
        return QColor(color.red(), color.green(), color.blue(), DIM_ALPHA)
    mix = lambda a, b: round(share * a + (1 - share) * b)  # noqa: E731
    return QColor(
        mix(color.red(), into.red()),
        mix(color.green(), into.green()),
        mix(color.blue(), into.blue()),
    )


def round_limit(value: float, fallback: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 (times a power of ten) >= ``value``."""
    if not np.isfinite(value) or value <= 0:
        return fallback
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value * (1 - 1e-9):
            return float(f"{step * power:.3g}")
    return float(10 * power)


def grown_limit(limit: float, weights) -> float:
    """The weight scale's limit after the weights ``weights``: the same while every |w| fits
    under it, else rounded up to the next step above the largest |w| (it never shrinks, so
    the colours do not renormalise frame by frame)."""
    largest = largest_magnitude(weights)
    return limit if not largest > limit else round_limit(largest, limit)


def largest_magnitude(arrays) -> float:
    """max |a| over ``arrays``, NaN ignored (0 for none), with no |a| temporary: a large
    network's weights are tens of megabytes."""
    return max(
        (max(np.fmax.reduce(a, axis=None, initial=0.0), -np.fmin.reduce(a, axis=None, initial=0.0))
         for a in arrays),
        default=0.0,
    )  # fmt: skip


def suggested_limits(snapshot) -> tuple[float, float]:
    """Scale limits for a session, rounded up: the largest |w|, and the 90th percentile of
    |dL/dw| (one step's gradients have outliers) of ``snapshot``.  For
    :meth:`NetworkView.set_scale_limits`: fix them once per session, not every frame.

    Beyond PERCENTILE_SAMPLE gradients the percentile is taken over an evenly strided
    sample of them (a 10 M-parameter network's would take half a second; the limit is
    rounded up to a step of the scale anyway)."""
    weights = [np.asarray(a, dtype=float) for a in snapshot.weights]
    w = largest_magnitude(weights)
    if not np.isfinite(w):  # an infinite weight: the largest finite one
        w = max(float(np.abs(a[np.isfinite(a)]).max(initial=0.0)) for a in weights)
    total = sum(np.size(a) for a in snapshot.dW)
    stride = max(1, -(-total // PERCENTILE_SAMPLE))
    gradients = np.concatenate([np.abs(np.ravel(a)[::stride]) for a in snapshot.dW])
    gradients = gradients[np.isfinite(gradients)]
    g = float(np.percentile(gradients, 90)) if gradients.size and snapshot.steps > 0 else 0.0
    return round_limit(w, 1.0), round_limit(g, 0.1)


@dataclass
class Stroke:
    """One bin of edges drawn with one pen."""

    pen: QPen
    edges: np.ndarray  # indices into the EdgeLayer's edges
    lines: list[QLineF]

    @property
    def rgba(self) -> tuple[int, int, int, int]:
        c = self.pen.color()
        return c.red(), c.green(), c.blue(), c.alpha()


class EdgeLayer(QGraphicsItem):
    """Every edge of the diagram, painted in colour/width bins.

    ``ends`` holds (x0, y0, x1, y1) per edge in scene coordinates and ``ids``
    (l, i, j): the edge is weights[l][i, j], from neuron j of layer l to neuron
    i of layer l + 1.
    """

    def __init__(self) -> None:
        super().__init__()
        self.ends = np.empty((0, 4))
        self.ids = np.empty((0, 3), dtype=int)
        self.strokes: list[Stroke] = []
        self.fade_into: QColor | None = None  # dimmed edges: opaque blends into this colour
        self.fade_share = FADE_SHARE  # ... keeping this share of their own
        self._lines: list[QLineF] = []
        self._rect = QRectF()
        self._version = 0
        self._drawn: tuple | None = None  # what the strokes were binned from
        self._cache: tuple[tuple, QImage] | None = None
        self._buffer: QImage | None = None

    def set_geometry(self, ends: np.ndarray, ids: np.ndarray) -> None:
        """Place the edges; colours follow with :meth:`set_values`."""
        self.prepareGeometryChange()
        self.ends = np.asarray(ends, dtype=float).reshape(-1, 4)
        self.ids = np.asarray(ids, dtype=int).reshape(-1, 3)
        self._lines = [QLineF(*row) for row in self.ends.tolist()]
        if len(self.ends):
            lo = np.minimum(self.ends[:, :2], self.ends[:, 2:]).min(axis=0)
            hi = np.maximum(self.ends[:, :2], self.ends[:, 2:]).max(axis=0)
            self._rect = QRectF(*lo, *(hi - lo)).adjusted(-8, -8, 8, 8)
        else:
            self._rect = QRectF()
        self.strokes, self._drawn = [], None
        self._changed()

    def set_values(
        self,
        values: np.ndarray | None,
        scale: DivergingScale,
        emphasis: np.ndarray | None = None,
    ) -> None:
        """Bin ``values`` (one per edge) on ``scale``; edges outside ``emphasis`` are dimmed.

        ``values`` None draws every edge as a thin dashed placeholder (nothing to show yet).
        """
        if values is None:
            self.strokes, self._drawn = self._placeholders(emphasis), None
            self._changed()
            return
        values = np.asarray(values, dtype=float)
        nan = np.isnan(values)
        bins = scale.bins(values, LEVELS)
        strong = np.ones(len(values), bool) if emphasis is None else np.asarray(emphasis, bool)
        fade = None if self.fade_into is None else self.fade_into.rgba()
        drawn = (scale, fade, self.fade_share, bins.tobytes(), strong.tobytes(), nan.tobytes())
        if drawn == self._drawn:
            return  # no edge changed its bin: nothing to draw again
        self._drawn = drawn
        finite = ~nan
        keys = sorted(
            set(zip(strong[finite].tolist(), np.abs(bins[finite]).tolist(), bins[finite].tolist()))
        )
        strokes = []
        for keep, _, k in keys:
            edges = np.flatnonzero((bins == k) & (strong == keep) & finite)
            value = scale.bin_value(k, LEVELS)
            color = rgba_color(scale.colors(np.array(value)))
            if not keep:
                color = faded(color, self.fade_into, self.fade_share)
            dashed = scale.dash_negative and k < 0
            pen = self._pen(color, float(scale.widths(value)), dashed)
            strokes.append(self._stroke(pen, edges))
        if nan.any():
            strokes.append(self._stroke(self._pen(NAN_GREY, 1.5), np.flatnonzero(nan)))
        self.strokes = strokes
        self._changed()

    def _placeholders(self, emphasis: np.ndarray | None) -> list[Stroke]:
        """Thin dashed edges; the emphasised ones (if any) darker and on top."""
        strong = np.ones(len(self.ends), bool) if emphasis is None else np.asarray(emphasis, bool)
        faint = faded(PLACEHOLDER, self.fade_into, self.fade_share)
        strokes = [
            self._stroke(QPen(faint, 1.0, Qt.PenStyle.DashLine), np.flatnonzero(~strong)),
            self._stroke(QPen(PLACEHOLDER, 1.0, Qt.PenStyle.DashLine), np.flatnonzero(strong)),
        ]
        return [stroke for stroke in strokes if len(stroke.edges)]

    def _stroke(self, pen: QPen, edges: np.ndarray) -> Stroke:
        return Stroke(pen, edges, [self._lines[e] for e in edges.tolist()])

    @staticmethod
    def _pen(color: QColor, width: float, dashed: bool = False) -> QPen:
        """A flat-capped pen; ``dashed``: dashes of about 3 widths (at least 8 px), gaps
        of 2 (at least 6 px), so that thin and wide edges both read as dashed."""
        pen = QPen(color, width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if dashed:
            pen.setDashPattern([max(3.0, 8.0 / width), max(2.0, 6.0 / width)])
        return pen

    def _changed(self) -> None:
        self._version += 1
        self._cache = None
        self.update()

    def nearest(self, x: float, y: float, tolerance: float) -> int:
        """The index of the drawn edge nearest (x, y), if within ``tolerance`` plus half
        its width; else -1.  Geometric, so it works with the batched drawing."""
        if not len(self.ends) or not self.strokes:
            return -1
        p0, p1 = self.ends[:, :2], self.ends[:, 2:]
        d = p1 - p0
        length2 = np.maximum((d * d).sum(axis=1), 1e-12)
        t = np.clip(((np.array([x, y]) - p0) * d).sum(axis=1) / length2, 0.0, 1.0)
        gap = np.hypot(*(p0 + t[:, None] * d - np.array([x, y])).T)
        half = np.zeros(len(self.ends))
        for stroke in self.strokes:
            half[stroke.edges] = stroke.pen.widthF() / 2
        best = int(np.argmin(gap - half))
        return best if gap[best] - half[best] <= tolerance else -1

    def pen_of(self, edge: int) -> QPen:
        """The pen edge ``edge`` is drawn with."""
        for stroke in self.strokes:
            if edge in stroke.edges:
                return stroke.pen
        return QPen(NAN_GREY, 1.0)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        """Few edges: draw them antialiased.  Many: draw the cached supersampled image."""
        if not self.strokes:
            return
        if len(self._lines) <= DIRECT_EDGES:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._draw(painter)
            return
        world = painter.worldTransform()
        if world.isRotating() or world.m11() * SUPERSAMPLE > 12:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._draw(painter)  # deep zoom: the image would be huge
            return
        image, rect = self._cached_image(painter, world, widget)
        painter.save()
        painter.setWorldTransform(QTransform())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(rect, image)
        painter.restore()

    def _draw(self, painter: QPainter) -> None:
        for stroke in self.strokes:
            painter.setPen(stroke.pen)
            painter.drawLines(stroke.lines)

    def _cached_image(self, painter: QPainter, world: QTransform, widget) -> tuple[QImage, QRectF]:
        """The edges drawn aliased at SUPERSAMPLE x the device resolution, and where the
        image goes (logical device coordinates).  Drawn back with smooth scaling, which at
        exactly 2x averages each 2 x 2 block: antialiasing at a fraction of the cost."""
        device = painter.device()
        dpr = device.devicePixelRatioF()
        if widget is not None:
            visible = QRectF(widget.rect())
        else:
            visible = QRectF(0, 0, device.width() / dpr, device.height() / dpr)
        rect = QRectF(world.mapRect(self._rect).intersected(visible).toAlignedRect())
        key = (self._version, world.m11(), world.m22(), world.dx(), world.dy(), dpr, rect)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1], rect
        factor = dpr * (SUPERSAMPLE if dpr < 1.5 else 1)
        width, height = max(1, int(rect.width() * factor)), max(1, int(rect.height() * factor))
        image = self._buffer
        if image is None or (image.width(), image.height()) != (width, height):
            image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(factor)
            self._buffer = image
        image.fill(Qt.GlobalColor.transparent)
        ink = QPainter(image)
        ink.translate(-rect.left(), -rect.top())
        ink.setWorldTransform(world, True)
        self._draw(ink)
        ink.end()
        self._cache = (key, image)
        return image, rect
