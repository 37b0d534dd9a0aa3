"""What a network predicts for every training and test row: inputs, target, output, the
row's loss term and, for classes, whether it is right.

The loss term of row i is its part of the loss, with the loss's own per-element terms
(core.engine.losses), before the split's averaging:

- mse: l_i = 1/k sum_k (y_ik - a_ik)^2, and L = 1/n sum_i l_i
- sse: l_i = 1/2 sum_k (y_ik - a_ik)^2, and L = sum_i l_i
- bce: l_i = -1/k sum_k [y log a + (1 - y) log(1 - a)]_ik, and L = 1/n sum_i l_i
- cce: l_i = -sum_k y_ik log softmax(z_i)_k, and L = 1/n sum_i l_i

so a split's L (the history's train_loss and test_loss, which leave out the L1/L2
penalty) is the mean of its rows' terms, or for sse their sum (:func:`split_loss`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.data.dataset import Dataset
from core.engine import activations, losses
from core.engine.chunks import chunk_rows
from core.engine.network import Network

TRAIN, TEST = 0, 1
SPLITS = ("train", "test")
SUMMED = ("sse",)  # losses whose L sums the rows' terms; the others average them


@dataclass(frozen=True, eq=False)
class Predictions:
    """One table row per training row, then one per test row.

    ``split`` is TRAIN or TEST and ``index`` the row's number in its split (from 0);
    ``x`` the network's inputs (named ``input_names``), ``points`` the raw points they
    were made from (built-in data; else None); ``y`` the encoded targets the loss uses
    (named ``target_names``), ``output`` the network's outputs a; ``loss_term`` each
    row's l_i (module docstring).  For classes (``classes`` true): ``true_class``,
    ``predicted_class`` (indices into ``class_names``) and ``correct``; else None.
    """

    split: np.ndarray
    index: np.ndarray
    x: np.ndarray
    points: np.ndarray | None
    y: np.ndarray
    output: np.ndarray
    loss_term: np.ndarray
    input_names: tuple[str, ...]
    target_names: tuple[str, ...]
    loss: str
    true_class: np.ndarray | None
    predicted_class: np.ndarray | None
    correct: np.ndarray | None
    class_names: tuple[str, ...]

    @property
    def classes(self) -> bool:
        """Whether the targets are classes (so rows are right or wrong)."""
        return self.correct is not None

    @property
    def n_train(self) -> int:
        """How many training rows (they come first)."""
        return int(np.count_nonzero(self.split == TRAIN))

    def __len__(self) -> int:
        return len(self.split)

    def row_of(self, split: int, index: int) -> int:
        """The table row of row ``index`` of ``split``."""
        return index if split == TRAIN else self.n_train + index


def row_loss_terms(
    network: Network, x: np.ndarray, y: np.ndarray, loss: str
) -> tuple[np.ndarray, np.ndarray]:
    """(outputs a, loss terms l_i) of rows ``x`` with targets ``y``, chunk by chunk so
    that a pass's arrays stay bounded (core.engine.chunks.chunk_rows)."""
    fn = losses.get(loss)
    n, k = len(x), network.layers[-1]
    a, terms = np.empty((n, k)), np.empty(n)
    step = chunk_rows(network.layers)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for start in range(0, n, step):
            end = min(start + step, n)
            fp = network.forward(x[start:end])
            a[start:end] = fp.a[-1]
            elements = fn.terms(fp.z[-1], fp.a[-1], y[start:end])
            # the engine's terms carry the batch's 1/n (or 1/(n k)): undo its 1/n here
            scale = 1 if loss in SUMMED else end - start
            terms[start:end] = elements.sum(axis=1) * scale
    return a, terms


def split_loss(terms: np.ndarray, loss: str) -> float:
    """A split's loss L from its rows' terms: their sum (sse) or their mean; NaN for none."""
    if len(terms) == 0:
        return math.nan
    return float(terms.sum()) if loss in SUMMED else float(terms.mean())


def class_of(y: np.ndarray, output: str) -> np.ndarray | None:
    """The class index of each target row (argmax of several outputs, or 1 where the one
    output is the "this class" code), or None if the targets are not all class codes."""
    codes = activations.class_codes(y, output)
    if codes is None:
        return None
    return y.argmax(axis=1) if y.shape[1] > 1 else (y[:, 0] == codes[1]).astype(np.int64)


def predicted_class_of(a: np.ndarray, output: str) -> np.ndarray:
    """The class the outputs name: argmax of several, else 1 where the output is at or
    above the midpoint of its class codes (as the trainer's accuracy counts)."""
    if a.shape[1] > 1:
        return a.argmax(axis=1)
    return (a[:, 0] >= activations.get(output).threshold).astype(np.int64)


