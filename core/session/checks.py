"""Path-aware checks of parsed JSON values, collecting every problem instead of stopping.

Each checker takes a JSON value and its path (``training.learning_rate``,
``network.weights[1][0][2]``), records what is wrong with it in a
:class:`Problems` collector and returns the checked value, or :data:`INVALID`
when it recorded a problem, so that the caller skips the checks that depend
on that value and still goes on with the independent ones.

Unknown keys of an object are not problems: :func:`obj` turns them into
warnings and keeps them aside, by the path of the object that holds them, so
that a writer can put them back.

Nothing here knows the session format: its sections' rules are in
:mod:`core.session.schema`, which builds on these checks.  This module
imports nothing from the project, so every session module may import it.
"""

from __future__ import annotations

import difflib
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.session.limits import MAX_KEPT, Capped, LongInteger, clip, more_line

INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()
"""Returned by a checker that recorded a problem; the value must not be used."""

MAX_LISTED = 10  # bad entries of one array reported one by one; the rest are counted
MAX_SUGGESTED = 20  # unknown keys that get a "did you mean" (difflib is slow per key)
MAX_SUGGEST_KEY = 40  # longer unknown keys get no suggestion: no misspelling is that long
MAX_WHOLE = 2**31 - 1  # whole numbers beyond what a QSpinBox holds are refused

Check = Callable[..., Any]


class NonFinite:
    """A ``NaN``, ``Infinity`` or ``-Infinity`` constant met while parsing JSON text.

    Python's json module accepts these non-standard constants; the session
    file parser (:mod:`core.session.storage`) turns them into this marker so that
    the checks report them at their JSON path instead of failing the whole parse.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


@dataclass
class Problems:
    """The problems and warnings found so far, and the unknown keys kept aside.

    Both lists keep at most MAX_KEPT messages, each clipped to one line of MAX_MESSAGE
    characters, so that a hostile file with a million bad entries costs linear time and
    gives a bounded report: ``problems.total`` counts every problem, and the warnings end
    with a line counting those not kept.  ``extra`` maps the path of an object ("" for
    the top level, else e.g. "training" or "network.init") to its unknown keys and
    values, in file order.
    """

    problems: Capped = field(default_factory=Capped)
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)
    suggested: int = 0  # unknown keys that got a suggestion so far
    warned: int = 0  # warnings so far, kept or not

    def add(self, path: str, message: str) -> Any:
        """Record ``path: message`` and return :data:`INVALID`."""
        self.problems.total += 1
        if len(self.problems) < MAX_KEPT:
            self.problems.append(clip(f"{path}: {message}" if path else message))
        return INVALID

    @property
    def count(self) -> int:
        """How many problems were recorded, kept or not."""
        return self.problems.total

    def warn(self, message: str) -> None:
        """Record a warning; past MAX_KEPT, the last line counts the ones not kept."""
        self.warned += 1
        if self.warned <= MAX_KEPT:
            self.warnings.append(clip(message))
        elif self.warned == MAX_KEPT + 1:
            self.warnings.append(more_line(MAX_KEPT, self.warned, "warning"))
        else:
            self.warnings[-1] = more_line(MAX_KEPT, self.warned, "warning")


def join(path: str, key: str | int) -> str:
    """The JSON path of ``key`` inside the value at ``path``: ``a.b`` or ``a[0]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def invalid(*values: Any) -> bool:
    """True if any of ``values`` (or of the lists among them) is INVALID."""
    return any(
        v is INVALID or (isinstance(v, list) and any(x is INVALID for x in v)) for v in values
    )


def entries(n: int) -> str:
    """'1 entry' or '3 entries'."""
    return f"{n} entry" if n == 1 else f"{n} entries"


