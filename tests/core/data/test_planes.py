"""The planes: one batched forward pass over a grid of the input plane."""

from __future__ import annotations

import numpy as np

from core.data.planes import grid, layer_maps, output_map
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
