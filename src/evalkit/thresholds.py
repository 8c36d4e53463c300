"""The cut-offs evalkit applies, read from their one home, ``data/reference/thresholds.csv``.

Each row holds a value, its unit, the rule it belongs to and the publication it comes from (European
Commission SWD(2021) 352 and CEPII GeoDep for the dependence screen; the EU Critical Raw Materials Act,
Regulation (EU) 2024/1252 Art. 5(1), for the single-country benchmark). The screen's
:class:`~evalkit.screening.Thresholds`, the ``evalkit screen`` option defaults, notebook 60's parameters
and the tests in :mod:`evalkit.indicators` all take their defaults from here, so a cut-off is changed, and
its source cited, in one place. See docs/methodology.md, "Screening criteria" and "Concentration".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from evalkit.data import read_table, reference_path

#: Cut-offs that count years, returned as ``int``.
WHOLE = ("persistence_k", "persistence_n")


@lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple[int, int]) -> pd.DataFrame:
    return read_table(path).set_index("name")


def table() -> pd.DataFrame:
    """The reference table, indexed by ``name`` (value, unit, applies_to, criterion_en/ja, source, url, ...)."""
    path = reference_path("thresholds")
    st = path.stat()
    return _read(path, (st.st_mtime_ns, st.st_size))


def _row(name: str) -> pd.Series:
    frame = table()
    if name not in frame.index:
        from evalkit.errors import UsageError

        raise UsageError(f"threshold {name!r}: not in data/reference/thresholds.csv (known: {sorted(frame.index)})")
    return frame.loc[name]


def value(name: str) -> float | int:
    """The cut-off ``name`` (``import_hhi``, ``crma_single_country``, ...), as ``int`` for year counts.

    Raises
    ------
    UsageError
        ``name`` is not in the reference table.
    """
    v = float(_row(name)["value"])
    return int(v) if name in WHOLE else v


def source(name: str) -> str:
    """Where the cut-off ``name`` comes from, with the methodology section that explains it."""
    row = _row(name)
    note = row.get("note")
    return f"{row['source']} ({note})" if isinstance(note, str) and note else str(row["source"])
