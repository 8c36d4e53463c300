"""Did dependence fall, and can a policy take credit? Notebook ``50_dependence_change``: the published back-test.

The designs on the 30-year BACI series (interrupted time series, DiD and
event study, synthetic control, robustness, the programme's minimum
detectable change) live in :mod:`evalkit.dependence_designs`. This module
applies :mod:`evalkit.stats` to the shipped published series (the back-test:
China's share of Japan's rare-earth imports around the 2010 supply shock) and
to a product panel the user supplies, holds the caveats table, and states in
every output what the numbers cannot show.

The back-test series (``re_import_share_china_mof_via_kksoukan``) has four
points (2009, 2010, 2011, 2014), relayed third-hand from MOF statistics. A
segmented regression with a level and a slope change has four coefficients,
so it passes through every point: the coefficients *describe* the points and
carry no standard error. There is no counterfactual: the fall after 2010
coincides with China's export restrictions, the price spike, substitution
and demand changes, and cannot be attributed to any Japanese policy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from evalkit import indicators, stats
from evalkit.data import LATEST, read_table, table_path
from evalkit.data.table import check_table
from evalkit.errors import DataValidationError, MissingInputError, Problem, UsageError
from evalkit.i18n import t
from evalkit.paths import relative
from evalkit.results import record

BACKTEST_SERIES = "re_import_share_china_mof_via_kksoukan"
#: Result-key stems for series with a stable name (keys are a public interface).
KEY_STEMS = {BACKTEST_SERIES: "dependence_change.rare_earths_2010"}

#: What the change estimates cannot show, one pitfall each; titles and texts in translations.yaml
#: (``caveat_<slug>``, ``caveat_<slug>_text``). The first seven concern the published back-test, the others the
#: designs on BACI (:mod:`evalkit.dependence_designs`).
CAVEATS = (
    "few_points",
    "third_hand_series",
    "no_counterfactual",
    "autocorrelation",
    "mean_reversion",
    "co_occurring_shocks",
    "different_measures",
    "partly_treated_2010",
    "one_treated_unit",
    "contaminated_comparisons",
    "quantity_coverage",
    "hs_revision",
    "two_post_years",
)


def _published() -> pd.DataFrame:
    return read_table(table_path("compiled", "external_dependence_published", LATEST))


def series(series_id: str = BACKTEST_SERIES) -> pd.DataFrame:
    """The annual points of one published series, as published.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``value``, ``unit``, ``value_qualifier``, ``row_id``,
        ``source``; one row per year (rows without a single year are left out
        and counted in ``attrs["note"]``).

    Raises
    ------
    UsageError
        Unknown series, or a series mixing units or partners.
    """
    raw = _published()
    rows = raw[raw["series_id"] == series_id]
    if rows.empty:
        raise UsageError(f"series {series_id!r} is not in the published table; see its series_id column")
    if rows["unit"].nunique() != 1 or rows["partner"].nunique() != 1:
        raise UsageError(f"series {series_id!r} mixes units or partners; choose a single-measure series")
    dated = rows[rows["year"].notna() & rows["value"].notna()].sort_values("year")
    out = dated[["year", "value", "unit", "value_qualifier", "row_id", "source"]].reset_index(drop=True)
    out["year"] = out["year"].astype(int)
    out.attrs.update(
        source=raw.attrs["source"],
        as_of="rows carry their own periods",
        note=f"series {series_id}; {len(rows) - len(dated)} row(s) without a single year left out",
        indicator=str(rows["indicator"].iloc[0]),
    )
    return out


def segmented(series_id: str = BACKTEST_SERIES, interruption: int = 2011) -> pd.DataFrame:
    """Segmented regression (OLS, HAC errors) of a published series around ``interruption``.

    Parameters
    ----------
    series_id : str
        Published series (default: the rare-earth China share, 2009–2014).
    interruption : int
        First year of the post period (2011 for a shock during 2010).

    Returns
    -------
    pandas.DataFrame
        :func:`evalkit.stats.segmented_regression` output (coefficients in
        percentage points, slopes per year), or a one-row table saying why the
        model cannot be estimated; ``attrs["note"]`` states the limits.
    """
    pts = series(series_id)
    try:
        out = stats.segmented_regression(pts["year"], pts["value"], interruption)
    except ValueError as exc:
        out = pd.DataFrame([{"status": "not estimable", "why": str(exc)}])
        out.attrs["note"] = "no model fitted"
    note = out.attrs.get("note", "")
    out.attrs.update(
        source=f"derived by evalkit from {pts.attrs['source']} (series {series_id})",
        note=f"units: {pts['unit'].iloc[0]} and {pts['unit'].iloc[0]} per year. {note}",
    )
    return out


def before_after(series_id: str = BACKTEST_SERIES, interruption: int = 2011) -> pd.DataFrame:
    """Mean of the points before and from ``interruption`` on, and their difference (derived).

    Returns
    -------
    pandas.DataFrame
        One row: ``years_before``, ``mean_before``, ``years_after``,
        ``mean_after``, ``change`` (after − before, percentage points for a
        share), ``unit``.
    """
    pts = series(series_id)
    pre, post = pts[pts["year"] < interruption], pts[pts["year"] >= interruption]
    mb = float(pre["value"].mean()) if len(pre) else float("nan")
    ma = float(post["value"].mean()) if len(post) else float("nan")
    out = pd.DataFrame(
        [
            {
                "years_before": ", ".join(map(str, pre["year"])),
                "mean_before": mb,
                "years_after": ", ".join(map(str, post["year"])),
                "mean_after": ma,
                "change": ma - mb,
                "unit": pts["unit"].iloc[0],
            }
        ]
    )
    out.attrs.update(
        source=f"derived by evalkit from {pts.attrs['source']} (series {series_id})",
        note="a before/after difference, not an effect: there is no counterfactual",
    )
    return out


def chart(series_id: str = BACKTEST_SERIES, interruption: int = 2011, lang: str = "ja"):
    """The published points with the fitted pre-trend, its extension, and the post segment.

    Parameters
    ----------
    series_id : str
        Published series.
    interruption : int
        First year of the post period.
    lang : {"ja", "en"}
        Language of title, axes, legend and caption.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    pts = series(series_id)
    fit = segmented(series_id, interruption)
    plotting.setup()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    ax.scatter(pts["year"], pts["value"], color=plotting.PALETTE[0], zorder=3, label=t("label_published_points", lang))
    for x, v in zip(pts["year"], pts["value"]):
        ax.annotate(f"{v:g}", (x, v), textcoords="offset points", xytext=(0, 6), fontsize=7, ha="center")
    if "coef" in fit.columns:
        b = fit["coef"]
        first = pts["year"].min()
        xs = np.arange(first, pts["year"].max() + 1, dtype=float)
        pre = b["const"] + b["time"] * (xs - first)
        ax.plot(
            xs[xs < interruption], pre[xs < interruption], color=plotting.PALETTE[1], label=t("label_fitted_pre", lang)
        )
        ax.plot(
            xs[xs >= interruption - 1],
            pre[xs >= interruption - 1],
            color=plotting.PALETTE[1],
            linestyle="--",
            label=t("label_pre_extended", lang),
        )
        post_x = xs[xs >= interruption]
        post = pre[xs >= interruption] + b["post"] + b["time_since"] * (post_x - interruption)
        ax.plot(post_x, post, color=plotting.PALETTE[2], label=t("label_fitted_post", lang))
    ax.axvline(interruption - 0.5, color="#888888", linestyle=":", linewidth=1)
    ax.set_ylabel(f"{pts['unit'].iloc[0]}")
    ax.set_xlabel(t("axis_year", lang))
    ax.set_title(t("chart_segmented_title", lang, indicator=pts.attrs["indicator"]), fontsize=10)
    ax.legend(fontsize=7, frameon=False)
    plotting.caption(
        fig,
        pts.attrs["source"],
        as_of=t("as_of_own_periods", lang),
        note=t("note_segmented_chart", lang, series=series_id) + f" {fit.attrs.get('note', '')}",
        lang=lang,
    )
    plt.close(fig)
    return fig


