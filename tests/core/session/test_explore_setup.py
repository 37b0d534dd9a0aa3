"""The session's "explore" section: the landscape's choices, the maps' slice and the open
docks round-trip through save and load; a wrong value is refused at its path."""

from __future__ import annotations

import re

import pytest

from core.session.explore_setup import ExploreSetup, LandscapeSetup
from core.session.format import SessionError, load_session, save_session, session_from_dict
from tests.core.session.sessions import minimal

SECTION = {
    "landscape": {
        "mode": "random",
        "params": [[1, 0, 0], [0, 1, -1]],
        "seed": 7,
        "span": 0.25,
        "log": True,
        "shown": True,
    },
    "slice": {"axes": [2, 0], "held": [0.5, -1.0, 7.0, 2.25]},
    "predictions": True,
}


def test_the_section_round_trips_through_a_saved_file(tmp_path) -> None:
    d = minimal()
    d["explore"] = SECTION
    session = session_from_dict(d)
    assert session.explore == ExploreSetup(
        LandscapeSetup("random", ((1, 0, 0), (0, 1, -1)), 7, 0.25, True, True),
        (2, 0),
        (0.5, -1.0, 7.0, 2.25),
        True,
    )
    path = tmp_path / "s.json"
    save_session(session, path)
    assert load_session(path).explore == session.explore
    assert session_from_dict(minimal()).explore is None  # absent: the window's defaults


@pytest.mark.parametrize(
    "section, where",
    [
        ({"landscape": {"mode": "sideways"}}, "explore.landscape.mode"),
        ({"landscape": {"params": [[1, 0, 0], [1, 0, 1], [1, 1, 1]]}}, "explore.landscape.params"),
        ({"landscape": {"params": [[1, 0]]}}, "explore.landscape.params[0]"),
        ({"landscape": {"params": [[1, 0, -2]]}}, "explore.landscape.params[0][2]"),
        ({"landscape": {"seed": 10**30}}, "explore.landscape.seed"),
        ({"landscape": {"span": -1}}, "explore.landscape.span"),
        ({"slice": {"axes": [1, 1], "held": [0, 0, 0]}}, "explore.slice.axes"),
        ({"slice": {"axes": [0, 5], "held": [0, 0, 0]}}, "explore.slice.axes[1]"),
        ({"slice": {"axes": [0, 1]}}, "explore.slice"),
        ({"predictions": "yes"}, "explore.predictions"),
    ],
)
def test_a_wrong_value_is_refused_at_its_path(section, where) -> None:
    d = minimal()
    d["explore"] = section
    with pytest.raises(SessionError, match=re.escape(where) + ":"):
        session_from_dict(d)
