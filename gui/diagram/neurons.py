"""What fills the diagram's neurons: each neuron's map over the data's own input plane
(2 inputs) or line (1 input), whatever the data's source; for other data, z and a of the
first training row (inputs that form a picture: the first layer shows its weights as that
picture, gui.diagram.pictures).

While training, the maps come from the training process (core.data.planes.plane_maps, in a
snapshot); they are computed here only for a network not yet sent there, on a grid the
budget allows."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.data.planes import (
    LEAST_THUMBNAIL_RESOLUTION,
    THUMBNAIL_RESOLUTION,
    Maps,
    has_plane,
    neuron_maps,
    resolution_for,
)
from core.engine.network import Network
from core.engine.trainer import quiet

if TYPE_CHECKING:
    from core.session.format import Session
    from gui.diagram.view import NetworkView


def fill_neurons(
    view: NetworkView, network: Network, session: Session, maps: Maps | None = None
) -> None:
    """Draw ``network``'s neuron maps on ``view`` (``maps`` as the training process sent
    them, else computed here for ``session``'s data), or its values for the first training
    row where the data has more than 2 inputs."""
    if maps is not None:
        view.set_neuron_maps(list(maps.neurons))
        return
    builtin = session.data.get("builtin")
    cells = resolution_for(network.layers, THUMBNAIL_RESOLUTION, LEAST_THUMBNAIL_RESOLUTION)
    computed = neuron_maps(network, session.dataset, session.features, builtin, cells)
    view.set_neuron_maps(computed)
    x = session.dataset.x_train[:1]
    if computed is None and len(x):
        with quiet():
            fp = network.forward(x)
        view.set_sample_values([z[0] for z in fp.z], [a[0] for a in fp.a])


class NeuronFill:
    """When the diagram's neurons are filled again: with every set of maps the training
    process sends; computed here only for a network it has not sent maps of (a new
    session, after lecture mode), or, for data with no plane, from the first row at most
    every THUMBNAIL_SECONDS."""

    THUMBNAIL_SECONDS = 0.1

    def __init__(self, view: NetworkView, clock: Callable[[], float] = time.monotonic) -> None:
        self.view = view
        self.clock = clock
        self.latest: Maps | None = None  # the newest the training process sent
        self._drawn_at: float | None = None  # None: nothing drawn for this network yet

    def forget(self) -> None:
        """A new session: its neurons are drawn at once, from nothing sent yet."""
        self.latest, self._drawn_at = None, None

    def again(self) -> None:
        """Draw from the newest maps (or compute them) at the next :meth:`fill`."""
        self._drawn_at = None

    def take(self, maps: Maps | None) -> None:
        """Keep ``maps`` (if any) as the newest sent, even while they cannot be drawn."""
        self.latest = maps or self.latest

    def fill(self, network: Callable[[], Network], session: Session, maps: Maps | None) -> None:
        """Fill the neurons with ``maps`` if sent; else as the class says (``network()``
        gives the network to compute with)."""
        self.take(maps)
        self.view.set_picture_shape(session.dataset.input_shape)
        now = self.clock()
        if maps is None and self._drawn_at is not None and not self._due(session, now):
            return
        self._drawn_at = now
        fill_neurons(self.view, network(), session, maps or self.latest)

    def _due(self, session: Session, now: float) -> bool:
        """Without maps sent: whether the first row's values are due (the process sends
        maps for data with a plane, so those are never computed here again)."""
        assert self._drawn_at is not None
        return not has_plane(session.dataset) and now - self._drawn_at >= self.THUMBNAIL_SECONDS
