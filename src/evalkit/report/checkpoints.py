"""Named moments of a report run where a fault-injection test can hold it (inert unless asked).

The fault matrix (``tests/report/test_fault_matrix.py``) must kill or disturb
a run at a precise moment: while a kernel runs, while HTML is written, between
two renames of publishing. Sleeping and hoping is not deterministic, so the
runner and its workers call :func:`reached` at these points:

``kernel``
    in the worker, when the kernel is up and about to run the first cell;
``html``
    in the runner, after the first page of the report is written;
``publish:moved``, ``publish:linked``, ``publish:latest``
    in the runner, after the built folder moved to ``reports/.runs/``, after
    ``reports/<id>`` was repointed, and after ``reports/latest`` was.

Nothing happens unless ``EVALKIT_TEST_PAUSE_AT`` names the point. Then the
process writes ``{"point", "pid"}`` to the file ``EVALKIT_TEST_PAUSE_FILE``
and waits until that file is removed (the test resumes it) or until
``EVALKIT_TEST_PAUSE_SECONDS`` (default 120) have passed.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

POINT = "EVALKIT_TEST_PAUSE_AT"
FILE = "EVALKIT_TEST_PAUSE_FILE"
SECONDS = "EVALKIT_TEST_PAUSE_SECONDS"
POINTS = ("kernel", "html", "publish:moved", "publish:linked", "publish:latest")


def reached(point: str) -> None:
    """Hold the process at ``point`` when a test asked for it; return at once otherwise."""
    if os.environ.get(POINT) != point or not os.environ.get(FILE):
        return
    marker = Path(os.environ[FILE])
    tmp = marker.with_name(marker.name + ".tmp")
    tmp.write_text(json.dumps({"point": point, "pid": os.getpid()}), encoding="utf-8")
    tmp.replace(marker)
    deadline = time.monotonic() + float(os.environ.get(SECONDS, "120"))
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
