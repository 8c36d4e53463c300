"""Business reports of approved plans (Art. 12): statuses, shares, uncertainty, rounds.

The deck gives one round: 74 plans reported status at end-March 2024 —
ahead 3, on plan 62, delayed but expected to achieve 7, delayed by a revised
period 1, infeasible 1. "On track" is the deck's own grouping of the first two
(65). Statuses are published for the programme as a whole, not per product;
per product only the number of plans that had to report is known.

A later round can be added as a new release of ``report_status.csv`` in
``data/raw/cao/<as_of>/`` or, for a quick look, passed as a file with the
``extra_round`` parameter (same columns, with a sidecar); with two rounds the
on-track share is compared with :func:`evalkit.stats.compare_shares`.
"""

from __future__ import annotations

import pandas as pd

from evalkit.data import read_table, reference_path, release_for, table_path
from evalkit.data.catalogue import LATEST, parse_as_of, releases
from evalkit.errors import DataValidationError, MissingInputError, Problem
from evalkit.i18n import t
from evalkit.paths import relative
from evalkit.programme import approvals
from evalkit.ratios import ratio, rounded
from evalkit.registry import check_product
from evalkit.results import record
from evalkit.stats import compare_shares, wilson_share
from evalkit.userfile import resolve_user_file

PRODUCER, TABLE = "cao", "report_status"
DELAYED = ("delayed_expected_to_achieve", "delayed_period_revised")
INFEASIBLE = ("infeasible",)


def _read_round(path) -> pd.DataFrame:
    frame = read_table(path)
    bad = (
        [
            Problem(
                frame.attrs["path"],
                None,
                "on_track",
                None,
                "report_status:on_track",
                "the on_track column must mark at least one status",
            )
        ]
        if not frame["on_track"].any()
        else []
    )
    if bad:
        raise DataValidationError(bad)
    return frame


def rounds(as_of: str = LATEST, extra_round: str = "") -> list[pd.DataFrame]:
    """Every reporting round up to ``as_of``, oldest first, plus ``extra_round`` if given.

    Returns
    -------
    list of pandas.DataFrame
        Each with ``attrs["round"]`` (its as-of label) and ``attrs["source"]``.
    """
    as_of = parse_as_of(as_of)
    out = []
    try:
        chosen = release_for(PRODUCER, TABLE, as_of)
    except MissingInputError:
        chosen = None
    if chosen is not None:
        for rel in releases(PRODUCER, TABLE):
            if rel <= chosen and (as_of == LATEST or rel.date is not None):
                frame = _read_round(table_path(PRODUCER, TABLE, rel.date.isoformat() if rel.date else LATEST))
                frame.attrs["round"] = rel.label
                out.append(frame)
    if extra_round:
        path = resolve_user_file(extra_round, parameter="extra_round")
        frame = _read_round(path)
        meta = frame.attrs["meta"]
        frame.attrs["round"] = f"{meta.get('as_of') or 'undated'} ({meta.get('title')}) [{relative(path)}]"
        out.append(frame)
    return out


def status_table(as_of: str = LATEST, product: str = "all") -> pd.DataFrame:
    """Status counts of the newest round with shares and 95% Wilson intervals.

    Parameters
    ----------
    as_of : str
    product : str
        Statuses are programme-wide; for a product the table is the same and
        its note says so.

    Returns
    -------
    pandas.DataFrame
        ``status_code``, ``label_ja``, ``label_en``, ``on_track``, ``plans``,
        ``share``, ``ci_low``, ``ci_high`` (derived, ratio 0-1), then rows
        ``on track (derived)`` and ``total``.
    """
    check_product(product)
    found = rounds(as_of)
    if not found:
        raise MissingInputError(f"no business-report round up to as_of={as_of}")
    frame = found[-1]
    total = int(frame["plans"].sum())
    rows = []
    for r in frame.sort_values("display_order").to_dict("records"):
        est = wilson_share(int(r["plans"]), total)
        rows.append(
            {
                "status_code": r["status_code"],
                "label_ja": r["label_ja"],
                "label_en": r["label_en"],
                "on_track": bool(r["on_track"]),
                "plans": int(r["plans"]),
                "share": round(est.share, 4),
                "ci_low": round(est.ci_low, 4),
                "ci_high": round(est.ci_high, 4),
            }
        )
    est = wilson_share(int(frame.loc[frame["on_track"].astype(bool), "plans"].sum()), total)
    rows.append(
        {
            "status_code": "on_track (derived)",
            "label_ja": "順調 (前倒し+計画どおり)",
            "label_en": "on track (ahead + on plan)",
            "on_track": True,
            "plans": est.count,
            "share": round(est.share, 4),
            "ci_low": round(est.ci_low, 4),
            "ci_high": round(est.ci_high, 4),
        }
    )
    rows.append(
        {
            "status_code": "total",
            "label_ja": "合計",
            "label_en": "total",
            "on_track": None,
            "plans": total,
            "share": 1.0,
            "ci_low": None,
            "ci_high": None,
        }
    )
    out = pd.DataFrame(rows)
    note = (
        "shares and 95% Wilson intervals (statsmodels proportion_confint, method='wilson') are derived. "
        + est.caveats[0]
    )
    if product != "all":
        note = f"statuses are published for the programme as a whole, not for {product}. " + note
    out.attrs.update(source=frame.attrs["source"], as_of=frame.attrs["round"], note=note)
    return out


