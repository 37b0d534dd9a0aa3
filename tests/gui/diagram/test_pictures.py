"""Inputs that form a picture (the digits lesson): the studio draws the sample's 8x8 picture
as the input column, its edges leave the picture beside their pixel's row, and each
first-layer neuron shows W^1's row reshaped to 8x8, with every snapshot."""

from __future__ import annotations

import numpy as np

from core.snapshot import snapshot_network
from gui.presentation.palette import ink_levels
from tests.gui.output.test_confusion import trained

TIMEOUT = 30_000


def rgb(image) -> np.ndarray:
    return np.array(
        [
            [image.pixelColor(x, y).getRgb()[:3] for x in range(image.width())]
            for y in range(image.height())
        ]
    )


def weight_pictures_match(window) -> bool:
    """Whether every drawn first-layer neuron shows its row of the newest W^1 as 8x8."""
    view = window.network_view
    w1 = np.asarray(window.latest.weights[0])
    scale = view.colours.weights.with_limit(float(np.abs(w1).max()))
    drawn = [(i, item) for (layer, i), item in view.diagram.neurons.items() if layer == 1]
    assert drawn
    for i, item in drawn:
        expected = scale.colors(w1[i].reshape(8, 8))[..., :3]
        if item.image is None or not np.array_equal(rgb(item.image), expected):
            return False
    return True


def test_first_layer_neurons_show_their_incoming_weights_as_8x8(lesson_window, qtbot):
    window = lesson_window("digits", (1280, 720))
    assert weight_pictures_match(window)
    before = np.array(window.latest.weights[0])
    trained(window, qtbot, epochs=1)
    assert not np.array_equal(before, window.latest.weights[0])
    qtbot.waitUntil(lambda: weight_pictures_match(window), timeout=TIMEOUT)
    later = [item for (layer, _), item in window.network_view.diagram.neurons.items() if layer > 1]
    assert later and all(item.image is None and item.fill is not None for item in later)


def test_the_input_picture_is_the_first_training_rows_pixels(lesson_window):
    window = lesson_window("digits", (1920, 1080))
    scene = window.network_view.diagram
    row = window.session.dataset.x_train[0]
    image = scene.input_picture.image
    assert (image.width(), image.height()) == (8, 8)
    grey = rgb(image)[..., 0]
    np.testing.assert_array_equal(grey, ink_levels(row.reshape(8, 8)))
    expected = np.rint(255 * (1 - (row - min(0, row.min())) / (row.max() - min(0, row.min()))))
    np.testing.assert_array_equal(grey, expected.reshape(8, 8))


def test_each_pixels_edges_leave_the_picture_beside_its_row(lesson_window):
    window = lesson_window("digits", (1280, 720))
    scene = window.network_view.diagram
    picture = scene.input_picture.sceneBoundingRect().adjusted(2, 2, -2, -2)
    edges = scene.edges
    first = edges.ids[:, 0] == 0
    x0, y0 = edges.ends[first, 0], edges.ends[first, 1]
    np.testing.assert_allclose(x0, picture.right())
    row = edges.ids[first, 2] // 8
    band = picture.height() / 8
    assert np.all((y0 >= picture.top() + row * band) & (y0 <= picture.top() + (row + 1) * band))


def test_the_gallery_and_the_weights_follow_the_same_network(lesson_window, qtbot):
    window = lesson_window("digits", (1280, 720))
    trained(window, qtbot, epochs=1)
    network = snapshot_network(window.latest)
    panel = window.output_view.images
    qtbot.waitUntil(lambda: panel.network is not None and panel.result is not None)
    np.testing.assert_array_equal(panel.network.weights[0], network.weights[0])


def test_lecture_mode_draws_input_nodes_and_the_studio_the_picture_again(lesson_window, qtbot):
    window = lesson_window("digits", (1280, 720))
    scene = window.network_view.diagram
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    window.lecture.controller.go_to(1)
    assert scene.input_picture is None and (0, 0) in scene.neurons
    assert weight_pictures_match(window)  # the first layer keeps its weight pictures
    window.lecture.leave()
    qtbot.waitUntil(lambda: scene.input_picture is not None, timeout=TIMEOUT)
    assert not any(layer == 0 for layer, _ in scene.neurons)


def test_hovering_a_first_layer_neuron_says_what_its_square_shows(lesson_window):
    window = lesson_window("digits", (1280, 720))
    scene = window.network_view.diagram
    item = scene.neurons[(1, 0)]
    hit = scene.hit(item.pos(), 4.0)
    text = scene.describe(hit, window.latest, window.network_view._sample)
    top = float(np.abs(window.latest.weights[0]).max())
    assert f"its 64 incoming weights as an 8x8 picture, ±{top:.3g} at full colour" in text
