"""Session files in the window: New, Open, Save, Save As, recent files and the lessons menu.

Dialogs go through small methods (``ask_open_path``, ``ask_save_path``,
``ask_replace_read_only``, ``ask_allow_outside``, ``show_error``) so tests can replace
only the dialogs and run the real code paths.  A save that fails for any reason says so and
returns False: the caller (closing the window, opening another session) stays.

Every file is opened through :meth:`SessionFiles.open_path`, which reads it in a worker
thread (:mod:`gui.opening`): a large file never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from core.session import lessons
from core.session.format import Session, SessionError, load_session, save_session
from core.session.lessons import DEFAULT_LESSON, inside_installation, is_builtin
from core.session.storage import ReadOnlyFile, safe_file_name
from gui.opening import SessionLoader

FILTER = "Backprop Lab sessions (*.json);;CSV data to import (*.csv);;All files (*)"
MAX_RECENT = 8
MAX_LINES, MAX_CHARS = 25, 8000  # of a message box's text
OUTSIDE = "is outside the session's folder"  # how core.data.files refuses such a CSV file


def open_session(path: str | Path, allow_outside: bool = False) -> Session:
    """Load a session file or built-in lesson (by name); any problem becomes a SessionError.
    Its CSV file must lie in the session's folder or below unless ``allow_outside``."""
    try:
        return load_session(lessons.resolve(path), allow_outside)
    except OSError as exc:
        raise SessionError([f"cannot read the file: {exc.strerror or exc}"], str(path)) from exc


def bounded(text: str) -> str:
    """``text`` cut to at most MAX_LINES lines and MAX_CHARS characters, saying what was cut
    (a message box must fit on the screen whatever a file or an exception says)."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], f"… and {len(lines) - MAX_LINES + 1:,} more lines"]
    text = "\n".join(lines)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def refused_outside(error: BaseException | None) -> bool:
    """Whether ``error`` is a session refused (also) for a CSV file outside its folder."""
    return isinstance(error, SessionError) and any(OUTSIDE in p for p in error.problems)


def suggested_name(session: Session) -> str:
    """The file name a Save dialog proposes: the session's name, safe on every platform."""
    return f"{safe_file_name(session.name or '', 'session')}.json"


