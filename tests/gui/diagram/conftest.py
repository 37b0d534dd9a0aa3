"""Fixtures of these tests (defined in views.py, beside the helpers)."""

from tests.gui.diagram.views import view  # noqa: F401 (a fixture: pytest finds it by name)
