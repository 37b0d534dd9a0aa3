"""Exporting the network diagram: PNG at a size or DPI, SVG with an element per node and
edge, and the headless render function (the `main.py render` command: tests/cli)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from core.data.planes import grid, layer_maps
from core.session.format import load_session
from core.session.lessons import resolve
from core.snapshot import network_snapshot
from gui.diagram.items import DiagramButton
from gui.diagram.view import NetworkView
from gui.exports.diagram import (
    drawing_size,
    export_png,
    export_svg,
    png_size,
    render_session,
    render_size,
)

SVG = "{http://www.w3.org/2000/svg}"


def lesson_view(show, name: str) -> NetworkView:
    """A shown NetworkView drawing built-in lesson ``name`` (heatmaps for 2-D data)."""
    session = load_session(resolve(name))
    view = show(NetworkView(), 900, 520)
    snap = network_snapshot(session.network)
    view.set_network(snap, session.dataset.input_names, session.fitting_labels())
    if session.dataset.points_train is not None and session.dataset.points_train.shape[1] == 2:
        view.set_neuron_maps(layer_maps(session.network, session.features, grid(12)))
    return view


def image_array(path: Path) -> np.ndarray:
    """The PNG's pixels as an (h, w, 3) array."""
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    bits = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return bits[:, : image.width() * 3].reshape(image.height(), image.width(), 3)


def svg_elements(path: Path) -> dict[str, list[ET.Element]]:
    """The SVG's elements by tag name (without the namespace)."""
    found: dict[str, list[ET.Element]] = {}
    for element in ET.parse(path).getroot().iter():
        found.setdefault(element.tag.removeprefix(SVG), []).append(element)
    return found


def svg_texts(path: Path) -> list[str]:
    return [(t.text or "").strip() for t in svg_elements(path).get("text", [])]


def test_png_has_the_requested_size_and_is_drawn(show, tmp_path) -> None:
    view = lesson_view(show, "playground_default")
    out = tmp_path / "net.png"
    export_png(view, out, width=800, height=500)
    pixels = image_array(out)
    assert pixels.shape == (500, 800, 3)
    assert tuple(pixels[2, 2]) == (255, 255, 255)  # a white background, not the screen's grey
    coloured = (pixels.max(axis=2).astype(int) - pixels.min(axis=2)) > 60
    assert coloured.mean() > 0.03  # heatmaps and orange/blue edges
    export_png(view, out, width=1000)
    wide = QImage(str(out))
    assert wide.width() == 1000 and 400 < wide.height() < 800  # in proportion


def test_png_at_a_dpi_scales_from_96_and_records_it(show, tmp_path) -> None:
    view = lesson_view(show, "mazur")
    at_96, at_192 = tmp_path / "a.png", tmp_path / "b.png"
    export_png(view, at_96, dpi=96)
    export_png(view, at_192, dpi=192)
    small, large = QImage(str(at_96)), QImage(str(at_192))
    assert abs(large.width() - 2 * small.width()) <= 2
    assert abs(large.height() - 2 * small.height()) <= 2
    assert round(large.dotsPerMeterX() * 0.0254) == 192


def test_an_export_hides_the_controls_and_restores_the_view(show, tmp_path) -> None:
    view = lesson_view(show, "mazur")
    brush = view.diagram.backgroundBrush().color()
    export_svg(view, tmp_path / "net.svg")
    export_png(view, tmp_path / "net.png", width=600)
    buttons = [item for item in view.diagram.items() if isinstance(item, DiagramButton)]
    assert buttons and all(button.isVisible() for button in buttons)
    assert view.diagram.edges.isVisible()
    assert view.diagram.backgroundBrush().color() == brush
    assert view.diagram.neurons[(1, 0)].label == "h1"
    texts = svg_texts(tmp_path / "net.svg")
    assert "+ layer" not in texts and "Weights" not in texts and "Gradients" not in texts


def test_svg_has_an_element_per_neuron_and_per_edge(show, tmp_path) -> None:
    view = lesson_view(show, "playground_default")
    edges, neurons = len(view.diagram.edges.ends), len(view.diagram.neurons)
    assert (edges, neurons) == (2 * 4 + 4 * 2 + 2 * 1, 9)
    out = tmp_path / "net.svg"
    export_svg(view, out, title="Playground")
    found = svg_elements(out)
    assert len(found["polyline"]) == edges  # one per edge, not one per colour
    assert len(found["image"]) == neurons  # each neuron's heatmap
    assert len(found["rect"]) >= neurons  # outlines and bias glyphs
    assert found["title"][0].text == "Playground"
    texts = svg_texts(out)
    for expected in ("Input", "Hidden 1", "Output", "x₁", "x₂", "4 neurons · tanh", "weight"):
        assert expected in texts
    assert set(view.diagram.legend.tick_labels()) <= set(texts)  # the legend's range


def test_svg_edges_carry_their_colours(show, tmp_path) -> None:
    view = lesson_view(show, "playground_default")
    out = tmp_path / "net.svg"
    export_svg(view, out)
    strokes = {
        (e.get("stroke") or "").lower()
        for e in ET.parse(out).getroot().iter(f"{SVG}g")
        if e.find(f"{SVG}polyline") is not None
    }
    expected = {stroke.pen.color().name() for stroke in view.diagram.edges.strokes}
    assert expected <= strokes


