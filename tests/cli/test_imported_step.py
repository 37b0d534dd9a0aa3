"""`step` on a session whose imported inputs are standardised says so before its formulas,
and its x are the standardised rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.data.imported import import_spec
from core.data.scaling import INPUT_NOTE
from core.data.scan import REGRESSION, scan_csv
from core.session.format import FORMAT, save_session, session_from_dict
from tests import paths


def test_step_names_the_standardised_inputs(tmp_path: Path) -> None:
    file = tmp_path / "houses.csv"
    file.write_text(
        "size,rooms,price\n" + "".join(f"{40 + i},{i % 5},{i * 3.5}\n" for i in range(20))
    )
    spec = import_spec(scan_csv(file), ["price"], REGRESSION, 0.0, 0, True, "houses.csv")
    d = {"format": FORMAT, "network": {"layers": [2, 2, 1], "activations": ["tanh", "linear"]},
         "data": spec, "training": {"batch_size": 1}}  # fmt: skip
    session = session_from_dict(d, tmp_path)
    save_session(session, tmp_path / "houses.json")
    out = subprocess.run(
        [sys.executable, str(paths.ROOT / "main.py"), "step", str(tmp_path / "houses.json")],
        cwd=paths.ROOT, capture_output=True, text=True, timeout=300,
    ).stdout  # fmt: skip
    assert out.startswith(INPUT_NOTE + "\n")
    x1 = session.dataset.x_train[0, 0]  # (40 - mean) / std: the first row, standardised
    assert x1 < -1.5 and f"{x1:.4g}".replace("-", "−") in out
