"""The main window's menus, its remembered preferences and its help dialogs.

The keyboard shortcuts are listed from the window's actions themselves
(:func:`shortcut_groups`), for the "?" overlay and for tests: never a second list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from gui.lecture.transport import TransportBar
from gui.presentation import palette
from gui.presentation.shortcuts import Row

if TYPE_CHECKING:
    from gui.main_window import MainWindow

APP_NAME = "Backprop Lab"
SHORTCUT_TEXT = "shortcut_text"  # an action's property: its name in the shortcut lists
SHORTCUT_GROUP = "shortcut_group"  # and the group it is listed under (else its menu's)
GROUP_ORDER = ("Lecture", "Training", "File", "Edit", "View", "Lessons", "Help")


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
    help_menu.addAction(window.presentation.shortcuts_action)
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
    _list_as(lecture, "Lecture", "Lecture mode on / off")
    lecture.setCheckable(True)
    lecture.setShortcut(QKeySequence("Ctrl+L"))
    lecture.setToolTip("Pause training and play one step's chain rule with its numbers")
    lecture.toggled.connect(window.on_lecture_mode)
    window.lecture.activeChanged.connect(lambda on: _check_quietly(lecture, on))
    leave = menu.addAction("Leave lecture mode")
    _list_as(leave, "Lecture")
    leave.setShortcut(QKeySequence("Esc"))
    leave.triggered.connect(window.lecture.leave_by_user)
    menu.addSeparator()
    for text, shortcut, factor in (
        ("&Widen the colour scale", "Ctrl+]", 2.0),
        ("&Narrow the colour scale", "Ctrl+[", 0.5),
        ("&Fit the colour scale to the values", "Ctrl+\\", None),
    ):
        action = menu.addAction(text)
        action.setProperty(SHORTCUT_TEXT, text.replace("&", "").removesuffix(" to the values"))
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
        _list_as(action, "Lecture")
    fit = menu.addAction("Fit the &diagram to the view")
    fit.setShortcut(QKeySequence("Ctrl+0"))
    fit.triggered.connect(window.network_view.reset_zoom)
    _list_as(fit, "Lecture", "Fit the diagram (undo the zoom)")
    full = menu.addAction("&Full screen")
    full.setShortcut(QKeySequence("F11"))
    full.setCheckable(True)
    full.toggled.connect(lambda on: window.showFullScreen() if on else window.showNormal())
    _list_as(full, "Lecture")
    menu.addSeparator()
    _presentation_entries(window, menu, toggles)
    menu.addSeparator()
    menu.addAction(window.dock.toggleViewAction())
    return toggles


def _presentation_entries(window: MainWindow, menu: QMenu, toggles: dict[str, QAction]) -> None:
    """View > Palette (radio actions) and View > Cursor highlight (remembered)."""
    presentation = window.presentation
    choice = menu.addMenu("&Palette")
    choice.setToolTipsVisible(True)
    choice.addActions(list(presentation.palette_actions.values()))
    menu.addAction(presentation.highlight_action)
    toggles["cursor_highlight"] = presentation.highlight_action


def _list_as(action: QAction, group: str, text: str = "") -> None:
    """List ``action`` under ``group`` in the shortcut lists, as ``text`` if given."""
    action.setProperty(SHORTCUT_GROUP, group)
    if text:
        action.setProperty(SHORTCUT_TEXT, text)


def apply_palette(window: MainWindow, name: str) -> None:
    """Draw the window with palette ``name`` (a key of gui.presentation.palette.PALETTES:
    "standard", "high_contrast" or "colour_blind"), as View > Palette does;
    ValueError if unknown."""
    window.presentation.set_palette(name)


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
    name = s.value("view/palette", palette.STANDARD.name, type=str)
    apply_palette(window, name if name in palette.PALETTES else palette.STANDARD.name)


def save_settings(window: MainWindow) -> None:
    """Remember the window layout and View preferences."""
    s = window.settings
    s.setValue("window/geometry", window.saveGeometry())
    toolbar, hidden = window.controls, window.controls.isHidden()
    toolbar.setHidden(not window.presentation.studio_toolbar_shown())  # as outside lectures
    s.setValue("window/state", window.saveState())
    toolbar.setHidden(hidden)
    for key, action in window.view_actions.items():
        s.setValue(f"view/{key}", action.isChecked())
    s.setValue("view/palette", window.presentation.palette_name)


def shortcut_text(action: QAction) -> str:
    """What ``action`` does, for the shortcut lists: its SHORTCUT_TEXT property, else its
    menu text without the accelerator and leading symbols ('▶  Play' -> 'Play')."""
    text = action.property(SHORTCUT_TEXT)
    if text:
        return str(text)
    return re.sub(r"^[^\w(]+", "", action.text().replace("&", "")).strip()


def _menu_actions(menu: QMenu) -> list[QAction]:
    """Every action of ``menu`` and of its submenus."""
    found = []
    for action in menu.actions():
        found += _menu_actions(action.menu()) if action.menu() else [action]
    return found


def shortcut_groups(window: MainWindow) -> list[tuple[str, list[Row]]]:
    """The window's keyboard shortcuts, grouped, from its actions as they are now: the
    lecture's transport and the presentation keys first, then each menu's."""
    sources = [("Lecture", a) for bar in window.findChildren(TransportBar) for a in bar.actions()]
    for menu_action in window.menuBar().actions():
        title = menu_action.text().replace("&", "")
        sources += [(title, a) for a in _menu_actions(menu_action.menu())]
    groups: dict[str, list[Row]] = {}
    seen: set[QAction] = set()
    for title, action in sources:
        if action in seen or action.isSeparator() or not action.shortcuts():
            continue
        seen.add(action)
        keys = tuple(k.toString() for k in action.shortcuts())
        group = action.property(SHORTCUT_GROUP) or title
        groups.setdefault(group, []).append(Row(keys, shortcut_text(action)))
    rank = {name: k for k, name in enumerate(GROUP_ORDER)}
    return sorted(groups.items(), key=lambda item: rank.get(item[0], len(rank)))


def shortcut_rows(window: MainWindow) -> list[tuple[str, str]]:
    """(shortcut, what it does) for every key of every action with a shortcut."""
    return [
        (key, row.text) for _, rows in shortcut_groups(window) for row in rows for key in row.keys
    ]


def show_about(window: MainWindow) -> None:
    """What the app is."""
    QMessageBox.about(
        window,
        f"About {APP_NAME}",
        f"<b>{APP_NAME}</b><br>See backpropagation at work: train small networks and step "
        "through the chain rule with real numbers.",
    )
