"""The lecture as an animation: an animated GIF (Pillow) or an MP4 video (imageio-ffmpeg).

One path draws the images: every frame of a traced step, put on a NetworkView by the same
code as lecture mode (``show_frame``) and grabbed, with its travelling pulse as several
images.  Two writers take them: Pillow for the GIF, ffmpeg (H.264) for the MP4.  Both
write to a temporary file beside the target and move it over the target only when done,
so that a cancelled or failed export leaves no partial file.  ``python main.py animate``
does it without a display (Qt's offscreen platform).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPainter, QTextDocument

from core.engine.trainer import trainer_for
from core.session.format import Session, SessionError, load_session
from core.session.lecture_setup import LectureSetup
from core.session.lessons import resolve
from core.session.storage import new_file_beside
from core.snapshot import network_snapshot
from core.trace.iteration import trace_next_step
from core.trace.notation import Precision
from gui.diagram.edges import suggested_limits
from gui.diagram.items import INK, diagram_font
from gui.diagram.view import NetworkView
from gui.exports.diagram import application
from gui.lecture.equation_panel import terms_html
from gui.lecture.frames import (
    Look,
    fill_from_trace,
    moves,
    show_frame,
    show_motion,
    traced_pictures,
)
from gui.lecture.plan import Frame, LecturePlan

Looks = Callable[[Frame], Look]  # a frame's pinned values and path

PULSE_IMAGES = 4  # images per frame whose signal travels along edges
HOLD_IMAGES = 2  # a still frame is held as long as two images
FORMULA_EM = 0.04  # the formulas' em height under a stage, as a share of the picture
SUFFIXES = (".gif", ".mp4")
# A GIF counts delays in hundredths of a second, and browsers slow any delay under 2 to 10.
MAX_FPS = 50.0
MP4_MISSING = "MP4 needs imageio-ffmpeg: pip install imageio-ffmpeg"
# H.264 for every player: yuv420p, BT.709 colours (converted and tagged, so that players do
# not guess), CRF 18 (visually lossless) tuned for flat colours and sharp edges, so the
# diagram's small numbers stay crisp; the index up front, so that browsers start at once.
MP4_OPTIONS = (
    "-crf", "18", "-preset", "medium", "-tune", "animation",
    "-vf", "scale=out_color_matrix=bt709:out_range=tv,"
    "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709",
    "-movflags", "+faststart",
)  # fmt: skip

Progress = Callable[[int, int], bool]


def captioned(view: NetworkView, frame: Frame, count: int, bug: str = "") -> QImage:
    """The view's picture with the frame's title and number in its bottom right corner,
    so that a film on a slide says which step it shows (and ``bug``: the bug lab's bug)."""
    image = view.viewport().grab().toImage()
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    font = diagram_font(max(10.0, image.height() / 45))
    font.setBold(True)
    painter.setFont(font)
    text = f"{bug}{frame.title} — {frame.index + 1} / {count}"
    margin = image.height() / 60
    box = QRectF(0, 0, image.width() - margin, image.height() - margin)
    painter.setPen(INK)
    painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, text)
    painter.end()
    return image


