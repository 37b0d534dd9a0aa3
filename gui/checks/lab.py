"""Training > Bug lab: switch on one of the classic backpropagation bugs (or none).

The bug is a setting of the training process (core.engine.bugs, core.runner's "bug"): the
trainer, lecture mode's trace, and so the graph and the exercises, and the gradient check
all use the bug's gradient.  Switching it on or off restarts nothing: the weights, the
optimiser's state and the run go on, and the loss curve shows what the bug does from the
next step on.  It is never saved, neither into the session nor as a default.

While a bug is on, a red banner over the diagram (lecture mode keeps it too) and the status
bar say which one; both follow the training process's snapshots, so they show the bug that
is really in force."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStatusBar,
    QWidget,
)

from core.engine import bugs
from core.snapshot import Snapshot

SHORTCUT = "Ctrl+Shift+B"
BANNER_STYLE = (
    "#bug_banner { background: #fde2e4; border: 2px solid #c8102e; border-radius: 4px; }"
    " QLabel { color: #7a0019; }"
)


class BugBanner(QFrame):
    """The bug in force, over the diagram: its title, what it does, and a way out."""

    switchOffRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bug_banner")
        self.setStyleSheet(BANNER_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.off = QPushButton("Switch the bug off")
        self.off.setToolTip("Back to correct backpropagation from the next step on")
        self.off.clicked.connect(self.switchOffRequested)
        layout.addWidget(self.off)
        self.hide()

    def show_bug(self, name: str | None) -> None:
        """Say which bug is on (None: hide)."""
        if name is None:
            self.hide()
            return
        bug = bugs.get(name)
        where = "in the gradient" if bug.in_gradient else "in the update"
        self.label.setText(f"Bug lab: {bug.title} ({where}). {bug.explanation}")
        self.show()


class BugLab(QObject):
    """The Bug lab submenu, the banner and the status bar's label of ``window``; it tells
    ``worker`` which bug to use.  ``above`` is a widget of the diagram's column that the
    banner goes right above (the window's divergence banner)."""

    def __init__(self, window: QMainWindow, worker, above: QWidget) -> None:
        super().__init__(window)
        self.window, self.worker = window, worker
        self.bug: str | None = None  # what the training process said last
        self.menu = QMenu("&Bug lab")
        self.menu.setToolTipsVisible(True)
        self.group = QActionGroup(self)
        self.actions: dict[str | None, QAction] = {}
        self._add(None, "&No bug", "Correct backpropagation")
        self.menu.addSeparator()
        for bug in bugs.BUGS.values():
            self._add(bug.name, bug.title, bug.explanation)
        self.open_action = QAction("Choose a &bug…", self)
        self.open_action.setShortcut(QKeySequence(SHORTCUT))
        self.open_action.setToolTip(
            f"The bug lab's menu over the window: switch a classic bug on or off ({SHORTCUT})"
        )
        self.open_action.triggered.connect(self.pop_up)
        self.banner = BugBanner()
        self.banner.switchOffRequested.connect(lambda: self.choose(None))
        column = above.parentWidget().layout()
        column.insertWidget(column.indexOf(above), self.banner)
        self.status = QLabel()
        self.status.setObjectName("bug_status")
        self.status.setStyleSheet("#bug_status { color: #c8102e; font-weight: bold; }")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.hide()
        status_bar: QStatusBar = window.statusBar()
        status_bar.addPermanentWidget(self.status)

    def _add(self, name: str | None, title: str, explanation: str) -> None:
        action = self.menu.addAction(f"{title}  —  {explanation}")
        action.setCheckable(True)
        action.setChecked(name is None)
        action.setToolTip(explanation)
        action.setStatusTip(explanation)
        action.triggered.connect(lambda _=False, n=name: self.choose(n))
        self.group.addAction(action)
        self.actions[name] = action

    @Slot()
    def pop_up(self) -> None:
        """The submenu over the middle of the window, for the keyboard (Ctrl+Shift+B)."""
        centre = self.window.rect().center()
        left = centre - QPoint(self.menu.sizeHint().width() // 2, 0)
        self.menu.popup(self.window.mapToGlobal(left))

    def choose(self, name: str | None) -> None:
        """Switch bug ``name`` on (None: off) in the training process; the weights stay.
        The labels follow once its snapshot says so (it may refuse, and say why)."""
        self.actions[self.bug].setChecked(True)
        self.worker.set_bug(name)

    def show(self, name: str | None) -> None:
        """Label the window with bug ``name`` (None: no label) and tick it in the menu."""
        self.bug = name
        self.actions[name].setChecked(True)
        self.banner.show_bug(name)
        self.status.setVisible(name is not None)
        if name is not None:
            self.status.setText(f"Bug on: {bugs.get(name).title}")

    def take(self, snap: Snapshot) -> None:
        """The training process's snapshot says which bug is really on."""
        if snap.bug != self.bug:
            self.show(snap.bug)
