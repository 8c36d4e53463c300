"""Logic model per product: input → activity → output → outcome → impact.

The chain follows the 行政事業レビュー logic model (インプット → 活動 →
アウトプット → アウトカム → インパクト; ``docs/methodology.md#logic-model``):

* input: budget (ESPA fund lines specific to the product, else its share of
  the fund total is not published);
* activity: approved supply-assurance plans;
* output: capacity, stockpile or compute the plans deliver, against targets;
* outcome: published dependence indicators (e.g. China's share of imports);
* impact: supply security, for which the data package holds no indicator.

Each step carries its indicator, latest value, as-of and source, or says
"not yet measurable" where that is the truth.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from evalkit import asof as asof_rule
from evalkit.accounting import product_budget_lines
from evalkit.data import read_table, table_path
from evalkit.data.catalogue import LATEST, parse_as_of
from evalkit.i18n import oku_yen, t
from evalkit.programme import approvals
from evalkit.registry import check_product, product_names, product_slugs
from evalkit.targets import attainment

STAGES = ("input", "activity", "output", "outcome", "impact")
STAGES_JA = {
    "input": "インプット",
    "activity": "活動",
    "output": "アウトプット",
    "outcome": "アウトカム",
    "impact": "インパクト",
}
NOT_YET = "not yet measurable"


def _dependence(as_of: str) -> pd.DataFrame:
    frame = read_table(table_path("compiled", "external_dependence_published", as_of))
    as_of = parse_as_of(as_of)
    if as_of != LATEST:
        limit = dt.date.fromisoformat(as_of).year
        keep = [asof_rule.present(y) and int(y) < limit for y in frame["year"]]
        frame = frame[pd.Series(keep, index=frame.index, dtype=bool)]
    return frame


def _context(as_of: str) -> dict:
    """Tables every product's chain needs, read once per call of :func:`overview` or :func:`pages`."""
    return {
        "lines": product_budget_lines(as_of, "all"),
        "approvals": approvals(as_of),
        "targets": attainment(as_of, "all"),
        "dependence": _dependence(as_of),
    }


def chain(product: str, as_of: str = LATEST, context: dict | None = None, lang: str = "ja") -> pd.DataFrame:
    """The five steps of one product's logic model.

    Parameters
    ----------
    product : str
        A product slug.
    as_of : str
        ``latest`` or an ISO date. Dependence figures count for a dated
        as-of only when their year ended before it.
    context : dict, optional
        Pre-read tables (internal: lets the overview read each table once).
    lang : {"ja", "en"}
        How amounts and counts are written (``3,316億円`` / ``JPY 331.6
        billion``, ``32件`` / ``32 plans``); indicator wording stays English.

    Returns
    -------
    pandas.DataFrame
        ``stage``, ``stage_ja``, ``indicator``, ``value``, ``as_of``,
        ``source`` (five rows, in chain order).
    """
    check_product(product, allow_all=False)
    ctx = context or _context(as_of)
    rows = []
    lines = ctx["lines"][ctx["lines"]["product"] == product]
    lines.attrs.update(ctx["lines"].attrs)
    espa = lines[lines["instrument"] == "espa_fund"]
    if len(espa):
        amounts = "; ".join(
            f"{oku_yen(v, lang)} ({b}, {q})"
            for v, b, q in zip(espa["amount_oku_yen"], espa["budget_vintage"], espa["amount_qualifier"])
        )
        rows.append(
            ("input", "ESPA fund budget lines for this product", amounts, lines.attrs["as_of"], lines.attrs["source"])
        )
    else:
        rows.append(
            (
                "input",
                "ESPA fund budget lines for this product",
                "not published per product in the shipped data (part of the fund total)",
                "",
                lines.attrs["source"],
            )
        )
    appr = ctx["approvals"].set_index("product")
    rows.append(
        (
            "activity",
            "approved supply-assurance plans",
            plans_text(int(appr.loc[product, "plans_approved"]), lang),
            appr.attrs["as_of"],
            appr.attrs["source"],
        )
    )
    targets = ctx["targets"][ctx["targets"]["product"] == product]
    targets.attrs.update(ctx["targets"].attrs)
    scored = targets[targets["attainment"].notna()]
    unscored = targets[targets["attainment"].isna() & targets["level"].notna()]
    parts = [
        f"{r['item_en']}: {r['level']:g} of {r['target']} {r['unit']} ({r['level_kind']}, "
        f"attainment {r['attainment']:.0%}, derived)"
        for r in scored.to_dict("records")
    ]
    parts += [f"{r['item_en']}: level stated but not scored ({r['why']})" for r in unscored.to_dict("records")]
    if parts:
        have = pd.concat([scored, unscored])
        rows.append(
            (
                "output",
                "capacity / stockpile / compute against targets",
                "; ".join(parts),
                targets.attrs["as_of"],
                "; ".join(sorted(set(have["level_source"]))),
            )
        )
    else:
        stated = "; ".join(
            f"{r['item_en']} {r['target']} {r['unit'] if asof_rule.present(r['unit']) else ''}".strip()
            for r in targets.to_dict("records")
        )
        rows.append(
            (
                "output",
                "capacity / stockpile / compute against targets",
                f"{NOT_YET}: no approved or achieved level published"
                + (f" (targets: {stated})" if stated else " and no quantitative target"),
                "",
                targets.attrs["source"],
            )
        )
    dep = ctx["dependence"]
    dep = dep[(dep["product"] == product) & ~dep["partner_is_aggregate"].fillna(False).astype(bool)]
    if len(dep):
        dep = dep.assign(_y=[int(y) if asof_rule.present(y) else -1 for y in dep["year"]])
        latest = dep.sort_values(["_y", "row_id"]).groupby("indicator", sort=False).tail(1)
        text = "; ".join(
            f"{r['indicator']}: {r['value']:g} {r['unit']} ({r['period']}, {r['confidence']})"
            for r in latest.to_dict("records")
        )
        rows.append(
            (
                "outcome",
                "published dependence indicators (latest per indicator)",
                text,
                "per figure (period shown)",
                "; ".join(sorted(set(latest["source"]))),
            )
        )
    else:
        rows.append(
            (
                "outcome",
                "dependence on specific countries",
                f"{NOT_YET}: no dependence figure published for this product in the shipped data",
                "",
                "data/raw/compiled external_dependence_published.csv",
            )
        )
    rows.append(
        (
            "impact",
            "supply security of the product",
            f"{NOT_YET}: the data package holds no agreed impact indicator; the programme's effect cannot be "
            "separated from other causes with these data",
            "",
            "—",
        )
    )
    out = pd.DataFrame(rows, columns=["stage", "indicator", "value", "as_of", "source"])
    out.insert(1, "stage_ja", out["stage"].map(STAGES_JA))
    out.attrs.update(
        source=f"evalkit logic model for {product} (sources per row)",
        as_of=as_of,
        note="attainment derived; 'not yet measurable' marks steps without published figures",
    )
    return out


