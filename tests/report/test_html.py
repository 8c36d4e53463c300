"""Pages of :mod:`evalkit.report.html`: the index (findings first with their links, names beside keys, what changed
since the previous report) and each notebook page (only its edition's language)."""

from __future__ import annotations

import re

import nbformat

from evalkit.report.html import notebook_title, render_body, render_index

RESULTS = [
    {"key": "plans_approved_total", "value": 123, "unit": "plans", "notebook": "00_overview", "source": "CAO deck"},
    {"key": "plans_approved.critical_minerals", "value": 3, "unit": "plans", "notebook": "00_overview"},
    {"key": "screening.jpn.dependent_products", "value": 10, "unit": "HS6 products", "notebook": "60_s", "source": "X"},
    {"key": "screening.jpn.persistent_outside_designated", "value": 8, "unit": "HS6 products", "notebook": "60_s"},
]


def _index(results=RESULTS, lang="en", previous=None, anchors=None):
    page = render_index(
        as_of_label="2024-10-31",
        release="r1",
        version="0",
        notebooks=[{"stem": "00_overview", "title": "Overview", "status": "ok"}],
        results=results,
        banners=[],
        lang=lang,
        anchors=anchors,
        previous=previous,
    )
    return re.sub(r"<style>.*?</style>", "", page, flags=re.S)


def _section(page, name):
    match = re.search(rf'<section class="{name}".*?</section>', page, flags=re.S)
    return match.group(0) if match else None


def test_findings_come_first_with_the_recorded_number_and_its_link():
    page = _index(anchors={"plans_approved_total": "cell-t1", "screening.jpn.dependent_products": "cell-s9"})
    findings = _section(page, "findings")
    assert page.index("findings") < page.index("Notebooks") < page.index("All results")
    assert '<a href="00_overview.html#cell-t1">123 supply-assurance plans have been approved in total.</a>' in findings
    assert 'href="60_s.html#cell-s9">The risk screen flags 10 HS6 products' in findings
    assert "as of 2024-10-31; source: CAO deck" in findings


def test_a_finding_without_its_key_is_left_out():
    page = _index(results=[r for r in RESULTS if r["key"] != "plans_approved_total"])
    assert "supply-assurance plans" not in _section(page, "findings")
    assert _section(_index(results=RESULTS[1:2]), "findings") is None  # no finding at all: no empty section


def test_names_replace_identifiers_and_keys_stay_beside_them():
    ja = _index(lang="ja")
    assert "認定件数 — 重要鉱物<br><code>plans_approved.critical_minerals</code>" in ja
    en = _index(lang="en")
    assert "Plans approved — Critical minerals<br><code>plans_approved.critical_minerals</code>" in en
    assert "critical_minerals" not in _section(en, "findings")


def test_changes_appear_only_with_a_previous_report():
    assert _section(_index(), "changes") is None
    previous = {
        "folder": "2024-06-30-en",
        "published": "2026-01-01 09:00:00 UTC",
        "results": {
            "plans_approved_total": {"key": "plans_approved_total", "value": 100, "unit": "plans"},
            "old_only": {"key": "old_only", "value": 1, "unit": "plans"},
        },
    }
    changes = _section(_index(results=RESULTS[:1], previous=previous), "changes")
    assert "Changes since the previous report" in changes
    assert "Compared with 2024-06-30-en, published 2026-01-01 09:00:00 UTC." in changes
    row = re.search(r'<tr class="change-changed">.*?</tr>', changes).group(0)
    assert "<code>plans_approved_total</code>" in row and ">100<" in row and ">123<" in row and ">plans<" in row
    assert '<tr class="change-removed">' in changes and "0 added, 1 removed, 1 changed" in changes


def test_an_unchanged_report_says_so():
    same = {r["key"]: r for r in RESULTS}
    changes = _section(_index(lang="ja", previous={"folder": "a", "published": "b", "results": same}), "changes")
    assert "前回のレポートからの変更" in changes and "前回のレポートから変わった数値はありません。" in changes
    assert "<table" not in changes


def _bilingual() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 依存度の変化\n\n日本語の説明。", metadata={"tags": ["lang-ja"]}),
        nbformat.v4.new_markdown_cell(
            "# Change in dependence\n\nThe English introduction.", metadata={"tags": ["lang-en"]}
        ),
        nbformat.v4.new_markdown_cell("HS 8541"),
    ]
    return nb


def test_each_edition_keeps_only_its_language():
    ja, en = render_body(_bilingual(), "ja"), render_body(_bilingual(), "en")
    assert "日本語の説明" in ja and "English introduction" not in ja
    assert "English introduction" in en and "日本語の説明" not in en
    assert "HS 8541" in ja and "HS 8541" in en


def test_title_is_the_editions_heading():
    assert notebook_title(_bilingual(), "50", "ja") == "依存度の変化"
    assert notebook_title(_bilingual(), "50", "en") == "Change in dependence"
