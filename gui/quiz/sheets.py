"""File > Export > Worksheet…: one training step's questions per student, with answer keys,
in Markdown, LaTeX and PDF (core.quiz.worksheet; PDF through gui.quiz.pdf).

The dialog asks for the folder, how many sheets, the first seed (sheet k: seed + k - 1)
and the formats; the files are written off the GUI thread, and the status line says where.
"""

from __future__ import annotations

import copy
import dataclasses
import random
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from core.quiz.exercise import worksheet_problem
from core.quiz.worksheet import ALL_FORMATS, write_sheets
from core.session.format import Session
from core.trace.notation import Precision
from gui.jobs.background import BackgroundJob
from gui.quiz.pdf import write_pdf

FORMAT_NAMES = {"md": "Markdown", "tex": "LaTeX", "pdf": "PDF"}
MAX_SHEETS = 500
MAX_SEED = 2**31 - 1


class WorksheetDialog(QDialog):
    """The folder, the number of sheets, the first seed and the formats."""

    def __init__(self, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export worksheets")
        self.folder = QLineEdit(folder)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        self.count = QSpinBox()
        self.count.setRange(1, MAX_SHEETS)
        self.count.setToolTip("One sheet per student, each with its own numbers")
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setValue(random.randrange(1_000_000))
        self.seed.setToolTip("Sheet k is drawn from seed + k − 1; its header names its seed")
        self.formats = {fmt: QCheckBox(name) for fmt, name in FORMAT_NAMES.items()}
        boxes = QHBoxLayout()
        for box in self.formats.values():
            box.setChecked(True)
            boxes.addWidget(box)
        boxes.addStretch(1)
        note = QLabel(
            "Every sheet asks each value of one SGD step of this network (its shape, "
            "activations, loss and learning rate), with its own weights, biases and sample; "
            "answers-NN is the key."
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("Folder", where)
        form.addRow("Sheets", self.count)
        form.addRow("First seed", self.seed)
        form.addRow("Formats", boxes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(520)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Worksheets folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def chosen(self) -> tuple[Path, int, int, tuple[str, ...]]:
        """(folder, sheets, first seed, formats)."""
        formats = tuple(fmt for fmt, box in self.formats.items() if box.isChecked())
        return Path(self.folder.text()), self.count.value(), self.seed.value(), formats


class WorksheetExport(QObject):
    """The Worksheet… action: the dialog, then the files written in a worker thread."""

    def __init__(self, host: QMainWindow, session_of, precision_of, status) -> None:
        super().__init__(host)
        self.host, self.session_of, self.precision_of = host, session_of, precision_of
        self.status = status
        self.writer = BackgroundJob(self)  # one write at a time
        self.action = QAction("&Worksheet (Markdown, LaTeX, PDF)…", host)
        self.action.setToolTip(
            "One step's questions for each student, each sheet with its own numbers, and "
            "an answer key per sheet"
        )
        self.action.triggered.connect(self.ask_and_write)

    def ask(self, folder: str) -> tuple[Path, int, int, tuple[str, ...]] | None:
        """The dialog's choices, or None if cancelled (tests replace it)."""
        dialog = WorksheetDialog(folder, self.host)
        try:
            return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def ask_and_write(self) -> None:
        """Ask, then write the sheets."""
        session: Session = self.session_of()
        problem = worksheet_problem(session)
        if problem:
            QMessageBox.information(self.host, "Worksheets", f"This session's {problem}.")
            return
        documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        chosen = self.ask(str(Path(documents or Path.home()) / "worksheets"))
        if chosen is not None:
            self.write(session, *chosen)

    def write(
        self, session: Session, folder: Path, count: int, seed: int, formats: tuple[str, ...]
    ) -> None:
        """Write ``count`` sheets from ``seed`` in ``formats`` into ``folder``, off the GUI
        thread; the status line says where, or what went wrong."""
        formats = tuple(f for f in ALL_FORMATS if f in formats) or ("md",)
        precision: Precision = self.precision_of()
        # the thread reads its own copy: the window may edit the session meanwhile
        session = dataclasses.replace(
            session, network=session.network.copy(), labels=copy.deepcopy(session.labels)
        )

        def work() -> list[Path]:
            return write_sheets(session, folder, count, seed, formats, precision, write_pdf)

        def done(written: list[Path] | None, error: BaseException | None) -> None:
            if error is not None:
                reason = getattr(error, "strerror", None) or error
                self.status.say(f"Could not write the worksheets to {folder}: {reason}", 10000)
                return
            self.status.say(
                f"Wrote {len(written)} worksheet files to {folder} (seeds {seed} to "
                f"{seed + count - 1})",
                10000,
            )

        if self.writer.busy:
            self.status.say("Worksheets are still being written: wait a moment", 6000)
            return
        self.writer.start(work, done)
        self.status.say(f"Writing {count} worksheets to {folder}…", 10000)