def test_svg_of_mazur_writes_the_neuron_labels_as_text(show, tmp_path) -> None:
    view = lesson_view(show, "mazur")
    out = tmp_path / "mazur.svg"
    export_svg(view, out)
    found = svg_elements(out)
    assert len(found["polyline"]) == len(view.diagram.edges.ends) == 8
    assert len(found["rect"]) >= 6
    texts = svg_texts(out)
    for label in ("i1", "i2", "h1", "h2", "o1", "o2"):
        assert label in texts
    assert "Sans Serif" not in out.read_text(encoding="utf-8")  # a font viewers know


def test_exports_refuse_an_empty_view_and_bad_sizes(show, tmp_path) -> None:
    empty = show(NetworkView(), 600, 400)
    with pytest.raises(ValueError):
        export_png(empty, tmp_path / "x.png")
    with pytest.raises(ValueError):
        export_svg(empty, tmp_path / "x.svg")
    view = lesson_view(show, "mazur")
    with pytest.raises(ValueError):
        export_png(view, tmp_path / "x.png", width=0)
    with pytest.raises(ValueError):
        export_png(view, tmp_path / "x.png", dpi=96 * 100)
    with pytest.raises(OSError):
        export_svg(view, tmp_path / "missing" / "x.svg")


def test_png_size_fits_and_centres_the_drawing() -> None:
    from PySide6.QtCore import QRectF

    rect = QRectF(0, 0, 1000, 500)
    assert png_size(rect, 1600, None, None) == (1600, 800, 1.6)
    assert png_size(rect, 1600, 1600, None) == (1600, 1600, 1.6)
    assert png_size(rect, 1600, 400, None) == (1600, 400, 0.8)
    assert png_size(rect, None, 400, None) == (800, 400, 0.8)  # the width in proportion
    assert png_size(rect, None, None, None) == (1600, 800, 1.6)  # 1600 wide by default
    assert png_size(rect, None, None, 48) == (500, 250, 0.5)  # a dpi alone sets the pixels
    assert png_size(rect, 800, None, 300) == (800, 400, 0.8)  # a size wins over a dpi
    with pytest.raises(ValueError):
        png_size(rect, None, None, 0)


def test_png_with_a_size_and_a_dpi_has_that_size_and_records_the_dpi(show, tmp_path) -> None:
    view = lesson_view(show, "mazur")
    out = tmp_path / "net.png"
    export_png(view, out, width=640, height=400, dpi=300)
    png = QImage(str(out))
    assert (png.width(), png.height()) == (640, 400)
    assert round(png.dotsPerMeterX() * 0.0254) == 300
    at_96 = tmp_path / "96.png"
    export_png(view, at_96, dpi=96)
    assert (QImage(str(at_96)).width(), QImage(str(at_96)).height()) == tuple(
        math.ceil(side) for side in drawing_size(view)
    )  # the drawing's size on screen


def test_render_session_draws_the_gradients_of_one_step(qapp, tmp_path) -> None:
    out = tmp_path / "grad.svg"
    assert render_session("playground_default", out, view="gradients") == 0
    texts = svg_texts(out)
    assert "dL/dw" in texts and "weight" not in texts
    assert len(svg_elements(out)["polyline"]) == 18
    png = tmp_path / "grad.png"
    assert render_session("mazur", png, width=640, height=400) == 0
    assert (QImage(str(png)).width(), QImage(str(png)).height()) == (640, 400)


def test_render_session_at_a_dpi_draws_the_16_10_figure_sharper(qapp, tmp_path) -> None:
    png = tmp_path / "net.png"
    assert render_session("mazur", png, dpi=300) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (3125, 1953)  # 10.4 x 6.5 in at 300 dpi
    assert round(image.dotsPerMeterX() * 0.0254) == 300
    assert render_session("mazur", png, width=800) == 0  # the height by the 16:10 shape
    assert (QImage(str(png)).width(), QImage(str(png)).height()) == (800, 500)
    assert render_session("mazur", png, width=800, height=800, dpi=200) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (800, 800)
    assert round(image.dotsPerMeterX() * 0.0254) == 200


def test_render_size_follows_the_options() -> None:
    assert render_size(None, None, None) == (1600, 1000)
    assert render_size(None, None, 96) == (1000, 625)
    assert render_size(None, None, 300) == (3125, 1953)
    assert render_size(None, 500, 300) == (800, 500)
    assert render_size(640, 480, None) == (640, 480)


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("net.gif", {}, ".png or an .svg"),
        ("net.png", {"view": "deltas"}, "unknown view"),
        ("net.png", {"width": 0}, "--width must be a positive number of pixels"),
        ("net.png", {"height": -5}, "--height must be a positive number of pixels"),
        ("net.png", {"dpi": 0}, "--dpi must be more than 0 and at most 1200"),
        ("net.png", {"dpi": 5000}, "--dpi must be more than 0 and at most 1200"),
        ("net.svg", {"dpi": 300}, "--dpi is for a PNG"),
    ],
)
def test_render_session_refuses_bad_options(qapp, tmp_path, capsys, name, options, message):
    assert render_session("mazur", tmp_path / name, **options) == 2
    assert message in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_render_session_refuses_an_unknown_session(qapp, tmp_path, capsys) -> None:
    assert render_session("no_such_lesson", tmp_path / "net.png") == 2
    assert "error:" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