def persistence(series_id: str = BACKTEST_SERIES, threshold: float = 65.0, k: int = 2, n: int = 3) -> pd.DataFrame:
    """Persistence rule on a published share: above ``threshold`` in at least ``k`` of ``n`` years.

    Parameters
    ----------
    threshold : float
        In the series' unit (65 % = the EU CRMA single-country benchmark).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``value``, ``above`` (flag), ``persistent``. Years missing
        from the series count as *not flagged*, so gaps can only make the
        rule stricter; ``attrs["note"]`` says so.
    """
    pts = series(series_id)
    flags = pd.Series((pts["value"] > threshold).to_numpy(), index=pts["year"].to_numpy())
    rule = indicators.persistent(flags, k=k, n=n)
    out = pts[["year", "value"]].assign(above=flags.to_numpy(), persistent=rule.reindex(pts["year"]).to_numpy())
    missing = sorted(set(range(pts["year"].min(), pts["year"].max() + 1)) - set(pts["year"]))
    out.attrs.update(
        source=f"derived by evalkit from {pts.attrs['source']}",
        note=f"flag: value > {threshold:g} {pts['unit'].iloc[0]}; persistent: flagged in at least "
        f"{k} of the last {n} years. Years not in the series ({', '.join(map(str, missing)) or 'none'})"
        " count as not flagged.",
    )
    return out


