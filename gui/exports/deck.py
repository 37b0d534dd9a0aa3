"""The lecture as slides: each frame of the traced step as one slide, the stage on top and
its formulas full width under it (as the presentation layout shows them), as numbered PNG
files or one multi-page PDF (Qt's PDF writer).  Drawn off screen at the chosen size."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from core.session.format import Session
from core.trace.notation import Precision
from gui.exports.animation import (
    Looks,
    captioned,
    file_beside,
    formula_band,
    stage_view,
    without_controls,
)
from gui.lecture.frames import fill_from_trace, show_frame, traced_pictures
from gui.lecture.plan import LecturePlan

STAGE_SHARE = 0.68  # the stage's share of a slide's height; the formulas have the rest


def slides(
    session: Session,
    plan: LecturePlan,
    size: tuple[int, int],
    digits: int | Precision,
    palette: str = "standard",
    looks: Looks | None = None,
) -> Iterator[QImage]:
    """One image of ``size`` per frame of ``plan``: the stage (in ``palette``, with the
    pinned values and path ``looks`` gives), then its formulas."""
    width, height = size
    stage_height = int(height * STAGE_SHARE)
    view = stage_view(session, (width, stage_height))
    view.set_palette(palette)
    pictures = traced_pictures(plan.trace, plan.sample)
    fill_from_trace(view, plan.trace, plan.sample)
    try:
        with without_controls(view):
            for frame in plan.frames:
                look = None if looks is None else looks(frame)
                show_frame(view, frame, pictures, session, digits, look=look)
                yield slide_of(
                    captioned(view, frame, len(plan.frames), plan.trace.bug_label),
                    frame,
                    digits,
                    size,
                )
    finally:
        view.close()
        view.deleteLater()


def slide_of(stage: QImage, frame, digits, size: tuple[int, int]) -> QImage:
    """A slide of ``size``: ``stage`` fitted into the top STAGE_SHARE (a small view may be
    drawn larger than that), the frame's formulas under it."""
    width, height = size
    stage_height = int(height * STAGE_SHARE)
    slide = QImage(width, height, QImage.Format.Format_RGB32)
    slide.fill(0xFFFFFFFF)
    painter = QPainter(slide)
    keep, smooth = Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    fitted = stage.scaled(width, stage_height, keep, smooth)
    painter.drawImage((width - fitted.width()) // 2, 0, fitted)
    formula_band(painter, frame, digits, QRectF(0, stage_height, width, height - stage_height))
    painter.end()
    return slide


def save_slides(
    session: Session,
    plan: LecturePlan,
    path: str | os.PathLike,
    size: tuple[int, int] = (1280, 720),
    digits: int | Precision = 4,
    progress: Callable[[int, int], bool] | None = None,
    palette: str = "standard",
    looks: Looks | None = None,
) -> bool:
    """Every frame as a slide: ``path`` .pdf gets one page each; ``path`` .png gets a file
    each beside it (step-01.png, step-02.png, ...).  False if ``progress`` cancelled."""
    path = Path(path)
    total = len(plan.frames)
    if path.suffix.lower() == ".pdf":
        with file_beside(path) as temp:
            writer = QPdfWriter(str(temp))
            writer.setResolution(96)
            page = QPageSize(QSizeF(size[0] * 0.75, size[1] * 0.75), QPageSize.Unit.Point)
            writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF()))
            painter = QPainter(writer)
            for k, slide in enumerate(slides(session, plan, size, digits, palette, looks)):
                if k:
                    writer.newPage()
                painter.drawImage(QRectF(0, 0, writer.width(), writer.height()), slide)
                if progress is not None and progress(k + 1, total) is False:
                    painter.end()
                    return False
            painter.end()
            os.replace(temp, path)
        return True
    if path.suffix.lower() != ".png":
        raise ValueError(f"{os.fspath(path)}: slides are a .pdf or .png files")
    for k, slide in enumerate(slides(session, plan, size, digits, palette, looks)):
        name = path.with_name(f"{path.stem}-{k + 1:02d}.png")
        if not slide.save(str(name)):
            raise OSError(f"could not write {name}")
        if progress is not None and progress(k + 1, total) is False:
            return False
    return True
