"""One training iteration, traced step by step for lecture mode and ``main.py step``.

:func:`trace_iteration` runs the readable equations of :mod:`core.engine.network`
and the trainer's own optimiser on copies, and returns every array together
with the ordered steps the lecture plays (layer numbers as on screen):

    forward       z^l = W^l a^(l-1) + b^l,  a^l = f(z^l)                  l = 1..L
    loss          L = the sum of the per-element terms of the batch
    output_delta  delta^L = dL/da^L f'(z^L)   (bce: (a - y)/(n k), cce: (a - y)/n)
    backward      dW^l = sum_s delta^l a^(l-1)^T,  db^l = sum_s delta^l,
                  and for l > 1  delta^(l-1) = f'(z^(l-1)) (W^l^T delta^l)   l = L..1
    update        the optimiser's rule for every weight and bias             l = 1..L

The backward step of layer l holds what uses W^l on the way back: dW^l,
db^l and, for l > 1, delta^(l-1).  delta carries the loss's 1/n, so
dW^l = delta^l^T a^(l-1) needs no further averaging.

Each step's terms are built on first use (:mod:`core.trace.terms`) by the
builders of :mod:`core.trace.steps`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from core.engine import bugs, losses
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.params import FlatLayout
from core.engine.penalties import step_gradient
from core.engine.trainer import Trainer
from core.trace.steps import build_steps
from core.trace.terms import Step

PHASES = ("forward", "loss", "output_delta", "backward", "update", "result")


@dataclass(frozen=True, eq=False)
class IterationTrace:
    """Every number of one training iteration (read-only copies) and its steps.

    Lists run over the non-input layers (index l-1 is the app's layer l),
    except ``a``, whose a[0] is x.  ``delta`` is dL/dz of the batch loss with
    its 1/n; ``dW``, ``db`` are data-loss gradients, ``step_dW``, ``step_db``
    what the optimiser saw (with L1/L2; zero for frozen biases).
    ``update_*`` is the optimiser's actual change, ``*_after - *_before``.
    ``loss_after`` and ``loss_terms_after`` are the same batch's loss through the updated
    network (what the step achieved).  ``internals`` maps velocity / m / v / m_hat / v_hat
    (after the step) and
    ``internals_before`` the state before it to (weights list, biases list).
    ``optimizer_after`` is the traced copy of the optimiser after the step: a GUI
    applies the update exactly with weights_after, biases_after and it (it is live
    state, so copy it first if the trace is to be kept unchanged).
    """

    x: np.ndarray
    y: np.ndarray
    z: list[np.ndarray]
    a: list[np.ndarray]
    loss: float
    loss_terms: np.ndarray
    loss_after: float
    loss_terms_after: np.ndarray
    delta: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]
    step_dW: list[np.ndarray]
    step_db: list[np.ndarray]
    weights_before: list[np.ndarray]
    biases_before: list[np.ndarray]
    weights_after: list[np.ndarray]
    biases_after: list[np.ndarray]
    update_weights: list[np.ndarray]
    update_biases: list[np.ndarray]
    internals: dict[str, tuple[list[np.ndarray], list[np.ndarray]]]
    internals_before: dict[str, tuple[list[np.ndarray], list[np.ndarray]]]
    optimizer_after: Optimizer
    loss_name: str
    activation_names: list[str]
    config: TrainingConfig
    steps: list[Step]
    bug: str | None = None  # the bug lab's bug the numbers were computed with (or None)

    @property
    def n(self) -> int:
        """Samples in the batch."""
        return len(self.x)

    @property
    def bug_label(self) -> str:
        """'Bug lab: <the bug's title> · ' when the step was traced with a bug, else ''."""
        return f"Bug lab: {bugs.get(self.bug).title} · " if self.bug else ""

    @property
    def layers(self) -> list[int]:
        """Neurons per layer, input first."""
        return [self.x.shape[1]] + [z.shape[1] for z in self.z]

    def sample_gradients(self, s: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Sample ``s``'s parts of dW and db: delta^l[s] a^(l-1)[s]^T and delta^l[s].
        Summed over the batch they are dW and db (the 1/n of a mean loss is in delta)."""
        delta, a = self.delta, self.a
        return [np.outer(d[s], a[l][s]) for l, d in enumerate(delta)], [d[s].copy() for d in delta]


def trace_iteration(
    network: Network,
    loss: str,
    optimizer: Optimizer,
    config: TrainingConfig,
    x: np.ndarray,
    y: np.ndarray,
    labels: dict | None = None,
    bug: str | None = None,
) -> IterationTrace:
    """One iteration on the batch (x, y), on copies: forward, loss, backward, and the
    update w <- w + optimiser(g), g = dL/dw (+ L1/L2, as
    :func:`core.engine.penalties.step_gradient`).

    ``optimizer`` is a trainer's optimiser (one flat parameter) or a fresh one; it and
    ``network`` are left untouched.  ``labels`` are the session's display labels.  With
    ``bug`` (a name of core.engine.bugs) the deltas, gradients and update are the bug's.
    """
    loss_fn, x, y = _checked(network, loss, x, y)
    net = network.copy()
    fp = net.forward(x)  # z^l, a^l
    layout = FlatLayout(net.layers)  # the trainer's one flat array: W^1, b^1, W^2, ...
    flat = layout.pack(net.weights, net.biases)
    after = bugs.weights_after_step(optimizer, config, layout, flat) if bug else None
    grads = bugs.backward(net, fp, y, loss_fn, bug, after)  # delta^l, dW^l, db^l
    data_grad = layout.pack(grads.dW, grads.db)
    mask = layout.weight_mask()
    g = step_gradient(config, flat, data_grad, mask, np.empty(layout.size))
    g = bugs.update_gradient(bug, g, mask)
    opt = copy.deepcopy(optimizer)
    state_before = _state_before(opt, layout)
    (record,) = opt.step([flat], [g], record=True)  # flat now holds the weights after
    fields = _frozen(
        dict(
            x=x,
            y=y,
            z=fp.z,
            a=fp.a,
            loss=loss_fn.value(fp.z[-1], fp.a[-1], y),
            loss_terms=loss_fn.terms(fp.z[-1], fp.a[-1], y),
            delta=grads.delta,
            dW=grads.dW,
            db=grads.db,
            weights_before=net.weights,
            biases_before=net.biases,
            internals={k: layout.views(v) for k, v in record.internals.items()},
            internals_before=state_before,
        )
    )
    fields |= _per_layer(layout, step=g, after=flat, update=record.update)
    after = Network(fields["weights_after"], fields["biases_after"], net.activation_names)
    fp_after = after.forward(x)  # the same batch through the updated network
    fields["loss_after"] = float(loss_fn.value(fp_after.z[-1], fp_after.a[-1], y))
    (fields["loss_terms_after"],) = _frozen([loss_fn.terms(fp_after.z[-1], fp_after.a[-1], y)])
    fields |= dict(optimizer_after=opt, loss_name=loss_fn.name, config=config)
    fields["activation_names"] = list(net.activation_names)
    return IterationTrace(**fields, steps=build_steps(fields, labels, opt, bug), bug=bug)


PER_LAYER = {
    "step": ("step_dW", "step_db"),
    "after": ("weights_after", "biases_after"),
    "update": ("update_weights", "update_biases"),
}


def _per_layer(layout: FlatLayout, **flat: np.ndarray) -> dict:
    """Flat arrays (the optimiser's gradient, the parameters after, the update) as
    read-only per-layer copies, named as in PER_LAYER."""
    out = {}
    for key, array in flat.items():
        out.update(zip(PER_LAYER[key], _frozen(layout.views(array))))
    return out


def trace_sample(
    network: Network,
    loss: str,
    optimizer: Optimizer,
    config: TrainingConfig,
    x_row: np.ndarray,
    y_row: np.ndarray,
    labels: dict | None = None,
) -> IterationTrace:
    """:func:`trace_iteration` on a batch of one sample (x_row, y_row)."""
    x = np.asarray(x_row, dtype=float).reshape(1, -1)
    y = np.asarray(y_row, dtype=float).reshape(1, -1)
    return trace_iteration(network, loss, optimizer, config, x, y, labels)


def _checked(network: Network, loss: str, x, y) -> tuple[losses.Loss, np.ndarray, np.ndarray]:
    loss_fn = losses.get(loss)
    layers = network.layers
    problem = losses.pairing_problem(loss, network.activation_names[-1], layers[-1])
    if problem:
        raise ValueError(problem)
    x, y = np.array(x, dtype=float), np.array(y, dtype=float)
    if x.ndim != 2 or x.shape[1] != layers[0] or len(x) == 0:
        raise ValueError(f"x must have shape (n, {layers[0]}) with n >= 1, not {x.shape}")
    if y.shape != (len(x), layers[-1]):
        raise ValueError(f"y must have shape ({len(x)}, {layers[-1]}), not {y.shape}")
    return loss_fn, x, y


def _state_before(opt: Optimizer, layout: FlatLayout) -> dict:
    """The optimiser's state before the step, per layer (zeros where it starts empty)."""
    state = opt.state(0)
    if any(v.shape != (layout.size,) for v in state.values()) or opt.state(1):
        raise ValueError(
            "the optimizer's state belongs to other parameters; trace with the trainer's "
            "optimizer (one flat parameter array) or a fresh one"
        )
    names = {"momentum": ("velocity",), "adam": ("m", "v")}.get(opt.name, ())
    # copies: the step updates the state in place
    return {k: layout.views(state.get(k, np.zeros(layout.size)).copy()) for k in names}


def _frozen(value):
    """Read-only copies of the arrays in a (nested) dict, list or tuple; floats as floats."""
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_frozen(v) for v in value)
    if isinstance(value, np.ndarray):
        value = value.copy()
        value.flags.writeable = False
        return value
    return float(value)


def trace_next_step(
    trainer: Trainer, labels: dict | None = None, rows: np.ndarray | None = None
) -> IterationTrace:
    """The step ``trainer`` would take next (its next mini-batch), or one on ``rows`` of its
    training split, traced with its own optimiser state; the trainer is left as it was."""
    rows = trainer.next_batch() if rows is None else rows
    return trace_iteration(
        trainer.network,
        trainer.loss.name,
        trainer.optimizer,
        trainer.config,
        trainer.x_train[rows],
        trainer.y_train[rows],
        labels=labels,
        bug=trainer.bug,
    )


def layer_norms(trace: IterationTrace) -> list[tuple[float, float]]:
    """Per non-input layer l, ‖δ^l‖ and ‖∂L/∂W^l‖ of the traced step (Frobenius norms: the
    deltas over the whole batch), first layer to last: how the gradient shrinks (or grows)
    on its way back, the point of the vanishing-gradients lesson."""
    return [
        (float(np.linalg.norm(delta)), float(np.linalg.norm(dW)))
        for delta, dW in zip(trace.delta, trace.dW)
    ]
