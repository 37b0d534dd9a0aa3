"""File > Export: the diagram as PNG or SVG, a traced step's numbers as a table, and the
lecture as an animated GIF or an MP4 video.

The pictures come from gui.exports.diagram (the same code as ``main.py render``), the
animations from gui.exports.animation (``main.py animate``) and the tables from core.trace.tables
(``main.py table``).  The dialogs go through ``ask_path`` and ``ask_png_options`` so that
tests replace only the dialogs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from core.scripts import numpy_script, pytorch_script
from core.session.storage import safe_file_name, write_text
from core.trace import tables
from gui.exports.animation import MP4_MISSING, mp4_available, save_animation, stage_view
from gui.exports.deck import STAGE_SHARE, save_slides
from gui.exports.diagram import drawing_size, export_png, export_svg
from gui.exports.film_options import FilmOptions, FilmOptionsDialog
from gui.exports.png_options import PngOptions, PngSizeDialog
from gui.lecture.chain import step_plan

if TYPE_CHECKING:
    from gui.diagram.view import NetworkView
    from gui.files import SessionFiles
    from gui.lecture.mode import LectureMode
    from gui.model import SessionModel
    from gui.status_line import StatusLine

TABLE_FORMATS = {".md": tables.to_markdown, ".tex": tables.to_latex}  # CSV: full precision
FILTERS = {
    "png": "PNG image (*.png)",
    "svg": "SVG vector image (*.svg)",
    "table": "Markdown (*.md);;CSV (*.csv);;LaTeX (*.tex)",
    "gif": "Animated GIF (*.gif)",
    "mp4": "MP4 video (*.mp4)",
    "slides": "PDF, a page per frame (*.pdf);;PNG, a file per frame (*.png)",
    "script": "Python script (*.py)",
}
IN_LECTURE = "In lecture mode (Ctrl+L): "


class ExportActions(QObject):
    """The Export submenu: it draws ``view`` and ``lecture``'s frames, names the files
    after ``model``'s session, starts in ``files``' folder and reports on ``status``;
    its dialogs belong to ``parent``."""

    def __init__(
        self,
        parent: QWidget,
        model: SessionModel,
        view: NetworkView,
        lecture: LectureMode,
        files: SessionFiles,
        status: StatusLine,
    ) -> None:
        super().__init__(parent)
        self.parent_widget, self.model, self.view = parent, model, view
        self.lecture, self.files, self.status = lecture, files, status
        self.menu = QMenu("&Export", parent)
        self.menu.setToolTipsVisible(True)
        self.png_action = self._action("The diagram as &PNG…", self.export_png)
        self.svg_action = self._action("The diagram as &SVG (for slides)…", self.export_svg)
        self.table_action = self._action("The step's &numbers as a table…", self.export_table)
        self.table_action.setToolTip(IN_LECTURE + "every number of the traced step")
        self.gif_action = self._action("The lecture as an animated &GIF…", self.export_gif)
        self.gif_action.setToolTip(IN_LECTURE + "every frame of the traced step, looping")
        self.slides_action = self._action(
            "The lecture as &slides (PDF or PNG)…", self.export_slides
        )
        self.slides_action.setToolTip(IN_LECTURE + "a slide per frame: the stage over its formulas")
        self.mp4_ready = mp4_available()
        self.mp4_action = self._action("The lecture as an &MP4 video…", self.export_mp4)
        self.mp4_action.setToolTip(IN_LECTURE + "every frame of the traced step (H.264)")
        if not self.mp4_ready:
            self.mp4_action.setText("The lecture as an MP4 video (needs imageio-ffmpeg)")
            self.mp4_action.setToolTip(MP4_MISSING)
            self.mp4_action.setStatusTip(MP4_MISSING)
        self.menu.addSeparator()
        self.numpy_action = self._action("Python (&NumPy)…", lambda: self.export_script("numpy"))
        self.numpy_action.setToolTip("A standalone NumPy script that trains as the app does")
        self.torch_action = self._action("Python (Py&Torch)…", lambda: self.export_script("torch"))
        self.torch_action.setToolTip("A standalone PyTorch script (float64, autograd)")
        self.set_lecturing(False)
        lecture.activeChanged.connect(self.set_lecturing)

    def _action(self, text: str, slot) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(slot)
        return action

    @Slot(bool)
    def set_lecturing(self, on: bool) -> None:
        """The step's exports need lecture mode (and the MP4 imageio-ffmpeg)."""
        self.table_action.setEnabled(on)
        self.gif_action.setEnabled(on)
        self.slides_action.setEnabled(on)
        self.mp4_action.setEnabled(on and self.mp4_ready)

    def ask_path(self, kind: str, suggestion: str) -> str:
        """The file to write ('' for cancel); tests replace this dialog."""
        start = str(Path(self.files.folder()) / suggestion)
        return QFileDialog.getSaveFileName(self.parent_widget, "Export", start, FILTERS[kind])[0]

    def ask_png_options(self, drawing: tuple[float, float]) -> PngOptions | None:
        """The PNG's width, height and dpi (None for cancel), for a drawing of ``drawing``
        pixels on screen; tests replace this dialog."""
        dialog = PngSizeDialog(drawing, self.parent_widget)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        options = dialog.options() if accepted else None
        dialog.deleteLater()
        return options

    def ask_film_options(self, diagram: tuple[int, int], pace: bool = True) -> FilmOptions | None:
        """The GIF's, MP4's or slides' size and (``pace``) seconds per frame (None for
        cancel); tests replace this dialog."""
        dialog = FilmOptionsDialog(diagram, self.parent_widget, pace)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        options = dialog.options() if accepted else None
        dialog.deleteLater()
        return options

    def _stem(self) -> str:
        return safe_file_name(self.model.session.name or "", "network")

    @Slot()
    def export_png(self) -> None:
        """The diagram at the size and dpi the PNG dialog gives (2x the screen by default)."""
        path = self.ask_path("png", f"{self._stem()}.png")
        view = self.view
        if not path or view.text is None:
            return
        options = self.ask_png_options(drawing_size(view))
        if options is None:
            return
        w, h, dpi = options.width, options.height, options.dpi
        self._write(path, lambda: export_png(view, path, w, h, dpi))

    @Slot()
    def export_svg(self) -> None:
        """The diagram as a vector image."""
        path = self.ask_path("svg", f"{self._stem()}.svg")
        title = self.model.session.name
        self._write(path, lambda: export_svg(self.view, path, title=title))

    @Slot()
    def export_table(self) -> None:
        """The numbers of the step lecture mode shows, by the file's extension: per-sample
        rows of the sample it shows, at the equation panel's precision (CSV: every digit)."""
        plan = step_plan(self.lecture.controller.plan)
        if plan is None:
            return
        path = self.ask_path("table", f"{self._stem()} step.md")
        if not path:
            return
        suffix = Path(path).suffix.lower()
        labels = self.model.session.fitting_labels()
        rows = tables.iteration_rows(plan.trace, labels, plan.sample)
        if suffix == ".csv":
            text = tables.to_csv(rows)
        else:
            text = TABLE_FORMATS.get(suffix, tables.to_markdown)(rows, self.lecture.panel.precision)
            text = tables.bug_heading(plan.trace, suffix if suffix == ".tex" else ".md") + text
        self._write(path, lambda: Path(path).write_text(text, encoding="utf-8"))

    def export_script(self, library: str) -> None:
        """The session, with the weights it has now, as a standalone training script."""
        path = self.ask_path("script", f"{self._stem()} train.py")
        make = pytorch_script if library == "torch" else numpy_script
        self._write(path, lambda: write_text(Path(path), make(self.model.session)))

    @Slot()
    def export_gif(self) -> None:
        """Every frame of the step lecture mode shows, as a looping GIF."""
        self._export_animation("gif")

    @Slot()
    def export_mp4(self) -> None:
        """Every frame of the step lecture mode shows, as an MP4 video."""
        self._export_animation("mp4")

    def _export_animation(self, kind: str) -> None:
        """Draw the frames at the chosen size and pace, off screen, with a progress dialog
        that cancels (the window's stage stays on the lecture's frame)."""
        lecture = self.lecture
        plan = step_plan(lecture.controller.plan)
        if plan is None:
            return
        path = self.ask_path(kind, f"{self._stem()} step.{kind}")
        if not path:
            return
        if Path(path).suffix.lower() != f".{kind}":
            path += f".{kind}"
        options = self.ask_film_options((self.view.width(), self.view.height()))
        if options is None:
            return
        session, digits = self.model.session, lecture.panel.precision
        band = round(options.height * (1 - STAGE_SHARE)) if options.formulas else 0
        looks = lecture.choices.pinned(plan.trace, digits)  # the pins and path as on screen
        view = stage_view(session, (options.width, options.height - band))  # off screen: the
        view.set_palette(self.view.palette_name)  # window's stage stays on its frame
        view.set_scale_limits(*self.view.scale_limits)
        try:
            with self._progress() as progress:
                self._write(
                    path,
                    lambda: save_animation(
                        view, plan, session, path, options.fps, progress, digits, band, looks
                    ),
                )
        finally:
            view.close()
            view.deleteLater()

    @contextmanager
    def _progress(self) -> Iterator[Callable[[int, int], bool]]:
        """A progress dialog that cancels, while the block draws: the block gets the
        ``progress(done, total)`` to call, False once cancelled."""
        dialog = QProgressDialog("Drawing the frames…", "Cancel", 0, 100, self.parent_widget)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)

        def progress(done: int, total: int) -> bool:
            dialog.setValue(int(100 * done / total))
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            yield progress
        finally:
            dialog.close()
            dialog.deleteLater()

    @Slot()
    def export_slides(self) -> None:
        """Every frame of the step as a slide (a PDF page each, or a PNG file each)."""
        plan = step_plan(self.lecture.controller.plan)
        path = self.ask_path("slides", f"{self._stem()} step.pdf") if plan else ""
        if not path:
            return
        if Path(path).suffix.lower() not in (".pdf", ".png"):
            path += ".pdf"
        options = self.ask_film_options((self.view.width(), self.view.height()), pace=False)
        if options is None:
            return
        size, digits = (options.width, options.height), self.lecture.panel.precision
        palette = self.view.palette_name
        looks = self.lecture.choices.pinned(plan.trace, digits)
        with self._progress() as progress:
            self._write(
                path,
                lambda: save_slides(
                    self.model.session, plan, path, size, digits, progress, palette, looks
                ),
            )

    def _write(self, path: str, write) -> None:
        if not path:
            return
        try:
            written = write()
        except (OSError, ValueError) as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, "Export", "", parent=self.parent_widget)
            box.setTextFormat(Qt.TextFormat.PlainText)  # the reason may quote a file
            box.setText(f"Could not write {path}: {exc}")
            box.exec()
            return
        if written is False:  # cancelled
            self.status.say("Export cancelled: nothing was written")
            return
        self.status.say(f"Exported {path}")