def read_panel(path: str, outcome: str) -> pd.DataFrame:
    """Read a product panel CSV (``product``, ``year``, ``treated`` 0/1, and ``outcome``), reporting every problem.

    A file with a sidecar is read through :func:`evalkit.data.read_table`.
    """
    p = Path(path)
    if not p.is_file():
        raise MissingInputError(f"{path}: panel file not found")
    if p.with_name(p.name + ".meta.yaml").is_file():
        frame, problems = check_table(p)
        if problems:
            raise DataValidationError(problems)
    else:
        frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    name = relative(p)
    missing = [c for c in ("product", "year", "treated", outcome) if c not in frame.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    name,
                    1,
                    ",".join(missing),
                    None,
                    "header:schema",
                    f"panel needs columns product, year, treated and {outcome}",
                )
            ]
        )
    problems = []
    out = frame[["product", "year", "treated", outcome]].copy()
    for col, kind in (("year", "integer"), ("treated", "0/1"), (outcome, "number")):
        values = pd.to_numeric(out[col], errors="coerce")
        for idx in out.index[values.isna() & out[col].astype(str).ne("")]:
            problems.append(Problem(name, int(idx) + 2, col, str(out.at[idx, col]), f"type:{kind}", f"expected {kind}"))
        out[col] = values
    bad = out.index[~out["treated"].isin([0, 1]) & out["treated"].notna()]
    problems += [
        Problem(name, int(i) + 2, "treated", str(out.at[i, "treated"]), "enum", "expected 0 or 1") for i in bad
    ]
    if problems:
        raise DataValidationError(problems)
    out.attrs["source"] = f"user panel [{name}]"
    return out


def did_table(panel_path: str = "", outcome: str = "chn_share", post_start: int = 2023) -> pd.DataFrame:
    """Difference-in-differences of designated vs comparison products, when a panel is supplied.

    Returns
    -------
    pandas.DataFrame
        :func:`evalkit.stats.did` output, or a table saying that no panel is
        shipped and what one must hold.
    """
    if not panel_path:
        out = pd.DataFrame(
            [
                {
                    "status": "not available in the shipped data",
                    "why": "no product panel is shipped; build one from a customs or BACI file (one row "
                    "per HS line and year: product, year, treated 0/1, the outcome such as "
                    "chn_share) and pass panel_path",
                }
            ]
        )
        out.attrs["source"] = "evalkit (no data)"
        return out
    panel = read_panel(panel_path, outcome)
    out = stats.did(panel, outcome=outcome, unit="product", time="year", treated="treated", post_start=post_start)
    out.attrs["source"] = f"derived by evalkit from {panel.attrs['source']}"
    return out


def caveats(lang: str = "ja") -> pd.DataFrame:
    """What the change estimates cannot show, one row per pitfall, in ``lang``.

    Returns
    -------
    pandas.DataFrame
        ``pitfall``, ``what_it_means``; the caption cites the public sources
        behind the pitfalls.
    """
    out = pd.DataFrame(
        [(t(f"caveat_{c}", lang), t(f"caveat_{c}_text", lang)) for c in CAVEATS], columns=["pitfall", "what_it_means"]
    )
    out.attrs.update(
        source="evalkit (docs/methodology.md#pitfalls); Turner et al. (2021), BMC Med. Res. Methodol. 21:181; "
        "Abadie (2021), J. Econ. Lit. 59(2); WTO disputes DS394 and DS431-433",
        note=t("note_caveats", lang),
    )
    return out


def record_backtest(series_id: str = BACKTEST_SERIES, interruption: int = 2011) -> pd.DataFrame:
    """Record the back-test's derived figures (keys ``dependence_change.rare_earths_2010.*``).

    Returns
    -------
    pandas.DataFrame
        key, value, unit, note, source.
    """
    stem = KEY_STEMS.get(series_id, f"dependence_change.{series_id}")
    pts = series(series_id)
    unit = pts["unit"].iloc[0]
    diff_unit = "percentage points" if unit == "%" else unit
    rows = ", ".join(pts["row_id"])
    src = f"derived: evalkit from the published series {series_id} (compiled table rows {rows})"
    fit = segmented(series_id, interruption)
    ba = before_after(series_id, interruption).iloc[0]
    results = [record(f"{stem}.n_points", int(len(pts)), unit="points", source=src)]
    if "coef" in fit.columns:
        exact = "exact fit: no standard error" if fit.attrs.get("df_resid", 0) <= 0 else ""
        results += [
            record(
                f"{stem}.pre_slope",
                round(float(fit.loc["time", "coef"]), 6),
                unit=f"{diff_unit} per year",
                source=src,
                note=exact,
            ),
            record(
                f"{stem}.level_change",
                round(float(fit.loc["post", "coef"]), 6),
                unit=diff_unit,
                source=src,
                note=(exact + "; " if exact else "") + "not an effect: no counterfactual",
            ),
            record(
                f"{stem}.slope_change",
                round(float(fit.loc["time_since", "coef"]), 6),
                unit=f"{diff_unit} per year",
                source=src,
                note=exact,
            ),
        ]
    results += [
        record(f"{stem}.mean_before", round(ba["mean_before"], 6), unit=unit, source=src),
        record(f"{stem}.mean_after", round(ba["mean_after"], 6), unit=unit, source=src),
        record(
            f"{stem}.before_after_change",
            round(ba["change"], 6),
            unit=diff_unit,
            source=src,
            note="a before/after difference, not an effect",
        ),
    ]
    out = pd.DataFrame([r.to_dict() for r in results]).reindex(columns=["key", "value", "unit", "note", "source"])
    out["note"] = out["note"].fillna("")
    out.attrs["source"] = src
    return out
