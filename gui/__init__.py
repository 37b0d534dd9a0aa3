"""Backprop Lab's desktop interface: PySide6 widgets and pyqtgraph views over `core`.

`core` never imports this package; this package reads the core's results and never recomputes
the maths.
"""

from pathlib import Path

# resources/ lives beside the packages at the top of the repository (the app is installed
# editable), not inside the package.
RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
LESSONS_DIR = RESOURCES_DIR / "lessons"
DEFAULT_LESSON = LESSONS_DIR / "playground_default.json"
