"""A CSV file outside the session's folder: refused unless the user allowed it, and then
allowed all the way, from the dict to the training process (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.runner import TrainingLoop
from core.session.format import SessionError, load_session, session_from_dict, session_to_dict

CSV = "a,b,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"


def outside_session(tmp_path: Path) -> tuple[dict, Path]:
    """A session in tmp_path/lesson whose CSV file is tmp_path/data.csv; (dict, its folder)."""
    (tmp_path / "data.csv").write_text(CSV, encoding="utf-8")
    folder = tmp_path / "lesson"
    folder.mkdir()
    d = {
        "format": "backprop-lab/1",
        "network": {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"]},
        "data": {"csv": "../data.csv", "targets": ["label"]},
        "training": {"batch_size": 2},
    }
    (folder / "s.json").write_text(json.dumps(d), encoding="utf-8")
    return d, folder


def test_from_dict_refuses_data_outside_unless_allowed(tmp_path: Path) -> None:
    d, folder = outside_session(tmp_path)
    with pytest.raises(SessionError, match="is outside the session's folder"):
        session_from_dict(d, base_dir=folder)
    s = session_from_dict(d, base_dir=folder, allow_outside=True)
    assert s.allow_outside and s.dataset.x_train.shape[1] == 2
    s.reload_dataset()  # the session keeps the permission for its own reloads
    assert s.dataset.input_names == ("a", "b")


def test_load_keeps_the_permission_on_the_session(tmp_path: Path) -> None:
    _, folder = outside_session(tmp_path)
    with pytest.raises(SessionError, match="is outside the session's folder"):
        load_session(folder / "s.json")
    assert load_session(folder / "s.json", allow_outside=True).allow_outside


class Pipe:
    """The runner's end of the pipe, collecting what it sends."""

    def __init__(self) -> None:
        self.sent: list[tuple] = []

    def send(self, message: tuple) -> None:
        self.sent.append(message)


def test_the_training_process_loads_it_only_with_the_permission(tmp_path: Path) -> None:
    _, folder = outside_session(tmp_path)
    d = session_to_dict(load_session(folder / "s.json", allow_outside=True))
    pipe = Pipe()
    loop = TrainingLoop(pipe)
    loop.handle(("load", d, str(folder)))  # as before issue 10: no permission sent
    assert pipe.sent[-1][0] == "error" and "is outside the session's folder" in pipe.sent[-1][1]
    loop.handle(("load", d, str(folder), True))
    assert pipe.sent[-1][0] == "snapshot" and loop.session.allow_outside
    loop.handle(("step",))
    assert pipe.sent[-1][0] == "snapshot" and pipe.sent[-1][1].steps == 1
