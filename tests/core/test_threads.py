"""One BLAS thread per process: main.py sets the counts before NumPy loads, leaves a count
the user set, and the training process inherits them."""

from __future__ import annotations

import os
import subprocess
import sys

from core.threads import VARIABLES, one_blas_thread
from tests import paths

SHOW = "import os, main; print([os.environ[v] for v in {names!r}])"


def test_unset_counts_become_one_and_set_ones_stay() -> None:
    environ = {"OMP_NUM_THREADS": "3"}
    one_blas_thread(environ)
    assert environ == {name: "3" if name == "OMP_NUM_THREADS" else "1" for name in VARIABLES}


def test_main_sets_them_before_numpy_loads() -> None:
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env["MKL_NUM_THREADS"] = "2"
    code = SHOW.format(names=list(VARIABLES)) + "; import sys; print('numpy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=paths.ROOT, env=env, capture_output=True, text=True
    )
    counts, numpy_loaded = out.stdout.splitlines()
    assert eval(counts) == ["2" if v == "MKL_NUM_THREADS" else "1" for v in VARIABLES]
    assert numpy_loaded == "False"  # importing main loads no NumPy: the counts come first
