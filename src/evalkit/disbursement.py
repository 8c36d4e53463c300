"""Disbursement (D): read a user-supplied ledger and compute D/A, D/B and the S-curve.

No disbursement figure is published in the shipped data (``fund_budget.csv``
row fb23 records the gap: no 基金シート, 執行額 or audit figures in the
reference set). Notebook 10 therefore says so, and only when given a ledger
file computes, as the Board of Audit of Japan (会計検査院) measures the execution of funds
(https://report.jbaudit.go.jp/org/h24/ZUIJI7/2012-h24-Z7040-0.htm; ``docs/methodology.md#spending-ratios``):

* disbursement ratio ``D / A`` (A = approved subsidy caps);
* absorption ``D / B`` (B = fund budget);
* the S-curve: cumulative disbursement by fiscal year against the planned
  path (the ledger's optional ``planned`` column) and against A.

Ledger format (CSV, UTF-8, one header row): ``product`` (slug), ``plan``
(plan id, as in ``plans_approved.csv`` where known), ``fiscal_year``
(integer, Japanese fiscal year), ``disbursed`` (億円, ≥ 0), and optionally
``planned`` (億円 planned for that year, ≥ 0). :func:`read_ledger` refuses a
ledger that contradicts the approved plans (a plan paid above its cap, see
its Notes) before any figure is computed from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

from evalkit import asof as asof_rule
from evalkit.data.catalogue import LATEST
from evalkit.errors import DataValidationError, Problem
from evalkit.i18n import fiscal_year, t, unit_label
from evalkit.paths import relative
from evalkit.programme import approved_amount, approved_plans, fund_total, plan_caps
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


_AMOUNT = re.compile(r"^[0-9]+(\.[0-9]+)?$")  # ASCII digits only: \d would take full-width ones
#: Control characters refused in a plan id; tab, CR and LF are kept (a CSV can carry them in quotes).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _num(cell: str, *, integer: bool) -> float | int | None:
    """A plain non-negative number (``1234`` or ``1234.5``; no sign, exponent, separator or full-width digit)."""
    text = cell.strip()
    if integer:
        return int(text) if re.fullmatch(r"[0-9]+", text) else None
    return float(text) if _AMOUNT.match(text) else None


def rounding_margin(value: float) -> float:
    """Half a unit of the last significant digit of a rounded figure.

    A figure stated as approximate (約11億円, 約1,500億円) may be the true
    amount rounded at its last non-zero digit; this is how far above it the
    true amount can lie.

    Examples
    --------
    >>> rounding_margin(11), rounding_margin(1500), rounding_margin(2.5)
    (0.5, 50.0, 0.05)
    """
    exponent = Decimal(str(float(value))).normalize().as_tuple().exponent
    return float(Decimal(5) * Decimal(10) ** (exponent - 1))


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
        the file, ``attrs["warnings"]`` holds one message per plan whose
        disbursement is above an *approximate* cap but within its rounding
        (see Notes) and ``attrs["above_approximate_cap"]`` those plans.

    Raises
    ------
    DataValidationError
        Listing every bad cell with file, line, column, value and what was
        expected: text that is not UTF-8, ragged rows, missing columns, no
        data row, unknown product, control characters, amounts that are not
        plain non-negative numbers, non-integer years, duplicate
        product/plan/year rows, and rows that contradict the plan-level table
        ``plans_approved.csv`` (see Notes).

    Notes
    -----
    A plan's subsidy cap A (交付上限額, column ``max_subsidy_oku_yen``) is the
    most the fund can pay it, so a ledger is refused where, on the line that
    does it, the plan's cumulative disbursement goes above its cap. The cap is
    compared as published: an *exact* cap is a hard limit; an *approximate*
    one (約) is the amount rounded, so the limit is the cap plus
    :func:`rounding_margin`, and a disbursement between the cap and that
    limit is kept with a warning, printed to the run log and shown in the
    table beside the ratio. A ledger whose total goes above the approved
    amount of all plans (plus its rounding) is refused the same way. A plan
    id that ``plans_approved.csv`` gives to another product, a disbursement in
    a fiscal year before the plan's approval, and a disbursement in a fiscal
    year that has not begun are refused too. Plans the table does not
    itemise cannot be checked against a cap; their rows say "A unknown".
    """
    file = resolve_user_file(str(path), parameter="ledger")
    name = relative(file)
    raw_bytes = file.read_bytes()
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw_bytes[: exc.start].count(b"\n") + 1
        raise DataValidationError(
            [
                Problem(
                    name,
                    line,
                    None,
                    repr(raw_bytes[exc.start : exc.start + 4]),
                    "ledger:encoding",
                    "expected UTF-8 text (save the CSV as UTF-8; CP932 / Shift_JIS is not read)",
                )
            ]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
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
    rows, lines, seen, complete = [], [], {}, []
    for i, cells in _records(reader, name, problems):
        if not cells:
            continue  # a blank line
        if len(cells) != len(header):
            problems.append(
                Problem(
                    name,
                    i,
                    None,
                    ",".join(cells),
                    "ledger:fields",
                    f"expected {len(header)} fields as in the header, found {len(cells)}",
                )
            )
            continue
        raw = dict(zip(header, cells))
        row = {}
        if _CONTROL.search(raw["plan"]):
            problems.append(Problem(name, i, "plan", raw["plan"], "ledger:plan", "a control character in a plan id"))
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
        if not raw["plan"].strip():
            problems.append(Problem(name, i, "plan", raw["plan"], "ledger:plan", "a plan identifier is required"))
        year = _num(raw["fiscal_year"], integer=True)
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
            year = None
        for col in ("disbursed",) + tuple(c for c in OPTIONAL if c in header):
            cell = raw.get(col, "")
            if col != "disbursed" and cell.strip() == "":
                row[col] = float("nan")
                continue
            value = _num(cell, integer=False)
            if value is None:
                problems.append(
                    Problem(
                        name,
                        i,
                        col,
                        cell,
                        f"ledger:{col}",
                        "expected a non-negative amount in 億円, plain digits (e.g. 12.5: no sign, exponent, "
                        "thousands separator or full-width digit)",
                    )
                )
            row[col] = value
        key = (raw["product"], raw["plan"], year if year is not None else raw["fiscal_year"])
        if key in seen:
            problems.append(
                Problem(
                    name,
                    i,
                    "product,plan,fiscal_year",
                    ",".join((raw["product"], raw["plan"], raw["fiscal_year"])),
                    "ledger:duplicate",
                    f"the same product/plan/fiscal_year is on line {seen[key]}",
                )
            )
        seen[key] = i
        rows.append({"product": raw["product"], "plan": raw["plan"], "fiscal_year": year, **row})  # verbatim
        lines.append((i, raw["disbursed"]))
        if year is not None and row["disbursed"] is not None and raw["product"] in slugs and raw["plan"].strip():
            complete.append(len(rows) - 1)
    if not rows and not problems:
        problems.append(
            Problem(
                name,
                1,
                None,
                None,
                "ledger:empty",
                "the ledger has a header but no data row; give at least one row, or no ledger (ledger='') for none",
            )
        )
    found, warnings = _against_approvals(name, [rows[k] for k in complete], [lines[k] for k in complete])
    problems = sorted(problems + found, key=lambda p: p.line or 0)
    if problems:
        raise DataValidationError(problems)
    out = pd.DataFrame(rows, columns=list(REQUIRED) + list(OPTIONAL))
    out["planned"] = pd.to_numeric(out["planned"], errors="coerce")
    out.attrs.update(
        source=f"user-supplied ledger [{name}]",
        path=name,
        warnings=[text for _, text in warnings],
        above_approximate_cap=sorted(plan for plan, _ in warnings),
    )
    return out


def _records(reader, name: str, problems: list[Problem]):
    """``(physical line where the record starts, cells)`` of a CSV reader; a quoted field may span lines."""
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(name, start, None, None, "ledger:csv", f"not readable as CSV: {exc}"))
            return
        yield start, cells


