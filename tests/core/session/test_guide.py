"""The session's "guide" section: what to look at and what to try round-trip through save and
load, are bounded, refused at their path when wrong, and every built-in lesson has both."""

from __future__ import annotations

import json
import re

import pytest

from core.session.format import (
    SessionError,
    load_session,
    save_session,
    session_from_dict,
    session_to_dict,
)
from core.session.guide import MAX_DESCRIPTION, MAX_GUIDE, MAX_NAME, LessonGuide, too_long
from core.session.lessons import LESSONS_DIR, entries
from tests.core.session.sessions import minimal

LESSONS = sorted(LESSONS_DIR.glob("*.json"))


def test_the_section_round_trips_through_a_saved_file(tmp_path) -> None:
    d = minimal()
    d["guide"] = {"look": "The loss plot — its ∂L/∂w.", "try": "A learning rate of 0.5."}
    session = session_from_dict(d)
    assert session.guide == LessonGuide("The loss plot — its ∂L/∂w.", "A learning rate of 0.5.")
    path = tmp_path / "s.json"
    save_session(session, path)
    assert load_session(path).guide == session.guide
    assert json.loads(path.read_text(encoding="utf-8"))["guide"] == d["guide"]


def test_no_section_and_empty_texts_write_no_section() -> None:
    assert session_from_dict(minimal()).guide is None
    d = minimal()
    d["guide"] = {"look": "Only this."}
    assert session_to_dict(session_from_dict(d))["guide"] == {"look": "Only this."}
    d["guide"] = {"look": "", "try": ""}
    session = session_from_dict(d)
    assert session.guide == LessonGuide() and not session.guide
    assert "guide" not in session_to_dict(session)


def test_unknown_keys_of_the_section_are_kept_with_a_warning() -> None:
    d = minimal()
    d["guide"] = {"look": "x", "later": {"n": 1}}
    session = session_from_dict(d)
    assert any("guide.later: unknown key" in w for w in session.warnings)
    assert session_to_dict(session)["guide"] == {"look": "x", "later": {"n": 1}}


@pytest.mark.parametrize(
    "section, where, says",
    [
        ("look here", "guide", "expected an object"),
        ({"look": 3}, "guide.look", "expected a string"),
        ({"try": ["a", "b"]}, "guide.try", "expected a string"),
        ({"look": None}, "guide.look", "expected a string"),
        ({"try": "x" * (MAX_GUIDE + 1)}, "guide.try", f"{MAX_GUIDE + 1:,} characters; at most"),
    ],
)
def test_a_wrong_value_is_refused_at_its_path(section, where, says) -> None:
    d = minimal()
    d["guide"] = section
    with pytest.raises(SessionError) as error:
        session_from_dict(d)
    pattern = rf"{re.escape(where)}: .*{re.escape(says)}"
    assert any(re.match(pattern, p) for p in error.value.problems)


def test_the_longest_texts_allowed_load() -> None:
    d = minimal()
    d["guide"] = {"look": "x" * MAX_GUIDE, "try": "y" * MAX_GUIDE}
    assert len(session_from_dict(d).guide.try_) == MAX_GUIDE


def test_too_long_says_which_text_and_the_limit_in_one_sentence() -> None:
    assert too_long("name", "x" * MAX_NAME) is None
    message = too_long("name", "x" * (MAX_NAME + 5))
    assert f"{MAX_NAME + 5:,} characters" in message and f"at most {MAX_NAME:,}" in message
    assert message.count(".") == 1 and message.endswith(".")
    assert "“try”" in too_long("try", "t" * (MAX_GUIDE + 1))
    assert too_long("description", "d" * MAX_DESCRIPTION) is None


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_says_what_to_look_at_and_what_to_try(path) -> None:
    session = load_session(path)
    assert session.guide is not None
    for text in (session.guide.look, session.guide.try_):
        assert 80 <= len(text) <= MAX_GUIDE and text.rstrip().endswith((".", ")"))
    assert len(session.description) <= MAX_DESCRIPTION and len(session.name) <= MAX_NAME
    assert not session.warnings


def test_vanishing_gradients_says_what_the_plot_shows_and_what_to_change() -> None:
    guide = load_session(LESSONS_DIR / "vanishing_gradients.json").guide
    assert "|dL/dW| plot" in guide.look and "log scale" in guide.look
    assert "σ′(z) ≤ 1/4" in guide.look
    assert "tanh" in guide.try_ and "ReLU" in guide.try_ and "learning rate" in guide.try_


def test_the_lesson_list_still_reads_one_line_per_lesson() -> None:
    listed = entries()
    assert [e.path for e in listed] == LESSONS
    assert all(e.summary and "\n" not in e.summary and "{" not in e.summary for e in listed)
