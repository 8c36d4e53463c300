"""Where a run publishes, and which leftovers of dead runs the next run removes (no kernels here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from evalkit.errors import LockHeldError, ReportIOError, UsageError
from evalkit.report import publish
from evalkit.report.publish import RunLock, clean_leftovers, destination

ALL = ["00_programme_overview", "10_spending_vs_approvals", "20_target_attainment"]
RID = "undated-after-2024-10-31"


def dest(**kw):
    args = dict(rid=RID, as_of="latest", lang="ja", notebooks=ALL, available=ALL, given={}, parameters={})
    return destination(**{**args, **kw})


def test_only_a_complete_default_run_is_canonical_and_moves_the_link_of_its_edition():
    ja, en = dest(), dest(rid=f"{RID}-en", lang="en")
    assert (ja.kind, ja.folder, ja.links) == ("canonical", RID, ("latest",))
    assert (en.kind, en.folder, en.links) == ("canonical", f"{RID}-en", ("latest-en",))
    dated = dest(rid="2024-10-31", as_of="2024-10-31")
    assert (dated.kind, dated.folder, dated.links) == ("canonical", "2024-10-31", ())  # latest follows --as-of latest


@pytest.mark.parametrize(
    "kw,reason",
    [
        ({"notebooks": ALL[1:2]}, "partial run (--only; not run: 00_programme_overview, 20_target_attainment)"),
        ({"given": {"ledger": "my_ledger.csv"}}, "parameters given: ledger=my_ledger.csv"),
        ({"explore": True}, "--explore"),
    ],
)
def test_partial_parameterised_or_asked_for_runs_are_exploratory(kw, reason):
    d = dest(**kw)
    assert d.kind == "exploratory" and d.links == () and d.reason == reason
    assert d.folder.startswith(f"explore/{RID}-") and len(d.folder) == len(f"explore/{RID}-") + 8
    assert d.key == "explore-" + d.folder.split("/", 1)[1]
    assert d.describe()["folder"] == f"reports/{d.folder}"


def test_the_exploratory_name_depends_on_notebooks_and_parameters_only():
    one = dest(notebooks=ALL[1:2], parameters={"10": {"ledger": "a.csv"}})
    assert dest(notebooks=ALL[1:2], parameters={"10": {"ledger": "a.csv"}}).folder == one.folder
    assert dest(notebooks=ALL[1:2], parameters={"10": {"ledger": "b.csv"}}).folder != one.folder
    assert dest(notebooks=ALL[0:1], parameters={"10": {"ledger": "a.csv"}}).folder != one.folder


def test_publish_flag_is_refused_for_a_partial_or_parameterised_run():
    assert dest(require_canonical=True).kind == "canonical"
    for kw in ({"notebooks": ALL[:1]}, {"given": {"product": "batteries"}}):
        with pytest.raises(UsageError, match="--publish publishes a canonical report"):
            dest(require_canonical=True, **kw)


def test_the_lock_records_its_holder_and_refuses_a_second_run(tmp_path):
    with RunLock(tmp_path, "k") as lock:
        record = json.loads(lock.path.read_text())
        assert record["pid"] == os.getpid() and record["token"] == lock.token and lock.token.startswith("k-")
        with pytest.raises(LockHeldError, match="holds"):
            RunLock(tmp_path, "k").__enter__()
        assert json.loads(lock.path.read_text())["token"] == lock.token  # the refused run did not erase it
    with RunLock(tmp_path, "k"):  # released on exit
        pass


def test_an_unwritable_reports_folder_is_an_io_error(tmp_path):
    blocker = tmp_path / "reports"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(ReportIOError, match="cannot write the reports folder"):
        RunLock(blocker, "k").__enter__()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _leftovers(root, key):
    token = f"{key}-0123abcd"
    (root / ".staging" / token).mkdir(parents=True)
    (root / ".runs" / token).mkdir(parents=True)
    (root / f".{token}.link-tmp").symlink_to("nowhere")
    return token


def test_leftovers_of_dead_runs_go_those_of_live_runs_and_published_folders_stay(tmp_path):
    root = tmp_path
    (root / ".locks").mkdir()
    dead = _leftovers(root, "2024-10-31")
    (root / ".locks/2024-10-31.lock").write_text(json.dumps({"pid": _dead_pid(), "start": "1", "token": dead}))
    old = _leftovers(root, "explore-x-1a2b3c4d")
    (root / ".locks/explore-x-1a2b3c4d.lock").write_text("")  # never written: its holder died at once
    live = _leftovers(root, "undated-after-2024-10-31-en")
    me = {"pid": os.getpid(), "start": publish._proc_start(os.getpid()), "token": live}
    (root / ".locks/undated-after-2024-10-31-en.lock").write_text(json.dumps(me))
    (root / ".runs/undated-after-2024-10-31-cafe0123").mkdir()
    (root / "undated-after-2024-10-31").symlink_to(".runs/undated-after-2024-10-31-cafe0123")
    (root / ".failed/x").mkdir(parents=True)
    with RunLock(root, "undated-after-2024-10-31") as lock:
        mine = root / ".staging" / lock.token
        mine.mkdir()
        stale_own = _leftovers(root, "undated-after-2024-10-31")  # same key as ours: its owner is gone
        removed = clean_leftovers(root, lock)
    expected = [f"{d}/{t}" for t in (dead, old, stale_own) for d in (".staging", ".runs")]
    assert sorted(removed) == sorted(expected + [f".{t}.link-tmp" for t in (dead, old, stale_own)])
    assert (root / ".staging" / live).is_dir() and (root / ".runs" / live).is_dir()
    assert (root / f".{live}.link-tmp").is_symlink()
    assert (
        mine.is_dir() and (root / ".runs/undated-after-2024-10-31-cafe0123").is_dir() and (root / ".failed/x").is_dir()
    )


def test_a_pid_reused_by_another_process_does_not_keep_leftovers(tmp_path):
    (tmp_path / ".locks").mkdir()
    token = _leftovers(tmp_path, "2024-10-31")
    record = {"pid": os.getpid(), "start": "no such start time", "token": token}
    (tmp_path / ".locks/2024-10-31.lock").write_text(json.dumps(record))
    with RunLock(tmp_path, "other") as lock:
        assert f".staging/{token}" in clean_leftovers(tmp_path, lock)


def _published(root, folder, finished, kind="canonical", as_of="2024-10-31"):
    target = root / ".runs" / f"{folder}-0000abcd"
    target.mkdir(parents=True)
    (target / "results.json").write_text(json.dumps({"as_of": as_of, "results": []}), encoding="utf-8")
    info = {"as_of": as_of, "finished_utc": finished, "publication": {"kind": kind}}
    (target / "manifest.json").write_text(json.dumps(info), encoding="utf-8")
    (root / folder).parent.mkdir(parents=True, exist_ok=True)
    (root / folder).symlink_to(os.path.relpath(target, (root / folder).parent))


def test_the_previous_report_is_the_last_canonical_one_of_the_same_edition(tmp_path):
    assert publish.previous_report(tmp_path, "ja") is None
    _published(tmp_path, "2024-06-30", "2026-01-01T00:00:00+00:00", as_of="2024-06-30")
    _published(tmp_path, "2024-10-31", "2026-02-01T00:00:00+00:00")
    _published(tmp_path, "2024-10-31-en", "2026-03-01T00:00:00+00:00")
    _published(tmp_path, "explore/2024-10-31-1a2b3c4d", "2026-04-01T00:00:00+00:00", kind="exploratory")
    (tmp_path / "latest").symlink_to("2024-06-30")  # a stable link is never a report of its own
    assert publish.previous_report(tmp_path, "ja").name == "2024-10-31"
    assert publish.previous_report(tmp_path, "en").name == "2024-10-31-en"
