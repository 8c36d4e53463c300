"""Run the report notebooks and publish ``reports/<as_of>/`` atomically.

Sequence: check the data package and the parameters (nothing runs if either
is wrong) -> take the as-of lock -> execute the notebooks in parallel with
papermill's Python API into a staging folder -> render code-free HTML,
``index.html`` and ``results.json`` -> write ``manifest.json`` last -> swap
the staging folder into place and repoint ``reports/latest``. A run in which
any notebook fails publishes nothing: its staging folder moves to
``reports/.failed/`` with ``run_summary.json``, and every published report,
``latest`` included, stays byte-identical.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from evalkit.data import fetched
from evalkit.data.catalogue import LATEST, parse_as_of, release_for
from evalkit.data.validate import validate_package
from evalkit.errors import (
    DataValidationError,
    LockHeldError,
    NotebookFailedError,
    ReportIOError,
    UsageError,
)
from evalkit.i18n import check_lang, release_label, t
from evalkit.paths import notebooks_dir, project_root, relative, reports_dir
from evalkit.report import html, manifest
from evalkit.report.params import resolve
from evalkit.report.record import collect
from evalkit.report.spreadsheet import collect_tables, write_workbook

_ACTIVE: set[int] = set()  # process groups of running workers, killed on interruption
_ACTIVE_LOCK = threading.Lock()
HEADLINE = ("cao", "approvals_by_product")  #: the table whose release names a 'latest' report
DEFAULT_JOBS = max(1, min(4, os.cpu_count() or 1))  #: one kernel per core, at most four
LATEST_LINK = "latest"


@dataclass
class NotebookRun:
    """Outcome of one notebook."""

    stem: str
    status: str = "pending"  # ok | failed
    seconds: float = 0.0
    error: str | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str = ""


def select_notebooks(only: list[str] | None) -> list[Path]:
    """Notebooks of the run: all of ``notebooks/NN_*.ipynb``, or those named.

    ``only`` items match a stem (``00_programme_overview``) or its number (``00``).
    """
    available = sorted(p for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb"))
    if not only:
        return available
    chosen = []
    for name in only:
        hits = [p for p in available if p.stem == name or p.stem.split("_", 1)[0] == name]
        if not hits:
            raise UsageError(f"--only {name!r}: no such notebook; available: {[p.stem for p in available]}")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def report_id(as_of: str, lang: str = "ja") -> tuple[str, str]:
    """Folder name and human label of the report for ``as_of`` in ``lang``.

    A dated as-of names its own folder; ``latest`` takes the name of the
    newest release of the headline table (e.g. ``undated-after-2024-10-31``),
    so the folder says what the data is, not when the job ran. The Japanese
    edition is the folder itself; other languages add ``-<lang>``.
    """
    from evalkit.i18n import release_label

    release = release_for(*HEADLINE, as_of)
    rid, label = (release.name, release_label(release, lang)) if as_of == LATEST else (as_of, as_of)
    return (rid if lang == "ja" else f"{rid}-{lang}"), label


class _Lock:
    """Exclusive, non-blocking lock on ``reports/.locks/<id>.lock``."""

    def __init__(self, path: Path):
        self.path = path
        self.handle = None

    def __enter__(self) -> _Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self.handle.close()
            raise LockHeldError(f"another evalkit report holds {relative(self.path)}; try again when it ends") from exc
        self.handle.write(str(os.getpid()))
        self.handle.flush()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def _execute(
    nb_path: Path, stage: Path, params: dict[str, Any], cell_timeout: int, notebook_timeout: int
) -> NotebookRun:
    """Run one notebook; a kernel that failed to start is retried once (a known start-up race)."""
    run = _execute_once(nb_path, stage, params, cell_timeout, notebook_timeout)
    if run.status == "kernel_error":
        _say(f"  {nb_path.stem}: kernel did not start ({run.error}); retrying once")
        run = _execute_once(nb_path, stage, params, cell_timeout, notebook_timeout)
    return run


def _execute_once(
    nb_path: Path, stage: Path, params: dict[str, Any], cell_timeout: int, notebook_timeout: int
) -> NotebookRun:
    """Run one notebook in a worker process group; kill the group on the time limit."""
    run = NotebookRun(nb_path.stem)
    out_path = stage / f"{nb_path.stem}.ipynb"
    work = stage / ".work"
    work.mkdir(exist_ok=True)
    params_file = work / f"{nb_path.stem}.params.json"
    status_file = work / f"{nb_path.stem}.status.json"
    params_file.write_text(json.dumps(params, ensure_ascii=False), encoding="utf-8")
    start = time.monotonic()
    with open(work / f"{nb_path.stem}.log", "wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "evalkit.report.worker",
                str(nb_path),
                str(out_path),
                str(params_file),
                str(cell_timeout),
                str(status_file),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        with _ACTIVE_LOCK:
            _ACTIVE.add(proc.pid)
        try:
            proc.wait(timeout=notebook_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            run.status, run.error = "timeout", f"the notebook ran longer than {notebook_timeout}s and was stopped"
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        finally:
            with _ACTIVE_LOCK:
                _ACTIVE.discard(proc.pid)
    run.seconds = round(time.monotonic() - start, 2)
    if run.status == "pending":
        if status_file.is_file():
            status = json.loads(status_file.read_text(encoding="utf-8"))
            run.status, run.error = status["status"], status["error"]
        else:
            run.status = "worker_error"
            run.error = (
                f"the worker exited with status {proc.returncode} without a result; see .work/{nb_path.stem}.log"
            )
    if run.status == "ok":
        nb = nbformat.read(str(out_path), as_version=4)
        run.results = collect(nb, nb_path.stem)
        run.tables = collect_tables(nb, nb_path.stem)
        run.warnings = stderr_lines(nb)
        run.title = html.notebook_title(nb, nb_path.stem)
    return run


def stderr_lines(nb: nbformat.NotebookNode) -> list[str]:
    """Text a notebook's cells wrote to stderr (warnings, missing glyphs...), de-duplicated."""
    seen: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                for line in out.get("text", "").splitlines():
                    if line.strip() and line.strip() not in seen:
                        seen.append(line.strip())
    return seen


