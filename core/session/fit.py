"""What a session's parts must agree on once its data is read: the data loaded for its
network (as many inputs as the input layer, targets the loss is defined for) and a size
that fits in memory to train.  Problems go to a checks.Problems at their JSON paths.
"""

from __future__ import annotations

from pathlib import Path

from core.data.dataset import DataError, Dataset, load
from core.engine.config import TrainingConfig
from core.session.checks import Problems
from core.session.limits import check_memory


def dataset_for(
    data: dict,
    features: list[str],
    layers: list[int],
    activations: list[str],
    loss: str,
    base_dir: Path | None,
    pr: Problems,
    training: TrainingConfig | None = None,
    allow_outside: bool = False,
) -> Dataset | None:
    """The data set ``data`` describes, loaded for this network (a CSV file only from
    ``base_dir`` and below unless ``allow_outside``); with ``training``, also checked to
    fit in memory to train.  None, with the problems in ``pr``, if anything does not fit."""
    try:
        found = load(data, features, activations[-1], layers[-1], base_dir, loss, allow_outside)
    except DataError as err:
        pr.add(err.path, err.message)
        return None
    width = found.x_train.shape[1]
    if width != layers[0]:
        names = ", ".join(found.input_names)
        pr.add(
            "network.layers[0]",
            f"{layers[0]} input{'s' * (layers[0] != 1)}, but the data gives {width} "
            f"({names}); make them equal",
        )
        return None
    rows = (len(found.x_train), len(found.x_test))
    if training is not None and not check_memory(layers, training, rows, pr):
        return None
    return found
