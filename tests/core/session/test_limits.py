"""Issue 10: every whole number is bounded, and reports stay short and cheap whatever the file.

Files with very many keys or entries must be checked in linear time; the tests bound the
work by counting (difflib calls, kept messages), never by timing.
"""

from __future__ import annotations

import difflib
import json

import pytest

from core.engine.network import MAX_HIDDEN_LAYERS
from core.session import checks
from core.session.checks import Problems, whole
from core.session.format import SessionError, loads_session, session_from_dict
from core.session.limits import MAX_KEPT, MAX_MESSAGE, LongInteger, clip, parse_int
from core.session.schema import MAX_EPOCHS
from tests.core.session.malformed_cases import edit

TOP = 2**31 - 1


def problems_of(d: dict) -> SessionError:
    with pytest.raises(SessionError) as err:
        session_from_dict(d, file="s.json")
    return err.value


@pytest.mark.parametrize(
    ("path", "good", "bad", "message"),
    [
        ("network.init.seed", TOP, TOP + 1, "must be at most 2,147,483,647"),
        ("training.seed", TOP, TOP + 1, "must be at most 2,147,483,647"),
        ("training.epochs", MAX_EPOCHS, MAX_EPOCHS + 1, "must be at most 10,000,000"),
        ("training.epochs", 1, 0, "must be >= 1, got 0"),
        ("training.batch_size", 100_000, 100_001, "must be at most 100,000"),
        ("training.batch_size", 1, 0, "must be >= 1, got 0"),
    ],
)
def test_whole_numbers_are_bounded_to_what_the_controls_show(
    path: str, good: int, bad: int, message: str
) -> None:
    session_from_dict(edit((path, good)))
    err = problems_of(edit((path, bad)))
    assert err.problems == [f"{path}: {message}" + ("" if "got" in message else f", got {bad}")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"builtin": "circle", "seed": TOP + 1}, "data.seed: must be at most 2,147,483,647"),
        ({"builtin": "circle", "n": 100_001}, "data.n: must be at most 100,000"),
        ({"builtin": "blobs", "classes": 9}, "data.classes: must be at most 8"),
        ({"builtin": "blobs", "classes": 1}, "data.classes: must be >= 2"),
    ],
)
def test_data_numbers_are_bounded(data: dict, message: str) -> None:
    err = problems_of(edit(("data", data)))
    assert any(p.startswith(message) for p in err.problems), err.problems


def test_a_number_too_long_for_python_is_reported_at_its_path() -> None:
    huge = 10**5000  # str() of it fails beyond Python's 4,300-digit limit
    err = problems_of(edit(("training.seed", huge), ("network.init.seed", -huge)))
    assert err.problems[0].startswith("network.init.seed: must be >= 0, got a whole number")
    assert err.problems[1].startswith("training.seed: must be at most 2,147,483,647, got a whole")
    assert "5,001 digits" in err.problems[1] and len(str(err)) < 400
    weights = [[[huge, 0], [0, 0]], [[0, 0]]]
    err = problems_of(edit(("network.weights", weights), ("network.biases", [[0, 0], [0]])))
    assert "network.weights[0][0][0]: a whole number of about 5,001 digits is too large" in str(err)


def test_long_integer_literals_become_markers_reported_at_their_path() -> None:
    text = json.dumps(edit(("training.epochs", 7))).replace(
        '"epochs": 7', '"epochs": ' + "9" * 5000
    )
    parsed = json.loads(text, parse_int=parse_int)
    assert isinstance(parsed["training"]["epochs"], LongInteger)
    assert parse_int("-" + "1" * 4300) == -int("1" * 4300)
    err = problems_of(parsed)
    assert err.problems == [
        "training.epochs: a whole number of 5,000 digits is too large; use 1 to 10,000,000"
    ]


def test_a_long_integer_in_json_text_is_refused_cleanly() -> None:
    text = json.dumps(edit()).replace('"loss": "mse"', '"loss": "mse", "x": ' + "1" * 5000)
    with pytest.raises(SessionError) as err:  # unknown key x: the long number stays unread
        loads_session(
            text.replace('"x": ', '"training": {"epochs": ').replace("1" * 5000, "1" * 5000 + "}"),
            file="s.json",
        )
    assert len(str(err.value)) <= 400 and "digits" in str(err.value)


