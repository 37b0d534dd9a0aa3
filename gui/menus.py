"""The main window's menus, its remembered preferences and its help dialogs.

The keyboard shortcuts are listed from the window's actions themselves
(:func:`shortcut_groups`), for the "?" overlay and for tests: never a second list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMessageBox, QToolBar, QWidget

from gui.lecture.outline import detail_menu, outline_action
from gui.lecture.transport import TransportBar
from gui.presentation import palette
from gui.presentation.shortcuts import Row

if TYPE_CHECKING:
    from gui.diagram.view import NetworkView
    from gui.explore.explorer import Explorer
    from gui.files import SessionFiles
    from gui.lecture.equation_panel import EquationPanel
    from gui.lecture.mode import LectureMode
    from gui.output.view import OutputView
    from gui.plots.training import TrainingPlots
    from gui.presentation.presenter import Presentation
    from gui.understand.tutor import Tutor

APP_NAME = "Backprop Lab"
SHORTCUT_TEXT = "shortcut_text"  # an action's property: its name in the shortcut lists
SHORTCUT_GROUP = "shortcut_group"  # and the group it is listed under (else its menu's)
GROUP_ORDER = ("Lecture", "Training", "File", "Edit", "View", "Data", "Lessons", "Help")


@dataclass(frozen=True)
class MenuParts:
    """What the menus act on: the window's parts, each by itself (never the window)."""

    files: SessionFiles
    exports: QMenu
    explorer: Explorer  # the exploring docks and the Data menu
    tutor: Tutor  # the graph, exercises, gradient check and bug lab, the lesson's texts
    undo_stack: QUndoStack
    training: QToolBar  # its actions make the Training menu
    view: NetworkView
    output: OutputView
    plots: TrainingPlots
    lecture: LectureMode
    presentation: Presentation
    settings_dock: QDockWidget
    scale_colours: Callable[[float | None], None]  # factor, or None to fit the values


def build_menus(window: QMainWindow, parts: MenuParts) -> dict[str, QAction]:
    """File, Edit, View, Lessons, Training and Help in ``window``'s menu bar; returns the
    View toggles by key."""
    bar = window.menuBar()
    files = parts.files
    file_menu = bar.addMenu("&File")
    file_menu.addActions([files.new_action, files.open_action])
    file_menu.addMenu(files.recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([files.save_action, files.save_as_action])
    file_menu.addMenu(parts.exports)
    parts.tutor.fill_file(file_menu)
    file_menu.addSeparator()
    quit_action = file_menu.addAction("&Quit")
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)
    edit = bar.addMenu("&Edit")
    undo = parts.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    redo = parts.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit.addActions([undo, redo])
    toggles = _view_menu(window, parts, bar.addMenu("&View"))
    data = bar.addMenu("&Data")
    parts.explorer.fill_data(data)
    data.menuAction().setVisible(not data.isEmpty())
    files.fill_lessons(bar.addMenu("&Lessons"))
    train = bar.addMenu("&Training")
    train.addActions([a for a in parts.training.actions() if a.text()])
    parts.tutor.fill_training(train)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(parts.presentation.shortcuts_action)
    parts.tutor.fill_help(help_menu)
    help_menu.addAction(f"&About {APP_NAME}", lambda: show_about(window))
    return toggles


