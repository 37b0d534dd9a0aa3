"""Optimisers with PyTorch's update rules and defaults, updating in place.

For a parameter w with gradient g (L1/L2 terms already added by the trainer):

- ``sgd``:      w <- w - lr g
- ``momentum``: v <- mu v + g;  w <- w - lr v                (torch.optim.SGD, momentum=mu)
- ``adam``:     m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
                m_hat = m / (1 - b1^t);  v_hat = v / (1 - b2^t)
                w <- w - lr m_hat / (sqrt(v_hat) + eps)      (torch.optim.Adam)

The learning rate may change between any two steps; the state is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

OPTIMIZERS = ("sgd", "momentum", "adam")


@dataclass(frozen=True)
class UpdateRecord:
    """What one step did to one parameter array, for the trace.

    ``update`` is w_new - w_old; the optimiser's internals after the step are
    given where they exist (``velocity`` for momentum; ``m``, ``v``, ``m_hat``
    and ``v_hat`` for Adam).
    """

    update: np.ndarray
    internals: dict[str, np.ndarray] = field(default_factory=dict)


class Optimizer:
    """One optimiser for a fixed list of parameter arrays, updated in place."""

    def __init__(
        self,
        name: str = "sgd",
        lr: float = 0.1,
        momentum: float = 0.9,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        if name not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
        self.name = name
        self.lr = lr
        self.momentum = momentum
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.t = 0
        self._slots: dict[int, dict[str, np.ndarray]] = {}
        self._counts: dict[int, int] = {}  # adam's bias correction counts each parameter's steps
        self._scratch: dict[int, np.ndarray] = {}

    def saved(self) -> dict:
        """Everything a later step depends on, copied (for a checkpoint): the settings,
        the step counts and the trainer's flat parameter's state arrays."""
        settings = {k: getattr(self, k) for k in ("lr", "momentum", "beta1", "beta2", "eps")}
        slots = {k: v.copy() for k, v in self._slots.get(0, {}).items()}
        return {**settings, "t": self.t, "count": self._counts.get(0), "slots": slots}

    def load(self, saved: dict) -> None:
        """Return to a state :meth:`saved` gave (of an optimiser of the same kind)."""
        for k in ("lr", "momentum", "beta1", "beta2", "eps", "t"):
            setattr(self, k, saved[k])
        self._counts = {} if saved["count"] is None else {0: saved["count"]}
        self._slots = (
            {0: {k: v.copy() for k, v in saved["slots"].items()}} if saved["slots"] else {}
        )

    def state(self, index: int) -> dict[str, np.ndarray]:
        """The optimiser's state arrays for parameter ``index`` (empty for sgd)."""
        return self._slots.get(index, {})

    def step(
        self,
        params: list[np.ndarray],
        grads: list[np.ndarray | None],
        record: bool = False,
    ) -> list[UpdateRecord | None] | None:
        """Update every parameter whose gradient is not None, in place.

        With ``record`` the actual change of each parameter and the
        optimiser's internals are returned (a parameter without gradient,
        such as a frozen bias, gives None).
        """
        self.t += 1  # steps taken; adam counts per parameter, as torch does
        records: list[UpdateRecord | None] = []
        for i, (p, g) in enumerate(zip(params, grads)):
            if g is None:
                records.append(None)
                continue
            old = p.copy() if record else None
            self._update(i, p, g)
            if record:
                records.append(UpdateRecord(p - old, self._internals(i)))
        return records if record else None

    def update(self, p: np.ndarray, g: np.ndarray) -> None:
        """One step for a single parameter array (index 0): the trainer's flat parameters."""
        self.t += 1
        self._update(0, p, g)

    def _internals(self, i: int) -> dict[str, np.ndarray]:
        internals = {k: v.copy() for k, v in self.state(i).items()}
        if self.name == "adam":
            t = self._counts[i]
            internals["m_hat"] = internals["m"] / (1.0 - self.beta1**t)
            internals["v_hat"] = internals["v"] / (1.0 - self.beta2**t)
        return internals

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        s = self._scratch.get(i)
        if s is None or s.shape != p.shape:
            s = self._scratch[i] = np.empty_like(p)
        if self.name == "sgd":
            np.multiply(g, self.lr, out=s)
            p -= s
            return
        slots = self._slots.get(i)
        if slots is None:
            slots = self._slots[i] = self._new_slots(p)
        if self.name == "momentum":
            v = slots["velocity"]
            v *= self.momentum
            v += g
            np.multiply(v, self.lr, out=s)
            p -= s
            return
        self._counts[i] = t = self._counts.get(i, 0) + 1
        self._adam(slots, p, g, s, t)

    def _new_slots(self, p: np.ndarray) -> dict[str, np.ndarray]:
        if self.name == "momentum":
            return {"velocity": np.zeros_like(p)}
        return {"m": np.zeros_like(p), "v": np.zeros_like(p)}

    def _adam(
        self, slots: dict[str, np.ndarray], p: np.ndarray, g: np.ndarray, s: np.ndarray, t: int
    ) -> None:
        m, v = slots["m"], slots["v"]
        m *= self.beta1
        np.multiply(g, 1.0 - self.beta1, out=s)
        m += s
        v *= self.beta2
        np.multiply(g, g, out=s)
        s *= 1.0 - self.beta2
        v += s
        bias1 = 1.0 - self.beta1**t
        bias2 = 1.0 - self.beta2**t
        # torch's order: denom = sqrt(v) / sqrt(bias2) + eps; w -= (lr / bias1) m / denom
        np.sqrt(v, out=s)
        s /= math.sqrt(bias2)
        s += self.eps
        np.divide(m, s, out=s)
        s *= self.lr / bias1
        p -= s
