"""Disbursement (D): read a user-supplied ledger and compute D/A, D/B and the S-curve.

No disbursement figure is published in the shipped data (``fund_budget.csv``
row fb23 records the gap: no 基金シート, 執行額 or audit figures in the
reference set). Notebook 10 therefore says so, and only when given a ledger
file computes (``docs/methodology.md#spending-ratios``):

* disbursement ratio ``D / A`` (A = approved subsidy caps);
* absorption ``D / B`` (B = fund budget);
* the S-curve: cumulative disbursement by fiscal year against the planned
  path (the ledger's optional ``planned`` column) and against A.

Ledger format (CSV, UTF-8, one header row): ``product`` (slug), ``plan``
(plan id, as in ``plans_approved.csv`` where known), ``fiscal_year``
(integer, Japanese fiscal year), ``disbursed`` (億円, ≥ 0), and optionally
``planned`` (億円 planned for that year, ≥ 0).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from evalkit import asof as asof_rule
from evalkit.data.catalogue import LATEST
from evalkit.errors import DataValidationError, Problem
from evalkit.i18n import fiscal_year, t, unit_label
from evalkit.paths import relative
from evalkit.programme import approved_amount, approved_plans, fund_total
from evalkit.ratios import ratio, rounded
from evalkit.registry import product_names, product_slugs
from evalkit.userfile import resolve_user_file

REQUIRED = ("product", "plan", "fiscal_year", "disbursed")
OPTIONAL = ("planned",)
NOT_PUBLISHED = (
    "Disbursement is not published in the shipped data: the reference set holds no disbursement, "
    "drawdown or fund-balance figures (基金シート, 執行額, 会計検査院), see fund_budget.csv row fb23. "
    "Give a ledger file with -p ledger=PATH (columns product, plan, fiscal_year, disbursed[, planned]) "
    "to compute disbursement and absorption ratios and the S-curve."
)


def _num(cell: str, *, integer: bool) -> float | int | None:
    try:
        value = int(cell) if integer else float(cell)
    except ValueError:
        return None
    if not integer and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def read_ledger(path: str | Path) -> pd.DataFrame:
    """Read and check a disbursement ledger.

    Parameters
    ----------
    path : str or pathlib.Path
        The ledger CSV (checked with :func:`evalkit.userfile.resolve_user_file`).

    Returns
    -------
    pandas.DataFrame
        ``product``, ``plan``, ``fiscal_year`` (int), ``disbursed`` (億円),
        ``planned`` (億円, NaN where not given); ``attrs["source"]`` names
        the file.

    Raises
    ------
    DataValidationError
        Listing every bad cell with file, line, column, value and what was
        expected (missing columns, unknown product, non-numeric or negative
        amounts, non-integer years, duplicate product/plan/year rows).
    """
    file = resolve_user_file(str(path), parameter="ledger")
    name = relative(file)
    text = file.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    name,
                    1,
                    None,
                    ",".join(header),
                    "ledger:header",
                    f"missing column(s) {missing}; expected {list(REQUIRED)} (optional {list(OPTIONAL)})",
                )
            ]
        )
    slugs = set(product_slugs())
    rows, seen = [], {}
    for i, raw in enumerate(reader, start=2):
        row = {}
        if raw["product"] not in slugs:
            problems.append(
                Problem(
                    name,
                    i,
                    "product",
                    raw["product"],
                    "ledger:product",
                    "expected a product slug from data/reference/products.csv",
                )
            )
        if not (raw["plan"] or "").strip():
            problems.append(Problem(name, i, "plan", raw["plan"], "ledger:plan", "a plan identifier is required"))
        year = _num(raw["fiscal_year"] or "", integer=True)
        if year is None or not 2000 <= year <= 2100:
            problems.append(
                Problem(
                    name,
                    i,
                    "fiscal_year",
                    raw["fiscal_year"],
                    "ledger:fiscal_year",
                    "expected a fiscal year such as 2024",
                )
            )
        for col in ("disbursed",) + tuple(c for c in OPTIONAL if c in header):
            cell = raw.get(col) or ""
            if col != "disbursed" and cell == "":
                row[col] = float("nan")
                continue
            value = _num(cell, integer=False)
            if value is None or value < 0:
                problems.append(
                    Problem(
                        name, i, col, cell, f"ledger:{col}", "expected a non-negative amount in 億円 (plain digits)"
                    )
                )
            row[col] = value
        key = (raw["product"], raw["plan"], raw["fiscal_year"])
        if key in seen:
            problems.append(
                Problem(
                    name,
                    i,
                    "product,plan,fiscal_year",
                    ",".join(key),
                    "ledger:duplicate",
                    f"the same product/plan/fiscal_year is on line {seen[key]}",
                )
            )
        seen[key] = i
        rows.append({"product": raw["product"], "plan": raw["plan"], "fiscal_year": year, **row})
    if problems:
        raise DataValidationError(problems)
    out = pd.DataFrame(rows, columns=list(REQUIRED) + list(OPTIONAL))
    out["planned"] = pd.to_numeric(out["planned"], errors="coerce")
    out.attrs.update(source=f"user-supplied ledger [{name}]", path=name)
    return out


def _ledger(ledger: str, as_of: str, product: str) -> pd.DataFrame:
    frame = read_ledger(ledger)
    limit = asof_rule.fiscal_year_limit(as_of)
    if limit is not None:
        frame = frame[frame["fiscal_year"] <= limit]
    if product != "all":
        frame = frame[frame["product"] == product]
    out = frame.copy()
    out.attrs.update(frame.attrs)
    return out


def disbursement_summary(ledger: str = "", as_of: str = LATEST, product: str = "all", lang: str = "ja") -> pd.DataFrame:
    """Disbursement and absorption ratios, or a statement that D is not published.

    Parameters
    ----------
    ledger : str
        Path of a ledger file; ``""`` (the default) means none was given.
    as_of : str
        ``latest`` or an ISO date; ledger years after the as-of's fiscal year
        are left out.
    product : str
        ``all`` or a product slug.
    lang : {"ja", "en"}
        Unit wording of the note (億円 or JPY 100 million).

    Returns
    -------
    pandas.DataFrame
        Without a ledger: one row stating the gap. With one: per plan, per
        product and in total, ``disbursed_oku_yen`` (D), ``approved_cap_oku_yen``
        (A: the plan's cap from ``plans_approved.csv``; for the total the
        approved amount the deck states), ``budget_oku_yen`` (B, total only),
        ``disbursement_ratio`` (D/A) and ``absorption_ratio`` (D/B), both
        derived, with a note wherever a ratio is undefined.
    """
    if not ledger:
        out = pd.DataFrame(
            [{"measure": "disbursement (D)", "value": None, "status": "not published", "explanation": NOT_PUBLISHED}]
        )
        out.attrs.update(
            source="data/raw/compiled/compiled-2026-11-28/fund_budget.csv row fb23", as_of=as_of, note="no ledger given"
        )
        return out
    frame = _ledger(ledger, as_of, product)
    caps = approved_plans(as_of).set_index("plan_id")["max_subsidy_oku_yen"]
    rows = []
    for (prod, plan), grp in frame.groupby(["product", "plan"], sort=True):
        d = float(grp["disbursed"].sum())
        a = caps.get(plan)
        r = ratio(d, a, what="disbursement ratio")
        rows.append(
            {
                "level": "plan",
                "product": prod,
                "plan": plan,
                "disbursed_oku_yen": d,
                "approved_cap_oku_yen": a,
                "budget_oku_yen": None,
                "disbursement_ratio": rounded(r.value, 4),
                "absorption_ratio": None,
                "note": r.note if plan in caps.index else "plan not itemised in plans_approved.csv: A unknown",
            }
        )
    for prod, grp in frame.groupby("product", sort=True):
        d = float(grp["disbursed"].sum())
        known = [caps.get(p) for p in grp["plan"].unique() if pd.notna(caps.get(p))]
        a = float(sum(known)) if known else None
        r = ratio(d, a, what="disbursement ratio")
        rows.append(
            {
                "level": "product",
                "product": prod,
                "plan": "",
                "disbursed_oku_yen": d,
                "approved_cap_oku_yen": a,
                "budget_oku_yen": None,
                "disbursement_ratio": rounded(r.value, 4),
                "absorption_ratio": None,
                "note": r.note or "A = caps of the ledger's itemised plans only",
            }
        )
    d_total = float(frame["disbursed"].sum())
    if product == "all":
        a_total = approved_amount(as_of)[0]
        b_total = fund_total(as_of)[0]
        rd = ratio(d_total, a_total, what="disbursement ratio")
        rb = ratio(d_total, b_total, what="absorption ratio")
        rows.append(
            {
                "level": "total",
                "product": "all",
                "plan": "",
                "disbursed_oku_yen": d_total,
                "approved_cap_oku_yen": a_total,
                "budget_oku_yen": b_total,
                "disbursement_ratio": rounded(rd.value, 4),
                "absorption_ratio": rounded(rb.value, 4),
                "note": "; ".join(n for n in (rd.note, rb.note) if n)
                or "A = approved amount stated by the deck, B = stated fund total",
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "level",
            "product",
            "plan",
            "disbursed_oku_yen",
            "approved_cap_oku_yen",
            "budget_oku_yen",
            "disbursement_ratio",
            "absorption_ratio",
            "note",
        ],
    )
    out.attrs.update(
        source=frame.attrs["source"] + " | data/raw/compiled plans_approved.csv | CAO deck",
        as_of=as_of,
        note=f"amounts in {unit_label('億円', lang)}; D/A and D/B are derived",
    )
    return out


def s_curve(ledger: str, as_of: str = LATEST, product: str = "all") -> pd.DataFrame:
    """Cumulative disbursement by fiscal year against the planned path.

    Returns
    -------
    pandas.DataFrame
        Index ``fiscal_year``; ``disbursed_oku_yen``, ``cumulative_disbursed_oku_yen``,
        ``planned_oku_yen``, ``cumulative_planned_oku_yen`` (NaN when the
        ledger gives no plan), ``schedule_gap_oku_yen`` (D_t − D_t^plan, derived).

    Raises
    ------
    ValueError
        If the ledger holds no row for ``product`` up to ``as_of``.
    """
    frame = _ledger(ledger, as_of, product)
    if frame.empty:
        raise ValueError(f"ledger {frame.attrs.get('path')}: no row for product={product} up to as_of={as_of}")
    by_year = frame.groupby("fiscal_year").agg(
        disbursed_oku_yen=("disbursed", "sum"), planned_oku_yen=("planned", lambda s: s.sum(min_count=1))
    )
    by_year["cumulative_disbursed_oku_yen"] = by_year["disbursed_oku_yen"].cumsum()
    by_year["cumulative_planned_oku_yen"] = by_year["planned_oku_yen"].cumsum()
    by_year["schedule_gap_oku_yen"] = by_year["cumulative_disbursed_oku_yen"] - by_year["cumulative_planned_oku_yen"]
    out = by_year[
        [
            "disbursed_oku_yen",
            "cumulative_disbursed_oku_yen",
            "planned_oku_yen",
            "cumulative_planned_oku_yen",
            "schedule_gap_oku_yen",
        ]
    ]
    out.attrs.update(
        source=frame.attrs["source"], as_of=as_of, note="cumulative figures and the schedule gap are derived; 億円"
    )
    return out


def s_curve_chart(ledger: str = "", as_of: str = LATEST, product: str = "all", lang: str = "ja"):
    """S-curve chart, or a plain statement when no ledger is given.

    Parameters
    ----------
    ledger, as_of, product : str
        As for :func:`s_curve`.
    lang : {"ja", "en"}
        Language of title, axis, legend, fiscal years and caption.

    Returns
    -------
    matplotlib.figure.Figure or IPython.display.Markdown
    """
    if not ledger:
        from IPython.display import Markdown

        return Markdown(f"*{t('no_s_curve', lang)}*")
    import matplotlib.pyplot as plt

    from evalkit import plotting

    table = s_curve(ledger, as_of, product)
    plotting.setup()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    years = [fiscal_year(int(y), lang) for y in table.index]
    ax.plot(years, table["cumulative_disbursed_oku_yen"], marker="o", label=t("label_cumulative_disbursed", lang))
    if table["cumulative_planned_oku_yen"].notna().any():
        ax.plot(
            years,
            table["cumulative_planned_oku_yen"],
            marker="s",
            linestyle="--",
            label=t("label_cumulative_planned", lang),
        )
    ax.set_ylabel(t("axis_oku_yen", lang))
    name = t("label_all_products", lang) if product == "all" else product_names(lang).get(product, product)
    ax.set_title(t("chart_s_curve_title", lang, product=name))
    ax.legend(frameon=False, fontsize=8)
    plotting.caption(fig, table.attrs["source"], as_of=as_of, note=t("note_cumulative_derived", lang), lang=lang)
    plotting.make_room(fig, left=0.12, extra_height=0.4, bottom=0.2)
    plt.close(fig)
    return fig
