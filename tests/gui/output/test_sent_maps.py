"""The output view draws the map the training process sent (OutputView.follow): as sent,
kept until the next, on the grid it came on; a hovered neuron's map is computed here."""

from __future__ import annotations

import numpy as np
import pytest

from core.data import planes
from core.data.planes import Maps
from core.engine.trainer import trainer_for
from core.snapshot import session_maps
from gui.output.view import OutputView
from tests.gui.output.test_view import lesson, linear_net


@pytest.fixture
def view(show) -> OutputView:
    return show(OutputView(), 500, 500)


def test_the_sent_map_is_drawn_as_sent_and_stays_until_the_next(view) -> None:
    s = lesson("playground_default")
    view.set_session(s)
    trainer = trainer_for(s)
    trainer.run(epochs=3)
    maps = session_maps(s, trainer.network)
    view.follow(trainer.network.copy(), maps)
    sent = view.plot.image.image.copy()
    local = OutputView()
    local.set_session(s)
    local.set_network(trainer.network.copy())
    np.testing.assert_array_equal(sent, local.plot.image.image)  # the same picture
    trainer.run(epochs=3)
    view.follow(trainer.network.copy(), None)  # no maps with this snapshot: the map stays
    np.testing.assert_array_equal(view.plot.image.image, sent)
    view.follow(trainer.network.copy(), session_maps(s, trainer.network))
    assert not np.array_equal(view.plot.image.image, sent)
    local.deleteLater()


def test_a_coarser_sent_map_is_read_out_on_its_own_grid(view) -> None:
    s = lesson("playground_default")
    view.set_session(s)
    net = linear_net([1.0, 0.0])  # the output is x1
    g = planes.grid_over((-6.0, 6.0, -6.0, 6.0), 20)
    view.follow(net, Maps((), planes.output_map(net, ["x1", "x2"], g)))
    assert view.plot.image.image.shape[:2] == (20, 20)
    x = -6.0 + 12.0 / 20 * 13.5  # the centre of column 13 of 20
    assert view.readout_at(x + 0.1, 0.0).endswith(f"output = {x:.3g}")


def test_a_hovered_neurons_map_is_computed_here_from_each_new_network(view) -> None:
    s = lesson("playground_default")
    view.set_session(s)
    trainer = trainer_for(s)
    view.show_neuron_map(1, 2)
    before = view.plot.image.image.copy()
    trainer.run(epochs=5)
    view.follow(trainer.network.copy(), None)
    assert not np.array_equal(view.plot.image.image, before)
    assert view.title.startswith("Neuron 3 of layer 1")
    g = planes.grid_over(planes.input_extent(s.dataset, "circle"), 100)
    expected = planes.layer_maps(trainer.network, list(s.features), g)[1][2]
    assert view.readout_at(0.03, 0.03).endswith(f"a = {expected[50, 50]:.3g}")
