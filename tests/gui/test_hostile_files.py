"""Hostile session files opened through File > Open in one window (issue 10): each either
loads or is refused with a bounded plain-text message, and after a refusal the window is
still on its previous session and still trains it."""

from __future__ import annotations

import random

from PySide6.QtWidgets import QMessageBox

from tests.core.session.hostile import BASE, hostile_sessions, text_of

TIMEOUT = 20_000
SAMPLE = 30


def test_a_sample_of_hostile_files_loads_or_is_refused_cleanly(lesson_window, tmp_path, qtbot):
    window = lesson_window("playground_default")
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    errors: list[str] = []
    window.files.show_error = lambda title, text: errors.append(text)
    window.files.ask_allow_outside = lambda path, message: False
    chosen = random.Random(10).sample(list(hostile_sessions()), SAMPLE)
    chosen.insert(SAMPLE // 2, ("the valid base", text_of(BASE)))  # a previous session of its own
    refused = 0
    for i, (name, text) in enumerate(chosen):
        path = tmp_path / f"hostile{i}.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        before, layers, shown = window.session, list(window.session.network.layers), len(errors)
        window.files.ask_open_path = lambda p=path: str(p)
        window.files.open_action.trigger()
        qtbot.waitUntil(lambda: not window.files.loader.busy, timeout=TIMEOUT)
        if len(errors) == shown:  # loaded
            assert window.session is not before and window.session.path == path, name
            continue
        refused += 1
        message = errors[-1]
        assert len(message.splitlines()) <= 25 and len(message) <= 8000, name
        assert window.session is before and window.session.network.layers == layers, name
        assert window.session.name == before.name
        steps = window.latest.steps if window.latest.run == window.worker.loads else 0
        window.controls.step_action.trigger()
        qtbot.waitUntil(
            lambda s=steps: window.latest.run == window.worker.loads and window.latest.steps > s,
            timeout=TIMEOUT,
        )
    assert window.session.name == "hostile"  # the valid base, kept through the later refusals
    assert refused  # the sample holds refusals (most hostile files are)
