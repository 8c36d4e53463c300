"""Run one notebook in its own process group (``python -m evalkit.report.worker``).

The runner starts one worker per notebook so that a notebook can be stopped
as a whole: on the per-notebook time limit the runner kills the worker's
process group, kernel included. The worker writes the executed notebook and
a small status file; its exit code is 0 whatever happened in the notebook
(the status file says), and non-zero only if the worker itself broke.

Statuses: ``ok``; ``notebook_error`` (a cell raised); ``incomplete`` (the
notebook stopped early, e.g. ``sys.exit()``, leaving cells unexecuted);
``timeout`` (a cell exceeded the per-cell limit); ``dead_kernel``;
``io_error`` (the executed notebook could not be written: disk full,
read-only, file-size limit); ``kernel_error`` (the kernel did not start or
was lost otherwise).

A worker never outlives the runner that started it: a watchdog thread ends
the worker's process group when its parent changes (the runner was killed,
even with SIGKILL); the kernel, whose parent is the worker, then ends itself.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import nbformat

#: The one kernel every notebook names, the worker runs and ``make lab`` offers: inside the project's
#: virtual environment ``python3`` is that environment's own interpreter, so no extra kernelspec is needed.
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

#: Seconds a kernel may take to start (papermill's default of 60 is short on a loaded 2-core machine).
START_TIMEOUT = 180

#: errno values that mean "cannot write here" rather than a kernel problem.
IO_ERRNOS = (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EDQUOT)


def _watch_parent(parent: int, every: float = 0.5) -> None:
    """End this process group as soon as the parent process ``parent`` is gone."""
    while os.getppid() == parent:
        time.sleep(every)
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _first_cell_hook(cell, cell_index, **kwargs) -> None:
    """Hook run by nbclient as each cell starts: the ``kernel`` checkpoint, at the first cell only."""
    from evalkit.report import checkpoints

    if cell_index == 0:
        checkpoints.reached("kernel")


def classify(nb: nbformat.NotebookNode) -> tuple[str, str | None]:
    """Status of an executed notebook that papermill returned without raising.

    A notebook that ended early (``sys.exit`` inside a cell) leaves later code
    cells unexecuted and papermill reports success; this catches it.
    """
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") == "SystemExit":
                return "incomplete", f"cell {index} called sys.exit(); later cells did not run"
            if out.get("output_type") == "error":
                return "notebook_error", f"cell {index}: {out.get('ename')}: {out.get('evalue')}"
        if cell.get("execution_count") is None:
            return "incomplete", f"cell {index} was never executed (the notebook stopped early)"
    return "ok", None


def run(src: Path, dest: Path, params: dict[str, Any], cell_timeout: int) -> dict[str, Any]:
    """Execute ``src`` into ``dest`` and return ``{"status", "error"}``."""
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from evalkit.report import checkpoints

    hooks = {"on_cell_start": _first_cell_hook} if os.environ.get(checkpoints.POINT) == "kernel" else {}
    try:
        pm.execute_notebook(
            str(src),
            str(dest),
            parameters=params,
            kernel_name=KERNEL["name"],
            cwd=str(src.parent),
            progress_bar=False,
            log_output=False,
            execution_timeout=cell_timeout,
            start_timeout=START_TIMEOUT,
            **hooks,
        )
    except pm.PapermillExecutionError as exc:
        return {"status": "notebook_error", "error": f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"}
    except CellTimeoutError as exc:
        return {"status": "timeout", "error": f"a cell ran longer than {cell_timeout}s: {exc}".splitlines()[0]}
    except DeadKernelError as exc:
        return {"status": "dead_kernel", "error": f"the kernel died: {exc}".splitlines()[0]}
    except OSError as exc:
        if exc.errno not in IO_ERRNOS:
            return {"status": "kernel_error", "error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
        return {"status": "io_error", "error": f"could not write {dest.name}: {exc.strerror or exc}"}
    except Exception as exc:  # kernel start failures and the like
        return {"status": "kernel_error", "error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    status, error = classify(nbformat.read(str(dest), as_version=4))
    return {"status": status, "error": error}


def main(argv: list[str]) -> int:
    """``worker SRC DEST PARAMS_JSON CELL_TIMEOUT STATUS_JSON``."""
    src, dest, params_file, timeout, status_file = argv
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    params = json.loads(Path(params_file).read_text(encoding="utf-8"))
    result = run(Path(src), Path(dest), params, int(timeout))
    Path(status_file).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
