"""Run the report notebooks and publish the report atomically.

Sequence: check the parameters, decide where the report goes (canonical or
exploratory, :mod:`evalkit.report.publish`), checksum every input, check the
data package (nothing runs if anything is wrong) -> take the lock and remove
what dead runs left behind -> execute the notebooks in parallel with
papermill's Python API into a staging folder -> check that no input changed
meanwhile -> render code-free HTML, ``index.html``, ``results.json`` and
``tables.xlsx`` -> write ``manifest.json`` last -> publish with renames. A
run in which any notebook fails, or whose inputs changed under it, publishes
nothing: its staging folder moves to ``reports/.failed/`` with
``run_summary.json``, and every published report, ``latest`` included, stays
byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
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
    InputsChangedError,
    MissingInputError,
    NotebookFailedError,
    ReportIOError,
    UsageError,
)
from evalkit.i18n import check_lang, release_label, t
from evalkit.paths import notebooks_dir, project_root, relative, reports_dir
from evalkit.report import checkpoints, html, manifest
from evalkit.report import publish as publishing
from evalkit.report.params import resolve
from evalkit.report.record import collect
from evalkit.report.spreadsheet import collect_tables, write_workbook

_ACTIVE: set[int] = set()  # process groups of running workers, killed on interruption
_ACTIVE_LOCK = threading.Lock()
HEADLINE = ("cao", "approvals_by_product")  #: the table whose release names a 'latest' report
DEFAULT_JOBS = max(1, min(4, os.cpu_count() or 1))  #: one kernel per core, at most four


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
        run.title = html.notebook_title(nb, nb_path.stem, params.get("lang", "ja"))
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
    explore: bool = False,
    publish: bool = False,
    pdf: bool = False,
) -> Path:
    """Run the notebooks for ``as_of`` and publish the report.

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date no later than today; selects the data
        release (see :mod:`evalkit.data.catalogue`).
    only : list of str, optional
        Run only these notebooks (stems or numbers); the report is then
        exploratory. An empty list is refused.
    params : dict, optional
        Extra parameters; each must be declared by at least one notebook of
        the run and is passed to the notebooks that declare it. Any makes the
        report exploratory.
    jobs : int
        Notebooks run at once (each in its own kernel), at least 1.
    cell_timeout : int
        Seconds a single cell may run, at least 1.
    notebook_timeout : int
        Seconds a whole notebook may run, at least 1; past it the notebook's
        process group (kernel included) is killed and the run fails.
    lang : {"ja", "en"}
        Report language, passed to every notebook declaring ``lang``.
    explore : bool
        Publish under ``reports/explore/`` even a complete run with default parameters.
    publish : bool
        Require a canonical report: refuse (exit 2) a partial or parameterised run.
    pdf : bool
        Also bind the notebooks into ``report.pdf`` (:mod:`evalkit.report.pdf`; needs chromium and poppler).

    Returns
    -------
    pathlib.Path
        The published folder: ``reports/<id>`` (canonical) or
        ``reports/explore/<id>-<hash>`` (exploratory), see
        :mod:`evalkit.report.publish`.

    Raises
    ------
    UsageError, DataValidationError, MissingInputError, LockHeldError, InputsChangedError,
    NotebookFailedError, ReportIOError
        Each maps to a documented exit status (see README).
    """
    as_of = parse_as_of(as_of)
    for option, value in (("--jobs", jobs), ("--cell-timeout", cell_timeout), ("--notebook-timeout", notebook_timeout)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UsageError(f"{option} {value!r}: expected a whole number, at least 1")
    if explore and publish:
        raise UsageError("--explore and --publish ask for opposite things; give one of them")
    if only is not None and not [name for name in only if name]:
        raise UsageError("--only names no notebook; give stems or numbers, e.g. --only 00,10")
    notebooks = select_notebooks(only)
    if not notebooks:
        raise UsageError(f"no notebooks found in {relative(notebooks_dir())}")
    lang = check_lang(lang)
    given = dict(params or {})
    for name, option in (("as_of", "--as-of"), ("lang", "--lang")):
        if name in given:
            raise UsageError(f"pass {name} with {option}, not -p {name}=...")
    passed = dict(given)
    for name, value in (("as_of", as_of), ("lang", lang)):
        if _declares(notebooks, name):
            passed[name] = value
    per_nb = resolve(notebooks, passed)
    rid, label = report_id(as_of, lang)
    dest = publishing.destination(
        rid=rid,
        as_of=as_of,
        lang=lang,
        notebooks=[nb.stem for nb in notebooks],
        available=[nb.stem for nb in select_notebooks(None)],
        given=given,
        parameters=per_nb,
        explore=explore,
        require_canonical=publish,
    )
    fetched.require(nb.stem for nb in notebooks)
    if pdf:
        from evalkit.report.pdf import check_tools

        check_tools()
    # What the run reads, fixed before anything checks it: compared again after the notebooks ran.
    inputs = manifest.checksums(manifest.input_files(notebooks), project_root())
    _, problems = validate_package()
    if problems:
        raise DataValidationError(problems, hint=fetched.repair_hint(problems))
    release = release_for(*HEADLINE, as_of)
    root = reports_dir()
    with publishing.RunLock(root, dest.key) as lock:
        removed = publishing.clean_leftovers(root, lock)
        if removed:
            _say(f"evalkit report: removed what interrupted runs left behind: {', '.join(removed)}")
        stage = root / publishing.STAGING_DIR / lock.token
        try:
            stage.mkdir(parents=True)
        except OSError as exc:
            raise ReportIOError(f"cannot create staging folder {relative(stage)}: {exc}") from exc
        os.environ.setdefault("EVALKIT_ROOT", str(project_root()))
        os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
        started = dt.datetime.now(dt.UTC)
        _say(
            f"evalkit report: as_of={as_of} -> reports/{dest.folder} ({dest.kind}); "
            f"running {len(notebooks)} notebook(s), {jobs} at a time"
        )
        try:
            runs = _run_all(notebooks, stage, per_nb, jobs, cell_timeout, notebook_timeout)
        except BaseException:
            _kill_workers()
            shutil.rmtree(stage, ignore_errors=True)
            raise
        summary = {
            "as_of": as_of,
            "report": dest.folder,
            "started_utc": started.isoformat(timespec="seconds"),
            "notebooks": [
                {"notebook": r.stem, "status": r.status, "seconds": r.seconds, "error": r.error} for r in runs
            ],
        }
        failed = [r for r in runs if r.status != "ok"]
        unwritable = [r for r in failed if r.status == "io_error"]
        if unwritable:
            shutil.rmtree(stage, ignore_errors=True)
            raise ReportIOError(
                "could not write the executed notebooks; nothing was published:\n"
                + "\n".join(f"  {r.stem}: {r.error}" for r in unwritable)
            )
        if failed:
            kept = _keep_failed(stage, root, dest, started, summary)
            raise NotebookFailedError(
                f"{len(failed)} of {len(runs)} notebook(s) failed; nothing was published. "
                f"Executed notebooks and run_summary.json are in {relative(kept)}:\n"
                + "\n".join(f"  {r.stem}: {r.error}" for r in failed)
            )
        changed = manifest.changed_inputs(inputs, notebooks, project_root())
        if changed:
            summary["inputs_changed"] = changed
            kept = _keep_failed(stage, root, dest, started, summary)
            raise InputsChangedError(
                "input(s) changed while the notebooks were running, so the report would not match its manifest; "
                f"nothing was published (executed notebooks in {relative(kept)}). Run again when the change is "
                "complete:\n" + "\n".join(f"  {line}" for line in changed)
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
                dest=dest,
                pdf=pdf,
            )
            if pdf:
                from evalkit.report.pdf import write_pdf

                write_pdf(stage, stage / "report.pdf", title=t("report_title", lang), as_of_label=label, lang=lang)
            _write_manifest(stage, notebooks, per_nb, runs, summary, as_of, rid, inputs, dest)
            with publishing.uninterruptible() as caught:
                published = publishing.publish(stage, dest, root)
            if caught:
                _say("evalkit report: a stop signal arrived while publishing; it waited for the last renames")
        except OSError as exc:
            shutil.rmtree(stage, ignore_errors=True)
            raise ReportIOError(f"could not write or publish the report: {exc}") from exc
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    warned = [(r.stem, w) for r in runs for w in r.warnings]
    for stem, line in warned:
        _say(f"  warning from {stem}: {line}")
    _say(f"published {_where(dest)}; {len(warned)} warning(s)")
    return published


def _where(dest: publishing.Destination) -> str:
    """The closing line's account of what was published and which links moved."""
    page = f"reports/{dest.folder}/index.html"
    if dest.exploratory:
        given = ", ".join(f"{k}={v}" for k, v in sorted(dest.given.items())) or "defaults"
        return (
            f"exploratory report {page} (notebooks: {', '.join(dest.notebooks)}; parameters: {given}); "
            "canonical reports and reports/latest unchanged"
        )
    if dest.links:
        return page + "".join(f" (reports/{link} -> {dest.folder})" for link in dest.links)
    return f"{page} (reports/latest unchanged: it follows --as-of latest)"


