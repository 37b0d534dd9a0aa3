"""What a saved session keeps of the explorer (its "explore" section, core.session.
explore_setup): the loss landscape's choices and whether it is open, the maps' slice of
more than two inputs, whether View > Predictions is open; and taking them back when a
session opens (what no longer fits its network or data is left out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker

from core.data.planes import Slice, default_slice
from core.session.explore_setup import ExploreSetup, LandscapeSetup

if TYPE_CHECKING:
    from core.session.format import Session
    from gui.explore.explorer import Explorer


def explore_setup(explorer: Explorer, session: Session) -> ExploreSetup:
    """The explorer's choices now, as the session's "explore" section keeps them."""
    dock = explorer.landscape
    landscape = LandscapeSetup(
        mode=dock.current_mode,
        params=tuple(tuple(p) for p in dock.clicked),
        seed=dock.seed.value(),
        span=dock.span.value() or None,
        log=dock.log.isChecked(),
        shown=dock.isVisible(),
    )
    cut = explorer.slices.cut
    if cut is not None and cut == default_slice(session.dataset):
        cut = None  # the default needs no keeping
    axes, held = (None, ()) if cut is None else (cut.axes, cut.held)
    return ExploreSetup(landscape, axes, held, explorer.predictions.isVisible())


def apply_explore(explorer: Explorer, session: Session) -> None:
    """Take ``session``'s "explore" section into the explorer (none: it stays as it is,
    as the docks the user opened do)."""
    setup = session.explore
    if setup is None:
        return
    dock, land = explorer.landscape, setup.landscape
    shapes = [w.shape for w in session.network.weights]
    dock.clicked = [p for p in land.params if _fits(p, shapes)]
    with QSignalBlocker(dock.mode):
        dock.mode.setCurrentIndex(max(0, dock.mode.findData(land.mode)))
    dock.seed.setValue(land.seed)
    dock.span.setValue(land.span or 0.0)
    dock.log.setChecked(land.log)
    dock.setVisible(land.shown)
    dock.plane_changed()
    explorer.predictions.setVisible(setup.predictions)
    fits = len(setup.slice_held) == session.dataset.x_train.shape[1]
    if setup.slice_axes is not None and fits and default_slice(session.dataset) is not None:
        explorer.slices.use(Slice(setup.slice_axes, setup.slice_held))


def _fits(param: tuple[int, int, int], shapes: list[tuple[int, int]]) -> bool:
    """Whether weight (l, i, j) or bias (l, i, -1) exists in a network of these W shapes."""
    l, i, j = param
    return l < len(shapes) and i < shapes[l][0] and j < shapes[l][1]
