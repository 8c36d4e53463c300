"""Fund budget, approved amounts and disbursement: the spending ledger of notebook 10.

Notation and ratios (the fund metrics of the Board of Audit of Japan, 会計検査院, e.g. its report on
funds, https://report.jbaudit.go.jp/org/h24/ZUIJI7/2012-h24-Z7040-0.htm , applied to this programme;
definitions in ``docs/methodology.md#spending-ratios``):

* B = fund budget (基金造成額), 億円;
* A = approved subsidy ceilings of the approved plans (助成上限), 億円;
* C = approved total project cost, 億円;
* D = cumulative disbursement, 億円 (not published in the shipped data).

``commitment = A/B``, ``disbursement = D/A``, ``absorption = D/B``,
``aid intensity = A/C`` (per plan, compared with the published subsidy-rate
caps) and ``private leverage = (C − A)/A``. Every ratio goes through
:func:`evalkit.ratios.ratio`, so an empty or zero denominator gives a stated
gap, never NaN or infinity. Amounts are in 億円 (JPY 100 million).

Compiled tables are filtered by their rows' own dates (:mod:`evalkit.asof`);
undated budget lines count from their fiscal year (a line of FY*n* counts for
any as-of in FY*n* or later).
"""

from __future__ import annotations

import re

import pandas as pd

from evalkit import asof as asof_rule
from evalkit import i18n
from evalkit.data import read_table, release_for, table_path
from evalkit.data.catalogue import LATEST
from evalkit.disbursement import disbursement_summary
from evalkit.i18n import t, unit_label
from evalkit.programme import approvals, approved_amount, approved_plans, fund_total
from evalkit.ratios import ratio, rounded
from evalkit.registry import check_product, product_names, product_slugs
from evalkit.results import record

COMPILED = "compiled"
BUDGET_RULE = (
    "Budget lines without a date count from their fiscal year: a line of FY n counts for any as-of in "
    "FY n or later (Japanese fiscal year, April-March)."
)


def _compiled(table: str, as_of: str) -> pd.DataFrame:
    frame = read_table(table_path(COMPILED, table, as_of))
    frame.attrs["release"] = release_for(COMPILED, table, as_of).label
    return frame


def _when(date, upper) -> str:
    """A row's date, or '≤ upper bound', or 'undated'."""
    if asof_rule.present(date):
        return str(date)
    return f"≤ {upper}" if asof_rule.present(upper) else "undated"


def _attrs(out: pd.DataFrame, source: str, as_of: str, note: str = "") -> pd.DataFrame:
    out.attrs.update(source=source, as_of=as_of, note=note)
    return out


# --------------------------------------------------------------------------- budget (B)


def _budget_rows(as_of: str) -> pd.DataFrame:
    frame = _compiled("fund_budget", as_of)
    limit = asof_rule.fiscal_year_limit(as_of)
    keep = []
    for row in frame.to_dict("records"):
        if asof_rule.present(row["date"]):
            keep.append(asof_rule.row_known_by(row["date"], None, as_of))
        elif limit is None:
            keep.append(True)
        else:
            keep.append(pd.notna(row["fiscal_year"]) and int(row["fiscal_year"]) <= limit)
    out = frame[pd.Series(keep, index=frame.index, dtype=bool)].copy()
    out.attrs.update(frame.attrs)
    return out


