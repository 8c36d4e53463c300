"""Japanese statistical notation: numbers, markers, units and periods.

Japanese government tables write numbers in ways ``float()`` does not read
and ``pandas`` silently turns into NaN: full-width digits (１，２３４),
triangle negatives (△56, ▲56), suppression and gap markers (x, …, -),
status marks (p preliminary, r revised, # inner figure, * small sample), units
in headers (金額（千円）) and Japanese eras and fiscal years (令和6年度). This
module reads them by *declared* rules and reports anything else as an error
with the raw value, so no cell becomes NaN without a stated reason.

References
----------
.. [1] e-Stat, 統計表における記号等の説明 (symbols used in Japanese official tables).
.. [2] Japan Customs, 貿易統計 利用上の注意 ("-" = no figure, "0" = below the display
   unit; amounts in 千円 on the search pages, 百万円 in press releases),
   https://www.customs.go.jp/toukei/sankou/howto/riyou.htm
.. [3] Publishers differ on dashes: e.g. Osaka Prefecture writes a full-width
   "−" for nil and a half-width "-" for a negative number,
   https://www.pref.osaka.lg.jp/toukei/osaka-tkg/tg1309.html ; hence the
   per-source ``dash_means`` rule.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

#: Marks meaning "negative" when they prefix a number.
NEGATIVE_MARKS = ("△", "▲", "-", "\u2212")
#: Whole-cell markers and what they mean (after NFKC and strip).
MARKERS = {
    "x": "suppressed",  # 秘匿
    "X": "suppressed",
    "...": "unknown",  # … (NFKC of U+2026 is '...')
    "・・・": "unknown",
    "…": "unknown",
}
#: Whole-cell dashes meaning "nil" (0, not missing) unless a source says otherwise.
NIL_MARKS = ("-", "―", "‐", "—", "\u2212", "ー")
_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


class NotationError(ValueError):
    """A cell that follows none of the declared rules; the message says what was expected."""


@dataclass(frozen=True)
class Cell:
    """A parsed cell.

    Attributes
    ----------
    value : float or None
        The number (``None`` when the cell states no number).
    status : str
        ``value``, ``nil`` (a dash: zero by definition), ``suppressed``,
        ``unknown``, ``empty``; with a status mark: ``preliminary``,
        ``revised``, ``inner`` (内数, exclude from sums), ``low_sample``.
    """

    value: float | None
    status: str


def parse_number(raw: str, *, dash_means: str = "nil", allow_percent: bool = False) -> Cell:
    """Read one cell of a Japanese statistical table.

    Parameters
    ----------
    raw : str
        The cell text as found.
    dash_means : {"nil", "error"}
        What a lone dash means in this source (most publishers: nil; some
        use it only as a sign, then a lone dash is an error).
    allow_percent : bool
        Accept a trailing ``%`` (value stays in percent units).

    Returns
    -------
    Cell

    Raises
    ------
    NotationError
        For anything the rules do not cover (``1,23,4``, ``1,5``, ``abc``, ``¥100``).

    Examples
    --------
    >>> parse_number("△１，２３４")
    Cell(value=-1234.0, status='value')
    >>> parse_number("x").status
    'suppressed'
    """
    text = unicodedata.normalize("NFKC", raw if raw is not None else "").strip()
    if text == "":
        return Cell(None, "empty")
    if text in MARKERS or raw.strip() in MARKERS:
        return Cell(None, MARKERS.get(text, MARKERS.get(raw.strip(), "unknown")))
    if text in NIL_MARKS:
        if dash_means == "nil":
            return Cell(0.0, "nil")
        raise NotationError(f"a lone dash {raw!r} is not a number in this source")
    status = "value"
    if text.startswith("p") and len(text) > 1:
        status, text = "preliminary", text[1:].strip()
    elif text.endswith("r") and len(text) > 1:
        status, text = "revised", text[:-1].strip()
    elif text.startswith("#"):
        status, text = "inner", text[1:].strip()
    elif text.endswith("*"):
        status, text = "low_sample", text[:-1].strip()
    sign = 1.0
    if text[:1] in NEGATIVE_MARKS:
        sign, text = -1.0, text[1:].strip()
    if text.endswith("%"):
        if not allow_percent:
            raise NotationError(f"{raw!r}: a percent sign is not allowed in this column")
        text = text[:-1].strip()
    if not _NUMBER.match(text):
        raise NotationError(
            f"{raw!r}: expected digits with optional thousands separators (1,234), "
            "a △/▲ negative, or a declared marker (x, …, -)"
        )
    return Cell(sign * float(text.replace(",", "")), status)


#: Unit words in headers and their factor to the base unit.
UNITS = {
    "円": ("JPY", 1.0),
    "千円": ("JPY", 1e3),
    "百万円": ("JPY", 1e6),
    "億円": ("JPY", 1e8),
    "兆円": ("JPY", 1e12),
    "千ドル": ("USD", 1e3),
    "千USD": ("USD", 1e3),
    "ドル": ("USD", 1.0),
    "USD": ("USD", 1.0),
    "KG": ("kg", 1.0),
    "kg": ("kg", 1.0),
    "T": ("kg", 1e3),
    "MT": ("kg", 1e3),
    "t": ("kg", 1e3),
    "トン": ("kg", 1e3),
}
_HEADER_UNIT = re.compile(r"^(?P<label>.*?)\s*[（(]\s*(?:単位\s*[:：]\s*)?(?P<unit>[^（）()]+?)\s*[)）]\s*$")


def header_unit(header: str) -> tuple[str, str | None, float | None, str | None]:
    """Split a header such as ``金額（千円）`` into label and unit.

    Returns
    -------
    tuple
        (label, unit as written, factor to the base unit, base unit); the unit
        parts are ``None`` when the header states no unit.

    Raises
    ------
    NotationError
        When the bracket holds a unit evalkit does not know.
    """
    text = unicodedata.normalize("NFKC", header).strip()
    m = _HEADER_UNIT.match(text)
    if not m:
        return text, None, None, None
    unit = m.group("unit").strip()
    if unit not in UNITS:
        raise NotationError(f"header {header!r}: unknown unit {unit!r}; known: {sorted(UNITS)}")
    base, factor = UNITS[unit]
    return m.group("label").strip(), unit, factor, base


ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_ERA = re.compile(r"^(?P<era>令和|平成|昭和|[RHS])\s*(?P<year>元|\d{1,2})\s*(?:年|\.)?\s*(?P<rest>.*)$")


def parse_period(raw: str) -> tuple[str, str]:
    """Read a year, fiscal year or month in Japanese or ISO notation.

    Returns
    -------
    tuple
        (ISO period, kind): ``("2024", "calendar_year")``,
        ``("FY2023", "fiscal_year")`` (April–March), ``("2024-03", "month")``.

    Raises
    ------
    NotationError
        For ambiguous or impossible periods (``2024-13``, ``24-03``, ``令和6``
        without 年 or 年度 is read as a calendar year only when followed by 年).

    Examples
    --------
    >>> parse_period("令和6年度")
    ('FY2024', 'fiscal_year')
    >>> parse_period("R6.3")
    ('2024-03', 'month')
    """
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    m = _ERA.match(text)
    if m:
        year = ERAS[m.group("era")] + (1 if m.group("year") == "元" else int(m.group("year")))
        rest = m.group("rest")
        if rest in ("度",) or text.endswith("年度"):
            return f"FY{year}", "fiscal_year"
        if rest == "" and "年" in text:
            return str(year), "calendar_year"
        month = re.fullmatch(r"(\d{1,2})月?", rest)
        if month and 1 <= int(month.group(1)) <= 12:
            return f"{year}-{int(month.group(1)):02d}", "month"
        raise NotationError(f"{raw!r}: cannot read the part after the era year ({rest!r})")
    if m2 := re.fullmatch(r"(\d{4})年度", text):
        return f"FY{m2.group(1)}", "fiscal_year"
    if m2 := re.fullmatch(r"FY(\d{4})", text):
        return f"FY{m2.group(1)}", "fiscal_year"
    if m2 := re.fullmatch(r"(\d{4})年?", text):
        return m2.group(1), "calendar_year"
    if m2 := re.fullmatch(r"(\d{4})(?:年|[-/.])(\d{1,2})月?", text):
        if 1 <= int(m2.group(2)) <= 12:
            return f"{m2.group(1)}-{int(m2.group(2)):02d}", "month"
    raise NotationError(
        f"{raw!r}: expected a year (2024, 令和6年), fiscal year (2023年度, FY2023) or month (2024-03, 2024年3月, R6.3)"
    )


def fiscal_year_of(day: dt.date) -> int:
    """Japanese fiscal year (April to March) containing ``day``."""
    return day.year if day.month >= 4 else day.year - 1
