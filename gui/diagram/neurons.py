"""What fills the diagram's neurons: each neuron's map over the data's own input plane
(2 inputs) or line (1 input), whatever the data's source; for other data, z and a of the
first training row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.data.planes import neuron_maps
from core.engine.network import Network
from core.engine.trainer import quiet

if TYPE_CHECKING:
    from core.session.format import Session
    from gui.diagram.view import NetworkView

THUMBNAIL_RESOLUTION = 24  # cells across a neuron's map


def fill_neurons(view: NetworkView, network: Network, session: Session) -> None:
    """Draw ``network``'s neuron maps on ``view`` (or its values for the first training row
    where the data has more than 2 inputs), computed by the core for ``session``'s data."""
    builtin = session.data.get("builtin")
    maps = neuron_maps(network, session.dataset, session.features, builtin, THUMBNAIL_RESOLUTION)
    view.set_neuron_maps(maps)
    x = session.dataset.x_train[:1]
    if maps is None and len(x):
        with quiet():
            fp = network.forward(x)
        view.set_sample_values([z[0] for z in fp.z], [a[0] for a in fp.a])
