"""Where a report run is published, the lock that guards it, and the leftovers of runs that died.

Two kinds of report, kept apart:

* **canonical**: a *complete* run (every notebook of ``notebooks/``) with
  *default* parameters. It publishes ``reports/<id>`` (``<id>`` is the as-of
  folder, ``-en`` added for the English edition) and, for ``--as-of latest``,
  moves ``reports/latest`` (Japanese edition) or ``reports/latest-en``
  (English edition). A dated as-of never moves either link: ``latest``
  follows the newest data, never a later label.
* **exploratory**: a run with ``--only``, ``-p`` or ``--explore``. It
  publishes ``reports/explore/<id>-<hash>/``, where ``<hash>`` is a short
  sha256 of the notebooks run and their resolved parameters (re-running the
  same exploration replaces its folder), and never touches a canonical link.

Every folder under ``reports/`` that a reader opens is a symbolic link to a
complete folder in ``reports/.runs/``, replaced with one ``rename``; the
manifest is written before the link moves, so a reader (or an interruption)
sees the old report or the new one, never a mix.

Each run holds an exclusive ``flock`` on ``reports/.locks/<key>.lock`` and
writes its pid and process start time into it. Everything a run creates
before it publishes is named ``<key>-<8 hex digits>`` (the run's *token*):
``.staging/<token>/``, ``.runs/<token>/`` and the temporary links
``.<token>.link-tmp``. A run killed with SIGKILL leaves some of these behind;
the next run (of any as-of) removes every leftover whose key is not held by a
live process, and so never touches the work of a live concurrent run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import signal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalkit.data.catalogue import LATEST
from evalkit.errors import LockHeldError, ReportIOError, UsageError
from evalkit.paths import relative
from evalkit.report import checkpoints

CANONICAL = "canonical"
EXPLORATORY = "exploratory"
EXPLORE_DIR = "explore"  #: exploratory reports: ``reports/explore/<id>-<hash>``
RUNS_DIR = ".runs"  #: complete report folders, each the target of a link
STAGING_DIR = ".staging"  #: folders of runs in progress
LOCKS_DIR = ".locks"
FAILED_DIR = ".failed"  #: failed runs, kept for diagnosis (never removed automatically)
_LINK_TMP = ".link-tmp"
_TOKEN_TAIL = 9  # "-" and 8 hex digits


def latest_link(lang: str) -> str:
    """Name of the stable link of an edition: ``latest`` (Japanese, the default) or ``latest-<lang>``."""
    return "latest" if lang == "ja" else f"latest-{lang}"


@dataclass(frozen=True)
class Destination:
    """Where one run publishes.

    Attributes
    ----------
    kind : {"canonical", "exploratory"}
    folder : str
        The link a reader opens, relative to ``reports/`` (``undated-after-2024-10-31``,
        ``2024-10-31-en``, ``explore/undated-after-2024-10-31-1a2b3c4d``).
    key : str
        Name of the run's lock and prefix of its token.
    links : tuple of str
        Further links in ``reports/`` moved to ``folder`` (``latest`` or ``latest-en``);
        empty for an exploratory or dated report.
    notebooks : tuple of str
        Stems of the notebooks run.
    given : dict
        Parameters the user gave with ``-p`` (typed), for the index and the manifest.
    reason : str
        Why the run is exploratory (empty for a canonical run).
    """

    kind: str
    folder: str
    key: str
    links: tuple[str, ...] = ()
    notebooks: tuple[str, ...] = ()
    given: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def exploratory(self) -> bool:
        """True for a report under ``reports/explore/``."""
        return self.kind == EXPLORATORY

    def describe(self) -> dict[str, Any]:
        """The ``publication`` entry of ``manifest.json``."""
        out: dict[str, Any] = {"kind": self.kind, "folder": f"reports/{self.folder}"}
        if self.exploratory:
            out.update(notebooks=list(self.notebooks), parameters=self.given, reason=self.reason)
        else:
            out["links"] = [f"reports/{link}" for link in self.links]
        return out


def previous_report(root: Path, lang: str) -> Path | None:
    """The canonical report of edition ``lang`` published last in ``root``, or None.

    Canonical reports are the links directly under ``reports/`` other than the
    stable links (``latest``, ``latest-en``): ``<id>`` for the Japanese
    edition, ``<id>-<lang>`` for another. Publication order is the
    ``finished_utc`` of each report's ``manifest.json`` (then its as-of); a
    folder without a readable manifest or ``results.json`` is passed over.
    Called before a run publishes, so the report being written is never its
    own previous one.
    """
    from evalkit.i18n import LANGS

    stable = {latest_link(code) for code in LANGS}
    others = tuple(f"-{code}" for code in LANGS if code != "ja")
    found = []
    for entry in sorted(root.iterdir()) if root.is_dir() else []:
        name = entry.name
        if name.startswith(".") or name in stable or name == EXPLORE_DIR or not entry.is_dir():
            continue
        edition = next((code for code in LANGS if code != "ja" and name.endswith(f"-{code}")), "ja")
        if edition != lang or (lang == "ja" and name.endswith(others)):
            continue
        try:
            info = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(info, dict) or not (entry / "results.json").is_file():
            continue
        if info.get("publication", {}).get("kind", CANONICAL) != CANONICAL:
            continue
        found.append((str(info.get("finished_utc") or ""), str(info.get("as_of") or ""), name, entry))
    return max(found)[3] if found else None


def exploration_hash(notebooks: list[str], parameters: dict[str, dict[str, Any]]) -> str:
    """Short sha256 (8 hex digits) of the notebooks of a run and their resolved parameters."""
    payload = json.dumps({"notebooks": sorted(notebooks), "parameters": parameters}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:8]


def destination(
    *,
    rid: str,
    as_of: str,
    lang: str,
    notebooks: list[str],
    available: list[str],
    given: dict[str, Any],
    parameters: dict[str, dict[str, Any]],
    explore: bool = False,
    require_canonical: bool = False,
) -> Destination:
    """Decide where a run publishes (see the module docstring).

    Parameters
    ----------
    rid : str
        The report id of the as-of and language (:func:`evalkit.report.runner.report_id`).
    as_of : str
        ``latest`` or an ISO date.
    lang : str
        Edition language.
    notebooks, available : list of str
        Stems run, and stems of every notebook in ``notebooks/``.
    given : dict
        Parameters passed with ``-p`` (typed); any makes the run exploratory.
    parameters : dict
        Resolved parameters per notebook (hashed into the exploratory name).
    explore : bool
        Publish as exploratory even when complete and default (``--explore``).
    require_canonical : bool
        ``--publish``: refuse (exit 2) unless the run is canonical.

    Raises
    ------
    UsageError
        ``--publish`` for a partial or parameterised run, or with ``--explore``.
    """
    reasons = []
    missing = sorted(set(available) - set(notebooks))
    if missing:
        reasons.append(f"partial run (--only; not run: {', '.join(missing)})")
    if given:
        reasons.append("parameters given: " + ", ".join(f"{k}={v}" for k, v in sorted(given.items())))
    if explore:
        reasons.append("--explore")
    if require_canonical and reasons:
        raise UsageError(
            "--publish publishes a canonical report, which needs every notebook with default parameters; "
            f"this run is not one ({'; '.join(reasons)}). Drop --publish to publish it under reports/{EXPLORE_DIR}/"
        )
    if reasons:
        name = f"{rid}-{exploration_hash(notebooks, parameters)}"
        return Destination(
            EXPLORATORY,
            f"{EXPLORE_DIR}/{name}",
            f"{EXPLORE_DIR}-{name}",
            (),
            tuple(notebooks),
            dict(given),
            "; ".join(reasons),
        )
    links = (latest_link(lang),) if as_of == LATEST else ()
    return Destination(CANONICAL, rid, rid, links, tuple(notebooks), {}, "")


# --------------------------------------------------------------------------------------------------
# The lock, and who holds it


def _proc_start(pid: int) -> str | None:
    """Start time of a live process (clock ticks since boot, from ``/proc``); ``None`` if dead or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return None if fields[0] in ("Z", "X") else fields[19]


