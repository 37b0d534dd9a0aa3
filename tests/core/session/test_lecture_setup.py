"""The session's lecture set-up: checked with JSON paths, kept exactly through save and load."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.session.format import SessionError, dumps_session, loads_session
from core.session.lecture_setup import LectureSetup, own_row, raw_width
from core.session.lessons import resolve


def lesson_with(name: str, lecture) -> str:
    d = json.loads(resolve(name).read_text())
    d["lecture"] = lecture
    return json.dumps(d)


def test_a_session_without_a_lecture_section_has_none_and_writes_none():
    session = loads_session(resolve("xor_script").read_text())
    assert session.lecture is None
    assert "lecture" not in json.loads(dumps_session(session))


def test_the_lecture_set_up_survives_save_and_load_exactly():
    given = {
        "active": True,
        "input": [0.05, 0.1],
        "target": [0.01, 0.99],
        "shown": 0,
        "unfold": True,
        "granularity": "neuron",
        "digits": 9,
        "decimals": True,
        "palette": "high_contrast",
        "step": 3,
    }
    session = loads_session(lesson_with("mazur", given))
    assert session.lecture == LectureSetup(
        active=True,
        input=(0.05, 0.1),
        target=(0.01, 0.99),
        unfold=True,
        granularity="neuron",
        digits=9,
        decimals=True,
        palette="high_contrast",
        step=3,
    )
    again = loads_session(dumps_session(session))
    assert again.lecture == session.lecture
    assert json.loads(dumps_session(again))["lecture"] == given | {"sample": None}


def test_defaults_fill_what_the_section_leaves_out_and_unknown_keys_are_kept():
    session = loads_session(lesson_with("xor_script", {"sample": 2, "slides": "x"}))
    assert session.lecture == LectureSetup(sample=2)
    assert "palette" not in session.lecture.to_dict()  # the user's palette stays
    assert session.warnings == ["lecture.slides: unknown key, kept as is"]
    assert json.loads(dumps_session(session))["lecture"]["slides"] == "x"


@pytest.mark.parametrize(
    ("lecture", "problem"),
    [
        ([], "lecture: expected an object {...}, got a list"),
        ({"sample": 4}, "lecture.sample: row 4, but the training rows are 0..3"),
        ({"sample": -1}, "lecture.sample: must be >= 0, got -1"),
        ({"input": [0, 1]}, "lecture.target: input and target go together; give both"),
        ({"target": [1]}, "lecture.input: input and target go together; give both"),
        ({"input": [1], "target": [1]}, "lecture.input: 1 numbers, but there are 2 inputs"),
        ({"input": [1, 0], "target": [1, 0]}, "lecture.target: 2 numbers, but there are 1 outputs"),
        ({"input": [], "target": [1]}, "lecture.input: expected at least one number"),
        ({"input": [1, "a"], "target": [1]}, "lecture.input[1]: expected a number"),
        ({"digits": 1}, "lecture.digits: must be from 2 to 12, got 1"),
        ({"granularity": "sample"}, "lecture.granularity: unknown granularity 'sample'"),
        ({"palette": "neon"}, "lecture.palette: unknown palette 'neon'"),
        ({"active": 1}, "lecture.active: expected true or false, got 1"),
        ({"step": 1.5}, "lecture.step: expected a whole number"),
        (
            {"sample": 1, "input": [0, 0], "target": [0]},
            "lecture.sample: give a training row or an input of your own, not both",
        ),
    ],
)
def test_a_malformed_lecture_section_is_reported_at_its_path(lecture, problem):
    with pytest.raises(SessionError) as caught:
        loads_session(lesson_with("xor_script", lecture))
    assert problem in str(caught.value)


def test_an_input_of_ones_own_goes_through_the_sessions_features():
    d = json.loads(resolve("playground_default").read_text())
    d["features"] = ["x1", "x2", "x1^2", "sin(x2)"]
    d["network"]["layers"][0] = 4
    d["network"].pop("weights", None), d["network"].pop("biases", None)
    session = loads_session(json.dumps(d))
    assert raw_width(session.dataset) == 2
    x, y = own_row(session.dataset, session.features, [1.5, -2.0], [1.0])
    np.testing.assert_array_equal(x, [[1.5, -2.0, 2.25, np.sin(-2.0)]])
    np.testing.assert_array_equal(y, [[1.0]])


def test_inline_data_takes_the_networks_inputs_as_they_are():
    session = loads_session(resolve("mazur").read_text())
    assert raw_width(session.dataset) == 2
    x, y = own_row(session.dataset, session.features, [0.05, 0.1], [0.01, 0.99])
    assert x.shape == (1, 2) and y.shape == (1, 2)
