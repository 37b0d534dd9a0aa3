"""The predictions table: every value against a direct evaluation of one row at a time,
the rows' loss terms against the trainer's reported loss, xor_script's four rows."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from core.data.dataset import Dataset
from core.engine import chunks
from core.engine.config import TrainingConfig
from core.engine.network import Network, rows_bytes
from core.engine.trainer import Trainer, trainer_for
from core.explore.predictions import (
    TEST,
    TRAIN,
    columns,
    csv_text,
    numeric_columns,
    predictions,
    split_loss,
)
from core.session.format import session_from_dict
from tests import paths

CASES = [  # loss, activations, outputs, classes?
    ("mse", ["relu", "sigmoid"], 1, True),
    ("mse", ["tanh", "tanh"], 1, False),
    ("sse", ["tanh", "linear"], 2, False),
    ("sse", ["tanh", "sigmoid"], 1, True),
    ("mse", ["leaky_relu", "tanh"], 3, True),
    ("bce", ["tanh", "sigmoid"], 2, False),
    ("bce", ["relu", "sigmoid"], 1, True),
    ("cce", ["sigmoid", "softmax"], 3, True),
]


def _dataset(k: int, classes: bool, lo: float, n_train: int = 13, n_test: int = 7) -> Dataset:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(n_train + n_test, 3))
    if classes:
        labels = rng.integers(0, max(k, 2), n_train + n_test)
        y = np.where(np.eye(k)[labels] == 1, 1.0, lo) if k > 1 else np.where(labels, 1.0, lo)
        y = y.reshape(len(x), k)
    else:
        y = rng.uniform(0.05, 0.95, size=(len(x), k))
    names = ("y",) if k == 1 else tuple(f"class {c + 1}" for c in range(k))
    return Dataset(
        x[:n_train], y[:n_train], x[n_train:], y[n_train:], ("p", "q", "r"), names,
        "classification" if classes else "regression", None, None, None, None, None,
    )  # fmt: skip


def _direct(net: Network, x: np.ndarray, y: np.ndarray, loss: str) -> tuple:
    """Output and loss term of one row, written out from the formulas."""
    a = x.copy()
    for w, b, name in zip(net.weights, net.biases, net.activation_names):
        z = w @ a + b
        a = {
            "relu": lambda z: np.maximum(z, 0),
            "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
            "tanh": np.tanh,
            "linear": lambda z: z,
            "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
            "softmax": lambda z: np.exp(z) / np.exp(z).sum(),
        }[name](z)
    term = {
        "mse": lambda: np.mean((y - a) ** 2),
        "sse": lambda: 0.5 * np.sum((y - a) ** 2),
        "bce": lambda: -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)),
        "cce": lambda: -np.sum(y * np.log(a)),
    }[loss]()
    return a, term


def _case(loss, acts, k, classes):
    lo = -1.0 if acts[-1] == "tanh" else 0.0
    ds = _dataset(k, classes, lo)
    net = Network.initialized([3, 5, k], acts, "xavier_normal", 3)
    return net, ds


@pytest.mark.parametrize(("loss", "acts", "k", "classes"), CASES)
def test_every_value_is_the_rows_own_evaluation(loss, acts, k, classes):
    net, ds = _case(loss, acts, k, classes)
    pred = predictions(net, ds, loss)
    assert len(pred) == 20 and pred.n_train == 13
    assert list(pred.split) == [TRAIN] * 13 + [TEST] * 7
    assert list(pred.index) == [*range(13), *range(7)]
    for r in range(20):
        split_x = ds.x_train if r < 13 else ds.x_test
        split_y = ds.y_train if r < 13 else ds.y_test
        i = pred.index[r]
        a, term = _direct(net, split_x[i], split_y[i], loss)
        assert np.array_equal(pred.x[r], split_x[i]) and np.array_equal(pred.y[r], split_y[i])
        np.testing.assert_allclose(pred.output[r], a, rtol=1e-12, atol=1e-15)
        assert pred.loss_term[r] == pytest.approx(term, rel=1e-12, abs=1e-15)
        if classes:
            truth = split_y[i].argmax() if k > 1 else int(split_y[i][0] == 1.0)
            guess = a.argmax() if k > 1 else int(a[0] >= (0.0 if lo_of(acts) else 0.5))
            assert pred.true_class[r] == truth and pred.predicted_class[r] == guess
            assert pred.correct[r] == (truth == guess)
    if not classes:
        assert pred.correct is None and pred.true_class is None and not pred.class_names


def lo_of(acts: list[str]) -> bool:
    """Whether the output's class codes are -1 and +1 (threshold 0)."""
    return acts[-1] in ("tanh", "linear")


