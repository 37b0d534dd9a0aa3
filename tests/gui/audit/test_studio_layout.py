"""The layout audit of the studio's diagram (issue 12): for every built-in lesson and a table
with long column names, at 1280x720 and 1920x1080, no two texts or buttons of the diagram
overlap, no text covers a neuron, and everything lies inside the visible area."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF

from core.session.lessons import LESSONS_DIR
from gui.diagram.items import DiagramButton, LabelItem, LegendItem, NeuronItem

SIZES = [(1280, 720), (1920, 1080)]
LESSON_NAMES = sorted(p.stem for p in LESSONS_DIR.glob("*.json"))
LONG_NAMES = "hours_studied,previous_grade_percent,passed\n"


def table_with_long_names(folder) -> Path:
    rows = "".join(f"{h},{g},{int(h * 10 + g > 120)}\n" for h in range(1, 9) for g in (40, 70, 95))
    (folder / "exam.csv").write_text(LONG_NAMES + rows, encoding="utf-8")
    session = {
        "format": "backprop-lab/1",
        "name": "Long column names",
        "network": {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"]},
        "data": {"csv": "exam.csv", "targets": ["passed"]},
    }
    path = folder / "exam.json"
    path.write_text(json.dumps(session), encoding="utf-8")
    return path


def diagram_rects(window) -> dict[str, list[tuple[str, QRectF]]]:
    """The diagram's texts, buttons and neurons as scene rectangles, by kind."""
    scene = window.network_view.diagram
    found: dict[str, list[tuple[str, QRectF]]] = {"text": [], "button": [], "neuron": []}
    for item in scene.items():
        if not item.isVisible():
            continue
        if isinstance(item, LabelItem):
            found["text"].append((item.text(), item.sceneBoundingRect()))
        elif isinstance(item, LegendItem):
            found["text"].append(("legend", item.sceneBoundingRect()))
        elif isinstance(item, DiagramButton):
            found["button"].append((item.text, item.sceneBoundingRect().adjusted(1, 1, -1, -1)))
        elif isinstance(item, NeuronItem):
            found["neuron"].append((f"neuron {item.layer}", item.sceneBoundingRect()))
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lesson", [*LESSON_NAMES, "long names"])
def test_the_studio_diagram_has_nothing_overlapping_or_cut(lesson_window, tmp_path, lesson, size):
    source = table_with_long_names(tmp_path) if lesson == "long names" else lesson
    window = lesson_window(source, size)
    view = window.network_view
    rects = diagram_rects(window)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    labelled = rects["text"] + rects["button"]
    for (a, ra), (b, rb) in combinations(labelled, 2):
        assert not ra.intersects(rb), f"{a!r} overlaps {b!r}"
    for a, ra in rects["text"]:
        for b, rb in rects["neuron"]:
            assert not ra.intersects(rb), f"{a!r} covers a {b}"
    for a, ra in labelled + rects["neuron"]:
        assert visible.contains(ra), f"{a!r} is cut by the edge of the view"