def summary(as_of: str = LATEST) -> dict:
    """Headline counts of the newest round: total, on track, delayed, infeasible, share and interval."""
    frame = rounds(as_of)[-1]
    by = frame.set_index("status_code")["plans"].astype(int)
    total = int(by.sum())
    on = int(frame.loc[frame["on_track"].astype(bool), "plans"].sum())
    est = wilson_share(on, total)
    return {
        "reports_total": total,
        "reports_on_track": on,
        "reports_delayed": int(by.reindex(list(DELAYED)).fillna(0).sum()),
        "reports_infeasible": int(by.reindex(list(INFEASIBLE)).fillna(0).sum()),
        "estimate": est,
        "source": frame.attrs["source"],
        "round": frame.attrs["round"],
    }


def record_summary(as_of: str = LATEST) -> pd.DataFrame:
    """Record the reporting headline keys and return them as a table."""
    s = summary(as_of)
    est, src = s["estimate"], s["source"]
    done = [
        record(k, s[k], unit="plans", source=src)
        for k in ("reports_total", "reports_on_track", "reports_delayed", "reports_infeasible")
    ]
    derived = f"derived: {est.count}/{est.nobs} from {src}"
    done.append(record("on_track_share", round(est.share, 6), unit="ratio", source=derived))
    done.append(
        record(
            "on_track_share_ci_low",
            round(est.ci_low, 6),
            unit="ratio",
            source=f"{derived}; 95% Wilson interval (statsmodels proportion_confint)",
        )
    )
    done.append(
        record(
            "on_track_share_ci_high",
            round(est.ci_high, 6),
            unit="ratio",
            source=f"{derived}; 95% Wilson interval (statsmodels proportion_confint)",
        )
    )
    out = pd.DataFrame([r.to_dict() for r in done]).reindex(columns=["key", "value", "unit", "source"])
    out.attrs.update(source=src, as_of=s["round"], note=est.summary())
    return out


def interpretation(as_of: str = LATEST):
    """Plain-language summary of the on-track share with its caveats (an IPython Markdown object)."""
    from IPython.display import Markdown

    est = summary(as_of)["estimate"]
    return Markdown(f"**On track:** {est.summary()}\n\n" + "\n".join(f"- {c}" for c in est.caveats))


def reporting_subsets(as_of: str = LATEST, product: str = "all", lang: str = "ja") -> pd.DataFrame:
    """Per product: plans approved and plans that had to report (the 74).

    Parameters
    ----------
    as_of, product : str
        As for :func:`status_table`.
    lang : {"ja", "en"}
        Language of the product names and the table title.

    Returns
    -------
    pandas.DataFrame
        ``product``, ``name``, ``plans_approved``, ``plans_reporting``,
        ``reporting_share`` (derived; empty when no plan is approved).
    """
    check_product(product)
    table = approvals(as_of, lang)
    if "plans_reporting" not in table.columns:
        # the release serving as_of gives no reporting subset: use the newest release that does
        for rel in reversed([r for r in releases(PRODUCER, "approvals_by_product") if r.date is not None]):
            found = approvals(rel.date.isoformat(), lang)
            if "plans_reporting" in found.columns:
                table = found
                break
    if "plans_reporting" not in table.columns:
        raise MissingInputError("no release states the reporting subsets")
    if product != "all":
        table = table[table["product"] == product]
    shares = [ratio(r, a, what="reporting share") for r, a in zip(table["plans_reporting"], table["plans_approved"])]
    out = table[["product", "name", "plans_approved", "plans_reporting"]].copy()
    out["reporting_share"] = [rounded(s.value, 4) for s in shares]
    out["note"] = [s.note for s in shares]
    out.attrs.update(
        source=table.attrs["source"],
        as_of=table.attrs["as_of"],
        title=t("table_reporting_title", lang),
        note="reporting_share derived; a product with no approved plan has no share",
    )
    return out


