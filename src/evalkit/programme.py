"""Programme overview: what is designated, and how many plans are approved.

Functions here answer notebook ``00_programme_overview``: the designated
products with their ministry, measures and items, approved plans per product
at each data release up to an as-of date, the growth between releases, and
the programme-wide figures the deck states. Each returned table carries
``attrs["source"]`` and ``attrs["as_of"]`` for its caption.

It also holds the two approval figures that both the commitment ratio
(:mod:`evalkit.accounting`) and the disbursement ratios
(:mod:`evalkit.disbursement`) divide by: the approved amount A the deck states
(:func:`approved_amount`, beside the fund total B of :func:`fund_total`) and
the plan-level approvals of the compiled table (:func:`approved_plans`).
"""

from __future__ import annotations

import pandas as pd

from evalkit import asof as asof_rule
from evalkit.data import read_table, reference_path, release_for, table_path
from evalkit.data.catalogue import LATEST, parse_as_of, releases
from evalkit.data.table import citation
from evalkit.errors import MissingInputError
from evalkit.i18n import t
from evalkit.paths import relative
from evalkit.registry import products
from evalkit.results import record

PRODUCER = "cao"
COMPILED = "compiled"


def designations(lang: str = "ja") -> pd.DataFrame:
    """The designated products: ministry, support measures and named items.

    Parameters
    ----------
    lang : {"ja", "en"}
        Language of names, measures and items.

    Returns
    -------
    pandas.DataFrame
        One row per product in slide order: ``product`` (slug), ``name``,
        ``ministry``, ``measures``, ``items`` (joined with 「・」 or "; ").
    """
    prod = products()
    items = read_table(reference_path("product_items")).sort_values(["product", "item_no"])
    joined = items.groupby("product", sort=False)[f"item_{lang}"].agg("・".join if lang == "ja" else "; ".join)
    out = pd.DataFrame(
        {
            "product": prod["product"],
            "name": prod[f"name_{lang}"],
            "ministry": prod["ministry_ja"] if lang == "ja" else prod["ministry"],
            "measures": prod[f"measures_{lang}"],
            "items": prod["product"].map(joined),
        }
    )
    out.attrs.update(
        source=prod.attrs["source"],
        as_of="registry (slide A)",
        title="特定重要物資と主な支援措置" if lang == "ja" else "Designated products and main support measures",
    )
    return out


def approvals(as_of: str = LATEST, lang: str = "ja") -> pd.DataFrame:
    """Approved plans per product in the release serving ``as_of``.

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date (see :mod:`evalkit.data.catalogue`).

    Returns
    -------
    pandas.DataFrame
        ``product``, ``name`` (in ``lang``), ``plans_approved`` and, where
        the release states it, ``plans_reporting``; slide order. ``attrs``
        hold ``source``, ``as_of`` (release label) and ``release``.
    """
    release = release_for(PRODUCER, "approvals_by_product", as_of)
    frame = read_table(table_path(PRODUCER, "approvals_by_product", as_of))
    names = products()[["product", "name_ja", "name_en", "display_order"]]
    out = names.merge(frame, on="product", how="left", validate="one_to_one").sort_values("display_order")
    out = out.drop(columns=["display_order"]).reset_index(drop=True)
    out = out.rename(columns={f"name_{lang}": "name"}).drop(columns=[f"name_{o}" for o in ("ja", "en") if o != lang])
    out.attrs.update(
        source=frame.attrs["source"],
        as_of=release.label,
        release=release.name,
        title=t("chart_approvals_title", lang),
        units={"plans_approved": t("unit_plans", lang), "plans_reporting": t("unit_plans", lang)},
    )
    return out


def approvals_over_releases(as_of: str = LATEST, lang: str = "ja") -> pd.DataFrame:
    """Approved plans per product at every release up to ``as_of``, and the change.

    Returns
    -------
    pandas.DataFrame
        Index: product slug; columns ``name`` (in ``lang``), one column per release
        (labelled by its as-of), and ``change`` (last minus first, derived)
        when there are two or more releases. ``attrs["sources"]`` lists the
        citation of each release.
    """
    as_of = parse_as_of(as_of)
    chosen = release_for(PRODUCER, "approvals_by_product", as_of)
    rels = [r for r in releases(PRODUCER, "approvals_by_product") if r <= chosen]
    if as_of != LATEST:
        rels = [r for r in rels if r.date is not None]
    table = products().set_index("product")[[f"name_{lang}"]].rename(columns={f"name_{lang}": "name"})
    sources = []
    for rel in rels:
        frame = read_table(table_path(PRODUCER, "approvals_by_product", rel.date.isoformat() if rel.date else LATEST))
        table[rel.label] = frame.set_index("product")["plans_approved"]
        sources.append(frame.attrs["source"])
    if len(rels) >= 2:
        table["change"] = table[rels[-1].label] - table[rels[0].label]
    table.attrs.update(
        sources=sources,
        as_of=chosen.label,
        title=t("chart_growth_title", lang),
        units={c: t("unit_plans", lang) for c in table.columns if c != "name"},
        note="change = last release minus first (derived)"
        if len(rels) >= 2
        else "only one release up to this as-of date: no change can be computed",
    )
    return table


