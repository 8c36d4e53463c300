"""The data package: which files exist, and which release serves an as-of date.

Releases live in ``data/raw/<producer>/<release>/``. A release folder is named
by the date its figures describe (``2024-10-31``) or, when the source states
no date, by what is known (``undated-after-2024-10-31``). evalkit never turns
an undated release into a dated one:

* ``as_of="latest"`` takes the newest release, and an undated release counts
  as newer than the dated release it is known to follow;
* ``as_of="YYYY-MM-DD"`` takes the newest *dated* release on or before that
  date, because an undated release cannot be shown to precede it.

A third form, ``compiled-YYYY-MM-DD``, holds tables compiled from many public
sources on that date whose *rows* carry their own dates (plan approvals,
budget lines, published shares). Such a release serves every as-of; the
functions that read it filter rows by their own dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from evalkit.errors import MissingInputError, UsageError
from evalkit.paths import data_dir, relative

_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNDATED = re.compile(r"^undated-after-(\d{4}-\d{2}-\d{2})$")
_COMPILED = re.compile(r"^compiled-(\d{4}-\d{2}-\d{2})$")
LATEST = "latest"


@dataclass(frozen=True, order=True)
class Release:
    """A release folder of one producer.

    Attributes
    ----------
    sort_key : tuple
        (lower-bound date, 1 if undated else 0): undated sorts after its bound.
    name : str
        Folder name, e.g. ``2024-10-31`` or ``undated-after-2024-10-31``.
    date : datetime.date or None
        The as-of date, ``None`` when the source states none.
    after : datetime.date or None
        For an undated release, the date it is known to be later than.
    """

    sort_key: tuple
    name: str
    date: dt.date | None
    after: dt.date | None
    compiled: dt.date | None = None

    @property
    def label(self) -> str:
        """Human-readable as-of: the date, or 'undated (after YYYY-MM-DD)'."""
        if self.compiled:
            return f"compiled {self.compiled.isoformat()} (rows carry their own dates)"
        return self.date.isoformat() if self.date else f"undated (after {self.after.isoformat()})"


def parse_release(name: str) -> Release | None:
    """Parse a release folder name; ``None`` if it is not one."""
    if _DATED.match(name):
        try:
            day = dt.date.fromisoformat(name)
        except ValueError:
            return None
        return Release((day, 0), name, day, None)
    m = _UNDATED.match(name)
    if m:
        try:
            after = dt.date.fromisoformat(m.group(1))
        except ValueError:
            return None
        return Release((after, 1), name, None, after)
    m = _COMPILED.match(name)
    if m:
        try:
            day = dt.date.fromisoformat(m.group(1))
        except ValueError:
            return None
        return Release((day, 2), name, None, None, day)
    return None


#: Time zone of "today" for the future-date check: the programme's documents are dated in Japan.
JST = dt.timezone(dt.timedelta(hours=9), "JST")


def today() -> dt.date:
    """Today's date in Japan (JST), the latest day an as-of may name."""
    return dt.datetime.now(JST).date()


def _calendar_problem(value: str) -> str:
    """Why a ``YYYY-MM-DD`` text is not a day of the calendar (month or day out of range)."""
    import calendar

    year, month, day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    if year < 1:
        return "there is no year 0000"
    last = calendar.monthrange(year, month)[1]
    return f"the day {value} does not exist ({calendar.month_name[month]} {year} has {last} days)"


def parse_as_of(value: str) -> str:
    """Check an as-of argument: ``latest``, or a real ISO date no later than today.

    Parameters
    ----------
    value : str
        ``latest`` or ``YYYY-MM-DD``.

    Returns
    -------
    str
        ``value`` unchanged.

    Raises
    ------
    UsageError
        If ``value`` is not ``latest`` or ``YYYY-MM-DD`` text; if it is such
        text but names no day of the calendar (``2024-02-30``, month 13); or
        if the day is later than today in Japan (see :func:`today`): a report
        cannot state what was known on a day that has not come, and publishing
        one would label old data with a later date.

    Examples
    --------
    >>> parse_as_of("2024-10-31")
    '2024-10-31'
    """
    if value == LATEST:
        return value
    if not (isinstance(value, str) and _DATED.match(value)):
        raise UsageError(f"as_of={value!r}: expected 'latest' or a date YYYY-MM-DD (e.g. 2024-10-31)")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"as_of={value!r}: {_calendar_problem(value)}; expected 'latest' or a real date YYYY-MM-DD"
        ) from None
    now = today()
    if day > now:
        raise UsageError(
            f"as_of={value!r} is later than today ({now.isoformat()} in Japan): a report can only state what was "
            "known on a day that has come. Use --as-of latest for the newest data, or a date up to today"
        )
    return value


def data_files(root: Path | None = None) -> list[Path]:
    """Every data file of the package (CSV and Parquet), sorted; staging folders (``.name``) are skipped."""
    base = root or data_dir()
    found = [p for pattern in ("*.csv", "*.parquet") for p in base.rglob(pattern) if p.is_file()]
    return sorted(p for p in found if not any(part.startswith(".") for part in p.relative_to(base).parts[:-1]))


def releases(producer: str, table: str) -> list[Release]:
    """Releases of ``producer`` that contain ``<table>.csv``, oldest first."""
    base = data_dir() / "raw" / producer
    found = []
    if base.is_dir():
        for folder in base.iterdir():
            rel = parse_release(folder.name)
            if rel and (folder / f"{table}.csv").is_file():
                found.append(rel)
    return sorted(found)


def release_for(producer: str, table: str, as_of: str) -> Release:
    """The release of ``<producer>/<table>`` that serves ``as_of``.

    Parameters
    ----------
    producer : str
        Producer folder, e.g. ``cao``.
    table : str
        File stem, e.g. ``approvals_by_product``.
    as_of : str
        ``latest`` or an ISO date.

    Returns
    -------
    Release

    Raises
    ------
    MissingInputError
        When no release qualifies.
    """
    as_of = parse_as_of(as_of)
    candidates = releases(producer, table)
    if as_of != LATEST:
        day = dt.date.fromisoformat(as_of)
        candidates = [r for r in candidates if r.compiled or (r.date is not None and r.date <= day)]
    if not candidates:
        raise MissingInputError(
            f"no release of data/raw/{producer}/*/{table}.csv serves as_of={as_of} "
            f"(releases: {[r.name for r in releases(producer, table)] or 'none'})"
        )
    return candidates[-1]


def table_path(producer: str, table: str, as_of: str) -> Path:
    """Path of the file that serves ``as_of`` (see :func:`release_for`)."""
    rel = release_for(producer, table, as_of)
    return data_dir() / "raw" / producer / rel.name / f"{table}.csv"


def reference_path(table: str) -> Path:
    """Path of ``data/reference/<table>.csv``; raise if absent."""
    path = data_dir() / "reference" / f"{table}.csv"
    if not path.is_file():
        raise MissingInputError(f"{relative(path)}: reference table not found")
    return path
