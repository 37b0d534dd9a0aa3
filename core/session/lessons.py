"""The built-in lessons: session files in resources/lessons/, found by name.

``resources`` is package data: in a checkout, an editable install and a wheel alike,
importlib.resources finds it beside the code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

# A wheel is installed unpacked, so the resources are real files with a path (the file
# dialogs, is_builtin and the CSV files that lessons name need one).
RESOURCES_DIR = Path(str(files("resources"))).resolve()
LESSONS_DIR = RESOURCES_DIR / "lessons"
DEFAULT_LESSON = LESSONS_DIR / "playground_default.json"


@dataclass(frozen=True)
class LessonEntry:
    """A lesson's file, title and the first sentence of its description."""

    path: Path
    title: str
    summary: str


def resolve(name: str | Path) -> Path:
    """A session file path; a bare lesson name (e.g. ``mazur``) means the built-in lesson.

    Raises FileNotFoundError when it is neither.
    """
    path = Path(name)
    if path.exists() or path.suffix == ".json":
        return path
    lesson = LESSONS_DIR / f"{name}.json"
    if lesson.exists():
        return lesson
    raise FileNotFoundError(f"{name}: no such session file or built-in lesson (see: lessons)")


def is_builtin(path: str | Path) -> bool:
    """Whether ``path`` is one of the built-in lessons' files (read-only templates: the
    app never writes them, whether they lie in a checkout or in site-packages)."""
    try:
        return Path(path).resolve().parent == LESSONS_DIR
    except (OSError, RuntimeError):
        return False


def inside_installation(folder: str | Path) -> bool:
    """Whether ``folder`` is the app's own resources (the lessons, the sample data) or
    below them: no place to start a Save or an Export dialog."""
    try:
        return Path(folder).resolve().is_relative_to(RESOURCES_DIR)
    except (OSError, RuntimeError):
        return False


def entries() -> list[LessonEntry]:
    """Every built-in lesson, by file name."""
    return [_entry(path) for path in sorted(LESSONS_DIR.glob("*.json"))]


def _entry(path: Path) -> LessonEntry:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        title = str(data.get("name", path.stem))
        text = " ".join(str(data.get("description", "")).split())
    except (OSError, ValueError, AttributeError):
        return LessonEntry(path, path.stem, "(unreadable)")
    end = text.find(". ")
    return LessonEntry(path, title, text if end < 0 else text[: end + 1])
