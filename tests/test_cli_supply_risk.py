"""``evalkit supply-risk`` on the real slice (rare earths and graphite): output formats, gaps and exit statuses."""

from __future__ import annotations

import csv
import io
import json

import pytest

from evalkit.cli import main


@pytest.fixture
def sliced(fetched_slice, tmp_path, monkeypatch):
    """EVALKIT_DATA pointing at a data folder whose fetched tables are the real slice."""
    data = tmp_path / "data"
    (data / "fetched").mkdir(parents=True)
    (data / "fetched" / fetched_slice.name).symlink_to(fetched_slice, target_is_directory=True)
    monkeypatch.setenv("EVALKIT_DATA", str(data))
    return data


def _run(capsys, *argv):
    status = main(["supply-risk", *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_json_rows_in_the_documented_columns(sliced, capsys):
    status, out, _ = _run(capsys, "--importer", "JPN", "--years", "2022-2022", "--commodity", "Rare earth")
    assert status == 0
    doc = json.loads(out)
    assert doc["importer"] == "JPN" and "World Mining Data" in doc["source"] and "BACI" in doc["source"]
    (row,) = doc["rows"]
    assert list(row)[:6] == [
        "wmd_commodity",
        "year",
        "production_hhi",
        "import_risk",
        "geopolrisk_score",
        "characterization_factor",
    ]
    assert row["wmd_commodity"] == "Rare earth" and row["year"] == 2022
    assert 0 < row["geopolrisk_score"] < 1 and row["gap"] == ""
    assert row["geopolrisk_score"] == pytest.approx(row["production_hhi"] * row["import_risk"], rel=1e-12)


def test_csv_one_row_per_commodity_and_year_and_gaps_are_empty_not_zero(sliced, capsys):
    status, out, _ = _run(capsys, "--years", "2022-2024", "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted({(r["wmd_commodity"], r["year"]) for r in rows}) == [
        (c, str(y)) for c in ("Graphite", "Rare earth") for y in (2022, 2023, 2024)
    ]
    for r in rows:
        assert (r["geopolrisk_score"] == "") == (r["gap"] != "")


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (("--importer", "XXX"), "'XXX'"),
        (("--commodity", "Unobtainium"), "'Unobtainium'"),
        (("--years", "2010-2012"), "'2010-2012'"),
        (("--years", "2024-2020"), "'2024-2020'"),
        (("--years", "last"), "'last'"),
    ],
)
def test_bad_input_is_exit_2_naming_value_and_valid_ones(sliced, capsys, argv, named):
    status, out, err = _run(capsys, *argv)
    assert status == 2 and out == ""
    assert named in err
    assert ("JPN" in err) or ("Rare earth" in err) or ("2018-2024" in err)


def test_missing_fetched_tables_is_exit_66(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EVALKIT_DATA", str(tmp_path / "empty"))
    status, out, err = _run(capsys)
    assert status == 66 and out == "" and "make data" in err
