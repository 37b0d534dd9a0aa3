"""Training > Check gradients: the check runs in the training process (never here), and
its report fills a table, one row per layer, with the worst parameter lit on the diagram.

:class:`GradientCheck` asks the worker and waits for its reply; :class:`GradcheckDialog`
shows the report: the largest relative error of each layer, the tolerance, pass or fail,
the parameters skipped at a ReLU kink, the worst parameter with both gradients, and what
the bug lab's bug (if one is on) has to do with it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.checks.gradcheck import (
    ABS_TOL,
    REL_TOL,
    GradcheckReport,
    WorstParameter,
    parameter_digest,
)
from core.engine import bugs
from core.snapshot import Snapshot
from core.trace.notation import format_number, parameter_name
from gui.checks.mark import WorstMark
from gui.diagram.view import NetworkView

HEADERS = ("Layer", "Checked", "Skipped (kink)", "Failed", "Largest rel. error", "Tolerance")
HEADERS += ("Result",)
PASS, FAIL = QColor(30, 130, 60), QColor(200, 30, 50)
SHORTCUT = "Ctrl+Shift+C"


def parameter_text(w: WorstParameter, labels: dict | None = None) -> str:
    """The parameter as the formulas name it, neurons counted from 1 as there: 'w₂₁¹
    (layer 1: into neuron 2 from neuron 1)', 'w5 (layer 2: ...)' with the lesson's labels,
    'b₁² (layer 2: the bias of neuron 1)'."""
    name = parameter_name((w.layer - 1, w.i, -1 if w.j is None else w.j), labels)
    if w.j is None:
        return f"{name} (layer {w.layer}: the bias of neuron {w.i + 1})"
    return f"{name} (layer {w.layer}: into neuron {w.i + 1} from neuron {w.j + 1})"


class GradcheckDialog(QDialog):
    """The report of the last check (not modal: the diagram stays usable beside it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gradient check")
        font = self.font()  # it is shown in class: a size up from the controls' type
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.setFont(font)
        layout = QVBoxLayout(self)
        self.heading = self._label(layout)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.worst = self._label(layout)
        self.verdict = self._label(layout)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox()
        self.again = self.buttons.addButton("Check again", QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.close)
        layout.addWidget(self.buttons)
        self.resize(round(780 * 1.3), 300)

    @staticmethod
    def _label(layout: QVBoxLayout) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(label)
        return label

    def waiting(self) -> None:
        """The check has been asked for and has not come back yet."""
        self.heading.setText("Checking the gradient in the training process…")
        self.again.setEnabled(False)

    def outdated(self) -> None:
        """The network is no longer the one checked: the table stays, its heading says so."""
        self.heading.setText(
            "This check was of the network as it was: it has changed since (training, an "
            "edit, another epoch shown or the bug). Check again for the network now."
        )
        self.worst.setText("")
        self.verdict.setText("")
        self.table.setEnabled(False)  # greyed: the numbers of the network that was

    def failed(self, message: str) -> None:
        """The check did not run: say why."""
        self.heading.setText(f"The gradient check did not run: {message}")
        self.again.setEnabled(True)

    def show_report(self, report: GradcheckReport, drawn: bool, labels: dict | None = None) -> None:
        """Fill the table from ``report``; ``drawn``: its worst parameter is lit."""
        bug = f", with the bug “{bugs.get(report.bug).title}” on" if report.bug else ""
        rows = f"the first {report.rows} training rows"
        rows = "the one training row" if report.rows == 1 else rows
        self.heading.setText(
            f"Backprop's gradient of the data loss against central differences (h = "
            f"{report.h:g}) on {rows}{bug}. A parameter passes "
            f"when |g − g_num| ≤ {ABS_TOL:g} + {REL_TOL:g}·|g_num|; where a step crosses a "
            "ReLU kink the difference quotient means nothing, so it is skipped."
        )
        self.table.setEnabled(True)
        self.table.setRowCount(len(report.layers))
        tolerance = f"{ABS_TOL:g} + {REL_TOL:g}·|g_num|"
        for row, r in enumerate(report.layers):
            result = "✘ failed" if r.failures else "✔ passed"
            cells = (str(r.layer), str(r.checked), str(r.skipped), str(r.failures))
            cells += (format_number(r.max_rel_error, 4), tolerance, result)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                align = Qt.AlignmentFlag.AlignRight if column < 5 else Qt.AlignmentFlag.AlignLeft
                item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
                if column == 6:
                    item.setForeground(FAIL if r.failures else PASS)
                self.table.setItem(row, column, item)
        header, row = self.table.horizontalHeader().height(), self.table.rowHeight(0)
        self.table.setFixedHeight(header + row * len(report.layers) + 2 * self.table.frameWidth())
        self.worst.setText(worst_text(report.worst, drawn, labels))
        self.verdict.setText(report.verdict())
        self.again.setEnabled(True)
        self.resize(self.width(), self.sizeHint().height())  # no empty band under the text


def worst_text(w: WorstParameter | None, drawn: bool, labels: dict | None = None) -> str:
    """The worst parameter, both gradients and its relative error, and where it is lit."""
    if w is None:
        return "Every parameter sat at a kink: none could be checked."
    where = (
        "lit in red on the diagram"
        if drawn
        else "not drawn on the diagram (its column is shortened)"
    )
    state = "fails" if w.failed else "passes"
    return (
        f"Worst parameter: {parameter_text(w, labels)}: backprop "
        f"{format_number(w.analytic, 9)}, numeric {format_number(w.numeric, 9)}, relative "
        f"error {format_number(w.rel_error, 4)}; it {state} ({where})."
    )


class GradientCheck(QObject):
    """Training > Check gradients (Ctrl+Shift+C): asks ``worker`` to check the network it
    trains now, shows the reply in a dialog and lights the worst parameter on ``view``."""

    def __init__(self, window: QWidget, worker, view: NetworkView) -> None:
        super().__init__(window)
        self.window, self.worker, self.view = window, worker, view
        self.dialog = GradcheckDialog(window)
        self.dialog.again.clicked.connect(self.run)
        self.dialog.finished.connect(lambda _: self.clear())
        self.mark = WorstMark()
        self.report: GradcheckReport | None = None
        self.pending = False
        self.action = QAction("Check &gradients", self)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setToolTip(
            "Backprop's gradient against central differences, layer by layer, on the "
            f"network now; the worst parameter is lit on the diagram ({SHORTCUT})"
        )
        self.action.triggered.connect(self.run)
        worker.gradcheckReady.connect(self._on_report)
        worker.errorOccurred.connect(self._on_error)
        view.installEventFilter(self)  # a resize lays the diagram out anew: follow it

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize and self.report is not None:
            QTimer.singleShot(0, self, self._replace)
        return False

    def _replace(self) -> None:
        if self.report is not None:
            self.mark.place(self.view, self.report.worst)

    @Slot()
    def run(self) -> None:
        """Ask the training process for a check (it pauses training) and open the dialog."""
        self.pending = True
        self.dialog.waiting()
        if not self.dialog.isVisible():  # over the output and plots, the diagram in view
            frame = self.window.geometry()
            width = min(self.dialog.width(), frame.width() - 40)
            self.dialog.move(frame.right() - width - 20, frame.top() + 90)
        self.dialog.show()
        self.dialog.raise_()
        self.worker.request_gradcheck()

    @Slot(object)
    def _on_report(self, report: GradcheckReport) -> None:
        self.pending, self.report = False, report
        drawn = self.mark.place(self.view, report.worst)
        text = self.view.text  # the lesson's own names (w5), as the diagram shows them
        self.dialog.show_report(report, drawn, text.labels if text is not None else None)

    @Slot(str)
    def _on_error(self, message: str) -> None:
        if self.pending:  # the check's own refusal (a network too large, say)
            self.pending = False
            self.dialog.failed(message)

    def take(self, snap: Snapshot) -> None:
        """A new snapshot: keep the mark where the diagram draws the parameter now, or
        drop it when the network is another one."""
        if self.report is None:
            return
        if len(snap.layers) != len(self.report.layers) + 1:
            self.clear()
        elif self.report.digest and (
            snap.bug != self.report.bug
            or parameter_digest(snap.weights, snap.biases) != self.report.digest
        ):
            self.dialog.outdated()  # no number on screen may be of another network
            self.clear()
        else:
            self.mark.place(self.view, self.report.worst)

    def clear(self) -> None:
        """No report: the mark goes (the dialog closed, another session)."""
        self.report = None
        self.mark.place(self.view, None)
