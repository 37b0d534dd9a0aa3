"""Test-wide setup: the Qt platform before anything imports Qt; Hypothesis without clocks."""

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

# Qt reads this when the QApplication is created; setting it here, at import time, is early
# enough for every test module. An explicit value (e.g. "xcb" to watch the tests) wins.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# An editable install already makes `core`, `gui` and `main` importable; this keeps the suite
# runnable from a plain checkout too.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# Hypothesis times each example (200 ms, then a failure) and warns about slow data generation:
# both fail tests that are right on a loaded CI machine. No test here may depend on speed.
settings.register_profile(
    "backprop-lab", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("backprop-lab")
