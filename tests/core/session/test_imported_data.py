"""Imported data in a session: its keys checked, its standardisation saved and loaded bit
for bit, its CSV path stored relative to the session file, its rows embedded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.data.imported import import_spec
from core.data.scan import CLASSIFICATION, scan_csv
from core.session.format import (
    FORMAT,
    SessionError,
    load_session,
    save_session,
    session_from_dict,
)

ROWS = "".join(f"{i * 0.37:.6f},{(i * 7919) % 13 / 3:.6f},{'abc'[i % 3]}\n" for i in range(60))


def session_dict(data: dict) -> dict:
    return {
        "format": FORMAT,
        "network": {"layers": [2, 4, 3], "activations": ["tanh", "softmax"]},
        "loss": "cce",
        "data": data,
    }


def imported(folder: Path, stored: str | None) -> dict:
    file = folder / "points.csv"
    file.write_text("u,v,kind\n" + ROWS, encoding="utf-8")
    found = scan_csv(file)
    return import_spec(found, ["kind"], CLASSIFICATION, 0.3, 5, True, stored)


def test_the_standardisation_survives_save_and_load_bit_for_bit(tmp_path: Path) -> None:
    data = imported(tmp_path, "points.csv")
    session = session_from_dict(session_dict(data), tmp_path)
    saved = save_session(session, tmp_path / "s.json")
    again = load_session(saved)
    assert again.data["standardize"] == data["standardize"]  # every float exactly
    for part in ("x_train", "x_test", "y_train"):
        np.testing.assert_array_equal(getattr(again.dataset, part), getattr(session.dataset, part))
    assert again.dataset.target_names == ("a", "b", "c")
    assert json.loads(saved.read_text())["data"]["class_names"] == ["a", "b", "c"]


def test_the_path_is_stored_relative_to_the_session_file(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    data = imported(tmp_path / "data", str(tmp_path / "data" / "points.csv"))  # unsaved: absolute
    session = session_from_dict(session_dict(data), None, allow_outside=True)
    save_session(session, tmp_path / "s.json")
    assert session.data["csv"] == "data/points.csv"
    assert json.loads((tmp_path / "s.json").read_text())["data"]["csv"] == "data/points.csv"
    assert load_session(tmp_path / "s.json").dataset.x_train.shape == (42, 2)


def test_embedded_rows_need_no_file(tmp_path: Path) -> None:
    data = imported(tmp_path, None)
    (tmp_path / "points.csv").unlink()
    session = session_from_dict(session_dict(data), tmp_path)
    save_session(session, tmp_path / "s.json")
    again = load_session(tmp_path / "s.json")
    assert again.data["inline"]["inputs"][0] == [0.0, 0.0]
    np.testing.assert_array_equal(again.dataset.x_test, session.dataset.x_test)


def test_bad_import_keys_are_refused_at_their_path(tmp_path: Path) -> None:
    data = imported(tmp_path, "points.csv")
    data["standardize"] = {"mean": [0.0, "x"], "std": [1.0, 1.0]}
    with pytest.raises(SessionError, match=r"data\.standardize\.mean\[1\]"):
        session_from_dict(session_dict(data), tmp_path)
    data["standardize"] = 3
    with pytest.raises(SessionError, match=r"data\.standardize"):
        session_from_dict(session_dict(data), tmp_path)
    data["standardize"], data["class_names"] = False, "abc"
    with pytest.raises(SessionError, match=r"data\.class_names"):
        session_from_dict(session_dict(data), tmp_path)
