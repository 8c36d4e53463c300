"""The product → HS map: shape the screening helper relies on, and the identity check."""

from __future__ import annotations

import pandas as pd

from evalkit.data import read_table, reference_path
from evalkit.data.checks import hs_map_consistent


def test_columns_and_codes():
    frame = read_table(reference_path("hs_map"))
    for col in ("product", "item_no", "hs6", "no_hs_equivalent", "reference", "confidence"):
        assert col in frame.columns
    codes = frame.loc[~frame["no_hs_equivalent"].astype(bool), "hs6"]
    assert codes.str.fullmatch(r"\d{6}").all()
    cloud = frame[(frame["product"] == "cloud_programs") & (frame["item_no"] == 1)]
    assert bool(cloud["no_hs_equivalent"].iloc[0]) and pd.isna(cloud["hs6"].iloc[0])
    re_codes = set(frame.loc[(frame["product"] == "critical_minerals") & (frame["item_no"] == 6), "hs6"])
    assert re_codes == {"280530", "284610", "284690"}


def test_identity_check_catches_a_code_on_a_no_equivalent_row():
    hs_map = read_table(reference_path("hs_map"))
    items = read_table(reference_path("product_items"))
    tables = {"data/reference/hs_map.csv": hs_map, "data/reference/product_items.csv": items}
    assert hs_map_consistent(tables) == []
    broken = hs_map.copy()
    broken.attrs = hs_map.attrs
    broken.loc[broken["product"] == "cloud_programs", "hs6"] = "847150"
    problems = hs_map_consistent({**tables, "data/reference/hs_map.csv": broken})
    assert problems and problems[0].rule == "identity"
    dropped = hs_map[hs_map["product"] != "fertilizer"].reset_index(drop=True)
    problems = hs_map_consistent({**tables, "data/reference/hs_map.csv": dropped})
    assert {p.value for p in problems} == {"fertilizer,1", "fertilizer,2"}


def test_every_item_has_a_slug_unique_across_products():
    from evalkit.data.checks import item_slugs_unique

    items = read_table(reference_path("product_items"))
    assert items["item"].str.fullmatch(r"[a-z][a-z0-9_]*").all()
    assert not items.duplicated(["item"]).any()
    slugs = items.set_index(["product", "item_no"])["item"]
    assert slugs[("critical_minerals", 6)] == "rare_earths" and slugs[("natural_gas", 1)] == "natural_gas"
    name = "data/reference/product_items.csv"
    assert item_slugs_unique({name: items}) == []
    broken = items.copy()
    broken.attrs = items.attrs
    broken.loc[(broken["product"] == "critical_minerals") & (broken["item_no"] == 8), "item"] = "gallium"
    problems = item_slugs_unique({name: broken})
    assert len(problems) == 1 and problems[0].value == "gallium" and problems[0].rule == "identity"
    across = items.copy()
    across.attrs = items.attrs
    across.loc[(across["product"] == "batteries") & (across["item_no"] == 3), "item"] = "semiconductor_materials"
    problems = item_slugs_unique({name: across})
    assert [p.value for p in problems] == ["semiconductor_materials"], "a slug used by two products is refused"
