"""The training settings: the session's "training" section, with its defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainingConfig:
    """The session's "training" section, with its defaults."""

    optimizer: str = "sgd"
    learning_rate: float = 0.1
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    batch_size: int | None = None
    epochs: int = 1000
    target_loss: float | None = None
    l1: float = 0.0
    l2: float = 0.0
    train_biases: bool = True
    shuffle: bool = False
    seed: int = 0
