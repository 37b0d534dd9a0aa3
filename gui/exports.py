"""File > Export: the diagram as PNG or SVG, and a traced step's numbers as a table.

The pictures come from gui.diagram_export (the same code as ``main.py render``)
and the tables from core.tables (``main.py table``).  The file dialog goes
through ``ask_path`` so that tests replace only the dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QProgressDialog

from core import tables
from gui.animation_export import save_gif
from gui.diagram_export import export_png, export_svg

if TYPE_CHECKING:
    from gui.main_window import MainWindow

TABLE_FORMATS = {".csv": tables.to_csv, ".md": tables.to_markdown, ".tex": tables.to_latex}
FILTERS = {
    "png": "PNG image (*.png)",
    "svg": "SVG vector image (*.svg)",
    "table": "Markdown (*.md);;CSV (*.csv);;LaTeX (*.tex)",
    "gif": "Animated GIF (*.gif)",
}


class ExportActions(QObject):
    """The Export submenu of a window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.menu = QMenu("&Export", window)
        self.png_action = self._action("The diagram as &PNG…", self.export_png)
        self.svg_action = self._action("The diagram as &SVG (for slides)…", self.export_svg)
        self.table_action = self._action("The step's &numbers as a table…", self.export_table)
        self.table_action.setToolTip("In lecture mode (Ctrl+L): every number of the traced step")
        self.gif_action = self._action("The lecture as an animated &GIF…", self.export_gif)
        for action in (self.table_action, self.gif_action):
            action.setEnabled(False)
            window.lecture.activeChanged.connect(action.setEnabled)

    def _action(self, text: str, slot) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(slot)
        return action

    def ask_path(self, kind: str, suggestion: str) -> str:
        """The file to write ('' for cancel); tests replace this dialog."""
        start = str(Path(self.window.files.folder()) / suggestion)
        return QFileDialog.getSaveFileName(self.window, "Export", start, FILTERS[kind])[0]

    def _stem(self) -> str:
        return (self.window.session.name or "network").replace("/", "-")

    @Slot()
    def export_png(self) -> None:
        """The diagram at 1600 px wide (about 2x a slide's width at 96 dpi)."""
        path = self.ask_path("png", f"{self._stem()}.png")
        self._write(path, lambda: export_png(self.window.network_view, path, width=1600))

    @Slot()
    def export_svg(self) -> None:
        """The diagram as a vector image."""
        path = self.ask_path("svg", f"{self._stem()}.svg")
        title = self.window.session.name
        self._write(path, lambda: export_svg(self.window.network_view, path, title=title))

    @Slot()
    def export_table(self) -> None:
        """The numbers of the step lecture mode shows, by the file's extension."""
        plan = self.window.lecture.controller.plan
        if plan is None:
            return
        path = self.ask_path("table", f"{self._stem()} step.md")
        write = TABLE_FORMATS.get(Path(path).suffix.lower(), tables.to_markdown)
        rows = tables.iteration_rows(plan.trace, self.window.session.fitting_labels())
        self._write(path, lambda: Path(path).write_text(write(rows), encoding="utf-8"))

    @Slot()
    def export_gif(self) -> None:
        """Every frame of the step lecture mode shows, with a progress dialog that cancels."""
        lecture = self.window.lecture
        plan = lecture.controller.plan
        if plan is None:
            return
        path = self.ask_path("gif", f"{self._stem()} step.gif")
        if not path:
            return
        dialog = QProgressDialog("Drawing the frames…", "Cancel", 0, 100, self.window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)

        def progress(done: int, total: int) -> bool:
            dialog.setValue(int(100 * done / total))
            QApplication.processEvents()
            return not dialog.wasCanceled()

        frame = lecture.controller.frame
        view, session = self.window.network_view, self.window.session
        try:
            self._write(path, lambda: save_gif(view, plan, session, path, progress=progress))
        finally:
            dialog.close()
            lecture.show_frame_again(frame)

    def _write(self, path: str, write) -> None:
        if not path:
            return
        try:
            write()
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self.window, "Export", f"Could not write {path}: {exc}")
            return
        self.window.statusBar().showMessage(f"Exported {path}", 5000)