def predictions(network: Network, dataset: Dataset, loss: str) -> Predictions:
    """Every row of ``dataset`` (training rows, then test rows) through ``network``."""
    x = np.concatenate([dataset.x_train, dataset.x_test])
    y = np.concatenate([dataset.y_train, dataset.y_test])
    n_train, n_test = len(dataset.x_train), len(dataset.x_test)
    output_name = network.activation_names[-1]
    a, terms = row_loss_terms(network, x, y, loss)
    truth = _truth(dataset, output_name)
    predicted = None if truth is None else predicted_class_of(a, output_name)
    k = y.shape[1]
    names = tuple(dataset.target_names) if k > 1 else ("0", "1")
    points = None
    if dataset.points_train is not None:
        points = np.concatenate([dataset.points_train, dataset.points_test])
    return Predictions(
        split=np.repeat(np.array([TRAIN, TEST], dtype=np.int8), [n_train, n_test]),
        index=np.concatenate([np.arange(n_train), np.arange(n_test)]),
        x=x,
        points=points,
        y=y,
        output=a,
        loss_term=terms,
        input_names=tuple(dataset.input_names),
        target_names=tuple(dataset.target_names),
        loss=loss,
        true_class=truth,
        predicted_class=predicted,
        correct=None if truth is None else predicted == truth,
        class_names=names if truth is not None else (),
    )


def _truth(dataset: Dataset, output: str) -> np.ndarray | None:
    """Each row's true class, if both splits' targets are classes (as the trainer's
    accuracy: on both splits or neither)."""
    train = class_of(dataset.y_train, output)
    if train is None:
        return None
    if len(dataset.y_test) == 0:
        return train
    test = class_of(dataset.y_test, output)
    return None if test is None else np.concatenate([train, test])


def _columns(pred: Predictions) -> list[tuple[str, str, np.ndarray]]:
    """The table's columns in order: (name, kind, numbers to sort by), kind saying how a
    column reads as text (split, int, number, class, bool): the split as 0/1, rows from 1,
    classes as indices, correct as 0/1."""
    k, classes = pred.y.shape[1], bool(pred.classes)
    outputs = ["output"] if k == 1 else [f"output {n}" for n in pred.target_names]
    cols = [("split", "split", pred.split), ("row", "int", pred.index + 1)]
    cols += [(n, "number", x) for n, x in zip(pred.input_names, pred.x.T, strict=True)]
    cols += [("class", "class", pred.true_class)] if classes else []
    cols += [(f"target {n}", "number", y) for n, y in zip(pred.target_names, pred.y.T)]
    cols += [(n, "number", o) for n, o in zip(outputs, pred.output.T, strict=True)]
    cols += [("predicted", "class", pred.predicted_class)] if classes else []
    cols.append(("loss term", "number", pred.loss_term))
    cols += [("correct", "bool", pred.correct.astype(np.int8))] if classes else []
    return cols


def columns(pred: Predictions) -> list[str]:
    """The table's column names, in the order of :func:`numeric_columns`."""
    return [name for name, _, _ in _columns(pred)]


def numeric_columns(pred: Predictions) -> list[np.ndarray]:
    """Each column of :func:`columns` as one array of numbers to sort by (the split as
    0/1, rows from 1, classes as indices, correct as 0/1)."""
    return [values for _, _, values in _columns(pred)]


def csv_text(pred: Predictions, rows: Sequence[int] | np.ndarray | None = None) -> str:
    """The table as CSV (header, then ``rows``, default all, in that order): numbers in
    full (repr: they read back to the same float), the split and classes as words."""
    order = np.arange(len(pred)) if rows is None else np.asarray(rows, dtype=np.int64)
    cols = _columns(pred)
    header = ",".join(_quoted(name) for name, _, _ in cols)
    texts = [_column_text(pred, kind, values[order]) for _, kind, values in cols]
    return "\n".join([header, *(",".join(cells) for cells in zip(*texts))]) + "\n"


def _column_text(pred: Predictions, kind: str, values: np.ndarray) -> list[str]:
    """One column's cells as CSV text."""
    if kind == "split":
        return [SPLITS[v] for v in values.tolist()]
    if kind == "int":
        return [str(v) for v in values.tolist()]
    if kind == "class":
        names = [_quoted(n) for n in pred.class_names]
        return [names[v] for v in values.tolist()]
    if kind == "bool":
        return ["yes" if v else "no" for v in values.tolist()]
    return [repr(v) for v in values.astype(np.float64).tolist()]


def _quoted(text: str) -> str:
    """A CSV field: quoted if it holds a comma, a quote or a line break."""
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text
