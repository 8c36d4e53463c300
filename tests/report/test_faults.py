"""Runs that go wrong (reliability checklist J, K, H, I): nothing published is ever lost or mixed."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from tests.conftest import tree_digest
from tests.report.test_runner_e2e import evalkit

pytestmark = pytest.mark.e2e


def add_notebook(project, stem, *sources, params='as_of: str = "latest"  # data release'):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nb.cells.append(nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}))
    nb.cells += [nbformat.v4.new_code_cell(src) for src in sources]
    nbformat.write(nb, str(project / "notebooks" / f"{stem}.ipynb"))


@pytest.fixture
def published(minimal_project):
    """A one-notebook project with its canonical report published (a complete default run), and its digest."""
    project = minimal_project
    run = evalkit(project, "report")
    assert run.returncode == 0, run.stderr
    assert (project / "reports/latest").readlink().as_posix() == "undated-after-2024-10-31"
    return project, tree_digest(project / "reports")


def published_part(project):
    return {k: v for k, v in tree_digest(project / "reports").items() if not k.startswith((".failed/", ".locks/"))}


def status_of(project):
    summaries = sorted((project / "reports/.failed").glob("*/run_summary.json"))
    assert summaries, "a failed run leaves run_summary.json"
    return {n["notebook"]: n for n in json.loads(summaries[-1].read_text())["notebooks"]}


@pytest.mark.parametrize(
    "stem,source,status,extra",
    [
        ("01_raises", "raise ValueError('boom')", "notebook_error", []),
        ("01_exits", "import sys; sys.exit(0)", "incomplete", []),
        ("01_dies", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "dead_kernel", []),
        ("01_slow_cell", "import time; time.sleep(120)", "timeout", ["--cell-timeout", "3"]),
        # many short cells: each within the cell limit, together past the notebook limit
        (
            "01_slow_notebook",
            "import time; time.sleep(2)\n" * 1 + "x = 0",
            "timeout",
            ["--notebook-timeout", "30", "--cell-timeout", "10"],
        ),
    ],
)
def test_each_kind_of_failure_publishes_nothing(published, stem, source, status, extra):
    project, before = published
    cells = [source] * (40 if stem == "01_slow_notebook" else 1) + ["x = 1"]
    add_notebook(project, stem, *cells)
    run = evalkit(project, "report", *extra)  # complete: 00 and 01, default parameters
    assert run.returncode == 70, run.stderr
    notebooks = status_of(project)
    assert notebooks[stem]["status"] == status
    assert notebooks["00_programme_overview"]["status"] == "ok"  # the others still ran, results kept
    failed_dir = sorted((project / "reports/.failed").iterdir())[-1]
    assert (failed_dir / "00_programme_overview.ipynb").is_file()
    assert published_part(project) == {k: v for k, v in before.items() if not k.startswith(".locks/")}


def test_second_run_for_the_same_as_of_is_refused_while_the_first_holds_the_lock(published):
    project, before = published
    lock = project / "reports/.locks/undated-after-2024-10-31.lock"
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        run = evalkit(project, "report")
    assert run.returncode == 75 and "holds" in run.stderr
    assert published_part(project) == {k: v for k, v in before.items() if not k.startswith(".locks/")}


def test_interrupting_a_run_leaves_the_old_report_complete(published):
    project, before = published
    add_notebook(project, "01_slow", "import time; time.sleep(60)")
    env = dict(os.environ, EVALKIT_ROOT=str(project))
    proc = subprocess.Popen(
        [sys.executable, "-m", "evalkit", "report"],
        cwd=project,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as on a terminal: a suite started in the background (nohup, '&') inherits SIGINT ignored, and the
        # run would then finish the slow notebook instead of stopping
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list((project / "reports/.staging").glob("*/.work/01_slow.log")):
        time.sleep(0.2)
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert published_part(project) == {k: v for k, v in before.items() if not k.startswith(".locks/")}
    assert not any((project / "reports/.staging").iterdir())
    # this project's workers only: other test sessions on the machine may be running workers of their own
    pattern = f"evalkit.report.worker {project}/notebooks/01_slow"
    leftover = subprocess.run(["pgrep", "-f", pattern], capture_output=True)
    assert leftover.returncode == 1, "worker processes must not outlive an interrupted run"


def test_symlinked_report_pointing_outside_is_refused(minimal_project, tmp_path):
    project = minimal_project
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "reports").mkdir()
    (project / "reports/undated-after-2024-10-31").symlink_to(outside)
    run = evalkit(project, "report")
    assert run.returncode == 74 and "outside" in run.stderr
    assert list(outside.iterdir()) == []


def test_io_failure_while_publishing_keeps_the_old_report(published, monkeypatch):
    project, before = published
    from evalkit.errors import ReportIOError
    from evalkit.report import publish, runner

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "publish", broken)
    with pytest.raises(ReportIOError, match="No space left"):
        runner.run_report("latest")
    assert published_part(project) == {k: v for k, v in before.items() if not k.startswith(".locks/")}
    assert not any((project / "reports/.staging").iterdir())


def test_a_new_as_of_leaves_earlier_reports_byte_identical(published):
    project, before = published
    assert evalkit(project, "report", "--as-of", "2024-10-31").returncode == 0
    # a dated report never moves reports/latest: it follows the newest data (--as-of latest)
    assert (project / "reports/latest").readlink().as_posix() == "undated-after-2024-10-31"
    after = tree_digest(project / "reports")
    kept = {k: v for k, v in before.items() if k.startswith(".runs/undated")}
    assert kept and all(after[k] == v for k, v in kept.items())


def test_verify_names_a_changed_input(published):
    project, _ = published
    path = project / "data/reference/delay_factors.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run = evalkit(project, "verify", "reports/latest")
    assert run.returncode == 65 and "input changed: data/reference/delay_factors.csv" in run.stdout


def test_a_kernel_that_fails_to_start_is_retried_once(monkeypatch, tmp_path):
    from evalkit.report import runner

    calls = []

    def flaky(nb_path, stage, params, cell_timeout, notebook_timeout):
        calls.append(nb_path)
        run = runner.NotebookRun(nb_path.stem)
        run.status = "kernel_error" if len(calls) == 1 else "ok"
        return run

    monkeypatch.setattr(runner, "_execute_once", flaky)
    assert runner._execute(tmp_path / "00_x.ipynb", tmp_path, {}, 10, 10).status == "ok"
    assert len(calls) == 2
    calls.clear()
    monkeypatch.setattr(runner, "_execute_once", lambda *a: runner.NotebookRun("00_x", status="kernel_error"))
    assert runner._execute(tmp_path / "00_x.ipynb", tmp_path, {}, 10, 10).status == "kernel_error"
