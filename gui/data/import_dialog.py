"""Data > Import CSV…: the dialog that turns a CSV file into the session's data.

It reads the file off the GUI thread (core.data.scan: limits, preview, the columns), shows
the first rows as plain text, lets the user tick the target column(s), proposes the problem
type from them (changeable), and asks for the test share, standardisation and how the
session keeps the data (the path, relative to the session file, or the rows embedded).
Every problem shows in the dialog as ``file:line:column: what is wrong``; OK stays disabled
while there is one.  OK reads the whole file (off the GUI thread too) and leaves the new
"data" section in :attr:`ImportDialog.spec`.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.data.imported import import_spec, outputs_for
from core.data.scan import CLASSIFICATION, REGRESSION, CsvScan, choice_problem, propose, scan_csv
from core.data.tabular import DataError
from gui.jobs.background import BackgroundJob

DEFAULT_TEST_RATIO = 0.2  # a test share from the start: the test loss shows overfitting
EMBED_MOST_CELLS = 200_000  # larger tables are kept as a path (a session stays readable)
FILTER = "CSV files (*.csv);;All files (*)"
TYPES = {CLASSIFICATION: "Classes (classification)", REGRESSION: "A number (regression)"}


def error_text(exc: BaseException, path: Path) -> str:
    """One line for the dialog: a DataError as it is, anything else said with the file."""
    if isinstance(exc, DataError):
        return str(exc)
    return f"{path.name}: could not be read ({type(exc).__name__}: {exc})"


class ImportDialog(QDialog):
    """Choose a CSV file and how to import it; ``spec`` holds the result after OK."""

    def __init__(self, parent: QWidget | None, session_folder: Path | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import CSV")
        self.session_folder = session_folder
        self.scan: CsvScan | None = None
        self.spec: dict | None = None
        self.outputs = 0
        self.reader = BackgroundJob(self)
        self._build()
        self._connect()
        self._update()

    # --- building -----------------------------------------------------------------------

    def _build(self) -> None:
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("No file chosen")
        self.choose = QPushButton("Choose…")
        top = QHBoxLayout()
        top.addWidget(QLabel("File"))
        top.addWidget(self.path_edit, 1)
        top.addWidget(self.choose)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.targets = QListWidget()
        self.targets.setToolTip("Tick the column(s) the network learns to predict")
        self.problem = QComboBox()
        for key, text in TYPES.items():
            self.problem.addItem(text, key)
        self.proposal = QLabel()
        self.proposal.setTextFormat(Qt.TextFormat.PlainText)
        self.proposal.setWordWrap(True)
        self.test_ratio = QDoubleSpinBox()
        self.test_ratio.setRange(0.0, 0.9)
        self.test_ratio.setSingleStep(0.05)
        self.test_ratio.setValue(DEFAULT_TEST_RATIO)
        self.test_ratio.setToolTip("The share of rows held back to test on (drawn at random)")
        for field in (self.problem, self.test_ratio):
            field.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.standardize = QCheckBox("Standardise the inputs (z-score on the training rows)")
        self.standardize.setChecked(True)
        self.standardize.setToolTip(
            "Each input column minus its mean, divided by its standard deviation, both of the "
            "training rows: columns of very different sizes otherwise saturate tanh and sigmoid "
            "and train at very different speeds"
        )
        self._build_storage()
        form = QFormLayout()
        form.addRow("Problem type", self.problem)
        form.addRow("", self.proposal)
        form.addRow("Test share", self.test_ratio)
        form.addRow("", self.standardize)
        form.addRow("Keep the data", self.by_path)
        form.addRow("", self.embed)
        form.addRow("", self.storage_note)
        left = QVBoxLayout()
        left.addWidget(QLabel("Target column(s)"))
        left.addWidget(self.targets, 1)
        middle = QHBoxLayout()
        middle.addLayout(left, 1)
        middle.addLayout(form, 3)
        self.error = QLabel()
        self.error.setObjectName("importError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Import")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 3)
        layout.addLayout(middle, 2)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _build_storage(self) -> None:
        self.by_path = QRadioButton("The file's path, relative to the session file")
        self.embed = QRadioButton("The rows, embedded in the session")
        self.by_path.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_path)
        group.addButton(self.embed)
        self.storage_note = QLabel()
        self.storage_note.setTextFormat(Qt.TextFormat.PlainText)
        self.storage_note.setWordWrap(True)
        if self.session_folder is None:
            self.storage_note.setText(
                "The session is not saved yet: its path is kept absolute until you save the "
                "session, then relative to the session file."
            )

    def _connect(self) -> None:
        self.choose.clicked.connect(self.choose_file)
        self.targets.itemChanged.connect(self._on_targets)
        self.problem.currentIndexChanged.connect(self._update)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)

    # --- the file -----------------------------------------------------------------------

    def ask_path(self) -> str:
        """The file the user picks ('' for cancel); tests replace this."""
        start = str(self.session_folder or Path.home())
        return QFileDialog.getOpenFileName(self, "Import CSV", start, FILTER)[0]

    @Slot()
    def choose_file(self) -> None:
        """Ask for a CSV file and read it."""
        path = self.ask_path()
        if path:
            self.read(Path(path))

    def read(self, path: Path) -> None:
        """Look at ``path`` off the GUI thread; the dialog fills in when it is read."""
        self.path_edit.setText(str(path))
        self.scan, self.spec = None, None
        self._fill(None)
        self.error.setText("")
        self.summary.setText(f"Reading {path.name}…")
        self.reader.start(lambda: scan_csv(path), lambda scan, exc: self._read(path, scan, exc))
        self._update()

    def _read(self, path: Path, scan: CsvScan | None, exc: BaseException | None) -> None:
        self.scan = scan
        if exc is not None:
            self.summary.setText("")
            self.error.setText(error_text(exc, path))
        self._fill(scan)
        self._update()

    def _fill(self, scan: CsvScan | None) -> None:
        """The preview and the target list of ``scan`` (empty for None); the last column is
        ticked as the target to start with."""
        self.preview.clear()
        self.targets.blockSignals(True)
        self.targets.clear()
        if scan is not None:
            self.summary.setText(
                f"{scan.rows:,} rows × {len(scan.header)} columns"
                + (
                    f" (the first {len(scan.preview)} shown)"
                    if len(scan.preview) < scan.rows
                    else ""
                )
            )
            self.preview.setColumnCount(len(scan.header))
            self.preview.setRowCount(len(scan.preview))
            self.preview.setHorizontalHeaderLabels(list(scan.header))
            for r, row in enumerate(scan.preview):
                for c, cell in enumerate(row):
                    self.preview.setItem(r, c, QTableWidgetItem(cell))  # plain text
            self.preview.resizeColumnsToContents()
            for c, name in enumerate(scan.header):
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                last = c == len(scan.header) - 1
                item.setCheckState(Qt.CheckState.Checked if last else Qt.CheckState.Unchecked)
                self.targets.addItem(item)
            embeddable = scan.rows * len(scan.header) <= EMBED_MOST_CELLS
            self.embed.setEnabled(embeddable)
            self.embed.setToolTip("" if embeddable else "Too large to embed: keep the path")
            if not embeddable:
                self.by_path.setChecked(True)
        self.targets.blockSignals(False)
        self._propose()

    # --- the choices --------------------------------------------------------------------

    def chosen_targets(self) -> list[str]:
        """The ticked target columns, in header order."""
        items = (self.targets.item(i) for i in range(self.targets.count()))
        return [it.text() for it in items if it.checkState() == Qt.CheckState.Checked]

    def chosen_problem(self) -> str:
        """classification or regression, as the combo box says."""
        return self.problem.currentData()

    @Slot(QListWidgetItem)
    def _on_targets(self, _item: QListWidgetItem) -> None:
        self._propose()
        self._update()

    def _propose(self) -> None:
        """Set the problem type the ticked targets suggest."""
        if self.scan is None or not self.chosen_targets():
            self.proposal.setText("")
            return
        proposed = propose(self.scan, self.chosen_targets())
        self.problem.blockSignals(True)
        self.problem.setCurrentIndex(self.problem.findData(proposed))
        self.problem.blockSignals(False)
        self.proposal.setText(self._proposal_text(proposed))

    def _proposal_text(self, proposed: str) -> str:
        targets = self.chosen_targets()
        if proposed == REGRESSION:
            return "Proposed: regression (the targets are numbers that are not all whole)."
        labels = self.scan.column(targets[0]).labels or ()
        names = ", ".join(labels[:8]) + (f" and {len(labels) - 8} more" if len(labels) > 8 else "")
        return f"Proposed: classes ({len(labels)}: {names}), one output neuron each."

    def problem_text(self) -> str | None:
        """What is wrong with the choices now, as ``file:line:column: what``, or None."""
        if self.scan is None:
            return None
        return choice_problem(self.scan, self.chosen_targets(), self.chosen_problem())

    @Slot()
    def _update(self, *_: object) -> None:
        problem = self.problem_text()
        if self.scan is not None:
            self.error.setText(problem or "")
        self.ok.setEnabled(self.scan is not None and problem is None and not self.reader.busy)

    # --- OK -----------------------------------------------------------------------------

    def stored_path(self) -> str | None:
        """How the session names the file: relative to the session's folder, absolute
        while the session has none; None when the rows are embedded."""
        if self.embed.isChecked():
            return None
        file = self.scan.path
        if self.session_folder is None:
            return str(file)
        try:
            return Path(os.path.relpath(file, self.session_folder.resolve())).as_posix()
        except ValueError:  # another drive (Windows)
            return str(file)

    @Slot()
    def _on_ok(self) -> None:
        if not self.ok.isEnabled():
            return
        scan, targets, problem = self.scan, self.chosen_targets(), self.chosen_problem()
        args = (scan, targets, problem, round(self.test_ratio.value(), 4), 0)
        stored, standardized = self.stored_path(), self.standardize.isChecked()
        self.outputs = outputs_for(scan, targets, problem)
        self.summary.setText(f"Reading all {scan.rows:,} rows…")
        self.reader.start(lambda: import_spec(*args, standardized, stored), self._built)
        self._update()

    def _built(self, spec: dict | None, exc: BaseException | None) -> None:
        if exc is not None:
            self.error.setText(error_text(exc, self.scan.path))
            self._update()
            return
        self.spec = spec
        self.accept()

    def done(self, result: int) -> None:  # noqa: D102 (Qt's name): a read still running is dropped
        self.reader.cancel()
        super().done(result)

    @property
    def problem_type(self) -> str:
        """The chosen problem type."""
        return self.chosen_problem()

    @property
    def inputs(self) -> int:
        """How many input columns the import gives."""
        return len(self.scan.header) - len(self.chosen_targets()) if self.scan else 0
