"""Regression guard for the PySide6 pin in pyproject.toml.

PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to None each time a Qt method that
returns nothing is called from Python; after enough calls None is deallocated and the process
dies with "Fatal Python error: none_dealloc". CPython 3.12+ makes None immortal, so the bug is
harmless there.
"""

import sys

import PySide6
import pytest
from PySide6.QtCore import QObject

CALLS = 10_000
# Other code may hold or drop a few references to None meanwhile; the bug loses one per call.
TOLERANCE = 100


def test_void_methods_keep_the_refcount_of_none() -> None:
    obj = QObject()
    before = sys.getrefcount(None)
    for i in range(CALLS):
        obj.setObjectName(f"x{i % 2}")
    after = sys.getrefcount(None)
    assert after >= before - TOLERANCE, (
        f"{CALLS} calls of QObject.setObjectName (returns None) changed the refcount of None "
        f"from {before} to {after}: PySide6 {PySide6.__version__} leaks references to None, "
        "which will crash the app; install a PySide6-Essentials version allowed by pyproject.toml"
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal on CPython 3.12+")
def test_pyside6_is_not_the_release_that_breaks_python_311() -> None:
    assert PySide6.__version__ != "6.12.0", (
        "PySide6-Essentials 6.12.0 decrements the refcount of None on CPython 3.11 and crashes "
        "with 'none_dealloc'; pyproject.toml pins PySide6-Essentials<6.12 on Python < 3.12, "
        "so reinstall with `make clean test` or `pip install -e .[test]`"
    )
