"""evalkit.disbursement on the SYNTHETIC fixture ledger (tests/fixtures/synthetic_ledger.csv)."""

import pytest

from evalkit import disbursement
from evalkit.errors import DataValidationError
from tests.conftest import ROOT

LEDGER = "tests/fixtures/synthetic_ledger.csv"
HEADER = "product,plan,fiscal_year,disbursed,planned\n"


def test_without_ledger_the_gap_is_stated():
    table = disbursement.disbursement_summary("", "latest", "all")
    assert table["status"].iloc[0] == "not published" and "not published" in table["explanation"].iloc[0]
    assert "fb23" in table.attrs["source"]


def test_ratios_hand_computed():
    table = disbursement.disbursement_summary(LEDGER, "latest", "all")
    plan = table[table["level"] == "plan"].set_index("plan")
    assert plan.loc["batteries-2023-06-16-01", "disbursement_ratio"] == round(400 / 1178, 4)
    assert plan.loc["semiconductors-2023-07-14-01", "disbursement_ratio"] == round(500 / 750, 4)
    assert "A unknown" in plan.loc["cloud_programs-not-itemised", "note"]
    total = table[table["level"] == "total"].iloc[0]
    assert total["disbursed_oku_yen"] == 950
    assert total["disbursement_ratio"] == round(950 / 13000, 4)  # A: approved amount stated by the deck
    assert total["absorption_ratio"] == round(950 / 21830, 4)  # B: fund total of the latest release


def test_as_of_drops_later_fiscal_years_and_product_filter():
    table = disbursement.disbursement_summary(LEDGER, "2024-10-31", "semiconductors")
    assert list(table["level"]) == ["plan", "product"]
    assert table["disbursement_ratio"].iloc[0] == round(300 / 750, 4)


def test_s_curve():
    curve = disbursement.s_curve(LEDGER, "latest", "all")
    assert list(curve.index) == [2023, 2024, 2025]
    assert list(curve["cumulative_disbursed_oku_yen"]) == [250, 750, 950]
    assert list(curve["cumulative_planned_oku_yen"]) == [350, 1050, 1350]
    assert list(curve["schedule_gap_oku_yen"]) == [-100, -300, -400]
    fig = disbursement.s_curve_chart(LEDGER, "latest", "all")
    assert any("synthetic_ledger.csv" in t.get_text() for t in fig.texts)


def test_s_curve_without_rows_is_an_error():
    with pytest.raises(ValueError, match="no row for product=fertilizer"):
        disbursement.s_curve(LEDGER, "latest", "fertilizer")


def test_chart_without_ledger_says_so():
    assert "not published" in disbursement.s_curve_chart("", "latest", "all", "en").data
    assert "公表されていません" in disbursement.s_curve_chart("", "latest", "all").data


def test_s_curve_chart_in_english_uses_fiscal_years_and_english_labels():
    fig = disbursement.s_curve_chart(LEDGER, "latest", "batteries", "en")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["FY2023", "FY2024"]
    assert ax.get_title() == "Disbursement S-curve (Storage batteries)"
    assert ax.get_ylabel() == "JPY 100 million"
    ja = disbursement.s_curve_chart(LEDGER, "latest", "batteries").axes[0]
    assert [t.get_text() for t in ja.get_xticklabels()] == ["2023年度", "2024年度"]
    assert "蓄電池" in ja.get_title()


def test_empty_ledger_is_refused_not_read_as_zero(tmp_path):
    # A header without rows used to publish D = 0 and a disbursement ratio of 0: a figure made of nothing.
    f = tmp_path / "empty.csv"
    f.write_text(HEADER, encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"empty.csv:1: the ledger has a header but no data row"):
        disbursement.read_ledger(str(f))


