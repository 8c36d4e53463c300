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
    status, out, _ = _run(
        capsys, "--source", "customs", "--path", str(FIX / "customs_hinbetsu_ok.csv"), "--product", "cloud_programs"
    )
    assert status == 0


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
