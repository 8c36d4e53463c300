"""The index's findings: numbers read from the results, never typed in; a missing key drops its sentence."""

from __future__ import annotations

import pytest

from evalkit.i18n import t
from evalkit.report.findings import FINDINGS, build, shown

RESULTS = [
    {"key": "plans_approved_total", "value": 123, "unit": "plans", "notebook": "00_overview", "source": "CAO deck"},
    {"key": "commitment_ratio", "value": 0.595511, "unit": "ratio", "notebook": "10_budget", "source": "derived: A/B"},
    {"key": "approved_amount_oku_yen", "value": 13000, "unit": "億円", "notebook": "10_budget", "source": "CAO"},
    {"key": "fund_total_oku_yen", "value": 21830, "unit": "億円", "notebook": "10_budget", "source": "MOF"},
    {
        "key": "trade.critical_minerals.rare_earths.quantity.china_share.2024",
        "value": 0.612,
        "unit": "share (0-1)",
        "notebook": "30_trade",
        "source": "BACI",
    },
    {
        "key": "trade.critical_minerals.rare_earths.quantity.china_share.2009",
        "value": 0.8549,
        "unit": "share (0-1)",
        "notebook": "30_trade",
        "source": "BACI",
    },
]


def test_sentences_carry_the_recorded_numbers_and_link_to_their_table():
    found = {f["id"]: f for f in build(RESULTS, "en", {"plans_approved_total": "cell-abc"})}
    assert found["plans_approved"]["text"] == "123 supply-assurance plans have been approved in total."
    assert found["plans_approved"]["href"] == "00_overview.html#cell-abc"
    assert found["plans_approved"]["source"] == "CAO deck"
    commitment = found["commitment"]["text"]
    assert "59.6%" in commitment and "JPY 1,300.0 billion" in commitment and "JPY 2,183.0 billion" in commitment
    assert found["commitment"]["href"] == "10_budget.html"  # no anchor known: the page itself
    figures = {"10_budget": {"evalkit.accounting.commitment": "cell-10-12"}}
    linked = {f["id"]: f for f in build(RESULTS, "en", {"commitment_ratio": "cell-10-30"}, figures)}
    assert linked["commitment"]["href"] == "10_budget.html#cell-10-12"  # the table, not the record cell
    assert "from 85.5% in 2009 to 61.2% in 2024" in found["rare_earths_china"]["text"]


def test_japanese_sentences_for_the_japanese_edition():
    found = {f["id"]: f for f in build(RESULTS, "ja")}
    assert found["plans_approved"]["text"] == "供給確保計画の認定は合計123件です。"
    assert "2兆1,830億円" in found["commitment"]["text"] and "59.6%" in found["commitment"]["text"]


def test_a_missing_or_unavailable_key_drops_the_finding():
    without = [r for r in RESULTS if r["key"] != "fund_total_oku_yen"]
    ids = [f["id"] for f in build(without, "en")]
    assert "commitment" not in ids and "plans_approved" in ids
    gap = [dict(r, value=None) if r["key"] == "plans_approved_total" else r for r in RESULTS]
    assert "plans_approved" not in [f["id"] for f in build(gap, "en")]
    # the on-track, graphite and screen findings' keys are absent from RESULTS: never written
    assert {f["id"] for f in build(RESULTS, "en")} == {"plans_approved", "commitment", "rare_earths_china"}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_finding_has_a_sentence_using_all_its_numbers(lang):
    assert 5 <= len(FINDINGS) <= 8
    for finding in FINDINGS:
        text = t(f"finding:{finding.id}", lang, **{name: "<n>" for name, _, _ in finding.keys})
        assert text.count("<n>") == len(finding.keys), finding.id


def test_number_forms():
    assert shown(0.878378, "percent") == "87.8%"
    assert shown(1234, "count") == "1,234"
    assert shown(21830, "oku_yen", "ja") == "2兆1,830億円"
    with pytest.raises(ValueError):
        shown(1, "furlongs")
