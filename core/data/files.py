"""Where a session may read data from, and how a data file is opened.

A session file is untrusted input, and its ``"csv"`` path is too: without a rule,
``"/etc/shadow"``, ``"/proc/self/environ"`` or ``"../../../../etc/hostname"``
would be read and their first line echoed in an error message.  So a session
reads data only from its own folder and below (symbolic links followed first),
unless its caller passes ``allow_outside=True`` (a command line flag or a question
the window asks); anything that is not a regular file (a device, a FIFO, a folder)
and the system's pseudo-files (``/proc``, ``/sys``, ``/dev``) are refused even then.
The data the app ships (``resources/data``: public data sets that the built-in lessons
read) is readable from anywhere.  Messages quote a file's text only as a short, sanitised
:func:`excerpt`.

A file whose name ends in ``.gz`` is gzip-compressed: :func:`open_data` unpacks it while
it is read, and stops with a one-sentence OSError when it is damaged or unpacks to more
than a limit (a small file can unpack to gigabytes: a decompression bomb).
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from importlib.resources import files
from pathlib import Path
from typing import BinaryIO, TextIO

PSEUDO_FOLDERS = ("/proc", "/sys", "/dev")  # files there are views of the system, not data
MAX_EXCERPT = 16  # characters of a file's text that a message may quote
MAX_NAME = 100  # characters of a path as given that a message repeats
# The public data sets the app ships for its lessons (resources/__init__.py): readable from
# any session, so that a lesson, or a copy of it saved elsewhere, finds them.
SHIPPED_DATA = Path(str(files("resources"))).resolve() / "data"
GZIP_SUFFIX = ".gz"


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
    inside = real.is_relative_to(folder) or real.is_relative_to(SHIPPED_DATA)
    if not allow_outside and not inside:
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
    fd = _open_regular_fd(path)
    try:
        return open(fd, encoding="utf-8-sig", newline="")
    except BaseException:
        os.close(fd)
        raise


def open_data(path: Path, max_unpacked: int) -> TextIO:
    """``path`` opened as UTF-8 text like :func:`open_regular`; a name ending in ``.gz``
    is gunzipped while it is read, and reading raises an OSError (one sentence in its
    ``strerror``) once more than ``max_unpacked`` bytes come out or the stream is damaged."""
    if path.suffix.lower() != GZIP_SUFFIX:
        return open_regular(path)
    fd = _open_regular_fd(path)
    try:
        raw = io.FileIO(fd, "r")  # owns fd from here on: closing the text closes it
    except BaseException:
        os.close(fd)
        raise
    unpacked = io.BufferedReader(_Gunzipped(raw, max_unpacked))
    return io.TextIOWrapper(unpacked, encoding="utf-8-sig", newline="")


def _open_regular_fd(path: Path) -> int:
    """A descriptor of ``path`` opened for reading without blocking (a FIFO swapped in
    after the checks must not hang the app), refused with an OSError unless the descriptor
    is a regular file: checked on what was opened, not the name."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


class _Gunzipped(io.RawIOBase):
    """The unpacked bytes of the gzip file ``raw``, at most ``limit`` of them: the limit is
    checked as the bytes come out, so a bomb never fills the memory."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        super().__init__()
        self._raw, self._limit, self._left = raw, limit, limit
        self._stream = gzip.GzipFile(fileobj=raw)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:
        """Unpack into ``buffer``; one byte more than is left means the file is too large."""
        view = memoryview(buffer).cast("B")
        try:
            count = self._stream.readinto(view[: self._left + 1])
        except (gzip.BadGzipFile, EOFError, zlib.error):
            raise OSError(
                0, "it is not a valid gzip file (damaged or cut short); compress it again"
            ) from None
        if count > self._left:
            raise OSError(
                0,
                f"it unpacks to more than {_size(self._limit)}; use a smaller file or fewer rows",
            )
        self._left -= count
        return count

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._raw.close()
            super().close()


def _size(count: int) -> str:
    """A number of bytes for a message: '50 MB', or '1,000 bytes' below a megabyte."""
    return f"{count / 2**20:g} MB" if count >= 2**20 else f"{count:,} bytes"


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
