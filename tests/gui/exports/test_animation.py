"""The lecture as an animation: the GIF and MP4 writers, and File > Export's animation and
PNG-size entries in the window."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.session.lessons import resolve
from core.trace.iteration import trace_next_step
from gui.diagram.items import DiagramButton
from gui.exports import menu as exports_module
from gui.exports.animation import (
    MP4_MISSING,
    animate_session,
    image_count,
    lecture_images,
    save_animation,
    save_gif,
    save_mp4,
    stage_view,
)
from gui.exports.diagram import drawing_size
from gui.exports.film_options import FilmOptions, FilmOptionsDialog
from gui.exports.png_options import PngOptions, PngSizeDialog, scaled_options
from gui.lecture.plan import LecturePlan
from gui.main_window import MainWindow

TIMEOUT = 20_000


@pytest.fixture
def ffmpeg():
    """imageio-ffmpeg, or the test is skipped (it is an optional dependency)."""
    return pytest.importorskip("imageio_ffmpeg")


@pytest.fixture
def mazur(qtbot):
    """(view, plan, session): Mazur's step on a small NetworkView of an odd size."""
    session = load_session(resolve("mazur"))
    plan = LecturePlan(trace_next_step(trainer_for(session), session.fitting_labels()), "layer")
    view = stage_view(session, (481, 271))
    qtbot.addWidget(view)
    return view, plan, session


def video_frames(ffmpeg, path: Path) -> tuple[dict, list[np.ndarray]]:
    """The video's metadata (from imageio-ffmpeg) and its frames as (h, w, 3) RGB arrays,
    decoded by ffmpeg.  (Reading every frame through imageio-ffmpeg's reader leaves its
    pipes open once ffmpeg has finished: a ResourceWarning.)"""
    reader = ffmpeg.read_frames(str(path))
    meta = next(reader)
    reader.close()  # ffmpeg still runs, waiting for us: the pipes are closed
    command = [ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path)]
    command += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    pixels = subprocess.run(command, capture_output=True, check=True, timeout=60).stdout
    width, height = meta["size"]
    return meta, list(np.frombuffer(pixels, np.uint8).reshape(-1, height, width, 3))


def test_the_mp4_is_h264_with_every_image_at_an_even_size(ffmpeg, mazur, tmp_path) -> None:
    view, plan, session = mazur
    out = tmp_path / "step.mp4"
    assert save_mp4(view, plan, session, out, fps=8.0)
    meta, frames = video_frames(ffmpeg, out)
    assert meta["codec"] == "h264" and meta["pix_fmt"].startswith("yuv420p")
    assert meta["size"] == (480, 270)  # 481 x 271 cropped to even
    assert meta["fps"] == 8.0
    assert len(frames) == image_count(plan) >= len(plan.frames)
    assert ffmpeg.count_frames_and_secs(str(out))[0] == len(frames)
    assert [p.name for p in tmp_path.iterdir()] == ["step.mp4"]  # no temporary file left


