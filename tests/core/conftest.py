"""Fixtures shared by the core's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.core.test_runner import Client


@pytest.fixture
def client() -> Iterator[Client]:
    """The training process's loop in a thread, driven through a pipe; closed after."""
    c = Client()
    yield c
    c.close()
    assert not c.thread.is_alive()
