"""One language per edition: find sentences of the other language on a published page.

A published edition speaks one language. The Japanese edition may show English only in proper names, source
titles, URLs, units and codes; the English edition may show Japanese only in proper names and source titles.
:func:`foreign_sentences` scans the text of a page for what breaks this, and :func:`scan_edition` scans every
page of an edition folder, so tests and ``evalkit browser-check`` can name each page and sentence.

The test is a heuristic on text nodes, not a language model:

- Japanese edition: a text node containing a run of :data:`MIN_ENGLISH_WORDS` or more English words of
  lower-case letters (``"per row: column source"``) is English prose. Capitalised names, codes (``HS 8541``),
  units and single words pass.
- English edition: a text node containing any hiragana, katakana or kanji is Japanese.

Text inside ``<code>``, ``<pre>``, ``<script>``, ``<style>``, ``<a>`` (link text is usually a URL or a
source's title), and inside any element carrying a class from :data:`EXEMPT_CLASSES` (a source, a citation,
a proper name) or the attribute ``lang`` naming the other language, is not scanned. Deliberate exceptions
are listed, each with its reason, in :data:`ALLOWED`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: Number of consecutive lower-case English words that make a text node English prose (Japanese edition).
MIN_ENGLISH_WORDS = 4

#: Elements whose text is never scanned: code, scripts and styles, and links (a URL or a source's title).
EXEMPT_TAGS = frozenset({"code", "pre", "script", "style", "a", "svg", "math"})

#: Classes marking an element whose text may be in either language: a source, a citation, a proper name.
EXEMPT_CLASSES = frozenset({"source", "citation", "proper-name", "cited-as", "provenance-fn"})

#: Void elements (no end tag), so the parser's element stack stays balanced.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)

#: Sentences deliberately left in the other language: (edition lang, substring of the text node) -> reason.
ALLOWED: dict[tuple[str, str], str] = {
    ("ja", "Economic Security Promotion Act"): "the Act's official English title, cited as a source name",
    ("en", "経済安全保障推進法"): "the Act's Japanese title, a proper name cited beside its English title",
    ("en", "CAO 第10回有識者会議 資料6"): "the title of the Cabinet Office deck every programme figure cites",
    ("en", "蓄電池産業戦略"): "the title of METI's battery industry strategy, a source the deck cites",
    ("en", "認定済計画数（計123件）"): "the deck's own slide heading, quoted as the source of the plan counts",
    ("en", "さくらインターネット"): "a company's registered name (an approved plan's business), a proper name",
}

#: URLs are addresses, not sentences (a source's address may hold words of its own language).
_URL = re.compile(r"https?://\S+")

_ENGLISH_RUN = re.compile(r"\b[a-z][a-z'’-]*(?:[\s,;:]+[a-z][a-z'’-]*){" + str(MIN_ENGLISH_WORDS - 1) + r",}\b")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


@dataclass(frozen=True)
class ForeignSentence:
    """A sentence in the other language on a published page.

    Attributes
    ----------
    page : str
        The page's file name relative to the edition folder (``""`` for a string scanned directly).
    text : str
        The offending text node, whitespace collapsed.
    """

    page: str
    text: str

    def __str__(self) -> str:
        return f"{self.page}: {self.text}"


class _TextNodes(HTMLParser):
    """Collects the scanned text nodes of an HTML page (exempt elements skipped)."""

    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.other = "en" if lang == "ja" else "ja"
        self.stack: list[bool] = []  # per open element: does it exempt its content?
        self.nodes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        exempt = (
            tag in EXEMPT_TAGS
            or bool(classes & EXEMPT_CLASSES)
            or (values.get("lang") or "").lower().startswith(self.other)
        )
        self.stack.append(exempt)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if any(self.stack):
            return
        text = " ".join(data.split())
        if text:
            self.nodes.append(text)


def _foreign(text: str, lang: str) -> bool:
    if lang == "ja":
        return bool(_ENGLISH_RUN.search(text))
    return bool(_JAPANESE.search(text))


def _allowed(text: str, lang: str) -> bool:
    rest = _URL.sub(" ", text)
    for (edition, allowed), _reason in ALLOWED.items():
        if edition == lang:
            rest = rest.replace(allowed, " ")
    return not _foreign(rest, lang)


def foreign_sentences(html: str, lang: str, page: str = "") -> list[ForeignSentence]:
    """Text nodes of ``html`` written in the language other than ``lang``.

    Parameters
    ----------
    html : str
        A page (or fragment) as published.
    lang : {"ja", "en"}
        The edition's language.
    page : str, optional
        Name of the page, carried into each :class:`ForeignSentence`.

    Returns
    -------
    list of ForeignSentence
        One per offending text node, in page order; empty if the page speaks one language.

    Examples
    --------
    >>> foreign_sentences("<p>支出額 <code>per row: column source</code></p>", "ja")
    []
    >>> [f.text for f in foreign_sentences("<td>a before/after difference, not an effect</td>", "ja")]
    ['a before/after difference, not an effect']
    >>> [f.text for f in foreign_sentences("<p>Spending 支出額</p>", "en")]
    ['Spending 支出額']
    """
    from evalkit.i18n import check_lang

    check_lang(lang)
    parser = _TextNodes(lang)
    parser.feed(html)
    parser.close()
    return [ForeignSentence(page, text) for text in parser.nodes if _foreign(text, lang) and not _allowed(text, lang)]


def scan_edition(folder: Path, lang: str) -> list[ForeignSentence]:
    """Scan every HTML page of a published edition (``reports/latest`` or ``reports/latest-en``).

    Parameters
    ----------
    folder : pathlib.Path
        The edition folder; every ``*.html`` below it is scanned.
    lang : {"ja", "en"}
        The edition's language.

    Returns
    -------
    list of ForeignSentence
        Offending text nodes, page by page (pages sorted by name).
    """
    findings: list[ForeignSentence] = []
    for path in sorted(Path(folder).rglob("*.html")):
        findings += foreign_sentences(path.read_text(encoding="utf-8"), lang, str(path.relative_to(folder)))
    return findings
