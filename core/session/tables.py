"""The rules of the "data" keys that Data > Import CSV… writes (core.data.imported): the
class names, the inline columns' names and the stored standardisation.  Types only; loading
checks the rest (lengths, values) at the same JSON paths."""

from __future__ import annotations

from typing import Any

from core.session.checks import Check, Problems, obj, shaped, string_problem


def _names(value: Any, path: str, pr: Problems) -> list[str]:
    return shaped(value, path, pr, (None,), string_problem)


def _standardize(value: Any, path: str, pr: Problems) -> Any:
    """false (the inputs as given) or {"mean": [...], "std": [...]}."""
    return value if value is False else obj(value, path, pr, ("mean", "std"), ("mean", "std"))


TABLE_RULES: dict[str, Check] = {
    "class_names": _names,
    "names": lambda value, path, pr: obj(value, path, pr, ("inputs", "targets")),
    "standardize": _standardize,
}
