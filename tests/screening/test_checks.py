"""Inputs the screen used to take silently: bad rows (exit 65), empty years (exit 2 or a warning), HS maps, thresholds.

Every panel here is SYNTHETIC, built in the test (file names say so): three
flows of HS 280530 in 2019 plus the row under test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit.cli import main
from evalkit.errors import DataValidationError, UsageError
from evalkit.screening import Thresholds, screen
from evalkit.screening.checks import RULES, ScreenWarning, hs_revision, years_text

#: (t, i, j, k, v, q): China and the USA sell rare-earth metals to Japan and Korea in 2019.
GOOD = [
    (2019, 156, 392, "280530", 100.0, 5.0),
    (2019, 156, 410, "280530", 30.0, None),
    (2019, 842, 410, "280530", 20.0, 1.0),
]


def _cell(value) -> str:
    if value is None:
        return "NA"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return str(value)


def write_csv(path, rows):
    """A BACI CSV (header = line 1, so rows[n] is on line n + 2); None is written NA."""
    lines = ["t,i,j,k,v,q"] + [",".join(_cell(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_parquet(path, rows):
    """The same rows as Parquet (rows[n] is row n + 1 of the file); None is null, NaN stays NaN."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = dict(t=pa.int32(), i=pa.int32(), j=pa.int32(), k=pa.string(), v=pa.float64(), q=pa.float64())
    columns = {name: pa.array([row[n] for row in rows], type=kind) for n, (name, kind) in enumerate(types.items())}
    pq.write_table(pa.table(columns), path)
    return path


def _cli(capsys, *args):
    status = main(["screen", *map(str, args)])
    return status, capsys.readouterr().err


def test_negative_value_exits_65_naming_line_column_and_value_and_writes_nothing(tmp_path, capsys):
    # Today's code took this row and wrote world_export_hhi above 1 (an HHI cannot exceed 1).
    panel = write_csv(tmp_path / "baci_synthetic_negative.csv", [*GOOD, (2019, 842, 392, "280530", -50.0, 5.0)])
    for out in ("screen.parquet", "screen.csv"):
        args = ("--baci", panel, "--importer", "JPN", "--years", "2019-2019", "--out", tmp_path / out)
        status, err = _cli(capsys, *args)
        assert status == 65, err
        assert "baci_synthetic_negative.csv:5, column 'v', value '-50.0'" in err and ">= 0" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baci_synthetic_negative.csv"]  # no output, no partial file
    status, err = _cli(capsys, "--baci", panel, "--importer", "JPN", "--years", "2019-2019")
    assert status == 65 and "v:negative" in err


BAD = [
    ("v", -50.0, "v:negative"),
    ("v", float("inf"), "v:not-finite"),
    ("v", float("-inf"), "v:not-finite"),
    ("v", float("nan"), "v:not-finite"),
    ("v", None, "v:missing"),
    ("q", -5.0, "q:negative"),
    ("q", float("nan"), "q:not-finite"),
    ("q", float("inf"), "q:not-finite"),
    ("k", "2805301", "k:digits"),  # seven digits: passed as a product of its own
    ("k", "2805", "k:digits"),
]


def _bad_row(column, value):
    row = dict(zip("tijkvq", (2019, 842, 392, "280530", 50.0, 5.0)))
    row[column] = value
    return tuple(row.values())


@pytest.mark.parametrize(("column", "value", "rule"), BAD, ids=[b[2] + "=" + _cell(b[1]) for b in BAD])
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_bad_row_is_named_with_its_line_or_row(tmp_path, fmt, column, value, rule):
    rows = [*GOOD, _bad_row(column, value)]
    path = tmp_path / f"baci_synthetic_bad.{fmt}"
    (write_csv if fmt == "csv" else write_parquet)(path, rows)
    with pytest.raises(DataValidationError) as caught:
        screen(path, importer="JPN", years="2019-2019")
    problems = caught.value.problems
    assert [(p.rule, p.column, p.line) for p in problems] == [(rule, column, 5 if fmt == "csv" else 4)]
    shown = problems[0].value
    if value is None:
        assert shown in ("NA", "null")
    elif isinstance(value, float):
        assert float(shown) == value or (math.isnan(value) and math.isnan(float(shown)))
    else:
        assert shown == value
    assert problems[0].message == RULES[rule][1] or problems[0].message.startswith(RULES[rule][1])


