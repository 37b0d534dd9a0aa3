"""What an earlier run is called, where its tag goes, and which values an axis follows:
pure functions, no widgets."""

import dataclasses

import numpy as np
import pytest

from core.session.format import load_session
from gui.plots.labels import RunSettings, lr_text, run_label, settings_of, stack_offsets
from gui.plots.ranges import (
    LOSS_HEADROOM,
    axis_cap,
    diverged,
    first_finite,
    last_plausible,
    plausible_bounds,
)
from tests import paths

NOW = RunSettings(lr=0.03, batch=10, seed=1, optimizer="sgd", layers=(2, 4, 1))


def test_settings_of_a_session_are_the_five_that_tell_runs_apart() -> None:
    session = load_session(paths.LESSONS / "spiral.json")
    assert settings_of(session) == {
        "lr": 0.01,
        "batch": 10,
        "seed": 0,
        "optimizer": "adam",
        "layers": (4, 8, 8, 8, 1),
    }
    session.training = dataclasses.replace(session.training, learning_rate=0.3, batch_size=None)
    assert settings_of(session)["lr"] == 0.3 and settings_of(session)["batch"] is None


@pytest.mark.parametrize(
    ("change", "label"),
    [
        ({"lr": 0.3}, "lr 0.3"),
        ({"batch": 1}, "batch 1"),
        ({"batch": None}, "full batch"),
        ({"seed": 7}, "seed 7"),
        ({"optimizer": "adam"}, "Adam"),
        ({"optimizer": "momentum"}, "SGD + momentum"),
        ({"layers": (2, 8, 8, 1)}, "layers 2-8-8-1"),
        ({"batch": 1, "optimizer": "adam"}, "batch 1, Adam"),
        ({"layers": [2, 8, 1], "lr": 1.0, "seed": 3}, "lr 1, seed 3, layers 2-8-1"),
        ({"layers": [2, 4, 1]}, "same settings"),  # a list is the same layers as a tuple
        ({}, "same settings"),
    ],
)
def test_a_run_is_labelled_by_what_differs_from_the_current_run(change, label) -> None:
    assert run_label(RunSettings(**{**NOW, **change}), NOW) == label


def test_learning_rates_changed_while_training_are_shown_as_a_path() -> None:
    assert lr_text([0.03]) == "lr 0.03"
    assert lr_text([0.03, 0.3]) == "lr 0.03→0.3"
    assert lr_text([0.03, 0.3, 0.1, 1.0]) == "lr 0.03→…→1"
    # the run ended at the current rate, but started elsewhere: still a difference
    assert run_label(RunSettings(**{**NOW, "lr": 0.3}), NOW, [0.03]) == "lr 0.3→0.03"
    assert run_label(NOW, NOW, [0.3]) == "lr 0.03→0.3"
    assert run_label(NOW, NOW, []) == "same settings"


def test_tags_that_would_cover_each_other_are_stacked_upwards() -> None:
    width, height = 20.0, 10.0
    assert stack_offsets([(0, 0), (100, 0), (0, 50)], width, height) == [0, 0, 0]
    # three runs ending at the same point: the lowest stays, the others move up one by one
    assert stack_offsets([(50, 100), (50, 100), (50, 100)], width, height) == [0, 1, 2]
    # nearly the same point; the one a little lower stays
    assert stack_offsets([(50, 95), (52, 100)], width, height) == [1, 0]
    # moved up past one tag, it may meet the next: it moves on
    assert stack_offsets([(0, 100), (0, 91), (0, 100)], width, height) == [0, 2, 1]
    assert stack_offsets([], width, height) == []


def test_the_axis_cap_comes_from_the_finite_positive_starting_values() -> None:
    assert axis_cap([0.7, np.nan, 0.9, np.inf, -1.0], LOSS_HEADROOM) == LOSS_HEADROOM * 0.9
    assert axis_cap([np.nan, 0.0], LOSS_HEADROOM) == np.inf  # nothing to go by: follow all
    assert axis_cap([], 10.0) == np.inf


def test_plausible_bounds_leave_out_non_finite_and_absurd_values() -> None:
    y = np.array([0.7, 0.5, np.nan, 0.2, np.inf, 6e297, -np.inf, 0.1])
    assert plausible_bounds(y, 1.4) == (0.1, 0.7)
    assert plausible_bounds(y, np.inf) == (0.1, 6e297)
    x = np.arange(len(y), dtype=float)
    assert plausible_bounds(y, 1.4, x, (1.0, 4.0)) == (0.2, 0.5)
    assert plausible_bounds(np.array([np.nan, 1e300]), 1.0) == (None, None)
    assert plausible_bounds(np.array([]), 1.0) == (None, None)


def test_where_a_run_ends_and_whether_it_diverged() -> None:
    healthy = np.array([np.nan, 0.7, 0.4, 0.2])
    blown = np.array([0.7, 0.4, 3.0, 1e200])  # 1e200: where it ended (a 1.4 cap: not drawn)
    assert first_finite(healthy) == 0.7 and np.isnan(first_finite(np.full(100, np.nan)))
    assert first_finite(np.r_[np.full(100, np.nan), 2.0]) == 2.0  # beyond the first rows
    assert not diverged(healthy) and not diverged(np.array([]))
    assert diverged(blown) and diverged(np.array([0.7, 0.4, np.nan]))
    assert not diverged(np.array([0.7, 1.5, 2.0, 2.0]))  # stuck high, not diverged
    assert last_plausible(healthy, 1.4) == 3
    assert last_plausible(blown, 1.4) == 1
    assert last_plausible(np.array([np.nan, 9.0]), 1.4) is None
