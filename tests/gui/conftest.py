"""Fixtures shared by the GUI tests (pytest-qt provides `qtbot` and `qapp`)."""

from types import SimpleNamespace

import pytest


@pytest.fixture
def fake_session() -> SimpleNamespace:
    """A stand-in with the attributes of core.session.Session that the window reads."""
    network = SimpleNamespace(layers=[2, 4, 2, 1], activation_names=["tanh", "tanh", "tanh"])
    return SimpleNamespace(
        name="XOR by hand",
        description="Four points, two classes, one hidden layer: the smallest problem that "
        "needs one.",
        network=network,
        loss="mse",
    )
