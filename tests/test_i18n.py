"""One translation table: complete in both languages; numbers written as each audience reads them."""

from __future__ import annotations

import pytest

from evalkit import i18n


def test_every_key_has_both_languages():
    for key, entry in i18n.table().items():
        assert set(entry) == {"ja", "en"} and all(entry.values()), key


@pytest.mark.parametrize(
    "value,ja,en",
    [
        (21830, "2兆1,830億円", "JPY 2,183.0 billion"),
        (553, "553億円", "JPY 55.3 billion"),
        (20000, "2兆円", "JPY 2,000.0 billion"),
    ],
)
def test_amounts(value, ja, en):
    assert i18n.oku_yen(value, "ja") == ja and i18n.oku_yen(value, "en") == en


def test_fiscal_years_and_unknown_language():
    assert i18n.fiscal_year(2027, "ja") == "2027年度" and i18n.fiscal_year(2027, "en") == "FY2027"
    from evalkit.errors import UsageError

    with pytest.raises(UsageError):
        i18n.t("source", "fr")


def test_result_labels_use_product_names(project):
    assert i18n.result_label("plans_approved.batteries", "ja") == "認定件数 — 蓄電池"
    assert i18n.result_label("plans_approved.batteries", "en") == "Plans approved — Storage batteries"
    assert i18n.result_label("something.new", "en") == "something — new"


def test_text_that_is_not_a_citation_is_unchanged():
    text = "Budget as of FY2024 (statement); page 3"
    assert i18n.localise_citation(text, "ja") == text
