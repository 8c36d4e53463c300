"""The PDF edition: one book of every notebook, a contents page with true page numbers, the Japanese font embedded."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from evalkit.report.pdf import check_pdf, page_texts, write_pdf

needs_tools = pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="needs Debian chromium and poppler-utils (make test installs them)",
)


def _notebook(path, title, paragraphs):
    """A SYNTHETIC executed notebook: a heading and some long text, enough to fill pages."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# {title}\n\n" + "\n\n".join(paragraphs)))
    code = nbformat.v4.new_code_cell("x", execution_count=1)
    code.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "1", "text/html": "<p>表</p>"}, execution_count=1)
    ]
    nb.cells.append(code)
    nbformat.write(nb, str(path))


@needs_tools
def test_book_with_contents_page_numbers_and_embedded_font(tmp_path):
    long = [f"段落 {i}: 特定重要物資の安定供給確保に関する試験用の文章です。" * 8 for i in range(40)]
    _notebook(tmp_path / "00_first.ipynb", "00 概要 / Overview", long)
    _notebook(tmp_path / "10_second.ipynb", "10 予算 / Spending", long[:5])
    out = write_pdf(tmp_path, tmp_path / "report.pdf", title="試験報告", as_of_label="2024-10-31", lang="ja")
    assert check_pdf(out) == []
    texts = page_texts(out)
    contents = texts[1]
    assert "目次" in contents
    starts = [next(p for p, t in enumerate(texts, start=1) if f"evalkit-chapter-{i:02d}" in t) for i in range(2)]
    assert starts[1] > starts[0] + 1, "the first chapter is long enough to span pages"
    for start in starts:
        assert str(start) in contents, f"contents page lacks page {start}"
    total = len([t for t in texts if t.strip()])
    assert re.search(rf"\b{starts[1]}\s*/\s*{total}\b", texts[starts[1] - 1]), "pages carry 'page / pages'"
    assert not list(tmp_path.glob("*.tmp")), "nothing half-written"


def test_missing_tools_are_named_before_anything_runs(monkeypatch):
    from evalkit.errors import MissingInputError
    from evalkit.report import pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(MissingInputError, match="make pdf-tools"):
        pdf.check_tools()
