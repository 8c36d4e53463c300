"""End to end: `evalkit report` on the shipped data, and what a failure leaves behind."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import copy_reports, reseal, tree_digest

pytestmark = pytest.mark.e2e


def evalkit(project, *args, timeout=300):
    env = dict(os.environ, EVALKIT_ROOT=str(project))
    return subprocess.run(
        [sys.executable, "-m", "evalkit", *args], cwd=project, env=env, capture_output=True, text=True, timeout=timeout
    )


def published(project, run):
    """The folder a successful ``evalkit report`` run says it published (canonical or exploratory)."""
    found = re.search(r"published (?:exploratory report )?reports/(\S+)/index\.html", run.stderr)
    assert found, run.stderr
    return project / "reports" / found.group(1)


def results(report):
    payload = json.loads((report / "results.json").read_text(encoding="utf-8"))
    return payload, {r["key"]: r for r in payload["results"]}


def test_default_report_publishes_latest(full_reports):
    project = full_reports
    latest = project / "reports" / "undated-after-2024-10-31"
    assert (latest / "index.html").is_file() and (latest / "00_programme_overview.html").is_file()
    assert (latest / "00_programme_overview.ipynb").is_file()
    payload, res = results(latest)
    assert payload["as_of"] == "latest"
    assert res["plans_approved_total"]["value"] == 123
    assert res["fund_total_oku_yen"]["value"] == 21830 and res["fund_total_oku_yen"]["unit"] == "億円"
    assert res["plans_approved.batteries"]["value"] == 32
    assert sum(r["value"] for k, r in res.items() if k.startswith("plans_approved.")) == 123
    assert set(payload["results"][0]) >= {"key", "value", "unit", "notebook", "source"}
    page = (latest / "00_programme_overview.html").read_text(encoding="utf-8")
    assert "import evalkit" not in page and "<script src" not in page and "http://" not in page
    assert "抗菌性物質製剤" in page and "出典:" in page
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert "data/raw/cao/undated-after-2024-10-31/approvals_by_product.csv" in manifest["inputs"]
    assert {"results.json", "index.html", "00_programme_overview.html"} <= set(manifest["outputs"])
    assert manifest["versions"]["papermill"] and "commit" in manifest["git"]
    verify = evalkit(project, "verify", "reports/latest")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    # A second as-of publishes beside it; its counts are the end-October 2024 ones.
    payload, res = results(project / "reports" / "2024-10-31")
    assert res["plans_approved_total"]["value"] == 106
    assert res["plans_approved.batteries"]["value"] == 27
    assert res["plans_approved.advanced_electronic_components"]["value"] == 0
    assert res["fund_total_oku_yen"]["value"] == 22000 and "approximate" in res["fund_total_oku_yen"]["note"]
    assert (project / "reports" / "undated-after-2024-10-31" / "results.json").is_file()
    verify = evalkit(project, "verify", "reports/2024-10-31")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_tampered_output_is_caught(project):
    run = evalkit(project, "report", "--as-of", "2024-10-31", "--only", "00")
    assert run.returncode == 0, run.stderr
    report = published(project, run)
    assert report.parent.name == "explore" and report.name.startswith("2024-10-31-")
    html = report / "index.html"
    html.write_text(html.read_text(encoding="utf-8") + " ", encoding="utf-8")
    bad = evalkit(project, "verify", str(report.relative_to(project)))
    assert bad.returncode == 65 and "output changed: index.html" in bad.stdout


def test_rerun_reproduces_results_exactly(project):
    first_run = evalkit(project, "report", "--only", "00,20,30")
    assert first_run.returncode == 0, first_run.stderr
    first = (published(project, first_run) / "results.json").read_bytes()
    again = evalkit(project, "report", "--only", "00,20,30")
    assert published(project, again) == published(project, first_run)  # the same exploration, the same folder
    assert (published(project, again) / "results.json").read_bytes() == first


@pytest.mark.parametrize(
    "edit,expect",
    [
        (
            ("data/raw/cao/2024-10-31/approvals_by_product.csv", "batteries,27,15", "batteries,26,15", True),
            "programme_statements.csv:2, column 'value', value '106'",
        ),
        (
            ("data/raw/cao/undated-after-2024-10-31/approvals_by_product.csv", "batteries,32", "batteries,3x", True),
            "approvals_by_product.csv:6, column 'plans_approved', value '3x'",
        ),
        (("data/reference/products.csv.meta.yaml", None, None, False), "no sidecar"),
    ],
)
def test_broken_data_fails_and_leaves_latest_untouched(project, published_template, edit, expect):
    copy_reports(published_template, project)  # baseline publish (of notebook 00: one is enough), shared
    before = tree_digest(project / "reports")
    rel, old, new, do_reseal = edit
    path = project / rel
    if old is None:
        path.unlink()
    else:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        if do_reseal:
            reseal(path)
    for args in (("validate",), ("report",)):
        run = evalkit(project, *args)
        assert run.returncode == 65, (args, run.stdout, run.stderr)
        assert expect in run.stdout + run.stderr
    assert tree_digest(project / "reports") == before


def test_unknown_or_mistyped_parameter_exits_2_before_running(project):
    for args in (["-p", "colour=red"], ["--as-of", "2024-02-30"], ["--only", "99"], ["-p", "as_of=2024-10-31"]):
        run = evalkit(project, "report", *args)
        assert run.returncode == 2, (args, run.stderr)
    assert not (project / "reports").exists() or not any((project / "reports").glob(".runs/*"))


def test_failing_notebook_publishes_nothing(project, published_template):
    copy_reports(published_template, project)  # baseline publish of notebook 00, shared
    before = tree_digest(project / "reports")
    import nbformat

    nb = nbformat.read(str(project / "notebooks/00_programme_overview.ipynb"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure')"))
    nbformat.write(nb, str(project / "notebooks/00_programme_overview.ipynb"))
    run = evalkit(project, "report", "--only", "00")
    assert run.returncode == 70 and "deliberate failure" in run.stderr
    after = {k: v for k, v in tree_digest(project / "reports").items() if not k.startswith((".failed/", ".locks/"))}
    assert after == {k: v for k, v in before.items() if not k.startswith((".failed/", ".locks/"))}
    summaries = list((project / "reports/.failed").glob("*/run_summary.json"))
    assert summaries and json.loads(summaries[0].read_text())["notebooks"][0]["status"] == "notebook_error"
