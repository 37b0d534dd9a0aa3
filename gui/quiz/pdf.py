"""Worksheets as PDF, through Qt's PDF writer: the Markdown sheet set as a QTextDocument
and printed by QPdfWriter on A4 (no LaTeX needed).  Safe off the GUI thread: it paints on
a PDF device only (Qt allows QPainter on QPdfWriter in any thread)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

POINTS = 11


def write_pdf(markdown: str, path: str | Path, title: str = "Worksheet") -> Path:
    """``markdown`` set on A4 pages with 2 cm margins, written to ``path``."""
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Backprop Lab")
    writer.setResolution(300)
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(20, 20, 20, 20),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout)
    document = QTextDocument()
    font = QFont("DejaVu Sans")
    font.setPointSize(POINTS)
    document.setDefaultFont(font)
    document.setMarkdown(markdown)
    document.print_(writer)
    return path


def pdf_writer() -> Callable[[str, Path, str], Path]:
    """:func:`write_pdf`, with the QGuiApplication it needs (made here, offscreen by the
    caller's choice, when a command line asks for PDF without a window)."""
    if QGuiApplication.instance() is None:
        pdf_writer.app = QGuiApplication([])  # kept: it must outlive the writing
    return write_pdf