def delay_factors(lang: str = "ja") -> pd.DataFrame:
    """The deck's taxonomy of delay factors with its examples.

    Parameters
    ----------
    lang : {"ja", "en"}
        Which of the data package's two wordings to show.

    Returns
    -------
    pandas.DataFrame
        ``category_<lang>``, ``cause_<lang>``, ``examples_<lang>``.
    """
    frame = read_table(reference_path("delay_factors")).sort_values("display_order")
    out = frame[[f"category_{lang}", f"cause_{lang}", f"examples_{lang}"]]
    out = out.reset_index(drop=True)
    out.attrs.update(source=frame.attrs["source"], as_of="deck (slide C)")
    return out


def round_comparison(as_of: str = LATEST, extra_round: str = ""):
    """Compare the on-track share of the two newest rounds, or say why that is not possible.

    Returns
    -------
    pandas.DataFrame
        With two or more rounds: one row per round (plans, on track, share,
        Wilson interval) and a final row with the difference, its interval
        and the two-proportion test p-value; ``attrs["note"]`` holds the
        plain-language summary and caveats. With one round: a one-row table
        saying no comparison is possible.
    """
    found = rounds(as_of, extra_round)
    if len(found) < 2:
        out = pd.DataFrame(
            [
                {
                    "round": found[0].attrs["round"] if found else "none",
                    "comparison": "not possible: only one reporting round is published up to this as-of",
                }
            ]
        )
        out.attrs.update(
            source=found[0].attrs["source"] if found else "data/raw/cao/*/report_status.csv",
            as_of=as_of,
            note="add a later round to compare",
        )
        return out
    first, second = found[-2], found[-1]
    counts = [(int(f.loc[f["on_track"].astype(bool), "plans"].sum()), int(f["plans"].sum())) for f in (first, second)]
    cmp = compare_shares(*counts[0], *counts[1])
    rows = []
    for f, est in ((first, cmp.first), (second, cmp.second)):
        rows.append(
            {
                "round": f.attrs["round"],
                "plans": est.nobs,
                "on_track": est.count,
                "share": round(est.share, 4),
                "ci_low": round(est.ci_low, 4),
                "ci_high": round(est.ci_high, 4),
                "p_value": None,
            }
        )
    rows.append(
        {
            "round": "change (later − earlier, derived)",
            "plans": None,
            "on_track": None,
            "share": round(cmp.difference, 4),
            "ci_low": round(cmp.ci_low, 4),
            "ci_high": round(cmp.ci_high, 4),
            "p_value": round(cmp.pvalue, 4),
        }
    )
    out = pd.DataFrame(rows).astype({"plans": "Int64", "on_track": "Int64"})
    out.attrs.update(
        sources=[first.attrs["source"], second.attrs["source"]],
        as_of=second.attrs["round"],
        note=cmp.summary() + " " + " ".join(cmp.caveats),
    )
    return out


def status_chart(as_of: str = LATEST, lang: str = "ja"):
    """Shares per status with Wilson intervals (horizontal bars).

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date.
    lang : {"ja", "en"}
        Language of the status labels, title, axis and caption.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    table = status_table(as_of)
    body = table[~table["status_code"].isin(["total"])]
    plotting.setup()
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(body) + 1.8))
    ys = list(range(len(body)))[::-1]
    share = body["share"].to_numpy(dtype=float) * 100
    lo = share - body["ci_low"].to_numpy(dtype=float) * 100
    hi = body["ci_high"].to_numpy(dtype=float) * 100 - share
    ax.barh(ys, share, xerr=[lo, hi], color=plotting.PALETTE[0], ecolor="#444444", capsize=3)
    ax.set_yticks(ys, [f"{j} ({n})" for j, n in zip(body[f"label_{lang}"], body["plans"])], fontsize=8)
    ax.set_xlabel(t("axis_share_of_reporting", lang))
    ax.set_title(t("chart_status_title", lang))
    plotting.caption(
        fig, table.attrs["source"], as_of=table.attrs["as_of"], note=t("note_shares_derived", lang), lang=lang
    )
    plotting.make_room(fig, left=0.42, extra_height=0.6, bottom=0.2)
    plt.close(fig)
    return fig