def _against_approvals(
    name: str, rows: list[dict], lines: list[tuple[int, str]]
) -> tuple[list[Problem], list[tuple[str, str]]]:
    """Check well-formed ledger rows against the approved plans (see :func:`read_ledger`, Notes).

    Returns
    -------
    problems : list of Problem
    warnings : list of (str, str)
        (plan, message) for each plan above an approximate cap but within its rounding.
    """
    from evalkit.asof import fiscal_year_of
    from evalkit.data.catalogue import today

    plans = plan_caps().set_index("plan_id")
    source = plans.attrs.get("source", "plans_approved.csv")
    this_fy = fiscal_year_of(today())
    problems: list[Problem] = []
    warnings: list[tuple[str, str]] = []
    paid: dict[str, float] = {}
    flagged: set[str] = set()
    for row, (line, cell) in zip(rows, lines):
        plan, d, year = row["plan"], row["disbursed"], row["fiscal_year"]
        if d > 0 and year > this_fy:
            problems.append(
                Problem(
                    name,
                    line,
                    "fiscal_year",
                    str(year),
                    "ledger:future",
                    f"a disbursement in FY{year}, which has not begun (today is in FY{this_fy}); "
                    "a later year may carry a planned amount, with disbursed 0",
                )
            )
        if plan not in plans.index:
            if plan.strip() in plans.index:
                problems.append(
                    Problem(
                        name,
                        line,
                        "plan",
                        plan,
                        "ledger:plan_spaces",
                        f"spaces around the plan id; {source} lists {plan.strip()!r}",
                    )
                )
            continue
        known = plans.loc[plan]
        if known["product"] != row["product"]:
            problems.append(
                Problem(
                    name,
                    line,
                    "product",
                    row["product"],
                    "ledger:plan_product",
                    f"{source} lists plan {plan} under product {known['product']!r}",
                )
            )
        approved = known["approval_date"]
        if d > 0 and isinstance(approved, str) and approved and year < fiscal_year_of(dt.date.fromisoformat(approved)):
            problems.append(
                Problem(
                    name,
                    line,
                    "fiscal_year",
                    str(year),
                    "ledger:before_approval",
                    f"plan {plan} was approved on {approved} (FY{fiscal_year_of(dt.date.fromisoformat(approved))}); "
                    "it cannot have been paid in an earlier fiscal year",
                )
            )
        cap = known["max_subsidy_oku_yen"]
        if pd.isna(cap) or plan in flagged:
            continue
        paid[plan] = paid.get(plan, 0.0) + d
        exact = known["max_subsidy_qualifier"] == "exact"
        limit = float(cap) if exact else float(cap) + rounding_margin(cap)
        if paid[plan] > limit + 1e-9:
            flagged.add(plan)
            stated = (
                f"{_amount(cap)} 億円 (exact)"
                if exact
                else f"about {_amount(cap)} 億円 (approximate: at most {_amount(limit)} by rounding)"
            )
            problems.append(
                Problem(
                    name,
                    line,
                    "disbursed",
                    cell,
                    "ledger:above_cap",
                    f"plan {plan}: cumulative disbursement {_amount(paid[plan])} 億円 is above its approved "
                    f"subsidy cap A = {stated} in {source}; a plan cannot be paid more than its cap "
                    "(check the unit: 億円, not 円 or 百万円, and the plan id)",
                )
            )
    for plan, total in sorted(paid.items()):
        cap = plans.loc[plan, "max_subsidy_oku_yen"]
        if plan not in flagged and total > cap + 1e-9:
            warnings.append(
                (
                    plan,
                    f"ledger {name}: plan {plan} disbursed {_amount(total)} 億円, above its approximate cap of about "
                    f"{_amount(cap)} 億円 but within its rounding (±{rounding_margin(cap):g})",
                )
            )
    a_total, a_qual, a_cite, _ = approved_amount(LATEST)
    limit = a_total if a_qual == "exact" else a_total + rounding_margin(a_total)
    running = 0.0
    for row, (line, cell) in zip(rows, lines):
        running += row["disbursed"]
        if running > limit + 1e-9:
            problems.append(
                Problem(
                    name,
                    line,
                    "disbursed",
                    cell,
                    "ledger:above_approved_total",
                    f"the ledger's disbursements reach {_amount(running)} 億円 on this line, above the approved "
                    f"amount of all plans, {_amount(a_total)} 億円 ({a_qual}; {a_cite})",
                )
            )
            break
    return problems, warnings


def _amount(value: float) -> str:
    """An amount in 億円 for a message: thousands separators, at most two decimals (99,999; 11.5)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


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
    for line in frame.attrs.get("warnings", []):
        print(line, file=sys.stderr)
    above = set(frame.attrs.get("above_approximate_cap", []))
    caps = approved_plans(as_of).set_index("plan_id")["max_subsidy_oku_yen"]
    rows = []
    for (prod, plan), grp in frame.groupby(["product", "plan"], sort=True):
        d = float(grp["disbursed"].sum())
        a = caps.get(plan)
        r = ratio(d, a, what="disbursement ratio")
        note = r.note if plan in caps.index else "plan not itemised in plans_approved.csv: A unknown"
        if plan in above and a is not None and d > a:
            note = t("note_above_approximate_cap", lang, cap=f"{a:,g}", margin=f"{rounding_margin(a):g}")
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
                "note": note,
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
