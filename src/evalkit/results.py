"""Headline figures: how a notebook states one (:func:`record`) and how a run reads them back (:func:`collect`).

A recorded figure is shown in the notebook (so a reader of the cell sees it)
and carried in the cell output under the MIME type :data:`RESULT_MIME`; after
the run, :mod:`evalkit.report.runner` gathers every such output into
``results.json`` with :func:`collect`. No side files, no environment
variables: the executed notebook is the record.

This module sits at the bottom of the package (it imports nothing from
evalkit), so domain modules import it at the top; ``evalkit.report.record``
re-exports it for notebooks and the runner.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any

RESULT_MIME = "application/vnd.evalkit.result+json"
_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


@dataclass(frozen=True)
class Result:
    """One headline figure.

    Attributes
    ----------
    key : str
        Stable dotted identifier, e.g. ``plans_approved.batteries``.
    value : int, float, str or None
        The figure; ``None`` states that it is not available.
    unit : str
        Unit of ``value`` (``plans``, ``億円``, ``ratio``...).
    source : str
        Where the figure comes from (document, slide or file, as-of); for a
        computed figure, say ``derived:`` and what it was derived from.
    note : str
        Optional qualifier a reader must see (``approximate``...).
    """

    key: str
    value: Any
    unit: str
    source: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (``notebook`` is added by the runner)."""
        out = asdict(self)
        if not out["note"]:
            del out["note"]
        return out


def _check_value(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy / pandas scalars
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("record(): value is NaN or infinite; record None to state a gap")
        return float(value)
    raise TypeError(f"record(): value must be a number, text or None, not {type(value).__name__}")


def record(key: str, value: Any, *, unit: str, source: str, note: str = "") -> Result:
    """State a headline figure of the report.

    Parameters
    ----------
    key : str
        Stable dotted key (``[a-z0-9_]`` parts); it is a public interface of
        ``results.json``, so do not rename keys lightly.
    value : number, str or None
        The figure (numpy scalars are converted).
    unit : str
        Its unit.
    source : str
        Its provenance (document and slide/page and as-of, or ``derived: ...``).
    note : str, optional
        A qualifier the reader must see.

    Returns
    -------
    Result
        Displayed as text and carried as :data:`RESULT_MIME` for the runner.

    Examples
    --------
    >>> r = record("fund_total_oku_yen", 21830, unit="億円", source="CAO deck slide A")
    >>> r.to_dict()["value"]
    21830
    """
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"record(): key {key!r} must be dotted lowercase words, e.g. 'plans_approved.batteries'")
    if not unit or not source:
        raise ValueError(f"record({key!r}): unit and source are required")
    result = Result(key, _check_value(value), str(unit), str(source), str(note))
    try:
        from IPython.display import display

        display({RESULT_MIME: result.to_dict(), "text/plain": _plain(result)}, raw=True)
    except ImportError:  # pragma: no cover - IPython is a dependency
        pass
    return result


def _plain(result: Result) -> str:
    value = (
        "not available"
        if result.value is None
        else (
            f"{result.value:,}"
            if isinstance(result.value, (int, float)) and not isinstance(result.value, bool)
            else str(result.value)
        )
    )
    note = f" ({result.note})" if result.note else ""
    return f"recorded {result.key} = {value} {result.unit}{note}"


def collect(nb: Any, notebook: str) -> list[dict[str, Any]]:
    """Gather the recorded results from an executed notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    notebook : str
        Its name, stored with every result.

    Returns
    -------
    list of dict
        ``{"key", "value", "unit", "notebook", "source"[, "note"]}`` in cell order.
    """
    out = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}) if output.get("output_type") in ("display_data", "execute_result") else {}
            if RESULT_MIME in data:
                item = dict(data[RESULT_MIME])
                item["notebook"] = notebook
                out.append(item)
    return out


__all__ = ["RESULT_MIME", "Result", "collect", "record"]
