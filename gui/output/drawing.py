"""Draw mode: points drawn on the output map become training rows, and training goes on.

Data > Draw points (D) turns it on.  On the map, a left click adds a point of the class
chosen in the picker above the plot (on the curve of 1-D data: the point (x, y)); dragging
sprays points, one per SPACING_PX of movement with a little seeded spread; a right click,
or Shift with the left button, removes the nearest point (dragging removes along the way);
after Clear, the next stroke's points replace all the others.  Each stroke (press to
release) is one undo step.

The first stroke turns the data into an inline table of its training rows (a built-in
set's points as they are; the test rows are left out, test_ratio 0, so that a new row can
never reshuffle the split), kept in the session (``data.inline``, saved with it).  The
training process gets the rows at most every SEND_SECONDS during a stroke and at its end,
and trains on with the same weights, optimiser state, epoch and history
(core.runner's "data").  Classes are coded for the output layer as the built-in sets are
(core.data.dataset.encode_targets): one output: class 1 is the output's low code, class 2
its high one; k outputs: one hot.  The picker offers as many classes as the output layer
has room for (2 for one output, else one per neuron, up to 10).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import QSplitter

from core.data import planes
from core.engine import activations
from core.session.format import Session, SessionError
from gui.output.picker import ClassPicker, class_colours, class_count, hint

SPACING_PX = 6.0  # a drag adds a point every this many pixels of movement ...
SPREAD_PX = 2.5  # ... this far (one standard deviation) around the mouse
REMOVE_PX = 24.0  # a removal takes the nearest point within this many pixels
SEND_SECONDS = 0.1  # during a stroke the training process gets the rows at most this often
MAP_SHARE = 0.62  # of the output column the map's view takes in draw mode


@dataclass
class Rows:
    """The training rows being drawn on: inputs x (n, d) as the map shows them, the target
    rows y (n, t) as the session stores them, and the rest of the "data" section."""

    x: np.ndarray
    y: np.ndarray
    rest: dict = field(default_factory=dict)

    def spec(self) -> dict:
        """The session's "data" section holding these rows inline (all of them training)."""
        inline = {"inputs": self.x.tolist(), "targets": self.y.tolist()}
        return {"inline": inline, **copy.deepcopy(self.rest), "test_ratio": 0.0}


def drawable(session: Session) -> Rows | str:
    """The session's training rows to draw on, or why its data cannot be drawn on (one
    sentence): drawing needs a map of two raw inputs or a curve of one input and one target."""
    data, ds = session.data, session.dataset
    if ds.standardized or ds.input_shape is not None:
        why = "its inputs are standardised" if ds.standardized else "its rows are pictures"
        return f"Points cannot be drawn on this data: {why}; draw on a 2-D data set instead."
    if "builtin" in data:
        raw = ["x1", "x2"] if ds.points_train.shape[1] == 2 else ["x1"]
        if list(session.features) != raw:
            names = " and ".join(raw)
            return f"Drawing needs the inputs {names} only: untick the other features, then draw."
        x = ds.points_train
    else:
        x = ds.x_train
    d, k = x.shape[1], ds.y_train.shape[1]
    if not (d == 2 and (k == 1 or ds.kind == "classification") or d == 1 and k == 1):
        return (
            f"Points can be drawn on 2-D data (a map) or on 1-D data with one target (a curve); "
            f"this data has {d} inputs and {k} targets."
        )
    rest = {key: data[key] for key in ("class_names", "names", "seed", "extent") if key in data}
    rest.setdefault("extent", list(planes.input_extent(ds, data.get("builtin"))))  # stays put
    if "builtin" in data and k > 1:  # the classes keep their names ("class 1", ...)
        rest["names"] = {"inputs": list(ds.input_names), "targets": list(ds.target_names)}
    if "class_names" in data:
        return Rows(x.copy(), ds.classes_train.reshape(-1, 1).astype(float), rest)
    return Rows(x.copy(), ds.y_train.copy(), rest)


def target_row(session: Session, rows: Rows, chosen: int, y: float) -> list[float]:
    """The stored target row of a point of class ``chosen`` (from 0); a curve's: ``y``."""
    if rows.x.shape[1] == 1:
        return [y]
    if "class_names" in rows.rest:
        return [float(chosen)]
    out = activations.get(session.network.activation_names[-1])
    width = session.network.layers[-1]
    if width == 1:
        return [out.hi if chosen == 1 else out.lo]
    row = [out.lo] * width
    row[chosen] = out.hi
    return row


class _Stroke(QUndoCommand):
    """One stroke: the "data" section before and after it."""

    def __init__(self, drawing: Drawing, text: str, before: dict, after: dict) -> None:
        super().__init__(text)
        self.drawing, self.before, self.after, self.done = drawing, before, after, True

    def redo(self) -> None:
        if self.done:  # pushed after the stroke, which has already applied it
            self.done = False
            return
        self.drawing.apply(self.after)

    def undo(self) -> None:
        self.drawing.apply(self.before)


