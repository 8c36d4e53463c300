"""evalkit.disbursement on the SYNTHETIC fixture ledger (tests/fixtures/synthetic_ledger.csv)."""

import pytest

from evalkit import disbursement
from evalkit.errors import DataValidationError
from tests.conftest import ROOT

LEDGER = "tests/fixtures/synthetic_ledger.csv"
HEADER = "product,plan,fiscal_year,disbursed,planned\n"


def test_without_ledger_the_gap_is_stated():
    table = disbursement.disbursement_summary("", "latest", "all")
    assert table["status"].iloc[0] == "not published" and "not published" in table["explanation"].iloc[0]
    assert "fb23" in table.attrs["source"]


def test_ratios_hand_computed():
    table = disbursement.disbursement_summary(LEDGER, "latest", "all")
    plan = table[table["level"] == "plan"].set_index("plan")
    assert plan.loc["batteries-2023-06-16-01", "disbursement_ratio"] == round(400 / 1178, 4)
    assert plan.loc["semiconductors-2023-07-14-01", "disbursement_ratio"] == round(500 / 750, 4)
    assert "A unknown" in plan.loc["cloud_programs-not-itemised", "note"]
    total = table[table["level"] == "total"].iloc[0]
    assert total["disbursed_oku_yen"] == 950
    assert total["disbursement_ratio"] == round(950 / 13000, 4)  # A: approved amount stated by the deck
    assert total["absorption_ratio"] == round(950 / 21830, 4)  # B: fund total of the latest release


def test_as_of_drops_later_fiscal_years_and_product_filter():
    table = disbursement.disbursement_summary(LEDGER, "2024-10-31", "semiconductors")
    assert list(table["level"]) == ["plan", "product"]
    assert table["disbursement_ratio"].iloc[0] == round(300 / 750, 4)


def test_s_curve():
    curve = disbursement.s_curve(LEDGER, "latest", "all")
    assert list(curve.index) == [2023, 2024, 2025]
    assert list(curve["cumulative_disbursed_oku_yen"]) == [250, 750, 950]
    assert list(curve["cumulative_planned_oku_yen"]) == [350, 1050, 1350]
    assert list(curve["schedule_gap_oku_yen"]) == [-100, -300, -400]
    fig = disbursement.s_curve_chart(LEDGER, "latest", "all")
    assert any("synthetic_ledger.csv" in t.get_text() for t in fig.texts)


def test_s_curve_without_rows_is_an_error():
    with pytest.raises(ValueError, match="no row for product=fertilizer"):
        disbursement.s_curve(LEDGER, "latest", "fertilizer")


def test_chart_without_ledger_says_so():
    assert "not published" in disbursement.s_curve_chart("", "latest", "all", "en").data
    assert "公表されていません" in disbursement.s_curve_chart("", "latest", "all").data


def test_s_curve_chart_in_english_uses_fiscal_years_and_english_labels():
    fig = disbursement.s_curve_chart(LEDGER, "latest", "batteries", "en")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["FY2023", "FY2024"]
    assert ax.get_title() == "Disbursement S-curve (Storage batteries)"
    assert ax.get_ylabel() == "JPY 100 million"
    ja = disbursement.s_curve_chart(LEDGER, "latest", "batteries").axes[0]
    assert [t.get_text() for t in ja.get_xticklabels()] == ["2023年度", "2024年度"]
    assert "蓄電池" in ja.get_title()


def test_empty_ledger_gives_zero_not_nan(tmp_path):
    f = tmp_path / "empty.csv"
    f.write_text(HEADER, encoding="utf-8")
    total = disbursement.disbursement_summary(str(f), "latest", "all").iloc[-1]
    assert total["disbursed_oku_yen"] == 0 and total["disbursement_ratio"] == 0.0


def test_bad_ledger_names_every_problem(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(
        HEADER + "batteries,p1,2024,10,\nrockets,p1,2024,1,\nbatteries,p2,FY24,1,\n"
        "batteries,p3,2024,-5,\nbatteries,p1,2024,3,\nbatteries,,2024,1,x\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as info:
        disbursement.read_ledger(str(f))
    text = str(info.value)
    for expected in (
        "bad.csv:3, column 'product', value 'rockets'",
        "bad.csv:4, column 'fiscal_year', value 'FY24'",
        "bad.csv:5, column 'disbursed', value '-5'",
        "bad.csv:6",
        "same product/plan/fiscal_year",
        "bad.csv:7, column 'plan'",
        "bad.csv:7, column 'planned', value 'x'",
    ):
        assert expected in text


def test_missing_column(tmp_path):
    f = tmp_path / "cols.csv"
    f.write_text("product,plan,disbursed\nbatteries,p,1\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"missing column\(s\) \['fiscal_year'\]"):
        disbursement.read_ledger(str(f))


def test_fixture_is_labelled_synthetic():
    assert "SYNTHETIC" in (ROOT / "tests/fixtures/README.md").read_text(encoding="utf-8")
