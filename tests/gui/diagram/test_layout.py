"""The diagram's geometry (gui.diagram.layout, no Qt): a long input layer, such as the 64
pixels of the digits lesson, keeps a row for each drawn input's name at any size of type."""

from __future__ import annotations

import numpy as np
import pytest

from gui.diagram.layout import NAME_ROW, Room, diagram_layout


@pytest.mark.parametrize("text", [1.0, 1.5, 2.0, 3.0])
@pytest.mark.parametrize(("width", "height"), [(826, 587), (1246, 947), (1280, 400)])
def test_the_drawn_inputs_names_never_crowd(text: float, width: int, height: int) -> None:
    layout = diagram_layout([64, 32, 10], width, height, room=Room(text=text))
    inputs = layout.columns[0]
    rows = np.sort(np.append(inputs.y, inputs.marker_y))
    assert inputs.hidden > 0 and len(inputs.shown) + inputs.hidden == 64
    assert np.diff(rows).min() >= min(NAME_ROW * text, (rows[-1] - rows[0]) / 4) - 1e-9
    assert layout.nodes_top <= rows[0] and rows[-1] <= layout.nodes_bottom


def test_short_input_layers_are_laid_out_as_before() -> None:
    """Up to 5 inputs the rule changes nothing: every input drawn, the others' columns alike."""
    for text in (1.0, 2.5):
        layout = diagram_layout([4, 8, 3], 826, 587, room=Room(text=text))
        assert list(layout.columns[0].shown) == [0, 1, 2, 3] and layout.columns[0].hidden == 0


def test_the_other_columns_keep_their_own_cap() -> None:
    layout = diagram_layout([64, 32, 10], 1246, 947, room=Room(text=3.0))
    assert len(layout.columns[0].shown) < len(layout.columns[1].shown)
    assert list(layout.columns[2].shown) == list(range(10))
