"""Issue 10: large sets are evaluated in chunks, and training that would not fit in memory is
refused before anything is allocated, with the estimate in the message."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine import chunks
from core.engine.config import TrainingConfig
from core.engine.network import MAX_MEMORY, Network, TooLarge, check_memory, rows_bytes
from core.engine.trainer import Trainer
from tests.core.engine.test_trainer import CASES, _data


def _trainers(loss: str, acts: list[str], k: int, chunk: int, monkeypatch, **config):
    """Two trainers on the same network and rows: one evaluating in one pass, one in
    chunks of ``chunk`` rows."""
    x, y = _data(k, n=23)
    xt, yt = _data(k, n=17, seed=1)
    net = Network.initialized([3, 5, k], acts, "xavier_normal", 3)
    cfg = TrainingConfig(learning_rate=0.3, **config)
    whole = Trainer(net.copy(), loss, cfg, x, y, xt, yt)
    monkeypatch.setattr(chunks, "EVAL_BYTES", rows_bytes([3, 5, k], chunk))
    chunked = Trainer(net.copy(), loss, cfg, x, y, xt, yt)
    assert whole.eval_chunk > 23 and chunked.eval_chunk == chunk
    return whole, chunked


@pytest.mark.parametrize(("loss", "acts", "k"), CASES)
@pytest.mark.parametrize("chunk", [1, 5, 22])
def test_chunked_evaluation_agrees_with_one_pass(loss, acts, k, chunk, monkeypatch):
    whole, chunked = _trainers(loss, acts, k, chunk, monkeypatch)
    for x, y in ((whole.x_train, whole.y_train), (whole.x_test, whole.y_test)):
        value, accuracy = whole.evaluate(x, y)
        got = chunked.evaluate(
            chunked.x_train if x is whole.x_train else chunked.x_test,
            chunked.y_train if y is whole.y_train else chunked.y_test,
        )
        assert got[0] == pytest.approx(value, rel=1e-12)
        assert got[1] == accuracy or (np.isnan(got[1]) and np.isnan(accuracy))


@pytest.mark.parametrize("batch_size", [None, 4])
def test_training_with_chunked_evaluation_follows_the_same_path(batch_size, monkeypatch):
    whole, chunked = _trainers("mse", ["tanh", "sigmoid"], 1, 5, monkeypatch, batch_size=batch_size)
    whole.run(6)
    chunked.run(6)
    for u, v in zip(whole.network.parameters(), chunked.network.parameters()):
        np.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-15)
    for column in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        np.testing.assert_allclose(
            chunked.history.column(column), whole.history.column(column), rtol=1e-12
        )


def test_sets_under_the_chunk_size_are_evaluated_in_one_pass_bit_for_bit():
    x, y = _data(1, n=40)
    net = Network.initialized([3, 5, 1], ["tanh", "sigmoid"], "xavier_normal", 3)
    trainer = Trainer(net, "bce", TrainingConfig(), x, y)
    assert trainer.eval_chunk >= 100_000  # every set a session allows, for a small network
    ws = trainer.fast.workspace(40)
    trainer.fast.forward(ws, x)
    assert trainer.evaluate(x, y)[0] == trainer.fast.loss_and_delta(ws, y, "bce")


def test_training_that_would_not_fit_in_memory_is_refused_with_the_estimate():
    layers = [2, 4096, 1]
    with pytest.raises(TooLarge, match=r"would need about 26\.\d GB of memory, more than the 2 GB"):
        check_memory(layers, 100_000, 1000, 100_000)
    check_memory(layers, 1000, 1000, 100_000)  # mini-batches fit
    net = Network.initialized(layers, ["tanh", "sigmoid"], "xavier_normal", 0)
    x, y = np.zeros((100_000, 2)), np.zeros((100_000, 1))
    with pytest.raises(TooLarge, match="use smaller batches"):
        Trainer(net, "mse", TrainingConfig(), x, y)  # refused before the workspaces exist
    trainer = Trainer(net, "mse", TrainingConfig(batch_size=1000), x, y)
    assert trainer.eval_chunk < 100_000  # this network's sets are evaluated in chunks
    assert MAX_MEMORY == 2 * 10**9


def test_predict_goes_in_chunks_through_a_wide_network(monkeypatch):
    from core.engine import network

    net = Network.initialized([2, 7, 3], ["tanh", "softmax"], "xavier_normal", 1)
    x = np.random.default_rng(0).normal(size=(50, 2))
    whole = net.predict(x)
    calls = []
    forward = Network.forward
    monkeypatch.setattr(
        Network, "forward", lambda self, x: calls.append(len(x)) or forward(self, x)
    )
    monkeypatch.setattr(network, "PREDICT_BYTES", 16 * 12 * 8)  # 8 rows of [2, 7, 3]
    np.testing.assert_allclose(net.predict(x), whole, rtol=1e-12, atol=1e-15)
    assert calls == [8] * 6 + [2]
