"""Training: one step, one epoch, N epochs; history; stop conditions; divergence.

One step is one optimiser update on one mini-batch.  An epoch is one pass
over the training split, in order, or with ``shuffle`` in an order drawn from
``default_rng([seed, epoch])``, so a run is replayed exactly from its seed.
History row e holds the losses L of the whole training and test sets (as the loss's
formula defines L: sse is 1/2 sum over the set's rows, not a mean) and the accuracies
after e epochs (row 0 is the start) and each layer's |dW| at the epoch's last step.

There are no threads here: a GUI drives the trainer step by step, or passes
``run`` a plain callback (called once per epoch) to show progress or stop.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np

from core.engine import activations, bugs, losses
from core.engine.chunks import ChunkWorkspaces, chunk_rows, evaluate_chunks, right_count
from core.engine.config import TrainingConfig
from core.engine.fastpath import FastNet, Workspace, norm
from core.engine.history import Divergence, History, quiet  # noqa: F401 (quiet: re-exported)
from core.engine.network import Network, check_memory
from core.engine.optimizers import Optimizer
from core.engine.params import FlatLayout
from core.engine.penalties import penalty, step_gradient

USABLE_FACTOR = 10.0  # a state is restorable while its loss is within 10x the lowest


class Trainer:
    """Trains a network in place on (x_train, y_train); evaluates on both splits."""

    def __init__(
        self,
        network: Network,
        loss: str,
        config: TrainingConfig,
        x_train: np.ndarray,
        y_train: np.ndarray,
        x_test: np.ndarray | None = None,
        y_test: np.ndarray | None = None,
    ) -> None:
        problem = losses.pairing_problem(loss, network.activation_names[-1], network.layers[-1])
        if problem:
            raise ValueError(problem)
        self.network = network
        self.loss = losses.get(loss)
        self._loss_name = loss
        self.config = config
        self._take_data(x_train, y_train, x_test, y_test)
        self.optimizer = Optimizer(
            config.optimizer,
            config.learning_rate,
            config.momentum,
            config.beta1,
            config.beta2,
            config.eps,
        )
        self.epoch = 0
        self.steps = 0
        self.status = "ready"
        self.divergence: Divergence | None = None
        self.bug: str | None = None  # a classic mistake switched on (core.engine.bugs)
        self._threshold = activations.get(network.activation_names[-1]).threshold
        self._rebuild()
        self.history = History(len(network.weights))
        with quiet():
            self._record_epoch()

    # --- setup ---

    def _rebuild(self) -> None:
        """Re-home the network's parameters in one flat array and size the buffers; raise
        TooLarge first if they would need more than core.engine.network.MAX_MEMORY."""
        net = self.network
        n = len(self.x_train)
        self.batch_size = min(self.config.batch_size or n, n)
        self.eval_chunk = chunk_rows(net.layers)  # larger sets are evaluated in chunks
        check_memory(net.layers, self.batch_size, self.eval_chunk, n + len(self.x_test))
        layout = FlatLayout(net.layers)
        self._flat = layout.pack(net.weights, net.biases)
        net.weights[:], net.biases[:] = layout.views(self._flat)
        self._flat_grad = np.zeros(layout.size)
        dW, db = layout.views(self._flat_grad)
        self.fast = FastNet(net.weights, net.biases, net.activation_names, dW, db)
        self._finite_copy = self._flat.copy()  # the last usable state (see _record_epoch)
        self.usable_epoch, self._lowest = self.epoch, math.inf
        self._layout = layout
        self._use_mask(self.config)
        self._workspaces: dict[int, Workspace] = {}
        self._chunks = ChunkWorkspaces(self.fast, self.eval_chunk)
        self._test_ws: Workspace | None = None
        self._order: np.ndarray | None = None
        self._pos = 0
        self._cached_value: float | None = None

    def _take_data(self, x_train, y_train, x_test, y_test) -> None:
        d = self.network.layers
        self.x_train = np.ascontiguousarray(x_train, dtype=float)
        self.y_train = np.ascontiguousarray(y_train, dtype=float)
        self.x_test = np.empty((0, d[0])) if x_test is None else np.asarray(x_test, dtype=float)
        self.y_test = np.empty((0, d[-1])) if y_test is None else np.asarray(y_test, dtype=float)
        self._truth_train = self._class_truth(self.y_train)
        self._truth_test = self._class_truth(self.y_test)
        if self._truth_train is None or (len(self.y_test) and self._truth_test is None):
            self._truth_train = self._truth_test = None  # accuracy on both splits, or neither

    def set_data(self, x_train, y_train, x_test=None, y_test=None) -> None:
        """Train on these rows from the next step on (points drawn on the map), keeping the
        weights, the optimiser's state, the epoch and step counts and the history; an epoch
        under way starts over on the new rows.  The arrays are kept, never written."""
        if not len(x_train):
            raise ValueError("there are no training rows left; keep at least one point")
        self._take_data(x_train, y_train, x_test, y_test)
        n = len(self.x_train)
        self.batch_size = min(self.config.batch_size or n, n)
        check_memory(self.network.layers, self.batch_size, self.eval_chunk, n + len(self.x_test))
        self._workspaces, self._test_ws = {}, None
        self._order, self._pos, self._cached_value = None, 0, None
        self._lowest = math.inf  # losses on other rows do not compare (divergence watch)

    def _use_mask(self, cfg: TrainingConfig) -> None:
        """Penalties and frozen biases need the gradient split into weights and biases."""
        needs_mask = cfg.l1 > 0 or cfg.l2 > 0 or not cfg.train_biases
        self._weight_mask = self._layout.weight_mask() if needs_mask else None
        self._step_grad = np.empty(self._layout.size) if needs_mask else self._flat_grad

    LIVE_SETTINGS = frozenset(
        ("learning_rate", "momentum", "beta1", "beta2", "eps", "l1", "l2", "epochs", "target_loss")
    )

    def update_config(self, **changes: float | int | None) -> None:
        """Change settings that take effect at the next step, keeping the optimiser's
        state and the history: the learning rate, momentum, Adam's betas and eps,
        L1/L2 and the stop conditions.  Other settings need a new Trainer."""
        unknown = set(changes) - self.LIVE_SETTINGS
        if unknown:
            raise ValueError(f"{', '.join(sorted(unknown))} cannot change during training")
        if "learning_rate" in changes:
            self.lr = changes["learning_rate"]
        self.config = dataclasses.replace(self.config, **changes)
        for name in ("momentum", "beta1", "beta2", "eps"):
            setattr(self.optimizer, name, getattr(self.config, name))
        self._use_mask(self.config)

    def _workspace(self, m: int) -> Workspace:
        ws = self._workspaces.get(m)
        if ws is None:
            ws = self._workspaces[m] = self.fast.workspace(m)
        return ws

    def _test_workspace(self, m: int) -> Workspace:
        if self._test_ws is None or self._test_ws.m != m:
            self._test_ws = self.fast.workspace(m)
        return self._test_ws

    @property
    def lr(self) -> float:
        """The learning rate; it can change between any two steps, state kept."""
        return self.optimizer.lr

    @lr.setter
    def lr(self, value: float) -> None:
        if not value > 0:
            raise ValueError(f"the learning rate must be > 0, got {value}")
        self.optimizer.lr = value

    @property
    def steps_per_epoch(self) -> int:
        """Optimiser updates per pass over the training split."""
        return math.ceil(len(self.x_train) / self.batch_size)

    def epoch_order(self, epoch: int) -> np.ndarray | None:
        """Row order of epoch ``epoch`` (1-based): None means the given order."""
        if not self.config.shuffle:
            return None
        return np.random.default_rng([self.config.seed, epoch]).permutation(len(self.x_train))

    def next_batch(self) -> np.ndarray:
        """Row indices of the mini-batch the next step will use."""
        order = self._order if self._pos else self.epoch_order(self.epoch + 1)
        rows = np.arange(self._pos, min(self._pos + self.batch_size, len(self.x_train)))
        return rows if order is None else order[rows]

    # --- training ---

    def step(self) -> float:
        """One optimiser update on the next mini-batch; returns its loss before the update.

        Ends the epoch (and records history) when the batch is the epoch's last.
        Returns NaN and sets status "diverged" when the loss is not finite.
        """
        with quiet():
            return self._step()

    def _step(self) -> float:
        if self.status == "diverged":
            return math.nan
        n = len(self.x_train)
        if self._pos == 0:
            self._order = self.epoch_order(self.epoch + 1)
        start, end = self._pos, min(self._pos + self.batch_size, n)
        ws = self._workspace(end - start)
        cached, self._cached_value = self._cached_value, None
        if self._order is not None:
            rows = self._order[start:end]
            x = self.x_train.take(rows, axis=0, out=ws.x)
            y = self.y_train.take(rows, axis=0, out=ws.y)
            cached = None
        elif end - start == n:
            x, y = self.x_train, self.y_train
        else:
            x, y = self.x_train[start:end], self.y_train[start:end]
            cached = None
        if cached is None:  # else the epoch-end evaluation already did this forward pass
            self.fast.forward(ws, x)
            value = self.fast.loss_and_delta(ws, y, self._loss_name)
        else:
            value = cached
        if not math.isfinite(value):
            self._diverge(self.steps + 1, f"the loss of the batch is {value}")
            return math.nan
        if self.bug is None:
            self.fast.backward(ws)
            self._update()
        else:
            bugs.train_step(self, x, y)
        self.steps += 1
        self._pos = end
        if end == n:
            self._pos = 0
            self.epoch += 1
            self._record_epoch()
        return value

    def _update(self) -> None:
        if self._weight_mask is not None:
            step_gradient(
                self.config, self._flat, self._flat_grad, self._weight_mask, self._step_grad
            )
        self.optimizer.update(self._flat, self._step_grad)

    def run_epoch(self) -> None:
        """Steps until the current epoch ends (or training diverges)."""
        with quiet():
            self._run_epoch()

    def _run_epoch(self) -> None:
        start = self.epoch
        while self.epoch == start and self.status != "diverged":
            self._step()

    def run(
        self, epochs: int | None = None, callback: Callable[[Trainer], bool | None] | None = None
    ) -> str:
        """Train until ``epochs`` more epochs (default: up to config.epochs in all),
        the target loss, divergence, or a callback returning True; returns the status.

        ``callback(trainer)`` runs after every epoch (a GUI throttles it).
        """
        last = self.config.epochs if epochs is None else self.epoch + epochs
        self.status = "running"
        with quiet():
            while self.epoch < last:
                self._run_epoch()
                if self.status == "diverged":
                    return self.status
                if self.target_reached():
                    self.status = "target_loss"
                    return self.status
                if callback is not None and callback(self):
                    self.status = "stopped"
                    return self.status
        self.status = "max_epochs" if self.epoch >= self.config.epochs else "paused"
        return self.status

    def target_reached(self) -> bool:
        """Whether the training loss has reached config.target_loss."""
        target = self.config.target_loss
        return target is not None and self.history.last("train_loss") <= target

    # --- evaluation and history ---

    def evaluate(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """The data loss L of (x, y), as the loss's formula defines it over those rows, and
        the accuracy (NaN if it does not apply)."""
        with quiet():
            return self._evaluate(x, y)

    def _evaluate(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        n = len(x)
        if n == 0:
            return math.nan, math.nan
        if n > self.eval_chunk:
            return self._evaluate_chunks(x, y)
        train = x is self.x_train
        ws = self._workspace(n) if train else self._test_workspace(n)
        a = self.fast.forward(ws, x)
        value = self.fast.loss_and_delta(ws, y, self._loss_name)
        if train:  # the next full, unshuffled batch is this very forward pass
            self._cached_value = value
        return value, self.accuracy(a, y)

    def _evaluate_chunks(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """_evaluate of a set larger than eval_chunk, chunk by chunk (core.engine.chunks)."""
        truth = self._truth_train if y is self.y_train else self._truth_test
        return evaluate_chunks(self._chunks, x, y, self._loss_name, truth, self._threshold)

    def accuracy(self, a: np.ndarray, y: np.ndarray) -> float:
        """Fraction right: argmax for several outputs, else a threshold at the
        midpoint of the output's class codes; NaN for targets that are not classes.
        ``y`` is the training or the test split's targets."""
        truth = self._truth_train if y is self.y_train else self._truth_test
        return math.nan if truth is None else right_count(a, truth, self._threshold) / len(y)

    def _class_truth(self, y: np.ndarray) -> np.ndarray | None:
        """The true class of each row (argmax, or hi code) if accuracy applies."""
        codes = activations.class_codes(y, self.network.activation_names[-1])
        if codes is None:
            return None
        return y.argmax(axis=1) if y.shape[1] > 1 else y == codes[1]

    def penalty(self) -> float:
        """The L1/L2 penalty of the current weights (see core.engine.penalties.penalty)."""
        return penalty(self.config, self.network.weights)

    def _record_epoch(self) -> None:
        loss, accuracy = self._evaluate(self.x_train, self.y_train)
        test_loss, test_accuracy = self._evaluate(self.x_test, self.y_test)
        norms = [norm(dw) for dw in self.fast.dW] if self.steps else None
        penalty = self.penalty() if self._weight_mask is not None else math.nan
        self.history.append(loss, test_loss, accuracy, test_accuracy, penalty, norms)
        if math.isfinite(loss) and math.isfinite(np.add.reduce(self._flat)):
            self._lowest = min(self._lowest, loss)
            if loss <= USABLE_FACTOR * self._lowest:  # finite, and not exploding
                np.copyto(self._finite_copy, self._flat)
                self.usable_epoch = self.epoch
        else:
            self._diverge(self.steps, f"the training loss after the update is {loss}")

    def _diverge(self, step: int, what: str) -> None:
        epoch = self.epoch if self._pos == 0 else self.epoch + 1
        self.status = "diverged"
        self.divergence = Divergence(
            epoch,
            step,
            f"training diverged in epoch {epoch} at step {step}: {what}; a lower learning "
            f"rate usually helps. Restore goes back to epoch {self.usable_epoch}, the last "
            f"whose training loss was at most {USABLE_FACTOR:g} times the lowest so far",
        )

    def parameters_changed(self) -> None:
        """Call after writing into the network's arrays from outside (a weight edit, an
        applied trace): the next step must not reuse the last evaluation's forward pass."""
        self._cached_value = None

    def apply_update(
        self,
        weights: list[np.ndarray],
        biases: list[np.ndarray],
        optimizer: Optimizer,
        counted: int = 1,
    ) -> None:
        """Take a traced step as this trainer's own (lecture mode's "apply"): these
        parameters and the optimiser state after it, ``counted`` more steps (-1: the
        step undone)."""
        for dst, src in zip(
            self.network.parameters(), [p for wb in zip(weights, biases) for p in wb]
        ):
            np.copyto(dst, src)
        self.optimizer = optimizer
        self.steps += counted
        self.parameters_changed()

    def restore_last_finite(self) -> None:
        """Go back to the parameters after the last usable epoch (``usable_epoch``): its
        loss was finite and at most USABLE_FACTOR times the lowest so far."""
        np.copyto(self._flat, self._finite_copy)
        self.status = "paused"
        self.divergence = None
        self._pos = 0
        self._cached_value = None

    def last_finite(self) -> Network:
        """A copy of the network as it was after the last finite epoch."""
        weights, biases = FlatLayout(self.network.layers).views(self._finite_copy.copy())
        return Network(weights, biases, self.network.activation_names)


def trainer_for(session) -> Trainer:
    """A trainer for a loaded session (anything with network, loss, training, dataset)."""
    ds = session.dataset
    net, loss, config = session.network, session.loss, session.training
    return Trainer(net, loss, config, ds.x_train, ds.y_train, ds.x_test, ds.y_test)