def _view_menu(window: QMainWindow, parts: MenuParts, menu: QMenu) -> dict[str, QAction]:
    out, view, plots, lecture = parts.output, parts.view, parts.plots, parts.lecture
    toggles = {
        "gradients": _toggle(
            menu,
            "Show &gradients (dL/dw)",
            "G",
            lambda on: view.set_view("gradients" if on else "weights"),
        ),
        "show_test": _toggle(menu, "Show &test data", "T", out.set_show_test),
        "discretize": _toggle(menu, "&Discretize output", "Shift+D", out.set_discretize),
        "log_y": _toggle(menu, "&Log scale for the loss", "L", plots.set_log_y),
    }
    out.show_test_changed.connect(toggles["show_test"].setChecked)
    out.discretize_changed.connect(toggles["discretize"].setChecked)
    plots.log_y_changed.connect(toggles["log_y"].setChecked)
    menu.addAction(plots.clear_runs_action)
    view.viewChanged.connect(lambda mode: toggles["gradients"].setChecked(mode == "gradients"))
    menu.addSeparator()
    lecture_action = menu.addAction("&Lecture mode: step through the next training step")
    _list_as(lecture_action, "Lecture", "Lecture mode on / off")
    lecture_action.setCheckable(True)
    lecture_action.setShortcut(QKeySequence("Ctrl+L"))
    lecture_action.setToolTip("Pause training and play one step's chain rule with its numbers")
    lecture_action.toggled.connect(lecture.toggle)
    lecture.activeChanged.connect(lambda on: _check_quietly(lecture_action, on))
    leave = menu.addAction("Leave lecture mode")
    _list_as(leave, "Lecture")
    leave.setShortcut(QKeySequence("Esc"))
    leave.triggered.connect(lecture.escape)
    outline = outline_action(window, lecture.controller)
    for action in (outline, lecture.notes.action):
        menu.addAction(action)
        _list_as(action, "Lecture")
    menu.addMenu(detail_menu(window, lecture.controller))
    menu.addActions(list(lecture.choices.actions))  # reveal, pins, the chain rule (C)
    parts.tutor.fill_lecture(menu)
    _list_as(lecture.choices.chain_action, "Lecture", "Chain rule of the clicked weight")
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
        action.triggered.connect(lambda _=False, f=factor: parts.scale_colours(f))
    grow = menu.addAction("Colour scale &grows with the weights")
    grow.setCheckable(True)
    grow.setToolTip(
        "When a weight outgrows the scale, widen it to the next round number (it never"
        " shrinks by itself); widening or narrowing it by hand turns this off"
    )
    grow.toggled.connect(lambda on: setattr(view, "auto_scale", on))
    grow.setChecked(True)  # the window's default: a legend that never saturates
    toggles["auto_scale"] = grow
    menu.addSeparator()
    for text, keys, step in (
        ("Zoom &in", ("Ctrl+=", "Ctrl++"), 1),
        ("Zoom &out", ("Ctrl+-",), -1),
    ):
        action = menu.addAction(text)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setToolTip(
            "While lecturing: all the type larger or smaller, the whole network in view (for "
            "projectors); else the diagram"
        )
        action.triggered.connect(lambda _=False, s=step: zoom(view, lecture.panel, s))
        _list_as(action, "Lecture")
    fit = menu.addAction("Fit the &diagram to the view")
    fit.setShortcut(QKeySequence("Ctrl+0"))
    fit.setToolTip("The whole diagram, and all type at its own size (undo the zoom)")
    fit.triggered.connect(lambda: reset_zoom(view, lecture.panel))
    _list_as(fit, "Lecture", "Fit the diagram, type at its own size (undo the zoom)")
    full = menu.addAction("&Full screen")
    full.setShortcut(QKeySequence("F11"))
    full.setCheckable(True)
    full.toggled.connect(lambda on: window.showFullScreen() if on else window.showNormal())
    _list_as(full, "Lecture")
    menu.addSeparator()
    _presentation_entries(parts.presentation, menu, toggles)
    menu.addSeparator()
    parts.explorer.fill_view(menu)
    menu.addAction(parts.settings_dock.toggleViewAction())
    return toggles


def _presentation_entries(
    presentation: Presentation, menu: QMenu, toggles: dict[str, QAction]
) -> None:
    """View > Palette (radio actions), View > Cursor highlight (remembered) and the blank
    screens."""
    choice = menu.addMenu("&Palette")
    choice.setToolTipsVisible(True)
    choice.addActions(list(presentation.palette_actions.values()))
    menu.addAction(presentation.highlight_action)
    toggles["cursor_highlight"] = presentation.highlight_action
    actions = (presentation.stage_layout.action, *presentation.pen_actions)
    for action in (*actions, *presentation.blank_actions):
        menu.addAction(action)
        _list_as(action, "Lecture")


