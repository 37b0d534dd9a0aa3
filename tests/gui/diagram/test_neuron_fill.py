"""The neurons' maps: bytes from the training process drawn through a colour table (the same
colours as the activations drawn directly, within the bytes' step), and when the window fills
the neurons again (NeuronFill)."""

from __future__ import annotations

import numpy as np
import pytest

from core.data import planes
from core.data.planes import Maps, codes
from core.session.format import load_session, session_from_dict
from gui.diagram import neurons
from gui.diagram.neurons import NeuronFill
from tests import paths
from tests.clock import FakeClock
from tests.core.session.sessions import minimal
from tests.gui.diagram.views import network


def pixels(image) -> np.ndarray:
    return np.array(
        [
            [image.pixelColor(x, y).getRgb()[:3] for x in range(image.width())]
            for y in range(image.height())
        ]
    )


@pytest.mark.parametrize("name", ["standard", "high_contrast"])
def test_bytes_through_the_colour_table_look_as_the_activations_drawn_directly(view, name) -> None:
    view.set_palette(name)
    rng = np.random.default_rng(0)
    values = [np.clip(rng.normal(scale=0.7, size=(n, 12, 12)), -1.2, 1.2) for n in (2, 4, 2, 1)]
    values[1][0, 3, 4] = np.nan
    view.set_neuron_maps(values)
    direct = pixels(view.diagram.neurons[(1, 0)].image)
    view.set_neuron_maps([codes(v) for v in values])
    coded = view.diagram.neurons[(1, 0)].image
    assert (coded.width(), coded.height()) == (12, 12)
    assert np.abs(pixels(coded) - direct).max() <= 1  # half a byte's step: at most 1 unit
    grey = coded.pixelColor(4, 12 - 1 - 3)  # x2 upwards: row 3 of the map is row 8 here
    assert grey.getRgb()[:3] == (128, 128, 128)


class Recorder:
    def __init__(self) -> None:
        self.maps: list = []

    def set_neuron_maps(self, maps) -> None:
        self.maps.append(maps)

    def set_sample_values(self, z, a) -> None:
        self.maps.append(("sample", a))

    def set_picture_shape(self, shape) -> None:
        self.shape = shape


def test_sent_maps_are_drawn_and_nothing_is_computed_for_data_with_a_plane(monkeypatch) -> None:
    session = load_session(paths.LESSONS / "playground_default.json")
    net, clock, view = session.network, FakeClock(), Recorder()
    fill = NeuronFill(view, clock)
    computed = []
    real = neurons.neuron_maps
    monkeypatch.setattr(neurons, "neuron_maps", lambda *a: computed.append(1) or real(*a))
    fill.fill(lambda: net, session, None)  # a new session: computed here, at once
    assert len(computed) == 1 and view.maps[-1][1].dtype == float
    sent = Maps((np.zeros((2, 3, 3), np.uint8),), None)
    fill.fill(lambda: net, session, sent)
    assert view.maps[-1] == list(sent.neurons) and fill.latest is sent
    for _ in range(5):
        clock.now += 1.0
        fill.fill(lambda: net, session, None)  # the process sends maps: wait for them
    assert len(computed) == 1 and len(view.maps) == 2
    fill.again()  # after lecture mode: the newest sent, without computing
    fill.fill(lambda: net, session, None)
    assert view.maps[-1] == list(sent.neurons) and len(computed) == 1
    fill.forget()
    fill.fill(lambda: net, session, None)
    assert len(computed) == 2


def test_data_without_a_plane_shows_the_first_rows_values_ten_times_a_second(
    monkeypatch,
) -> None:
    d = minimal()
    d["network"]["layers"] = [3, 2, 1]
    d["data"] = {"inline": {"inputs": [[0, 1, 2], [1, 2, 3]], "targets": [[0], [1]]}}
    session = session_from_dict(d)
    assert planes.has_plane(session.dataset)  # a slice through its three inputs ...
    monkeypatch.setattr(neurons, "has_plane", lambda dataset: False)  # ... but were it not
    monkeypatch.setattr(neurons, "neuron_maps", lambda *args: None)
    clock, view = FakeClock(), Recorder()
    fill = NeuronFill(view, clock)
    net = network([3, 2, 1])
    fill.fill(lambda: net, session, None)
    assert view.maps == [None, ("sample", view.maps[1][1])]
    clock.now += NeuronFill.THUMBNAIL_SECONDS / 2
    fill.fill(lambda: net, session, None)
    assert len(view.maps) == 2
    clock.now += NeuronFill.THUMBNAIL_SECONDS
    fill.fill(lambda: net, session, None)
    assert len(view.maps) == 4