def _kill_workers() -> None:
    with _ACTIVE_LOCK:
        for pid in list(_ACTIVE):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_report(
    as_of: str = LATEST,
    only: list[str] | None = None,
    params: dict[str, Any] | None = None,
    jobs: int = DEFAULT_JOBS,
    cell_timeout: int = 600,
    notebook_timeout: int = 1800,
    lang: str = "ja",
    pdf: bool = False,
) -> Path:
    """Run the notebooks for ``as_of`` and publish the report.

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date; selects the data release (see
        :mod:`evalkit.data.catalogue`).
    only : list of str, optional
        Run only these notebooks (stems or numbers).
    params : dict, optional
        Extra parameters; each must be declared by at least one notebook of
        the run and is passed to the notebooks that declare it.
    jobs : int
        Notebooks run at once (each in its own kernel).
    cell_timeout : int
        Seconds a single cell may run.
    notebook_timeout : int
        Seconds a whole notebook may run; past it the notebook's process
        group (kernel included) is killed and the run fails.
    lang : {"ja", "en"}
        Report language, passed to every notebook declaring ``lang``.
    pdf : bool
        Also bind the notebooks into ``report.pdf`` (:mod:`evalkit.report.pdf`; needs chromium and poppler).

    Returns
    -------
    pathlib.Path
        The published folder ``reports/<id>``.

    Raises
    ------
    UsageError, DataValidationError, LockHeldError, NotebookFailedError, ReportIOError
        Each maps to a documented exit status (see README).
    """
    as_of = parse_as_of(as_of)
    notebooks = select_notebooks(only)
    if not notebooks:
        raise UsageError(f"no notebooks found in {relative(notebooks_dir())}")
    lang = check_lang(lang)
    given = dict(params or {})
    for name, option in (("as_of", "--as-of"), ("lang", "--lang")):
        if name in given:
            raise UsageError(f"pass {name} with {option}, not -p {name}=...")
    for name, value in (("as_of", as_of), ("lang", lang)):
        if _declares(notebooks, name):
            given[name] = value
    per_nb = resolve(notebooks, given)
    fetched.require(nb.stem for nb in notebooks)
    if pdf:
        from evalkit.report.pdf import check_tools

        check_tools()
    _, problems = validate_package()
    if problems:
        raise DataValidationError(problems)
    rid, label = report_id(as_of, lang)
    release = release_for(*HEADLINE, as_of)
    root = reports_dir()
    with _Lock(root / ".locks" / f"{rid}.lock"):
        stage = root / ".staging" / f"{rid}-{uuid.uuid4().hex[:8]}"
        try:
            stage.mkdir(parents=True)
        except OSError as exc:
            raise ReportIOError(f"cannot create staging folder {relative(stage)}: {exc}") from exc
        os.environ.setdefault("EVALKIT_ROOT", str(project_root()))
        os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
        started = dt.datetime.now(dt.UTC)
        _say(f"evalkit report: as_of={as_of} -> {rid}; running {len(notebooks)} notebook(s), {jobs} at a time")
        try:
            runs = _run_all(notebooks, stage, per_nb, jobs, cell_timeout, notebook_timeout)
        except BaseException:
            _kill_workers()
            shutil.rmtree(stage, ignore_errors=True)
            raise
        summary = {
            "as_of": as_of,
            "report": rid,
            "started_utc": started.isoformat(timespec="seconds"),
            "notebooks": [
                {"notebook": r.stem, "status": r.status, "seconds": r.seconds, "error": r.error} for r in runs
            ],
        }
        failed = [r for r in runs if r.status != "ok"]
        if failed:
            dest = root / ".failed" / f"{rid}-{started.strftime('%Y%m%dT%H%M%SZ')}-{stage.name[-8:]}"
            manifest.write_json(stage / "run_summary.json", summary)
            dest.parent.mkdir(parents=True, exist_ok=True)
            stage.replace(dest)
            raise NotebookFailedError(
                f"{len(failed)} of {len(runs)} notebook(s) failed; nothing was published. "
                f"Executed notebooks and run_summary.json are in {relative(dest)}:\n"
                + "\n".join(f"  {r.stem}: {r.error}" for r in failed)
            )
        try:
            shutil.rmtree(stage / ".work")
            _render(
                stage,
                runs,
                as_of=as_of,
                label=label,
                release=release_label(release, lang),
                lang=lang,
                undated=release.date is None and release.compiled is None,
                params=per_nb,
                pdf=pdf,
            )
            if pdf:
                from evalkit.report.pdf import write_pdf

                write_pdf(stage, stage / "report.pdf", title=t("report_title", lang), as_of_label=label, lang=lang)
            _write_manifest(stage, notebooks, per_nb, runs, summary, as_of, rid)
            published = _publish(stage, root / rid, root)
        except OSError as exc:
            shutil.rmtree(stage, ignore_errors=True)
            raise ReportIOError(f"could not write or publish the report: {exc}") from exc
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    warned = [(r.stem, w) for r in runs for w in r.warnings]
    for stem, line in warned:
        _say(f"  warning from {stem}: {line}")
    _say(f"published reports/{rid}/index.html (reports/{LATEST_LINK} -> {rid}); {len(warned)} warning(s)")
    return published


