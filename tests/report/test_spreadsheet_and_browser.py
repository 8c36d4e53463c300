"""tables.xlsx carries every table with unit and source; pages open in a real browser (issue 6)."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from tests.report.test_runner_e2e import evalkit

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_editions(project):
    for lang in ("ja", "en"):
        run = evalkit(project, "report", "--lang", lang)
        assert run.returncode == 0, run.stderr
    return project


def test_tables_xlsx_has_every_table_with_source_and_unit(two_editions):
    wb = openpyxl.load_workbook(two_editions / "reports/undated-after-2024-10-31/tables.xlsx")
    sheets = [name for name in wb.sheetnames if name != "index"]
    assert len(sheets) >= 5
    approvals = next(wb[s] for s in sheets if wb[s]["A1"].value == "特定重要物資別の認定供給確保計画数")
    rows = list(approvals.iter_rows(values_only=True))
    assert rows[1][0].startswith("出典")
    assert "件" in rows[2]
    header = list(rows[3])
    assert "認定件数" in header
    counts = [r[header.index("認定件数")] for r in rows[4:]]
    assert sum(counts) == 123


def test_english_edition_is_english(two_editions):
    page = (two_editions / "reports/undated-after-2024-10-31-en/index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in page and "Headline figures" in page and "Storage batteries" in page
    assert "undated (after 2024-10-31)" in page
    ja = (two_editions / "reports/undated-after-2024-10-31/index.html").read_text(encoding="utf-8")
    assert "主要な数値" in ja and "日付記載なし（2024-10-31 より後）" in ja


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                    reason="needs Debian chromium and chromium-driver (make test installs them)")
def test_pages_open_offline_without_errors(two_editions):
    run = evalkit(two_editions, "browser-check")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(": ok") >= 4
    shots = two_editions / "reports/undated-after-2024-10-31/screenshots"
    assert (shots / "index-ja.png").stat().st_size > 10_000 and (shots / "index-en.png").stat().st_size > 10_000
    verify = evalkit(two_editions, "verify", "reports/undated-after-2024-10-31")
    assert verify.returncode == 0, verify.stdout


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")), reason="needs chromium")
def test_browser_check_catches_a_page_that_calls_the_internet(two_editions):
    page = two_editions / "reports/undated-after-2024-10-31/00_programme_overview.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", '<img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body>'),
        encoding="utf-8")
    run = evalkit(two_editions, "browser-check", "--lang", "ja")
    assert run.returncode == 65
    assert "request leaving the machine: http://127.0.0.1:9/x.png" in run.stdout
    assert "console error" in run.stdout
