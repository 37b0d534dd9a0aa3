"""The headless commands as a user runs them: output, files and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "resources" / "lessons"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_no_headless_command_imports_qt():
    code = (
        "import sys, io, contextlib\n"
        "import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for cmd in (['train', 'mazur', '--epochs', '2'], ['step', 'mazur'],\n"
        "                ['gradcheck', 'mazur'], ['lessons']):\n"
        "        assert main.main(cmd) == 0, cmd\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))]\n"
        "print('QT' if bad else 'CLEAN', bad)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("CLEAN"), result.stdout


def test_train_prints_a_summary_and_writes_the_trained_session(tmp_path):
    out = tmp_path / "trained.json"
    result = run(
        "train", str(LESSONS / "playground_default.json"), "--epochs", "5", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "epochs 5" in result.stdout and "steps 125" in result.stdout
    assert "accuracy" in result.stdout and "steps/s" in result.stdout
    trained = json.loads(out.read_text())
    original = json.loads((LESSONS / "playground_default.json").read_text())
    assert trained["network"]["weights"] != original["network"].get("weights")
    assert "Traceback" not in result.stderr


def test_train_json_summary_has_the_contract_keys():
    result = run("train", "mazur", "--epochs", "1", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert set(summary) == {
        "epochs", "steps", "train_loss", "test_loss", "train_accuracy",
        "test_accuracy", "steps_per_second", "status",
    }  # fmt: skip
    assert summary["epochs"] == 1 and summary["steps"] == 1
    assert summary["test_loss"] is None and summary["train_accuracy"] is None
    assert summary["train_loss"] == pytest.approx(0.29102777369 / 1, abs=1e-10)
    assert summary["status"] == "max_epochs"


def test_step_json_reproduces_mazur():
    result = run("step", str(LESSONS / "mazur.json"), "--json")
    assert result.returncode == 0, result.stderr
    step = json.loads(result.stdout)
    assert step["loss"] == pytest.approx(0.298371109, abs=5e-10)
    assert step["inputs"] == [[0.05, 0.1]] and step["targets"] == [[0.01, 0.99]]
    assert len(step["forward"]) == 2 and len(step["deltas"]) == 2
    assert step["forward"][0]["z"][0][0] == pytest.approx(0.3775)
    assert step["forward"][0]["a"][0][0] == pytest.approx(0.593269992, abs=5e-10)
    assert step["deltas"][1][0][0] == pytest.approx(0.138498562, abs=5e-10)
    assert step["grad_weights"][1][0][0] == pytest.approx(0.082167041, abs=5e-10)
    assert step["grad_weights"][0][0][0] == pytest.approx(0.000438568, abs=5e-10)
    w = step["network"]["weights"]
    assert w[1][0][0] == pytest.approx(0.35891648, abs=5e-9)
    assert w[0][0][0] == pytest.approx(0.149780716, abs=5e-10)
    assert step["network"]["biases"] == [[0.35, 0.35], [0.6, 0.6]]
    # grad_weights[l] = deltas[l]^T a_prev
    a_prev = np.array(step["forward"][0]["a"])
    np.testing.assert_allclose(
        np.array(step["deltas"][1]).T @ a_prev, step["grad_weights"][1], rtol=1e-12
    )


def test_step_walkthrough_and_sample():
    result = run("step", "mazur", "--digits", "9")
    assert result.returncode == 0, result.stderr
    assert "0.298371109" in result.stdout and "w5" in result.stdout
    result = run("step", "playground_default", "--sample", "3", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["inputs"]) == 1
    result = run("step", "playground_default", "--sample", "100000")
    assert result.returncode == 2
    assert "--sample must be a training row from 0 to 249" in result.stderr


def test_gradcheck_passes_on_every_lesson():
    for path in sorted(LESSONS.glob("*.json")):
        result = run("gradcheck", str(path), "--samples", "16")
        assert result.returncode == 0, (path, result.stdout, result.stderr)
        assert "PASSED" in result.stdout


def test_lessons_lists_every_lesson():
    result = run("lessons")
    assert result.returncode == 0
    for path in LESSONS.glob("*.json"):
        assert path.stem in result.stdout
    assert "Mazur" in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "No such file"),
        ("{not json", "line 1"),
        ('{"format": "backprop-lab/1"}', "network"),
    ],
)
def test_bad_input_exits_2_with_a_short_message(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    for command in ("train", "step", "gradcheck"):
        result = run(command, str(path))
        assert result.returncode == 2, (command, result.stderr)
        assert expected in result.stderr
        assert "bad.json" in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) <= 6


def test_unknown_lesson_name_and_bad_epochs(tmp_path):
    result = run("train", "no_such_lesson")
    assert result.returncode == 2 and "no such session file or built-in lesson" in result.stderr
    result = run("train", "mazur", "--epochs", "-1")
    assert result.returncode == 2 and "--epochs" in result.stderr


def test_divergence_exits_3_with_epoch_and_hint(tmp_path):
    session = json.loads((LESSONS / "sine_regression.json").read_text())
    session["training"].update(optimizer="sgd", learning_rate=50.0)
    session["network"]["activations"] = ["relu", "relu", "linear"]
    session["network"]["init"] = {"scheme": "he_normal", "seed": 0}
    path = tmp_path / "wild.json"
    path.write_text(json.dumps(session))
    result = run("train", str(path), "--epochs", "50")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "diverged in epoch" in result.stderr and "lower learning rate" in result.stderr
    assert "RuntimeWarning" not in result.stderr and "Traceback" not in result.stderr


def test_gradcheck_failure_exits_1():
    code = (
        "import sys, main\n"
        "from core import activations as A\n"
        "t = A.ACTIVATIONS['sigmoid']\n"
        "A.ACTIVATIONS['sigmoid'] = A.Activation('sigmoid', t.f, lambda z: 1.1 * t.df(z),"
        " '', '', 0, 1)\n"
        "sys.exit(main.main(['gradcheck', 'mazur']))\n"
    )
    result = run_python(code)
    assert result.returncode == 1
    assert "FAILED" in result.stdout