def _keep_failed(
    stage: Path, root: Path, dest: publishing.Destination, started: dt.datetime, summary: dict[str, Any]
) -> Path:
    """Move a failed run's staging folder to ``reports/.failed/`` with its ``run_summary.json``."""
    kept = root / publishing.FAILED_DIR / f"{dest.key}-{started.strftime('%Y%m%dT%H%M%SZ')}-{stage.name[-8:]}"
    manifest.write_json(stage / "run_summary.json", summary)
    kept.parent.mkdir(parents=True, exist_ok=True)
    stage.replace(kept)
    return kept


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
        if isinstance(value, str) and value and value != LATEST and _names_a_file(value)
    ]
    if supplied:
        out.append(t("banner_user_data", lang, items=", ".join(supplied)))
    if any(r.get("value") is None for r in results):
        out.append(t("banner_gaps", lang))
    return out


def _names_a_file(value: str) -> bool:
    """Whether a parameter value names an existing file (absolute, or relative to the project root)."""
    try:
        path = Path(value).expanduser()
        return (path if path.is_absolute() else project_root() / path).is_file()
    except (OSError, ValueError):
        return False


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
    dest: publishing.Destination,
    pdf: bool = False,
) -> None:
    banners = []
    if dest.exploratory:
        given = ", ".join(f"{k}={v}" for k, v in sorted(dest.given.items())) or t("params_defaults", lang)
        banners.append(t("banner_exploratory", lang, notebooks=", ".join(dest.notebooks), params=given))
    if undated:
        banners.append(t("undated_banner", lang, release=release))
    if manifest.git_state(project_root()).get("dirty"):
        banners.append(t("banner_dirty", lang))
    from evalkit.report.provenance import function_anchors, result_anchors

    results = []
    thumbs = []
    anchors: dict[str, str] = {}
    figures: dict[str, dict[str, str]] = {}
    for run in runs:
        nb = nbformat.read(str(stage / f"{run.stem}.ipynb"), as_version=4)
        anchors.update(result_anchors(nb))
        figures[run.stem] = function_anchors(nb)
        png = html.first_chart(nb)
        if png:
            thumbs.append({"stem": run.stem, "title": run.title, "png": png})
        own = banners + page_banners(params.get(run.stem, {}), run.results, lang)
        page = html.render_page(nb, notebook=run.stem, as_of_label=label, version=_version(), banners=own, lang=lang)
        (stage / f"{run.stem}.html").write_text(page, encoding="utf-8")
        checkpoints.reached("html")
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
        editions=None if dest.exploratory else t("editions_note", lang),
        anchors=anchors,
        figures=figures,
        previous=None if dest.exploratory else _previous(lang),
    )
    (stage / "index.html").write_text(index, encoding="utf-8")


