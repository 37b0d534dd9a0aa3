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
import stat
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from core.data.files import PSEUDO_FOLDERS
from core.session.checks import NonFinite, join
from core.session.limits import parse_int
from core.session.schema import SessionError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 64  # nested objects and lists; loading, copying and writing all stay within it
MAX_LISTED = 10  # problems of one tree reported one by one; the rest are counted
STALE_SECONDS = 60  # a temporary file of ours this old was left by a save that was killed


class ReadOnlyFile(SessionError):
    """The target of a save is a read-only file; the caller may ask and save again with
    ``replace_read_only=True``."""


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
        data = json.loads(
            text, parse_constant=NonFinite, parse_int=parse_int, object_pairs_hook=_object
        )
    except json.JSONDecodeError as err:
        problem = f"line {err.lineno}, column {err.colno}: not valid JSON ({err.msg})"
        raise SessionError([problem], file) from None
    except RecursionError:  # far deeper than MAX_DEPTH: find where, from the text
        raise SessionError([_too_deep(_deep_path(text))], file) from None
    check_tree(data, file)
    return data


# --- what can be copied and written: depth and text -----------------------------------------


def _shown(text: str) -> str:
    """``text`` printable everywhere: lone surrogates written as their escapes (\\ud800)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _too_deep(path: str) -> str:
    where = f"{path}: " if path else ""
    return (
        f"{where}the JSON is nested too deeply (more than {MAX_DEPTH} levels of objects and "
        f"lists); a session file nests at most {MAX_DEPTH}, so flatten or remove this value"
    )


def _surrogate_problem(path: str, text: str) -> str | None:
    """The problem of a string that UTF-8 cannot hold (a lone surrogate such as "\\ud800")."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        bad = _shown(text[err.start : err.end])
        return (
            f"{path or 'the top level'}: holds {bad}, half of a character (a lone surrogate) "
            "that no file can store; remove it"
        )
    return None


_LEAVES = {int, float, bool, type(None), NonFinite}


def tree_problems(value: Any) -> list[str]:
    """What keeps ``value`` (parsed JSON, or a session as plain data) from being copied and
    written: containers nested deeper than MAX_DEPTH, strings (keys too) with lone
    surrogates; each as "path: message".  Iterative, so any depth is safe to check."""
    problems: list[str] = []
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            problem = _surrogate_problem(path, item)
            problems += [problem] if problem else []
            continue
        if not isinstance(item, dict | list | tuple):
            continue
        if depth > MAX_DEPTH:
            problems.append(_too_deep(path))
            continue
        children: list[tuple[Any, str, int]] = []
        if isinstance(item, dict):
            for key, child in item.items():
                name = str(key)
                problem = _surrogate_problem(join(path, _shown(name)), name)
                problems += [problem] if problem else []
                children.append((child, join(path, _shown(name)), depth + 1))
        elif not set(map(type, item)) <= _LEAVES:  # a row of numbers has nothing to check
            children = [(child, join(path, i), depth + 1) for i, child in enumerate(item)]
        stack.extend(reversed(children))  # so the problems come in file order
    return problems


def check_tree(value: Any, file: str | None = None) -> None:
    """Raise a SessionError naming every path of ``tree_problems(value)`` (at most
    MAX_LISTED of them, then how many more), if there are any."""
    problems = tree_problems(value)
    if len(problems) > MAX_LISTED:
        more = len(problems) - MAX_LISTED
        problems = problems[:MAX_LISTED] + [f"... and {more} more like these"]
    if problems:
        raise SessionError(problems, file)


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


def _deep_path(text: str) -> str:
    """The JSON path of the first container in ``text`` nested deeper than MAX_DEPTH ("" if
    none is found); read from the tokens, for text too deep for the parser."""
    stack: list[list[Any]] = []  # per open container: its kind, then its current key or index
    last = ""
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            if len(stack) >= MAX_DEPTH:
                path = ""
                for _, key in stack:
                    path = join(path, key)
                return path
            stack.append([token, 0 if token == "[" else ""])
        elif token in "]}":
            if stack:
                stack.pop()
        elif token == ",":
            if stack and stack[-1][0] == "[":
                stack[-1][1] += 1
        elif token == ":":
            if stack:
                stack[-1][1] = last
        else:
            last = _key_text(token)
    return ""


