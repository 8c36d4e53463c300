"""Notebook set-up: house style, and tables that show their source.

Call :func:`setup` once at the top of a notebook. Afterwards every pandas
DataFrame whose ``attrs`` carry a ``source`` (all evalkit tables do) is shown
with a caption naming that source and its as-of, in the notebook, in JupyterLab
and in the published HTML. All text is HTML-escaped.
"""

from __future__ import annotations

import html

import pandas as pd

from evalkit import plotting


def caption_text(frame: pd.DataFrame) -> str:
    """The caption of a sourced table ('' when it carries no source)."""
    attrs = frame.attrs or {}
    sources = attrs.get("sources") or ([attrs["source"]] if attrs.get("source") else [])
    if not sources:
        return ""
    parts = [f"出典 Source: {' | '.join(str(s) for s in sources)}"]
    if attrs.get("as_of"):
        parts.append(f"時点 As of: {attrs['as_of']}")
    if attrs.get("note"):
        parts.append(f"注 Note: {str(attrs['note']).rstrip('.')}")
    return ". ".join(parts) + "."


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


def table_html(frame: pd.DataFrame) -> str:
    """HTML of a table with its caption; every cell escaped."""
    body = frame.to_html(escape=True, na_rep="—", border=0, float_format=number_text)
    cap = caption_text(frame)
    return body + (f'<p class="source" style="font-size:0.8em;color:#444">{html.escape(cap)}</p>' if cap else "")


def table_text(frame: pd.DataFrame) -> str:
    """Plain-text form of a table with its caption."""
    with pd.option_context("display.max_rows", 200, "display.max_columns", 50, "display.width", 200):
        text = frame.to_string(na_rep="—")
    cap = caption_text(frame)
    return text + (f"\n{cap}" if cap else "")


def setup() -> None:
    """Apply the house style and the sourced-table display to this kernel."""
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