def test_the_mp4_shows_the_drawn_images_in_their_colours(ffmpeg, mazur, tmp_path) -> None:
    view, plan, session = mazur
    out = tmp_path / "step.mp4"
    save_mp4(view, plan, session, out)
    drawn = [np.asarray(image)[:270, :480].astype(int) for image in lecture_images(*mazur)]
    frames = video_frames(ffmpeg, out)[1]
    for index in (0, len(drawn) // 2, len(drawn) - 1):
        error = np.abs(frames[index].astype(int) - drawn[index])
        assert error.mean() < 2.0  # no swapped channels, no shear from a wrong stride
        assert np.percentile(error, 99) < 40  # the numbers' edges stay sharp
    middle = len(drawn) // 2
    blue = (drawn[middle][..., 2] - drawn[middle][..., 0]) > 80  # the neurons' blue fill
    assert blue.sum() > 500
    red, _, blue_channel = frames[middle][blue].astype(int).mean(axis=0)
    assert blue_channel - red > 60  # still blue, not orange


def test_the_gif_has_at_least_one_frame_per_step(mazur, tmp_path) -> None:
    view, plan, session = mazur
    out = tmp_path / "step.gif"
    assert save_gif(view, plan, session, out, fps=5.0)
    with Image.open(out) as gif:
        assert gif.n_frames >= len(plan.frames) == 9
        assert gif.size == (481, 271)
        assert gif.info["duration"] == 200
        assert gif.info["loop"] == 0


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_a_cancelled_export_leaves_no_file(mazur, tmp_path, suffix) -> None:
    if suffix == ".mp4":
        pytest.importorskip("imageio_ffmpeg")
    view, plan, session = mazur
    out = tmp_path / f"step{suffix}"
    seen = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 3

    assert save_animation(view, plan, session, out, progress=progress) is False
    assert seen == [(1, image_count(plan)), (2, image_count(plan)), (3, image_count(plan))]
    assert not any(tmp_path.iterdir())
    out.write_bytes(b"older")  # an existing file stays as it was
    assert save_animation(view, plan, session, out, progress=progress) is False
    assert out.read_bytes() == b"older" and len(list(tmp_path.iterdir())) == 1
    buttons = [item for item in view.diagram.items() if isinstance(item, DiagramButton)]
    assert buttons and all(button.isVisible() for button in buttons)  # the controls are back


def test_other_extensions_missing_folders_and_no_ffmpeg_are_refused(
    mazur, tmp_path, monkeypatch
) -> None:
    view, plan, session = mazur
    with pytest.raises(ValueError, match=".gif or an .mp4"):
        save_animation(view, plan, session, tmp_path / "step.avi")
    with pytest.raises(OSError):
        save_gif(view, plan, session, tmp_path / "missing" / "step.gif")
    monkeypatch.setattr("gui.exports.animation.mp4_available", lambda: False)
    with pytest.raises(ModuleNotFoundError, match="pip install imageio-ffmpeg"):
        save_mp4(view, plan, session, tmp_path / "step.mp4")
    assert not any(tmp_path.iterdir())


def test_animate_refuses_bad_options_before_drawing(qapp, tmp_path, capsys, monkeypatch) -> None:
    assert animate_session("mazur", str(tmp_path / "step.webm")) == 2
    assert ".gif or an .mp4" in capsys.readouterr().err
    for fps in (0.0, -1.0, float("nan"), 51.0):
        assert animate_session("mazur", str(tmp_path / "step.gif"), fps=fps) == 2
        assert "--fps must be more than 0 and at most 50" in capsys.readouterr().err
    assert animate_session("mazur", str(tmp_path / "step.gif"), sample=5) == 2
    assert "--sample must be a training row from 0 to 0" in capsys.readouterr().err
    monkeypatch.setattr("gui.exports.animation.mp4_available", lambda: False)
    assert animate_session("mazur", str(tmp_path / "step.mp4")) == 2
    assert MP4_MISSING in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


# ---------------------------------------------------------------------- in the window


def make_window(qtbot, tmp_path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(load_session(resolve("mazur")), settings)
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.exports.ask_film_options = lambda diagram: FilmOptions(640, 360, 0.5)
    window.show()
    qtbot.waitUntil(lambda: window.latest is not None, timeout=TIMEOUT)
    return window


@pytest.fixture
def window(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path)
    yield w
    w.close()


def enter(window, qtbot) -> None:
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)


def test_file_export_writes_the_lecture_as_mp4(ffmpeg, window, qtbot, tmp_path) -> None:
    exports = window.exports
    assert not exports.mp4_action.isEnabled()  # only in lecture mode
    enter(window, qtbot)
    assert exports.mp4_action.isEnabled()
    exports.ask_path = lambda kind, suggestion: str(tmp_path / "lecture")  # no extension typed
    window.lecture.controller.go_to(2)
    exports.mp4_action.trigger()
    frames = video_frames(ffmpeg, tmp_path / "lecture.mp4")[1]
    assert len(frames) >= window.lecture.controller.count
    assert window.lecture.controller.index == 2  # the stage never left its frame
    assert window.network_view.overlay.stage is not None
    assert "Exported" in window.statusBar().currentMessage()
    window.lecture.leave()
    assert not exports.mp4_action.isEnabled()


def test_cancelling_the_progress_dialog_writes_nothing(window, qtbot, tmp_path) -> None:
    enter(window, qtbot)
    window.exports.ask_path = lambda kind, suggestion: str(tmp_path / "step.gif")

    def cancel() -> None:  # runs while the frames are drawn (the progress lets events in)
        dialog = window.findChild(QProgressDialog)
        if dialog is None:
            QTimer.singleShot(1, cancel)
        else:
            dialog.cancel()

    QTimer.singleShot(0, cancel)
    window.exports.gif_action.trigger()
    assert not any(p.suffix == ".gif" or ".part" in p.name for p in tmp_path.iterdir())
    assert "cancelled" in window.statusBar().currentMessage()
    window.lecture.leave()


def test_without_imageio_ffmpeg_the_mp4_entry_says_how_to_get_it(
    qtbot, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(exports_module, "mp4_available", lambda: False)
    window = make_window(qtbot, tmp_path)
    try:
        action = window.exports.mp4_action
        enter(window, qtbot)
        assert not action.isEnabled()
        assert "pip install imageio-ffmpeg" in action.toolTip()
        assert "imageio-ffmpeg" in action.text()
        assert window.exports.gif_action.isEnabled()
        assert window.exports.menu.toolTipsVisible()
        window.lecture.leave()
    finally:
        window.close()


def test_file_export_png_asks_for_the_size_and_dpi(window, tmp_path) -> None:
    exports = window.exports
    exports.ask_path = lambda kind, suggestion: str(tmp_path / "net.png")
    asked = []

    def options(drawing: tuple[float, float]) -> PngOptions:
        asked.append(drawing)
        return PngOptions(900, 500, 192)

    exports.ask_png_options = options
    exports.png_action.trigger()
    with Image.open(tmp_path / "net.png") as png:
        assert png.size == (900, 500)
        assert round(png.info["dpi"][0]) == 192
    assert asked == [drawing_size(window.network_view)]  # the 1x of the dialog's presets
    exports.ask_png_options = lambda drawing: None  # cancelled: nothing written
    (tmp_path / "net.png").unlink()
    exports.png_action.trigger()
    assert not (tmp_path / "net.png").exists()


def test_the_png_dialog_scales_the_screen_size_and_keeps_the_shape(qtbot) -> None:
    dialog = PngSizeDialog((400.0, 250.0))
    qtbot.addWidget(dialog)
    assert dialog.options() == PngOptions(800, 500, 192)  # 2x by default
    assert "4.2 × 2.6 in" in dialog.printed.text()
    dialog.scale.setCurrentIndex(2)  # 3x
    assert dialog.options() == PngOptions(1200, 750, 288)
    dialog.scale.setCurrentIndex(0)
    assert dialog.options() == PngOptions(400, 250, 96)
    dialog.width.setValue(1000)  # typed in: the height follows, the scale is custom
    assert dialog.options() == PngOptions(1000, 625, 96)
    assert dialog.scale.currentText() == "Custom"
    dialog.height.setValue(100)
    assert dialog.options() == PngOptions(160, 100, 96)
    dialog.dpi.setValue(300)
    assert dialog.options().dpi == 300 and "0.5 × 0.3 in at 300 dpi" in dialog.printed.text()
    assert scaled_options((20000.0, 100.0), 3).width == 16384  # never past the largest PNG


@pytest.mark.parametrize("lesson", ["mazur", "vanishing_gradients"])
def test_animate_draws_with_the_windows_colour_scales(lesson_window, lesson) -> None:
    window = lesson_window(lesson)
    view = stage_view(load_session(resolve(lesson)), (1280, 720))
    try:
        assert view.scale_limits == window.network_view.scale_limits
    finally:
        view.close()


def test_the_film_is_drawn_off_screen_at_its_own_size_and_pace(window, qtbot, tmp_path) -> None:
    enter(window, qtbot)
    window.lecture.controller.go_to(5)
    shown = window.network_view.overlay.stage
    seen = []
    window.exports.ask_path = lambda kind, suggestion: str(tmp_path / "step.gif")
    window.exports.ask_film_options = lambda diagram: FilmOptions(480, 270, 1.0)
    original = exports_module.save_animation

    def spying(view, plan, session, path, fps, progress=None, digits=4, formulas=0, looks=None):
        def watched(done, total):
            seen.append(window.network_view.overlay.stage is shown)
            return progress(done, total)

        return original(view, plan, session, path, fps, watched, digits, formulas, looks)

    exports_module.save_animation = spying
    try:
        window.exports.gif_action.trigger()
    finally:
        exports_module.save_animation = original
    with Image.open(tmp_path / "step.gif") as gif:
        assert gif.size == (480, 270)
        assert gif.info["duration"] == 500  # two images of 0.5 s hold a frame for 1 s
    assert seen and all(seen)  # the window's stage stayed on its frame all along


def test_the_film_options_dialog_offers_the_projectors_sizes(qtbot) -> None:
    dialog = FilmOptionsDialog((900, 500))
    qtbot.addWidget(dialog)
    assert dialog.options() == FilmOptions(1280, 720, 0.5)
    dialog.size_box.setCurrentIndex(dialog.size_box.count() - 1)
    dialog.seconds_box.setValue(2.0)
    assert dialog.options() == FilmOptions(900, 500, 2.0) and dialog.options().fps == 1.0
