"""Targets a loss is not defined for are refused where they stand, and the loss shown is the
loss's own L: on the whole set, in the history, the CLI summary and the traced step alike."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import main
from core.engine import losses
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.trainer import Trainer
from core.session.format import SessionError, load_session, session_from_dict
from core.session.lecture_setup import target_problem
from tests.core.session.sessions import minimal

BCE = {"network": {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"]}, "loss": "bce"}


def bce_session(targets: list[list[float]]) -> dict:
    d = minimal()
    d.update(BCE)
    d["data"]["inline"]["targets"] = targets
    return d


@pytest.mark.parametrize(
    ("loss", "y", "where"),
    [
        ("bce", [[0.0], [1.0], [5.0]], (2, 0)),
        ("bce", [[-0.5], [1.0]], (0, 0)),
        ("cce", [[1.0, 0.0], [0.5, 0.5]], (1, 0)),
        ("cce", [[1.0, 0.0], [0.0, 0.0]], (1, 0)),
        ("cce", [[1.0, 1.0]], (0, 0)),
    ],
)
def test_a_loss_names_the_first_target_it_is_not_defined_for(loss, y, where) -> None:
    row, column, why = losses.get(loss).target_problem(np.array(y))
    assert (row, column) == where and "not allowed" in why


@pytest.mark.parametrize(
    ("loss", "y"), [("bce", [[0.0], [0.3], [1.0]]), ("cce", [[0, 1], [1, 0]]), ("mse", [[9.0]])]
)
def test_targets_a_loss_is_defined_for_pass(loss, y) -> None:
    assert losses.get(loss).target_problem(np.array(y, dtype=float)) is None


def test_inline_targets_outside_bce_s_range_are_refused_at_their_path() -> None:
    with pytest.raises(SessionError) as err:
        session_from_dict(bce_session([[0], [1], [5], [0]]), file="s.json")
    assert any(
        p.startswith("data.inline.targets[2][0]: 5 is not allowed") for p in err.value.problems
    )


def test_csv_targets_outside_bce_s_range_are_refused_at_file_line_column(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("a,b,y\n0,0,0\n\n0,1,1\n1,0,5\n1,1,0\n")
    d = bce_session([[0]] * 4)
    d["data"] = {"csv": "d.csv", "targets": ["y"]}
    (tmp_path / "s.json").write_text(json.dumps(d))
    with pytest.raises(SessionError) as err:
        load_session(tmp_path / "s.json")
    assert any(p.startswith("d.csv:5:3: 5 is not allowed") for p in err.value.problems)
    assert main.main(["train", str(tmp_path / "s.json")]) == 2  # the CLI refuses it too


def test_an_own_lecture_target_outside_bce_s_range_is_refused() -> None:
    assert target_problem("bce", [7.0]).startswith("7 is not allowed")
    assert target_problem("bce", [0.99]) is None
    d = bce_session([[0], [1], [1], [0]])
    d["lecture"] = {"input": [0.5, 0.5], "target": [7]}
    with pytest.raises(SessionError) as err:
        session_from_dict(d)
    assert any(p.startswith("lecture.target: 7 is not allowed") for p in err.value.problems)


def test_accuracy_is_defined_on_both_splits_or_on_neither() -> None:
    x = np.array([[0.0], [1.0], [2.0], [3.0]])
    net = Network([np.array([[1.0]])], [np.zeros(1)], ["linear"])
    # The training targets are classes (0 / 1), the test targets are not (0.3): no accuracy.
    trainer = Trainer(
        net, "mse", TrainingConfig(), x[:2], np.array([[0.0], [1.0]]), x[2:], [[0.3]] * 2
    )
    assert math.isnan(trainer.history.last("train_accuracy"))
    assert math.isnan(trainer.history.last("test_accuracy"))


def test_the_cli_summary_and_the_traced_step_show_the_same_sse_loss(capsys) -> None:
    assert main.main(["train", "xor_script", "--epochs", "0", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert main.main(["step", "xor_script", "--json"]) == 0
    step = json.loads(capsys.readouterr().out)
    assert summary["train_loss"] == step["loss"] == pytest.approx(0.57594964264285, rel=1e-12)
