"""The main window's menus, its remembered preferences and its help dialogs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

if TYPE_CHECKING:
    from gui.main_window import MainWindow

APP_NAME = "Backprop Lab"


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """File, Edit, View, Lessons, Training and Help; returns the View toggles by key."""
    bar = window.menuBar()
    files = window.files
    file_menu = bar.addMenu("&File")
    file_menu.addActions([files.new_action, files.open_action])
    file_menu.addMenu(files.recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([files.save_action, files.save_as_action])
    file_menu.addMenu(window.exports.menu)
    file_menu.addSeparator()
    quit_action = file_menu.addAction("&Quit")
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)
    edit = bar.addMenu("&Edit")
    undo = window.model.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    redo = window.model.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit.addActions([undo, redo])
    toggles = _view_menu(window, bar.addMenu("&View"))
    files.fill_lessons(bar.addMenu("&Lessons"))
    train = bar.addMenu("&Training")
    train.addActions([a for a in window.controls.actions() if a.text()])
    help_menu = bar.addMenu("&Help")
    help_menu.addAction("&Keyboard shortcuts", lambda: show_shortcuts(window))
    help_menu.addAction(f"&About {APP_NAME}", lambda: show_about(window))
    return toggles


def _view_menu(window: MainWindow, menu: QMenu) -> dict[str, QAction]:
    out = window.output_view
    toggles = {
        "gradients": _toggle(menu, "Show &gradients (dL/dw)", "G", window.on_gradient_view),
        "show_test": _toggle(menu, "Show &test data", "T", out.set_show_test),
        "discretize": _toggle(menu, "&Discretize output", "D", out.set_discretize),
        "log_y": _toggle(menu, "&Log scale for the loss", "L", window.plots.set_log_y),
    }
    out.show_test_changed.connect(toggles["show_test"].setChecked)
    out.discretize_changed.connect(toggles["discretize"].setChecked)
    window.plots.log_y_changed.connect(toggles["log_y"].setChecked)
    window.network_view.viewChanged.connect(
        lambda view: toggles["gradients"].setChecked(view == "gradients")
    )
    menu.addSeparator()
    lecture = menu.addAction("&Lecture mode: step through the next training step")
    lecture.setCheckable(True)
    lecture.setShortcut(QKeySequence("Ctrl+L"))
    lecture.setToolTip("Pause training and play one step's chain rule with its numbers")
    lecture.toggled.connect(window.on_lecture_mode)
    window.lecture.activeChanged.connect(lambda on: _check_quietly(lecture, on))
    leave = menu.addAction("Leave lecture mode")
    leave.setShortcut(QKeySequence("Esc"))
    leave.triggered.connect(window.lecture.leave_by_user)
    menu.addSeparator()
    for text, shortcut, factor in (
        ("&Widen the colour scale", "Ctrl+]", 2.0),
        ("&Narrow the colour scale", "Ctrl+[", 0.5),
        ("&Fit the colour scale to the values", "Ctrl+\\", None),
    ):
        action = menu.addAction(text)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip("The range of the edge colours (weights or gradients, as shown)")
        action.triggered.connect(lambda _=False, f=factor: window.scale_colours(f))
    menu.addSeparator()
    for text, keys, step in (
        ("Zoom &in", ("Ctrl+=", "Ctrl++"), 1),
        ("Zoom &out", ("Ctrl+-",), -1),
    ):
        action = menu.addAction(text)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setToolTip("Make the diagram and the formulas larger or smaller (for projectors)")
        action.triggered.connect(lambda _=False, s=step: zoom(window, s))
    full = menu.addAction("&Full screen")
    full.setShortcut(QKeySequence("F11"))
    full.setCheckable(True)
    full.toggled.connect(lambda on: window.showFullScreen() if on else window.showNormal())
    menu.addSeparator()
    menu.addAction(window.dock.toggleViewAction())
    return toggles


def zoom(window: MainWindow, step: int) -> None:
    """One step of presentation zoom: the diagram by 15%, the formulas by 2 pt."""
    window.network_view.zoom_by(1.15**step)
    window.lecture.panel.zoom_by(2 * step)


def _check_quietly(action: QAction, on: bool) -> None:
    action.blockSignals(True)
    action.setChecked(on)
    action.blockSignals(False)


def _toggle(menu: QMenu, text: str, shortcut: str, slot) -> QAction:
    action = menu.addAction(text)
    action.setCheckable(True)
    action.setShortcut(QKeySequence(shortcut))
    action.toggled.connect(slot)
    return action


def restore_settings(window: MainWindow) -> None:
    """Window layout and View preferences from the last session (QSettings)."""
    s = window.settings
    geometry = s.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
        window.restoreState(s.value("window/state"))
    else:  # first launch: most of the screen, at most the size the layout was drawn for
        screen = window.screen().availableGeometry()
        window.resize(min(1600, int(screen.width() * 0.9)), min(1000, int(screen.height() * 0.9)))
    for key, action in window.view_actions.items():
        action.setChecked(s.value(f"view/{key}", False, type=bool))


def save_settings(window: MainWindow) -> None:
    """Remember the window layout and View preferences."""
    s = window.settings
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/state", window.saveState())
    for key, action in window.view_actions.items():
        s.setValue(f"view/{key}", action.isChecked())


def shortcut_rows(window: MainWindow) -> list[tuple[str, str]]:
    """(shortcut, what it does) for every menu action that has a shortcut."""
    rows = []
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if not action.isSeparator() and not action.shortcut().isEmpty():
                name = action.text().replace("&", "").replace("▶  ", "").replace("↺  ", "")
                rows.append((action.shortcut().toString(), name))
    return rows


def show_shortcuts(window: MainWindow) -> None:
    """A table of the keyboard shortcuts."""
    rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in shortcut_rows(window))
    QMessageBox.information(window, "Keyboard shortcuts", f"<table cellpadding=4>{rows}</table>")


def show_about(window: MainWindow) -> None:
    """What the app is."""
    QMessageBox.about(
        window,
        f"About {APP_NAME}",
        f"<b>{APP_NAME}</b><br>See backpropagation at work: train small networks and step "
        "through the chain rule with real numbers.",
    )
