"""evalkit.logic_model: five steps per product, honest gaps."""

from evalkit import logic_model
from evalkit.registry import product_slugs


def test_chain_for_a_product_with_much_data():
    c = logic_model.chain("batteries", "latest").set_index("stage")
    assert list(c.index) == ["input", "activity", "output", "outcome", "impact"]
    assert "3,316億円" in c.loc["input", "value"] and c.loc["activity", "value"] == "32件"
    assert "120 of 150" in c.loc["output", "value"]
    assert c.loc["impact", "value"].startswith("not yet measurable")


def test_chain_writes_amounts_and_counts_for_the_reader():
    en = logic_model.chain("batteries", "latest", lang="en").set_index("stage")
    assert "JPY 331.6 billion" in en.loc["input", "value"] and "億円" not in en.loc["input", "value"]
    assert en.loc["activity", "value"] == "32 plans"
    page = logic_model.pages("latest", "batteries", "en").data
    assert "<td>Input</td>" in page and "<td>Impact</td>" in page
    ja = logic_model.pages("latest", "batteries").data
    assert "<td>インプット</td>" in ja and "<td>input</td>" not in ja


def test_chain_for_a_product_with_little_data():
    c = logic_model.chain("advanced_electronic_components", "2024-10-31").set_index("stage")
    assert c.loc["activity", "value"] == "0件"
    for stage in ("output", "outcome", "impact"):
        assert c.loc[stage, "value"].startswith("not yet measurable")
    assert "not published per product" in c.loc["input", "value"]


def test_qualitative_target_with_a_level_is_shown_not_scored():
    out = logic_model.chain("antibacterials", "2024-10-31").set_index("stage").loc["output", "value"]
    assert "level stated but not scored (qualitative target" in out and "six-month API stockpile" in out


def test_dependence_respects_as_of():
    latest = logic_model.chain("critical_minerals", "latest").set_index("stage").loc["outcome", "value"]
    assert "(2024," in latest
    oct24 = logic_model.chain("critical_minerals", "2024-10-31").set_index("stage").loc["outcome", "value"]
    assert "(2024," not in oct24 and "(2023," in oct24  # a 2024 annual figure is not complete by 2024-10-31
    assert set(logic_model._dependence("2020-06-30")["year"].dropna().astype(int)) <= set(range(2000, 2020))


def test_overview_and_pages():
    ov = logic_model.overview("latest", lang="en")
    assert list(ov.index) == product_slugs() and set(ov["impact"]) == {"not yet measurable"}
    assert ov.loc["batteries", "output"] == "measured" and ov.loc["batteries", "name"] == "Storage batteries"
    ja = logic_model.overview("latest")
    assert set(ja["impact"]) == {"未測定"} and ja.loc["batteries", "output"] == "測定あり"
    assert ja.loc["batteries", "name"] == "蓄電池"
    en = logic_model.pages("latest", "batteries", "en").data
    assert "<h3>Storage batteries</h3>" in en and "蓄電池" not in en and "Stage" in en and "Source:" in en
    assert "<h3>蓄電池 / Storage batteries</h3>" in logic_model.pages("latest", "batteries").data
    html = logic_model.pages("latest").data
    assert html.count("<section") == 12 and "break-before: page" in html
    assert logic_model.pages("latest", "fertilizer").data.count("<section") == 1
