"""Captions of sourced tables (evalkit.notebook): the source's as-of is stated in the reader's language."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.data.table import citation
from evalkit.notebook import caption_text


def _frame(meta: dict, name: str = "data/raw/x.csv") -> pd.DataFrame:
    frame = pd.DataFrame({"a": [1]})
    frame.attrs["source"] = citation(meta, name)
    return frame


DATED = {"source_reference": "CAO 資料6, slide D1", "as_of": "2024-10-31"}
UNDATED = {"source_reference": "CAO 資料6, slide D3"}


@pytest.mark.parametrize(
    "meta, ja, en",
    [
        (
            DATED,
            "出典: CAO 資料6, slide D1; 時点 2024-10-31 [data/raw/x.csv]。",
            "Source: CAO 資料6, slide D1; as of 2024-10-31 [data/raw/x.csv].",
        ),
        (
            UNDATED,
            "出典: CAO 資料6, slide D3; 出典に時点の記載なし [data/raw/x.csv]。",
            "Source: CAO 資料6, slide D3; no as-of date stated by the source [data/raw/x.csv].",
        ),
    ],
)
def test_caption_states_the_as_of_in_the_reader_language(meta, ja, en):
    assert caption_text(_frame(meta), "ja") == ja
    assert caption_text(_frame(meta), "en") == en


def test_several_sources_are_each_localised_and_other_text_is_kept():
    frame = pd.DataFrame({"a": [1]})
    frame.attrs["sources"] = [citation(DATED, "a.csv"), citation(UNDATED, "b.csv")]
    frame.attrs["note"] = "values as of the slide date"
    cap = caption_text(frame, "ja")
    assert "時点 2024-10-31 [a.csv]" in cap and "出典に時点の記載なし [b.csv]" in cap
    assert "values as of the slide date" in cap  # a note is not a citation: left as written


def test_table_cells_keep_twelve_significant_digits_so_last_bit_noise_cannot_change_a_committed_output():
    import pandas as pd

    from evalkit.notebook import table_payload

    a = pd.DataFrame({"coef": [85.48999999999998, -3.87999999999998, 21830.0, 1 / 3]})
    b = pd.DataFrame({"coef": [85.48999999999997, -3.87999999999993, 21830.0, 1 / 3]})
    for frame in (a, b):
        frame.attrs["source"] = "test"
    assert table_payload(a)["rows"] == table_payload(b)["rows"] == [[85.49], [-3.88], [21830.0], [0.333333333333]]
