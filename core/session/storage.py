"""The session file on disk and as text: bounded reading, strict parsing, formatting, atomic saving.

Everything here works on plain JSON data and text, never on a Session:
:mod:`core.session.format` turns the parsed data into a Session and a Session back
into data, and composes these steps into its public ``load_session``,
``loads_session``, ``dumps_session`` and ``save_session``.  So this module
imports only :mod:`core.session.checks` and :mod:`core.session.schema` (for
:class:`~core.session.schema.SessionError`), and :mod:`core.session.format` imports
it, with no cycle.  Nothing is ever pickled or evaluated: the file is parsed
by :mod:`json` only.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from core.session.checks import NonFinite
from core.session.schema import SessionError

MAX_FILE_BYTES = 50 * 1024 * 1024


# --- reading and parsing --------------------------------------------------------------------


class _JsonObject(dict):
    """A parsed JSON object that remembers the keys it was given more than once."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> dict:
    found = _JsonObject(pairs)
    if len(found) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        found.duplicates = tuple(key for key, n in counts.items() if n > 1)
    return found


def parse_json(text: str, file: str | None = None) -> Any:
    """JSON text as Python data; NaN and Infinity become NonFinite markers for the checks.

    Objects remember the keys given more than once, so that the checks warn
    about them.  Text that is not JSON raises a SessionError naming line and column;
    empty text (or only white space) says that the file is empty.
    """
    if not text.strip():
        problem = "the file is empty; open a session saved by Backprop Lab or a built-in lesson"
        raise SessionError([problem], file)
    try:
        return json.loads(text, parse_constant=NonFinite, object_pairs_hook=_object)
    except json.JSONDecodeError as err:
        problem = f"line {err.lineno}, column {err.colno}: not valid JSON ({err.msg})"
        raise SessionError([problem], file) from None
    except RecursionError:
        raise SessionError(["the JSON is nested too deeply to be a session"], file) from None


def _too_big(size: int) -> str:
    return f"the file is {size / 2**20:.1f} MB; session files are limited to 50 MB"


def read_text(path: Path, file: str) -> str:
    """The text of the file at ``path`` (at most 50 MB of UTF-8); ``file`` names it in errors."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SessionError([_too_big(size)], file)
        with open(path, "rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # a file that grew meanwhile is still bounded
    except OSError as err:
        raise SessionError([f"cannot read the file ({err.strerror or err})"], file) from None
    if len(raw) > MAX_FILE_BYTES:
        raise SessionError([_too_big(len(raw))], file)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problem = f"line {line}: not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8"
        raise SessionError([problem], file) from None


# --- formatting -----------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    """NumPy scalars and arrays as the Python values json writes."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    raise TypeError(f"a {type(value).__name__} cannot be written to a session file")


_SCALARS = {str, int, float, bool, type(None)}


def _flat(value: dict) -> str | None:
    """A small object of plain values on one line, or None if it holds anything else."""
    if not set(map(type, value.values())) <= _SCALARS:
        return None
    return json.dumps(value, allow_nan=False, ensure_ascii=False, default=_json_default)


def format_json(value: Any, depth: int = 0) -> str:
    """JSON text indented by 2, with each list of plain values (a row of numbers) on one line."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    inner, outer = "  " * (depth + 1), "  " * depth
    if isinstance(value, dict) and value:
        flat = _flat(value)
        if flat is not None and len(flat) + len(inner) <= 72:
            return flat
        lines = [
            f"{inner}{format_json(str(k))}: {format_json(v, depth + 1)}" for k, v in value.items()
        ]
        return "{\n" + ",\n".join(lines) + f"\n{outer}}}"
    if isinstance(value, list | tuple) and not set(map(type, value)) <= _SCALARS:
        lines = [inner + format_json(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(lines) + f"\n{outer}]"
    return json.dumps(value, allow_nan=False, ensure_ascii=False, default=_json_default)


# --- saving ---------------------------------------------------------------------------------


def write_text(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` atomically; an OSError becomes a SessionError naming it."""
    try:
        _write_atomic(target, text)
    except OSError as err:
        problem = f"cannot save the file ({err.strerror or err})"
        raise SessionError([problem], str(target)) from None


def new_file_beside(target: Path, suffix: str) -> tuple[Path, int]:
    """A new, empty file beside ``target`` with a random name ending in ``suffix``, made
    with O_EXCL (never a file someone else made) and opened for writing: (path, fd)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}{suffix}")
        try:  # 0o666 lets the umask decide
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {target}")


def _write_atomic(target: Path, text: str) -> None:
    """Write ``text`` to a new file beside ``target``, flush it to disk, then rename it over."""
    temp, fd = new_file_beside(target, ".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            shutil.copymode(target, temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def rebase_csv(data: dict, old: Path, new: Path) -> dict:
    """``data`` with a relative CSV path rewritten to name the same file from ``new``."""
    name = data.get("csv")
    if not isinstance(name, str) or Path(name).is_absolute() or old.resolve() == new.resolve():
        return data
    file = (old / name).resolve()
    try:
        moved = Path(os.path.relpath(file, new.resolve())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        moved = str(file)
    return {**data, "csv": moved}


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in range(1, 10)}
MAX_NAME = 120  # characters of a suggested file name, before its extension


def safe_file_name(name: str, fallback: str = "session") -> str:
    """``name`` made into a file name that every platform accepts (Windows' rules are the
    strictest): characters it refuses become " - ", no trailing dot or space, no reserved
    device name, at most MAX_NAME characters; ``fallback`` if nothing is left."""
    stem = _UNSAFE.sub(" - ", name)
    stem = re.sub(r"\s+", " ", stem).strip(" .-")[:MAX_NAME].rstrip(" .-")
    if not stem:
        return fallback
    return f"{stem} (file)" if stem.split(".")[0].upper() in _RESERVED else stem
