"""tables.xlsx carries every table with unit and source; both editions are in their language; pages open in a real
browser (headless Chromium) without errors or requests leaving the machine."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys

import openpyxl
import pytest

from tests.report.test_runner_e2e import evalkit

pytestmark = pytest.mark.e2e


LATEST = "undated-after-2024-10-31"
#: ``make test`` sets this: there the browser tests must run (it installs Chromium), not skip.
REQUIRE_BROWSER = os.environ.get("EVALKIT_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def two_editions(full_reports):
    """Both editions of the full default report: the session's published reports (``full_reports``), not a
    second run. Tests here only read them; the one that edits a page works on a copy."""
    return full_reports


def needs_chromium():
    """Skip without Debian chromium and chromium-driver, unless ``make test`` requires them (then fail)."""
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    if REQUIRE_BROWSER:
        pytest.fail("EVALKIT_REQUIRE_BROWSER=1 but chromium/chromedriver are missing (make browser installs them)")
    pytest.skip("needs Debian chromium and chromium-driver (make test installs them)")


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
    assert 'lang="en"' in page and "All results (for reviewers)" in page and "Storage batteries" in page
    assert "<h2>Findings</h2>" in page and "supply-assurance plans have been approved in total." in page
    assert "undated (after 2024-10-31)" in page
    ja = (two_editions / "reports/undated-after-2024-10-31/index.html").read_text(encoding="utf-8")
    assert "<h2>主な結果</h2>" in ja and "供給確保計画の認定は合計123件です。" in ja
    assert "すべての結果（確認用）" in ja and "日付記載なし（2024-10-31 より後）" in ja
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


def test_pages_open_offline_without_errors(two_editions):
    needs_chromium()
    run = evalkit(two_editions, "browser-check")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(": ok") >= 4
    shots = two_editions / "reports/undated-after-2024-10-31/screenshots"
    assert (shots / "index-ja.png").stat().st_size > 10_000 and (shots / "index-en.png").stat().st_size > 10_000
    verify = evalkit(two_editions, "verify", "reports/undated-after-2024-10-31")
    assert verify.returncode == 0, verify.stdout


def test_browser_check_catches_a_page_that_calls_the_internet(two_editions, tmp_path):
    needs_chromium()
    # a copy of the published Japanese edition, so the shared reports stay as published
    reports = tmp_path / "reports"
    shutil.copytree((two_editions / "reports" / LATEST).resolve(), reports / LATEST)
    page = reports / LATEST / "00_programme_overview.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</body>", '<img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body>'
        ),
        encoding="utf-8",
    )
    env = dict(os.environ, EVALKIT_ROOT=str(two_editions), EVALKIT_REPORTS=str(reports))
    run = subprocess.run(
        [sys.executable, "-m", "evalkit", "browser-check", "--lang", "ja"],
        cwd=two_editions,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 65
    assert "request leaving the machine: http://127.0.0.1:9/x.png" in run.stdout
    assert "console error" in run.stdout


def test_the_pdf_edition_of_the_full_report_has_its_japanese_text_fonts_and_contents(two_editions, tmp_path):
    """The PDF a ministry would circulate, bound from the session's full Japanese report and read back with
    Poppler (pdftotext, pdffonts): Japanese text, every font embedded (IPAexGothic among them), every notebook
    on the contents page."""
    if not (shutil.which("chromium") and shutil.which("pdftotext") and shutil.which("pdffonts")):
        if REQUIRE_BROWSER:
            pytest.fail("EVALKIT_REQUIRE_BROWSER=1 but chromium or poppler-utils is missing (make browser)")
        pytest.skip("needs Debian chromium and poppler-utils (make test installs them)")
    from evalkit.i18n import t
    from evalkit.report.pdf import chapters, check_pdf, page_texts, write_pdf

    report = two_editions / "reports" / "latest"
    out = write_pdf(report, tmp_path / "report.pdf", title=t("report_title", "ja"), as_of_label=LATEST, lang="ja")
    assert check_pdf(out) == []
    contents = page_texts(out)[1]
    for title, _ in chapters(report):
        assert title.split(" / ")[0].split()[0] in contents, f"{title} is not on the contents page"
