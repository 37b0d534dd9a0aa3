"""The presentation layout (F5): lecture mode as a projector should show it.

The window goes full screen; the settings, the trace chooser, the precision controls and
the status bar step aside; the formulas run full width under the diagram; and the type of
the stage, its value cards and the formulas is set to an em height of at least EM_SHARE of
the window's height (29 px at 720p, 43 px at 1080p), the diagram laid out again around it.  F5
(or leaving lecture mode) brings everything back as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow

if TYPE_CHECKING:
    from gui.diagram.view import NetworkView
    from gui.lecture.mode import LectureMode

EM_SHARE = 0.04  # the least em height of the lecture's type, as a share of the window
FORMULA_SHARE = 0.3  # the formulas' share of the window's height, under the diagram
SNUG = 1.05  # the type may be this much larger than EM_SHARE (more crowds the diagram)


def em_pixels(points: float, dpi: float) -> float:
    """The em height in pixels of type of ``points`` at ``dpi``."""
    return points * dpi / 72.0


class StageLayout(QObject):
    """F5: the presentation layout of ``host``'s lecture mode, and back."""

    def __init__(self, host: QMainWindow, lecture: LectureMode, view: NetworkView) -> None:
        super().__init__(host)
        self.host, self.lecture, self.view = host, lecture, view
        self.on = False
        self._was_full_screen = False
        self._geometry = host.saveGeometry()
        self.action = QAction("&Presentation layout", host)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("F5"))
        self.action.setToolTip(
            "Lecture mode as a projector shows it: full screen, the formulas under the "
            "diagram, type large enough for the back row, no settings (F5)"
        )
        self.action.toggled.connect(self.set_on)
        lecture.activeChanged.connect(self._on_lecture)
        view.installEventFilter(self)  # the diagram resized (the dock, the screen): refit

    @Slot(bool)
    def set_on(self, on: bool) -> None:
        """Present (entering lecture mode if need be), or back to the lecture's own layout."""
        if on == self.on:
            return
        self.on = on
        if self.action.isChecked() != on:
            self.action.setChecked(on)
        if on:
            self._present()
        else:
            self._restore()

    def _present(self) -> None:
        host, lecture = self.host, self.lecture
        self._was_full_screen, self._geometry = host.isFullScreen(), host.saveGeometry()
        lecture.chooser.hide()  # lecture mode itself puts the settings and the plots aside
        lecture.gradients.set_wanted(False)  # the formulas take the room under the diagram
        host.statusBar().hide()
        lecture.panel.set_controls_visible(False)
        host.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, lecture.dock)
        lecture.dock.show()
        host.setGeometry(host.screen().geometry())  # where no window manager does it
        host.showFullScreen()
        QApplication.processEvents()  # the window takes the screen before the type is sized
        if lecture.active:
            self.fit_type()
        else:
            lecture.enter()  # the type is sized when the traced step arrives

    def _restore(self) -> None:
        host, lecture = self.host, self.lecture
        host.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, lecture.dock)
        lecture.chooser.show()
        lecture.gradients.set_wanted(True)
        host.statusBar().show()
        lecture.panel.set_controls_visible(True)
        lecture.panel.reset_size()
        self.view.set_text_scale(1.0)
        if not self._was_full_screen:
            host.showNormal()
            host.restoreGeometry(self._geometry)

    def fit_type(self) -> None:
        """Size the formulas and the stage's type to EM_SHARE of the window's height and
        give the formulas FORMULA_SHARE of it."""
        host, panel, view = self.host, self.lecture.panel, self.view
        target = EM_SHARE * host.height()
        host.resizeDocks(
            [self.lecture.dock], [int(FORMULA_SHARE * host.height())], Qt.Orientation.Vertical
        )
        panel.set_point_size(round(target * 72.0 / panel.text.logicalDpiY() + 0.5))
        dpi = view.logicalDpiY()
        for grow_only in (False, True):  # the layout reflows with the type: settle on the
            for _ in range(8):  # least scale that holds (a refit may shrink it, too)
                QApplication.processEvents()
                shown = em_pixels(view.card_points, dpi) * view.transform().m11()
                if shown >= target - 0.5 and (grow_only or shown <= target * SNUG):
                    break
                view.set_text_scale(view.text_scale * target / shown * 1.01)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.view and event.type() == QEvent.Type.Resize and self.on:
            QTimer.singleShot(0, self, self.fit_type)  # once the layout has settled
        return False

    @Slot(bool)
    def _on_lecture(self, active: bool) -> None:
        if not active:
            self.set_on(False)
        elif self.on:  # the traced step has arrived: size its type once the stage is laid out
            QTimer.singleShot(0, self, self.fit_type)
