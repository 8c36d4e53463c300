"""``evalkit ingest`` on SYNTHETIC fixtures: normalised output with a valid sidecar, refusal of bad files."""

from __future__ import annotations

from pathlib import Path

import yaml

from evalkit.cli import main
from evalkit.data import read_table, validate_package
from evalkit.data.sidecar import sha256_of

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trade"


def test_ingest_each_source_writes_a_valid_table(project, capsys):
    cases = [
        ("customs", "customs_hinbetsu_ok.csv", []),
        ("baci", "baci_ok.csv", ["--country-codes", str(FIX / "baci_country_codes.csv")]),
        ("comtrade", "comtrade_ok.csv", []),
    ]
    for source, name, extra in cases:
        assert main(["ingest", source, str(FIX / name), *extra]) == 0
    written = sorted((project / "data" / "ingested").glob("*/trade.csv"))
    assert len(written) == 3
    for path in written:
        frame = read_table(path)
        meta = yaml.safe_load(path.with_name("trade.csv.meta.yaml").read_text())
        assert meta["rows"] == len(frame) and meta["sha256"] == sha256_of(path)
        assert meta["ingest"]["source_sha256"] == sha256_of(Path(meta["ingest"]["source_file"]))
        assert meta["date_accessed"]
        assert frame["hs"].str.fullmatch(r"\d+").all()
    customs = read_table(next(p for p in written if "customs" in str(p)))
    assert "010121000" in set(customs["hs"])
    _, problems = validate_package()
    assert problems == []


def test_ingest_refuses_malformed(project, capsys):
    assert main(["ingest", "baci", str(FIX / "baci_malformed.csv"), "--importer", "all"]) == 65
    err = capsys.readouterr().err
    assert "baci_malformed.csv:4, column 'k', value '10121'" in err
    assert not (project / "data" / "ingested").exists()
    assert main(["ingest", "customs", str(FIX / "nope.csv")]) == 66


def test_ingest_baci_accepts_a_folder_of_yearly_files(project, capsys, tmp_path):
    folder = tmp_path / "BACI_HS92_V202401b"
    folder.mkdir()
    lines = (FIX / "baci_ok.csv").read_text().splitlines()
    for year in ("2022", "2023"):
        body = [line for line in lines[1:] if line.startswith(year)]
        (folder / f"BACI_HS92_Y{year}_V202401b.csv").write_text("\n".join([lines[0], *body]) + "\n")
    (folder / "country_codes_V202401b.csv").write_bytes((FIX / "baci_country_codes.csv").read_bytes())
    assert main(["ingest", "baci", str(folder), "--importer", "392"]) == 0, capsys.readouterr().err
    written = next((project / "data" / "ingested").glob("baci-*/trade.csv"))
    frame = read_table(written)
    assert sorted(set(frame["year"])) == [2022, 2023] and set(frame["reporter"]) == {"JPN"}
    meta = yaml.safe_load(written.with_name("trade.csv.meta.yaml").read_text())
    assert "BACI_HS92_Y2022_V202401b.csv" in meta["source_reference"]
    assert main(["ingest", "baci", str(folder), "--importer", "XXX"]) == 2
    assert "'XXX'" in capsys.readouterr().err
