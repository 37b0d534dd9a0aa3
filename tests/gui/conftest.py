"""Fixtures shared by the GUI tests (pytest-qt provides `qtbot` and `qapp`)."""
