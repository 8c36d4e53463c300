"""Per-importer concentration from a BACI panel, against a hand computation on the real slice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit import trade_panel

RARE_EARTHS = ["280530", "284690"]


@pytest.fixture(scope="module")
def panel(fetched_slice):
    return fetched_slice / "baci_trade.parquet"


def _by_hand(panel, importer: int, year: int, measure: str) -> pd.Series:
    """Shares computed directly from the rows, with pandas only: the independent oracle."""
    import pyarrow.parquet as pq

    rows = pq.read_table(panel).to_pandas()
    rows = rows[(rows["j"] == importer) & (rows["t"] == year) & rows["k"].isin(RARE_EARTHS)]
    col = "v" if measure == "value" else "q"
    rows = rows.dropna(subset=[col])
    by = rows.groupby("i")[col].sum()
    return by / by.sum()


@pytest.mark.parametrize("measure", ["value", "quantity"])
@pytest.mark.parametrize("importer,year", [(392, 2010), (392, 2024), (410, 2011), (842, 2012)])
def test_indicators_equal_a_hand_computation(panel, importer, year, measure):
    shares = _by_hand(panel, importer, year, measure)
    out = trade_panel.importer_year(RARE_EARTHS, measure=measure, importers=[importer], years=(year, year), panel=panel)
    assert len(out) == 1
    row = out.iloc[0]
    assert row["hhi"] == pytest.approx(float((shares**2).sum()), rel=1e-12)
    assert row["n_eff"] == pytest.approx(1 / float((shares**2).sum()), rel=1e-12)
    assert row["top1_share"] == pytest.approx(float(shares.max()), rel=1e-12)
    assert row["named_share"] == pytest.approx(float(shares.get(156, 0.0)), rel=1e-12)
    assert row["top3_share"] == pytest.approx(float(np.sort(shares.to_numpy())[::-1][:3].sum()), rel=1e-12)
    assert row["n_partners"] == int((shares > 0).sum())
    assert row["unit"] == ("USD thousand" if measure == "value" else "t")


def test_every_importer_and_year_of_the_slice(panel):
    out = trade_panel.importer_year(RARE_EARTHS, panel=panel)
    assert {392, 410, 842, 276} <= set(out["importer"])
    assert set(out[out["importer"] == 392]["year"]) == {2008, 2009, 2010, 2011, 2012, 2022, 2023, 2024}
    assert out["importer_iso3"].notna().all()
    assert (out["hhi"] <= out["top1_share"] + 1e-12).all() and (out["top1_share"] ** 2 <= out["hhi"] + 1e-12).all()
    assert "derived by evalkit" in out.attrs["source"]


def test_quantity_coverage_is_the_value_share_with_a_quantity(panel):
    out = trade_panel.importer_year(RARE_EARTHS, measure="quantity", panel=panel)
    assert out["quantity_coverage"].between(0, 1).all()


def test_codes_must_be_six_digits(panel):
    from evalkit.errors import UsageError

    with pytest.raises(UsageError, match="6-digit"):
        trade_panel.importer_year(["28053"], panel=panel)


def test_a_folder_of_yearly_csv_files_gives_the_same_indicators(panel, tmp_path):
    """The slice written as BACI_HS92_Yyyyy_V202401b.csv files, as CEPII ships a release."""
    import pyarrow.parquet as pq

    rows = pq.read_table(panel).to_pandas()
    folder = tmp_path / "BACI_HS92_V202401b"
    folder.mkdir()
    for year, grp in rows.groupby("t"):
        grp.to_csv(folder / f"BACI_HS92_Y{year}_V202401b.csv", index=False, na_rep="NA")
    (folder / "country_codes_V202401b.csv").write_bytes((panel.parent / "country_codes_V202401b.csv").read_bytes())
    one = trade_panel.importer_year(RARE_EARTHS, measure="quantity", importers=[392], panel=panel)
    many = trade_panel.importer_year(RARE_EARTHS, measure="quantity", importers=[392], panel=folder)
    cols = ["year", "imports", "hhi", "top1_partner", "named_share", "quantity_coverage"]
    pd.testing.assert_frame_equal(one[cols], many[cols], check_exact=False, rtol=1e-12)
    assert "BACI_HS92_V202401b (8 files" in many.attrs["source"]


def test_a_panel_held_in_memory_answers_exactly_as_one_read_from_disk(panel, monkeypatch):
    """Small panels are loaded once per process (``RESIDENT_MAX_BYTES``); the answer must not depend on it."""
    cases = [(RARE_EARTHS, None, None), (RARE_EARTHS, [392, 410], (2010, 2014)), (["250410", "250490"], [392], None)]
    held = [trade_panel.partner_flows(c, importers=i, years=y, panel=panel) for c, i, y in cases]
    assert trade_panel._resident((str(panel),), trade_panel._stamps([panel]), "parquet") is not None, (
        "the slice should be held in memory"
    )
    monkeypatch.setattr(trade_panel, "RESIDENT_MAX_BYTES", 0)
    trade_panel._resident.cache_clear()
    for (c, i, y), frame in zip(cases, held):
        pd.testing.assert_frame_equal(trade_panel.partner_flows(c, importers=i, years=y, panel=panel), frame)
    trade_panel._resident.cache_clear()


def test_a_panel_changed_on_disk_is_not_answered_from_memory(panel, tmp_path):
    import pyarrow.parquet as pq

    copy = tmp_path / "baci_trade.parquet"
    copy.write_bytes(panel.read_bytes())
    (tmp_path / "country_codes_V202401b.csv").write_bytes((panel.parent / "country_codes_V202401b.csv").read_bytes())
    before = trade_panel.partner_flows(RARE_EARTHS, importers=[392], panel=copy)
    rows = pq.read_table(copy).to_pandas()
    pq.write_table(pa_table(rows[rows["t"] != 2024]), copy)
    after = trade_panel.partner_flows(RARE_EARTHS, importers=[392], panel=copy)
    assert 2024 in set(before["year"]) and 2024 not in set(after["year"])


def pa_table(frame):
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)