def test_too_many_layers_are_refused_before_their_entries_are_walked() -> None:
    layers = [2] + [3] * (MAX_HIDDEN_LAYERS + 1) + [1]
    err = problems_of(edit(("network.layers", layers), ("network.activations", ["tanh"] * 18)))
    assert f"network.layers: 19 layers; at most {MAX_HIDDEN_LAYERS + 2}" in err.problems[0]
    err = problems_of(edit(("network.layers", ["x"] * 1_000_000)))
    assert err.problems[0] == "network.layers: 1,000,000 layers; at most 18 (16 hidden)"


def test_fifty_thousand_feature_names_give_one_problem() -> None:
    d = edit(("data", {"builtin": "circle"}), ("features", [f"f{i}" for i in range(50_000)]))
    err = problems_of(d)
    assert err.problems == ["features: 50,000 listed; there are 7 features"]
    err = problems_of(edit(("data", {"builtin": "circle"}), ("features", ["x1", "x2", "x1"])))
    assert err.problems == ["features[2]: 'x1' is listed twice; list each feature once"]


def test_many_unknown_keys_get_few_suggestions(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = difflib.get_close_matches
    monkeypatch.setattr(
        checks.difflib, "get_close_matches", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    d = edit()
    d["training"] = {f"lerning_rate{i}": 1 for i in range(300_000)}
    d["training"]["x" * 10_000] = 1  # a long key gets no suggestion
    s = session_from_dict(d)
    assert len(calls) == checks.MAX_SUGGESTED
    assert len(s.warnings) <= MAX_KEPT + 1
    assert s.warnings[-1] == "... and 299,981 more warnings"
    assert all(len(w) <= MAX_MESSAGE for w in s.warnings)
    assert len(s.extra["training"]) == 300_001  # every unknown key is still kept


def test_a_report_has_at_most_twenty_problems_of_bounded_length() -> None:
    d = edit(("network.activations", ["sigmoidd\n" * 1000] * 2))
    d["network"]["weights"] = [[["x"] * 2] * 2, [["y"] * 2]]
    d["network"]["biases"] = [[None, None], [None]]
    d["training"] = {"learning_rate": -1, "momentum": 2, "beta1": 2, "beta2": 2, "eps": -1}
    d["training"].update(l1=-1, l2=-1, epochs=0, seed=-1, batch_size=0, shuffle=1)
    err = problems_of(d)
    assert len(err.problems) <= MAX_KEPT and err.total > MAX_KEPT
    assert all(len(p) <= MAX_MESSAGE and "\n" not in p for p in err.problems)
    lines = str(err).splitlines()
    assert len(lines) == MAX_KEPT + 2 and lines[-1] == f"  ... and {err.total - 20} more problems"


def test_messages_are_one_printable_line() -> None:
    assert clip("a\nb\u2028c\x00") == "a\\nb\\u2028c\\x00"
    assert clip("\ud800x") == "\\ud800x"  # a lone surrogate cannot be printed as UTF-8
    assert len(clip("y" * 10**6)) == MAX_MESSAGE
    pr = Problems()
    for i in range(1000):
        whole("x", f"p{i}", pr)
    assert len(pr.problems) == MAX_KEPT and pr.count == 1000


def test_a_session_too_large_to_train_is_reported_at_the_batch_size() -> None:
    from core.engine.config import TrainingConfig
    from core.session.limits import check_memory

    pr = Problems()
    assert check_memory([2, 4096, 1], TrainingConfig(batch_size=100), (100_000, 0), pr)
    assert not check_memory([2, 4096, 1], TrainingConfig(), (100_000, 0), pr)
    assert pr.problems[0].startswith("training.batch_size: training would need about 26.")


def test_a_format_version_of_many_digits_is_not_a_version() -> None:
    err = problems_of(edit(("format", "backprop-lab/" + "9" * 5000)))
    assert err.problems[0].startswith("format: expected 'backprop-lab/1', got 'backprop-lab/999")
    assert len(err.problems[0]) <= MAX_MESSAGE
