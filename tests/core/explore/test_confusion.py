"""The confusion matrix counts every row once, where its true and predicted classes meet,
and its trace is the accuracy the trainer reports."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from core.engine.trainer import trainer_for
from core.explore.confusion import confusion, predicted_classes
from core.session.format import load_session
from tests import paths


@functools.cache
def trained_digits():
    session = load_session(paths.LESSONS / "digits.json")
    trainer = trainer_for(session)
    for _ in range(2):
        trainer.run_epoch()
    return session, trainer


@pytest.mark.parametrize("split", ["train", "test"])
def test_counts_equal_a_direct_count_row_by_row(split: str) -> None:
    session, _ = trained_digits()
    ds, net = session.dataset, session.network
    x, y = (ds.x_train, ds.y_train) if split == "train" else (ds.x_test, ds.y_test)
    expected = np.zeros((10, 10), dtype=np.int64)
    for row, target in zip(x, y):
        a = net.forward(row[None, :]).a[-1][0]
        expected[int(np.argmax(target)), int(np.argmax(a))] += 1
    got = confusion(net, ds, split)
    assert got is not None and got.split == split
    np.testing.assert_array_equal(got.counts, expected)
    assert got.counts.sum() == len(x)
    np.testing.assert_array_equal(got.counts.sum(axis=1), y.sum(axis=0).astype(int))


def test_trace_is_the_accuracy_the_trainer_reports() -> None:
    session, trainer = trained_digits()
    for split in ("train", "test"):
        got = confusion(session.network, session.dataset, split)
        assert got.accuracy == pytest.approx(trainer.history.last(f"{split}_accuracy"), abs=0)


def test_misclassified_rows_are_exactly_the_wrong_ones_in_order() -> None:
    session, _ = trained_digits()
    ds, net = session.dataset, session.network
    got = confusion(net, ds, "test")
    wrong = [
        i
        for i, (row, target) in enumerate(zip(ds.x_test, ds.y_test))
        if np.argmax(net.forward(row[None, :]).a[-1][0]) != np.argmax(target)
    ]
    assert got.misclassified().tolist() == wrong
    assert got.misclassified(5).tolist() == wrong[:5]
    assert len(wrong) == got.counts.sum() - np.trace(got.counts)


def test_chunked_prediction_matches_one_pass(monkeypatch) -> None:
    session, _ = trained_digits()
    net, x = session.network, session.dataset.x_train
    whole = net.forward(x).a[-1].argmax(axis=1)
    monkeypatch.setattr("core.explore.confusion.chunk_rows", lambda layers: 7)
    np.testing.assert_array_equal(predicted_classes(net, x), whole)


def test_targets_that_are_not_classes_have_no_confusion() -> None:
    session = load_session(paths.LESSONS / "digits.json")
    ds = session.dataset
    odd = type(ds)(**{**ds.__dict__, "y_train": ds.y_train * 0.5})
    assert confusion(session.network, odd, "train") is None
    with pytest.raises(ValueError):
        confusion(session.network, ds, "validation")
