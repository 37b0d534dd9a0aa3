"""The planes: one batched forward pass over a grid of the input plane."""

from __future__ import annotations

import numpy as np

from core.data.dataset import Dataset, load
from core.data.planes import grid, input_extent, layer_maps, neuron_maps, output_map
from core.engine.network import Network


def test_grid_and_maps():
    g = grid(4, -2.0, 2.0)
    assert g.points.shape == (16, 2)
    np.testing.assert_allclose(g.points[:4, 0], [-1.5, -0.5, 0.5, 1.5])  # x1 along a row
    np.testing.assert_allclose(g.points[::4, 1], [-1.5, -0.5, 0.5, 1.5])  # x2 down the rows
    net = Network([np.array([[1.0, 0.0]])], [np.zeros(1)], ["linear"])
    out = output_map(net, ["x1", "x2"], g)
    assert out.shape == (1, 4, 4)
    np.testing.assert_allclose(out[0, 2], [-1.5, -0.5, 0.5, 1.5])
    maps = layer_maps(net, ["x1", "x2"], g)
    assert [m.shape for m in maps] == [(2, 4, 4), (1, 4, 4)]
    np.testing.assert_allclose(maps[1], out)


def table(rows: list[list[float]], targets: list[list[float]]) -> Dataset:
    return load({"inline": {"inputs": rows, "targets": targets}, "test_ratio": 0}, [], "tanh", 1)


def test_a_tables_neurons_get_maps_over_the_box_around_its_points():
    ds = table([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]])
    net = Network.initialized([2, 3, 1], ["tanh", "tanh"], "xavier_uniform", 0)
    maps = neuron_maps(net, ds, ["x1", "x2"], None, 8)
    assert [m.shape for m in maps] == [(2, 8, 8), (3, 8, 8), (1, 8, 8)]
    assert input_extent(ds, None) == (-0.5, 1.5, -0.5, 1.5)
    cell = np.array([[-0.5 + 2 / 16, -0.5 + 2 / 16 * 3]])  # row 1, column 0 of the grid
    np.testing.assert_allclose(maps[1][:, 1, 0], net.forward(cell).a[1][0], rtol=1e-12)


def test_one_input_gives_each_neuron_a_line_and_more_a_slice():
    ds = table([[0.0], [2.0]], [[0.5], [1.0]])
    net = Network.initialized([1, 2, 1], ["tanh", "linear"], "xavier_uniform", 0)
    maps = neuron_maps(net, ds, ["x1"], None, 5)
    assert maps[1].shape == (2, 5, 5)
    np.testing.assert_array_equal(maps[1][:, 0, :], maps[1][:, 4, :])  # every row the same
    x = -0.5 + 3.0 / 5 * (np.arange(5) + 0.5)  # [0, 2] padded by 0.5 each side
    np.testing.assert_allclose(maps[1][:, 0, :], net.forward(x[:, None]).a[1].T, rtol=1e-12)
    wide = table([[0, 1, 2], [1, 2, 3]], [[0], [1]])
    maps = neuron_maps(Network.initialized([3, 1], ["tanh"], "zeros", 0), wide, [], None, 5)
    held = maps[0][2]  # input 3, held at its mean (the middle of its range): 0 everywhere
    assert held.shape == (5, 5) and np.all(held == 0.0)
