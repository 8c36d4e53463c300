"""The SYNTHETIC panel generator: labelled, seeded, exact size, skewed shares."""

from __future__ import annotations

import hashlib

import duckdb
import pyarrow.parquet as pq
import pytest

from evalkit.screening import synthetic


def test_seeded_exact_size_and_labelled(tmp_path):
    a = synthetic.generate(tmp_path / "a", 30_000, seed=3, n_countries=30, n_products=400)
    b = synthetic.generate(tmp_path / "b", 30_000, seed=3, n_countries=30, n_products=400)
    assert "synthetic" in a.name and a.name == synthetic.file_name(30_000, 3)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    assert pq.read_metadata(a).num_rows == 30_000
    assert b"SYNTHETIC" in pq.read_schema(a).metadata[b"evalkit.synthetic"]


def test_csv_gets_a_note_beside_it_and_names_must_say_synthetic(tmp_path):
    path = synthetic.generate(tmp_path / "baci_synthetic_small.csv", 1_000, seed=1, n_countries=20, n_products=50)
    assert path.read_text().startswith('"t","i","j","k","v","q"') or path.read_text().startswith("t,i,j,k")
    assert "SYNTHETIC" in (tmp_path / "baci_synthetic_small.csv.SYNTHETIC.txt").read_text()
    with pytest.raises(ValueError):
        synthetic.generate(tmp_path / "baci_real.parquet", 10)


def test_partner_shares_are_skewed(tmp_path):
    path = synthetic.generate(tmp_path, 50_000, seed=9, n_countries=60, n_products=500)
    top = duckdb.sql(f"""
        SELECT max(v) / sum(v) AS top1 FROM '{path}' GROUP BY t, j, k HAVING count(*) >= 3""").fetchnumpy()["top1"]
    assert (top > 0.5).mean() > 0.2 and (top < 0.3).mean() > 0.05  # concentrated and diversified products
    assert duckdb.sql(f"SELECT count(*) FROM '{path}' WHERE i = j").fetchall()[0][0] == 0