def to_pil(image: QImage) -> Image.Image:
    """A QImage as an RGB Pillow image."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = np.frombuffer(rgba.constBits(), np.uint8).reshape(rgba.height(), rgba.bytesPerLine())
    pixels = data[:, : rgba.width() * 4].reshape(rgba.height(), rgba.width(), 4)
    return Image.fromarray(pixels[:, :, :3].copy(), "RGB")


@contextmanager
def without_controls(view: NetworkView) -> Iterator[None]:
    """The diagram without its + / − buttons and view toggle while the block runs (a film
    has no use for them); as it was after."""
    shown = view.controls_visible
    if shown:
        view.set_controls_visible(False)
    try:
        yield
    finally:
        if shown:
            view.set_controls_visible(True)


def image_count(plan: LecturePlan) -> int:
    """How many images :func:`lecture_images` draws for ``plan``."""
    return sum(PULSE_IMAGES if moves(f) else HOLD_IMAGES for f in plan.frames)


def lecture_images(
    view: NetworkView,
    plan: LecturePlan,
    session: Session,
    digits: int | Precision = 4,
    formulas: int = 0,
    looks: Looks | None = None,
) -> Iterator[Image.Image]:
    """One image per still frame (held twice as long), several per travelling pulse or
    morphing update; with ``formulas`` (pixels), the frame's formulas in a band that tall
    under the stage; ``looks`` gives each frame's pinned values and path (lecture mode's)."""
    pictures = traced_pictures(plan.trace, plan.sample)
    fill_from_trace(view, plan.trace, plan.sample)

    def picture(frame: Frame) -> Image.Image:
        image = captioned(view, frame, len(plan.frames), plan.trace.bug_label)
        return to_pil(with_formulas(image, frame, digits, formulas) if formulas else image)

    with without_controls(view):
        for frame in plan.frames:
            look = None if looks is None else looks(frame)
            stage = show_frame(view, frame, pictures, session, digits, look=look)
            if moves(frame):
                for t in np.linspace(0.0, 1.0, PULSE_IMAGES):
                    show_motion(view, frame, stage, pictures, float(t))
                    yield picture(frame)
            else:
                yield from (picture(frame),) * HOLD_IMAGES


def with_formulas(stage: QImage, frame: Frame, digits: int | Precision, band: int) -> QImage:
    """``stage`` with a white band of ``band`` pixels under it holding the frame's formulas."""
    image = QImage(stage.width(), stage.height() + band, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.drawImage(0, 0, stage)
    formula_band(painter, frame, digits, QRectF(0, stage.height(), stage.width(), band))
    painter.end()
    return image


def formula_band(painter: QPainter, frame: Frame, digits, box: QRectF) -> None:
    """The frame's formulas in ``box``, set as the equation panel sets them, in type of an
    em height of FORMULA_EM of the whole picture."""
    document = QTextDocument()
    font = QFont()
    font.setPixelSize(max(12, round(FORMULA_EM * painter.device().height())))
    document.setDefaultFont(font)
    document.setHtml(terms_html("", frame.terms, digits))
    margin = box.height() * 0.06
    document.setTextWidth(box.width() - 2 * margin)
    painter.save()
    painter.translate(box.left() + margin, box.top() + margin / 2)
    document.drawContents(painter, QRectF(0, 0, box.width() - 2 * margin, box.height()))
    painter.restore()


@contextmanager
def file_beside(target: str | os.PathLike) -> Iterator[Path]:
    """A new, empty temporary file beside ``target`` (same suffix), removed when the block
    ends unless the block moved it over ``target``.  Raises OSError if the folder is not
    writable, before anything is drawn."""
    target = Path(target)
    temp, fd = new_file_beside(target, f".part{target.suffix}")
    os.close(fd)
    try:
        yield temp
    finally:
        temp.unlink(missing_ok=True)


def fps_problem(fps: float) -> str:
    """What is wrong with this frame rate ('' if nothing)."""
    if not 0 < fps <= MAX_FPS:  # also refuses NaN
        return f"--fps must be more than 0 and at most {MAX_FPS:g}, not {fps:g}"
    return ""


def save_gif(
    view: NetworkView,
    plan: LecturePlan,
    session: Session,
    path: str | os.PathLike,
    fps: float = 4.0,
    progress: Progress | None = None,
    digits: int | Precision = 4,
    formulas: int = 0,
    looks: Looks | None = None,
) -> bool:
    """Write the animation as a looping GIF (numbers at ``digits``); ``progress(done,
    total)`` may return False to cancel (then nothing is written and False is returned)."""
    total = image_count(plan)
    images = []
    with file_beside(path) as temp, without_controls(view):
        for image in lecture_images(view, plan, session, digits, formulas, looks):
            images.append(image)
            if progress is not None and progress(len(images), total) is False:
                return False
        duration = round(1000 / fps)
        images[0].save(
            temp,
            "GIF",
            save_all=True,
            append_images=images[1:],
            duration=duration,
            loop=0,
            optimize=True,
        )
        os.replace(temp, path)
    return True


def mp4_available() -> bool:
    """Whether MP4 can be written: imageio-ffmpeg and its ffmpeg are installed."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return False
    return True


def even_size(size: tuple[int, int]) -> tuple[int, int]:
    """The largest even width and height within ``size`` (yuv420p halves the colour planes)."""
    return size[0] - size[0] % 2, size[1] - size[1] % 2


def video_frame(image: Image.Image, size: tuple[int, int]) -> bytes:
    """The image's RGB pixels (rgb24, rows packed) at ``size``: cropped at the right and
    bottom (an odd width or height loses a pixel), or padded there with white."""
    if image.size != size:
        canvas = Image.new("RGB", size, "white")
        canvas.paste(image, (0, 0))
        image = canvas
    return image.convert("RGB").tobytes()


def mp4_writer(path: Path, size: tuple[int, int], fps: float) -> Generator[None, bytes, None]:
    """imageio-ffmpeg's frame writer (a generator, primed: send it rgb24 bytes, then close
    it) for an H.264 MP4 of ``size`` (even) at ``fps``, never rescaled."""
    import imageio_ffmpeg  # optional: only here, so that the GIF needs no ffmpeg

    writer = imageio_ffmpeg.write_frames(
        str(path),
        size,
        fps=fps,
        codec="libx264",
        quality=None,  # MP4_OPTIONS sets the quality
        macro_block_size=2,  # an even size is enough for yuv420p; 16 would rescale (blur)
        ffmpeg_log_level="error",
        output_params=list(MP4_OPTIONS),
    )
    writer.send(None)
    return writer


def save_mp4(
    view: NetworkView,
    plan: LecturePlan,
    session: Session,
    path: str | os.PathLike,
    fps: float = 4.0,
    progress: Progress | None = None,
    digits: int | Precision = 4,
    formulas: int = 0,
    looks: Looks | None = None,
) -> bool:
    """Write the animation as an H.264 MP4 (the images of :func:`lecture_images`, each
    shown 1/fps s), streaming them to ffmpeg as they are drawn.  ``progress(done, total)``
    may return False to cancel (then nothing is written and False is returned).

    Raises ModuleNotFoundError without imageio-ffmpeg, OSError when ffmpeg fails."""
    if not mp4_available():
        raise ModuleNotFoundError(MP4_MISSING, name="imageio_ffmpeg")
    total, writer = image_count(plan), None
    with file_beside(path) as temp, without_controls(view):
        try:
            images = lecture_images(view, plan, session, digits, formulas, looks)
            for done, image in enumerate(images, start=1):
                if writer is None:
                    size = even_size(image.size)
                    writer = mp4_writer(temp, size, fps)
                writer.send(video_frame(image, size))
                if progress is not None and progress(done, total) is False:
                    return False
        except OSError as exc:  # imageio-ffmpeg's message carries ffmpeg's whole command
            raise OSError(
                f"ffmpeg could not write the video ({str(exc).splitlines()[0]})"
            ) from None
        finally:
            if writer is not None:
                writer.close()  # ffmpeg finishes the file (a cancelled one is then removed)
        if temp.stat().st_size == 0:
            raise OSError("ffmpeg wrote no video (see its message above)")
        os.replace(temp, path)
    return True


WRITERS = {".gif": save_gif, ".mp4": save_mp4}


def save_animation(
    view: NetworkView,
    plan: LecturePlan,
    session: Session,
    path: str | os.PathLike,
    fps: float = 4.0,
    progress: Progress | None = None,
    digits: int | Precision = 4,
    formulas: int = 0,
    looks: Looks | None = None,
) -> bool:
    """:func:`save_gif` or :func:`save_mp4`, by the file's extension (ValueError for another)."""
    writer = WRITERS.get(Path(path).suffix.lower())
    if writer is None:
        raise ValueError(f"{os.fspath(path)}: the animation must be a .gif or an .mp4 file")
    return writer(view, plan, session, path, fps, progress, digits, formulas, looks)


