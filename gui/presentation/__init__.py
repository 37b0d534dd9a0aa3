"""How the window looks to a room: the colour palettes and scales (`palette`, pure), the
"?" shortcut overlay, the cursor highlight, and the presenter that applies them.

The bottom of the GUI: imports `core` and Qt only (other views appear as types); every
other GUI package may import it.
"""