def test_unreadable_quantity_and_several_problems_are_all_listed(tmp_path):
    rows = [*GOOD, (2019, 842, 392, "280530", 50.0, "abc"), (2019, 842, 392, "280530", -1.0, "  NA")]
    with pytest.raises(DataValidationError) as caught:
        screen(write_csv(tmp_path / "baci_synthetic_two.csv", rows), importer="all", years="2019-2019")
    assert [(p.line, p.column, p.value, p.rule) for p in caught.value.problems] == [
        (5, "q", "abc", "q:unreadable"),
        (6, "v", "-1.0", "v:negative"),
    ]


def test_a_value_the_engine_cannot_parse_is_named_with_its_line(tmp_path, capsys):
    panel = write_csv(tmp_path / "baci_synthetic_text.csv", [*GOOD, (2019, 842, 392, "280530", "twelve", 1.0)])
    status, err = _cli(capsys, "--baci", panel, "--importer", "JPN", "--years", "2019-2019")
    assert status == 65 and "baci_synthetic_text.csv:5, column 'v', value 'twelve'" in err


def test_zero_values_and_missing_quantities_are_accepted(tmp_path):
    rows = [*GOOD, (2019, 842, 392, "280530", 0.0, None)]
    res = screen(write_parquet(tmp_path / "baci_synthetic_zero.parquet", rows), importer="JPN", years="2019-2019")
    row = res.iloc[0]
    assert row["imports"] == 100.0 and row["n_partners"] == 1  # a zero flow is not a partner


def test_world_export_hhi_stays_a_share(tmp_path):
    res = screen(write_csv(tmp_path / "baci_synthetic_good.csv", GOOD), importer="all", years="2019-2019")
    assert res["world_export_hhi"].between(0, 1).all() and res["import_hhi"].between(0, 1).all()


# --- years and importers -------------------------------------------------------------------------------------------


def _years_panel(tmp_path, japan_years, korea_years=(2019, 2020, 2021, 2022)):
    rows = [(y, 156, 392, "280530", 100.0, 1.0) for y in japan_years]
    rows += [(y, 156, 410, "280530", 10.0, 1.0) for y in korea_years]
    return write_parquet(tmp_path / "baci_synthetic_years.parquet", rows)


def test_importer_without_rows_in_the_years_exits_2_naming_its_years(tmp_path, capsys):
    # Today's code printed "no product meets the criteria" and exited 0.
    panel = _years_panel(tmp_path, japan_years=(2019, 2020))
    status, err = _cli(capsys, "--baci", panel, "--importer", "JPN", "--years", "2021-2022")
    assert status == 2 and "no rows in 2021-2022" in err and "2019-2020" in err


def _codes(res):
    return [w.code for w in res.attrs["warnings"]]


def test_missing_years_are_stated(tmp_path, capsys):
    panel = _years_panel(tmp_path, japan_years=(2019, 2021, 2022), korea_years=(2019, 2021, 2022))
    with pytest.warns(ScreenWarning) as caught:
        res = screen(panel, importer="JPN", years="2017-2022")
    assert _codes(res) == ["years_outside_panel", "panel_year_gaps"]
    text = [str(w.message) for w in caught if w.category is ScreenWarning]
    assert "2017-2018" in text[0] and "2019-2022" in text[0] and "2020" in text[1]
    status, err = _cli(capsys, "--baci", panel, "--importer", "JPN", "--years", "2017-2022", "--quiet")
    assert status == 0 and err.count("warning: ") == 2


def test_years_the_importer_lacks_are_stated(tmp_path):
    panel = _years_panel(tmp_path, japan_years=(2019, 2022))
    with pytest.warns(ScreenWarning, match="JPN has no import rows in 2020-2021"):
        res = screen(panel, importer="JPN", years="2019-2022")
    assert _codes(res) == ["importer_years_missing"]
    assert _codes(screen(panel, importer="KOR", years="2019-2022")) == []


def test_self_trade_and_a_short_window_are_stated(tmp_path):
    rows = [*GOOD, (2019, 392, 392, "280530", 7.0, 1.0)]
    with pytest.warns(ScreenWarning):
        res = screen(write_csv(tmp_path / "baci_synthetic_self.csv", rows), importer="JPN", years="2019-2019")
    assert _codes(res) == ["self_trade", "window_short"]
    assert res.iloc[0]["imports"] == 100.0


