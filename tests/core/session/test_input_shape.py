"""data.input_shape: the inputs of a row as a picture (e.g. [8, 8]); checked at its JSON
path against the number of inputs, kept by save and load, offered as dataset.input_shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.session.format import (
    SessionError,
    load_session,
    save_session,
    session_from_dict,
    session_to_dict,
)
from tests.core.session.sessions import minimal

PIXELS = [[float(i % 3) for i in range(6)], [float(i % 2) for i in range(6)]]


def picture_session(shape: object) -> dict:
    """A 6-input session on two inline rows, with ``input_shape`` as given."""
    d = minimal()
    d["network"]["layers"] = [6, 2, 1]
    d["data"] = {"inline": {"inputs": PIXELS, "targets": [[0], [1]]}, "input_shape": shape}
    return d


def problems(d: dict) -> list[str]:
    with pytest.raises(SessionError) as err:
        session_from_dict(d)
    return err.value.problems


@pytest.mark.parametrize("shape", [[2, 3], [3, 2], [6], [1, 6], [1, 2, 3], [6, 1, 1]])
def test_a_shape_whose_product_is_the_inputs_is_kept(shape: list[int]) -> None:
    s = session_from_dict(picture_session(shape))
    assert s.dataset.input_shape == tuple(shape)
    assert s.data["input_shape"] == shape and not s.warnings


def test_without_it_there_is_no_shape() -> None:
    assert session_from_dict(minimal()).dataset.input_shape is None


def test_a_csv_file_takes_it_too(tmp_path: Path) -> None:
    rows = "".join(f"{i},{i + 1},{i + 2},{i + 3},{i % 2}\n" for i in range(4))
    (tmp_path / "p.csv").write_text("a,b,c,d,y\n" + rows, encoding="utf-8")
    d = minimal()
    d["network"]["layers"] = [4, 2, 1]
    d["data"] = {"csv": "p.csv", "targets": ["y"], "input_shape": [2, 2]}
    assert session_from_dict(d, base_dir=tmp_path).dataset.input_shape == (2, 2)


@pytest.mark.parametrize(
    ("shape", "problem"),
    [
        (
            [2, 2],
            "data.input_shape: 2 x 2 = 4, but there are 6 inputs; give a shape whose "
            "product is the number of inputs",
        ),
        ([2, 4], "data.input_shape: 2 x 4 = 8, but there are 6 inputs;"),
        ([0, 6], "data.input_shape[0]: 0 is not a whole number from 1 to 6 (the inputs)"),
        ([-2, -3], "data.input_shape[0]: -2 is not a whole number from 1 to 6"),
        ([2, 3.0], "data.input_shape[1]: 3.0 is not a whole number from 1 to 6"),
        ([2, True], "data.input_shape[1]: true is not a whole number"),
        ([2, "3"], "data.input_shape[1]: that value is not a whole number"),
        ([2, None], "data.input_shape[1]: null is not a whole number"),
        ([10**30, 1], "data.input_shape[0]: that value is not a whole number"),
        ([7], "data.input_shape[0]: 7 is not a whole number from 1 to 6"),
        ([], "data.input_shape: expected a list of 1 to 3 whole numbers such as [8, 8]"),
        ([1, 1, 2, 3], "data.input_shape: expected a list of 1 to 3 whole numbers"),
        ("2x3", "data.input_shape: expected a list, got"),
        ({"rows": 2}, "data.input_shape: expected a list, got"),
        (6, "data.input_shape: expected a list, got"),
    ],
)
def test_a_wrong_shape_is_refused_at_its_path(shape: object, problem: str) -> None:
    found = problems(picture_session(shape))
    assert len(found) == 1 and found[0].startswith(problem), found


def test_the_product_is_checked_against_the_input_layer_too() -> None:
    """A shape that fits the data but not the network: the network is what is wrong."""
    d = picture_session([2, 3])
    d["network"]["layers"] = [4, 2, 1]
    assert problems(d) == [
        "network.layers[0]: 4 inputs, but the data gives 6 (x1, x2, x3, x4, x5, x6); "
        "make them equal"
    ]


def test_built_in_data_has_no_shape_its_features_decide() -> None:
    d = minimal()
    d["data"] = {"builtin": "xor", "n": 20, "input_shape": [1, 2]}
    s = session_from_dict(d)
    assert s.dataset.input_shape is None
    assert any("data.input_shape" in w and "unknown key" in w for w in s.warnings)
    assert session_to_dict(s)["data"]["input_shape"] == [1, 2]  # kept, as unknown keys are


def test_save_and_load_keep_it(tmp_path: Path) -> None:
    s = session_from_dict(picture_session([3, 2]))
    saved = save_session(s, tmp_path / "picture.json")
    assert json.loads(saved.read_text(encoding="utf-8"))["data"]["input_shape"] == [3, 2]
    again = load_session(saved)
    assert again.dataset.input_shape == (3, 2) and again.data == s.data
    assert session_to_dict(again)["data"] == session_to_dict(s)["data"]


def test_reloading_the_data_keeps_it() -> None:
    s = session_from_dict(picture_session([2, 3]))
    s.reload_dataset()
    assert s.dataset.input_shape == (2, 3)
