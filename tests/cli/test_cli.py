"""The headless commands as a user runs them: output, files and exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from tests import paths

ROOT = paths.ROOT
LESSONS = paths.LESSONS


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
        "from core.engine import activations as A\n"
        "t = A.ACTIVATIONS['sigmoid']\n"
        "A.ACTIVATIONS['sigmoid'] = A.Activation('sigmoid', t.f, lambda z: 1.1 * t.df(z),"
        " '', '', 0, 1)\n"
        "sys.exit(main.main(['gradcheck', 'mazur']))\n"
    )
    result = run_python(code)
    assert result.returncode == 1
    assert "FAILED" in result.stdout


# ---------------------------------------------------------------------- render and animate


def draw(*args: str) -> subprocess.CompletedProcess:
    """`main.py render|animate ...` as a user runs it on a machine without a display."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, str(ROOT / "main.py"), *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_render_writes_an_svg_and_a_png_at_a_size_or_a_dpi(tmp_path):
    from PIL import Image

    svg, png, sharp = tmp_path / "x.svg", tmp_path / "x.png", tmp_path / "sharp.png"
    done = draw("render", "mazur", "--out", str(svg), "--view", "gradients")
    assert done.returncode == 0, done.stderr
    root = ET.parse(svg).getroot()
    assert len(root.findall(".//{http://www.w3.org/2000/svg}polyline")) == 8  # one per edge
    done = draw("render", "mazur", "--out", str(png), "--width", "800", "--height", "500")
    assert done.returncode == 0, done.stderr
    done = draw("render", "mazur", "--out", str(sharp), "--dpi", "300")
    assert done.returncode == 0, done.stderr
    with Image.open(png) as small, Image.open(sharp) as large:
        assert small.size == (800, 500)
        assert large.size == (3125, 1953) and round(large.info["dpi"][0]) == 300


def test_animate_writes_a_gif_with_a_frame_per_step(tmp_path):
    from PIL import Image

    out = tmp_path / "backprop.gif"
    done = draw("animate", "mazur", "--out", str(out), "--sample", "0", "--fps", "10")
    assert done.returncode == 0, done.stderr
    with Image.open(out) as gif:
        assert gif.n_frames >= 8 and gif.info["duration"] == 100  # 8 steps of Mazur's


def test_animate_writes_an_mp4(tmp_path):
    ffmpeg = pytest.importorskip("imageio_ffmpeg")
    out = tmp_path / "backprop.mp4"
    done = draw("animate", "mazur", "--out", str(out), "--fps", "2")
    assert done.returncode == 0, done.stderr
    frames, seconds = ffmpeg.count_frames_and_secs(str(out))
    assert frames >= 8 and seconds == pytest.approx(frames / 2)
    reader = ffmpeg.read_frames(str(out))
    meta = next(reader)
    reader.close()
    assert meta["codec"] == "h264" and meta["size"] == (1280, 720)
    assert [p.name for p in tmp_path.iterdir()] == ["backprop.mp4"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render", "mazur", "--out", "x.jpg"], ".png or an .svg"),
        (["render", "mazur", "--out", "x.png", "--dpi", "0"], "--dpi must be more than 0"),
        (["animate", "mazur", "--out", "x.avi"], ".gif or an .mp4"),
        (["animate", "mazur", "--out", "x.gif", "--fps", "0"], "--fps must be more than 0"),
        (["animate", "mazur", "--out", "x.mp4", "--fps", "500"], "at most 50"),
        (["animate", "mazur", "--out", "x.gif", "--fps", "fast"], "invalid float value"),
    ],
)
def test_render_and_animate_refuse_bad_options(tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    done = draw(*args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not any(tmp_path.iterdir())


def test_animate_to_mp4_without_imageio_ffmpeg_says_how_to_install_it(tmp_path):
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "sys.modules['imageio_ffmpeg'] = None  # as if it were not installed\n"
        "import main\n"
        f"sys.exit(main.main(['animate', 'mazur', '--out', {str(tmp_path / 'x.mp4')!r}]))\n"
    )
    done = run_python(code)
    assert done.returncode == 2
    assert "pip install imageio-ffmpeg" in done.stderr and "Traceback" not in done.stderr
    assert not any(tmp_path.iterdir())
