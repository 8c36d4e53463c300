"""Programme overview figures match the deck (slides A, C, D1, D2)."""

from __future__ import annotations

from evalkit import programme

DECK_OCT_2024 = {
    "antibacterials": 2,
    "fertilizer": 10,
    "permanent_magnets": 4,
    "machine_tools_robots": 5,
    "aircraft_parts": 14,
    "semiconductors": 18,
    "batteries": 27,
    "cloud_programs": 11,
    "natural_gas": 1,
    "critical_minerals": 3,
    "ship_parts": 11,
    "advanced_electronic_components": 0,
}
DECK_SLIDE_A = {
    "antibacterials": 2,
    "fertilizer": 12,
    "ship_parts": 11,
    "semiconductors": 24,
    "batteries": 32,
    "aircraft_parts": 14,
    "permanent_magnets": 4,
    "advanced_electronic_components": 2,
    "machine_tools_robots": 5,
    "critical_minerals": 5,
    "natural_gas": 1,
    "cloud_programs": 11,
}


def test_designations_cover_twelve_products_with_items(project):
    table = programme.designations()
    assert len(table) == 12
    assert table.loc[table["product"] == "fertilizer", "items"].item() == "りん酸アンモニウム・塩化カリウム"
    assert programme.designations("en").loc[1, "items"] == "ammonium phosphate; potassium chloride"


def test_end_october_2024_counts_match_the_deck(project):
    table = programme.approvals("2024-10-31")
    assert dict(zip(table["product"], table["plans_approved"])) == DECK_OCT_2024
    assert table["plans_reporting"].sum() == 74
    assert table.attrs["as_of"] == "2024-10-31"


def test_latest_counts_match_slide_a(project):
    table = programme.approvals("latest")
    assert dict(zip(table["product"], table["plans_approved"])) == DECK_SLIDE_A
    assert "undated" in table.attrs["as_of"]


def test_growth_between_releases_is_17(project):
    table = programme.approvals_over_releases("latest")
    assert table["change"].sum() == 17
    assert table.loc["semiconductors", "change"] == 6
    only = programme.approvals_over_releases("2024-10-31")
    assert "change" not in only.columns and "only one release" in only.attrs["note"]


def test_fund_total(project):
    assert programme.fund_total("latest")[:2] == (21830.0, "exact")
    value, note, _ = programme.fund_total("2024-10-31")
    assert value == 22000.0 and note.startswith("approximate")


def test_approved_amount_is_the_deck_statement_a():
    value, qualifier, cite, label = programme.approved_amount("2024-10-31")
    assert (value, label) == (13000.0, "2024-10-31") and qualifier.startswith("approximate") and "slide" in cite
    # the undated release states no amount: latest reports the newest release that does, with its own as-of
    assert programme.approved_amount("latest")[3] == "2024-10-31"


def test_approved_plans_are_the_compiled_rows_by_approval_date():
    oct24, latest = programme.approved_plans("2024-10-31"), programme.approved_plans("latest")
    assert "semiconductors-2024-11-29-01" not in set(oct24["plan_id"])  # approved after the as-of
    assert len(latest) == 53 and "revoked" in set(latest["status"])  # revoked plans stay: their caps are known
    assert latest.attrs["release"].startswith("compiled") and "plans_approved.csv" in latest.attrs["source"]