def statements(as_of: str = LATEST) -> pd.DataFrame:
    """Programme-wide figures stated in the release serving ``as_of``.

    Returns
    -------
    pandas.DataFrame
        ``statement_id``, ``value``, ``unit``, ``qualifier``, ``description_en``,
        ``wording_ja``, ``slide``; ``attrs`` carry source and as-of.
    """
    release = release_for(PRODUCER, "programme_statements", as_of)
    frame = read_table(table_path(PRODUCER, "programme_statements", as_of))
    frame.attrs.update(
        as_of=release.label,
        release=release.name,
        title="Programme-wide figures as stated / プログラム全体の数値（原文どおり）",
    )
    return frame


def statement(key: str, as_of: str = LATEST) -> tuple[float, str, str, str]:
    """One stated figure: (value, unit, qualifier, citation).

    Raises
    ------
    MissingInputError
        If the release serving ``as_of`` does not state ``key``.
    """
    frame = statements(as_of)
    hit = frame[frame["statement_id"] == key]
    if hit.empty:
        raise MissingInputError(f"{frame.attrs['path']}: no statement {key!r} in the release serving as_of={as_of}")
    row = hit.iloc[0]
    return (
        float(row["value"]),
        str(row["unit"]),
        str(row["qualifier"]),
        f"{citation(frame.attrs['meta'], frame.attrs['path'])} (slide {row['slide']})",
    )


FUND_KEYS = (("fund_total_oku_yen", 1.0, ""), ("fund_scale_cho_yen", 10_000.0, "converted from 兆円 (×10,000)"))


def fund_total(as_of: str = LATEST) -> tuple[float, str, str]:
    """Fund total in 億円 as stated in the release serving ``as_of``.

    The undated slide A states the total exactly (2兆1,830億円 = 21,830 億円);
    the end-October 2024 slide C only says "about 2.2兆円", which is returned
    as 22,000 億円 with the qualifier ``approximate``.

    Returns
    -------
    tuple
        (value in 億円, qualifier, citation)
    """
    frame = statements(as_of)
    for key, factor, conversion in FUND_KEYS:
        if (frame["statement_id"] == key).any():
            value, _, qualifier, cite = statement(key, as_of)
            note = qualifier if not conversion else f"{qualifier}; {conversion}"
            return value * factor, note, cite
    raise MissingInputError(f"{frame.attrs['path']}: the release serving as_of={as_of} states no fund total")


def approved_amount(as_of: str = LATEST) -> tuple[float, str, str, str]:
    """A: value of approved plans, 億円, from the newest release up to ``as_of`` that states it.

    Returns
    -------
    tuple
        (value in 億円, qualifier, citation, release label)

    Raises
    ------
    MissingInputError
        If no release of ``programme_statements`` up to ``as_of`` states it.

    Notes
    -----
    The deck states 1.3兆円 (13,000 億円, approximate) at end-October 2024.
    The undated later release states no amount; for ``latest`` the newest
    release that does state one is used and its own as-of is reported.
    """
    as_of = parse_as_of(as_of)
    chosen = release_for(PRODUCER, "programme_statements", as_of)
    candidates = [r for r in releases(PRODUCER, "programme_statements") if r <= chosen]
    if as_of != LATEST:
        candidates = [r for r in candidates if r.date is not None]
    for rel in reversed(candidates):
        frame = statements(rel.date.isoformat() if rel.date else LATEST)
        hit = frame[frame["statement_id"] == "approved_plan_value_cho_yen"]
        if not hit.empty:
            row = hit.iloc[0]
            cite = f"{frame.attrs['source']} (slide {row['slide']})"
            return float(row["value"]) * 10_000, str(row["qualifier"]), cite, rel.label
    raise MissingInputError(f"no release of programme_statements up to as_of={as_of} states the approved amount")