def budget_by_vintage(as_of: str = LATEST, lang: str = "ja") -> pd.DataFrame:
    """The fund's budget vintages that make up the fund total (B), by as-of.

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date.
    lang : {"ja", "en"}
        Unit wording of the note and unit cells (億円 or JPY 100 million).

    Returns
    -------
    pandas.DataFrame
        ``budget_vintage``, ``fiscal_year``, ``amount_oku_yen`` (億円),
        ``amount_qualifier``, ``confidence``, ``source`` for the lines flagged
        ``in_fund_total_reconciliation`` in ``fund_budget.csv``, plus a final
        row ``total (derived)``.
    """
    rows = _budget_rows(as_of)
    rows = rows[rows["in_fund_total_reconciliation"].fillna(False).astype(bool)]
    out = rows[
        ["budget_vintage", "fiscal_year", "amount_oku_yen", "amount_qualifier", "confidence", "source"]
    ].reset_index(drop=True)
    total = float(out["amount_oku_yen"].sum()) if len(out) else 0.0
    out = pd.concat(
        [
            out,
            pd.DataFrame(
                [
                    {
                        "budget_vintage": "total (derived)",
                        "fiscal_year": None,
                        "amount_oku_yen": total,
                        "amount_qualifier": "derived",
                        "confidence": "derived",
                        "source": "derived: sum of the rows above",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    return _attrs(
        out, rows.attrs["source"], rows.attrs["release"], f"amounts in {unit_label('億円', lang)}. {BUDGET_RULE}"
    )


def budget_total(as_of: str = LATEST) -> float:
    """Sum of the budget vintages serving ``as_of`` (億円, derived)."""
    table = budget_by_vintage(as_of)
    return float(table["amount_oku_yen"].iloc[-1])


def budget_reconciliation(as_of: str = LATEST) -> pd.DataFrame:
    """The fund total three ways: sum of vintages, the deck's statement, MOF's later figure.

    Returns
    -------
    pandas.DataFrame
        ``figure``, ``amount_oku_yen``, ``qualifier``, ``source``, and
        ``difference_from_vintage_sum_oku_yen`` (derived).
    """
    vint = budget_total(as_of)
    stated, qualifier, cite = fund_total(as_of)
    rows = [
        {
            "figure": "sum of budget vintages (derived)",
            "amount_oku_yen": vint,
            "qualifier": "derived",
            "source": "derived: fund_budget.csv rows flagged in_fund_total_reconciliation",
        },
        {"figure": "fund total stated by the deck", "amount_oku_yen": stated, "qualifier": qualifier, "source": cite},
    ]
    lines = _budget_rows(as_of)
    later = lines[lines["budget_type"] == "cumulative_statement"]
    for row in later.to_dict("records"):
        rows.append(
            {
                "figure": f"{row['budget_vintage']} ({row['scope']})",
                "amount_oku_yen": row["amount_oku_yen"],
                "qualifier": row["amount_qualifier"],
                "source": row["source"],
            }
        )
    out = pd.DataFrame(rows)
    out["difference_from_vintage_sum_oku_yen"] = out["amount_oku_yen"] - vint
    return _attrs(
        out,
        lines.attrs["source"],
        lines.attrs["release"],
        "differences are derived; the vintage split is compiled from secondary sources, not an official breakdown",
    )


def product_budget_lines(as_of: str = LATEST, product: str = "all", lang: str = "ja") -> pd.DataFrame:
    """Product-specific budget lines (ESPA fund and related instruments), by as-of.

    Parameters
    ----------
    as_of, product : str
        ``latest`` or an ISO date; ``all`` or a product slug.
    lang : {"ja", "en"}
        Unit wording of the note and unit cells (億円 or JPY 100 million).

    Returns
    -------
    pandas.DataFrame
        ``product``, ``budget_vintage``, ``instrument``, ``amount_oku_yen``,
        ``amount_qualifier``, ``confidence``, ``notes``; empty with a note when
        no line is published for the product.
    """
    check_product(product)
    rows = _budget_rows(as_of)
    rows = rows[rows["coverage"] == "single_product"]
    if product != "all":
        rows = rows[rows["product"] == product]
    out = rows[
        ["product", "budget_vintage", "instrument", "amount_oku_yen", "amount_qualifier", "confidence", "notes"]
    ].reset_index(drop=True)
    note = (
        f"amounts in {unit_label('億円', lang)}; instrument 'espa_fund' is the ESPA fund, others are context "
        "only. " + BUDGET_RULE
    )
    if out.empty:
        note = f"no product-specific budget line is published in the shipped data for {product}. " + note
    return _attrs(out, rows.attrs["source"], rows.attrs["release"], note)


# --------------------------------------------------------------------------- commitment (A/B)


def commitment(as_of: str = LATEST, lang: str = "ja") -> pd.DataFrame:
    """Commitment ratio A/B: approved amount against the fund.

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date.
    lang : {"ja", "en"}
        Unit wording of the note and unit cells (億円 or JPY 100 million).

    Returns
    -------
    pandas.DataFrame
        Rows ``A approved amount``, ``B fund total`` (both 億円 with
        qualifier, as-of and source) and ``commitment ratio A/B`` (derived).
    """
    a, a_qual, a_cite, a_label = approved_amount(as_of)
    b, b_qual, b_cite = fund_total(as_of)
    b_label = release_for("cao", "programme_statements", as_of).label
    r = ratio(a, b, what="commitment ratio")
    note = (
        ""
        if a_label == b_label
        else (f"A is as of {a_label} (the newest release that states it); B is from the release serving {as_of}")
    )
    out = pd.DataFrame(
        [
            {
                "item": "A approved amount",
                "value": a,
                "unit": unit_label("億円", lang),
                "qualifier": a_qual,
                "as_of": a_label,
                "source": a_cite,
            },
            {
                "item": "B fund total",
                "value": b,
                "unit": unit_label("億円", lang),
                "qualifier": b_qual,
                "as_of": b_label,
                "source": b_cite,
            },
            {
                "item": "commitment ratio A/B (derived)",
                "value": rounded(r.value, 4),
                "unit": unit_label("ratio", lang),
                "qualifier": "derived from approximate inputs" if "approx" in a_qual + b_qual else "derived",
                "as_of": a_label,
                "source": "derived: A / B",
            },
        ]
    )
    return _attrs(out, f"{a_cite} | {b_cite}", b_label, note or r.note)


# --------------------------------------------------------------------------- plans (A, C per plan)

_FRACTION = re.compile(r"(?P<label>[A-Za-z&\s]*?)\s*(?P<num>\d+)\s*/\s*(?P<den>\d+)")


def subsidy_rate_caps(as_of: str = LATEST, product: str = "all") -> pd.DataFrame:
    """Published subsidy-rate caps, parsed from ``policy_rules_and_events.csv``.

    Each fraction in a rule's wording ("capex 1/3 (SME 1/2); R&D 1/2") becomes
    one row: ``product``, ``applies_to`` (the words before the fraction),
    ``cap`` (ratio), ``wording``, ``source``, ``confidence``.
    """
    check_product(product)
    rules = _compiled("policy_rules_and_events", as_of)
    rules = rules[rules["kind"] == "subsidy_rate_rule"]
    rows = []
    for rule in rules.to_dict("records"):
        if product != "all" and rule["product"] != product:
            continue
        text = rule["value_text"] if asof_rule.present(rule["value_text"]) else ""
        context = ""
        for part in re.split(r"[;()]", text):
            m = _FRACTION.search(part)
            if not m:
                continue
            label = m.group("label").strip() or context or rule["metric"]
            context = label if m.group("label").strip() and label not in ("SME",) else context
            if m.group("label").strip() == "SME" and context:
                label = f"{context}, SME"
            rows.append(
                {
                    "product": rule["product"],
                    "applies_to": label,
                    "cap": int(m.group("num")) / int(m.group("den")),
                    "wording": text,
                    "source": rule["source"],
                    "confidence": rule["confidence"],
                }
            )
    out = pd.DataFrame(rows, columns=["product", "applies_to", "cap", "wording", "source", "confidence"])
    note = "caps are ratios of eligible cost"
    if out.empty:
        note = f"no subsidy-rate cap is published in the shipped data for {product}"
    return _attrs(out, rules.attrs["source"], rules.attrs["release"], note)


def plan_ratios(as_of: str = LATEST, product: str = "all", lang: str = "ja") -> pd.DataFrame:
    """Plan-level subsidy cap, project cost, aid intensity and private leverage.

    Parameters
    ----------
    as_of : str
        Plans approved on or before ``as_of`` (rule in :mod:`evalkit.asof`);
        a revocation counts only when its date is on or before ``as_of``.
    product : str
        ``all`` or a product slug.
    lang : {"ja", "en"}
        Unit wording of the note and unit cells (億円 or JPY 100 million).

    Returns
    -------
    pandas.DataFrame
        ``plan_id``, ``product``, ``company``, ``approval_date``, ``status``,
        ``max_subsidy_oku_yen`` (A_i), ``total_project_cost_oku_yen`` (C_i),
        ``aid_intensity`` (A_i/C_i, derived), ``private_leverage``
        ((C_i−A_i)/A_i, derived), ``highest_published_cap`` and
        ``within_cap``; ratios are empty with a ``note`` where an input is
        not published.
    """
    check_product(product)
    plans = approved_plans(as_of)
    if product != "all":
        plans = plans[plans["product"] == product]
    caps = subsidy_rate_caps(as_of).groupby("product")["cap"].max()
    rows = []
    for p in plans.to_dict("records"):
        status = p["status"]
        if status in ("revoked", "completed") and not asof_rule.row_known_by(p["status_date"], None, as_of):
            status = "approved"
        a, c = p["max_subsidy_oku_yen"], p["total_project_cost_oku_yen"]
        intensity = ratio(a, c, what="aid intensity")
        leverage = ratio(None if pd.isna(c) or pd.isna(a) else c - a, a, what="private leverage")
        cap = caps.get(p["product"])
        within = None
        if intensity.defined and cap is not None:
            within = "yes" if intensity.value <= cap + 0.005 else "above the highest published cap"
        notes = "; ".join(n for n in (intensity.note, leverage.note if intensity.defined else "") if n)
        rows.append(
            {
                "plan_id": p["plan_id"],
                "product": p["product"],
                "company": p["company"],
                "approval_date": _when(p["approval_date"], p["approval_date_upper"]),
                "status": status,
                "max_subsidy_oku_yen": a,
                "max_subsidy_qualifier": p["max_subsidy_qualifier"],
                "total_project_cost_oku_yen": c,
                "aid_intensity": rounded(intensity.value, 4),
                "private_leverage": rounded(leverage.value, 4),
                "highest_published_cap": None if cap is None else rounded(cap, 4),
                "within_cap": within if within else ("no published cap" if cap is None else None),
                "note": notes,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "plan_id",
            "product",
            "company",
            "approval_date",
            "status",
            "max_subsidy_oku_yen",
            "max_subsidy_qualifier",
            "total_project_cost_oku_yen",
            "aid_intensity",
            "private_leverage",
            "highest_published_cap",
            "within_cap",
            "note",
        ],
    )
    note = (
        f"amounts in {unit_label('億円', lang)}; aid_intensity = A/C and private_leverage = (C−A)/A are derived. "
        + asof_rule.RULE
    )
    if out.empty:
        note = f"no plan of {product} is itemised in the shipped data up to this as-of. " + note
    return _attrs(out, plans.attrs["source"], plans.attrs["release"], note)


def plan_coverage(as_of: str = LATEST, product: str = "all", lang: str = "ja") -> pd.DataFrame:
    """How much of each product's approvals the plan-level table itemises.

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date.
    product : str
        ``all`` or a product slug.
    lang : {"ja", "en"}
        Language of the product names (column ``name``).

    Returns
    -------
    pandas.DataFrame
        Per product: ``product``, ``name`` (in ``lang``), ``plans_approved`` (the deck's count serving ``as_of``),
        ``plans_itemised`` (rows in ``plans_approved.csv`` up to ``as_of``,
        not revoked), ``subsidy_caps_itemised_oku_yen`` (Σ A_i where
        published, derived), ``plans_with_cap`` and ``plans_with_cost``.
    """
    check_product(product)
    counts = approvals(as_of).set_index("product")["plans_approved"]
    plans = plan_ratios(as_of, product)
    active = plans[plans["status"] != "revoked"]
    rows = []
    for slug in [product] if product != "all" else product_slugs():
        sub = active[active["product"] == slug]
        rows.append(
            {
                "product": slug,
                "name": product_names(lang)[slug],
                "plans_approved": counts.get(slug),
                "plans_itemised": len(sub),
                "plans_with_cap": int(sub["max_subsidy_oku_yen"].notna().sum()),
                "subsidy_caps_itemised_oku_yen": float(sub["max_subsidy_oku_yen"].sum()),
                "plans_with_cost": int(sub["total_project_cost_oku_yen"].notna().sum()),
            }
        )
    out = pd.DataFrame(rows)
    return _attrs(
        out,
        f"{approvals(as_of).attrs['source']} | {plans.attrs['source']}",
        plans.attrs["as_of"],
        "the itemised plans are those public sources name; their caps are a lower bound of A, not A. "
        "Counts of itemised plans may exceed the deck's count when the compiled table holds approvals "
        "after the deck's release.",
    )


def revocations(as_of: str = LATEST, product: str = "all") -> pd.DataFrame:
    """Revoked plans up to ``as_of`` and what each revocation released (億円).

    Returns
    -------
    pandas.DataFrame
        ``plan_id``, ``company``, ``approval_date``, ``revoked_on``,
        ``released_subsidy_cap_oku_yen`` (the cap no longer committed),
        ``project_cost_oku_yen``, ``status_note``; empty with a note when
        none is known.
    """
    check_product(product)
    plans = _compiled("plans_approved", as_of)
    rev = plans[(plans["status"] == "revoked")]
    rev = asof_rule.filter_rows(rev, as_of, date="status_date")
    if product != "all":
        rev = rev[rev["product"] == product]
    out = pd.DataFrame(
        {
            "plan_id": rev["plan_id"],
            "company": rev["company"],
            "approval_date": rev["approval_date"],
            "revoked_on": rev["status_date"],
            "released_subsidy_cap_oku_yen": rev["max_subsidy_oku_yen"],
            "project_cost_oku_yen": rev["total_project_cost_oku_yen"],
            "status_note": rev["status_note"],
        }
    ).reset_index(drop=True)
    note = (
        "the released amount is the plan's subsidy cap; the deck notes that no subsidy had been paid to the plan "
        "it expected to revoke"
    )
    if out.empty:
        note = "no revocation known in the shipped data up to this as-of"
    return _attrs(out, plans.attrs["source"], plans.attrs["release"], note)


def approval_rounds(as_of: str = LATEST, product: str = "all", lang: str = "ja") -> pd.DataFrame:
    """Approval rounds and revocations over time (compiled, rows filtered by date).

    Parameters
    ----------
    as_of, product : str
        ``latest`` or an ISO date; ``all`` or a product slug.
    lang : {"ja", "en"}
        Unit wording of the note and unit cells (億円 or JPY 100 million).

    Returns
    -------
    pandas.DataFrame
        ``round_id``, ``kind``, ``product``, ``date`` (or its bound),
        ``n_plans`` with qualifier, ``max_subsidy_total_oku_yen``,
        ``total_project_cost_oku_yen``, ``confidence``, ``notes``.
    """
    check_product(product)
    rounds = _compiled("approval_rounds", as_of)
    rounds = asof_rule.filter_rows(rounds, as_of, date="date", upper="date_upper")
    if product != "all":
        rounds = rounds[rounds["product"] == product]
    out = rounds.assign(when=[_when(d, u) for d, u in zip(rounds["date"], rounds["date_upper"])])
    out = out[
        [
            "round_id",
            "kind",
            "product",
            "when",
            "n_plans",
            "n_plans_qualifier",
            "max_subsidy_total_oku_yen",
            "total_project_cost_oku_yen",
            "confidence",
            "notes",
        ]
    ].reset_index(drop=True)
    note = f"amounts in {unit_label('億円', lang)}. " + asof_rule.RULE
    if out.empty:
        note = f"no approval round of {product} is recorded in the shipped data up to this as-of. " + note
    return _attrs(out, rounds.attrs["source"], rounds.attrs["release"], note)


def plan_count_series(as_of: str = LATEST) -> pd.DataFrame:
    """Cumulative approved plans over time (91 / 106 / 116 / 123), filtered by date.

    Returns
    -------
    pandas.DataFrame
        ``snapshot_id``, ``when`` (date, or its bounds), ``plans_cumulative``,
        ``confidence``, ``date_note``.
    """
    snaps = _compiled("plan_count_snapshots", as_of)
    snaps = asof_rule.filter_rows(snaps, as_of, date="date", upper="date_upper")
    when = []
    for r in snaps.to_dict("records"):
        has = asof_rule.present
        if has(r["date"]):
            when.append(r["date"])
        elif has(r["date_lower"]) and has(r["date_upper"]):
            when.append(f"{r['date_lower']} to {r['date_upper']}")
        else:
            when.append(f"after {r['date_lower']}" if has(r["date_lower"]) else "undated")
    out = snaps.assign(when=when)[["snapshot_id", "when", "plans_cumulative", "confidence", "date_note"]]
    return _attrs(out.reset_index(drop=True), snaps.attrs["source"], snaps.attrs["release"], asof_rule.RULE)


# --------------------------------------------------------------------------- headline figures and charts


def _whole(x: float) -> int | float:
    """An amount as int when it is whole (21830.0 -> 21830), so results.json shows it as stated."""
    return int(x) if float(x).is_integer() else float(x)


def record_spending(as_of: str = LATEST, ledger: str = "") -> pd.DataFrame:
    """Record the spending headline figures and return them as a table.

    Records ``approved_amount_oku_yen`` (A), ``budget_by_vintage_total_oku_yen``
    (Σ vintages, derived), ``commitment_ratio`` (A/B, derived) and
    ``disbursement_ratio`` / ``absorption_ratio`` (D/A, D/B: ``None`` with a
    note when no ledger is given, because D is not published).
    """
    a, a_qual, a_cite, a_label = approved_amount(as_of)
    com = commitment(as_of)
    vint = budget_by_vintage(as_of)
    done = [
        record(
            "approved_amount_oku_yen",
            _whole(a),
            unit="億円",
            source=a_cite,
            note=f"{a_qual}; as of {a_label}; converted from 兆円 (×10,000)",
        ),
        record(
            "budget_by_vintage_total_oku_yen",
            _whole(budget_total(as_of)),
            unit="億円",
            source=f"derived: sum of {len(vint) - 1} budget vintage(s) in {vint.attrs['source']}",
            note="derived; secondary sources, not an official breakdown",
        ),
        record(
            "commitment_ratio",
            rounded(ratio(a, fund_total(as_of)[0], what="commitment ratio").value, 6),
            unit="ratio",
            source=f"derived: approved amount A ÷ fund total B ({com.attrs['source']})",
            note=str(com["qualifier"].iloc[2]),
        ),
    ]
    summary = disbursement_summary(ledger, as_of, "all")
    if not ledger:
        for key in ("disbursement_ratio", "absorption_ratio"):
            done.append(
                record(
                    key, None, unit="ratio", source=summary.attrs["source"], note="not published in the shipped data"
                )
            )
    else:
        total = summary[summary["level"] == "total"].iloc[0]
        for key, col in (("disbursement_ratio", "disbursement_ratio"), ("absorption_ratio", "absorption_ratio")):
            value = total[col]
            done.append(
                record(
                    key,
                    None if pd.isna(value) else float(value),
                    unit="ratio",
                    source=f"derived from {summary.attrs['source']}",
                    note="computed from a user-supplied ledger, not from published data",
                )
            )
    out = pd.DataFrame([r.to_dict() for r in done]).reindex(columns=["key", "value", "unit", "note", "source"])
    out.attrs.update(source="see each row", as_of=as_of)
    return out


def _qualifier(text: str, lang: str) -> str:
    """The first part of a stated qualifier ("approximate; converted ...") in ``lang`` where translated."""
    first = text.split(";")[0].strip()
    return i18n.table().get(f"qualifier:{first}", {}).get(lang, first)


def budget_chart(as_of: str = LATEST, lang: str = "ja"):
    """Budget vintages as bars beside the stated fund total (億円).

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date.
    lang : {"ja", "en"}
        Language of title, axis, derived labels and caption.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    vint = budget_by_vintage(as_of)
    stated, qualifier, _ = fund_total(as_of)
    labels = [t("label_total_derived", lang) if v == "total (derived)" else v for v in vint["budget_vintage"]]
    values = pd.Series(
        list(vint["amount_oku_yen"]) + [stated],
        index=labels + [t("label_fund_total_stated", lang, qualifier=_qualifier(qualifier, lang))],
    )
    fig = plotting.barh(
        values,
        title=t("chart_budget_title", lang),
        xlabel=t("axis_oku_yen", lang),
        source=vint.attrs["source"],
        as_of=vint.attrs["as_of"],
        note=t("note_budget_chart", lang),
        lang=lang,
    )
    plotting.make_room(fig, left=0.3)
    plt.close(fig)
    return fig


def plan_count_chart(as_of: str = LATEST, lang: str = "ja"):
    """Cumulative approved plans at each known snapshot (labels carry their date or bounds).

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date.
    lang : {"ja", "en"}
        Language of title, axis and caption.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    series = plan_count_series(as_of)
    values = pd.Series(series["plans_cumulative"].to_numpy(dtype=float), index=series["when"])
    fig = plotting.barh(
        values,
        title=t("chart_plan_count_title", lang),
        xlabel=t("axis_plans", lang),
        source=series.attrs["source"],
        as_of=series.attrs["as_of"],
        note=t("note_plan_count_chart", lang),
        lang=lang,
    )
    plotting.make_room(fig, left=0.3)
    plt.close(fig)
    return fig
