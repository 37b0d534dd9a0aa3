"""Fixtures of these tests (defined in panels.py, beside the helpers)."""

from tests.gui.controls.panels import make_panel  # noqa: F401 (a fixture: pytest finds it by name)
