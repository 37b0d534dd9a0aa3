"""Backprop Lab's desktop interface: PySide6 widgets and pyqtgraph views over `core`.

`core` never imports this package; this package reads the core's results and never recomputes
the maths.
"""
