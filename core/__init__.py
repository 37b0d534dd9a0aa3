"""Backprop Lab's core: the maths, the data, the session format and the traced step.

Pure NumPy: nothing in `core` imports PySide6, pyqtgraph or `gui` (tests/test_layout.py
enforces it). The subpackages, lowest first: `engine` (one network's maths), `data` and
`trace` (both on the engine), `session` (the file format, on engine and data); beside them
`runner` (the training process), `snapshot` and `cli`, which may use them all.
"""