def animate_problem(out_path: str | os.PathLike, fps: float) -> str:
    """What is wrong with these ``animate`` options ('' if nothing)."""
    suffix = Path(out_path).suffix.lower()
    if suffix not in SUFFIXES:
        return f"{os.fspath(out_path)}: the output must be a .gif or an .mp4 file"
    if suffix == ".mp4" and not mp4_available():
        return f"{os.fspath(out_path)}: {MP4_MISSING}"
    return fps_problem(fps)


def stage_view(session: Session, size: tuple[int, int]) -> NetworkView:
    """A NetworkView of ``size`` showing the session's network in lecture mode's large
    type and the window's colour scales, laid out and never on screen; close it when done."""
    app = application()
    view = NetworkView()
    view.set_presenting(True)
    view.resize(*size)
    snapshot = network_snapshot(session.network)
    view.set_scale_limits(*suggested_limits(snapshot))  # the window's, for the same session
    view.set_network(snapshot, session.dataset.input_names)
    view.show()  # laid out at its size now, not re-laid out by the first grab
    app.processEvents()
    return view


def animate_session(
    session_path: str,
    out_path: str,
    sample: int | None = None,
    fps: float = 4.0,
    size: tuple[int, int] = (1280, 720),
) -> int:
    """The ``animate`` command: the trainer's next step (or training row ``sample``, else
    the session's lecture set-up's row) as a GIF or an MP4, by ``out_path``'s extension,
    per layer or per neuron and at the digits the set-up says; an exit status (2 with a
    message for bad input, including an MP4 without imageio-ffmpeg)."""
    problem = animate_problem(out_path, fps)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        session = load_session(resolve(session_path))
    except (FileNotFoundError, SessionError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    setup = session.lecture or LectureSetup()
    sample = setup.sample if sample is None else sample
    trainer = trainer_for(session)
    n = len(trainer.x_train)
    if sample is not None and not 0 <= sample < n:
        print(f"error: --sample must be a training row from 0 to {n - 1}", file=sys.stderr)
        return 2
    rows = None if sample is None else np.array([sample])
    trace = trace_next_step(trainer, session.fitting_labels(), rows)
    view = stage_view(session, size)
    try:
        plan = LecturePlan(trace, setup.granularity)
        digits = Precision(setup.digits, setup.decimals)
        save_animation(view, plan, session, out_path, fps, digits=digits)
    except OSError as exc:
        print(f"error: {out_path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        view.close()
        view.deleteLater()
    return 0
