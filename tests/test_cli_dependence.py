"""``evalkit dependence`` on SYNTHETIC fixtures: values to 1e-9, refusal of malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalkit.cli import main

FIX = Path(__file__).resolve().parent / "fixtures" / "trade"


def _run(capsys, *argv):
    status = main(["dependence", *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_customs_value_and_quantity_by_hand(capsys):
    status, out, _ = _run(
        capsys,
        "--source",
        "customs",
        "--path",
        str(FIX / "customs_hinbetsu_ok.csv"),
        "--hs",
        "280530",
        "--years",
        "2022-2022",
    )
    assert status == 0
    doc = json.loads(out)
    assert doc["importer"] == "JPN" and doc["hs"] == ["280530"]
    row = doc["rows"][0]
    assert abs(row["hhi"] - 0.42) < 1e-9 and abs(row["china_share"] - 0.6) < 1e-9
    assert row["top1_partner"] == "CHN" and abs(row["top3_share"] - 0.9) < 1e-9
    status, out, _ = _run(
        capsys,
        "--source",
        "customs",
        "--path",
        str(FIX / "customs_hinbetsu_ok.csv"),
        "--hs",
        "280530",
        "--years",
        "2022-2022",
        "--measure",
        "quantity",
    )
    row = json.loads(out)["rows"][0]
    assert abs(row["hhi"] - 0.455) < 1e-9 and row["unit"] == "t"


def test_baci_with_production_by_hand(capsys, tmp_path):
    prod = tmp_path / "production.csv"
    prod.write_text("product,year,value,unit,source\ncritical_minerals,2022,900,USD thousand,synthetic test\n")
    status, out, _ = _run(
        capsys,
        "--source",
        "baci",
        "--path",
        str(FIX / "baci_ok.csv"),
        "--product",
        "critical_minerals",
        "--years",
        "2022-2022",
        "--production",
        str(prod),
    )
    assert status == 0
    row = json.loads(out)["rows"][0]
    m = 600.5 + 200 + 100 + 100  # 'Areas, nes' (50) excluded
    assert abs(row["imports"] - m) < 1e-9
    assert abs(row["china_share"] - 600.5 / m) < 1e-9
    assert abs(row["self_sufficiency"] - 900 / (900 + m)) < 1e-9
    assert abs(row["top1_of_demand"] - 600.5 / (900 + m)) < 1e-9
    assert abs(row["dependence_top3_of_demand"] - (600.5 + 200 + 100) / (900 + m)) < 1e-9
    assert abs(row["import_reliance"] - m / (900 + m)) < 1e-9


def test_csv_output_and_published(capsys):
    status, out, _ = _run(
        capsys,
        "--source",
        "customs",
        "--path",
        str(FIX / "customs_hinbetsu_ok.csv"),
        "--hs",
        "280530",
        "--format",
        "csv",
    )
    assert status == 0 and out.splitlines()[0].startswith("year,imports,unit")
    status, out, _ = _run(capsys, "--source", "published", "--product", "natural_gas")
    assert status == 0 and any(r["series_id"] == "lng_import_volume_fy_mof" for r in json.loads(out)["rows"])
    # cloud programs' only goods code (8471.50, advanced computers) has no row in the file: a stated gap, not an
    # empty success (this exited 0 with no rows before)
    status, out, err = _run(
        capsys, "--source", "customs", "--path", str(FIX / "customs_hinbetsu_ok.csv"), "--product", "cloud_programs"
    )
    assert status == 66 and out == "" and "847150" in err


@pytest.mark.parametrize(
    "name,source,expect",
    [
        ("baci_malformed.csv", "baci", "baci_malformed.csv:4, column 'k', value '10121'"),
        ("baci_malformed.csv", "baci", "baci_malformed.csv:5, column 'v', value '-200'"),
        ("baci_missing_column.csv", "baci", "baci_missing_column.csv:1"),
        (
            "customs_hinbetsu_malformed.csv",
            "customs",
            "customs_hinbetsu_malformed.csv:4, column 'HS', value '10121000'",
        ),
    ],
)
def test_refuses_malformed(capsys, name, source, expect):
    status, _, err = _run(capsys, "--source", source, "--path", str(FIX / name), "--hs", "01,28")
    assert status == 65
    assert expect in err


def test_usage_errors(capsys):
    assert _run(capsys, "--source", "customs", "--hs", "28")[0] == 2
    assert (
        _run(
            capsys,
            "--source",
            "customs",
            "--path",
            str(FIX / "customs_hinbetsu_ok.csv"),
            "--hs",
            "28",
            "--years",
            "20x2",
        )[0]
        == 2
    )


# --------------------------------------------------------------------------------------------------
# Bad inputs that used to give an empty success (each test failed before the fix)


@pytest.fixture
def baci_dir(tmp_path):
    """baci_ok.csv with its country codes beside it (SYNTHETIC)."""
    for name in ("baci_ok.csv", "baci_country_codes.csv"):
        (tmp_path / name).write_bytes((FIX / name).read_bytes())
    return tmp_path


def _baci(capsys, folder, *argv):
    return _run(capsys, "--source", "baci", "--path", str(folder / "baci_ok.csv"), *argv)


@pytest.mark.parametrize("code", ["392", "jpn", "Jpn", "JPN"])
def test_importer_as_baci_number_or_iso3_in_any_case(capsys, baci_dir, code):
    status, out, _ = _baci(capsys, baci_dir, "--hs", "280530", "--years", "2022-2022", "--importer", code)
    assert status == 0
    doc = json.loads(out)
    assert doc["importer"] == "JPN" and doc["importer_code"] == 392
    row = doc["rows"][0]
    assert abs(row["imports"] - 1000.5) < 1e-9 and abs(row["china_share"] - 600.5 / 1000.5) < 1e-9


@pytest.mark.parametrize("code", ["XXX", "999", "japan"])
def test_unknown_importer_is_a_usage_error_naming_the_code_list(capsys, baci_dir, code):
    status, out, err = _baci(capsys, baci_dir, "--hs", "280530", "--importer", code)
    assert status == 2 and out == ""
    assert repr(code) in err and "baci_country_codes.csv" in err


def test_an_importer_with_no_rows_is_a_stated_gap(capsys, baci_dir):
    status, out, err = _baci(capsys, baci_dir, "--hs", "280530", "--importer", "AUS")
    assert status == 66 and out == ""
    assert "AUS" in err and "280530" in err and "no imports" in err


@pytest.mark.parametrize(
    "argv,expect",
    [
        (["--hs", "999999"], "999999"),
        (["--hs", "280530", "--years", "2030-2031"], "2030-2031"),
        (["--product", "fertilizer"], "310530"),
    ],
)
def test_codes_or_years_with_no_rows_are_a_stated_gap(capsys, baci_dir, argv, expect):
    status, out, err = _baci(capsys, baci_dir, *argv)
    assert status == 66 and out == ""
    assert expect in err


def test_codes_without_rows_are_listed_beside_the_rows(capsys, baci_dir):
    status, out, _ = _baci(capsys, baci_dir, "--hs", "280530,999999")
    assert status == 0
    doc = json.loads(out)
    assert doc["codes_without_rows"] == ["999999"] and doc["rows"]


def test_customs_is_japan_only(capsys):
    path = str(FIX / "customs_hinbetsu_ok.csv")
    status, _, err = _run(capsys, "--source", "customs", "--path", path, "--hs", "280530", "--importer", "USA")
    assert status == 2 and "Japan" in err
    assert _run(capsys, "--source", "customs", "--path", path, "--hs", "280530", "--importer", "jpn")[0] == 0


def _yearly_folder(tmp_path):
    """baci_ok.csv cut into one BACI_HS92_Yyyyy_V202401b.csv per year, the code lists beside (SYNTHETIC)."""
    folder = tmp_path / "BACI_HS92_V202401b"
    folder.mkdir()
    lines = (FIX / "baci_ok.csv").read_text().splitlines()
    for year in ("2022", "2023"):
        body = [line for line in lines[1:] if line.startswith(year)]
        (folder / f"BACI_HS92_Y{year}_V202401b.csv").write_text("\n".join([lines[0], *body]) + "\n")
    (folder / "country_codes_V202401b.csv").write_bytes((FIX / "baci_country_codes.csv").read_bytes())
    return folder


def test_dependence_reads_a_folder_of_yearly_baci_files(capsys, tmp_path):
    folder = _yearly_folder(tmp_path)
    status, out, err = _run(capsys, "--source", "baci", "--path", str(folder), "--hs", "280530")
    assert status == 0, err
    doc = json.loads(out)
    assert [r["year"] for r in doc["rows"]] == [2022, 2023] and doc["hs_revision"] == "HS92"
    assert abs(doc["rows"][1]["imports"] - 800) < 1e-9  # 2023: China 400 + Taiwan (490) 400


def test_a_year_twice_in_a_folder_is_refused(capsys, tmp_path):
    folder = _yearly_folder(tmp_path)
    copy = (folder / "BACI_HS92_Y2022_V202401b.csv").read_text()
    (folder / "BACI_HS92_Y2022_V202401c.csv").write_text(copy)
    status, _, err = _run(capsys, "--source", "baci", "--path", str(folder), "--hs", "280530")
    assert status == 65 and "2022" in err and "BACI_HS92_Y2022_V202401c.csv" in err


def test_product_codes_follow_the_panels_hs_revision(capsys, tmp_path):
    """A HS 1992 file: germanium is 8112.30 there (HS 2022 has no such code), so it must be selected."""
    folder = tmp_path / "hs92"
    folder.mkdir()
    (folder / "BACI_HS92_Y2005_V202401b.csv").write_text(
        "t,i,j,k,v,q\n2005,156,392,811230,300,1\n2005,36,392,260200,100,9\n"
    )
    (folder / "country_codes_V202401b.csv").write_bytes((FIX / "baci_country_codes.csv").read_bytes())
    status, out, err = _run(capsys, "--source", "baci", "--path", str(folder), "--product", "critical_minerals")
    assert status == 0, err
    doc = json.loads(out)
    assert doc["hs_revision"] == "HS92" and "811230" in doc["hs"] and "810520" not in doc["hs"]
    assert abs(doc["rows"][0]["imports"] - 400) < 1e-9 and abs(doc["rows"][0]["china_share"] - 0.75) < 1e-9


def test_baci_without_path_uses_the_fetched_extract(capsys, fetched_slice, monkeypatch):
    from evalkit.data import fetched

    real = fetched.table_path
    monkeypatch.setattr(fetched, "table_path", lambda name, *a, **k: fetched_slice / fetched.TABLES[name])
    status, out, err = _run(capsys, "--source", "baci", "--hs", "280530,284690", "--years", "2010-2010")
    monkeypatch.setattr(fetched, "table_path", real)
    assert status == 0, err
    doc = json.loads(out)
    assert doc["importer"] == "JPN" and doc["hs_revision"] == "HS92" and doc["panel"].endswith("baci_trade.parquet")
    assert [r["year"] for r in doc["rows"]] == [2010] and doc["rows"][0]["china_share"] > 0.5


def test_years_without_rows_and_quantity_coverage_are_stated(capsys, baci_dir):
    status, out, _ = _baci(capsys, baci_dir, "--hs", "280530", "--years", "2021-2023", "--measure", "quantity")
    assert status == 0
    doc = json.loads(out)
    assert doc["years_without_rows"] == [2021] and [r["year"] for r in doc["rows"]] == [2022, 2023]
    # 2022: Malaysia's 100 thousand USD has no quantity (NA), so it is left out of the quantity basis
    assert abs(doc["rows"][0]["quantity_coverage"] - (1000.5 - 100) / 1000.5) < 1e-12
    assert abs(doc["rows"][1]["quantity_coverage"] - 1.0) < 1e-12
