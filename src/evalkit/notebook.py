"""Notebook set-up: house style, and tables that show their source.

Call :func:`setup` once at the top of a notebook. Afterwards every pandas
DataFrame whose ``attrs`` carry a ``source`` (all evalkit tables do) is shown
with a caption naming that source and its as-of, in the notebook, in JupyterLab
and in the published HTML. All text is HTML-escaped.
"""

from __future__ import annotations

import html
import json
import math

import pandas as pd

from evalkit import i18n, plotting

TABLE_MIME = "application/vnd.evalkit.table+json"
_STATE = {"lang": "ja"}


def caption_text(frame: pd.DataFrame, lang: str | None = None) -> str:
    """The caption of a sourced table ('' when it carries no source), in ``lang`` (default: the set-up language)."""
    attrs = frame.attrs or {}
    sources = attrs.get("sources") or ([attrs["source"]] if attrs.get("source") else [])
    if not sources:
        return ""
    lang = lang or _STATE["lang"]
    sep = "。" if lang == "ja" else ". "
    parts = [f"{i18n.t('source', lang)}: {' | '.join(i18n.localise_citation(str(s), lang) for s in sources)}"]
    if attrs.get("as_of"):
        parts.append(f"{i18n.t('as_of', lang)}: {attrs['as_of']}")
    if attrs.get("note"):
        parts.append(f"{i18n.t('note', lang)}: {str(attrs['note']).rstrip('.。')}")
    return sep.join(p.rstrip(".。") for p in parts) + ("。" if lang == "ja" else ".")


def _translated(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    lang = lang or _STATE["lang"]
    shown = frame.rename(columns=lambda c: i18n.header(c, lang))
    if shown.index.name:
        shown.index.name = i18n.header(shown.index.name, lang)
    return shown


def number_text(value: float) -> str:
    """A float as a reader expects it: whole amounts in full (21,830), others to 4 significant digits.

    ``{:,.4g}`` alone would print 21,830 as ``2.183e+04``; amounts of 1,000 or more keep one decimal.
    """
    if value != value:
        return "—"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{value:,.0f}"
    if abs(value) >= 1000:
        return f"{value:,.1f}"
    return f"{value:,.4g}"


def table_html(frame: pd.DataFrame, lang: str | None = None) -> str:
    """HTML of a table with its caption; every cell escaped; ``lang`` defaults to the set-up language."""
    title = frame.attrs.get("title")
    head = f"<p><strong>{html.escape(str(title))}</strong></p>" if title else ""
    body = head + _translated(frame, lang).to_html(
        escape=True, index=not isinstance(frame.index, pd.RangeIndex), na_rep="—", border=0, float_format=number_text
    )
    cap = caption_text(frame, lang)
    return body + (f'<p class="source" style="font-size:0.8em;color:#444">{html.escape(cap)}</p>' if cap else "")


def table_text(frame: pd.DataFrame) -> str:
    """Plain-text form of a table with its caption."""
    with pd.option_context("display.max_rows", 200, "display.max_columns", 50, "display.width", 200):
        text = _translated(frame).to_string(na_rep="—", index=not isinstance(frame.index, pd.RangeIndex))
    cap = caption_text(frame)
    return text + (f"\n{cap}" if cap else "")


#: Significant digits a table cell keeps in the machine-readable copy: more than any source states, and fewer
#: than the last bits that floating-point order (BLAS threads, summation order) can change between runs.
CELL_DIGITS = 12


def _cell(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.{CELL_DIGITS}g}")
    return value if isinstance(value, (int, float, str, bool)) else str(value)


def table_payload(frame: pd.DataFrame) -> dict | None:
    """Machine-readable copy of a sourced table, for ``tables.xlsx``.

    Returns ``None`` for tables without a source (they are not report tables).
    """
    attrs = frame.attrs or {}
    if not (attrs.get("source") or attrs.get("sources")):
        return None
    flat = frame.reset_index() if not isinstance(frame.index, pd.RangeIndex) else frame
    units = attrs.get("units") or {}
    payload = {
        "title": str(attrs.get("title") or ""),
        "lang": _STATE["lang"],
        "source": caption_text(frame),
        "columns": [i18n.header(c, _STATE["lang"]) for c in flat.columns],
        "units": [str(units.get(c, "")) for c in flat.columns],
        "rows": [[_cell(v) for v in row] for row in flat.itertuples(index=False, name=None)],
    }
    json.dumps(payload)  # fail here, not in the runner, if something is not serialisable
    return payload


def setup(lang: str = "ja") -> None:
    """Apply the house style and the sourced-table display to this kernel.

    Parameters
    ----------
    lang : {"ja", "en"}
        Language of table headers and captions shown from now on.
    """
    _STATE["lang"] = i18n.check_lang(lang)
    plotting.setup()
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, table_html)
    formatters["text/plain"].for_type(pd.DataFrame, lambda df, p, cycle: p.text(table_text(df)))
    if TABLE_MIME not in formatters:
        from IPython.core.formatters import JSONFormatter

        class TableFormatter(JSONFormatter):
            format_type = TABLE_MIME

        formatters[TABLE_MIME] = TableFormatter(parent=shell.display_formatter)
        shell.display_formatter.active_types.append(TABLE_MIME)
    formatters[TABLE_MIME].for_type(pd.DataFrame, table_payload)