class SessionFiles(QObject):
    """The File menu's actions for a window; emits the session to show."""

    opened = Signal(object)  # a Session to show (new, opened, lesson or recent)
    saved = Signal(object)  # the Path written
    csvRequested = Signal(object)  # a .csv was opened: the import dialog takes it

    def __init__(self, window: QWidget, settings: QSettings) -> None:
        super().__init__(window)
        self.window, self.settings = window, settings
        self.new_action = self._action("&New", QKeySequence.StandardKey.New, self.new)
        self.open_action = self._action("&Open…", QKeySequence.StandardKey.Open, self.open)
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, None)
        self.save_as_action = self._action("Save &As…", QKeySequence("Ctrl+Shift+S"), None)
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.loader = SessionLoader(window)
        self._read: Session | None = None  # what the last load read (open_path's wait)

    def _action(self, text, shortcut, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(shortcut)
        if slot is not None:
            action.triggered.connect(slot)
        return action

    # --- dialogs (tests replace these two) ---

    def ask_open_path(self) -> str:
        """The file the user picks to open ('' for cancel)."""
        return QFileDialog.getOpenFileName(self.window, "Open session", self.folder(), FILTER)[0]

    def ask_save_path(self, suggestion: str) -> str:
        """The file the user picks to save to ('' for cancel)."""
        start = str(Path(self.folder()) / suggestion)
        return QFileDialog.getSaveFileName(self.window, "Save session", start, FILTER)[0]

    def ask_replace_read_only(self, path: Path) -> bool:
        """Whether to replace the read-only file ``path`` (it stays read-only)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Save session", "", parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file name is not markup
        box.setText(f"{path} is read-only. Replace it anyway?")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def ask_allow_outside(self, path: Path, message: str) -> bool:
        """Whether to read the session ``path`` although its CSV file lies outside its folder
        (``message`` says which file)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Open session", "", parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the message quotes the file
        box.setText(f"{message}\n\nRead that file anyway? Only do so if you trust the session.")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def show_error(self, title: str, text: str) -> None:
        """Tell the user what went wrong, as plain text (it quotes files and their names)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, "", parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.exec()

    def folder(self) -> str:
        """Where Save and Export dialogs start: the last folder used, else the user's
        documents; never the app's own lessons or resources."""
        last = str(self.settings.value("files/folder", ""))
        if last and Path(last).is_dir() and not inside_installation(last):
            return last
        documents = QStandardPaths.DocumentsLocation
        return QStandardPaths.writableLocation(documents) or str(Path.home())

    # --- actions ---

    def new(self) -> None:
        """A new, untitled session: the default lesson's set-up."""
        try:
            session = open_session(DEFAULT_LESSON)
        except SessionError as exc:
            self._error("New session", exc)
            return
        session.path, session.name = None, "Untitled"
        self.opened.emit(session)

    def open(self) -> None:
        """Ask for a session file and open it."""
        path = self.ask_open_path()
        if path:
            self.open_path(path)

    def open_path(
        self, path: str | Path, remember: bool = True, wait: bool = False
    ) -> Session | None:
        """Open ``path``: read in a worker thread, then ``opened`` on the GUI thread; errors
        are shown, not raised.  Returns None at once, or with ``wait`` once the load is over
        (the GUI thread serving events meanwhile): the session read, None if it was refused
        or cancelled."""
        self._read = None
        if str(path).lower().endswith(".csv"):  # data, not a session: Data > Import CSV…
            self.csvRequested.emit(Path(path))
            return None
        self._load(path, remember, allow_outside=False)
        if not wait:
            return None
        self.loader.wait()
        return self._read

    def _load(self, path: str | Path, remember: bool, allow_outside: bool) -> None:
        """Read ``path`` in a worker thread; _loaded takes the result on the GUI thread."""

        def read() -> Session:
            return open_session(path, allow_outside)  # looked up here, so tests can replace it

        def done(session: Session | None, error: BaseException | None) -> None:
            self._loaded(path, remember, allow_outside, session, error)

        self.loader.start(read, f"Opening {Path(path).name}…", done)

    def _loaded(
        self,
        path: str | Path,
        remember: bool,
        allow_outside: bool,
        session: Session | None,
        error: BaseException | None,
    ) -> None:
        """A load's result: the session to show, a question, or the error shown."""
        if error is not None:
            asked = not allow_outside and refused_outside(error)
            if asked and self.ask_allow_outside(Path(path), str(error)):
                self._load(path, remember, allow_outside=True)  # the user's permission
                return
            self._error("Open session", error)
            return
        self._read = session
        if remember:
            self.remember(Path(path))
        self.opened.emit(session)

    def save(
        self,
        session: Session,
        path: str | Path | None = None,
        prepare: Callable[[Session], None] | None = None,
    ) -> bool:
        """Write ``session`` (to its own path unless given; a new session or a built-in
        lesson asks where, as Save As), after ``prepare(session)`` if given; False if
        cancelled or failed, whatever the failure (it is shown, never raised)."""
        target = path or session.path
        if target is None or is_builtin(target):
            target = self.ask_save_path(suggested_name(session))
            if not target:
                return False
        try:
            if prepare is not None:
                prepare(session)
            written = self._write(session, Path(target))
        except Exception as exc:  # noqa: BLE001 (any failure: keep the work and say why)
            self._error("Save session", exc)
            return False
        if written is None:
            return False
        self.remember(written)
        self.saved.emit(written)
        return True

    def _write(self, session: Session, target: Path) -> Path | None:
        """save_session, asking before a read-only file is replaced; None if not allowed."""
        try:
            return save_session(session, target)
        except ReadOnlyFile:
            if not self.ask_replace_read_only(target):
                return None
        return save_session(session, target, replace_read_only=True)

    def save_as(self, session: Session, prepare: Callable[[Session], None] | None = None) -> bool:
        """Ask where, then save."""
        target = self.ask_save_path(suggested_name(session))
        return bool(target) and self.save(session, target, prepare)

    # --- recent files ---

    def recent(self) -> list[str]:
        """The recently used session files, newest first."""
        value = self.settings.value("files/recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def remember(self, path: Path) -> None:
        """Put ``path`` first in the recent files and remember its folder."""
        name = str(Path(path).resolve())
        recent = [name] + [p for p in self.recent() if p != name]
        self.settings.setValue("files/recent", recent[:MAX_RECENT])
        self.settings.setValue("files/folder", str(Path(name).parent))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for name in self.recent():
            action = self.recent_menu.addAction(Path(name).name)
            action.setToolTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_path(n))
        self.recent_menu.setEnabled(bool(self.recent()))

    def fill_lessons(self, menu: QMenu) -> None:
        """One entry per built-in lesson."""
        for entry in lessons.entries():
            action = menu.addAction(entry.title)
            action.setToolTip(entry.summary)
            action.setStatusTip(entry.summary)
            action.triggered.connect(
                lambda _=False, p=entry.path: self.open_path(p, remember=False)
            )

    def _error(self, title: str, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, SessionError) else f"{type(exc).__name__}: {exc}"
        self.show_error(title, bounded(text.encode("utf-8", "backslashreplace").decode("utf-8")))
