"""The findings that open the report index: one sentence each, every number read from the run's results.

:data:`FINDINGS` is the one place that says which recorded results make the
summary. Each finding names the result keys it reads (the first is the
figure it links to), how each number is written, and a sentence template in
``translations.yaml`` (``finding:<id>``, Japanese and English). A finding
whose keys are missing from the run, or whose values are not available
(``None``), is left out: a sentence is never written with a number the run
did not record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One sentence of the summary.

    Attributes
    ----------
    id : str
        Names the sentence template ``finding:<id>`` in ``translations.yaml``.
    keys : tuple of (str, str, str)
        ``(placeholder, result key, format)`` for each number of the sentence;
        the first key's figure is the one the sentence links to and cites.
        Formats: ``count`` (whole number with separators), ``percent`` (a
        0-1 ratio or share written as a percentage, one decimal), ``oku_yen``
        (an amount in 億円, :func:`evalkit.i18n.oku_yen`).
    figure : str
        The evalkit function whose table or chart, in the first key's
        notebook, shows the figures (``evalkit.programme.approvals``); the
        sentence links to its first output there
        (:func:`evalkit.report.provenance.function_anchors`), else to the
        output the first key was recorded under.
    """

    id: str
    keys: tuple[tuple[str, str, str], ...]
    figure: str = ""


FINDINGS: tuple[Finding, ...] = (
    Finding("plans_approved", (("plans", "plans_approved_total", "count"),), "evalkit.programme.approvals"),
    Finding(
        "commitment",
        (
            ("ratio", "commitment_ratio", "percent"),
            ("approved", "approved_amount_oku_yen", "oku_yen"),
            ("fund", "fund_total_oku_yen", "oku_yen"),
        ),
        "evalkit.accounting.commitment",
    ),
    Finding(
        "on_track",
        (
            ("share", "on_track_share", "percent"),
            ("low", "on_track_share_ci_low", "percent"),
            ("high", "on_track_share_ci_high", "percent"),
            ("reports", "reports_total", "count"),
        ),
        "evalkit.progress_reports.status_table",
    ),
    Finding(
        "rare_earths_china",
        (
            ("latest", "trade.critical_minerals.rare_earths.quantity.china_share.2024", "percent"),
            ("first", "trade.critical_minerals.rare_earths.quantity.china_share.2009", "percent"),
        ),
        "evalkit.item_dependence.summary",
    ),
    Finding(
        "graphite_china",
        (
            ("latest", "trade.critical_minerals.graphite.quantity.china_share.2024", "percent"),
            ("first", "trade.critical_minerals.graphite.quantity.china_share.2009", "percent"),
        ),
        "evalkit.item_dependence.summary",
    ),
    Finding(
        "screen_dependent",
        (
            ("products", "screening.jpn.dependent_products", "count"),
            ("outside", "screening.jpn.persistent_outside_designated", "count"),
        ),
        "evalkit.screening.report.flagged",
    ),
)


def shown(value: Any, form: str, lang: str = "ja") -> str:
    """``value`` written as ``form`` (see :class:`Finding`) for a reader of ``lang``.

    Examples
    --------
    >>> shown(0.878378, "percent", "en")
    '87.8%'
    >>> shown(123, "count", "ja")
    '123'
    """
    from evalkit.i18n import oku_yen

    if form == "percent":
        return f"{value * 100:.1f}%"
    if form == "oku_yen":
        return oku_yen(value, lang)
    if form == "count":
        return f"{int(value):,}"
    raise ValueError(f"unknown finding format {form!r}")


def build(
    results: list[dict[str, Any]],
    lang: str = "ja",
    anchors: dict[str, str] | None = None,
    figures: dict[str, dict[str, str]] | None = None,
) -> list[dict[str, str]]:
    """The summary sentences a run's results support, in :data:`FINDINGS` order.

    Parameters
    ----------
    results : list of dict
        The run's results (``key``, ``value``, ``unit``, ``notebook``, ``source``), as in ``results.json``.
    lang : {"ja", "en"}
    anchors : dict, optional
        Result key -> HTML anchor (``cell-<id>``) of the output it
        was recorded under in its notebook's page (:func:`evalkit.report.provenance.result_anchors`).
    figures : dict, optional
        Notebook -> {evalkit function -> anchor of its first output}
        (:func:`evalkit.report.provenance.function_anchors`); a finding links to
        its :attr:`Finding.figure` there when the notebook shows it.

    Returns
    -------
    list of dict
        ``id``, ``text`` (the sentence), ``href`` (page and anchor of the first
        key's figure), ``key`` (that key) and ``source`` (its source, localised).
    """
    from evalkit.i18n import localise_citation, t

    by_key = {r["key"]: r for r in results}
    out = []
    for finding in FINDINGS:
        rows = [by_key.get(key) for _, key, _ in finding.keys]
        if any(row is None or row.get("value") is None for row in rows):
            continue
        numbers = {name: shown(row["value"], form, lang) for (name, _, form), row in zip(finding.keys, rows)}
        first = rows[0]
        page = str(first.get("notebook", ""))
        anchor = (figures or {}).get(page, {}).get(finding.figure) or (anchors or {}).get(first["key"])
        href = f"{page}.html" + (f"#{anchor}" if anchor else "")
        out.append(
            {
                "id": finding.id,
                "text": t(f"finding:{finding.id}", lang, **numbers),
                "href": href,
                "key": first["key"],
                "source": localise_citation(str(first.get("source") or ""), lang),
            }
        )
    return out
