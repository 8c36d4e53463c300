"""The designated mapping in HS 1992, HS 2017 and HS 2022: complete, never silently short of a code."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit import hs_revisions
from evalkit.data import read_table, reference_path
from evalkit.errors import UsageError


def _rows(frame: pd.DataFrame, item: str, hs22: str | None = None) -> pd.DataFrame:
    sel = frame["item"] == item
    if hs22 is not None:
        sel &= frame["hs22"] == hs22
    return frame[sel]


@pytest.mark.parametrize("revision", hs_revisions.REVISIONS)
def test_every_item_and_every_hs2022_code_appears(revision):
    out = hs_revisions.map_for(revision)
    assert list(out.columns) == hs_revisions.COLUMNS
    items = read_table(reference_path("product_items"))
    assert set(zip(out["product"], out["item_no"])) == set(zip(items["product"], items["item_no"]))
    hs_map = read_table(reference_path("hs_map"))
    coded = hs_map[~hs_map["no_hs_equivalent"].astype(bool)]
    wanted = set(zip(coded["product"], coded["item_no"], coded["hs6"]))
    assert set(zip(out["product"], out["item_no"], out["hs22"])) - {(p, i, None) for p, i, _ in wanted} >= wanted
    assert out.loc[out["hs6"].notna(), "hs6"].str.fullmatch(r"\d{6}").all()
    empty = out["hs6"].isna()
    assert out.loc[empty, "relation"].isin(["no_counterpart", "no_hs_code"]).all()
    assert set(out["relation"]) <= {"identical", "split", "merged", "split_merged", "no_counterpart", "no_hs_code"}
    cloud = _rows(out, "cloud_programs")
    assert len(cloud) == 1 and cloud["relation"].iloc[0] == "no_hs_code" and cloud["hs6"].iloc[0] is None
    assert "hs_map.csv" in out.attrs["source"] and out.attrs["revision"] == revision


def test_hs2022_is_the_hs_map():
    out = hs_revisions.map_for("HS22")
    coded = out[out["hs6"].notna()]
    assert (coded["hs6"] == coded["hs22"]).all() and (coded["relation"] == "identical").all()
    assert set(_rows(out, "rare_earths")["hs6"]) == {"280530", "284610", "284690"}


def test_known_revisions_hs1992():
    hs92 = hs_revisions.map_for("HS92")
    # germanium: its own HS 1992 code until HS 2007 deleted it; the HS 2022 code is shared with other metals
    ge = _rows(hs92, "germanium", "811292").set_index("hs6")
    assert set(ge.index) == {"811230", "811240", "811291"}
    assert ge.loc["811230", "principal"] and ge.loc["811230", "data_until"] == 2006
    assert ge.loc["811230", "relation"] == "split_merged"
    assert not ge.loc["811291", "principal"] and not ge.loc["811240", "principal"]
    ga = _rows(hs92, "gallium", "811292").set_index("hs6")
    assert ga["principal"].to_dict() == {"811230": False, "811240": False, "811291": True}
    # cobalt: HS 1992 8105.10 also held waste and scrap (8105.30 from HS 2002)
    co = _rows(hs92, "cobalt", "810520")
    assert co["hs6"].tolist() == ["810510"] and co["relation"].iloc[0] == "split"
    # natural gas and rare earths did not change
    gas = _rows(hs92, "natural_gas").set_index("hs22")
    assert gas["hs6"].to_dict() == {"271111": "271111", "271121": "271121"}
    assert (gas["relation"] == "identical").all()
    assert (_rows(hs92, "rare_earths")["relation"] == "identical").all()
    # ships' propellers: same scope, another number (HS 1992 8485.10)
    prop = _rows(hs92, "propellers")
    assert prop["hs6"].tolist() == ["848510"] and prop["relation"].iloc[0] == "identical"
    # integrated circuits: the principal counterparts are in heading 85.42; the rest contribute only a part
    ic = _rows(hs92, "legacy_semiconductors", "854231")
    assert set(ic.loc[ic["principal"], "hs6"]) == {"854211", "854219", "854220", "854280"}
    assert len(ic) > 100 and (ic["relation"] == "split_merged").all()


def test_known_revisions_hs2017():
    hs17 = hs_revisions.map_for("HS17")
    assert _rows(hs17, "germanium", "811292")["relation"].tolist() == ["split"]
    carbon = _rows(hs17, "carbon_fibre")
    assert carbon["hs6"].tolist() == ["681510"] and carbon["relation"].iloc[0] == "split"
    assert _rows(hs17, "castings")["hs6"].tolist() == ["880330"]
    assert (_rows(hs17, "lithium")["relation"] == "identical").all()


def test_item_codes_drop_a_code_after_its_break():
    before = hs_revisions.item_codes("HS92", year=2006)
    after = hs_revisions.item_codes("HS92", year=2007)
    assert set(_rows(before, "germanium")["hs6"]) == {"811230", "282560"}
    assert set(_rows(after, "germanium")["hs6"]) == {"282560"}
    assert set(_rows(after, "gallium")["hs6"]) == {"811291"}
    assert after["principal"].all() and after["hs6"].notna().all()


def test_unknown_revision_is_a_usage_error():
    with pytest.raises(UsageError, match="HS12"):
        hs_revisions.map_for("HS12")


def test_a_code_missing_from_the_concordance_is_a_row_that_says_so(project):
    from evalkit.data import validate_package
    from tests.conftest import reseal

    path = project / "data" / "reference" / "hs_concordance.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[~((frame["hs22"] == "260200") & (frame["revision"] == "HS92"))].to_csv(path, index=False, lineterminator="\n")
    reseal(path)
    hs92 = hs_revisions.map_for("HS92")
    row = _rows(hs92, "manganese", "260200")
    assert len(row) == 1 and row["relation"].iloc[0] == "no_counterpart" and row["hs6"].iloc[0] is None
    assert "not traced" in row["note"].iloc[0]
    _, problems = validate_package()
    assert any(p.value == "critical_minerals,1,260200,HS92" and p.rule == "identity" for p in problems)


def test_hs1992_codes_are_baci_hs92_codes():
    from evalkit.data import fetched
    from evalkit.errors import MissingInputError

    try:
        codes_file = fetched.table_path("baci_product_codes")
    except MissingInputError:
        pytest.skip("the fetched BACI code list is not there (make data)")
    codes = set(pd.read_csv(codes_file, dtype=str)["code"])
    hs92 = hs_revisions.map_for("HS92")
    assert set(hs92["hs6"].dropna()) <= codes
