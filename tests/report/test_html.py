"""Pages of :mod:`evalkit.report.html`: each edition drops the other language's prose cells."""

from __future__ import annotations

import nbformat

from evalkit.report.html import notebook_title, render_body


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
