"""evalkit.targets: attainment, implied baselines, progress, on-track ratio and the RAG rule."""

import datetime as dt

import pytest

from evalkit import targets


def by_id(as_of="latest", product="all"):
    return targets.attainment(as_of, product).set_index("target_id")


def test_the_three_deck_attainments():
    t = by_id("2024-10-31")
    assert t.loc["cloud_ai_compute", "attainment"] == 0.95
    assert t.loc["fertilizer_ammonium_phosphate", "attainment"] == 0.7
    assert t.loc["fertilizer_potassium_chloride", "attainment"] == 1.0
    assert list(
        t.loc[["cloud_ai_compute", "fertilizer_ammonium_phosphate", "fertilizer_potassium_chloride"], "status"]
    ) == ["green", "amber", "green"]


def test_registry_has_every_target_and_implied_baselines():
    reg = targets.registry().set_index("target_id")
    assert len(reg) == 23
    assert reg.loc["machine_tools_capacity", "implied_baseline"] == 68750.0  # 110,000 / 1.6
    assert reg.loc["industrial_robots_capacity", "implied_baseline"] == round(350000 / 1.7, 1)
    assert reg.loc["cloud_ai_compute", "due"] == dt.date(2028, 3, 31)  # FY2027
    assert reg.loc["batteries_domestic_capacity", "due"] == dt.date(2030, 12, 31)
    assert reg.loc["natural_gas_sbl", "due"] is None  # applies from 2023
    assert "derived" in reg.attrs["note"]


def test_batteries_progress_and_on_track_ratio_by_hand():
    t = by_id("2024-10-31").loc["batteries_domestic_capacity"]
    assert t["level"] == 120 and t["attainment"] == 0.8
    assert t["progress"] == round((120 - 20) / (150 - 20), 4)
    elapsed = (dt.date(2024, 9, 6) - dt.date(2023, 6, 1)).days / (dt.date(2030, 12, 31) - dt.date(2023, 6, 1)).days
    assert t["on_track_ratio"] == round(((120 - 20) / (150 - 20)) / elapsed, 4)
    assert "20 (stated)" == t["baseline"]


def test_implied_baseline_shown_as_derived_without_a_level():
    t = by_id().loc["machine_tools_capacity"]
    assert t["baseline"] == "68,750 (implied by 1.6× 2021 (derived))"
    assert t["attainment"] is None or t["attainment"] != t["attainment"]
    assert t["status"] == "grey" and "no approved or achieved level" in t["why"]


def test_qualitative_target_is_not_scored():
    t = by_id().loc["antibacterials_beta_lactam_supply"]
    assert t["status"] == "grey" and t["why"].startswith("qualitative target")


def test_levels_respect_as_of():
    early = by_id("2024-08-31")
    assert early["attainment"].isna().all() and set(early["status"]) == {"grey"}
    assert by_id("latest").loc["batteries_domestic_capacity", "attainment"] == 0.8


@pytest.mark.parametrize(
    "on_track,att,expected",
    [
        (None, None, "grey"),
        (None, 0.95, "green"),
        (None, 0.949, "amber"),
        (None, 0.6, "amber"),
        (None, 0.59, "red"),
        (0.5, 1.0, "red"),
        (1.2, 0.1, "green"),
        (-0.1, None, "red"),
    ],
)
def test_rag_rule(on_track, att, expected):
    assert targets.rag(on_track, att) == expected


def test_product_with_no_target_reads_well():
    t = targets.attainment("latest", "advanced_electronic_components")
    assert t.empty and "no quantitative target is registered" in t.attrs["note"]
    assert "nothing to chart" in targets.attainment_chart("latest", "advanced_electronic_components", "en").data
    assert "図は作成しません" in targets.attainment_chart("latest", "advanced_electronic_components").data


def test_attainment_chart_and_table_follow_the_language():
    en = targets.attainment_chart("latest", "all", "en").axes[0]
    assert en.get_title() == "Attainment against target" and en.get_xlabel() == "% of target"
    labels = [x.get_text() for x in en.get_yticklabels()]
    assert labels and all(x.isascii() for x in labels), labels
    assert any(x.startswith("Storage batteries: ") for x in labels)
    ja = targets.attainment_chart("latest", "all").axes[0]
    assert ja.get_title() == "目標に対する達成度" and any(
        x.get_text().startswith("蓄電池: ") for x in ja.get_yticklabels()
    )
    table = targets.attainment("latest", "batteries", "en")
    assert set(table["name"]) == {"Storage batteries"} and "item_ja" not in table.columns
    assert set(targets.attainment("latest", "batteries")["name"]) == {"蓄電池"}


def test_record_attainment_keys():
    rec = targets.record_attainment("2024-10-31").set_index("key")
    assert set(rec.index) == {
        "target.cloud_ai_compute.attainment",
        "target.fertilizer_ammonium_phosphate.attainment",
        "target.fertilizer_potassium_chloride.attainment",
        "target.natural_gas_sbl.attainment",
        "target.batteries_domestic_capacity.attainment",
    }
    assert rec.loc["target.cloud_ai_compute.attainment", "value"] == 0.95
    assert rec.loc["target.cloud_ai_compute.attainment", "source"].startswith("derived: level 57 EFLOPS")


def test_due_and_period_helpers():
    assert targets.due_date(2027, "fiscal") == dt.date(2028, 3, 31)
    assert targets.due_date(2023, "from") is None
    assert targets.period_end("2023-12/2024-02") == dt.date(2024, 2, 29)
    assert targets.period_end("c. 2024") is None
