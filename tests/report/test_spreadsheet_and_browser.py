"""tables.xlsx carries every table with unit and source; pages open in a real browser (issue 6)."""

from __future__ import annotations

import html
import re
import shutil

import openpyxl
import pytest

from tests.report.test_runner_e2e import evalkit

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory):
    """Both editions of the full default report, published once for this module (tests run in file order;
    the last one edits a page)."""
    from tests.conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("editions") / "project")
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
    # citations in the headline table state the as-of in the edition's language
    assert "出典に時点の記載なし [data/raw/cao/undated-after-2024-10-31/" in ja and "時点 2024-10-31 [" in ja
    assert "as-of date stated" not in ja and not re.search(r"; as of [^;\[\]]+ \[data/", ja)
    assert "no as-of date stated by the source [data/raw/cao/undated-after-2024-10-31/" in page
    check_page_languages(two_editions / "reports")


JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
#: per page: labels the English edition must show, and their Japanese counterparts in the default edition
PAGE_LABELS = {
    "10_spending_vs_approvals": (
        ["Budget vintage", "Amount (JPY 100 million)", "Aid intensity A/C (derived)", "amounts in JPY 100 million"],
        ["予算措置", "金額（億円）", "amounts in 億円"],
    ),
    "20_target_attainment": (["Attainment", "On-track ratio", "Storage batteries"], ["達成度", "順調度", "蓄電池"]),
    "30_progress_reports": (
        [
            "Share",
            "95% CI low",
            "Plans approved and plans that had to report, by product",
            "Of which had to report",
            "Storage batteries",
        ],
        ["割合", "95%区間下限", "蓄電池"],
    ),
    "40_external_dependence": (["Series", "Partner", "Value as stated"], ["系列ID", "相手国"]),
    "50_dependence_change": (["Coefficient", "Mean before", "Pitfall"], ["係数", "前の平均"]),
    "90_logic_model": (
        [
            "Which steps of each logic model have a published figure",
            "not yet measurable",
            "<h3>Storage batteries</h3>",
            "JPY 331.6 billion",
            "32 plans",
        ],
        ["未測定", "測定あり", "3,316億円", "32件"],
    ),
}


def check_page_languages(reports):
    """English labels and no Japanese table header in the English edition; the Japanese labels in the default."""
    for stem, (english, japanese) in PAGE_LABELS.items():
        en = (reports / f"undated-after-2024-10-31-en/{stem}.html").read_text(encoding="utf-8")
        ja = (reports / f"undated-after-2024-10-31/{stem}.html").read_text(encoding="utf-8")
        headers = [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", en, re.S)]
        assert headers, stem
        assert not [h for h in headers if JAPANESE.search(h)], f"{stem}: Japanese table header in the English edition"
        titles = [html.unescape(x) for x in re.findall(r"<p><strong>(.*?)</strong></p>", en)]
        assert not [x for x in titles if JAPANESE.search(x)], f"{stem}: Japanese table title in the English edition"
        missing = [label for label in english if label not in en and html.escape(label, quote=False) not in en]
        assert not missing, f"{stem}: English edition lacks {missing}"
        missing = [label for label in japanese if label not in ja and html.escape(label, quote=False) not in ja]
        assert not missing, f"{stem}: Japanese edition lacks {missing}"


@pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("chromedriver")),
    reason="needs Debian chromium and chromium-driver (make test installs them)",
)
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
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</body>", '<img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body>'
        ),
        encoding="utf-8",
    )
    run = evalkit(two_editions, "browser-check", "--lang", "ja")
    assert run.returncode == 65
    assert "request leaving the machine: http://127.0.0.1:9/x.png" in run.stdout
    assert "console error" in run.stdout
