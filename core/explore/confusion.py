"""How a classifier errs on one split: the confusion matrix and the misclassified rows.

C[t, p] counts the rows of the split whose true class is t and whose predicted class is
p (argmax of the outputs, as the trainer's accuracy counts), so that sum_p C[t, p] is the
number of rows of class t and trace(C) / n is the split's accuracy.  The forward pass runs
in chunks of core.engine.chunks.chunk_rows, so memory stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.data.dataset import Dataset
from core.engine.chunks import chunk_rows
from core.engine.network import Network
from core.engine.trainer import quiet
from core.explore.predictions import class_of, predicted_class_of

SPLITS = ("train", "test")


@dataclass(frozen=True, eq=False)
class Confusion:
    """One split's ``counts`` (k x k, rows: true class, columns: predicted), each row's
    ``true`` and ``predicted`` class, and the split's name."""

    split: str
    counts: np.ndarray
    true: np.ndarray
    predicted: np.ndarray

    @property
    def accuracy(self) -> float:
        """trace(C) / n: the share of rows predicted right (NaN for no rows)."""
        n = int(self.counts.sum())
        return float(np.trace(self.counts)) / n if n else float("nan")

    def misclassified(self, first: int | None = None) -> np.ndarray:
        """The split's row numbers whose prediction is wrong, in order (the first
        ``first`` of them, or all)."""
        wrong = np.flatnonzero(self.true != self.predicted)
        return wrong if first is None else wrong[:first]


def predicted_classes(network: Network, x: np.ndarray) -> np.ndarray:
    """The class ``network`` predicts for each row of ``x`` (argmax of several outputs,
    else the threshold of the output's class codes), chunk by chunk."""
    output = network.activation_names[-1]
    step = chunk_rows(list(network.layers))
    parts = [np.empty(0, dtype=np.int64)]
    with quiet():
        for start in range(0, len(x), step):
            a = network.forward(x[start : start + step]).a[-1]
            parts.append(predicted_class_of(a, output).astype(np.int64))
    return np.concatenate(parts)


def confusion(network: Network, dataset: Dataset, split: str = "train") -> Confusion | None:
    """The confusion of ``network`` on ``dataset``'s ``split`` ("train" or "test"); None
    when its targets are not classes."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use 'train' or 'test'")
    x, y = (
        (dataset.x_train, dataset.y_train)
        if split == "train"
        else (
            dataset.x_test,
            dataset.y_test,
        )
    )
    true = class_of(y, network.activation_names[-1]) if len(y) else np.empty(0, np.int64)
    if true is None:
        return None
    k = max(y.shape[1], 2)
    predicted = predicted_classes(network, x)
    counts = np.bincount(true * k + predicted, minlength=k * k).reshape(k, k)
    return Confusion(split, counts, true.astype(np.int64), predicted)
