"""The graph window: built for Mazur's neurons from the trace, it shows the trace's numbers,
steps the backward pass right to left, exports valid SVG and PNG, and offers the whole
network only where it fits."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from core.trace.graph_lines import frame_text
from core.trace.notation import format_number
from gui.graph.window import GraphWindow
from tests.core.trace.test_chain import lesson_trace
from tests.core.trace.traces import mazur_trace


def shown(value: float) -> str:
    return format_number(value, 4, "unicode")


def make(qtbot, trace, layer: int, index: int, sample: int = 0) -> GraphWindow:
    window = GraphWindow()
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.show_graph(trace, layer, index, sample)
    return window


def test_mazurs_output_neuron_shows_the_traces_values_then_its_gradients(qtbot):
    trace = mazur_trace()
    window = make(qtbot, trace, 2, 0)
    items = window.scene.nodes
    assert window.frame == -1 and window.frames == len(window.graph.order) + 1
    assert items["z2_0"].lines == ["+  zₒ₁", shown(trace.z[1][0, 0])]  # forward: no gradient
    assert items["a2_0"].lines[1] == shown(trace.a[2][0, 0])
    assert items["w2_0_0"].lines == ["w5", shown(trace.weights_before[1][0, 0])]
    assert items["L"].lines[1] == shown(trace.loss)
    window.go(window.frames - 2)  # the whole backward pass
    assert items["z2_0"].lines[2] == f"grad {shown(trace.delta[1][0, 0])}"
    assert items["w2_0_0"].lines[2] == f"grad {shown(trace.dW[1][0, 0])}"
    assert items["b2_0"].lines[2] == f"grad {shown(trace.db[1][0])}"
    assert window.step_text.text().endswith(frame_text(window.graph, window.graph.order[-1]))


def test_the_backward_pass_lights_node_by_node_right_to_left_with_the_keys(qtbot):
    window = make(qtbot, mazur_trace(), 1, 0)
    window.activateWindow()
    columns = []
    for _ in range(len(window.graph.order)):
        qtbot.keyClick(window, Qt.Key.Key_Right)
        node = window.graph.node(window.graph.order[window.frame])
        columns.append(node.column)
        lit = [k for k, item in window.scene.nodes.items() if item.current]
        assert lit == [node.key]
        labelled = [e for e in window.scene.edges if e.current]
        assert all(e.label for e in labelled) and all(e.edge.source == node.key for e in labelled)
    assert columns == sorted(columns, reverse=True) and window.graph.order[0] == "L"
    assert "∂L/∂w1 = 0.008771 × 0.05 = 0.0004386" in [
        frame_text(window.graph, k) for k in window.graph.order
    ]
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.frame == -1 and not window.back.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.frame == window.frames - 2 and not window.next.isEnabled()


def test_expanding_the_next_layer_and_the_whole_network(qtbot):
    trace = mazur_trace()
    window = make(qtbot, trace, 1, 1)
    assert window.whole.isEnabled() and "aₒ₁" not in {n.name for n in window.graph.nodes}
    window.expand.setChecked(True)
    assert {"aₒ₁", "Lₒ₂"} <= {n.name for n in window.graph.nodes}
    window.whole.setChecked(True)
    assert window.graph.title == "The whole 2·2·2 network" and not window.expand.isEnabled()
    assert sum(n.op == "w" for n in window.graph.nodes) == 8


def test_the_whole_network_is_disabled_on_the_spiral_and_says_why(qtbot):
    window = make(qtbot, lesson_trace("spiral"), 1, 0)
    assert not window.whole.isEnabled() and not window.whole.isChecked()
    assert "up to 12 neurons" in window.whole.toolTip()


def test_a_batch_shows_the_chosen_sample_and_says_how_the_batch_enters(qtbot):
    trace = lesson_trace("softmax_blobs")
    window = make(qtbot, trace, 2, 0, sample=5)
    assert "sample 6 of 16" in window.title.text() and "1/n" in window.note.text()
    assert window.scene.nodes["z2_0"].lines[1] == shown(trace.z[1][5, 0])


def test_exports_write_a_valid_svg_and_png(qtbot, tmp_path):
    window = make(qtbot, mazur_trace(), 2, 0)
    window.go(4)
    window.export("svg", str(tmp_path / "g.svg"))
    window.export("png", str(tmp_path / "g.png"))
    root = ET.parse(tmp_path / "g.svg").getroot()
    assert root.tag.endswith("svg")
    text = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "w5" in text and "0.7514" in text
    image = QImage(str(tmp_path / "g.png"))
    assert not image.isNull() and image.width() >= window.scene.sceneRect().width()


def test_a_buggy_trace_is_drawn_as_it_is_and_the_broken_node_is_marked(qtbot):
    from dataclasses import replace

    trace = mazur_trace()
    buggy = replace(trace, delta=[trace.delta[0], trace.a[2] - trace.y])  # forgot f'(z)
    window = make(qtbot, buggy, 2, 0)
    window.go(window.graph.order.index("z2_0"))
    assert window.scene.nodes["z2_0"].broken and not window.scene.nodes["a2_0"].broken
    assert "breaks the chain rule" in window.step_text.text()
    assert window.scene.nodes["z2_0"].lines[2] == f"grad {shown(buggy.delta[1][0, 0])}"


def test_no_box_or_label_covers_another_at_nine_decimal_places(qtbot):
    """Mazur's lesson writes 9 decimal places: the boxes widen and the columns move apart."""
    from core.trace.notation import Precision

    window = GraphWindow()
    qtbot.addWidget(window)
    window.digits = Precision(9, decimals=True)
    window.show_graph(mazur_trace(), 1, 0)
    window.go(window.frames - 2)
    items = window.scene.nodes.values()
    boxes = [item.sceneBoundingRect() for item in items]
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            assert not a.adjusted(4, 4, -4, -4).intersects(b.adjusted(4, 4, -4, -4))
    for edge in window.scene.edges:  # a label may touch its own ends (b under +), no other
        others = [i.sceneBoundingRect() for i in items if i not in (edge.source, edge.target)]
        if edge.label:
            label = edge.mapRectToScene(edge._label_rect()).adjusted(2, 2, -2, -2)
            assert not any(label.intersects(b) for b in others), edge.label