def _list_as(action: QAction, group: str, text: str = "") -> None:
    """List ``action`` under ``group`` in the shortcut lists, as ``text`` if given."""
    action.setProperty(SHORTCUT_GROUP, group)
    if text:
        action.setProperty(SHORTCUT_TEXT, text)


def zoom(view: NetworkView, panel: EquationPanel, step: int) -> None:
    """One step of zoom.  While lecturing, the type: the diagram's by 15% (it lays itself
    out again, the whole network in view) and the formulas' by 2 pt; else the diagram."""
    if view.presenting:
        view.set_text_scale(view.text_scale * 1.15**step)
    else:
        view.zoom_by(1.15**step)
    panel.zoom_by(2 * step)


def reset_zoom(view: NetworkView, panel: EquationPanel) -> None:
    """Ctrl+0: the whole diagram, and all type at its own size."""
    view.reset_zoom()
    panel.reset_size()


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


def screen_key(window: QMainWindow) -> str:
    """The settings group of the screen ``window`` is on: its layout is remembered per
    screen ("window/HDMI-1 1280x720"), so the projector's and the laptop's each come back."""
    screen = window.screen()
    size = screen.geometry().size()
    name = re.sub(r"[/\\]", "-", screen.name()) or "screen"
    return f"window/{name} {size.width()}x{size.height()}"


def restore_settings(
    window: QMainWindow,
    s: QSettings,
    toggles: dict[str, QAction],
    presentation: Presentation,
) -> None:
    """``window``'s layout on its screen and the View preferences (``toggles``, the
    palette) from the last session (QSettings ``s``)."""
    where = screen_key(window)
    geometry = s.value(f"{where}/geometry", s.value("window/geometry"))
    if geometry is not None:
        window.restoreGeometry(geometry)
        window.restoreState(s.value(f"{where}/state", s.value("window/state")))
    else:  # first launch: most of the screen, at most the size the layout was drawn for
        screen = window.screen().availableGeometry()
        window.resize(min(1600, int(screen.width() * 0.9)), min(1000, int(screen.height() * 0.9)))
    for key, action in toggles.items():
        action.setChecked(s.value(f"view/{key}", action.isChecked(), type=bool))
    name = s.value("view/palette", palette.STANDARD.name, type=str)
    presentation.set_palette(name if name in palette.PALETTES else palette.STANDARD.name)


def save_settings(
    window: QMainWindow,
    s: QSettings,
    toggles: dict[str, QAction],
    presentation: Presentation,
) -> None:
    """Remember ``window``'s layout on its screen (with the training toolbar as it is
    outside lecture mode) and the View preferences."""
    where = screen_key(window)
    s.setValue(f"{where}/geometry", window.saveGeometry())  # size, place, full screen
    toolbar, hidden = presentation.toolbar, presentation.toolbar.isHidden()
    toolbar.setHidden(not presentation.studio_toolbar_shown())  # as outside lectures
    s.setValue(f"{where}/state", window.saveState())  # the docks: the lecture's too
    toolbar.setHidden(hidden)
    for key, action in toggles.items():
        s.setValue(f"view/{key}", action.isChecked())
    s.setValue("view/palette", presentation.palette_name)


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


def shortcut_groups(window: QMainWindow) -> list[tuple[str, list[Row]]]:
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


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(shortcut, what it does) for every key of every action with a shortcut."""
    return [
        (key, row.text) for _, rows in shortcut_groups(window) for row in rows for key in row.keys
    ]


def show_about(window: QWidget) -> None:
    """What the app is."""
    QMessageBox.about(
        window,
        f"About {APP_NAME}",
        f"<b>{APP_NAME}</b><br>See backpropagation at work: train small networks and step "
        "through the chain rule with real numbers.",
    )
