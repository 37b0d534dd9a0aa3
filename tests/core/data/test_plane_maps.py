"""The maps the training process sends: neurons as bytes for a colour table, the output as
it is, each grid as fine as the budget of multiply-adds allows."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.dataset import load
from core.data.planes import (
    LEAST_MAP_RESOLUTION,
    LEAST_THUMBNAIL_RESOLUTION,
    MAP_BUDGET,
    MAP_RESOLUTION,
    NAN_CODE,
    THUMBNAIL_RESOLUTION,
    code_values,
    codes,
    grid_over,
    input_extent,
    layer_maps,
    multiply_adds,
    neuron_map,
    neuron_maps,
    output_map,
    plane_maps,
    resolution_for,
)
from core.engine.network import Network

FEATURES = ["x1", "x2", "x1^2", "sin(x2)"]


def circle():
    return load({"builtin": "circle", "n": 100, "seed": 0}, FEATURES, "tanh", 1)


def test_codes_stand_for_activations_within_half_a_step() -> None:
    a = np.array([-3.0, -1.0, -0.5, 0.0, 1e-9, 0.3, 1.0, 7.0, np.nan, np.inf, -np.inf])
    c = codes(a)
    assert c.dtype == np.uint8
    assert list(c[[0, 1, 3, 6, 7, 8, 9, 10]]) == [0, 0, 127, 254, 254, NAN_CODE, 254, 0]
    values = code_values()
    assert len(values) == 256 and np.isnan(values[NAN_CODE])
    finite = np.isfinite(a)
    clipped = np.clip(a[finite], -1, 1)
    assert np.abs(values[c[finite]] - clipped).max() <= 0.5 / 127 + 1e-15
    np.testing.assert_array_equal(codes(values[:255]), np.arange(255))  # exact round trip


def test_grids_are_as_fine_as_the_budget_allows() -> None:
    assert multiply_adds([7, 8, 8, 1]) == 56 + 64 + 8
    assert resolution_for([7] + [8] * 6 + [1], MAP_RESOLUTION, LEAST_MAP_RESOLUTION) == 100
    huge = [2, 4096, 2048, 1]
    assert resolution_for(huge, MAP_RESOLUTION, LEAST_MAP_RESOLUTION) == LEAST_MAP_RESOLUTION
    middle = [2, 64, 64, 64, 1]
    cells = resolution_for(middle, MAP_RESOLUTION, LEAST_MAP_RESOLUTION)
    assert LEAST_MAP_RESOLUTION < cells < MAP_RESOLUTION
    assert cells**2 * multiply_adds(middle) <= MAP_BUDGET < (cells + 1) ** 2 * multiply_adds(middle)
    assert resolution_for(huge, 24, LEAST_THUMBNAIL_RESOLUTION) == LEAST_THUMBNAIL_RESOLUTION


def test_the_maps_sent_are_what_the_views_computed_themselves() -> None:
    ds = circle()
    net = Network.initialized([4, 5, 3, 1], ["tanh", "relu", "sigmoid"], "xavier_uniform", 3)
    maps = plane_maps(net, ds, FEATURES, "circle")
    own = neuron_maps(net, ds, FEATURES, "circle", THUMBNAIL_RESOLUTION)
    assert [m.shape for m in maps.neurons] == [m.shape for m in own]
    for sent, values in zip(maps.neurons, own):
        np.testing.assert_array_equal(sent, codes(values))
    g = grid_over(input_extent(ds, "circle"), MAP_RESOLUTION)
    np.testing.assert_array_equal(maps.output, output_map(net, FEATURES, g))
    assert maps.output.shape == (1, 100, 100)


def test_wide_data_has_the_maps_of_a_slice_and_a_line_has_no_output_map() -> None:
    wide = load(
        {"inline": {"inputs": [[0, 1, 2], [1, 2, 3]], "targets": [[0], [1]]}}, [], "tanh", 1
    )
    maps = plane_maps(Network.initialized([3, 1], ["tanh"], "zeros", 0), wide, [], None)
    assert maps.output.shape == (1, 100, 100) and maps.neurons[0].shape == (3, 24, 24)
    line = load({"inline": {"inputs": [[0.0], [2.0]], "targets": [[0.5], [1.0]]}}, [], "tanh", 1)
    maps = plane_maps(
        Network.initialized([1, 2, 1], ["tanh", "linear"], "zeros", 0), line, [], None
    )
    assert maps.output is None and maps.neurons[1].shape == (2, 24, 24)


@pytest.mark.parametrize("layer", [0, 1, 2, 3])
def test_a_neurons_map_goes_through_the_layers_up_to_it_only(layer: int) -> None:
    net = Network.initialized([4, 5, 3, 2], ["tanh", "relu", "linear"], "xavier_uniform", 1)
    g = grid_over((-2.0, 3.0, -1.0, 1.0), 9)
    index = 1
    expected = layer_maps(net, FEATURES, g)[layer][index]
    np.testing.assert_allclose(neuron_map(net, FEATURES, g, layer, index), expected, rtol=1e-13)