def _run_all(
    notebooks: list[Path],
    stage: Path,
    per_nb: dict[str, dict[str, Any]],
    jobs: int,
    cell_timeout: int,
    notebook_timeout: int,
) -> list[NotebookRun]:
    """Run the notebooks, ``jobs`` at a time, reporting each as it ends."""
    runs: dict[str, NotebookRun] = {}
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(notebooks), unit="notebook", file=sys.stderr, leave=False)
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(notebooks)))) as pool:
        futures = {
            pool.submit(_execute, nb, stage, per_nb[nb.stem], cell_timeout, notebook_timeout): nb.stem
            for nb in notebooks
        }
        try:
            for fut in as_completed(futures):
                run = fut.result()
                runs[run.stem] = run
                if bar is not None:
                    bar.update(1)
                    bar.clear()
                _say(
                    f"  [{len(runs)}/{len(notebooks)}] {run.stem}: {run.status} in {run.seconds:.1f}s"
                    + (f" — {run.error}" if run.error else "")
                )
        except BaseException:
            # Stop the workers first: leaving the pool waits for its threads.
            for fut in futures:
                fut.cancel()
            _kill_workers()
            raise
        finally:
            if bar is not None:
                bar.close()
    return [runs[nb.stem] for nb in notebooks]


def _declares(notebooks: list[Path], name: str) -> bool:
    from evalkit.report.params import declared

    return any(name in declared(nb) for nb in notebooks)


def _version() -> str:
    return manifest.package_versions().get("evalkit", "unknown")


def page_banners(params: dict[str, Any], results: list[dict[str, Any]], lang: str) -> list[str]:
    """Banners a notebook's page needs: user-supplied files among its parameters, figures not available."""
    out = []
    supplied = [
        f"{name}={value}"
        for name, value in params.items()
        if isinstance(value, str) and value and value != LATEST and Path(value).expanduser().exists()
    ]
    if supplied:
        out.append(t("banner_user_data", lang, items=", ".join(supplied)))
    if any(r.get("value") is None for r in results):
        out.append(t("banner_gaps", lang))
    return out