def _alive(record: dict[str, Any]) -> bool:
    pid = int(record.get("pid", 0))
    if pid <= 0:
        return False
    if Path("/proc/self/stat").exists():
        start = _proc_start(pid)
        return start is not None and record.get("start") in (None, start)
    try:  # pragma: no cover - systems without /proc
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLock:
    """Exclusive, non-blocking lock on ``reports/.locks/<key>.lock``, holding the run's token.

    The lock file records ``{"pid", "start", "token", "started_utc"}`` of its
    holder, so that another run can tell a live holder from a dead one
    without touching the lock. ``flock`` is released by the kernel when the
    holder dies, however it dies, so a killed run never blocks the next.
    """

    def __init__(self, root: Path, key: str):
        self.root = root
        self.key = key
        self.path = root / LOCKS_DIR / f"{key}.lock"
        self.token = f"{key}-{uuid.uuid4().hex[:8]}"
        self.handle = None

    def __enter__(self) -> RunLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+", encoding="utf-8")  # no truncation before the lock is ours
        except OSError as exc:
            raise ReportIOError(
                f"cannot write the reports folder {relative(self.root)} ({exc.strerror or exc}); "
                "nothing was run and published reports are unchanged"
            ) from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise LockHeldError(f"another evalkit report holds {relative(self.path)}; try again when it ends") from exc
        self.handle = handle
        record = {
            "pid": os.getpid(),
            "start": _proc_start(os.getpid()),
            "token": self.token,
            "started_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(record))
            handle.flush()
        except OSError as exc:
            self.__exit__()
            raise ReportIOError(f"cannot write {relative(self.path)}: {exc.strerror or exc}") from exc
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def _live_keys(root: Path, own: str) -> set[str]:
    """Keys whose lock is held by a live process (``own`` included); unreadable records count as live."""
    live = {own}
    for path in (root / LOCKS_DIR).glob("*.lock"):
        key = path.name[: -len(".lock")]
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError:
            live.add(key)
            continue
        if not text:
            continue  # never written: its holder died before the record (or no run ever took it)
        try:
            record = json.loads(text)
            record = record if isinstance(record, dict) else {"pid": int(record)}  # a bare pid (older evalkit)
        except (ValueError, TypeError):
            live.add(key)  # being rewritten right now
            continue
        if _alive(record):
            live.add(key)
    return live


def _key_of(name: str) -> str | None:
    """Key of a token-named leftover (``<key>-<8 hex>``), or ``None`` if the name is not one."""
    tail = name[-_TOKEN_TAIL:]
    if len(name) <= _TOKEN_TAIL or tail[0] != "-":
        return None
    try:
        int(tail[1:], 16)
    except ValueError:
        return None
    return name[:-_TOKEN_TAIL]


def _linked_runs(root: Path) -> set[str]:
    """Names of the ``.runs/`` folders some link under ``reports/`` points to."""
    names = set()
    for parent in (root, root / EXPLORE_DIR):
        if not parent.is_dir():
            continue
        for link in parent.iterdir():
            if link.is_symlink():
                target = Path(os.path.normpath(link.parent / os.readlink(link)))
                if target.parent.name == RUNS_DIR:
                    names.add(target.name)
    return names


def clean_leftovers(root: Path, lock: RunLock) -> list[str]:
    """Remove what dead runs left behind: staging folders, unpublished run folders, temporary links.

    A leftover belongs to the key its name starts with; it is removed when
    that key is ours (we hold its lock, so its owner is gone) or when no live
    process holds that key's lock. Folders some link points to, and
    ``reports/.failed/``, are never removed.

    Returns
    -------
    list of str
        What was removed, relative to ``reports/``.
    """
    live = _live_keys(root, lock.key) - {lock.key}
    linked = _linked_runs(root)
    removed = []

    def dead(name: str) -> bool:
        key = _key_of(name)
        return key is not None and key not in live and name != lock.token

    for sub in (STAGING_DIR, RUNS_DIR):
        folder = root / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if (sub == RUNS_DIR and path.name in linked) or not dead(path.name):
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(f"{sub}/{path.name}")
    for parent in (root, root / EXPLORE_DIR):
        if not parent.is_dir():
            continue
        for path in sorted(parent.glob(f".*{_LINK_TMP}")):
            if path.is_symlink() and dead(path.name[1 : -len(_LINK_TMP)]):
                path.unlink(missing_ok=True)
                removed.append(path.relative_to(root).as_posix())
    return removed


# --------------------------------------------------------------------------------------------------
# Publishing


@contextlib.contextmanager
def uninterruptible() -> Iterator[list[int]]:
    """Hold back SIGINT and SIGTERM for the few renames of publishing.

    Python-level handlers are swapped (a signal mask would not do: a thread
    of a library, DuckDB's for one, may take a process signal for the whole
    process). A signal that arrives meanwhile is recorded in the list this
    yields and not acted on: the run has then published, and ends normally.
    Any other moment of a run is interruptible and leaves the published
    reports as they were.
    """
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    try:
        saved = {sig: signal.signal(sig, hold) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # pragma: no cover - not the main thread: signals cannot arrive here anyway
        yield caught
        return
    try:
        yield caught
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _swap_link(link: Path, target: str, token: str) -> None:
    """Point ``link`` at ``target`` in one rename (a temporary link named by the run's token first)."""
    tmp = link.parent / f".{token}{_LINK_TMP}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target, target_is_directory=True)
    tmp.replace(link)


def publish(stage: Path, dest: Destination, root: Path) -> Path:
    """Publish the staged folder ``stage`` (named by the run's token) at ``dest``, with renames only.

    The folder moves to ``reports/.runs/<token>``; the link ``reports/<folder>``
    is replaced in one rename, then each of ``dest.links`` (``latest``); the
    superseded run folder is removed last.

    Returns
    -------
    pathlib.Path
        ``reports/<folder>``.

    Raises
    ------
    ReportIOError
        When ``reports/<folder>`` is a link pointing outside ``reports/.runs``.
    OSError
        From the file system (the caller maps it to exit 74).
    """
    runs = root / RUNS_DIR
    runs.mkdir(parents=True, exist_ok=True)
    final = root / dest.folder
    final.parent.mkdir(parents=True, exist_ok=True)
    token = stage.name
    old_target = None
    if final.is_symlink():
        old_target = final.resolve()
        if runs.resolve() not in old_target.parents:
            raise ReportIOError(f"{relative(final)} points outside {relative(runs)}; refusing to publish over it")
    elif final.exists():
        old_target = runs / f"{final.name}-legacy-{uuid.uuid4().hex[:8]}"
        final.replace(old_target)
    built = runs / token
    stage.replace(built)
    checkpoints.reached("publish:moved")
    _swap_link(final, os.path.relpath(built, final.parent), token)
    checkpoints.reached("publish:linked")
    for name in dest.links:
        _swap_link(root / name, dest.folder, token)
    checkpoints.reached("publish:latest")
    if old_target is not None and old_target != built and old_target.name not in _linked_runs(root):
        shutil.rmtree(old_target, ignore_errors=True)
    return final
