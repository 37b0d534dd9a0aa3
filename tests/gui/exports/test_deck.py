"""File > Export > the lecture as slides: a slide per frame, the stage over its formulas,
as one PDF (a page each) or numbered PNG files, at the chosen size."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image

from core.session.format import load_session
from core.session.lessons import resolve
from gui.exports import deck
from gui.exports.deck import save_slides, slides
from gui.exports.film_options import FilmOptions, FilmOptionsDialog
from gui.lecture.chain import ChainPlan
from gui.lecture.pins import Pins
from tests.gui.exports.test_animation import enter, window  # noqa: F401 (a fixture)


def test_slides_are_the_stage_over_the_frames_formulas(window, qtbot, tmp_path):  # noqa: F811
    enter(window, qtbot)
    plan = window.lecture.controller.plan
    images = list(slides(load_session(resolve("mazur")), plan, (640, 360), 4))
    assert len(images) == len(plan.frames) == window.lecture.controller.count
    assert all((i.width(), i.height()) == (640, 360) for i in images)
    lower = images[0].copy(0, 250, 640, 110)  # the formulas' band: dark type on white
    dark = sum(
        1
        for y in range(0, lower.height(), 3)
        for x in range(0, lower.width(), 3)
        if lower.pixelColor(x, y).lightness() < 100
    )
    assert dark > 30


@pytest.mark.parametrize("suffix", [".pdf", ".png"])
def test_the_export_writes_a_slide_per_frame(window, qtbot, tmp_path, suffix):  # noqa: F811
    enter(window, qtbot)
    exports, count = window.exports, window.lecture.controller.count
    assert exports.slides_action.isEnabled()
    exports.ask_path = lambda kind, suggestion: str(tmp_path / f"step{suffix}")
    exports.ask_film_options = lambda diagram, pace=True: FilmOptions(480, 270)
    frame = window.lecture.controller.index
    exports.slides_action.trigger()
    assert window.lecture.controller.index == frame
    if suffix == ".pdf":
        pdf = (tmp_path / "step.pdf").read_bytes()
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == count
    else:
        files = sorted(tmp_path.glob("step-*.png"))
        assert len(files) == count and files[0].name == "step-01.png"
        with Image.open(files[-1]) as last:
            assert last.size == (480, 270)
    assert "Exported" in window.statusBar().currentMessage()


def test_slides_refuse_another_kind_of_file(window, qtbot, tmp_path):  # noqa: F811
    enter(window, qtbot)
    with pytest.raises(ValueError, match=".pdf or .png"):
        save_slides(
            load_session(resolve("mazur")), window.lecture.controller.plan, tmp_path / "x.gif"
        )


def test_a_film_can_carry_each_frames_formulas_under_the_stage(window, qtbot, tmp_path):  # noqa: F811
    enter(window, qtbot)
    exports = window.exports
    exports.ask_path = lambda kind, suggestion: str(tmp_path / "step.gif")
    exports.ask_film_options = lambda diagram, pace=True: FilmOptions(640, 480, 0.5, True)
    exports.gif_action.trigger()
    with Image.open(tmp_path / "step.gif") as gif:
        assert gif.size[0] == 640 and gif.size[1] >= 480
        gif.seek(0)
        band = gif.convert("RGB").crop((0, gif.size[1] - 150, 640, gif.size[1]))
        dark = int((np.asarray(band).sum(axis=2) < 300).sum())
    assert dark > 100  # type in the band under the stage


def test_the_film_dialog_offers_the_formulas(qtbot) -> None:
    dialog = FilmOptionsDialog((900, 500))
    qtbot.addWidget(dialog)
    assert dialog.options().formulas is False
    dialog.formulas_box.setChecked(True)
    assert dialog.options().formulas is True
    slides_dialog = FilmOptionsDialog((900, 500), pace=False)
    qtbot.addWidget(slides_dialog)
    assert slides_dialog.formulas_box.parent() is None or not slides_dialog.formulas_box.isVisible()


def test_slides_keep_the_pins_and_export_the_step_from_a_chain_rule(
    window,  # noqa: F811
    qtbot,
    tmp_path,
    monkeypatch,
):
    enter(window, qtbot)
    lecture, exports = window.lecture, window.exports
    count = lecture.controller.count
    lecture.choices.set_pins(Pins(True, (), (0, 0, 0)))
    lecture.play_chain(1, 0, 0)  # exporting from the chain of w5: the step's slides
    assert isinstance(lecture.controller.plan, ChainPlan)
    shown = []
    real = deck.show_frame

    def spy(view, frame, pictures, session, digits, part=None, look=None):
        shown.append(look)
        return real(view, frame, pictures, session, digits, part, look)

    monkeypatch.setattr(deck, "show_frame", spy)
    exports.ask_path = lambda kind, suggestion: str(tmp_path / "step.pdf")
    exports.ask_film_options = lambda diagram, pace=True: FilmOptions(480, 270)
    exports.slides_action.trigger()
    assert len(shown) == count
    assert all(len(look.edges) == 8 and look.path[1] for look in shown)  # w1 .. w8, the path
    assert shown[0].edges[(1, 0, 0)] == "w5 = 0.4" and shown[-1].edges[(1, 0, 0)].startswith("w5⁺")
