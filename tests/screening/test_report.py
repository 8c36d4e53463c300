"""Tables of notebook 60 on the hand-built SYNTHETIC panel, and without any BACI file."""

from __future__ import annotations

import pytest

from evalkit.screening import report
from tests.screening import panels


@pytest.fixture(scope="module")
def res(tmp_path_factory):
    path = panels.write_csv(tmp_path_factory.mktemp("rep") / "baci_synthetic_hand.csv")
    return report.run(str(path), importer="JPN", years="2020-2022", hs_map=panels.HS_MAP)


def test_without_baci_every_table_is_empty_and_says_why():
    empty = report.run("", importer="JPN", years="2019-2022")
    assert not empty.available and empty.importer_code == 392
    for frame in (report.flagged(empty), report.designation_split(empty), report.churn(empty)):
        assert frame.empty and "no BACI file" in frame.attrs["note"]
    status = report.data_status("")
    text = " ".join(status["value"])
    assert "CEPII BACI" in text and "external/baci" in text and "country_codes" in text
    comparison = report.published_comparison(empty)
    assert set(comparison["published"]) == {40, 1406, 1133} and comparison["evalkit_value"].isna().all()


def test_flagged_products_with_partner_concentration(res):
    flagged = report.flagged(res)
    assert set(flagged["hs6"]) == {"100001", "110001", "120001", "130001", "150001", "010101", "140002", "140003"}
    row = flagged.set_index("hs6").loc["110001"]
    assert row["top1_partner"] == panels.A and row["designated_products"] == "semiconductors"


def test_inside_and_outside_designated(res):
    split = report.designation_split(res).set_index("year")
    assert split.loc[2022].to_dict() == {"persistent": 8, "inside_designated": 2, "outside_designated": 6}


def test_churn_between_years(res):
    churn = report.churn(res).set_index("year")
    assert churn.loc[2020, "flagged"] == 8 and churn.loc[2021, "flagged"] == 7
    assert churn.loc[2021, ["stayed", "entered", "exited"]].tolist() == [6, 1, 2]
    assert churn.loc[2022, ["stayed", "entered", "exited"]].tolist() == [6, 2, 1]
    assert churn.loc[2021, "exit_rate"] == pytest.approx(2 / 8)


def test_published_comparison_counts_on_the_same_definitions(res):
    comp = report.published_comparison(res)
    hhi = comp[comp["unit"] == "%"].iloc[0]
    assert hhi["evalkit_year"] == 2022 and hhi["published"] == 40
    # 14 products imported by J in 2022; HHI >= 0.5 for all but 110001-110003 and 140001 (HHI 0.2 in 2022)
    assert hhi["evalkit_items"] == 14 and hhi["evalkit_value"] == pytest.approx(round(100 * 10 / 14, 1))
    cao = comp[comp["publication"].str.contains("潮流")].iloc[0]
    assert cao["evalkit_year"] == 2022  # 2019 is outside the screened years: the last year is used
    assert cao["evalkit_value"] == 0  # no Chinese supplier in the hand-built panel


def test_thresholds_table_names_sources():
    table = report.thresholds_table()
    assert list(table["value"][:4]) == ["0.4", "0.5", "1.0", "0.4"] and table["source"].str.contains("GeoDep").any()
