"""Trade loaders on SYNTHETIC fixtures in the exact published formats (tests/fixtures/trade)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit import indicators as ind
from evalkit.data import trade
from evalkit.data.baci import read_baci, read_country_codes, read_product_codes
from evalkit.data.comtrade import read_comtrade
from evalkit.data.customs import read_customs
from evalkit.errors import DataValidationError

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "trade"


def _rules(exc):
    return {(p.line, p.column, p.rule) for p in exc.value.problems}


@pytest.mark.parametrize("name", ["customs_hinbetsu_ok.csv", "customs_hinbetsu_ok_bom.csv"])
def test_customs_ok_and_hand_computed_indicators(name):
    frame = read_customs(FIX / name)
    assert frame["hs"].map(len).eq(9).all()
    assert "010121000" in set(frame["hs"])  # leading zero kept
    assert frame.loc[frame["partner"] == "105", "partner_iso3"].iloc[0] == "CHN"
    assert frame.loc[frame["partner"] == "601", "partner_iso3"].isna().all()  # not in the shipped table
    assert set(frame["value_unit"]) == {"JPY thousand"}
    sel = frame[(frame["flow"] == "import") & (frame["year"] == 2022)]
    by_value = ind.concentration(sel, measure="value").iloc[0]
    assert by_value["hhi"] == pytest.approx(0.42, abs=1e-9)
    assert by_value["named_share"] == pytest.approx(0.6, abs=1e-9)
    assert by_value["top1_partner"] == "105"
    by_qty = ind.concentration(sel, measure="quantity").iloc[0]
    assert by_qty["imports"] == pytest.approx(100.0)  # kg -> t
    assert by_qty["hhi"] == pytest.approx(0.455, abs=1e-9)
    monthly = read_customs(FIX / name, monthly=True)
    assert (
        monthly.groupby(["year", "flow", "hs", "partner"])["value"].sum().loc[(2022, "import", "280530000", "105")]
        == 600
    )


def test_customs_malformed_reports_every_problem():
    with pytest.raises(DataValidationError) as exc:
        read_customs(FIX / "customs_hinbetsu_malformed.csv")
    got = _rules(exc)
    assert (3, "Exp or Imp,Year,HS,Country", "primary-key:duplicate") in got
    assert (4, "HS", "hs:leading-zeros") in got
    assert (5, "Value-Year", "amount>=0") in got
    assert (6, None, "row:ragged") in got
    assert (7, "Country", "country:code") in got
    assert "customs_hinbetsu_malformed.csv:4" in str(exc.value)


def test_customs_bad_encoding_and_cp932():
    with pytest.raises(DataValidationError) as exc:
        read_customs(FIX / "customs_hinbetsu_bad_encoding.csv")
    assert exc.value.problems[0].rule == "encoding" and exc.value.problems[0].line == 2
    text, enc, problem = trade.decode("品目,数量\n".encode("cp932"), "x.csv", encodings=("utf-8-sig", "cp932"))
    assert enc == "cp932" and text.startswith("品目") and problem is None


def test_customs_wrong_header(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("Year,HS,Value\n2022,280530000,1\n")
    with pytest.raises(DataValidationError, match="header"):
        read_customs(bad)


def test_baci_codes_and_filters():
    codes = read_country_codes(FIX / "baci_country_codes.csv")
    assert codes.set_index("code").loc["516", "name"] == "Namibia"
    assert codes.set_index("code").loc["899", "is_aggregate"]
    assert not codes.set_index("code").loc["490", "is_aggregate"]  # Taiwan stays a partner
    products = read_product_codes(FIX / "baci_product_codes.csv")
    assert products["code"].iloc[0] == "010121"
    frame = read_baci(FIX / "baci_ok.csv", country_codes=codes, importer="JPN", hs=["280530"])
    assert set(frame["reporter"]) == {"JPN"} and set(frame["hs"]) == {"280530"}
    sel = frame[frame["year"] == 2022]
    assert sel["partner_is_aggregate"].sum() == 1  # Areas nes, flagged
    row = ind.concentration(sel).iloc[0]
    assert row["imports"] == pytest.approx(1000.5)  # 50 from 'Areas, nes' excluded
    s = [600.5 / 1000.5, 200 / 1000.5, 100 / 1000.5, 100 / 1000.5]
    assert row["hhi"] == pytest.approx(sum(x * x for x in s), abs=1e-12)
    q = ind.concentration(sel, measure="quantity").iloc[0]  # Malaysia q = NA is left out
    qs = [60.25 / 95.25, 30 / 95.25, 5 / 95.25]
    assert q["hhi"] == pytest.approx(sum(x * x for x in qs), abs=1e-12)
    all_hs = read_baci(FIX / "baci_ok.csv", importer="392")
    assert "010121" in set(all_hs["hs"])


def test_baci_malformed():
    with pytest.raises(DataValidationError) as exc:
        read_baci(FIX / "baci_malformed.csv", importer=None)
    got = _rules(exc)
    assert (3, "t,i,j,k", "primary-key:duplicate") in got
    assert (4, "k", "hs:leading-zeros") in got
    assert (5, "v", "amount>0") in got
    assert (6, None, "row:ragged") in got
    assert (7, "v", "type:number") in got
    with pytest.raises(DataValidationError, match="missing"):
        read_baci(FIX / "baci_missing_column.csv", importer=None)


def test_comtrade_world_separated():
    frame = read_comtrade(FIX / "comtrade_ok.csv")
    assert frame.attrs["skipped_flows"] == 1
    agg = trade.aggregates_only(frame)
    assert set(agg["partner"]) == {"0", "97", "899"}
    imp = frame[frame["flow"] == "import"]
    row = ind.concentration(imp).iloc[0]
    assert row["imports"] == 1_000_000  # partners only, World and EU/nes excluded
    assert row["named_share"] == pytest.approx(0.6)
    assert row["hhi"] == pytest.approx(0.36 + 0.04 + 0.04)
    assert frame.loc[frame["partner"] == "156", "quantity"].iloc[0] == 60.0


def test_comtrade_malformed():
    with pytest.raises(DataValidationError) as exc:
        read_comtrade(FIX / "comtrade_malformed.csv")
    got = _rules(exc)
    assert (4, "year,reporter,flow,partner,code", "primary-key:duplicate") in got
    assert (5, "cmdCode", "hs:leading-zeros") in got
    assert (6, "primaryValue", "amount>=0") in got
    assert (2, "primaryValue", "world<sum-partners") in got


def test_comtrade_self_trade_refused(tmp_path):
    lines = (FIX / "comtrade_ok.csv").read_text().splitlines()
    bad = tmp_path / "self.csv"
    bad.write_text("\n".join(lines[:2] + ["C,A,2022,392,JPN,M,392,JPN,Japan,280530,5,1"]) + "\n")
    with pytest.raises(DataValidationError) as exc:
        read_comtrade(bad)
    assert (3, "partnerISO", "self-trade") in _rules(exc)


def test_baci_product_list_keeps_cepii_legacy_code():
    """CEPII's real product lists end with 9999AA (REAL slice of the geopolrisk fixture); it used to be refused."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "geopolrisk" / "baci_product_codes.csv"
    products = read_product_codes(path)
    assert products["code"].tolist()[-1] == "9999AA" and len(products) == 5
    bad = path.parent.parent / "trade" / "baci_product_codes.csv"
    assert read_product_codes(bad)["code"].str.fullmatch(r"\d{6}").all()
