"""Issue 4 §5: stepping through the shipped mazur lesson shows every number of Matt Mazur's
published walkthrough, at the decimals it prints, and the corrected error after the step."""

from __future__ import annotations

import pytest

from tests import paths

LESSONS = paths.LESSONS

# The walkthrough's numbers as it prints them (w7 after the step is printed 0.511301270;
# its trailing zero is the one difference: the app drops trailing zeros).
PUBLISHED = {
    "net_h1": "0.3775",
    "out_h1": "0.593269992",
    "out_h2": "0.596884378",
    "net_o1": "1.105905967",
    "out_o1": "0.75136507",
    "out_o2": "0.772928465",
    "E_o1": "0.274811083",
    "E_o2": "0.023560026",
    "E_total": "0.298371109",
    "dE/dout_o1": "0.74136507",
    "dout_o1/dnet_o1": "0.186815602",
    "dE/dw5": "0.082167041",
    "w5 after": "0.35891648",
    "w6 after": "0.408666186",
    "w7 after": "0.51130127",
    "w8 after": "0.561370121",
    "dE/dout_h1": "0.036350306",
    "dout_h1/dnet_h1": "0.241300709",
    "dE/dw1": "0.000438568",
    "w1 after": "0.149780716",
    "E_total after (corrected)": "0.291027774",
}


@pytest.fixture
def window(lesson_window):
    return lesson_window("mazur")


def test_the_mazur_lesson_shows_every_published_number(window, qtbot):
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=20_000)
    controller, panel = window.lecture.controller, window.lecture.panel
    assert controller.granularity == "neuron" and controller.count == 20  # the lesson's set-up
    assert (panel.digits, panel.decimals) == (9, True)
    shown = []
    for index in range(controller.count):
        controller.go_to(index)
        stage = window.network_view.overlay.stage
        shown.append(panel.text.toPlainText().replace("−", "-"))
        shown += [*stage.node_values.values(), *stage.edge_values.values()]
    text = "\n".join(shown)
    missing = {name: value for name, value in PUBLISHED.items() if value not in text}
    assert not missing
    titles = [frame.title for frame in controller.plan.frames]
    assert titles[0] == "Forward: layer 1 (hidden) · neuron h1"
    assert titles[-1] == "After the update: the loss of the same batch again"
    assert "Backward: layer 1 (hidden) · δₕ₁" in titles
    window.lecture.leave()


def test_the_last_frame_puts_each_outputs_new_loss_beside_it(window, qtbot):
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=20_000)
    controller = window.lecture.controller
    controller.go_to(controller.count - 1)
    stage = window.network_view.overlay.stage
    assert stage.node_values[(2, 0)] == "Lₒ₁⁺ = 0.267976501"
    assert stage.node_values[(2, 1)] == "Lₒ₂⁺ = 0.023051272"
    shown = {card.text() for card in window.network_view.overlay.labels}
    assert {"Lₒ₁⁺ = 0.267976501", "Lₒ₂⁺ = 0.023051272"} <= shown
