"""A hand-built SYNTHETIC BACI-like panel whose every flag is known in advance.

Importer J = 392, other importer K = 500, exporters A=4, B=8, C=12, D=16, E=20;
years 2020-2022; values in thousand USD. Each product isolates one criterion:
the other criteria hold clearly, so its flag turns on the one tested.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

J, K, A, B, C, D, E = 392, 500, 4, 8, 12, 16, 20
YEARS = (2020, 2021, 2022)
HS_MAP = Path(__file__).resolve().parents[1] / "fixtures" / "screening" / "hs_map_synthetic.csv"

# product -> expected (import_hhi, import_export_ratio, world_export_hhi) and whether dependent, every year
EXPECTED = {
    "100001": dict(import_hhi=1.0, ratio=9999.0, world=1.0, dependent=True),  # all criteria, clearly
    "110001": dict(import_hhi=0.405, ratio=9999.0, dependent=True),  # HHI just above 0.4
    "110002": dict(import_hhi=0.3992, ratio=9999.0, dependent=False),  # HHI just below 0.4
    "110003": dict(import_hhi=0.4, ratio=9999.0, dependent=False),  # HHI exactly 0.4 (> is strict)
    "120001": dict(import_hhi=1.0, ratio=round(100 / 99.9, 9), dependent=True),  # imports/exports just above 1
    "120002": dict(import_hhi=1.0, ratio=round(100 / 100.1, 9), dependent=False),  # just below 1
    "120003": dict(import_hhi=1.0, ratio=1.0, dependent=False),  # exactly 1
    "130001": dict(import_hhi=1.0, ratio=9999.0, world=0.405, dependent=True),  # world HHI just above 0.4
    "130002": dict(import_hhi=1.0, ratio=9999.0, world=0.3992, dependent=False),  # world HHI just below 0.4
    "150001": dict(import_hhi=0.5, ratio=9999.0, world=0.5, dependent=True),  # tie: top partner = lower code
    "010101": dict(import_hhi=1.0, ratio=9999.0, world=1.0, dependent=True),  # HS code written without its 0
}


def rows() -> list[tuple[int, int, int, str, float]]:
    """(t, i, j, k, v) rows of the panel."""
    out = []

    def add(year, exporter, importer, k, v):
        out.append((year, exporter, importer, k, v))

    for y in YEARS:
        add(y, A, J, "100001", 100.0)
        add(y, J, J, "100001", 1000.0)  # self-trade: must be ignored
        for k, vals in (("110001", (55, 25, 20)), ("110002", (54, 26, 20)), ("110003", (60, 10, 10, 10, 10))):
            for exporter, v in zip((A, B, C, D, E), vals):
                add(y, exporter, J, k, float(v))
            add(y, A, K, k, 10000.0)  # makes the world supply concentrated
        for k, exp in (("120001", 99.9), ("120002", 100.1), ("120003", 100.0)):
            add(y, A, J, k, 100.0)
            add(y, J, K, k, exp)
        add(y, A, J, "130001", 100.0)
        add(y, A, K, "130001", 450.0)
        add(y, B, K, "130001", 250.0)
        add(y, C, K, "130001", 200.0)
        add(y, A, J, "130002", 100.0)
        add(y, A, K, "130002", 440.0)
        add(y, B, K, "130002", 260.0)
        add(y, C, K, "130002", 200.0)
        add(y, B, J, "150001", 50.0)
        add(y, A, J, "150001", 50.0)
        add(y, A, J, "10101", 70.0)
    # persistence: 140001 dependent only in 2021; 140002 in 2020 and 2022; 140003 in 2020 and 2022, no trade in 2021
    for y in YEARS:
        if y == 2021:
            add(y, A, J, "140001", 100.0)
        else:
            for exporter in (A, B, C, D, E):
                add(y, exporter, J, "140001", 20.0)
        if y == 2021:
            for exporter in (A, B, C, D, E):
                add(y, exporter, J, "140002", 20.0)
        else:
            add(y, A, J, "140002", 100.0)
        if y != 2021:
            add(y, A, J, "140003", 100.0)
    return out


def split_rows() -> list[tuple[int, int, int, str, float]]:
    """The same flows with some written as several rows of one year × exporter × importer × product.

    BACI has one row per flow, but a folder holding a year twice, or another
    source, may not. Here every flow of 110001 and 150001 is split in two
    halves, one flow of 130001 into 70 and 30, and 100001 gains a partner
    whose two rows are both 0, which must not count as a partner. The screen
    of these rows must equal the screen of :func:`rows`. (No part is
    negative: the screen refuses a negative value, see ``test_checks``.)
    """
    out = []
    for t, i, j, k, v in rows():
        if k in ("110001", "150001"):
            out += [(t, i, j, k, v / 2), (t, i, j, k, v / 2)]
        elif k == "130001" and (i, j) == (A, J):
            out += [(t, i, j, k, v - 30.0), (t, i, j, k, 30.0)]
        else:
            out.append((t, i, j, k, v))
    for y in YEARS:
        out += [(y, B, J, "100001", 0.0), (y, B, J, "100001", 0.0)]
    return out


def frame(split: bool = False) -> pd.DataFrame:
    """The panel as a BACI-shaped DataFrame (k as text, q empty); ``split``: see :func:`split_rows`."""
    df = pd.DataFrame(split_rows() if split else rows(), columns=["t", "i", "j", "k", "v"])
    df["q"] = float("nan")
    return df


def write_csv(path: Path) -> Path:
    """Write the panel as a BACI CSV (header t,i,j,k,v,q); name says synthetic."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df = frame()
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("t,i,j,k,v,q\n")
        for r in df.itertuples(index=False):
            fh.write(f"{r.t},{r.i},{r.j},{r.k},{r.v},NA\n")
    return path


def write_parquet(path: Path, split: bool = False) -> Path:
    """Write the panel as Parquet with BACI columns; ``split``: see :func:`split_rows`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame(split).astype({"t": "int32", "i": "int32", "j": "int32"}).to_parquet(path, index=False)
    return path
