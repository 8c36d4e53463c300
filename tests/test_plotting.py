"""Charts render Japanese text with the bundled font: no missing glyphs."""

from __future__ import annotations

import io
import warnings

import pandas as pd

from evalkit import plotting


def test_japanese_labels_render_without_missing_glyphs():
    fig = plotting.barh(
        pd.Series([2.0, 12.0], index=["抗菌性物質製剤", "工作機械・産業用ロボット"]),
        title="認定件数（計）",
        xlabel="件数 ㋿",
        source="内閣府 資料６",
        as_of="2024-10-31",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")
    texts = [t.get_text() for t in fig.texts]
    assert any("出典: 内閣府 資料６" in t for t in texts)


def test_png_output_is_deterministic():
    def render() -> bytes:
        fig = plotting.barh(
            pd.Series([1.0, 3.0], index=["肥料", "半導体"]), title="t", xlabel="x", source="s", as_of="2024-10-31"
        )
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()

    assert render() == render()


def test_japanese_captions_wrap_within_the_figure():
    note = "系列ごとに測り方も出典も異なるため、系列をまたいで線を結びません。" * 4
    text = plotting.wrap("出典: data/raw/compiled/x.csv。基準: 各行の期間による。" + note, 110)
    lines = text.split("\n")
    assert len(lines) >= 3 and all(plotting._width(line) <= 110 for line in lines)
    assert not any(line.startswith(("、", "。")) for line in lines)
    assert text.replace("\n", "") == "出典: data/raw/compiled/x.csv。基準: 各行の期間による。" + note
    latin = plotting.wrap("Source: " + "word " * 60 + "https://example.org/" + "a" * 150, 110)
    assert all(len(line) <= 110 for line in latin.split("\n"))
