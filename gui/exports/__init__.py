"""Every file the window writes besides sessions: the diagram as PNG or SVG (`diagram`,
also `main.py render`), the lecture as GIF or MP4 (`animation`, also `main.py animate`),
the PNG size dialog, and the File > Export menu (`menu`).

May import `gui.diagram`, `gui.lecture`, `gui.presentation` and `core`; nothing in the GUI
imports it but the window.
"""
