"""Maps of a table of more than two inputs: a 2-D slice, two inputs varying and the others
held (by default at their training mean); every value the network's own output there."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.planes import Slice, default_slice, grid_over, input_extent, plane_maps
from core.session.format import session_from_dict
from core.snapshot import session_maps
from tests.core.session.sessions import FORMAT


def four_inputs():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(40, 4)) * [1, 2, 3, 4] + [0, 1, 2, 3]
    y = (x[:, :1] + x[:, 2:3] > 2).astype(float)
    session = session_from_dict(
        {
            "format": FORMAT,
            "network": {"layers": [4, 5, 1], "activations": ["tanh", "sigmoid"]},
            "data": {"inline": {"inputs": x.tolist(), "targets": y.tolist()}, "test_ratio": 0},
        }
    )
    return session


def test_the_default_slice_holds_the_other_inputs_at_their_training_mean() -> None:
    session = four_inputs()
    cut = default_slice(session.dataset)
    assert cut.axes == (0, 1)
    assert np.allclose(cut.held, session.dataset.x_train.mean(axis=0), rtol=0, atol=0)


@pytest.mark.parametrize("cut", [None, Slice((2, 0), (0.5, -1.0, 7.0, 2.25))])
def test_every_cell_of_a_slices_maps_is_the_networks_output_there(cut) -> None:
    session = four_inputs()
    net = session.network
    maps = session_maps(session, net, cut)
    used = cut or default_slice(session.dataset)
    out = maps.output[0]
    r = out.shape[0]
    g = grid_over(input_extent(session.dataset, None, used), r)
    x = np.tile(used.held, (r * r, 1))
    x[:, list(used.axes)] = g.points
    assert np.array_equal(out.ravel(), net.predict(x)[:, 0])  # the same batch, bit for bit
    for cell in (0, 17, r * r // 2, r * r - 1):  # and each cell as a row of its own
        assert out.flat[cell] == pytest.approx(net.predict(x[cell : cell + 1])[0, 0], rel=1e-14)
    lo, hi = input_extent(session.dataset, None, used)[:2]
    column = session.dataset.x_train[:, used.axes[0]]
    assert lo < column.min() and column.max() < hi  # across: the first axis's own range
    assert len(maps.neurons) == 3 and maps.neurons[1].shape[0] == 5  # the squares follow


def test_a_slice_says_what_is_wrong_with_it() -> None:
    with pytest.raises(ValueError, match="two different inputs"):
        Slice((1, 1), (0.0, 0.0, 0.0))
    with pytest.raises(ValueError, match="finite"):
        Slice((0, 1), (0.0, 0.0, float("nan")))


def test_two_inputs_keep_their_own_plane() -> None:
    session = session_from_dict(
        {
            "format": FORMAT,
            "network": {"layers": [2, 2, 1], "activations": ["sigmoid", "sigmoid"]},
            "data": {
                "inline": {
                    "inputs": [[0, 0], [0, 1], [1, 0], [1, 1]],
                    "targets": [[0], [1], [1], [0]],
                }
            },
        }
    )
    assert default_slice(session.dataset) is None
    a = plane_maps(session.network, session.dataset, session.features, None)
    b = plane_maps(session.network, session.dataset, session.features, None, None)
    assert np.array_equal(a.output, b.output)
