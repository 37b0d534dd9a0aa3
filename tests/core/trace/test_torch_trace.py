"""What lecture mode adds to a traced step, against PyTorch: the loss after the update and
each sample's share of dL/dw.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.config import TrainingConfig
from core.engine.optimizers import Optimizer
from tests.core.torch_reference import TorchNet, assert_close, exactly, random_network

torch = pytest.importorskip("torch")

# --- 4. what lecture mode adds to a traced step ---


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_traced_loss_after_the_step_and_per_sample_parts_match_torch(optimizer: str) -> None:
    from core.trace.iteration import trace_iteration

    rng = np.random.default_rng(7)
    net = random_network(rng, [3, 5, 4, 2], ["tanh", "sigmoid", "sigmoid"], kinks=False)
    x, y = rng.normal(size=(6, 3)), rng.random((6, 2))
    config = TrainingConfig(optimizer=optimizer, learning_rate=0.05, momentum=0.9)
    opt = Optimizer(optimizer, lr=0.05, momentum=0.9)
    trace = trace_iteration(net, "mse", opt, config, x, y)
    ref = TorchNet(net)
    params = [p for pair in zip(ref.weights, ref.biases) for p in pair]
    torch_opt = {
        "sgd": lambda: torch.optim.SGD(params, lr=0.05),
        "momentum": lambda: torch.optim.SGD(params, lr=0.05, momentum=0.9),
        "adam": lambda: torch.optim.Adam(params, lr=0.05),
    }[optimizer]()
    _, _, before = ref.loss(x, y, "mse")
    before.backward()
    torch_opt.step()
    with torch.no_grad():
        _, _, after = ref.loss(x, y, "mse")
    assert trace.loss == exactly(before.item())
    assert trace.loss_after == exactly(after.item())  # the "result" frame's L⁺
    for s in range(len(x)):  # each sample's share of dL/dw: its own loss term's gradient
        one = TorchNet(net)
        _, _, share = one.loss(x[s : s + 1], y[s : s + 1], "mse")
        (share / len(x)).backward()  # a mean loss: the batch's 1/n is in each share
        parts = trace.sample_gradients(s)
        for l in range(len(net.weights)):
            assert_close(parts[0][l], one.weights[l].grad)
            assert_close(parts[1][l], one.biases[l].grad)
