"""Data of more than two inputs: the output map and the neurons show a slice, two inputs
varying and the others held at sliders (at first their training mean); the training
process draws its maps over the same slice."""

from __future__ import annotations

import json

import numpy as np

from core.data.planes import Slice
from core.snapshot import session_maps, snapshot_network

TIMEOUT = 20_000


def four_inputs(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4)) * [0.8, 0.4, 1.7, 0.7] + [5.8, 3.0, 3.7, 1.2]
    y = np.eye(3)[(x[:, 2] > 3.0).astype(int) + (x[:, 3] > 1.6).astype(int)]
    path = tmp_path / "four.json"
    path.write_text(json.dumps({
        "format": "backprop-lab/1",
        "name": "four inputs",
        "network": {"layers": [4, 5, 3], "activations": ["tanh", "softmax"]},
        "loss": "cce",
        "data": {"inline": {"inputs": x.round(2).tolist(), "targets": y.tolist()}},
    }))  # fmt: skip
    return path


def test_the_maps_follow_the_chosen_slice_here_and_in_the_training_process(
    lesson_window, qtbot, tmp_path
):
    window = lesson_window(four_inputs(tmp_path), size=(1280, 720))
    slices, view = window.explorer.slices, window.output_view
    assert slices.isVisible() and slices.cut.axes == (0, 1)
    assert view.mode == "map" and set(slices.sliders) == {2, 3}
    slices.up.setCurrentIndex(3)
    slices.up.activated.emit(3)
    assert slices.cut.axes == (0, 3)
    bottom = view.plot.getPlotItem().getAxis("bottom").labelText
    assert bottom.startswith("x1<br>") and "held: x2 = " in bottom and "x3 = " in bottom
    slider, value = slices.sliders[2]
    slider.setValue(0)  # x3 at the smallest of its training values
    qtbot.waitUntil(
        lambda: window.latest.maps is not None and window.worker.latest.maps is not None,
        timeout=TIMEOUT,
    )
    x3 = float(window.session.dataset.x_train[:, 2].min())
    assert slices.cut.held[2] == x3 and value.text() == f"{x3:.3g}"
    expected = Slice((0, 3), slices.cut.held)
    qtbot.waitUntil(
        lambda: (
            window.latest.maps is not None
            and np.array_equal(
                window.latest.maps.output,
                session_maps(window.session, snapshot_network(window.latest), expected).output,
            )
        ),
        timeout=TIMEOUT,
    )


def test_swapping_the_axes_and_two_input_data_has_no_slice(lesson_window, tmp_path):
    window = lesson_window(four_inputs(tmp_path))
    slices = window.explorer.slices
    slices.across.setCurrentIndex(1)  # the input already up: the two swap
    slices.across.activated.emit(1)
    assert slices.cut.axes == (1, 0)
    two = lesson_window("xor_script")
    assert not two.explorer.slices.isVisible()
