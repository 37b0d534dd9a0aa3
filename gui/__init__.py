"""Backprop Lab's desktop interface: PySide6 widgets and pyqtgraph views over `core`.

`core` never imports this package; this package reads the core's results and never recomputes
the maths. At the top: the app, the main window (which composes everything), its menus and
files, the session model with undo, the training worker, the status line and the banner.
The subpackages never import these at run time (only as types), and nothing but
`gui.app` imports the main window.
"""
