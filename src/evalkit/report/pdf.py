"""The PDF edition of a report: ``report.pdf``, printed by headless Chromium.

Officials circulate PDFs. :func:`write_pdf` binds every executed notebook of a
report folder, in order, into one printable HTML book (cover, contents page,
one chapter per notebook starting on a new page) with the report's own
stylesheet and the Japanese font embedded as a subset, and prints it with
Debian's ``chromium`` (``--print-to-pdf``; no network, no Selenium). Page
numbers are printed by CSS ``@page`` margin boxes. The contents page gives each
chapter's page: a first print is read back with Poppler's ``pdftotext`` to find
where each chapter starts, and the book is printed again with those numbers
(the contents page keeps its length, so the numbers stay true).

Charts are the PNG images the notebooks hold; the book shows them at the width
of the text, so a chart printed from a 2x ("retina") image is sharp.

Needs ``chromium`` and ``pdftotext`` (Debian packages ``chromium`` and
``poppler-utils``; ``make pdf-tools`` installs them).
"""

from __future__ import annotations

import html as htmlmod
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat

from evalkit.errors import MissingInputError, ReportIOError

#: Marker printed (invisibly small, white) at the start of each chapter, so its page can be found in the text layer.
_MARK = "evalkit-chapter-{n:02d}"
_BOOK_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #5a5a5a; } }
@page :first { @bottom-center { content: none; } }
body { max-width: none; padding: 0; margin: 0; font-size: 10pt; }
section.chapter { break-before: page; }
section.cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; }
section.cover h1 { font-size: 22pt; } section.cover .meta { font-size: 11pt; color: #5a5a5a; }
section.contents { break-before: page; } section.contents li { margin: 0.3rem 0; }
section.contents .page { float: right; font-variant-numeric: tabular-nums; }
.mark { font-size: 1pt; color: #ffffff; }
main table { display: table; overflow: visible; font-size: 8pt; }
img { max-width: 100%; }
"""


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise MissingInputError(
            f"the PDF edition needs {name!r} (Debian packages chromium and poppler-utils): run `make pdf-tools`"
        )
    return found


def check_tools() -> None:
    """Fail before anything runs when chromium or pdftotext is missing (exit 66, naming `make pdf-tools`)."""
    _tool("chromium")
    _tool("pdftotext")


def chapters(report: Path, lang: str = "ja") -> list[tuple[str, nbformat.NotebookNode]]:
    """The executed notebooks of a report folder, in order, with their titles in ``lang``."""
    from evalkit.report.html import notebook_title

    out = []
    for path in sorted(Path(report).glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        out.append((notebook_title(nb, path.stem, lang), nb))
    if not out:
        raise MissingInputError(f"{report}: no executed notebooks (NN_*.ipynb) to bind into a PDF")
    return out


def book_html(report: Path, *, title: str, as_of_label: str, lang: str = "ja", pages: list[int] | None = None) -> str:
    """The printable HTML of the whole report (cover, contents, chapters); ``pages`` fills the contents' numbers."""
    from evalkit.i18n import t
    from evalkit.report.fonts import font_face_css
    from evalkit.report.html import css, render_body

    parts = chapters(report, lang)
    esc = htmlmod.escape
    contents = []
    for i, (name, _) in enumerate(parts):
        page = "" if pages is None else str(pages[i])
        contents.append(f'<li><a href="#ch{i:02d}">{esc(name)}</a><span class="page">{page}</span></li>')
    body = [
        f'<section class="cover"><h1>{esc(title)}</h1>'
        f'<div class="meta">{esc(t("as_of", lang))}: {esc(as_of_label)}</div></section>',
        f'<section class="contents"><h2>{esc(t("contents", lang))}</h2><ol>{"".join(contents)}</ol></section>',
    ]
    for i, (_name, nb) in enumerate(parts):
        body.append(
            f'<section class="chapter" id="ch{i:02d}"><span class="mark">{_MARK.format(n=i)}</span>'
            f"<main>{render_body(nb, lang)}</main></section>"
        )
    text = "\n".join(body)
    return (
        f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f"<style>{css()}</style><style>{_BOOK_CSS}</style><style>{font_face_css(text + title)}</style></head>"
        f"<body>{text}</body></html>"
    )


def _print(html_file: Path, pdf: Path) -> None:
    from evalkit.report.browser import CHROMIUM_FLAGS

    cmd = [
        _tool("chromium"),
        *[f for f in CHROMIUM_FLAGS if not f.startswith("--window-size")],
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        html_file.as_uri(),
    ]
    with tempfile.TemporaryDirectory(prefix="evalkit-pdf-") as profile:
        proc = subprocess.run([*cmd, f"--user-data-dir={profile}"], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise ReportIOError(
            f"chromium could not print the PDF (status {proc.returncode}): "
            f"{(proc.stderr or '').strip().splitlines()[-1:] or ''}"
        )


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (Poppler's ``pdftotext``)."""
    proc = subprocess.run([_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=120)
    if proc.returncode != 0:
        raise ReportIOError(f"pdftotext failed on {pdf.name}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout.decode("utf-8").split("\f")


def _chapter_pages(pdf: Path, n: int) -> list[int]:
    texts = page_texts(pdf)
    found = []
    for i in range(n):
        mark = _MARK.format(n=i)
        hit = next((p for p, text in enumerate(texts, start=1) if mark in text), None)
        if hit is None:
            raise ReportIOError(f"{pdf.name}: chapter {i + 1} not found in the printed text")
        found.append(hit)
    return found


def write_pdf(report: Path, out: Path, *, title: str, as_of_label: str, lang: str = "ja") -> Path:
    """Bind the report folder's notebooks into ``out`` (a PDF with contents page and page numbers).

    Parameters
    ----------
    report : pathlib.Path
        A report folder holding the executed ``NN_*.ipynb`` (published or staging).
    out : pathlib.Path
        The PDF to write; written whole or not at all.
    title, as_of_label : str
        Cover text (the report title and as-of, in the edition's language).
    lang : {"ja", "en"}
        Edition language (headings of the cover and contents).

    Returns
    -------
    pathlib.Path
        ``out``.

    Raises
    ------
    MissingInputError
        chromium or pdftotext is not installed (exit 66).
    ReportIOError
        Printing failed (exit 74).
    """
    report, out = Path(report), Path(out)
    n = len(chapters(report))
    with tempfile.TemporaryDirectory(prefix="evalkit-book-") as tmp:
        book = Path(tmp) / "book.html"
        first = Path(tmp) / "first.pdf"
        book.write_text(book_html(report, title=title, as_of_label=as_of_label, lang=lang), encoding="utf-8")
        _print(book, first)
        pages = _chapter_pages(first, n)
        book.write_text(
            book_html(report, title=title, as_of_label=as_of_label, lang=lang, pages=pages), encoding="utf-8"
        )
        final = Path(tmp) / "final.pdf"
        _print(book, final)
        if _chapter_pages(final, n) != pages:
            raise ReportIOError("the contents page changed length between the two prints; page numbers would be wrong")
        tmp_out = out.with_name(out.name + ".tmp")
        shutil.copyfile(final, tmp_out)
        tmp_out.replace(out)
    return out


def check_pdf(pdf: Path) -> list[str]:
    """What a reader of ``pdf`` would miss: problems found with ``pdftotext`` and ``pdffonts``; empty when fine.

    Checks that every page carries text, that Japanese text is there, that every font is embedded, that the
    IPAexGothic subset is among them, and that the contents page lists chapters with page numbers.
    """
    problems = []
    texts = page_texts(pdf)
    pages = [t for t in texts if t.strip()]
    if not any(any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in t) for t in pages):
        problems.append("no Japanese text in the text layer")
    proc = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, timeout=60)
    rows = [line.split() for line in proc.stdout.splitlines()[2:] if line.strip()]
    names = [r[0] for r in rows]
    not_embedded = [r[0] for r in rows if len(r) >= 5 and r[-5] != "yes"]
    if not_embedded:
        problems.append(f"fonts not embedded: {not_embedded}")
    if not any("IPAexGothic" in n for n in names):
        problems.append(f"the Japanese font (IPAexGothic) is not embedded; fonts: {names}")
    if len(texts) < 3 or not any(ch.isdigit() for ch in texts[1]):
        problems.append("no contents page with page numbers")
    return problems
