"""The lecture's outline (Ctrl+G): every frame of the traced step, grouped by the heading of
its step ("Backward: layer 2 (output)"), to jump to one as a lecturer answers a question
from the room: "go back to the delta of h1".  And which layers go neuron by neuron in a
per-layer lecture (Lecture > Neuron by neuron in layer)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.lecture.controller import LectureController
from gui.lecture.plan import LecturePlan

FRAME = Qt.ItemDataRole.UserRole  # the frame's index, on a frame's row
OUTLINE_POINTS = 13


def outline_items(plan: LecturePlan) -> list[QTreeWidgetItem]:
    """A row per group of consecutive frames with the same heading, a child per frame
    ("12  δₕ₁"), counted from 1 as the transport bar counts them."""
    groups: list[QTreeWidgetItem] = []
    for frame in plan.frames:
        heading = frame.heading or frame.step.title
        if not groups or groups[-1].text(0) != heading:
            groups.append(QTreeWidgetItem([heading]))
        row = QTreeWidgetItem([f"{frame.index + 1}   {frame.part or frame.title}"])
        row.setData(0, FRAME, frame.index)
        groups[-1].addChild(row)
    return groups


class Outline(QDialog):
    """The outline of ``controller``'s plan; choosing a frame goes there and closes."""

    def __init__(self, controller: LectureController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Go to frame")
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        font = self.tree.font()
        font.setPointSize(OUTLINE_POINTS)  # read from the lectern, perhaps on the projector
        self.tree.setFont(font)
        self.tree.itemActivated.connect(self._go)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(lambda: self._go(self.tree.currentItem()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(520, 560)
        plan = controller.plan
        self.tree.addTopLevelItems(outline_items(plan) if plan is not None else [])
        self.tree.expandAll()
        current = self._row(controller.index)
        if current is not None:
            self.tree.setCurrentItem(current)

    def _row(self, index: int) -> QTreeWidgetItem | None:
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for c in range(group.childCount()):
                if group.child(c).data(0, FRAME) == index:
                    return group.child(c)
        return None

    @Slot(QTreeWidgetItem)
    def _go(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        if item.data(0, FRAME) is None and item.childCount():  # a group: its first frame
            item = item.child(0)
        self.controller.go_to(int(item.data(0, FRAME)))
        self.accept()


def outline_action(host: QWidget, controller: LectureController) -> QAction:
    """Lecture > Go to frame… (Ctrl+G): the outline, while there is a plan."""
    action = QAction("&Go to frame…", host)
    action.setShortcut(QKeySequence("Ctrl+G"))
    action.setToolTip("Every frame of the step, by phase and layer: jump to one (Ctrl+G)")
    action.setEnabled(False)
    action.triggered.connect(lambda: Outline(controller, host).exec())
    controller.planChanged.connect(lambda plan: action.setEnabled(plan is not None))
    return action


def detail_menu(host: QWidget, controller: LectureController) -> QMenu:
    """Lecture > Neuron by neuron in layer ▸: per layer, but the checked layers' steps a
    frame per neuron ("all of layer 6, then neuron by neuron in layer 1"); rebuilt for each
    plan, enabled while there is one."""
    menu = QMenu("Neuron by neuron in &layer", host)
    menu.setToolTipsVisible(True)

    def rebuild(plan: LecturePlan | None) -> None:
        menu.setEnabled(plan is not None)
        if plan is None:
            return
        if len(menu.actions()) != len(plan.layers) - 1:  # another network: new entries
            menu.clear()  # (never while one of them is being toggled: same network then)
            for layer in range(1, len(plan.layers)):
                action = menu.addAction(f"Layer {layer}")
                action.setCheckable(True)
                action.setToolTip("Its steps a frame per neuron while the others go per layer")
                action.toggled.connect(lambda on, l=layer: toggle(l, on))
        for layer, action in enumerate(menu.actions(), start=1):
            action.blockSignals(True)
            action.setChecked(layer in controller.detail)
            action.blockSignals(False)

    def toggle(layer: int, on: bool) -> None:
        chosen = set(controller.detail)
        chosen = chosen | {layer} if on else chosen - {layer}
        controller.set_detail(tuple(chosen))

    controller.planChanged.connect(rebuild)
    rebuild(controller.plan)
    return menu