def approved_plans(as_of: str = LATEST) -> pd.DataFrame:
    """The plans of the compiled ``plans_approved.csv`` approved on or before ``as_of``.

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date; a row counts by its approval date, or its
        upper bound when only that is known (rule in :mod:`evalkit.asof`).

    Returns
    -------
    pandas.DataFrame
        The table's rows as compiled (``plan_id``, ``product``, ``status``,
        ``max_subsidy_oku_yen`` (A_i, 億円), ``total_project_cost_oku_yen``
        (C_i, 億円)...), revoked plans included; ``attrs`` carry ``source``
        and ``release`` (the compiled release's label).
    """
    frame = read_table(table_path(COMPILED, "plans_approved", as_of))
    frame.attrs["release"] = release_for(COMPILED, "plans_approved", as_of).label
    return asof_rule.filter_rows(frame, as_of, date="approval_date", upper="approval_date_upper")


def plan_caps() -> pd.DataFrame:
    """Every itemised plan with its product, approval date and subsidy cap A (the ledger checks use it).

    Returns
    -------
    pandas.DataFrame
        ``plan_id``, ``product``, ``approval_date`` (ISO text or empty),
        ``max_subsidy_oku_yen`` (億円, NaN where not published) and
        ``max_subsidy_qualifier`` (``exact``, ``approximate``...) of the
        newest compiled ``plans_approved.csv``, all rows whatever their date
        (a cap bounds what a plan can ever be paid); ``attrs["source"]``.
    """
    plans = read_table(table_path(COMPILED, "plans_approved", LATEST))
    out = plans[["plan_id", "product", "approval_date", "max_subsidy_oku_yen", "max_subsidy_qualifier"]].copy()
    out["approval_date"] = out["approval_date"].map(lambda v: str(v)[:10] if asof_rule.present(v) else "")
    out.attrs["source"] = relative(table_path(COMPILED, "plans_approved", LATEST))
    return out


def record_headlines(as_of: str = LATEST) -> pd.DataFrame:
    """Record the overview's headline figures and return them as a table.

    Records ``plans_approved_total`` (stated total), ``plans_approved.<slug>``
    for each of the 12 products, and ``fund_total_oku_yen``.

    Returns
    -------
    pandas.DataFrame
        key, value, unit, source, note: what was recorded.
    """
    table = approvals(as_of)
    src = f"{table.attrs['source']}"
    results = []
    total, unit, qualifier, cite = statement("plans_approved_total", as_of)
    results.append(record("plans_approved_total", int(total), unit="plans", source=cite))
    for _, row in table.iterrows():
        results.append(record(f"plans_approved.{row['product']}", int(row["plans_approved"]), unit="plans", source=src))
    fund, note, cite = fund_total(as_of)
    results.append(
        record(
            "fund_total_oku_yen",
            int(fund) if fund == int(fund) else fund,
            unit="億円",
            source=cite,
            note="" if note == "exact" else note,
        )
    )
    out = pd.DataFrame([r.to_dict() for r in results]).reindex(columns=["key", "value", "unit", "note", "source"])
    out["note"] = out["note"].fillna("")
    out.attrs.update(
        source="results recorded by this notebook (see each row's source)",
        as_of=table.attrs["as_of"],
        title="Headline figures recorded for results.json",
    )
    return out


def approvals_chart(as_of: str = LATEST, lang: str = "ja"):
    """Bar chart of approved plans per product (Japanese labels).

    Returns
    -------
    matplotlib.figure.Figure
        Captioned with the release's source and as-of.
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    table = approvals(as_of, lang)
    values = table.set_index("name")["plans_approved"].astype(float)
    fig = plotting.barh(
        values,
        title=t("chart_approvals_title", lang),
        xlabel=t("axis_plans", lang),
        source=table.attrs["source"],
        as_of=table.attrs["as_of"],
        lang=lang,
    )
    plt.close(fig)
    return fig


def growth_chart(as_of: str = LATEST, lang: str = "ja"):
    """Approved plans per product at each release up to ``as_of``, side by side.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    table = approvals_over_releases(as_of, lang)
    counts = table.drop(columns=[c for c in ("change",) if c in table.columns]).set_index("name")
    fig = plotting.grouped_barh(
        counts.astype(float),
        title=t("chart_growth_title", lang),
        xlabel=t("axis_plans", lang),
        source=" | ".join(table.attrs["sources"]),
        as_of=table.attrs["as_of"],
        note=table.attrs["note"],
        lang=lang,
    )
    plt.close(fig)
    return fig