@pytest.mark.parametrize(("loss", "acts", "k", "classes"), CASES)
def test_the_terms_give_the_loss_and_accuracy_the_trainer_reports(loss, acts, k, classes):
    net, ds = _case(loss, acts, k, classes)
    cfg = TrainingConfig(learning_rate=0.2, batch_size=4, l2=0.01)
    trainer = Trainer(net, loss, cfg, ds.x_train, ds.y_train, ds.x_test, ds.y_test)
    for _ in range(3):
        pred = predictions(trainer.network, ds, loss)
        train, test = pred.split == TRAIN, pred.split == TEST
        history = trainer.history
        got = split_loss(pred.loss_term[train], loss), split_loss(pred.loss_term[test], loss)
        assert got[0] == pytest.approx(history.last("train_loss"), rel=1e-12, abs=1e-15)
        assert got[1] == pytest.approx(history.last("test_loss"), rel=1e-12, abs=1e-15)
        if classes:
            assert pred.correct[train].mean() == history.last("train_accuracy")
            assert pred.correct[test].mean() == history.last("test_accuracy")
        trainer.run_epoch()


@pytest.mark.parametrize(("loss", "acts", "k", "classes"), CASES[::2])
@pytest.mark.parametrize("chunk", [1, 3, 19])
def test_chunks_change_nothing(loss, acts, k, classes, chunk, monkeypatch):
    net, ds = _case(loss, acts, k, classes)
    whole = predictions(net, ds, loss)
    monkeypatch.setattr(chunks, "EVAL_BYTES", rows_bytes(net.layers, chunk))
    assert chunks.chunk_rows(net.layers) == chunk
    parts = predictions(net, ds, loss)
    np.testing.assert_allclose(parts.output, whole.output, rtol=1e-14)
    np.testing.assert_allclose(parts.loss_term, whole.loss_term, rtol=1e-12)


def _xor():
    d = json.loads((paths.LESSONS / "xor_script.json").read_text(encoding="utf-8"))
    return session_from_dict(d)


def _xor_by_hand(w1, b1, w2, b2):
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    hidden = 1 / (1 + np.exp(-(x @ w1.T + b1)))
    out = 1 / (1 + np.exp(-(hidden @ w2.T + b2)))
    return x, out


def test_xor_script_gives_its_four_rows_before_and_after_training():
    session = _xor()
    trainer = trainer_for(session)
    for epochs in (0, 10_000):
        trainer.run(epochs=epochs) if epochs else None
        net = trainer.network
        pred = predictions(net, session.dataset, session.loss)
        x, out = _xor_by_hand(net.weights[0], net.biases[0], net.weights[1], net.biases[1])
        target = np.array([[0.0], [1.0], [1.0], [0.0]])
        assert len(pred) == 4 and list(pred.split) == [TRAIN] * 4
        assert np.array_equal(pred.x, x) and np.array_equal(pred.y, target)
        np.testing.assert_allclose(pred.output, out, rtol=1e-12)
        np.testing.assert_allclose(pred.loss_term, 0.5 * (target - out)[:, 0] ** 2, rtol=1e-12)
        assert pred.loss_term.sum() == pytest.approx(trainer.history.last("train_loss"), 1e-12)
        assert list(pred.true_class) == [0, 1, 1, 0]
        assert list(pred.predicted_class) == list((out[:, 0] >= 0.5).astype(int))
    assert list(pred.correct) == [True] * 4  # the script's network learns XOR
    assert pred.output[0, 0] < 0.1 and pred.output[1, 0] > 0.9


def test_xor_script_before_training_names_the_script_numbers():
    pred = predictions(_xor().network, _xor().dataset, "sse")
    assert pred.output[0, 0] == pytest.approx(0.6880892528638316, rel=1e-12)
    assert list(pred.correct) == [False, True, True, False]  # every output above 0.5


def test_builtin_data_keeps_its_raw_points_and_classes():
    session = session_from_dict(
        {
            "format": "backprop-lab/1",
            "network": {"layers": [3, 4, 1], "activations": ["tanh", "tanh"]},
            "data": {"builtin": "circle", "n": 40, "noise": 0.1, "seed": 3},
            "features": ["x1", "x2", "x1^2"],
        }
    )
    ds = session.dataset
    pred = predictions(session.network, ds, session.loss)
    assert pred.input_names == ("x1", "x2", "x1^2")
    assert np.array_equal(pred.points, np.concatenate([ds.points_train, ds.points_test]))
    assert np.array_equal(pred.true_class, np.concatenate([ds.classes_train, ds.classes_test]))
    assert pred.class_names == ("0", "1")


def test_csv_holds_every_number_exactly():
    net, ds = _case("cce", ["sigmoid", "softmax"], 3, True)
    pred = predictions(net, ds, "cce")
    rows = list(csv.reader(io.StringIO(csv_text(pred, [19, 0]))))
    assert rows[0] == columns(pred)
    assert rows[1][:2] == ["test", "7"] and rows[2][:2] == ["train", "1"]
    numbers = numeric_columns(pred)
    for j, name in enumerate(rows[0]):
        if name in ("p", "q", "r", "loss term") or name.startswith(("target", "output")):
            assert float(rows[1][j]) == numbers[j][19] and float(rows[2][j]) == numbers[j][0]
    assert rows[1][rows[0].index("class")] == pred.class_names[pred.true_class[19]]
    assert rows[1][-1] == ("yes" if pred.correct[19] else "no")