def test_a_warning_rebuilds_from_its_args_and_from_pickle():
    # pytest-xdist carries a worker's warning to the controller as ``type(w)(*w.args)``; a KeyError there
    # once stopped the whole test session.
    import pickle

    w = ScreenWarning("window_short", years="2019-2019", n=3)
    for copy in (ScreenWarning(*w.args), pickle.loads(pickle.dumps(w))):
        assert (copy.code, copy.params) == (w.code, w.params)
        assert str(copy) == str(w) and "2019-2019" in str(w)
    assert w.text("ja") != w.text("en")


# --- HS maps -------------------------------------------------------------------------------------------------------


def test_hs_map_code_that_lost_its_leading_zero_exits_65(tmp_path, capsys):
    # Today's code dropped the row: the product was silently never marked designated.
    panel = write_csv(tmp_path / "baci_synthetic_good.csv", GOOD)
    hs_map = tmp_path / "hs_map_synthetic.csv"
    hs_map.write_text("product,hs6\ncritical_minerals,280530\nfertilizer,31053\n", encoding="utf-8")
    status, err = _cli(capsys, "--baci", panel, "--importer", "JPN", "--years", "2019-2019", "--hs-map", hs_map)
    assert status == 65 and "hs_map_synthetic.csv:3, column 'hs6', value '31053'" in err


def test_hs_map_in_another_revision_than_the_panel_is_stated_with_the_codes(tmp_path):
    panel = write_csv(tmp_path / "baci_synthetic_good.csv", GOOD)
    (tmp_path / "product_codes_HS92_V000000synthetic.csv").write_text(
        "code,description\n280530,rare-earth metals (synthetic list)\n811230,germanium (synthetic list)\n"
    )
    hs_map = pd.DataFrame(
        {"product": ["critical_minerals"] * 2, "hs6": ["280530", "811292"], "hs_version": ["HS2022"] * 2}
    )
    with pytest.warns(ScreenWarning, match="HS2022 and the panel in HS1992") as caught:
        res = screen(panel, importer="JPN", years="2019-2019", hs_map=hs_map)
    (text,) = [str(w.message) for w in caught if "revision" in str(w.message)]
    assert "811292" in text and "280530" not in text
    assert res.attrs["hs_revisions"] == {"map": "HS2022", "panel": "HS1992"}
    assert bool(res.iloc[0]["designated"])  # a code written the same in both revisions is still matched
    same = hs_map.assign(hs_version="HS1992")
    with pytest.warns(ScreenWarning, match="not in the panel's code list"):
        codes = _codes(screen(panel, importer="JPN", years="2019-2019", hs_map=same))
    assert codes == ["window_short", "hs_map_codes_unknown"]


def test_hs_revision_names():
    assert [hs_revision(t) for t in ("HS2022", "HS92", "BACI_HS17_Y2022_V202501.csv", "HS 1996", "none")] == [
        "HS2022",
        "HS1992",
        "HS2017",
        "HS1996",
        None,
    ]
    assert years_text([2019, 1995, 1996, 1997, 2001]) == "1995-1997, 2001, 2019"


def test_warnings_read_in_both_languages():
    w = ScreenWarning("panel_year_gaps", years="2020")
    assert "2020" in w.text("en") and "2020年" in w.text("ja") and str(w) == w.text("en")


# --- thresholds ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_non_finite_thresholds_exit_2(tmp_path, capsys, value):
    # Today's code took --import-export-ratio nan and flagged nothing (x > nan is false).
    panel = write_csv(tmp_path / "baci_synthetic_good.csv", GOOD)
    status, err = _cli(
        capsys, "--baci", panel, "--importer", "JPN", "--years", "2019-2019", "--import-export-ratio", value
    )
    assert status == 2 and "import_export_ratio" in err and "finite" in err


@pytest.mark.parametrize(
    "bad",
    [
        dict(import_export_ratio=float("nan")),
        dict(world_export_hhi=float("nan")),
        dict(import_export_ratio=10_000.0),  # above the 9999 given to zero exports: those could never be flagged
        dict(persistence_k=1.5),
        dict(persistence_k=True),
    ],
)
def test_thresholds_that_would_flag_nothing_are_refused(bad):
    with pytest.raises(UsageError):
        Thresholds(**bad)
