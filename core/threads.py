"""One BLAS thread per process, set before NumPy loads.

The networks a lesson trains are small: NumPy's BLAS pool only adds overhead to their
matrix products, and its threads spin while they wait.  The window and its training process
share the machine, so each keeps to one core (measured: a pool left to itself doubled the
window's CPU and halved its frames; benchmarks/README.md).  The pool reads these variables
once, when NumPy loads, so :func:`one_blas_thread` runs first thing in ``main.py``; the
training process inherits them.  A variable the user has set is left as it is.
"""

from __future__ import annotations

import os

VARIABLES = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


def one_blas_thread(environ: dict[str, str] | os._Environ = os.environ) -> None:
    """Set every BLAS thread count that is not set to 1 (in ``environ``)."""
    for name in VARIABLES:
        environ.setdefault(name, "1")
