"""The output view: changing the session, the network or a toggle updates what is drawn."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from core.data import planes
from core.data.planes import padded_extent
from core.engine.network import Network
from core.engine.trainer import trainer_for
from core.session.format import load_session
from gui.output.maps import CLASS_COLORS, NAN_RGBA
from gui.output.view import OutputView
from gui.presentation.palette import ACTIVATIONS, GREY, HIGH_CONTRAST
from tests import paths

LESSONS = paths.LESSONS
TIMEOUT = 20_000  # ms: for what will happen, however loaded the machine
ORANGE, BLUE = ACTIVATIONS.negative, ACTIVATIONS.positive


def lesson(name: str):
    return load_session(LESSONS / f"{name}.json")


@pytest.fixture
def view(show) -> OutputView:
    return show(OutputView(), 500, 500)


def linear_net(w: list[float], activation: str = "linear", b: float = 0.0) -> Network:
    """A 2-1 network by hand: output = f(w . x + b)."""
    return Network([np.array([w])], [np.array([b])], [activation])


def cell_x(col: int, r: int = 100) -> float:
    """The x1 (or x2) of grid column (row) ``col`` over [-6, 6]."""
    return -6.0 + 12.0 / r * (col + 0.5)


def rgb(image: np.ndarray, row: int, col: int) -> np.ndarray:
    return image[row, col, :3].astype(int)


def colours(image: np.ndarray) -> set[tuple[int, ...]]:
    return {tuple(c) for c in image.reshape(-1, 4).tolist()}


def test_map_is_100_by_100_and_follows_the_network(view) -> None:
    s = lesson("playground_default")
    view.set_session(s)
    before = view.plot.image.image.copy()
    assert view.mode == "map" and before.shape == (100, 100, 4) and before.dtype == np.uint8
    trainer_for(s).run(epochs=5)  # trains s.network's weights in place
    view.set_network(s.network.copy())
    assert not np.array_equal(view.plot.image.image, before)
    assert len(view.plot.train_points.data) == len(s.dataset.points_train)


def test_colours_at_known_points_match_the_palette(view) -> None:
    view.set_session(lesson("playground_default"))
    view.set_network(linear_net([1.0, 0.0]))  # the map is x1, on the scale -1 .. 1
    image = view.plot.image.image
    for col in (20, 52, 45, 80):
        expected = ACTIVATIONS.colors(np.array([cell_x(col)]))[0, :3].astype(int)
        np.testing.assert_allclose(rgb(image, 10, col), expected, atol=2)
        np.testing.assert_allclose(rgb(image, 90, col), expected, atol=2)
    assert view.legend.texts() == ["output (linear)", "-1", "0", "1"]


def test_up_is_plus_x2_on_screen(view, qtbot) -> None:
    view.set_session(lesson("playground_default"))
    view.set_network(linear_net([0.0, 1.0], "tanh"))  # blue where x2 > 0
    qtbot.waitExposed(view)
    shot = view.plot.grab().toImage()
    vb = view.plot.getPlotItem().vb

    def pixel(x: float, y: float) -> tuple[int, int, int]:
        at = view.plot.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
        c = shot.pixelColor(at.x(), at.y())
        return c.red(), c.green(), c.blue()

    top, bottom = pixel(-5.5, 5.0), pixel(-5.5, -5.0)
    assert top[2] > top[0] + 60  # blue
    assert bottom[0] > bottom[2] + 60  # orange


def test_sigmoid_output_is_centred_at_one_half(view) -> None:
    view.set_session(lesson("playground_default"))
    view.set_network(linear_net([0.0, 0.0], "sigmoid", b=0.0))  # 0.5 everywhere
    assert colours(view.plot.image.image) == {(*GREY, 255)}
    assert view.legend.texts()[1:] == ["0", "0.5", "1"]


def test_discretize_draws_two_colours_and_follows_the_setter(view, qtbot) -> None:
    view.set_session(lesson("playground_default"))
    view.set_network(linear_net([1.0, 0.5], "tanh"))
    assert len(colours(view.plot.image.image)) > 20
    with qtbot.waitSignal(view.discretize_changed) as signal:
        qtbot.mouseClick(view.discretize_box, Qt.MouseButton.LeftButton)
    assert signal.args == [True] and view.discretize
    assert colours(view.plot.image.image) == {(*ORANGE, 255), (*BLUE, 255)}
    view.set_discretize(False)
    assert not view.discretize_box.isChecked() and not view.discretize
    assert len(colours(view.plot.image.image)) > 20


def test_show_test_adds_and_removes_the_test_points(view, qtbot) -> None:
    s = lesson("playground_default")
    view.set_session(s)
    assert not view.show_test and len(view.plot.test_points.data) == 0
    with qtbot.waitSignal(view.show_test_changed) as signal:
        qtbot.mouseClick(view.test_box, Qt.MouseButton.LeftButton)
    assert signal.args == [True]
    test = view.plot.test_points
    assert len(test.data) == len(s.dataset.points_test) > 0
    assert test.points()[0].pen().color().getRgb()[:3] == (20, 20, 20)  # dark outline
    assert view.plot.train_points.points()[0].pen().color().getRgb()[:3] == (255, 255, 255)
    view.set_show_test(False)
    assert not view.test_box.isChecked() and len(view.plot.test_points.data) == 0
    view.set_show_test(True)
    view.set_session(s)  # a new session keeps the toggle
    assert len(view.plot.test_points.data) == len(s.dataset.points_test)


def test_points_are_coloured_by_class_on_the_output_scale(view) -> None:
    s = lesson("playground_default")
    view.set_session(s)
    brushes = [p.brush().color().getRgb()[:3] for p in view.plot.train_points.points()]
    expected = [BLUE if c == 1 else ORANGE for c in s.dataset.classes_train]
    assert brushes == expected


def test_softmax_map_is_coloured_by_argmax_class(view) -> None:
    s = lesson("softmax_blobs")
    view.set_session(s)
    # logits (5 x1, -5 x1, 0): class 1 where x1 > 0, class 2 where x1 < 0, certain far out
    net = Network([np.array([[5.0, 0.0], [-5.0, 0.0], [0.0, 0.0]])], [np.zeros(3)], ["softmax"])
    view.set_network(net)
    image = view.plot.image.image
    assert tuple(rgb(image, 50, 90)) == CLASS_COLORS[0]
    assert tuple(rgb(image, 50, 10)) == CLASS_COLORS[1]
    middle = rgb(image, 50, 50)  # x1 = 0.06: hardly sure, close to grey
    assert np.abs(middle - np.array(GREY)).max() < 60
    view.set_discretize(True)
    assert {c[:3] for c in colours(view.plot.image.image)} == set(CLASS_COLORS[:2])
    brushes = [p.brush().color().getRgb()[:3] for p in view.plot.train_points.points()]
    assert brushes == [CLASS_COLORS[c] for c in s.dataset.classes_train]
    assert view.legend.texts() == ["class 1", "class 2", "class 3"]


def test_sine_shows_a_curve_and_no_image(view) -> None:
    s = lesson("sine_regression")
    view.set_session(s)
    assert view.mode == "curve"
    x, y = view.plot.curve.getData()
    assert len(x) == 300 and x[0] == -6.0 and x[-1] == 6.0
    np.testing.assert_allclose(y, s.network.predict(x[:, None])[:, 0])
    assert view.plot.image.image is None and not view.plot.image.isVisible()
    assert len(view.plot.train_points.data) == len(s.dataset.points_train)
    assert not view.discretize_box.isEnabled()
    assert view.plot.getPlotItem().getAxis("left").labelText == "y"
    assert view.legend.texts() == ["network output", "training data"]
    view.set_show_test(True)
    assert len(view.plot.test_points.data) == len(s.dataset.points_test)
    assert view.legend.texts() == ["network output", "training data", "test data"]


def test_inline_xor_is_drawn_over_its_padded_box(view) -> None:
    s = lesson("xor_script")
    view.set_session(s)
    assert view.mode == "map"
    item = view.plot.image
    box = item.mapRectToParent(item.boundingRect())
    assert (box.left(), box.top(), box.width(), box.height()) == pytest.approx((-0.5, -0.5, 2, 2))
    x, y = view.plot.train_points.getData()
    assert sorted(zip(x, y)) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert view.legend.texts()[1:] == ["0", "0.5", "1"]  # the sigmoid's class codes
    assert not view.test_box.isEnabled()  # four rows, all for training


def test_padded_extent_is_a_quarter_of_the_span_and_at_least_half() -> None:
    assert padded_extent(np.array([[0.0, 0.0], [1.0, 1.0]]), None) == (-0.5, 1.5, -0.5, 1.5)
    assert padded_extent(np.array([[0.0, 10.0], [8.0, 10.2]]), None) == pytest.approx(
        (-2.0, 10.0, 9.5, 10.7)
    )


def test_mazur_data_shows_the_message(view) -> None:
    view.set_session(lesson("mazur"))
    assert view.mode == "message"
    assert "needs 2-D or 1-D data" in view.message and "2 inputs" in view.message
    assert len(view.plot.train_points.data) == 0
    assert view.legend.texts() == []


def test_a_network_that_does_not_fit_the_data_says_so(view) -> None:
    view.set_session(lesson("playground_default"))
    view.set_network(Network([np.ones((1, 3))], [np.zeros(1)], ["tanh"]))
    assert view.mode == "message" and "3 inputs" in view.message
    view.set_network(linear_net([1.0, 0.0]))
    assert view.mode == "map" and view.message == ""


def test_show_neuron_map_switches_and_back(view) -> None:
    s = lesson("playground_default")
    view.set_session(s)
    output_image = view.plot.image.image.copy()
    view.show_neuron_map(1, 1)
    assert view.title == "Neuron 2 of layer 1"
    a = planes.layer_maps(s.network, s.features, planes.grid(100))[1][1]
    expected = ACTIVATIONS.colors(np.array([a[30, 70]]))[0, :3].astype(int)
    np.testing.assert_allclose(rgb(view.plot.image.image, 30, 70), expected, atol=2)
    assert view.legend.texts()[0] == "a (tanh)"
    view.show_neuron_map(0, 0)  # the input x1 itself, on its own range
    assert view.title == "Input x1: neuron 1 of layer 0"
    assert view.legend.texts()[1:] == ["-5.94", "0", "5.94"]
    view.show_neuron_map(-1, -1)
    assert view.title == "Output"
    np.testing.assert_array_equal(view.plot.image.image, output_image)


def test_neuron_curve_for_1d_data(view) -> None:
    s = lesson("sine_regression")
    view.set_session(s)
    view.show_neuron_map(1, 3)
    x, y = view.plot.curve.getData()
    np.testing.assert_allclose(y, s.network.forward(x[:, None]).a[1][:, 3])
    assert view.title == "Neuron 4 of layer 1"


def test_hover_reads_out_the_position_and_value(view, qtbot) -> None:
    view.set_session(lesson("playground_default"))
    view.set_network(linear_net([0.1, 0.0]))  # output = x1 / 10
    assert view.readout_at(3.03, -1.0) == "(x1, x2) = (3.03, -1.00):  output = 0.306"
    assert view.readout_at(7.0, 0.0) == ""
    qtbot.waitExposed(view)
    vb = view.plot.getPlotItem().vb
    at = view.plot.mapFromScene(vb.mapViewToScene(QPointF(2.0, 1.0)))
    qtbot.mouseMove(view.plot.viewport(), QPoint(at.x(), at.y()))
    qtbot.waitUntil(lambda: view.readout.startswith("(x1, x2) = "), timeout=TIMEOUT)
    assert float(view.readout.split("output = ")[1]) == pytest.approx(0.2, abs=0.01)


def test_nan_output_is_grey_and_quiet(view) -> None:
    view.set_session(lesson("playground_default"))
    # hidden = 1e308 x1 twice (inf beyond |x1| > 1.8); output = h1 - h2 = inf - inf = NaN
    net = Network(
        [np.array([[1e308, 0.0], [1e308, 0.0]]), np.array([[1.0, -1.0]])],
        [np.zeros(2), np.zeros(1)],
        ["linear", "linear"],
    )
    view.set_network(net)
    assert tuple(view.plot.image.image[50, 0]) == NAN_RGBA
    view.set_discretize(True)
    assert tuple(view.plot.image.image[50, 0]) == NAN_RGBA


def test_switching_the_palette_recolours_the_map_points_and_legend(view) -> None:
    view.set_session(lesson("playground_default"))
    view.set_network(linear_net([1.0, 0.0]))  # the map is x1, on the scale -1 .. 1
    standard = view.plot.image.image.copy()
    view.set_palette("high_contrast")
    hc = HIGH_CONTRAST.activations
    image = view.plot.image.image
    for col in (5, 45, 95):
        expected = hc.colors(np.array([cell_x(col)]))[0, :3].astype(int)
        np.testing.assert_allclose(rgb(image, 50, col), expected, atol=2)
    assert not np.array_equal(image, standard)
    assert view.legend.colours == hc and view.palette_name == "high_contrast"
    brushes = view.plot.train_points.data["brush"]
    assert {b.color().getRgb()[:3] for b in brushes} <= {hc.negative, hc.positive}
    view.set_palette("standard")
    np.testing.assert_array_equal(view.plot.image.image, standard)
