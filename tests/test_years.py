"""evalkit.years: the one reader of year spans, used by the dependence, screen and supply-risk commands."""

from __future__ import annotations

import pytest

from evalkit import years
from evalkit.cli import main
from evalkit.errors import UsageError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-2022", (2019, 2022)),
        (" 2019 - 2022 ", (2019, 2022)),
        ("2022", (2022, 2022)),
        ((2018, 2020), (2018, 2020)),
    ],
)
def test_spellings_of_a_span(text, expected):
    assert years.parse_years(text) == expected


def test_empty_span_takes_the_callers_default_or_is_an_error():
    assert years.parse_years("", default=(None, None)) == (None, None)
    assert years.parse_years(None, default=(2018, 2024)) == (2018, 2024)
    with pytest.raises(UsageError, match="expected YYYY-YYYY"):
        years.parse_years("")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("19-22", "four-digit years"),
        ("2019–2022", "four-digit years"),  # an en dash is not the separator
        ("2022-2019", "the first year 2022 is after the last year 2019"),
        ("2017-2019", r"within 2018-2024 \(World Mining Data years\)"),
    ],
)
def test_bad_spans_name_the_value_and_what_was_expected(text, message):
    with pytest.raises(UsageError, match=message):
        years.parse_years(text, within=(2018, 2024), what="World Mining Data years")


def test_every_command_gives_the_same_exit_for_a_reversed_span(capsys):
    # The three commands used to parse years with three functions and three messages.
    outs = []
    for argv in (
        ["dependence", "--source", "baci", "--product", "critical_minerals", "--years", "2024-2020"],
        ["screen", "--baci", "fetched", "--importer", "JPN", "--years", "2024-2020"],
        ["supply-risk", "--years", "2024-2020"],
    ):
        assert main(argv) == 2
        outs.append(capsys.readouterr().err)
    assert all("the first year 2024 is after the last year 2020" in err for err in outs), outs
