"""evalkit.accounting on the shipped data: budget, commitment, plan ratios, revocation, rounds."""

import pytest

from evalkit import accounting
from evalkit.errors import UsageError


def test_budget_vintages_add_up_to_the_fund_total():
    table = accounting.budget_by_vintage("latest")
    assert list(table["amount_oku_yen"]) == [10358, 9172, 2300, 21830]
    assert table["budget_vintage"].iloc[-1] == "total (derived)"
    assert accounting.budget_total("2024-10-31") == 21830
    assert table.attrs["source"] and "fiscal year" in table.attrs["note"]


@pytest.mark.parametrize(
    "as_of,total", [("2024-03-31", 19530), ("2023-04-01", 19530), ("2023-03-31", 10358), ("2022-03-31", 0)]
)
def test_undated_budget_lines_count_from_their_fiscal_year(as_of, total):
    assert accounting.budget_total(as_of) == total


def test_reconciliation_states_the_differences():
    latest = accounting.budget_reconciliation("latest").set_index("figure")
    assert latest.loc["fund total stated by the deck", "difference_from_vintage_sum_oku_yen"] == 0
    later = [f for f in latest.index if f.startswith("cumulative as of 2025-12-02")]
    assert later and latest.loc[later[0], "amount_oku_yen"] == 24000
    oct24 = accounting.budget_reconciliation("2024-10-31").set_index("figure")
    assert oct24.loc["fund total stated by the deck", "amount_oku_yen"] == 22000
    assert not any(f.startswith("cumulative") for f in oct24.index)  # MOF's 2025 figure is after the as-of


def test_commitment_ratio_end_october_2024():
    table = accounting.commitment("2024-10-31").set_index("item")
    assert table.loc["A approved amount", "value"] == 13000
    assert table.loc["B fund total", "value"] == 22000
    assert table.loc["commitment ratio A/B (derived)", "value"] == round(13000 / 22000, 4)


def test_commitment_latest_states_the_mixed_dates():
    table = accounting.commitment("latest")
    assert table["value"].iloc[2] == round(13000 / 21830, 4)
    assert "newest release that states it" in table.attrs["note"]


def test_subsidy_rate_caps_parsed_from_the_wording():
    caps = accounting.subsidy_rate_caps("latest", "batteries")
    assert list(zip(caps["applies_to"], caps["cap"].round(4))) == [("capex", 0.3333), ("capex, SME", 0.5), ("R&D", 0.5)]
    none = accounting.subsidy_rate_caps("latest", "ship_parts")
    assert none.empty and "no subsidy-rate cap" in none.attrs["note"]


def test_plan_ratios_hand_computed():
    plans = accounting.plan_ratios("latest", "all").set_index("plan_id")
    sumco = plans.loc["semiconductors-2023-07-14-01"]
    assert sumco["aid_intensity"] == round(750 / 2250, 4) and sumco["private_leverage"] == 2.0
    toyota = plans.loc["batteries-2023-06-16-01"]
    assert toyota["aid_intensity"] == round(1178 / 3300, 4)
    assert toyota["private_leverage"] == round((3300 - 1178) / 1178, 4)
    assert toyota["highest_published_cap"] == 0.5 and toyota["within_cap"] == "yes"
    no_cost = plans.loc["semiconductors-2023-04-28-01"]
    assert no_cost["aid_intensity"] is None or no_cost["aid_intensity"] != no_cost["aid_intensity"]
    assert "denominator is not available" in no_cost["note"]
    assert sumco["within_cap"] == "no published cap"


def test_plans_filtered_by_their_dates_and_revocation_by_its_date():
    oct24 = accounting.plan_ratios("2024-10-31", "all").set_index("plan_id")
    assert "semiconductors-2024-11-29-01" not in oct24.index  # approved after the as-of
    assert "batteries-undated-02" not in oct24.index  # bounded only by 2025-12-31
    assert "fertilizer-undated-01" in oct24.index  # known to precede 2024-07-30
    assert "batteries-undated-01" not in oct24.index  # no date, no bound
    assert oct24.loc["semiconductors-2023-06-16-02", "status"] == "approved"  # revoked only on 2024-12-27
    latest = accounting.plan_ratios("latest", "all").set_index("plan_id")
    assert latest.loc["semiconductors-2023-06-16-02", "status"] == "revoked"
    assert len(latest) == 53


