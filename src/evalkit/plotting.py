"""One house style for every chart, Japanese text included.

``setup()`` loads the IPAexGothic font bundled with ``matplotlib-fontja`` (no
system fonts needed) and fixes the settings that make output deterministic.
Every chart function returns a Figure whose caption names its source and
as-of, so a chart can never leave the package without its provenance.
"""

from __future__ import annotations

import re
import unicodedata

import matplotlib
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from evalkit.i18n import t

#: Okabe–Ito colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "IPAexGothic"


def setup() -> None:
    """Apply the house style: Japanese font, palette, sizes, deterministic output."""
    import matplotlib_fontja  # noqa: F401  (registers IPAexGothic)

    matplotlib_fontja.japanize()
    plt.rcParams.update(
        {
            "font.family": FONT,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "svg.hashsalt": "evalkit",
            "axes.unicode_minus": False,
        }
    )


_WIDE = "\u3000-\u30ff\u3400-\u9fff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+\s*|\s+")
_NO_LINE_START = set("、。，．）」』】〕・ー々ゃゅょっャュョッ:;,.)]%")


def _width(text: str) -> int:
    """Display width in Latin character cells (CJK characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int = 110) -> str:
    """Wrap mixed Japanese/Latin text to ``width`` cells.

    Latin text breaks at spaces (over-long words such as URLs are cut);
    Japanese text may break between any two characters, but not before
    closing punctuation (、。）」 …). :func:`textwrap.wrap` counts a kanji as
    one cell and cannot break a sentence without spaces, which made Japanese
    captions run off the figure.
    """
    lines: list[str] = []
    line, used = "", 0
    tokens = []
    for tok in _TOKEN.findall(text):
        while _width(tok.rstrip()) > width:  # an over-long Latin word (a URL): cut it
            tokens.append(tok[:width])
            tok = tok[width:]
        tokens.append(tok)
    for tok in tokens:
        need = _width(tok.rstrip())
        if used + need > width and line.strip() and tok[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0
            tok = tok.lstrip()
            if not tok:
                continue
        line += tok
        used += _width(tok)
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def caption(fig: plt.Figure, source: str, *, as_of: str, note: str = "", lang: str = "ja") -> None:
    """Write the source line under a figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to caption.
    source : str
        Citation of the data (document, slide or file).
    as_of : str
        As-of label of the data.
    note : str, optional
        Anything else the reader must know (e.g. derived values).
    lang : {"ja", "en"}
        Language of the caption's labels.
    """
    if lang == "ja":
        text = f"{t('source', lang)}: {source.rstrip('.。')}。{t('as_of', lang)}: {as_of.rstrip('.。')}。" + (
            note or ""
        )
    else:
        text = f"{t('source', lang)}: {source}. {t('as_of', lang)}: {as_of}." + (f" {note}" if note else "")
    wrapped = wrap(text, 110)
    fig.text(0.01, 0.01, wrapped, ha="left", va="bottom", fontsize=7.5, color="#444444")
    fig.subplots_adjust(bottom=0.12 + 0.035 * wrapped.count("\n"))


def barh(
    values: pd.Series,
    *,
    title: str,
    xlabel: str,
    source: str,
    as_of: str,
    note: str = "",
    color: str = PALETTE[0],
    lang: str = "ja",
) -> plt.Figure:
    """Horizontal bar chart of one value per label, labelled with its value.

    Parameters
    ----------
    values : pandas.Series
        Values indexed by label (e.g. Japanese product names); drawn top-down
        in the given order.
    title, xlabel : str
        Chart title and x-axis label (include the unit).
    source, as_of, note : str
        Caption (see :func:`caption`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    setup()
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(values) + 1.6))
    ys = range(len(values))[::-1]
    ax.barh(list(ys), values.to_numpy(dtype=float), color=color)
    ax.set_yticks(list(ys), [str(i) for i in values.index])
    for y, v in zip(ys, values.to_numpy(dtype=float)):
        ax.text(v, y, f" {v:,.0f}", va="center", fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    caption(fig, source, as_of=as_of, note=note, lang=lang)
    return fig


def grouped_barh(
    table: pd.DataFrame, *, title: str, xlabel: str, source: str, as_of: str, note: str = "", lang: str = "ja"
) -> plt.Figure:
    """Horizontal bars for several columns per label (e.g. two snapshots).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows are labels, columns the groups (legend entries); missing values
        are drawn as no bar.
    title, xlabel, source, as_of, note : str
        As for :func:`barh`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    setup()
    n, k = table.shape
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * n + 1.8))
    height = 0.8 / max(k, 1)
    for j, col in enumerate(table.columns):
        ys = [(n - 1 - i) + (k - 1 - j - (k - 1) / 2) * height for i in range(n)]
        vals = table[col].to_numpy(dtype=float)
        ax.barh(ys, vals, height=height, label=str(col), color=PALETTE[j % len(PALETTE)])
        for y, v in zip(ys, vals):
            if v == v:
                ax.text(v, y, f" {v:,.0f}", va="center", fontsize=7)
    ax.set_yticks(list(range(n))[::-1], [str(i) for i in table.index])
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    caption(fig, source, as_of=as_of, note=note, lang=lang)
    return fig


def make_room(fig: plt.Figure, *, left: float = 0.3, extra_height: float = 1.2, bottom: float = 0.32) -> plt.Figure:
    """Give a chart room for long labels on the left and a long caption below.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A captioned chart (see :func:`caption`).
    left : float
        Left margin as a fraction of the width.
    extra_height : float
        Inches added to the height for the caption.
    bottom : float
        Bottom margin as a fraction of the new height.

    Returns
    -------
    matplotlib.figure.Figure
        The same figure.
    """
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + extra_height)
    fig.subplots_adjust(left=left, bottom=bottom)
    return fig