def _render(
    stage: Path,
    runs: list[NotebookRun],
    *,
    as_of: str,
    label: str,
    release: str,
    lang: str,
    undated: bool,
    params: dict[str, dict[str, Any]],
    pdf: bool = False,
) -> None:
    banners = []
    if undated:
        banners.append(t("undated_banner", lang, release=release))
    if manifest.git_state(project_root()).get("dirty"):
        banners.append(t("banner_dirty", lang))
    results = []
    thumbs = []
    for run in runs:
        nb = nbformat.read(str(stage / f"{run.stem}.ipynb"), as_version=4)
        png = html.first_chart(nb)
        if png:
            thumbs.append({"stem": run.stem, "title": run.title, "png": png})
        own = banners + page_banners(params.get(run.stem, {}), run.results, lang)
        page = html.render_page(nb, notebook=run.stem, as_of_label=label, version=_version(), banners=own, lang=lang)
        (stage / f"{run.stem}.html").write_text(page, encoding="utf-8")
        results += [
            {
                "key": r["key"],
                "value": r["value"],
                "unit": r["unit"],
                "notebook": r["notebook"],
                "source": r["source"],
                **({"note": r["note"]} if r.get("note") else {}),
            }
            for r in run.results
        ]
    keys = [r["key"] for r in results]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise NotebookFailedError(f"result keys recorded more than once: {dupes}")
    manifest.write_json(stage / "results.json", {"as_of": as_of, "results": results})
    write_workbook([t for run in runs for t in run.tables], stage / "tables.xlsx", as_of_label=label)
    index = html.render_index(
        as_of_label=label,
        release=release,
        version=_version(),
        notebooks=[{"stem": r.stem, "title": r.title, "status": r.status} for r in runs],
        results=results,
        banners=banners,
        lang=lang,
        thumbs=thumbs,
        pdf=pdf,
    )
    (stage / "index.html").write_text(index, encoding="utf-8")


def _write_manifest(
    stage: Path,
    notebooks: list[Path],
    per_nb: dict[str, dict[str, Any]],
    runs: list[NotebookRun],
    summary: dict[str, Any],
    as_of: str,
    rid: str,
) -> None:
    root = project_root()
    outputs = sorted(p for p in stage.rglob("*") if p.is_file())
    payload = {
        "as_of": as_of,
        "report": rid,
        "parameters": per_nb,
        "started_utc": summary["started_utc"],
        "finished_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "notebooks": summary["notebooks"],
        "git": manifest.git_state(root),
        "versions": manifest.package_versions(),
        "inputs": manifest.checksums(manifest.input_files(notebooks), root),
        "outputs": manifest.checksums(outputs, stage),
    }
    manifest.write_json(stage / manifest.MANIFEST, payload)


def _publish(stage: Path, final: Path, root: Path) -> Path:
    """Publish ``stage`` as ``final`` with atomic renames only.

    The built folder moves to ``reports/.runs/<id>-<n>``; ``reports/<id>`` is a
    symbolic link to it, replaced in one ``rename``, so a reader (or an
    interruption) sees the old report or the new one, never a mix. ``latest``
    is repointed the same way; the superseded run folder is removed last.
    """
    runs = root / ".runs"
    runs.mkdir(parents=True, exist_ok=True)
    old_target = None
    if final.is_symlink():
        old_target = final.resolve()
        if runs.resolve() not in old_target.parents:
            raise ReportIOError(f"{relative(final)} points outside {relative(runs)}; refusing to publish over it")
    elif final.exists():
        old_target = runs / f"{final.name}-legacy-{uuid.uuid4().hex[:8]}"
        final.replace(old_target)
    built = runs / stage.name
    stage.replace(built)
    for link, target in ((final, Path(".runs") / built.name), (root / LATEST_LINK, Path(final.name))):
        tmp = root / f".{link.name}-{uuid.uuid4().hex[:8]}.tmp"
        tmp.symlink_to(target, target_is_directory=True)
        tmp.replace(link)
    if old_target is not None and old_target != built:
        shutil.rmtree(old_target, ignore_errors=True)
    return final


def read_results(report: Path) -> dict[str, Any]:
    """Load ``results.json`` of a published report."""
    return json.loads((report / "results.json").read_text(encoding="utf-8"))