class Drawing(QObject):
    """Draw mode on ``view`` (the OutputView), editing ``model``'s session and telling
    ``worker`` the new rows; ``say`` shows a sentence in the status bar.  ``clock`` gives
    seconds (injected in tests)."""

    dataChanged = Signal()  # the session's rows changed (a stroke, its undo or redo)

    def __init__(
        self,
        view,
        model,
        worker,
        say: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(view)
        self.view, self.model, self.worker, self.say, self.clock = view, model, worker, say, clock
        self.plot = view.plot
        self.rng = np.random.default_rng(0)  # the spray's spread: the same drawing each time
        self.current = 1  # the class drawn (from 0): the high code of one output
        self.rows: Rows | None = None  # during a stroke
        self.sizes: list[int] | None = None  # the column's sizes before draw mode
        self.before: dict = {}  # the "data" section before the stroke
        self.removing, self.added, self.removed, self.cleared = False, 0, 0, 0
        self.last, self.sent_at = (0.0, 0.0), 0.0
        self.picker = ClassPicker()
        self.picker.chosen.connect(self.choose)
        view.layout().insertWidget(1, self.picker)  # between the title and the map
        self.picker.hide()
        self.action = QAction("&Draw points", self)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("D"))
        self.action.setToolTip("Draw training points on the output map; training goes on")
        self.action.toggled.connect(self.set_active)
        self.picker.done.clicked.connect(lambda: self.action.setChecked(False))
        self.plot.viewport().installEventFilter(self)
        self.blocked: Callable[[], bool] = lambda: False  # lecture mode: no drawing
        model.restartNeeded.connect(self._on_new_run)

    def _on_new_run(self) -> None:
        """Another session or a restart: the picker follows it (or draw mode ends)."""
        if not self.active:
            return
        rows = drawable(self.model.session)
        if isinstance(rows, str):
            self.say(rows)
            self.action.setChecked(False)
        else:
            self.refresh_picker()

    @property
    def active(self) -> bool:
        """Whether draw mode is on."""
        return self.action.isChecked()

    def set_active(self, on: bool) -> None:
        """Turn draw mode on (if the session's data can be drawn on) or off."""
        if on != self.action.isChecked():
            self.action.setChecked(on)  # comes back here through toggled
            return
        if on:
            rows = drawable(self.model.session)
            if isinstance(rows, str):
                self.say(rows)
                self.action.setChecked(False)
                return
            self.refresh_picker()
            self.say(hint(self.view.mode == "map"))
        self.picker.setVisible(on)
        self._make_room(on)
        cursor = Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor
        self.plot.viewport().setCursor(cursor)

    def _make_room(self, on: bool) -> None:
        """In draw mode the map takes MAP_SHARE of its column (the plots below give way);
        leaving it puts the column back as it was."""
        column = self.view.parentWidget()
        if not isinstance(column, QSplitter) or on == (self.sizes is not None):
            return
        if on:
            self.sizes, total = column.sizes(), sum(column.sizes())
            rest = len(self.sizes) - 1
            share = [(1 - MAP_SHARE) * total / max(rest, 1)] * rest
            column.setSizes([int(MAP_SHARE * total), *map(int, share)])
        else:
            column.setSizes(self.sizes)
            self.sizes = None

    def refresh_picker(self) -> None:
        """The picker for the session's output layer and the map's palette."""
        session = self.model.session
        if self.view.mode == "curve":
            self.picker.set_classes([], [], 0)
            return
        count = class_count(session)
        names = list(session.dataset.target_names) if count > 2 else []
        names = names if len(names) == count else [f"class {c + 1}" for c in range(count)]
        self.current = min(self.current, count - 1)
        colours = class_colours(session, self.view.palette_name)
        self.picker.set_classes(colours, names, self.current)

    def choose(self, chosen: int) -> None:
        """Draw points of class ``chosen`` (from 0) from now on."""
        self.current = int(chosen)
        buttons = self.picker.group.buttons()
        if 0 <= chosen < len(buttons):
            self.picker.group.button(chosen).setChecked(True)

    # --- strokes, in data coordinates ---------------------------------------------------

    def press(self, x: float, y: float, remove: bool = False) -> bool:
        """Start a stroke at (x, y): add a point there, or remove the nearest (``remove``);
        False (and the reason said) if the data cannot be drawn on."""
        rows = "Leave lecture mode to draw points." if self.blocked() else None
        rows = rows or drawable(self.model.session)
        if isinstance(rows, str):
            self.say(rows)
            return False
        self.before = copy.deepcopy(self.model.session.data)
        self.rows, self.removing, self.added, self.removed = rows, remove, 0, 0
        self.cleared = 0
        if self.picker.clear.isChecked() and not remove:  # Clear: this stroke starts afresh
            self.picker.clear.setChecked(False)
            self.cleared, rows.x, rows.y = len(rows.x), rows.x[:0], rows.y[:0]
        self.last, self.sent_at = (x, y), self.clock()
        if remove:
            if self._remove(x, y):
                self._show()
        else:
            self._add(x, y, spread=False)
            self._show()
        return True

    def move(self, x: float, y: float) -> None:
        """The mouse moved to (x, y) during a stroke: spray (or remove) along the way."""
        if self.rows is None:
            return
        sx, sy = self._pixel()
        step = np.hypot((x - self.last[0]) / sx, (y - self.last[1]) / sy)
        if self.removing:
            if self._remove(x, y):
                self._show()
        elif step >= SPACING_PX:
            (x0, y0), count = self.last, int(step // SPACING_PX)
            for k in range(1, count + 1):  # every SPACING_PX along the way, the rest kept
                t = k * SPACING_PX / step
                self._add(x0 + t * (x - x0), y0 + t * (y - y0), spread=True)
            self.last = (x0 + t * (x - x0), y0 + t * (y - y0))
            self._show()
        if self.clock() - self.sent_at >= SEND_SECONDS:
            self.worker.set_data(copy.deepcopy(self.model.session.data))
            self.sent_at = self.clock()

    def release(self) -> None:
        """End the stroke: one undo step, and the training process gets the rows."""
        if self.rows is None:
            return
        self.rows = None
        if not (self.added or self.removed):
            return  # a removal that found no point: nothing changed
        after = copy.deepcopy(self.model.session.data)
        text = _stroke_text(self.added, self.removed, self.cleared)
        self.model.undo_stack.push(_Stroke(self, text, self.before, after))
        self._publish()

    def apply(self, data: dict) -> None:
        """Make ``data`` the session's "data" (an undo or redo of a stroke) and tell the
        views and the training process."""
        session = self.model.session
        session.data = copy.deepcopy(data)
        session.reload_dataset()
        self._publish()

    # --- inside ------------------------------------------------------------------------

    def _publish(self) -> None:
        session = self.model.session
        self.view.set_session(session)
        self.worker.set_data(copy.deepcopy(session.data))
        self.model.changed.emit()
        self.dataChanged.emit()
        if self.active:
            self.refresh_picker()

    def _pixel(self) -> tuple[float, float]:
        """Data units per screen pixel, along x and y."""
        vb = self.plot.getPlotItem().vb
        sx, sy = vb.viewPixelSize()
        (x_lo, x_hi), (y_lo, y_hi) = vb.viewRange()
        sx = sx if np.isfinite(sx) and sx > 0 else (x_hi - x_lo) / 300  # not laid out yet
        sy = sy if np.isfinite(sy) and sy > 0 else (y_hi - y_lo) / 300
        return sx, sy

    def _add(self, x: float, y: float, spread: bool) -> None:
        rows = self.rows
        if spread:
            sx, sy = self._pixel()
            x += self.rng.normal(0.0, SPREAD_PX * sx)
            y += self.rng.normal(0.0, SPREAD_PX * sy)  # a curve's point: its target
        point = [x, y] if rows.x.shape[1] == 2 else [x]
        target = target_row(self.model.session, rows, self.current, y)
        rows.x = np.vstack([rows.x, [point]])
        rows.y = np.vstack([rows.y, [target]])
        self.added += 1

    def _remove(self, x: float, y: float) -> bool:
        """Remove the nearest point within REMOVE_PX of (x, y); whether one went."""
        rows = self.rows
        sx, sy = self._pixel()
        py = rows.x[:, 1] if rows.x.shape[1] == 2 else rows.y[:, 0]
        distance = np.hypot((rows.x[:, 0] - x) / sx, (py - y) / sy)
        nearest = int(np.argmin(distance))
        if distance[nearest] > REMOVE_PX:
            return False
        if len(rows.x) == 1:
            self.say("The last training point stays: a network needs at least one row.")
            return False
        rows.x, rows.y = np.delete(rows.x, nearest, 0), np.delete(rows.y, nearest, 0)
        self.removed += 1
        return True

    def _show(self) -> None:
        """The session holds the rows drawn so far; the points are redrawn at once."""
        session = self.model.session
        session.data = self.rows.spec()
        try:
            session.reload_dataset()
        except SessionError as err:  # cannot happen for rows made here; said, never raised
            self.say(str(err))
            return
        self.view.set_session(session)

    # --- the mouse ---------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """In draw mode, the mouse on the map draws (and nothing else sees it)."""
        kind = event.type()
        if not self.active or kind not in _MOUSE:
            return False
        scene = self.plot.mapToScene(event.position().toPoint())
        point: QPointF = self.plot.getPlotItem().vb.mapSceneToView(scene)
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            remove = event.button() == Qt.MouseButton.RightButton or bool(shift)
            self.press(point.x(), point.y(), remove)
        elif kind == QEvent.Type.MouseMove and self.rows is not None:
            self.move(point.x(), point.y())
        elif kind == QEvent.Type.MouseButtonRelease:
            self.release()
        return kind != QEvent.Type.MouseMove or self.rows is not None


_MOUSE = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
)


def _stroke_text(added: int, removed: int, cleared: int = 0) -> str:
    """The undo step's name: "Draw 12 points", "Remove 1 point", "Clear and draw 30 points"."""
    count, verb = (added, "Draw") if added else (removed, "Remove")
    verb = "Clear and draw" if cleared else verb
    return f"{verb} {count} point{'s' if count != 1 else ''}"
