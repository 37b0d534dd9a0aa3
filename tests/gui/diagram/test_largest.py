"""The largest networks the format allows draw a bounded diagram: the view elides wide
layers, so the scene holds a bounded number of items and edges, and thumbnails are made only
for the neurons drawn (counts, never durations; the times are in benchmarks/bench_largest.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.engine.network import MAX_HIDDEN_LAYERS, MAX_NEURONS, check_size
from gui.diagram.edges import round_limit, suggested_limits
from gui.diagram.layout import MAX_SHOWN
from gui.diagram.view import NetworkView
from tests.gui.diagram.views import names, network, snapshot_of

LARGEST = {
    "widest": [2, MAX_NEURONS, MAX_NEURONS // 2, 1],
    "deepest": [2] + [256] * MAX_HIDDEN_LAYERS + [1],
}


@pytest.mark.parametrize("layers", LARGEST.values(), ids=LARGEST.keys())
def test_the_largest_allowed_networks_draw_a_bounded_scene(qtbot, layers) -> None:
    check_size(layers)  # allowed by the format
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.set_network(snapshot_of(network(layers)), names(layers[0]))
    slots = sum(min(n, MAX_SHOWN) for n in layers)
    assert len(view.diagram.neurons) <= slots
    pairs = zip(layers, layers[1:])
    assert len(view.diagram.edges.ends) <= sum(
        min(a, MAX_SHOWN) * min(b, MAX_SHOWN) for a, b in pairs
    )
    assert len(view.scene().items()) <= 4 * slots + 60
    maps = [np.zeros((n, 4, 4)) for n in layers]
    view.set_neuron_maps(maps)
    images = sum(item.image is not None for item in view.diagram.neurons.values())
    assert images == len(view.diagram.neurons)  # one thumbnail per neuron drawn, no more
    assert images <= slots < 0.1 * sum(layers)


def test_scale_limits_of_a_large_network_come_from_a_sample_and_ignore_infinities() -> None:
    rng = np.random.default_rng(0)
    small = snapshot_of(network([2, 40, 30, 1]), scale_dw=0.3)
    g = np.concatenate([np.abs(d).ravel() for d in small.dW])
    w = max(np.abs(a).max() for a in small.weights)
    assert suggested_limits(small) == (round_limit(w, 1.0), round_limit(np.percentile(g, 90), 0.1))
    big = [rng.normal(scale=0.01, size=(1500, 1500)) for _ in range(2)]  # 4.5 M gradients
    snap = dataclasses.replace(small, dW=tuple(big), weights=(np.array([[np.inf, -2.5]]),))
    exact = np.percentile(np.abs(np.concatenate([b.ravel() for b in big])), 90)
    weights, gradients = suggested_limits(snap)
    assert weights == round_limit(2.5, 1.0) and gradients == round_limit(exact, 0.1)
