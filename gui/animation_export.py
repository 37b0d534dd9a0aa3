"""The lecture as an animated GIF: every frame of a traced step, with its travelling pulse.

The frames are drawn by the same code as lecture mode (``show_frame``) on a
NetworkView, grabbed, and written with Pillow.  ``python main.py animate``
does it without a display (Qt's offscreen platform).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtGui import QImage

from core.lesson import trace_next_step
from core.lessons import resolve
from core.session import Session, SessionError, load_session
from core.snapshot import network_snapshot
from core.trainer import trainer_for
from gui.diagram_export import application
from gui.diagram_items import DiagramButton
from gui.lecture import LecturePlan
from gui.lecture_mode import fill_from_trace, show_frame, traced_pictures
from gui.network_view import NetworkView

PULSE_IMAGES = 4  # images per frame whose signal travels along edges
HOLD_IMAGES = 2  # a still frame is held as long as two images


def to_pil(image: QImage) -> Image.Image:
    """A QImage as an RGB Pillow image."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = np.frombuffer(rgba.constBits(), np.uint8).reshape(rgba.height(), rgba.bytesPerLine())
    pixels = data[:, : rgba.width() * 4].reshape(rgba.height(), rgba.width(), 4)
    return Image.fromarray(pixels[:, :, :3].copy(), "RGB")


def show_controls(view: NetworkView, on: bool) -> None:
    """Show or hide the diagram's + / − buttons and its view toggle (not for a film)."""
    for item in view.diagram.items():
        if isinstance(item, DiagramButton):
            item.setVisible(on)


@contextmanager
def without_controls(view: NetworkView) -> Iterator[None]:
    """The diagram without its controls while the block runs (frames hide them again)."""
    try:
        yield
    finally:
        show_controls(view, True)


def lecture_images(
    view: NetworkView, plan: LecturePlan, session: Session, digits: int = 4
) -> Iterator[Image.Image]:
    """One image per still frame (held twice as long), several per travelling pulse."""
    pictures = traced_pictures(plan.trace)
    fill_from_trace(view, plan.trace, plan.sample)
    for frame in plan.frames:
        stage = show_frame(view, frame, pictures, session, digits)
        show_controls(view, False)
        if stage.direction is not None and stage.edges:
            for t in np.linspace(0.0, 1.0, PULSE_IMAGES):
                view.set_stage(dataclasses.replace(stage, pulse=float(t)))
                yield to_pil(view.viewport().grab().toImage())
        else:
            image = to_pil(view.viewport().grab().toImage())
            yield from (image,) * HOLD_IMAGES


def save_gif(
    view: NetworkView,
    plan: LecturePlan,
    session: Session,
    path: str | os.PathLike,
    fps: float = 4.0,
    progress: Callable[[int, int], bool] | None = None,
) -> bool:
    """Write the animation; ``progress(done, total)`` may return False to cancel (then
    nothing is written and False is returned)."""
    total = sum(PULSE_IMAGES if f.direction and f.edges else HOLD_IMAGES for f in plan.frames)
    images = []
    with without_controls(view):
        for image in lecture_images(view, plan, session):
            images.append(image)
            if progress is not None and progress(len(images), total) is False:
                return False
    duration = int(1000 / fps)
    images[0].save(
        path, save_all=True, append_images=images[1:], duration=duration, loop=0, optimize=True
    )
    return True


def animate_session(
    session_path: str,
    out_path: str,
    sample: int | None = None,
    fps: float = 4.0,
    size: tuple[int, int] = (1280, 720),
) -> int:
    """The ``animate`` command: the trainer's next step (or training row ``sample``) as a
    GIF; an exit status (2 with a message for bad input)."""
    if Path(out_path).suffix.lower() != ".gif":
        print(f"error: {out_path}: write a .gif (MP4 is not supported yet)", file=sys.stderr)
        return 2
    try:
        session = load_session(resolve(session_path))
    except (FileNotFoundError, SessionError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    trainer = trainer_for(session)
    n = len(trainer.x_train)
    if sample is not None and not 0 <= sample < n:
        print(f"error: --sample must be a training row from 0 to {n - 1}", file=sys.stderr)
        return 2
    rows = None if sample is None else np.array([sample])
    trace = trace_next_step(trainer, session.fitting_labels(), rows)
    app = application()
    view = NetworkView()
    view.resize(*size)
    view.set_network(network_snapshot(session.network), session.dataset.input_names)
    view.show()  # laid out at its size now, not re-laid out by the first grab
    app.processEvents()
    try:
        save_gif(view, LecturePlan(trace, "layer"), session, out_path, fps)
    except OSError as exc:
        print(f"error: {out_path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        view.close()
        view.deleteLater()
    return 0
