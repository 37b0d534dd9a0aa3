"""What a lesson tells its learner besides its description, kept in the session's optional
"guide" section (docs/session-format.md):

    {"guide": {"look": "What to look at while it trains (the gradient-norm plot ...).",
               "try": "What to change next and what will happen."}}

Both keys are optional strings of at most MAX_GUIDE characters; an empty string is the
same as no text.  The window shows them with the description when the lesson opens
(gui.lessons) and File > Lesson properties edits them; the bounds of the name and the
description that the dialog keeps are here too, with the one-sentence message it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.session.checks import INVALID, Problems, checked_section, string

MAX_NAME = 120  # characters of a lesson's name (a window title)
MAX_DESCRIPTION = 4_000  # of its description (the longest built-in lesson's is about 900)
MAX_GUIDE = 2_000  # of "look" and of "try"
LIMITS = {"name": MAX_NAME, "description": MAX_DESCRIPTION, "look": MAX_GUIDE, "try": MAX_GUIDE}
WHAT = {"name": "name", "description": "description", "look": "look at", "try": "try"}


@dataclass(frozen=True)
class LessonGuide:
    """The "guide" section: what to look at (``look``) and what to try (``try_``)."""

    look: str = ""
    try_: str = ""

    def __bool__(self) -> bool:
        return bool(self.look.strip() or self.try_.strip())

    def to_dict(self) -> dict[str, str]:
        """The section as JSON data, the texts that are not empty only."""
        out = {"look": self.look, "try": self.try_}
        return {key: text for key, text in out.items() if text}


def too_long(key: str, text: str) -> str | None:
    """Why ``text`` cannot be the lesson's ``key`` (name, description, look or try) because
    of its length, in one sentence; None if it fits."""
    limit = LIMITS[key]
    if len(text) <= limit:
        return None
    return (
        f"The text under “{WHAT[key]}” has {len(text):,} characters; shorten it to at most "
        f"{limit:,}."
    )


def _text(key: str):
    def check(value: Any, path: str, pr: Problems) -> str:
        if string(value, path, pr) is INVALID:
            return INVALID
        if len(value) > LIMITS[key]:
            return pr.add(path, f"{len(value):,} characters; at most {LIMITS[key]:,}")
        return value

    return check


RULES = {"look": _text("look"), "try": _text("try")}


def check_guide(value: Any, pr: Problems) -> LessonGuide:
    """The "guide" section as a LessonGuide (INVALID with its problems in ``pr``)."""
    given = checked_section(value, "guide", pr, RULES)
    if given is INVALID:
        return INVALID
    return LessonGuide(given.get("look", ""), given.get("try", ""))
