"""Canonical and exploratory reports are kept apart, and each edition has its own stable link.

Found as a new user would: ``evalkit report --only 10 -p ledger=my_ledger.csv`` (the README's way to add a
ledger) and ``evalkit report --only 00`` both republished ``reports/undated-after-2024-10-31`` and moved
``reports/latest`` to a report of one notebook; ``evalkit report --lang en`` moved ``reports/latest`` to the
English edition. These tests run a two-notebook project (00 and 10), so that a complete run is quick.
"""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest

from tests.conftest import copy_project, tree_digest
from tests.report.test_runner_e2e import evalkit, published
from tests.report.test_workbook_text import HOSTILE

pytestmark = pytest.mark.e2e
RID = "undated-after-2024-10-31"


def canonical_state(project):
    """Everything a reader of the canonical links sees: the files behind them, and where they point."""
    reports = project / "reports"
    links = {name: (reports / name).readlink().as_posix() for name in ("latest", "latest-en", RID, f"{RID}-en")}
    return links, tree_digest(reports / "latest"), tree_digest(reports / "latest-en")


@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    """Both canonical editions published (Japanese first, then English), then two exploratory runs."""
    project = copy_project(tmp_path_factory.mktemp("editions") / "project")
    for path in (project / "notebooks").glob("[0-9][0-9]_*"):
        if not path.stem.startswith(("00_", "10_")):
            path.unlink()
    for args in ((), ("--lang", "en")):
        run = evalkit(project, "report", *args)
        assert run.returncode == 0, run.stderr
    before = canonical_state(project)
    with open(project / "my_ledger.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)  # a lone CR must be quoted
        writer.writerow(["product", "plan", "fiscal_year", "disbursed"])
        writer.writerows(["batteries", plan, 2024, 1] for plan in HOSTILE)
    ledger = evalkit(project, "report", "--only", "10", "-p", "ledger=my_ledger.csv")
    assert ledger.returncode == 0, ledger.stderr
    overview = evalkit(project, "report", "--only", "00")
    assert overview.returncode == 0, overview.stderr
    return project, before, ledger, overview


def test_latest_is_the_japanese_edition_and_latest_en_the_english_whatever_the_order(explored):
    project, (links, _, _), _, _ = explored
    assert links == {"latest": RID, "latest-en": f"{RID}-en", RID: links[RID], f"{RID}-en": links[f"{RID}-en"]}
    ja = (project / "reports/latest/index.html").read_text(encoding="utf-8")
    en = (project / "reports/latest-en/index.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in ja and '<html lang="en">' in en
    assert "reports/latest は常に最新データの日本語版" in ja and "reports/latest-en the English edition" in en
    for link in ("latest", "latest-en"):
        manifest = json.loads((project / "reports" / link / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["publication"]["kind"] == "canonical"
        verify = evalkit(project, "verify", f"reports/{link}")
        assert verify.returncode == 0, verify.stdout


def test_partial_and_parameterised_runs_leave_the_canonical_reports_byte_for_byte(explored):
    project, before, ledger, overview = explored
    assert canonical_state(project) == before
    for run, stems, given in (
        (ledger, ["10_spending_vs_approvals"], "ledger=my_ledger.csv"),
        (overview, ["00_programme_overview"], "既定値のまま"),
    ):
        report = published(project, run)
        assert report.parent == project / "reports/explore" and report.name.startswith(f"{RID}-")
        assert "canonical reports and reports/latest unchanged" in run.stderr
        index = (report / "index.html").read_text(encoding="utf-8")
        assert "探索用のレポートです（正式版ではありません）" in index
        assert f"ノートブック：{', '.join(stems)}" in index and given in index
        manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["publication"]["folder"] == f"reports/explore/{report.name}"
        assert manifest["publication"]["notebooks"] == stems
        assert evalkit(project, "verify", str(report.relative_to(project))).returncode == 0


def test_hostile_plan_names_reach_tables_xlsx_as_text_verbatim(explored):
    project, _, ledger, _ = explored
    wb = openpyxl.load_workbook(published(project, ledger) / "tables.xlsx")
    found = {}
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if cell.value in HOSTILE:
                    found[cell.value] = cell.data_type
    assert found == {value: "s" for value in HOSTILE}
