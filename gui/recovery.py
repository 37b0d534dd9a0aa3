"""Autosave and recovery: unsaved work survives a crash or a kill.

While a window has unsaved changes or training progress, :class:`Autosave` writes a
recovery copy of its session every minute and whenever training pauses, atomically
(:func:`core.session.storage.write_text`), into the app-data folder.  A clean exit
or a save removes it.  The next launch finds what a crash left (:func:`offer_recovery`)
and offers to restore it, saying when it was written and at which epoch.

A recovery copy is one line of JSON about it (when, which epoch, the session's own
file, the folder its relative CSV paths start from and whether the user let its CSV file
lie outside that folder), then the session exactly as
``dumps_session`` writes it, so restoring checks it like any session file.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, Slot
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from core.session.format import Session, SessionError, dumps_session, loads_session
from core.session.storage import read_text, remove_stale_temps, write_text

INTERVAL_MS = 60_000  # a recovery copy at least once a minute while there is unsaved work
SUFFIX = ".recovery"

folder_override: Path | None = None
"""Where recovery copies go instead of the app-data folder (tests set it to tmp_path)."""


def recovery_folder() -> Path:
    """The folder of recovery copies: ``recovery`` in the platform's app-data folder."""
    if folder_override is not None:
        return Path(folder_override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".backprop-lab") / "recovery"


@dataclass(frozen=True)
class RecoveryCopy:
    """A recovery copy found on disk: its file and what its first line says."""

    file: Path
    saved_at: float  # seconds since the epoch (time.time)
    epoch: int
    name: str
    path: Path | None  # the session's own file, if it had one
    base_dir: Path  # where its relative CSV paths start
    allow_outside: bool = False  # the user had let its CSV file lie outside base_dir

    def describe(self) -> str:
        """“name”, the time it was written and the epoch, for the question."""
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        return f"“{self.name}”, saved automatically at {when} (epoch {self.epoch:,})"

    def restore(self) -> Session:
        """The session it holds, checked like any session file; it belongs to its own file
        again (Save writes there), if it had one."""
        text = read_text(self.file, str(self.file))
        body = text.split("\n", 1)[1] if "\n" in text else ""
        session = loads_session(body, self.base_dir, str(self.file), self.allow_outside)
        session.path = self.path
        return session

    def discard(self) -> None:
        """Remove the copy (restored or declined: it has done its job)."""
        self.file.unlink(missing_ok=True)