def ledger(tmp_path, *rows, name="l.csv"):
    f = tmp_path / name
    f.write_text("product,plan,fiscal_year,disbursed,planned\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return str(f)


def problems(path):
    with pytest.raises(DataValidationError) as info:
        disbursement.read_ledger(path)
    return info.value.problems


def test_disbursement_above_the_approved_cap_names_file_line_column_value(tmp_path):
    # batteries-2023-04-28-01: cap about 11 億円 (approximate) in plans_approved.csv; 99,999 gave D/A = 7.69.
    path = ledger(
        tmp_path, "batteries,batteries-2023-06-16-01,2023,100,", "batteries,batteries-2023-04-28-01,2024,99999,"
    )
    found = problems(path)
    cap = [p for p in found if p.rule == "ledger:above_cap"]
    assert len(cap) == 1 and (cap[0].line, cap[0].column, cap[0].value) == (3, "disbursed", "99999")
    assert "about 11 億円" in cap[0].message and "plans_approved.csv" in cap[0].message
    total = [p for p in found if p.rule == "ledger:above_approved_total"]
    assert total and total[0].line == 3 and "13,000 億円" in total[0].message


def test_an_exact_cap_is_a_hard_limit_and_cumulates_over_years(tmp_path):
    # semiconductors-2023-07-14-01: 750 億円, exact
    assert not disbursement.read_ledger(
        ledger(tmp_path, "semiconductors,semiconductors-2023-07-14-01,2023,700,", name="ok.csv")
    ).attrs["warnings"]
    found = problems(
        ledger(
            tmp_path,
            "semiconductors,semiconductors-2023-07-14-01,2023,700,",
            "semiconductors,semiconductors-2023-07-14-01,2024,50.5,",
        )
    )
    assert [(p.line, p.rule, p.value) for p in found] == [(3, "ledger:above_cap", "50.5")]
    assert "cumulative disbursement 750.5 億円" in found[0].message and "750 億円 (exact)" in found[0].message


def test_within_the_rounding_of_an_approximate_cap_is_a_warning_shown_beside_the_figure(tmp_path, capsys):
    path = ledger(tmp_path, "batteries,batteries-2023-04-28-01,2024,11.3,")
    frame = disbursement.read_ledger(path)
    assert frame.attrs["above_approximate_cap"] == ["batteries-2023-04-28-01"]
    for lang, words in (("en", "within its rounding (±0.5)"), ("ja", "丸めの幅（±0.5億円）")):
        table = disbursement.disbursement_summary(path, "latest", "batteries", lang)
        plan = table[table["level"] == "plan"].iloc[0]
        assert plan["disbursement_ratio"] == round(11.3 / 11, 4) and words in plan["note"]
    assert "above its approximate cap of about 11 億円 but within its rounding" in capsys.readouterr().err
    assert problems(ledger(tmp_path, "batteries,batteries-2023-04-28-01,2024,11.6,", name="over.csv"))


def test_rows_that_contradict_the_approved_plans(tmp_path):
    from evalkit.asof import fiscal_year_of
    from evalkit.data.catalogue import today

    later = fiscal_year_of(today()) + 1
    found = problems(
        ledger(
            tmp_path,
            "semiconductors,batteries-2023-04-28-01,2023,1,",  # the plan belongs to batteries
            "batteries,batteries-2023-06-16-01,2022,1,",  # approved 2023-06-16: FY2023
            f"batteries,batteries-2023-06-16-01,{later},1,",  # a fiscal year that has not begun
        )
    )
    assert [(p.line, p.rule) for p in found] == [
        (2, "ledger:plan_product"),
        (3, "ledger:before_approval"),
        (4, "ledger:future"),
    ]
    # a planned amount for a later year, with nothing disbursed, is a plan, not a payment
    assert len(
        disbursement.read_ledger(ledger(tmp_path, f"batteries,batteries-2023-06-16-01,{later},0,100", name="p.csv"))
    )


@pytest.mark.parametrize("cell", ["1e3", "1_000", "１２", "+5", "1,000", "nan", "inf", "0x10"])
def test_amounts_are_plain_digits(tmp_path, cell):
    found = problems(ledger(tmp_path, f'batteries,p,2024,"{cell}",'))
    assert [(p.line, p.column, p.value) for p in found] == [(2, "disbursed", cell)]


def test_encoding_fields_and_control_characters(tmp_path):
    f = tmp_path / "cp932.csv"
    f.write_bytes(("product,plan,fiscal_year,disbursed\nbatteries,蓄電池,2024,1\n").encode("cp932"))
    assert [(p.line, p.rule) for p in problems(str(f))] == [(2, "ledger:encoding")]
    found = problems(
        ledger(tmp_path, "batteries,p,2024", 'batteries,"a\x01b",2024,1,', "batteries, batteries-2023-06-16-01,2024,1,")
    )
    assert [(p.line, p.rule) for p in found] == [(2, "ledger:fields"), (3, "ledger:plan"), (4, "ledger:plan_spaces")]
    # a quoted field may span lines: problems name the physical line where the record starts
    found = problems(ledger(tmp_path, 'batteries,"two\nlines",2024,1,', "batteries,p,2024,x,", name="m.csv"))
    assert [(p.line, p.column) for p in found] == [(4, "disbursed")]
    # tab, CR and LF can be part of a quoted field and are kept verbatim (the spreadsheet keeps them as text)
    kept = disbursement.read_ledger(
        ledger(tmp_path, 'batteries,"\t=1",2024,1,', 'batteries,"\r=1",2024,1,', name="k.csv")
    )
    assert list(kept["plan"]) == ["\t=1", "\r=1"]


def test_rounding_margin():
    assert disbursement.rounding_margin(11) == 0.5
    assert disbursement.rounding_margin(1500) == 50
    assert disbursement.rounding_margin(13000) == 500
    assert disbursement.rounding_margin(2.5) == pytest.approx(0.05)


def test_bad_ledger_names_every_problem(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(
        HEADER + "batteries,p1,2024,10,\nrockets,p1,2024,1,\nbatteries,p2,FY24,1,\n"
        "batteries,p3,2024,-5,\nbatteries,p1,2024,3,\nbatteries,,2024,1,x\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as info:
        disbursement.read_ledger(str(f))
    text = str(info.value)
    for expected in (
        "bad.csv:3, column 'product', value 'rockets'",
        "bad.csv:4, column 'fiscal_year', value 'FY24'",
        "bad.csv:5, column 'disbursed', value '-5'",
        "bad.csv:6",
        "same product/plan/fiscal_year",
        "bad.csv:7, column 'plan'",
        "bad.csv:7, column 'planned', value 'x'",
    ):
        assert expected in text


def test_missing_column(tmp_path):
    f = tmp_path / "cols.csv"
    f.write_text("product,plan,disbursed\nbatteries,p,1\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"missing column\(s\) \['fiscal_year'\]"):
        disbursement.read_ledger(str(f))


def test_fixture_is_labelled_synthetic():
    assert "SYNTHETIC" in (ROOT / "tests/fixtures/README.md").read_text(encoding="utf-8")
