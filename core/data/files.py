"""Where a session may read data from, and how a data file is opened.

A session file is untrusted input, and its ``"csv"`` path is too: without a rule,
``"/etc/shadow"``, ``"/proc/self/environ"`` or ``"../../../../etc/hostname"``
would be read and their first line echoed in an error message.  So a session
reads data only from its own folder and below (symbolic links followed first),
unless its caller passes ``allow_outside=True`` (a command line flag or a question
the window asks); anything that is not a regular file (a device, a FIFO, a folder)
and the system's pseudo-files (``/proc``, ``/sys``, ``/dev``) are refused even then.
Messages quote a file's text only as a short, sanitised :func:`excerpt`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO

PSEUDO_FOLDERS = ("/proc", "/sys", "/dev")  # files there are views of the system, not data
MAX_EXCERPT = 16  # characters of a file's text that a message may quote
MAX_NAME = 100  # characters of a path as given that a message repeats


class FileRefused(ValueError):
    """Why the data file that a session names cannot be read (core.data.tabular reports
    it at the JSON path data.csv)."""


def excerpt(text: str, limit: int = MAX_EXCERPT) -> str:
    """``text`` quoted for a message: printable characters only (others become '?'),
    at most ``limit`` of them, then "..."."""
    cut = text[: limit + 1]
    clean = "".join(c if c.isprintable() else "?" for c in cut)
    clean = clean.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become '?'
    return repr(clean if len(clean) <= limit else clean[:limit] + "...")


def shown(name: str) -> str:
    """A path as given, for a message: quoted, sanitised and at most MAX_NAME characters."""
    return excerpt(name, MAX_NAME)


def resolve_data_file(
    name: object, base_dir: Path | None, max_bytes: int, allow_outside: bool = False
) -> Path:
    """The regular file that the session's path ``name`` points to, relative to
    ``base_dir`` (the session's folder; the working folder when None).

    Raises FileRefused for a path that is not text, leads outside
    ``base_dir`` (unless ``allow_outside``), into a pseudo-file system, to nothing,
    to anything but a regular file, or to a file over ``max_bytes``.
    """
    if not isinstance(name, str) or not name.strip():
        raise FileRefused('expected the path of a CSV file, e.g. "data/points.csv"')
    if "\x00" in name:
        raise FileRefused(f"{shown(name)} holds a NUL character; no file has one")
    base = Path.cwd() if base_dir is None else Path(base_dir)
    file = base / name  # an absolute name replaces base
    try:
        real, folder = file.resolve(), base.resolve()
        info = real.stat() if real.exists() else None
    except (OSError, RuntimeError, ValueError) as err:  # a link loop, an unreadable folder
        raise FileRefused(f"cannot open {shown(name)}: {_reason(err)}") from None
    if not allow_outside and not real.is_relative_to(folder):
        raise FileRefused(
            f"{shown(name)} is outside the session's folder; a session reads data only from "
            "its own folder and below: copy the file there",
        )
    if any(real.is_relative_to(pseudo) for pseudo in PSEUDO_FOLDERS):
        raise FileRefused(f"{shown(name)} is a system file, not a data file")
    if info is None:
        raise FileRefused(f"file not found: {shown(name)} (looked for {file})")
    if stat.S_ISDIR(info.st_mode):
        raise FileRefused(f"{shown(name)} is not a file (resolved to {real})")
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(f"{shown(name)} is a device or a pipe, not a regular file")
    if info.st_size > max_bytes:
        raise FileRefused(
            f"{shown(name)} is {info.st_size / 2**20:.1f} MB; files over 50 MB are refused"
        )
    return real


def open_regular(path: Path) -> TextIO:
    """``path`` opened as UTF-8 text (a byte order mark skipped), refused with an
    OSError if it is not a regular file by the time it is opened: it is opened without
    blocking (a FIFO swapped in after the check must not hang the app) and checked on
    the open descriptor, not the name."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        return open(fd, encoding="utf-8-sig", newline="")
    except BaseException:
        os.close(fd)
        raise


def _reason(err: BaseException) -> str:
    return getattr(err, "strerror", None) or type(err).__name__


def relative_csv(data: dict, folder: Path) -> dict:
    """``data`` with an absolute CSV path (an import into an unsaved session) written
    relative to ``folder``, the session file's; unchanged on another drive (Windows)."""
    name = data.get("csv")
    if not isinstance(name, str) or not Path(name).is_absolute():
        return data
    try:
        return {**data, "csv": Path(os.path.relpath(name, folder.resolve())).as_posix()}
    except ValueError:  # another drive: no relative path exists
        return data