def plans_text(count: int, lang: str = "ja") -> str:
    """A number of plans as text: ``32件`` or ``32 plans``."""
    return f"{count:,}{t('unit_plans', 'ja')}" if lang == "ja" else f"{count:,} {t('unit_plans', 'en')}"


def overview(as_of: str = LATEST, product: str = "all", lang: str = "ja") -> pd.DataFrame:
    """One row per product: which steps of the chain have a published figure.

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date.
    product : str
        ``all`` or a product slug.
    lang : {"ja", "en"}
        Language of the product names and of the cells.

    Returns
    -------
    pandas.DataFrame
        Index ``product``; columns ``name`` (in ``lang``) and one per stage
        holding ``measured`` or ``not yet measurable`` (測定あり / 未測定 in
        Japanese).
    """
    slugs = product_slugs() if product == "all" else [product]
    ctx = _context(as_of)
    rows = []
    for slug in slugs:
        c = chain(slug, as_of, ctx).set_index("stage")
        rows.append(
            {
                "product": slug,
                "name": product_names(lang)[slug],
                **{
                    s: t("not_yet_measurable", lang)
                    if NOT_YET in str(c.loc[s, "value"]) or "not published" in str(c.loc[s, "value"])
                    else t("measured", lang)
                    for s in STAGES
                },
            }
        )
    out = pd.DataFrame(rows).set_index("product")
    out.attrs.update(
        source="evalkit logic model (see the per-product pages for each figure's source)",
        as_of=as_of,
        title=t("table_logic_overview_title", lang),
        note=t("note_logic_overview", lang),
    )
    return out


def pages(as_of: str = LATEST, product: str = "all", lang: str = "ja"):
    """One HTML page per product (each starts a new printed page).

    Parameters
    ----------
    as_of, product : str
        As for :func:`overview`.
    lang : {"ja", "en"}
        ``ja`` heads each page with both names, ``en`` with the English name
        only; the stage is named in ``lang`` (インプット / Input).

    Returns
    -------
    IPython.display.HTML
    """
    from IPython.display import HTML

    from evalkit import notebook

    slugs = product_slugs() if product == "all" else [product]
    ctx = _context(as_of)
    parts = []
    for slug in slugs:
        heading = (
            product_names("en")[slug] if lang == "en" else f"{product_names('ja')[slug]} / {product_names('en')[slug]}"
        )
        steps = chain(slug, as_of, ctx, lang)
        steps = steps.drop(columns=["stage_ja"]).assign(stage=[t(s, lang) for s in steps["stage"]])
        parts.append(
            f'<section style="break-before: page; page-break-before: always">'
            f"<h3>{html.escape(heading)}</h3>"
            f"{notebook.table_html(steps, lang)}</section>"
        )
    return HTML("\n".join(parts))
