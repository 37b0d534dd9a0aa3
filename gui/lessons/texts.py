"""The lesson's texts in the window: what the tutor (gui.understand) hands the session and
the menus to.  It owns the lesson panel above the diagram, Help > About this lesson,
Help > Glossary (linked from the equation panel) and File > Lesson properties.

The panel comes back for every lesson opened (a new session, not an edit of this one)
unless the learner ticked "Don't show for other lessons", which the window's settings
keep.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from core.session.format import Session
from gui.lessons.glossary import GlossaryDialog
from gui.lessons.links import FormulaLinks
from gui.lessons.panel import LessonPanel
from gui.lessons.properties import PropertiesDialog, Texts, TextsEdit, texts_of

HIDDEN_KEY = "lessons/panel_hidden"  # the settings' "don't show the panel again"
ABOUT_KEYS, GLOSSARY_KEYS, PROPERTIES_KEYS = "Shift+F1", "Ctrl+F1", "F2"


class LessonTexts(QObject):
    """The lesson panel, the glossary and the properties dialog of ``window``, editing
    through the session ``model``; ``lecture`` gives the equation panel to link."""

    def __init__(self, window: QMainWindow, model, lecture) -> None:
        super().__init__(window)
        self.window, self.model, self.lecture = window, model, lecture
        self.settings: QSettings = getattr(window, "settings", None) or QSettings()
        self.session: Session | None = None
        self.panel = LessonPanel()
        self.panel.never.setChecked(_flag(self.settings.value(HIDDEN_KEY, False)))
        self.panel.dismissed.connect(self._on_dismissed)
        centre = window.network_view.parentWidget().layout()
        centre.insertWidget(0, self.panel)  # above the banner and the diagram
        window.installEventFilter(self)  # the panel's height follows the window's
        self.glossary: GlossaryDialog | None = None
        self.links = FormulaLinks(lecture.panel, self.open_glossary)
        self._lectured = False  # the panel made way for lecture mode and comes back after it
        lecture.activeChanged.connect(self._on_lecture)
        self.about_action = self._action("About this &lesson", ABOUT_KEYS, self.show_about)
        self.about_action.setToolTip("The lesson's description, what to look at and what to try")
        self.glossary_action = self._action("&Glossary", GLOSSARY_KEYS, self.open_glossary)
        self.glossary_action.setToolTip("The app's notation, one entry per symbol, searchable")
        self.properties_action = self._action(
            "Lesson &properties…", PROPERTIES_KEYS, self.edit_properties
        )
        self.properties_action.setToolTip(
            "Edit the lesson's name, description, what to look at and what to try"
        )

    def _action(self, text: str, keys: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda *_: slot())
        return action

    # --- the tutor's calls ---

    def set_session(self, session: Session) -> None:
        """A session is shown: a newly opened one brings its panel up (unless the learner
        asked not to); an edited or restarted one keeps the panel as it is, with its texts."""
        opened, self.session = session is not self.session, session
        if (opened and not self.panel.never.isChecked()) or not self.panel.isHidden():
            self.panel.show_session(session)

    def fill_help(self, menu: QMenu) -> None:
        """Help > About this lesson and Help > Glossary (the other menus are built by
        now: Esc outside lecture mode closes the panel too)."""
        menu.addActions([self.about_action, self.glossary_action])
        escape = QKeySequence("Esc")
        for action in self.window.findChildren(QAction):
            if escape in action.shortcuts():
                action.triggered.connect(self._on_escape)

    def _on_escape(self) -> None:
        if not self.panel.isHidden() and not self.lecture.active:
            self.panel.dismiss()

    def fill_file(self, menu: QMenu) -> None:
        """File > Lesson properties…"""
        menu.addAction(self.properties_action)

    # --- the actions ---

    def show_about(self) -> None:
        """Show the lesson panel (Help > About this lesson), whatever was chosen before."""
        if self.session is not None and not self.panel.show_session(self.session):
            self.window.statusBar().showMessage(
                "This session has no description yet: File > Lesson properties… adds one.", 8000
            )

    def open_glossary(self, key: str | None = None) -> GlossaryDialog:
        """Open the glossary (made on first use), at the entry ``key`` if given."""
        if self.glossary is None:
            self.glossary = GlossaryDialog(self.window)
        if key:
            self.glossary.show_entry(key)
        else:
            self.glossary.show()
            self.glossary.raise_()
        return self.glossary

    def properties_dialog(self) -> PropertiesDialog:
        """A dialog on the current texts."""
        return PropertiesDialog(texts_of(self.model.session), self.window)

    def edit_properties(self) -> bool:
        """File > Lesson properties: the texts edited in the dialog, applied as one undo
        step; False when cancelled or nothing changed."""
        dialog = self.properties_dialog()
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return accepted and self.apply_texts(dialog.texts())

    def apply_texts(self, texts: Texts) -> bool:
        """Give the session ``texts`` as one undo step (nothing restarts); False when they
        are what it has."""
        before = texts_of(self.model.session)
        if texts == before:
            return False
        self.model.undo_stack.push(TextsEdit(self.model, before, dict(texts), self._texts_changed))
        return True

    def _texts_changed(self) -> None:
        """After an edit or its undo: the title and the panel show the texts now."""
        self.model.dirtyChanged.emit(self.model.dirty)  # the window's title reads the name
        if not self.panel.isHidden():
            self.panel.show_session(self.model.session)

    def _on_lecture(self, on: bool) -> None:
        """Lecture mode needs the room: the panel goes while it lasts and comes back after."""
        if on and not self.panel.isHidden():
            self._lectured = True
            self.panel.hide()
        elif not on and self._lectured:
            self._lectured = False
            self.panel.show_session(self.model.session)

    def _on_dismissed(self, never: bool) -> None:
        self.settings.setValue(HIDDEN_KEY, never)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self.panel.fit_height(self.window.height())
        return super().eventFilter(watched, event)


def _flag(value: object) -> bool:
    """A boolean from QSettings (an ini file gives back the string "true")."""
    return value is True or str(value).lower() == "true"
