"""The output view of the digits lesson: the confusion matrix of the network on screen (the
core's exact counts), the gallery of exactly the misclassified pictures, a choice of split,
and at most REFRESHES_PER_SECOND recounts a second, only while shown."""

from __future__ import annotations

import numpy as np

from core.explore.confusion import confusion
from core.session.format import load_session
from core.snapshot import snapshot_network
from gui.output import confusion as panel_module
from gui.output.confusion import GALLERY, ConfusionPanel, class_labels
from tests import paths
from tests.clock import FakeClock

TIMEOUT = 30_000


def trained(window, qtbot, epochs: int = 2):
    """Play ``window`` for ``epochs`` epochs, pause, and wait for the paused snapshot."""
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch >= epochs, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.latest.evaluation is not None, timeout=TIMEOUT)


def test_the_digits_output_is_the_confusion_matrix_of_the_network_shown(lesson_window, qtbot):
    window = lesson_window("digits", (1280, 720))
    view, ds = window.output_view, window.session.dataset
    assert view.mode == "images" and view.images.isVisible()
    trained(window, qtbot)
    panel = view.images
    network = snapshot_network(window.latest)
    for split in ("train", "test"):
        panel.set_split(split)
        qtbot.waitUntil(lambda s=split: panel.result is not None and panel.result.split == s)
        expected = confusion(network, ds, split)
        qtbot.waitUntil(lambda e=expected: np.array_equal(panel.result.counts, e.counts))
        assert panel.result.accuracy == window.latest.evaluation[f"{split}_accuracy"]
        x, y = (ds.x_train, ds.y_train) if split == "train" else (ds.x_test, ds.y_test)
        predicted = network.forward(x).a[-1].argmax(axis=1)
        wrong = np.flatnonzero(predicted != y.argmax(axis=1))
        assert panel.gallery_rows.tolist() == wrong[:GALLERY].tolist()
        captions = [words for _, words in panel.picture.pictures]
        assert captions == [f"{y[r].argmax()} → {predicted[r]}" for r in wrong[:GALLERY]]
    assert "accuracy" in panel.summary.text()


def test_a_recount_waits_for_its_turn_and_for_the_panel_to_be_shown(show, qtbot, monkeypatch):
    session = load_session(paths.LESSONS / "digits.json")
    clock = FakeClock()
    counted = []
    real = panel_module.confusion

    def counting(network, dataset, split):  # this panel's counts (not a closed window's)
        if dataset is session.dataset:
            counted.append(clock())
        return real(network, dataset, split)

    monkeypatch.setattr(panel_module, "confusion", counting)
    panel = ConfusionPanel(clock=clock)
    panel.set_data(session.dataset)
    panel.follow(session.network)
    assert counted == []  # hidden: nothing counted
    show(panel, 600, 400)
    assert counted == [clock.now]  # shown: caught up at once
    panel.follow(session.network)
    panel.follow(session.network)
    assert len(counted) == 1  # too soon: one recount is scheduled
    clock.advance(1 / panel_module.REFRESHES_PER_SECOND)
    qtbot.waitUntil(lambda: len(counted) == 2, timeout=2000)
    panel.follow(session.network)
    assert len(counted) == 2  # the recount just made was the turn
    clock.advance(1 / panel_module.REFRESHES_PER_SECOND)
    panel.follow(session.network)
    assert len(counted) == 3


def test_class_names_lose_their_shared_prefix() -> None:
    assert class_labels(("digit_0", "digit_1")) == ("0", "1")
    assert class_labels(("setosa", "versicolor")) == ("setosa", "versicolor")
    assert class_labels(("class 1", "class 2", "class 10")) == ("1", "2", "10")


def test_a_map_lesson_after_digits_gets_its_toggles_back_and_digits_no_stale_legend(
    lesson_window, qtbot
):
    window = lesson_window("playground_default", (1280, 720))
    view = window.output_view
    assert view.mode == "map" and view.test_box.isVisible() and not view.legend.isHidden()
    digits = load_session(paths.LESSONS / "digits.json")
    view.set_session(digits)
    assert view.mode == "images" and not view.test_box.isVisible()
    assert not view.discretize_box.isVisible() and view.title == "Output"
    view.show_neuron_map(1, 0)  # hovering a neuron leaves the matrix as it is
    assert view.mode == "images" and view.title == "Output"
    view.set_session(window.session)
    assert view.mode == "map" and view.test_box.isVisible()