def test_revocation_released_the_cap():
    latest = accounting.revocations("latest")
    assert list(latest["plan_id"]) == ["semiconductors-2023-06-16-02"]
    assert latest["released_subsidy_cap_oku_yen"].iloc[0] == 100 and latest["revoked_on"].iloc[0] == "2024-12-27"
    oct24 = accounting.revocations("2024-10-31")
    assert oct24.empty and "no revocation" in oct24.attrs["note"]


def test_coverage_for_products_with_little_and_much_data():
    aec = accounting.plan_coverage("2024-10-31", "advanced_electronic_components").iloc[0]
    assert aec["plans_approved"] == 0 and aec["plans_itemised"] == 0 and aec["subsidy_caps_itemised_oku_yen"] == 0
    bat = accounting.plan_coverage("2024-10-31", "batteries").iloc[0]
    assert bat["plans_approved"] == 27 and bat["plans_itemised"] == 21


def test_rounds_and_counts_by_date():
    rounds = accounting.approval_rounds("2024-10-31", "all")
    assert "semiconductors-2024-11-29" not in set(rounds["round_id"])
    assert "fertilizer-undated-round03" in set(rounds["round_id"])
    assert accounting.approval_rounds("latest", "advanced_electronic_components").empty
    assert list(accounting.plan_count_series("2024-10-31")["plans_cumulative"]) == [91, 106]
    assert list(accounting.plan_count_series("latest")["plans_cumulative"]) == [91, 106, 116, 123]


def test_unknown_product_is_refused():
    with pytest.raises(UsageError, match="product='nope'"):
        accounting.plan_ratios("latest", "nope")


def test_record_spending_without_ledger_states_the_gap():
    table = accounting.record_spending("2024-10-31").set_index("key")
    assert table.loc["approved_amount_oku_yen", "value"] == 13000
    assert table.loc["budget_by_vintage_total_oku_yen", "value"] == 21830
    assert table.loc["commitment_ratio", "value"] == pytest.approx(13000 / 22000, abs=1e-6)
    assert table.loc["disbursement_ratio", "note"] == "not published in the shipped data"


def test_charts_follow_the_language():
    for lang, title, axis in (("en", "Fund budget by vintage", "JPY 100 million"), ("ja", "基金の予算措置", "億円")):
        ax = accounting.budget_chart("latest", lang).axes[0]
        assert ax.get_title() == title and ax.get_xlabel() == axis
    labels = [t.get_text() for t in accounting.budget_chart("latest", "en").axes[0].get_yticklabels()]
    assert "total (derived)" in labels and "Fund total as stated (exact)" in labels
    ja = [t.get_text() for t in accounting.budget_chart("latest").axes[0].get_yticklabels()]
    assert "基金総額（公表値、記載どおり）" in ja and "合計（派生値）" in ja
    assert accounting.plan_count_chart("latest", "en").axes[0].get_title() == "Cumulative approved plans"
    coverage = accounting.plan_coverage("2024-10-31", "batteries", "en")
    assert coverage["name"].iloc[0] == "Storage batteries"


def test_charts_are_closed_figures_with_a_caption():
    for fig in (accounting.budget_chart("latest"), accounting.plan_count_chart("2024-10-31")):
        assert any("出典: " in t.get_text() for t in fig.texts)
    for fig in (accounting.budget_chart("latest", "en"), accounting.plan_count_chart("2024-10-31", "en")):
        assert any("Source: " in t.get_text() and "As of: " in t.get_text() for t in fig.texts)


def test_english_tables_write_the_unit_in_english():
    com = accounting.commitment("latest", "en")
    assert list(com["unit"]) == ["JPY 100 million", "JPY 100 million", "ratio"]
    for table in (
        accounting.budget_by_vintage("latest", "en"),
        accounting.plan_ratios("latest", "all", "en"),
        accounting.approval_rounds("latest", "all", "en"),
        accounting.product_budget_lines("latest", "all", "en"),
    ):
        assert "JPY 100 million" in table.attrs["note"] and "億円" not in table.attrs["note"]
    assert list(accounting.commitment("latest")["unit"])[:2] == ["億円", "億円"]
    assert "amounts in 億円" in accounting.budget_by_vintage("latest").attrs["note"]
