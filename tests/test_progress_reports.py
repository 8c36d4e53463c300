"""evalkit.progress_reports: the deck's 74 reports, the Wilson interval, and a SYNTHETIC second round."""

import pytest
from statsmodels.stats import proportion as sm_prop

from evalkit import progress_reports as pr

FIXTURE = "tests/fixtures/synthetic_round/report_status.csv"


def test_summary_counts():
    s = pr.summary("2024-10-31")
    assert (s["reports_total"], s["reports_on_track"], s["reports_delayed"], s["reports_infeasible"]) == (74, 65, 8, 1)
    low, high = sm_prop.proportion_confint(65, 74, alpha=0.05, method="wilson")
    assert (s["estimate"].ci_low, s["estimate"].ci_high) == pytest.approx((low, high))


def test_status_table():
    t = pr.status_table("latest").set_index("status_code")
    assert list(t["plans"]) == [3, 62, 7, 1, 1, 65, 74]
    assert t.loc["on_track (derived)", "share"] == round(65 / 74, 4)
    assert "Wilson" in t.attrs["note"]
    narrowed = pr.status_table("latest", "batteries")
    assert "not for batteries" in narrowed.attrs["note"]


def test_record_summary_values():
    rec = pr.record_summary("latest").set_index("key")
    assert rec.loc["reports_total", "value"] == 74 and rec.loc["reports_on_track", "value"] == 65
    assert rec.loc["on_track_share", "value"] == pytest.approx(65 / 74, abs=1e-6)


def test_reporting_subsets_with_zero_approvals():
    t = pr.reporting_subsets("2024-10-31").set_index("product")
    assert t["plans_reporting"].sum() == 74 and t["plans_approved"].sum() == 106
    assert t.loc["batteries", "reporting_share"] == round(15 / 27, 4)
    aec = t.loc["advanced_electronic_components"]
    assert aec["reporting_share"] is None or aec["reporting_share"] != aec["reporting_share"]
    assert "denominator is zero" in aec["note"]
    latest = pr.reporting_subsets("latest", "batteries")  # the undated release has no subsets: falls back
    assert latest["plans_reporting"].iloc[0] == 15


def test_single_round_no_comparison():
    t = pr.round_comparison("latest")
    assert t["comparison"].iloc[0].startswith("not possible: only one reporting round")


def test_synthetic_second_round_comparison():
    t = pr.round_comparison("latest", FIXTURE)
    assert list(t["on_track"][:2]) == [65, 74] and list(t["plans"][:2]) == [74, 80]
    ref = sm_prop.test_proportions_2indep(74, 80, 65, 74, compare="diff", method="score")
    assert t["p_value"].iloc[2] == round(ref.pvalue, 4)
    assert t["share"].iloc[2] == round(74 / 80 - 65 / 74, 4)
    assert "SYNTHETIC" in t["round"].iloc[1]
    assert "not independent" in t.attrs["note"]


def test_delay_factors():
    t = pr.delay_factors("en")
    assert len(t) == 3 and t["category_en"].iloc[0] == "short-term business environment"
    assert list(t.columns) == ["category_en", "cause_en", "examples_en"]
    assert list(pr.delay_factors().columns) == ["category_ja", "cause_ja", "examples_ja"]


def test_interpretation_and_chart():
    assert "65 of 74" in pr.interpretation("latest").data
    fig = pr.status_chart("latest")
    assert any("出典: " in t.get_text() for t in fig.texts)
    assert fig.axes[0].get_title() == "事業者報告の進捗状況"
    en = pr.status_chart("latest", "en")
    assert en.axes[0].get_title() == "Status of the business reports"
    assert all(x.get_text().isascii() for x in en.axes[0].get_yticklabels())
    assert any("Source: " in t.get_text() for t in en.texts)


def test_reporting_subsets_name_products_in_the_language():
    assert pr.reporting_subsets("2024-10-31", "batteries", "en")["name"].iloc[0] == "Storage batteries"
    assert pr.reporting_subsets("2024-10-31", "batteries")["name"].iloc[0] == "蓄電池"