def _previous(lang: str) -> dict[str, Any] | None:
    """The last published canonical report of edition ``lang`` (folder, publication time, results), or None."""
    from evalkit.report.diff import load_results

    folder = publishing.previous_report(reports_dir(), lang)
    if folder is None:
        return None
    try:
        _, results = load_results(folder)
        finished = json.loads((folder / manifest.MANIFEST).read_text(encoding="utf-8")).get("finished_utc")
    except (DataValidationError, MissingInputError, OSError, ValueError):
        return None
    published = str(finished or "").replace("T", " ").replace("+00:00", " UTC")
    return {"folder": folder.name, "published": published, "results": results}


def _write_manifest(
    stage: Path,
    notebooks: list[Path],
    per_nb: dict[str, dict[str, Any]],
    runs: list[NotebookRun],
    summary: dict[str, Any],
    as_of: str,
    rid: str,
    inputs: dict[str, str],
    dest: publishing.Destination,
) -> None:
    root = project_root()
    outputs = sorted(p for p in stage.rglob("*") if p.is_file())
    payload = {
        "as_of": as_of,
        "report": rid,
        "publication": dest.describe(),
        "parameters": per_nb,
        "started_utc": summary["started_utc"],
        "finished_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "notebooks": summary["notebooks"],
        "git": manifest.git_state(root),
        "versions": manifest.package_versions(),
        # checksummed before the data package was validated, and found unchanged after the notebooks ran
        "inputs": inputs,
        "outputs": manifest.checksums(outputs, stage),
    }
    manifest.write_json(stage / manifest.MANIFEST, payload)


def read_results(report: Path) -> dict[str, Any]:
    """Load ``results.json`` of a published report."""
    return json.loads((report / "results.json").read_text(encoding="utf-8"))
