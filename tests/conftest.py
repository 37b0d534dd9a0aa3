"""Test-wide setup that must happen before anything imports Qt."""

import os
import sys
from pathlib import Path

# Qt reads this when the QApplication is created; setting it here, at import time, is early
# enough for every test module. An explicit value (e.g. "xcb" to watch the tests) wins.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# An editable install already makes `core`, `gui` and `main` importable; this keeps the suite
# runnable from a plain checkout too.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
