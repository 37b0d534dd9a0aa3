"""The lesson panel: a slim frame above the diagram with the lesson's description, what to
look at and what to try, shown when a lesson opens and dismissed with ✕ or Esc.

The texts come from a file, so they are escaped into markup of our own (headings in bold),
never read as rich text.  The frame's height is capped to a share of the window's, and the
text scrolls inside it, so that a long description never pushes the window past the
screen (720 lines at 1280x720).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.session.format import Session

SHARE = 0.22  # of the window's height the panel may take at most ...
LEAST, MOST = 96, 300  # ... and never less or more than these (pixels)
PAPER = QColor("#eef4fb")  # a light blue, apart from the diagram's white and the banner's


def lesson_html(session: Session) -> str:
    """The description, "Look at" and "Try" of ``session`` as our own markup (texts
    escaped, paragraphs kept); '' if it has none of them."""
    guide = session.guide
    parts = [("", session.description)]
    if guide is not None:
        parts += [("Look at: ", guide.look), ("Try: ", guide.try_)]
    rows = []
    for heading, text in parts:
        if text.strip():
            body = "<br>".join(escape(line) for line in text.strip().splitlines())
            head = f"<b>{escape(heading)}</b>" if heading else ""
            rows.append(f"<p style='margin:0 0 4px 0'>{head}{body}</p>")
    return "".join(rows)


def lesson_text(session: Session) -> str:
    """The same as plain text: the description, then "Look at: ..." and "Try: ..."."""
    guide = session.guide
    parts = [session.description.strip()]
    if guide is not None:
        parts += [f"Look at: {guide.look.strip()}" * bool(guide.look.strip())]
        parts += [f"Try: {guide.try_.strip()}" * bool(guide.try_.strip())]
    return "\n\n".join(part for part in parts if part)


class LessonPanel(QFrame):
    """The lesson's texts above the diagram; ``dismissed`` when closed by the user, with
    whether it should stay away for the next lessons too."""

    dismissed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lesson_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)  # a palette, not a style sheet: the
        palette = self.palette()  # scroll bar inside keeps the platform's look
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            palette.setColor(role, PAPER)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the name comes from a file
        self.title.setToolTip("About this lesson (Shift+F1); File > Lesson properties… edits it")
        self._name = ""
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(80)  # a long name is cut, never widens the window
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.never = QCheckBox("Don't show again")
        self.never.setToolTip(
            "Don't show this panel when other lessons open; Help > About this lesson (Shift+F1)"
            " still shows it"
        )
        self.close_button = QPushButton("✕")
        self.close_button.setFlat(True)
        self.close_button.setToolTip("Hide the lesson's texts (Esc)")
        self.close_button.setAccessibleName("Close the lesson panel")
        self.close_button.clicked.connect(self.dismiss)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title, 1)
        top.addWidget(self.never)
        top.addWidget(self.close_button)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.setPalette(palette)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.text)
        for widget in (self, self.text, self.never, self.close_button):
            widget.installEventFilter(self)  # Esc wherever the focus is inside
        self._cap = MOST
        self.fit_height(720)
        self.hide()

    def show_session(self, session: Session) -> bool:
        """Show ``session``'s texts; False (and hidden) when it has none."""
        html = lesson_html(session)
        self._name = session.name or "Untitled"
        self._elide()
        self.text.setHtml(html)
        self.setVisible(bool(html))
        self._fit()
        return bool(html)

    def plain_text(self) -> str:
        """What the panel's text shows, as plain text."""
        return self.text.toPlainText()

    def fit_height(self, window_height: int) -> None:
        """Take at most SHARE of a window ``window_height`` pixels high."""
        self._cap = max(LEAST, min(MOST, int(window_height * SHARE)))
        self._fit()

    def _fit(self) -> None:
        """As high as the text needs at the current width, up to the cap (then it scrolls)."""
        document = self.text.document()
        document.setTextWidth(self.text.viewport().width())
        margins = self.layout().contentsMargins()
        needed = self.title.sizeHint().height() + int(document.size().height()) + 8
        needed += margins.top() + margins.bottom() + self.layout().spacing()
        self.setMaximumHeight(min(self._cap, needed))

    def _elide(self) -> None:
        """The lesson's name, cut with "…" where the title has no room for all of it."""
        metrics = self.title.fontMetrics()
        width = max(self.title.width(), self.title.minimumWidth())
        self.title.setText(metrics.elidedText(self._name, Qt.TextElideMode.ElideRight, width))

    @property
    def name(self) -> str:
        """The lesson's name, whole (the title may show it cut)."""
        return self._name

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._elide()
        if event.oldSize().width() != event.size().width():
            self._fit()  # the text wraps differently

    def dismiss(self) -> None:
        """Hide, as the user asked (✕ or Esc)."""
        self.hide()
        self.dismissed.emit(self.never.isChecked())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # Esc inside the panel closes it rather than triggering the window's Esc action
        if event.type() == QEvent.Type.ShortcutOverride and _is_escape(event):
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress and _is_escape(event):
            self.dismiss()
            return True
        return super().eventFilter(watched, event)


def _is_escape(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
