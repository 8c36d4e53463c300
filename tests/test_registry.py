"""evalkit.registry: the product list and the one product check every entry point uses."""

from __future__ import annotations

import pytest

from evalkit import accounting, dependence, item_dependence, logic_model, progress_reports, registry, targets
from evalkit.errors import EXIT_USAGE, UsageError


def test_twelve_products_in_slide_order():
    slugs = registry.product_slugs()
    assert len(slugs) == 12 == len(set(slugs))
    assert registry.product_names("en")["critical_minerals"] and registry.product_names("ja")["critical_minerals"]


def test_check_product_accepts_slugs_and_all():
    assert registry.check_product("batteries") == "batteries"
    assert registry.check_product("all") == "all"
    with pytest.raises(UsageError, match="expected one of"):
        registry.check_product("all", allow_all=False)


@pytest.mark.parametrize(
    "call",
    [
        lambda: accounting.product_budget_lines("latest", "batterys"),
        lambda: targets.attainment("latest", "batterys"),
        lambda: progress_reports.status_table("latest", "batterys"),
        lambda: dependence.items_and_codes("batterys"),
        lambda: item_dependence.items("batterys"),
        lambda: logic_model.chain("batterys"),
    ],
    ids=["accounting", "targets", "progress_reports", "dependence", "item_dependence", "logic_model"],
)
def test_a_misspelt_product_is_the_same_usage_error_everywhere(call):
    # These used to raise ValueError in three modules and UsageError in one: a different exit status for
    # the same typo depending on which notebook met it.
    with pytest.raises(UsageError, match=r"product='batterys': expected .*data/reference/products.csv") as caught:
        call()
    assert caught.value.exit_status == EXIT_USAGE
