"""The import's way into the session: Data > Import CSV…, the Dataset list's "From a CSV
file…" and File > Open of a .csv all open the dialog; its OK changes the session through
the session model, as one undoable edit, so the network's input and output layers follow
the data and training restarts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, SignalInstance, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from core.data.scan import CLASSIFICATION
from core.session.format import Session
from core.session.lessons import is_builtin
from gui.data.import_dialog import ImportDialog

if TYPE_CHECKING:
    from gui.model import SessionModel
    from gui.status_line import StatusLine

SHORTCUT = "Ctrl+Shift+I"


def resize(session: Session, layer: int, size: int) -> None:
    """Add neurons at the end of ``layer`` (new weights from the session's initialiser) or
    remove its last ones, until it has ``size``."""
    net = session.network
    while net.layers[layer] < size:
        net.add_neuron(layer, net.layers[layer], session.init_scheme, session.edit_rng())
    while net.layers[layer] > size:
        net.remove_neuron(layer, net.layers[layer] - 1)


def take_import(session: Session, spec: dict, inputs: int, outputs: int, problem: str) -> None:
    """Give ``session`` the imported data ``spec``: ``inputs`` input neurons, ``outputs``
    output neurons, softmax and cross-entropy for classes, linear and MSE for a number.
    The file was chosen by the user, so it may lie outside the session's folder."""
    net = session.network
    resize(session, 0, inputs)
    resize(session, len(net.layers) - 1, outputs)
    classes = problem == CLASSIFICATION
    net.set_activation(len(net.weights), "softmax" if classes else "linear")
    session.loss = "cce" if classes else "mse"
    session.data = spec
    session.allow_outside = True
    session.reload_dataset()


class CsvImporter(QObject):
    """Opens the import dialog over ``window`` and puts its result into the session."""

    def __init__(self, window: QWidget, model: SessionModel, status: StatusLine) -> None:
        super().__init__(window)
        self.window, self.model, self.status = window, model, status
        self.action = QAction("Import &CSV…", window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip("Train on a table of your own: a CSV file with a header")
        self.action.triggered.connect(self.open)
        self.dialog: ImportDialog | None = None

    def listen(self, csv_opened: SignalInstance, list_chose: SignalInstance) -> None:
        """Open the dialog on ``csv_opened(path)`` (File > Open of a .csv) and on
        ``list_chose()`` (the Dataset list's "From a CSV file…")."""
        # Queued: the dialog opens once the event loop runs (a .csv named on the command
        # line asks before the window is shown otherwise), never inside the emitter's call.
        csv_opened.connect(self.open_file, Qt.ConnectionType.QueuedConnection)
        list_chose.connect(self.open)

    def make_dialog(self) -> ImportDialog:
        """A new dialog, sized to the window."""
        session = self.model.session
        unsaved = session.path is None or is_builtin(session.path)  # a lesson is a template
        folder = None if unsaved else Path(session.path).parent
        dialog = ImportDialog(self.window, folder)
        size = self.window.size()
        dialog.resize(min(1100, int(size.width() * 0.85)), min(760, int(size.height() * 0.9)))
        return dialog

    def ask(self, dialog: ImportDialog) -> bool:
        """Show ``dialog`` until it is closed; True for OK (tests replace this)."""
        return dialog.exec() == ImportDialog.DialogCode.Accepted

    @Slot()
    def open(self) -> None:
        """The dialog, starting with its file chooser."""
        self._run(None)

    @Slot(object)
    def open_file(self, path: str | Path) -> None:
        """The dialog on the file ``path`` (File > Open of a .csv)."""
        self._run(Path(path))

    def _run(self, path: Path | None) -> None:
        dialog = self.dialog = self.make_dialog()
        try:
            if path is not None:
                dialog.read(path)
            elif not self._chosen(dialog):
                return
            if self.ask(dialog) and dialog.spec is not None:
                self.take(dialog)
        finally:
            self.dialog = None
            dialog.deleteLater()

    def _chosen(self, dialog: ImportDialog) -> bool:
        path = dialog.ask_path()
        if path:
            dialog.read(Path(path))
        return bool(path)

    def take(self, dialog: ImportDialog) -> bool:
        """Put the dialog's import into the session as one undo step."""
        spec, inputs, outputs = dialog.spec, dialog.inputs, dialog.outputs
        problem = dialog.problem_type
        name = dialog.scan.path.name
        done = self.model.edit(
            f"Import {name}", lambda s: take_import(s, spec, inputs, outputs, problem)
        )
        if done:
            ds = self.model.session.dataset
            self.status.say(
                f"Imported {name}: {len(ds.x_train):,} training and {len(ds.x_test):,} test rows",
                8000,
            )
        return done
