"""Opening the graph from the window: the View menu's action (its shortcut listed, and no
key used twice), from outside lecture mode (it enters lecture mode and opens when the trace
arrives), for the neuron selected, and from a neuron's right-click menu."""

from __future__ import annotations

from collections import Counter

from gui import menus
from gui.graph.opening import SHORTCUT, TEXT

TIMEOUT = 20_000


def graph_action(window):
    return window.tutor.graphs.action


def test_the_action_is_in_the_view_menu_and_its_shortcut_is_listed_once(lesson_window):
    window = lesson_window("mazur")
    action = graph_action(window)
    assert action.shortcut().toString() == SHORTCUT
    view_menu = next(a.menu() for a in window.menuBar().actions() if "View" in a.text())
    assert action in view_menu.actions()
    rows = menus.shortcut_rows(window)
    assert (SHORTCUT, TEXT.replace("&", "")) in rows or any(k == SHORTCUT for k, _ in rows)
    used = Counter(key for key, _ in rows if key not in ("Space",))  # Space: per context
    assert used[SHORTCUT] == 1


def test_outside_lecture_mode_it_enters_and_opens_the_graph_of_the_selected_neuron(
    lesson_window, qtbot
):
    window = lesson_window("mazur")
    window.network_view.select(1, 1)
    graph_action(window).trigger()
    qtbot.waitUntil(
        lambda: window.lecture.active and window.lecture.trace is not None, timeout=TIMEOUT
    )
    opener = window.tutor.graphs
    qtbot.waitUntil(
        lambda: opener.graph_window is not None and opener.graph_window.isVisible(), timeout=TIMEOUT
    )
    shown = opener.graph_window
    assert (shown.layer, shown.index) == (1, 1) and shown.trace is window.lecture.trace
    assert shown.scene.nodes["z1_1"].lines[1] == "0.3925"  # Mazur's net_h2
    assert opener.pending is None


def test_in_lecture_mode_a_neurons_right_click_menu_offers_the_graph(lesson_window, qtbot):
    window = lesson_window("mazur")
    window.lecture.enter()
    qtbot.waitUntil(
        lambda: window.lecture.active and window.lecture.trace is not None, timeout=TIMEOUT
    )
    view = window.network_view
    menu = view.element_menu("neuron", (2, 1))
    entry = next(a for a in menu.actions() if a.text() == TEXT.replace("&", ""))
    assert any("Pin" in a.text() for a in menu.actions())  # lecture mode's own entries stay
    entry.trigger()
    shown = window.tutor.graphs.graph_window
    assert shown.isVisible() and (shown.layer, shown.index) == (2, 1)
    assert view.element_menu("neuron", (0, 0)) is None or all(
        a.text() != TEXT.replace("&", "") for a in view.element_menu("neuron", (0, 0)).actions()
    )


def test_outside_lecture_mode_the_layer_menu_of_a_neuron_offers_it_too(lesson_window):
    window = lesson_window("mazur")
    menu = window.network_view.element_menu("neuron", (1, 0))
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == TEXT.replace("&", "") and len(texts) > 2  # then the layer's entries


def test_an_open_graph_follows_the_sample_the_lecture_shows(lesson_window, qtbot):
    window = lesson_window("xor_script")
    window.lecture.enter()
    qtbot.waitUntil(lambda: window.lecture.trace is not None, timeout=TIMEOUT)
    opener = window.tutor.graphs
    opener.show_neuron(2, 0)
    assert opener.graph_window.sample == window.lecture.shown
    window.lecture.chooser.shownChanged.emit(3)
    trace = window.lecture.trace
    assert opener.graph_window.sample == 3
    assert opener.graph_window.scene.nodes["z2_0"].node.value == trace.z[1][3, 0]


def test_the_graph_writes_numbers_as_the_lectures_equations_do(lesson_window, qtbot):
    window = lesson_window("mazur")
    window.lecture.enter()
    qtbot.waitUntil(lambda: window.lecture.trace is not None, timeout=TIMEOUT)
    window.lecture.panel.set_digits(9)
    window.tutor.graphs.show_neuron(2, 0)
    shown = window.tutor.graphs.graph_window
    shown.go(len(shown.graph.order) - 1)
    assert shown.scene.nodes["w2_0_0"].lines[2] == "grad 0.0821670406"  # Mazur's ∂E/∂w5


def test_an_open_graph_takes_the_palette_chosen_and_stays_on_its_frame(lesson_window, qtbot):
    window = lesson_window("mazur")
    graph_action(window).trigger()
    opener = window.tutor.graphs
    qtbot.waitUntil(
        lambda: opener.graph_window is not None and opener.graph_window.isVisible(), timeout=TIMEOUT
    )
    shown = opener.graph_window
    shown.go(3)
    window.presentation.set_palette("high_contrast")
    assert shown.colours.name == "high_contrast" and shown.frame == 3
    assert shown.scene.colours is shown.colours


def test_an_open_graph_follows_the_lectures_frames(lesson_window, qtbot):
    window = lesson_window("mazur")
    window.network_view.select(2, 0)  # o1
    graph_action(window).trigger()
    opener = window.tutor.graphs
    qtbot.waitUntil(
        lambda: opener.graph_window is not None and opener.graph_window.isVisible(), timeout=TIMEOUT
    )
    shown, controller = opener.graph_window, window.lecture.controller
    frames = controller.plan.frames
    delta = next(k for k, f in enumerate(frames) if f.phase == "output_delta")
    controller.go_to(delta)
    assert shown.graph.order[shown.frame] == "z2_0"  # δo1 is ∂L/∂z at o1's + node
    backward = next(k for k, f in enumerate(frames) if f.phase == "backward" and f.layer == 2)
    controller.go_to(backward)
    assert shown.frame >= shown.graph.order.index("w2_0_0")  # ∂L/∂w5 reached
    controller.go_to(0)
    assert shown.frame == -1  # a forward frame: the forward values


def test_the_graph_closes_with_lecture_mode(lesson_window, qtbot):
    """Its numbers are the traced step's: after the lecture (Apply or Reset) and an edit,
    an open graph would show a network that is not there any more."""
    window = lesson_window("mazur")
    graph_action(window).trigger()
    opener = window.tutor.graphs
    qtbot.waitUntil(
        lambda: opener.graph_window is not None and opener.graph_window.isVisible(), timeout=TIMEOUT
    )
    window.lecture.leave()
    assert not opener.graph_window.isVisible()
