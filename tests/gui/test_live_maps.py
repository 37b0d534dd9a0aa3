"""While the window trains, the neurons' and the output's maps come from the training process:
the window runs no forward pass over a grid, and what it shows is what was sent."""

from __future__ import annotations

import numpy as np

from core.data import planes
from core.snapshot import session_maps, snapshot_network
from gui.diagram import neurons
from gui.output.view import OutputView
from tests.gui.test_main_window import TIMEOUT, close, make_window


def test_the_window_draws_the_maps_the_process_sends(qtbot, tmp_path, monkeypatch) -> None:
    window = make_window(qtbot, tmp_path)
    grids = []
    for module, name in ((neurons, "neuron_maps"), (planes, "output_map"), (planes, "layer_maps")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real: grids.append(1) or _real(*a))
    try:
        window.controls.play_action.trigger()
        qtbot.waitUntil(lambda: window.latest.epoch > 30, timeout=TIMEOUT)
        window.controls.play_action.trigger()
        qtbot.waitUntil(lambda: not window.worker.playing, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: window.latest.maps is not None, timeout=TIMEOUT)
        assert grids == []  # not one grid went through a network here
        latest = window.latest
        expected = session_maps(window.session, snapshot_network(latest))
        shown = window.network_view.diagram.neurons[(1, 0)].image
        sent = window.neurons.latest.neurons[1][0]
        np.testing.assert_array_equal(sent, expected.neurons[1][0])  # the paused state's
        assert (shown.width(), shown.height()) == sent.shape
        own = OutputView()
        own.set_session(window.session)
        own.set_network(snapshot_network(latest))
        np.testing.assert_array_equal(window.output_view.plot.image.image, own.plot.image.image)
        own.deleteLater()
    finally:
        close(window)
