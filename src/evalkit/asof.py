"""Which rows of a compiled table an as-of date may use.

Tables in ``data/raw/compiled/compiled-*/`` are compiled on one day but their
rows describe events on many days; each row carries its own date, or only a
bound on it. The rule, stated once here and quoted by every report that
applies it:

* ``as_of="latest"``: every row counts, dated or not;
* a dated ``as_of``: a row counts when its date is on or before ``as_of``;
  a row without an exact date counts only when its *upper bound* is on or
  before ``as_of`` (it is then known to precede it); a row with no date and
  no upper bound is left out, because it cannot be shown to precede ``as_of``.

This is the same principle as :mod:`evalkit.data.catalogue` applies to undated
releases: evalkit never places an undated event before a date.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evalkit.data.catalogue import LATEST, parse_as_of

RULE = (
    "Rows are filtered by their own dates: for a dated as-of, a row counts when its date (or, if only a bound "
    "is known, its upper bound) is on or before the as-of; undated rows without an upper bound are left out. "
    "For 'latest' every row counts."
)


def present(value) -> bool:
    """True when a cell holds a value (not None, NaN, NA or empty text)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return False
    return value != ""


def _day(value) -> dt.date | None:
    if not present(value):
        return None
    return dt.date.fromisoformat(str(value)[:10])


def row_known_by(date, upper, as_of: str) -> bool:
    """Whether a row dated ``date`` (or bounded above by ``upper``) counts at ``as_of``.

    Parameters
    ----------
    date, upper : str or None
        ISO date of the row, and an upper bound when the exact date is unknown.
    as_of : str
        ``latest`` or an ISO date.

    Returns
    -------
    bool
    """
    as_of = parse_as_of(as_of)
    if as_of == LATEST:
        return True
    limit = dt.date.fromisoformat(as_of)
    known = _day(date) or _day(upper)
    return known is not None and known <= limit


def filter_rows(frame: pd.DataFrame, as_of: str, *, date: str = "date", upper: str | None = None) -> pd.DataFrame:
    """Rows of ``frame`` that count at ``as_of`` (see module rule); attrs kept.

    Parameters
    ----------
    frame : pandas.DataFrame
    as_of : str
    date : str
        Column with the row's exact date.
    upper : str, optional
        Column with an upper bound used when ``date`` is empty.
    """
    keep = [row_known_by(r.get(date), r.get(upper) if upper else None, as_of) for r in frame.to_dict("records")]
    out = frame[pd.Series(keep, index=frame.index, dtype=bool)].copy()
    out.attrs.update(frame.attrs)
    return out


def fiscal_year_of(day: dt.date) -> int:
    """Japanese fiscal year (April-March) containing ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_limit(as_of: str) -> int | None:
    """Last fiscal year an as-of date may use (``None`` for latest = no limit)."""
    as_of = parse_as_of(as_of)
    return None if as_of == LATEST else fiscal_year_of(dt.date.fromisoformat(as_of))
