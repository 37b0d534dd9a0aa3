"""Landscape requests as the training process carries them out: in short slices of work
between training chunks, so that play, pause and edits keep being handled; a newer request
replaces (cancels) an older one.

A request fixes the plane when it starts (the parameters then, copied: training goes on
meanwhile); its result says which parameters it was of (epoch, steps), the plane (theta0, d1,
d2 as flat vectors, so the window can project the trajectory onto it), the grid, the loss at
the centre and the negative gradient's coordinates in the plane (the arrow).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from core.engine.network import Network
from core.engine.params import FlatLayout
from core.explore import landscape as ls

MODES = ("parameters", "random", "profile")
MAX_STEPS = 201
MAX_PARAMETERS = 1_000_000
"""Larger networks are refused: 61 x 61 of their forward passes would take many minutes,
and the plane's three vectors travel back to the window."""


@dataclass(frozen=True)
class LandscapeRequest:
    """What to compute: ``mode`` "parameters" (the plane of two parameters ``params``, or the
    two with the largest |dL/dw| if none are given), "random" (two filter-normalised random
    directions drawn from ``seed``) or "profile" (L along the one parameter ``params[0]``,
    or the one with the largest |dL/dw|).
    ``span`` is the half-width of each axis (None: 1 for random directions, else
    max(1, 2 |w0|) of the parameters' values); ``steps`` the points along each axis."""

    ident: int
    mode: str = "parameters"
    params: tuple[ls.Param, ...] = ()
    seed: int = 0
    span: float | None = None
    steps: int = 61


@dataclass(frozen=True, eq=False)
class LandscapeResult:
    """L over the plane (``losses[k, m]`` at alphas[m], betas[k]; a profile has one row and
    beta 0).  ``params`` are the plane's two parameters (or the profile's one; () for random
    directions) and ``values`` their values at the centre.  ``slope`` is dL/dw of a
    profile's parameter (the tangent), NaN otherwise."""

    ident: int
    mode: str
    params: tuple[ls.Param, ...]
    values: tuple[float, ...]
    seed: int
    epoch: int
    steps: int
    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    centre_loss: float
    arrow: np.ndarray
    slope: float
    theta0: np.ndarray
    d1: np.ndarray
    d2: np.ndarray

    def coordinates(self, thetas: np.ndarray) -> np.ndarray:
        """(alpha, beta) of flat parameter vectors (P,) or (T, P) projected on the plane."""
        return ls.plane_coordinates(self.d1, self.d2, np.asarray(thetas) - self.theta0)


def check_request(request: LandscapeRequest, network: Network) -> None:
    """A ValueError saying what is wrong with ``request`` for ``network`` and what to do."""
    if request.mode not in MODES:
        raise ValueError(f"unknown landscape mode {request.mode!r}; use one of {MODES}")
    if not 2 <= request.steps <= MAX_STEPS:
        raise ValueError(f"a landscape needs 2 to {MAX_STEPS} steps per axis, not {request.steps}")
    if request.span is not None and not (np.isfinite(request.span) and request.span > 0):
        raise ValueError(f"the landscape's span must be a positive number, not {request.span}")
    if network.n_parameters > MAX_PARAMETERS:
        raise ValueError(
            f"the loss landscape is drawn for networks of at most {MAX_PARAMETERS:,} "
            f"parameters; this one has {network.n_parameters:,}"
        )
    wanted = {"parameters": (0, 2), "random": (0,), "profile": (0, 1)}[request.mode]
    if len(request.params) not in wanted or len(set(request.params)) != len(request.params):
        raise ValueError(
            f"a {request.mode} landscape takes {' or '.join(map(str, wanted))} different "
            f"parameters, not {len(request.params)}"
        )
    for param in request.params:
        ls.check_param(network.layers, tuple(param))