def describe(value: Any) -> str:
    """A JSON value as a user reads it in a "got ..." message (short, whatever its size)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, LongInteger):
        return repr(value)
    if type(value) is int and value.bit_length() > 64:  # str() of a huge int is slow or fails
        return f"a whole number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"a string ({value if len(value) <= 40 else value[:37] + '...'!r})"
    if isinstance(value, list | tuple | dict):
        return "an object" if isinstance(value, dict) else "a list"
    return repr(value)


def is_non_finite(value: Any) -> bool:
    """True for NaN and the infinities, as parsed constants or as floats."""
    return isinstance(value, NonFinite) or (isinstance(value, float) and not math.isfinite(value))


def number_problem(value: Any) -> str | None:
    """Why ``value`` is not a finite number (true/false are not numbers), or None."""
    kind = type(value)
    if kind is float and math.isfinite(value):
        return None
    if kind is int or isinstance(value, np.integer):
        return None if abs(value) <= sys.float_info.max else f"{describe(value)} is too large"
    if kind is LongInteger:
        return f"{describe(value)} is too large"
    if is_non_finite(value) or (isinstance(value, np.floating) and not np.isfinite(value)):
        return f"{describe(value)} is not allowed; numbers must be finite"
    if isinstance(value, bool | np.bool_) or not isinstance(value, float | np.floating):
        return f"expected a number, got {describe(value)}"
    return None


def string_problem(value: Any) -> str | None:
    """Why ``value`` is not a string, or None."""
    return None if isinstance(value, str) else f"expected a string, got {describe(value)}"


# --- scalars: each returns the checked value or INVALID -----------------------------------

Bound = tuple[str, Callable[[float], bool]]
POSITIVE: Bound = ("> 0", lambda x: x > 0)
NON_NEGATIVE: Bound = (">= 0", lambda x: x >= 0)
UNIT: Bound = ("in [0, 1)", lambda x: 0 <= x < 1)


def number(value: Any, path: str, pr: Problems, bound: Bound | None = None) -> float:
    """A finite number, within ``bound`` if given, as a float."""
    reason = number_problem(value)
    if reason:
        return pr.add(path, reason)
    if bound and not bound[1](value):
        return pr.add(path, f"must be {bound[0]}, got {describe(value)}")
    return float(value)


def whole(value: Any, path: str, pr: Problems, lo: int = 0, hi: int = MAX_WHOLE) -> int:
    """A whole number from ``lo`` to ``hi``; 2.0 is refused, since the file should say 2.

    ``hi`` defaults to the largest number a spin box shows (2^31 - 1), so that no
    whole number of any size reaches the app unbounded.
    """
    if isinstance(value, LongInteger):
        return pr.add(path, f"{describe(value)} is too large; use {lo:,} to {hi:,}")
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        return pr.add(path, f"expected a whole number, got {describe(value)}")
    if value < lo:
        return pr.add(path, f"must be >= {lo:,}, got {describe(value)}")
    if value > hi:
        return pr.add(path, f"must be at most {hi:,}, got {describe(value)}")
    return int(value)


def bounded(lo: int, hi: int = MAX_WHOLE) -> Check:
    """The check of a whole number from ``lo`` to ``hi``."""
    return lambda value, path, pr: whole(value, path, pr, lo, hi)


def or_null(check: Check) -> Check:
    """``check``, except that null is accepted (for values whose default is null)."""
    return lambda value, path, pr: None if value is None else check(value, path, pr)


def boolean(value: Any, path: str, pr: Problems) -> bool:
    """A JSON true or false (not 0 or 1)."""
    if isinstance(value, bool):
        return value
    return pr.add(path, f"expected true or false, got {describe(value)}")


def string(value: Any, path: str, pr: Problems) -> str:
    """A JSON string."""
    reason = string_problem(value)
    return pr.add(path, reason) if reason else value


def choice(value: Any, path: str, pr: Problems, choices: Iterable[str], kind: str) -> str:
    """One of the names in ``choices``; an unknown name gets the list of choices."""
    if string(value, path, pr) is INVALID:
        return INVALID
    if value not in choices:
        return pr.add(path, f"unknown {kind} {value!r}; choose one of {', '.join(choices)}")
    return value


# --- containers ---------------------------------------------------------------------------


def obj(
    value: Any, path: str, pr: Problems, known: Iterable[str], required: Iterable[str] = ()
) -> dict[str, Any]:
    """An object; unknown keys are warned about and kept aside, missing required ones reported.

    The object is returned even when required keys are missing, so that the
    keys that are there are still checked.  Keys that a parser recorded as
    given more than once (a ``duplicates`` attribute) are warned about too.
    """
    if not isinstance(value, dict):
        return pr.add(path, f"expected an object {{...}}, got {describe(value)}")
    known = tuple(known)
    known_set = frozenset(known)
    for key, item in value.items():
        if key not in known_set:
            pr.warn(f"{join(path, str(key))}: unknown key, kept as is{_hint(key, known, pr)}")
            pr.extra.setdefault(path, {})[key] = item
    for key in getattr(value, "duplicates", ()):
        pr.warn(f"{join(path, key)}: the key appears more than once; the last one is used")
    for key in required:
        if key not in value:
            pr.add(join(path, key), "missing; this key is required")
    return value


def _hint(key: Any, known: tuple[str, ...], pr: Problems) -> str:
    """ " (did you mean 'x'?)" for a short unknown key close to a known one; only the first
    MAX_SUGGESTED unknown keys get one, so that a file of many keys is checked in linear
    time (difflib compares each key with every known one)."""
    if pr.suggested >= MAX_SUGGESTED or not isinstance(key, str) or len(key) > MAX_SUGGEST_KEY:
        return ""
    pr.suggested += 1
    hint = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
    return f" (did you mean {hint[0]!r}?)" if hint else ""


def checked_section(value: Any, path: str, pr: Problems, rules: dict[str, Check]) -> dict[str, Any]:
    """An object whose known keys each pass their rule: {key: checked value} for the keys
    given (unknown ones kept aside by :func:`obj`); INVALID if it or any value is not."""
    found = obj(value, path, pr, rules)
    if found is INVALID:
        return INVALID
    given = {
        key: rule(found[key], join(path, key), pr) for key, rule in rules.items() if key in found
    }
    return INVALID if invalid(*given.values()) else given


def known_part(value: dict[str, Any], known: Iterable[str]) -> dict[str, Any]:
    """The entries of ``value`` whose keys are in ``known``, in file order."""
    return {key: item for key, item in value.items() if key in known}


def items(value: Any, path: str, pr: Problems, length: int | None = None, what: str = "") -> list:
    """A list, of ``length`` entries if given; ``what`` says what each entry stands for."""
    if not isinstance(value, list):
        return pr.add(path, f"expected a list, got {describe(value)}")
    if length is not None and len(value) != length:
        return pr.add(path, f"{entries(len(value))}, expected {length} ({what})")
    return value


def _shape_of(value: Any, path: str, pr: Problems, ndim: int) -> tuple[int, ...]:
    """(n,) of a list, or (rows, columns) of a list of equally long lists."""
    if not isinstance(value, list):
        return pr.add(path, f"expected a list{' of rows' * (ndim == 2)}, got {describe(value)}")
    if ndim == 1:
        return (len(value),)
    for i, row in enumerate(value):
        if not isinstance(row, list):
            return pr.add(join(path, i), f"expected a row (a list), got {describe(row)}")
        if len(row) != len(value[0]):
            return pr.add(
                path, f"rows of different lengths: row 0 has {len(value[0])}, row {i} {len(row)}"
            )
    return (len(value), len(value[0]) if value else 0)


def finite_numbers(row: list) -> bool:
    """A quick True when ``row`` holds only finite ints and floats (a False may be wrong)."""
    if not set(map(type, row)) <= {int, float}:
        return False
    try:
        return math.isfinite(sum(row))  # NaN and infinities make the sum non-finite
    except OverflowError:  # an int beyond the float range (or a sum of huge floats)
        return False


def _surely_passes(row: list, leaf: Callable[[Any], str | None]) -> bool:
    """A quick True when every entry of ``row`` passes ``leaf``, so that it need not be walked."""
    if leaf is string_problem:
        return set(map(type, row)) <= {str}
    return leaf is number_problem and finite_numbers(row)


def shaped(
    value: Any, path: str, pr: Problems, shape: tuple, leaf: Callable[[Any], str | None]
) -> list:
    """A list (shape (n,)) or list of rows (shape (r, c)) whose entries pass ``leaf``.

    A None in ``shape`` accepts any length there.  At most MAX_LISTED bad
    entries are reported one by one; the rest are counted.
    """
    found = _shape_of(value, path, pr, len(shape))
    if found is INVALID:
        return INVALID
    if any(want is not None and want != got for want, got in zip(shape, found)):
        if len(shape) == 1:
            return pr.add(path, f"{entries(found[0])}, expected {shape[0]}")
        return pr.add(path, f"shape {found}, expected {shape}")
    rows = value if len(shape) == 2 else [value]
    bad = 0
    for i, row in enumerate(rows):
        if _surely_passes(row, leaf):
            continue
        for j, x in enumerate(row):
            reason = leaf(x)
            if reason:
                bad += 1
                if bad <= MAX_LISTED:
                    pr.add(f"{path}[{i}][{j}]" if len(shape) == 2 else join(path, j), reason)
    if bad > MAX_LISTED:
        more = bad - MAX_LISTED
        pr.add(path, f"{more} more {'entry' if more == 1 else 'entries'} with problems like these")
    return INVALID if bad else value


def report_non_finite(value: Any, path: str, pr: Problems) -> bool:
    """Report every NaN or infinity inside ``value`` (walked without recursion); True if none."""
    found = 0
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, list) and finite_numbers(item):
            continue
        if isinstance(item, dict | list):
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend(  # paths are made only for what may hold a problem
                (join(where, key if isinstance(key, int) else str(key)), child)
                for key, child in reversed(list(pairs))
                if isinstance(child, dict | list) or is_non_finite(child)
            )
        elif is_non_finite(item):
            found += 1
            if found <= MAX_LISTED:
                pr.add(where, f"{describe(item)} is not allowed; numbers must be finite")
    if found > MAX_LISTED:
        more = found - MAX_LISTED
        pr.add(path, f"{more} more NaN or infinite value{'s' * (more != 1)}")
    return found == 0
