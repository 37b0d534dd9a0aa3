"""The loss landscape (core.explore.landscape, core.explore.jobs) against the trainer's loss,
direct evaluations of the network and finite differences."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest

from core.engine.trainer import Trainer, trainer_for
from core.explore import landscape as ls
from core.explore.jobs import LandscapeJob, LandscapeRequest
from core.session.format import load_session
from tests import paths

LESSONS = ["mazur", "playground_default", "sine_regression", "softmax_blobs", "spiral"]
LESSONS += ["vanishing_gradients", "xor_script"]  # every loss: sse, mse, cce, bce


@functools.cache
def trained(name: str) -> tuple[Trainer, str]:
    """A trainer on a built-in lesson after a few epochs (parameters off their start)."""
    session = load_session(paths.LESSONS / f"{name}.json")
    trainer = trainer_for(session)
    trainer.run(epochs=3)
    return trainer, session.loss


def job(name: str, request: LandscapeRequest, budget: int = ls.GRID_BYTES) -> LandscapeJob:
    t, loss = trained(name)
    return LandscapeJob(request, t.network, t.x_train, t.y_train, loss, budget=budget)


def direct_loss(name: str, d1: ls.Direction, d2: ls.Direction, alpha: float, beta: float):
    """Copy the network, move it to theta0 + alpha d1 + beta d2, forward, loss."""
    t, loss = trained(name)
    return ls.data_loss(ls.moved(t.network, d1, d2, alpha, beta), t.x_train, t.y_train, loss)


@pytest.mark.parametrize("name", LESSONS)
@pytest.mark.parametrize("mode", ["parameters", "random", "profile"])
def test_the_centre_is_the_trainers_loss(name: str, mode: str) -> None:
    t, _ = trained(name)
    params = ((0, 0, 0),) if mode == "profile" else ()
    result = job(name, LandscapeRequest(1, mode, params, steps=61)).run()
    k = 0 if mode == "profile" else 30
    assert result.alphas[30] == 0.0 and result.betas[k] == 0.0
    want = t.history.last("train_loss")  # the data loss the plots show (no L1/L2 penalty)
    assert abs(result.losses[k, 30] - want) <= 1e-12
    assert abs(result.centre_loss - want) <= 1e-12


@pytest.mark.parametrize("name", LESSONS)
@pytest.mark.parametrize("params", [(), ((0, 0, 0), (0, 1, 0)), ((0, 1, -1), (-1, 0, 0))])
def test_every_grid_value_is_a_direct_evaluation_with_the_two_parameters_changed(
    name: str, params: tuple
) -> None:
    t, _ = trained(name)
    layers = t.network.layers
    params = tuple((l % (len(layers) - 1), i, j) for l, i, j in params)
    result = job(name, LandscapeRequest(1, "parameters", params, steps=21)).run()
    d1, d2 = (ls.parameter_direction(layers, p) for p in result.params)
    rng = np.random.default_rng(0)
    for k, m in rng.integers(0, 21, size=(8, 2)):
        # set the two parameters themselves: w0 + alpha, as a user would type them
        net = t.network.copy()
        for (l, i, j), value, offset in zip(
            result.params, result.values, (result.alphas[m], result.betas[k])
        ):
            target = net.biases[l] if j < 0 else net.weights[l]
            target[(i,) if j < 0 else (i, j)] = value + offset
        want = ls.data_loss(net, t.x_train, t.y_train, trained(name)[1])
        assert abs(result.losses[k, m] - want) <= 1e-12
        assert abs(result.losses[k, m] - direct_loss(name, d1, d2, *_ab(result, m, k))) <= 1e-12


def _ab(result, m: int, k: int) -> tuple[float, float]:
    return float(result.alphas[m]), float(result.betas[k])


@pytest.mark.parametrize("name", LESSONS)
def test_random_directions_grid_values_are_direct_evaluations(name: str) -> None:
    t, _ = trained(name)
    result = job(name, LandscapeRequest(1, "random", seed=7, steps=15)).run()
    rng = np.random.default_rng(7)
    d1, d2 = ls.random_direction(t.network, rng), ls.random_direction(t.network, rng)
    np.testing.assert_array_equal(result.d1, d1.flat())
    for k, m in itertools.product((0, 4, 7, 14), (0, 9, 14)):
        assert abs(result.losses[k, m] - direct_loss(name, d1, d2, *_ab(result, m, k))) <= 1e-12


def test_random_directions_are_filter_normalised_with_zero_biases() -> None:
    t, _ = trained("spiral")
    net = t.network
    d = ls.random_direction(net, np.random.default_rng(3))
    for w, dw, db in zip(net.weights, d.weights, d.biases):
        np.testing.assert_allclose(np.linalg.norm(dw, axis=1), np.linalg.norm(w, axis=1))
        assert not db.any()
    again = ls.random_direction(net, np.random.default_rng(3))
    np.testing.assert_array_equal(again.flat(), d.flat())
    other = ls.random_direction(net, np.random.default_rng(4))
    assert not np.allclose(other.flat(), d.flat())


@pytest.mark.parametrize("name", LESSONS)
def test_the_tangent_slope_is_the_central_difference(name: str) -> None:
    t, loss = trained(name)
    net, h = t.network, 1e-6
    gradient = ls.data_gradient(net, t.x_train, t.y_train, loss)
    for param in [(0, 0, 0), (0, 0, -1), (len(net.weights) - 1, 0, 0)]:
        d, zero = ls.parameter_direction(net.layers, param), ls.zero_direction(net.layers)
        up, down = direct_loss(name, d, zero, h, 0.0), direct_loss(name, d, zero, -h, 0.0)
        numeric = (up - down) / (2 * h)
        slope = ls.tangent_slope(gradient, param)
        assert abs(slope - numeric) <= 1e-6 * max(1.0, abs(slope))


def test_the_profile_carries_the_tangent_and_matches_direct_evaluation() -> None:
    t, loss = trained("mazur")
    param = (1, 0, 0)  # Mazur's w5
    result = job("mazur", LandscapeRequest(1, "profile", (param,), steps=31)).run()
    gradient = ls.data_gradient(t.network, t.x_train, t.y_train, loss)
    assert result.slope == ls.tangent_slope(gradient, param)
    assert result.losses.shape == (1, 31)
    d, zero = ls.parameter_direction(t.network.layers, param), ls.zero_direction([2, 2, 2])
    for m in (0, 10, 15, 30):
        want = direct_loss("mazur", d, zero, float(result.alphas[m]), 0.0)
        assert abs(result.losses[0, m] - want) <= 1e-12


@pytest.mark.parametrize("name", ["spiral", "softmax_blobs", "vanishing_gradients"])
def test_chunks_give_the_same_grid(name: str) -> None:
    whole = job(name, LandscapeRequest(1, "random", seed=1, steps=11)).run()
    for budget in (1, 50_000):  # one point per chunk; a few points per chunk
        chunked = job(name, LandscapeRequest(1, "random", seed=1, steps=11), budget).run()
        np.testing.assert_allclose(chunked.losses, whole.losses, rtol=0, atol=1e-14)
    t, _ = trained(name)
    assert (
        ls.chunk_points(
            t.network, 250, *([ls.random_direction(t.network, np.random.default_rng())] * 2), 1
        )
        == 1
    )


def test_the_default_parameters_have_the_largest_gradients() -> None:
    t, loss = trained("spiral")
    gradient = ls.data_gradient(t.network, t.x_train, t.y_train, loss)
    flat = np.abs(gradient.flat())
    chosen = ls.steepest_parameters(gradient, 2)
    values = [abs(ls.tangent_slope(gradient, p)) for p in chosen]
    assert values[0] >= values[1] >= np.sort(flat)[-2]
    assert values[0] == flat.max()
    result = job("spiral", LandscapeRequest(1, "parameters")).run()
    assert result.params == tuple(chosen)


def test_projections_onto_the_plane() -> None:
    t, _ = trained("spiral")
    result = job("spiral", LandscapeRequest(1, "random", seed=2, steps=5)).run()
    theta = result.theta0 + 0.3 * result.d1 - 0.2 * result.d2
    np.testing.assert_allclose(result.coordinates(theta), [0.3, -0.2], atol=1e-12)
    many = np.stack([result.theta0, theta])
    np.testing.assert_allclose(result.coordinates(many), [[0, 0], [0.3, -0.2]], atol=1e-12)
    chosen = job("spiral", LandscapeRequest(1, "parameters", ((0, 1, 2), (2, 0, -1)))).run()
    moved = chosen.theta0 + np.linspace(-1, 1, len(chosen.theta0))
    k1, k2 = np.flatnonzero(chosen.d1)[0], np.flatnonzero(chosen.d2)[0]
    assert tuple(chosen.coordinates(moved)) == (moved[k1] - chosen.theta0[k1],
                                                 moved[k2] - chosen.theta0[k2])  # fmt: skip
    gradient = ls.data_gradient(t.network, t.x_train, t.y_train, "mse").flat()
    assert tuple(chosen.arrow) == (-gradient[k1], -gradient[k2])


def test_a_job_advances_in_slices_and_reports_progress() -> None:
    ticks = itertools.count()
    work = job("spiral", LandscapeRequest(1, "random", steps=41), budget=200_000)
    fractions = []
    while work.result is None:
        fractions.append(work.advance(0.5, clock=lambda: next(ticks)))
    assert len(fractions) > 3 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert 0 < fractions[0] < 1


@pytest.mark.parametrize(
    ("request_", "words"),
    [
        (LandscapeRequest(1, "sideways"), "unknown landscape mode"),
        (LandscapeRequest(1, "parameters", ((0, 0, 0),)), "0 or 2 different"),
        (LandscapeRequest(1, "parameters", ((0, 0, 0), (0, 0, 0))), "0 or 2 different"),
        (LandscapeRequest(1, "profile", ((0, 0, 0), (0, 1, 0))), "takes 0 or 1 different"),
        (LandscapeRequest(1, "parameters", ((0, 9, 0), (0, 0, 0))), "has no parameter"),
        (LandscapeRequest(1, steps=1), "2 to 201 steps"),
        (LandscapeRequest(1, span=-1.0), "span must be a positive"),
    ],
)
def test_wrong_requests_say_what_is_wrong(request_: LandscapeRequest, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        job("playground_default", request_)
