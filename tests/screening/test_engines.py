"""The distributed backend (PySpark, local mode) gives the same result as DuckDB.

Runs Spark in local mode on two small SYNTHETIC panels: the hand-built one and
a generated one (every importer). Flags, codes, counts and exact integer-based
values must be identical; HHIs (floating-point sums of squares) equal to 1e-12.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit.screening import screen, synthetic
from tests.screening import panels

pytest.importorskip("pyspark")

EXACT = [
    "importer",
    "hs6",
    "year",
    "imports",
    "n_partners",
    "top1_partner",
    "top1_share",
    "exports",
    "import_export_ratio",
    "world_exports",
    "demand_share",
    "c_import_hhi",
    "c_demand_share",
    "c_import_export",
    "c_world_export_hhi",
    "dependent",
    "dependent_years_in_window",
    "window_complete",
    "persistent",
    "designated_products",
    "designated",
]


@pytest.fixture(scope="module")
def spark():
    import os

    os.environ.setdefault("EVALKIT_SPARK_MASTER", "local[2]")
    os.environ.setdefault("EVALKIT_SPARK_PARTITIONS", "2")
    from evalkit.screening.engine import spark_session

    session = spark_session()
    yield session
    session.stop()


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert len(a) == len(b)
    pd.testing.assert_frame_equal(a[EXACT], b[EXACT], check_exact=True)
    for col in ("import_hhi", "world_export_hhi"):
        assert np.allclose(a[col], b[col], rtol=0, atol=1e-12), col


def test_spark_gives_the_same_screen_as_duckdb(spark, tmp_path):
    # One Spark run over a folder holding both panels (the hand-built one and a generated one): Spark's fixed
    # cost per job dominates at this size, so one run keeps the test short. The hand-built panel is written
    # with some flows split over several rows, so both ways of summing partners run on each engine.
    folder = tmp_path / "panel_synthetic"
    panels.write_parquet(folder / "baci_synthetic_hand.parquet", split=True)
    synthetic.generate(folder, 20_000, seed=5, n_countries=40, n_products=300, years=(2020, 2021, 2022))
    kwargs = dict(importer="all", years="2020-2022", hs_map=panels.HS_MAP)
    duck = screen(folder, **kwargs)
    assert duck["dependent"].any() and (~duck["dependent"]).any() and duck["persistent"].any()
    assert duck["designated"].any() and set(panels.EXPECTED) <= set(duck["hs6"])
    _same(duck, screen(folder, engine="spark", **kwargs))


def test_spark_refuses_bad_rows_naming_line_or_row(spark, tmp_path, capsys):
    # The checks run in the same aggregate query on Spark; where the problem is, is named as on DuckDB.
    from evalkit.cli import main
    from evalkit.errors import DataValidationError
    from tests.screening.test_checks import GOOD, write_csv, write_parquet

    csv_panel = write_csv(tmp_path / "baci_synthetic_negative.csv", [*GOOD, (2019, 842, 392, "280530", -50.0, 5.0)])
    out = tmp_path / "screen.parquet"
    status = main(
        ["screen", "--baci", str(csv_panel), "--importer", "JPN", "--years", "2019-2019", "--engine", "spark"]
    )
    status_out = main(
        [
            "screen",
            "--baci",
            str(csv_panel),
            "--importer",
            "all",
            "--years",
            "2019",
            "--engine",
            "spark",
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert status == status_out == 65 and not out.exists()
    assert "baci_synthetic_negative.csv:5, column 'v', value '-50.0'" in err
    nan_panel = write_parquet(
        tmp_path / "baci_synthetic_nan.parquet", [*GOOD, (2019, 842, 392, "280530", 9.0, float("nan"))]
    )
    with pytest.raises(DataValidationError) as caught:
        screen(nan_panel, importer="JPN", years="2019-2019", engine="spark")
    assert [(p.line, p.column, p.rule) for p in caught.value.problems] == [(4, "q", "q:not-finite")]