def _key_text(token: str) -> str:
    """A JSON string token's text as a path shows it (short, printable)."""
    try:
        text = json.loads(token) if len(token) < 200 else token[1:40]
    except json.JSONDecodeError:
        text = token[1:-1]
    return _shown(text)


def _too_big(size: int) -> str:
    return f"the file is {size / 2**20:.1f} MB; session files are limited to 50 MB"


def read_text(path: Path, file: str) -> str:
    """The text of the file at ``path`` (at most 50 MB of UTF-8); ``file`` names it in errors.

    Only a regular file is read: a FIFO, a device or a folder is refused (it is opened
    without blocking and checked on the open descriptor, so a FIFO cannot hang the app),
    and so are the system's views under /proc, /sys and /dev."""
    not_a_file = "not a regular file (a FIFO, a device or a folder); open a session file"
    try:
        if str(path.resolve()).startswith(tuple(f + "/" for f in PSEUDO_FOLDERS)):
            raise SessionError([not_a_file], file)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            os.close(fd)
            problem = not_a_file if not stat.S_ISREG(info.st_mode) else _too_big(info.st_size)
            raise SessionError([problem], file)
        with open(fd, "rb") as stream:  # closes fd
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


def write_text(target: Path, text: str, replace_read_only: bool = False) -> Path:
    """Write ``text`` to ``target`` atomically and return the file written.

    A symbolic link is written through (its target is replaced, the link stays a link);
    a read-only file raises ReadOnlyFile unless ``replace_read_only``; temporary files
    of ours that a killed save left beside it are removed.  An OSError becomes a
    SessionError naming the file.
    """
    real = Path(os.path.realpath(target)) if Path(target).is_symlink() else Path(target)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as err:  # the callers check first; this is the last guard
        bad = _shown(text[err.start : err.end])
        problem = f"the text holds {bad}, which no file can store; remove it"
        raise SessionError([problem], str(target)) from None
    if not replace_read_only and _read_only(real):
        why = "the file is read-only; save under another name, or allow replacing it"
        raise ReadOnlyFile([why], str(target))
    try:
        remove_stale_temps(real)
        _write_atomic(real, data)
    except OSError as err:
        problem = f"cannot save the file ({err.strerror or err})"
        raise SessionError([problem], str(target)) from None
    return real


def _read_only(path: Path) -> bool:
    """True if ``path`` is a file its owner may not write (by its mode bits, which hold
    for every user, root too, and mirror Windows' read-only attribute)."""
    try:
        return not path.stat().st_mode & stat.S_IWUSR
    except OSError:
        return False  # absent (a new file), or the save itself will say what is wrong


def remove_stale_temps(target: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files ``.NAME.xxxxxxxx.tmp`` (our own pattern) beside ``target``
    older than STALE_SECONDS: a save killed between making one and renaming it left them.
    Returns what was removed.  ``now`` defaults to the wall clock (tests give their own)."""
    now = time.time() if now is None else now
    pattern = re.compile(rf"\.{re.escape(target.name)}\.[0-9a-f]{{8}}\.tmp")
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if not pattern.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                if now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


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


def _write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a new file beside ``target``, flush it to disk, then rename it over."""
    temp, fd = new_file_beside(target, ".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
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
    text = name.encode("utf-8", "ignore").decode("utf-8")  # lone surrogates name no file
    stem = _UNSAFE.sub(" - ", text)
    stem = re.sub(r"\s+", " ", stem).strip(" .-")[:MAX_NAME].rstrip(" .-")
    if not stem:
        return fallback
    return f"{stem} (file)" if stem.split(".")[0].upper() in _RESERVED else stem