class LandscapeJob:
    """One request under way: ``advance(seconds)`` computes chunks for about that long and
    returns the fraction done; ``result`` is set once it is done."""

    def __init__(
        self,
        request: LandscapeRequest,
        network: Network,
        x: np.ndarray,
        y: np.ndarray,
        loss: str,
        epoch: int = 0,
        steps: int = 0,
        budget: int = ls.GRID_BYTES,
    ) -> None:
        check_request(request, network)
        self.request = request
        net = network.copy()  # training goes on: the plane is of the parameters now
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.gradient = ls.data_gradient(net, self.x, self.y, loss)
        params, d1, d2 = self._plane(request, net)
        values = tuple(ls.parameter_value(net, p) for p in params)
        span = request.span or (1.0 if request.mode == "random" else _span(values))
        alphas = ls.grid_axis(request.steps, span)
        betas = np.zeros(1) if request.mode == "profile" else alphas.copy()
        losses = np.empty((len(betas), len(alphas)))
        self._chunks: Iterator[float] = ls.grid_chunks(
            net, self.x, self.y, loss, d1, d2, alphas, betas, losses, budget
        )
        f1, f2 = d1.flat(), d2.flat()
        theta0 = FlatLayout(net.layers).pack(net.weights, net.biases)
        arrow = ls.plane_coordinates(f1, f2, -self.gradient.flat())
        slope = ls.tangent_slope(self.gradient, params[0]) if request.mode == "profile" else np.nan
        self._pending = dict(
            ident=request.ident, mode=request.mode, params=params, values=values,
            seed=request.seed, epoch=epoch, steps=steps, alphas=alphas, betas=betas,
            losses=losses, arrow=arrow, slope=slope, theta0=theta0, d1=f1, d2=f2,
        )  # fmt: skip
        self.centre_loss = ls.data_loss(net, self.x, self.y, loss)
        self.fraction = 0.0
        self.result: LandscapeResult | None = None

    def _plane(self, request: LandscapeRequest, net: Network) -> tuple:
        layers = net.layers
        if request.mode == "random":
            rng = np.random.default_rng(request.seed)
            return (), ls.random_direction(net, rng), ls.random_direction(net, rng)
        count = 1 if request.mode == "profile" else 2
        params = tuple(tuple(p) for p in request.params)
        params = params or tuple(ls.steepest_parameters(self.gradient, count))
        if request.mode == "profile":
            return params, ls.parameter_direction(layers, params[0]), ls.zero_direction(layers)
        return params, *(ls.parameter_direction(layers, p) for p in params)

    def advance(self, seconds: float, clock: Callable[[], float] = time.perf_counter) -> float:
        """Compute chunks for about ``seconds`` (at least one); the fraction done."""
        start = clock()
        for fraction in self._chunks:
            self.fraction = fraction
            if fraction < 1.0 and clock() - start >= seconds:
                return fraction
        if self.result is None:
            self.result = LandscapeResult(**self._pending, centre_loss=self.centre_loss)
        return 1.0

    def run(self) -> LandscapeResult:
        """Compute the whole grid at once (the tests, the benchmark)."""
        while self.result is None:
            self.advance(np.inf)
        return self.result


def _span(values: tuple[float, ...]) -> float:
    """Each axis reaches max(1, 2 |w0|) either side: the sign flip of the largest value."""
    return max(1.0, 2.0 * max(abs(v) for v in values))


SLICE_SECONDS = 1 / 120
"""Landscape work between two looks at the pipe (as long as a training chunk)."""
PROGRESS_SECONDS = 0.1
"""Progress goes to the window at most this often."""


class Landscapes:
    """The training process's landscape work: at most one job; a new request replaces the
    one under way.  Messages to the window, through ``send``::

        ("landscape_progress", ident, fraction)
        ("landscape", LandscapeResult)
        ("landscape_failed", ident, message)      the request was wrong for this network
    """

    def __init__(self, send: Callable[[tuple], None], clock: Callable[[], float]) -> None:
        self.send, self.clock = send, clock
        self.job: LandscapeJob | None = None
        self.progress_sent = -np.inf

    @property
    def busy(self) -> bool:
        """Whether a job is under way."""
        return self.job is not None

    def start(self, request: LandscapeRequest | None, trainer, loss: str) -> None:
        """Begin ``request`` on ``trainer``'s parameters now (None: just cancel)."""
        self.job = None
        if request is None:
            return
        try:
            self.job = LandscapeJob(
                request, trainer.network, trainer.x_train, trainer.y_train, loss,
                trainer.epoch, trainer.steps,
            )  # fmt: skip
        except ValueError as exc:
            self.send(("landscape_failed", request.ident, str(exc)))
        self.progress_sent = -np.inf

    def work(self, timeout: float | None) -> float | None:
        """One slice of the job, if there is one; the pipe's timeout after it (0 while a
        job is left, else ``timeout``)."""
        job = self.job
        if job is None:
            return timeout
        fraction = job.advance(SLICE_SECONDS, self.clock)
        if job.result is not None:
            self.job = None
            self.send(("landscape", job.result))
            return timeout
        if self.clock() - self.progress_sent >= PROGRESS_SECONDS:
            self.send(("landscape_progress", job.request.ident, fraction))
            self.progress_sent = self.clock()
        return 0.0