def find_copies(folder: Path | None = None) -> list[RecoveryCopy]:
    """The recovery copies in ``folder`` (default: recovery_folder()), newest first.

    A file whose first line cannot be read is skipped (and left alone)."""
    found = []
    for file in sorted((folder or recovery_folder()).glob(f"*{SUFFIX}")):
        try:
            with open(file, encoding="utf-8") as stream:
                about = json.loads(stream.readline())
            path = about.get("path")
            found.append(
                RecoveryCopy(
                    file=file,
                    saved_at=float(about["saved_at"]),
                    epoch=int(about["epoch"]),
                    name=str(about["name"]),
                    path=None if path is None else Path(path),
                    base_dir=Path(about["base_dir"]),
                    allow_outside=about.get("allow_outside") is True,
                )
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    return sorted(found, key=lambda copy: copy.saved_at, reverse=True)


def _remove_stale_temps(folder: Path) -> None:
    """Remove what copies killed while being written left (``.NAME.recovery.xxxxxxxx.tmp``):
    each window writes its own file, so no later save of the same name would."""
    for temp in folder.glob(f".*{SUFFIX}.*.tmp"):
        remove_stale_temps(folder / temp.name[1:].rsplit(".", 2)[0])


def ask_restore(parent: QWidget | None, copy: RecoveryCopy) -> bool:
    """Restore (True) or Discard (False) the unsaved work a crash left."""
    box = QMessageBox(QMessageBox.Icon.Question, "Restore unsaved work", "", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the name comes from a file
    box.setText(
        "Backprop Lab did not close properly last time. Restore the unsaved work on "
        f"{copy.describe()}?"
    )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Discard)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def offer_recovery(
    parent: QWidget | None = None,
    folder: Path | None = None,
    ask: Callable[[QWidget | None, RecoveryCopy], bool] = ask_restore,
    tell: Callable[[QWidget | None, str], None] | None = None,
) -> Session | None:
    """After a crash: offer the newest recovery copy; the session to open if the user
    restores it, else None.  The copy is removed either way (the window that opens
    writes its own); one that cannot be read is said so (``tell``) and removed."""
    _remove_stale_temps(folder or recovery_folder())
    copies = find_copies(folder)
    if not copies:
        return None
    newest = copies[0]
    if not ask(parent, newest):
        newest.discard()
        return None
    try:
        session = newest.restore()
    except SessionError as exc:
        (tell or _tell)(parent, f"The unsaved work could not be restored: {exc}")
        return None
    finally:
        newest.discard()
    return session


def _tell(parent: QWidget | None, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "Restore unsaved work", "", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.exec()


def mark_restored(window: QMainWindow) -> None:
    """A window opened on a restored session shows it unsaved until it is saved."""
    window.model.undo_stack.resetClean()  # never clean until saved: mark_saved sets it


class Autosave(QObject):
    """Recovery copies of one window's session while it has unsaved work.

    ``session`` gives the session to write (its weights are the trainer's newest),
    ``unsaved`` whether there is work a crash would lose, ``epoch`` the epoch to tell.
    ``clock`` stamps each copy and ``timer`` (default: a QTimer of INTERVAL_MS) calls
    :meth:`tick`; tests give their own and call :meth:`tick` by hand.
    """

    def __init__(
        self,
        parent: QObject,
        session: Callable[[], Session],
        unsaved: Callable[[], bool],
        epoch: Callable[[], int],
        folder: Path | None = None,
        clock: Callable[[], float] = time.time,
        timer: QTimer | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._unsaved, self._epoch = session, unsaved, epoch
        self.folder = folder or recovery_folder()
        self.file = self.folder / f"{secrets.token_hex(6)}{SUFFIX}"  # one per window
        self.clock = clock
        self.problem = ""  # why the last copy could not be written ("" if it was)
        self.timer = timer or QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    @Slot()
    def tick(self) -> None:
        """Write a recovery copy if there is unsaved work, else remove the old one."""
        if self._unsaved():
            self.write()
        else:
            self.discard()

    @Slot(bool)
    def on_playing(self, playing: bool) -> None:
        """Training paused: keep what it reached."""
        if not playing:
            self.tick()

    def write(self) -> bool:
        """Write the recovery copy now; False (and ``problem`` says why) if it could not
        be written: a diverged network or a full disk must not stop the window."""
        session = self._session()
        about = {
            "saved_at": self.clock(),
            "epoch": int(self._epoch()),
            "name": session.name,
            "path": None if session.path is None else str(session.path),
            "base_dir": str(session.base_dir()),
            "allow_outside": session.allow_outside,  # as the user allowed it, so restored
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            head = json.dumps(about, ensure_ascii=True)
            write_text(self.file, head + "\n" + dumps_session(session), replace_read_only=True)
        except (OSError, SessionError) as exc:
            self.problem = str(exc)
            return False
        self.problem = ""
        return True

    def discard(self) -> None:
        """Remove this window's recovery copy (saved, or closed cleanly)."""
        self.file.unlink(missing_ok=True)

    def stop(self) -> None:
        """The window closes cleanly: no more copies, and none left behind."""
        self.timer.stop()
        self.discard()


def autosave_for(window: QMainWindow) -> Autosave:
    """An Autosave of ``window``'s session: written every minute and on every pause while
    the window shows unsaved work, removed when the window saves.  Uses the window's
    ``model``, ``worker``, ``files`` and ``latest`` snapshot."""
    autosave = Autosave(
        window,
        session=lambda: window.model.session,
        unsaved=window.isWindowModified,
        epoch=lambda: window.latest.epoch if window.latest is not None else 0,
    )
    window.worker.playingChanged.connect(autosave.on_playing)
    window.files.saved.connect(lambda _path: autosave.discard())
    return autosave
