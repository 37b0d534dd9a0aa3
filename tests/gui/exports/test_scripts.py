"""File > Export > Python (NumPy) / (PyTorch): the session with the weights it has now, as a
standalone script that runs and starts from those weights."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.engine.trainer import trainer_for


@pytest.mark.parametrize("library", ["numpy", "torch"])
def test_the_menu_writes_a_script_that_trains_from_the_weights_on_screen(
    lesson_window, qtbot, tmp_path, library
):
    if library == "torch":
        pytest.importorskip("torch")
    window = lesson_window("xor_script")
    window.worker.set_stop(7, None)
    window.worker.play()
    qtbot.waitUntil(lambda: window.latest.epoch == 7 and not window.worker.playing, timeout=20_000)
    exports = window.exports
    path = tmp_path / "train.py"
    exports.ask_path = lambda kind, suggestion: str(path)
    action = exports.numpy_action if library == "numpy" else exports.torch_action
    assert action in exports.menu.actions()
    action.trigger()
    text = path.read_text()
    assert "exported from Backprop Lab" in text
    script = text.replace("epochs = 10000", "epochs = 1")
    path.write_text(script)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    trainer = trainer_for(window.session)  # the session's weights follow the snapshots: epoch 7's
    trainer.run(epochs=1)
    printed = float(run.stdout.split(" = ")[1])
    assert printed == pytest.approx(trainer.history.last("train_loss"), rel=1e-12)
