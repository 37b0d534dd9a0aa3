"""Malformed sessions: each problem is reported with its JSON path, and all of them at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.session.format import SessionError, load_session, loads_session, session_from_dict
from tests.core.session.malformed_cases import BIASES, CASES, DELETE, WEIGHTS, edit


@pytest.mark.parametrize(("given", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_session_reports_the_problem_at_its_path(
    given: dict | str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    load: Callable[..., Any] = loads_session if isinstance(given, str) else session_from_dict
    with pytest.raises(SessionError) as err:
        load(given, file="s.json")
    assert any(expected in problem for problem in err.value.problems), err.value.problems
    assert str(err.value).startswith("s.json: ")


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 25


def test_one_problem_is_one_line() -> None:
    with pytest.raises(SessionError) as err:
        session_from_dict(edit(("training.learning_rate", -0.1)), file="lab.json")
    assert str(err.value) == "lab.json: training.learning_rate: must be > 0, got -0.1"
    assert err.value.problems == ["training.learning_rate: must be > 0, got -0.1"]


def test_several_problems_are_reported_at_once() -> None:
    d = edit(
        ("format", DELETE),
        ("network.activations", ["sigmoidd", "sigmoid"]),
        ("network.weights", [WEIGHTS[0], [[1, 2, 3]]]),
        ("network.biases", [[0, 0, 0], [0]]),
        ("network.init.scheme", "glorot"),
        ("loss", "hinge"),
        ("training.learning_rate", -0.1),
        ("training.batch_size", 2.5),
        ("training.shuffle", "yes"),
        ("features", ["x9"]),
    )
    with pytest.raises(SessionError) as err:
        session_from_dict(d, file="lab.json")
    expected = [
        "format: missing; this key is required",
        "network.activations[0]: unknown activation 'sigmoidd'",
        "network.weights[1]: shape (1, 3), expected (1, 2)",
        "network.biases[0]: 3 entries, expected 2",
        "network.init.scheme: unknown init scheme 'glorot'",
        "loss: unknown loss 'hinge'",
        "training.learning_rate: must be > 0, got -0.1",
        "training.batch_size: expected a whole number, got 2.5",
        "training.shuffle: expected true or false, got a string ('yes')",
        "features[0]: unknown feature 'x9'",
    ]
    problems = err.value.problems
    assert len(problems) == len(expected), problems
    for want, got in zip(expected, problems):
        assert got.startswith(want)
    assert str(err.value).startswith(f"lab.json: {len(expected)} problems:\n  format: missing")


def test_many_bad_entries_are_counted_not_listed() -> None:
    d = edit(
        ("network.layers", [2, 20, 1]),
        ("network.activations", ["tanh", "tanh"]),
        ("network.weights", [[["x", "y"]] * 20, [[True] * 20]]),
        ("network.biases", [[0] * 20, [0]]),
    )
    with pytest.raises(SessionError) as err:
        session_from_dict(d)
    problems = err.value.problems
    assert problems[:2] == [
        "network.weights[0][0][0]: expected a number, got a string ('x')",
        "network.weights[0][0][1]: expected a number, got a string ('y')",
    ]
    assert "network.weights[0]: 30 more entries with problems like these" in problems
    # issue 10 caps a report at 20 problems: the 22nd ("network.weights[1]: 10 more
    # entries ...") is counted in the last line instead of listed
    assert len(problems) == 20 and err.value.total == 22
    assert str(err.value).endswith("\n  ... and 2 more problems")


def test_nan_from_python_data_is_refused_too() -> None:
    d = edit(
        ("network.weights", [[[0.1, float("nan")], [0, 0]], [[0, 0]]]), ("network.biases", BIASES)
    )
    d["lecture"] = {"speed": float("inf")}
    with pytest.raises(SessionError) as err:
        session_from_dict(d)
    assert err.value.problems == [
        "network.weights[0][0][1]: nan is not allowed; numbers must be finite",
        "lecture.speed: inf is not allowed; numbers must be finite",
    ]


def test_a_file_that_is_not_a_session(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(SessionError) as err:
        load_session(path)
    assert str(err.value) == f"{path}: line 1, column 1: not valid JSON (Expecting value)"
