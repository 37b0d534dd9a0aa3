"""Which values an axis follows: the finite, plausible ones.

A diverged run climbs to 1e300 before it overflows; an axis that followed it would draw every
healthy run as a flat line at the bottom.  So the auto range of the loss and gradient plots
ignores values above a cap: a headroom factor times the largest starting value of the curves
shown (the loss before the first step, the first gradient norm).  Such values are still drawn:
the curve leaves the top of the plot, which is what divergence looks like.  NumPy only.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

LOSS_HEADROOM = 2.0  # a loss twice the largest starting loss is diverging, not learning
GRAD_HEADROOM = 1e4  # gradients may grow by orders of magnitude (that is the lesson) but not 1e300
# A run that ends stuck at a high loss is not diverged; one that ends a thousand times above
# where it started (or overflowed) is.
DIVERGED_HEADROOM = 1e3


def axis_cap(starts: Iterable[float], headroom: float) -> float:
    """The largest value an axis follows: ``headroom`` times the largest finite, positive
    starting value; infinity (follow everything finite) if there is none."""
    finite = [s for s in starts if np.isfinite(s) and s > 0]
    return headroom * max(finite) if finite else np.inf


def plausible_bounds(
    y: np.ndarray,
    cap: float,
    x: np.ndarray | None = None,
    x_range: tuple[float, float] | None = None,
) -> tuple[float, float] | tuple[None, None]:
    """min and max of the finite ``y`` at most ``cap`` (those with ``x`` in ``x_range``, if
    given); (None, None) if there are none, which is what pyqtgraph's dataBounds returns."""
    y = np.asarray(y, dtype=float)
    keep = np.isfinite(y) & (y <= cap)
    if x is not None and x_range is not None:
        keep &= (x >= x_range[0]) & (x <= x_range[1])
    if not keep.any():
        return None, None
    kept = y[keep]
    return float(kept.min()), float(kept.max())


def last_plausible(y: np.ndarray, cap: float) -> int | None:
    """The index of the last finite value of ``y`` at most ``cap``; None if there is none."""
    keep = np.flatnonzero(np.isfinite(y) & (np.asarray(y, dtype=float) <= cap))
    return int(keep[-1]) if len(keep) else None


def diverged(y: np.ndarray, headroom: float = DIVERGED_HEADROOM) -> bool:
    """Whether a run whose loss is ``y`` ended diverged: its last value is not finite, or
    above ``headroom`` times its first finite value."""
    y = np.asarray(y, dtype=float)
    if len(y) == 0:
        return False
    return not np.isfinite(y[-1]) or y[-1] > axis_cap([first_finite(y)], headroom)


def first_finite(y: np.ndarray) -> float:
    """The first finite value of ``y`` (NaN if there is none)."""
    for stop in (64, len(y)):  # it is nearly always among the first rows: scan those first
        finite = np.flatnonzero(np.isfinite(y[:stop]))
        if len(finite):
            return float(y[finite[0]])
    return np.nan
