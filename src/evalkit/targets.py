"""Quantitative targets: registry, attainment, progress, on-track ratio and RAG status.

For a target x* set for date T, a level x observed (or approved) at date t and
a baseline x0 at date t0 (``docs/methodology.md#targets-and-the-rag-rule``):

* attainment ``x / x*`` (JBAudit 達成率: actual or approved against planned);
* progress ``P = (x − x0) / (x* − x0)``;
* on-track ratio ``R = P / ((t − t0) / (T − t0))``: progress against the
  share of the time path elapsed.

Levels come from the deck (``target_progress.csv``, release serving as-of)
and from compiled policy rows whose progress text states a level in the
target's own unit (e.g. batteries "85 -> 120 GWh/yr", 2024-09-06). Most
levels are what *approved plans* will provide, not capacity in operation;
the table says which.

Targets stated as multiples of a base year ("1.6× 2021, about 110,000
units/yr") get the implied baseline ``x* / multiple``, labelled derived.

Dates: a calendar-year target falls due on 31 December of its year, a fiscal-
year target on 31 March after it; a target that applies *from* a year has no
time path. A baseline given as a month counts from the first of that month, a
bare year from 31 December of that year.

RAG rule (:data:`RAG_RULE`): on-track ratio where a time path exists,
otherwise attainment; green ≥ 0.95, amber 0.60 to < 0.95, red < 0.60, grey when
neither can be computed. The cut-offs follow the banding of Eurostat's SDG
monitoring, unverified against its methodological note (see
``docs/methodology.md#targets-and-the-rag-rule``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd

from evalkit import asof as asof_rule
from evalkit import i18n
from evalkit.data import read_table, reference_path, release_for, table_path
from evalkit.data.catalogue import LATEST
from evalkit.errors import MissingInputError
from evalkit.ratios import ratio, rounded
from evalkit.registry import check_product, product_names
from evalkit.results import record

GREEN, AMBER = 0.95, 0.60
RAG_RULE = (
    f"Status uses the on-track ratio R where a time path exists (baseline, level date and deadline), "
    f"otherwise attainment (level ÷ target): green if ≥ {GREEN:.2f}, amber if ≥ {AMBER:.2f} and < {GREEN:.2f}, "
    f"red if < {AMBER:.2f}, grey when neither can be computed. Levels from approved plans show what the "
    f"plans will deliver, not capacity already in operation."
)
_ARROW = re.compile(r"(?P<x0>\d+(?:\.\d+)?)\s*->\s*(?P<x>\d+(?:\.\d+)?)\s*(?P<unit>\S+)")


def due_date(year, basis) -> dt.date | None:
    """Date a target falls due (``None`` when it applies *from* a year or has no year)."""
    if not asof_rule.present(year) or basis == "from":
        return None
    year = int(year)
    return dt.date(year + 1, 3, 31) if basis == "fiscal" else dt.date(year, 12, 31)


def period_end(text) -> dt.date | None:
    """Date of an observation period: an ISO date, or the end of the last YYYY-MM in the text."""
    if not asof_rule.present(text):
        return None
    text = str(text)
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    months = re.findall(r"(\d{4})-(\d{2})", text)
    if months:
        y, m = int(months[-1][0]), int(months[-1][1])
        return dt.date(y, m, calendar.monthrange(y, m)[1])
    return None


def registry(product: str = "all") -> pd.DataFrame:
    """Every quantitative target in the data package, with implied baselines.

    Returns
    -------
    pandas.DataFrame
        ``targets.csv`` columns plus ``due`` (date) and
        ``implied_baseline`` (``target_value / multiple_of_baseline``,
        derived, where the target is stated as a multiple).
    """
    check_product(product)
    frame = read_table(reference_path("targets"))
    out = frame if product == "all" else frame[frame["product"] == product]
    out = out.copy()
    out["due"] = [due_date(y, b) for y, b in zip(out["target_year"], out["year_basis"])]
    implied = []
    for v, m in zip(out["target_value"], out["multiple_of_baseline"]):
        r = ratio(v, m, what="implied baseline")
        implied.append(rounded(r.value, 1) if asof_rule.present(m) else None)
    out["implied_baseline"] = implied
    out = out.reset_index(drop=True)
    out.attrs.update(
        source=frame.attrs["source"],
        as_of="registry (slides D1, D2 and cited sources)",
        note="implied_baseline = target ÷ multiple (derived), in the target's unit",
    )
    return out


def levels(as_of: str = LATEST) -> pd.DataFrame:
    """Approved or achieved levels per target up to ``as_of``.

    Returns
    -------
    pandas.DataFrame
        ``target_id``, ``level_kind``, ``level``, ``level_unit``,
        ``level_date``, ``level_description``, ``level_source``, and
        ``baseline``/``baseline_date``/``baseline_source`` where a compiled
        row states the level before the approvals.
    """
    rows = []
    try:
        release = release_for("cao", "target_progress", as_of)
        deck = read_table(table_path("cao", "target_progress", as_of))
        for r in deck.to_dict("records"):
            rows.append(
                {
                    "target_id": r["target_id"],
                    "level_kind": r["level_kind"],
                    "level": r["value"],
                    "level_unit": r["unit"],
                    "level_date": period_end(r["observed_period"]),
                    "level_description": r["description_en"],
                    "level_source": f"{deck.attrs['source']} (slide {r['slide']})",
                    "baseline": None,
                    "baseline_date": None,
                    "baseline_source": None,
                }
            )
        label = release.label
    except MissingInputError:
        label = f"no target_progress release up to {as_of}"
    reg = registry()
    rules = read_table(table_path("compiled", "policy_rules_and_events", as_of))
    for r in rules[rules["kind"] == "target"].to_dict("records"):
        m = _ARROW.search(r["progress_text"]) if asof_rule.present(r["progress_text"]) else None
        when = period_end(r["as_of_text"])
        if not m or when is None or not asof_rule.row_known_by(when.isoformat(), None, as_of):
            continue
        hit = reg[
            (reg["product"] == r["product"]) & (reg["unit"] == m.group("unit")) & (reg["target_value"] == r["value"])
        ]
        if len(hit) != 1 or hit.iloc[0]["target_id"] in {x["target_id"] for x in rows}:
            continue
        rows.append(
            {
                "target_id": hit.iloc[0]["target_id"],
                "level_kind": "approved_plans",
                "level": float(m.group("x")),
                "level_unit": m.group("unit"),
                "level_date": when,
                "level_description": f"{r['description']}: {r['progress_text']}",
                "level_source": f"{r['source']} (policy_rules_and_events.csv {r['row_id']})",
                "baseline": None,
                "baseline_date": None,
                "baseline_source": None,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "target_id",
            "level_kind",
            "level",
            "level_unit",
            "level_date",
            "level_description",
            "level_source",
            "baseline",
            "baseline_date",
            "baseline_source",
        ],
    )
    # a stated baseline attaches to the one target of its product and unit that has a level
    for r in rules[rules["kind"] == "baseline"].to_dict("records"):
        if not asof_rule.present(r["value"]):
            continue
        when = (
            period_end(f"{r['as_of_text']}-01")
            if re.fullmatch(r"\d{4}-\d{2}", str(r["as_of_text"]))
            else period_end(r["as_of_text"])
        )
        if when is None and asof_rule.present(r["year_text"]) and str(r["year_text"]).isdigit():
            when = dt.date(int(r["year_text"]), 12, 31)
        ids = set(reg[(reg["product"] == r["product"]) & (reg["unit"] == r["unit"])]["target_id"])
        idx = out.index[out["target_id"].isin(ids)]
        if len(idx) == 1 and when is not None and asof_rule.row_known_by(when.isoformat(), None, as_of):
            out.loc[idx[0], ["baseline", "baseline_date", "baseline_source"]] = [
                r["value"],
                when,
                f"{r['source']} (policy_rules_and_events.csv {r['row_id']}, {r['confidence']})",
            ]
    out.attrs.update(
        source=f"CAO deck target_progress ({label}) | compiled policy_rules_and_events.csv",
        as_of=label,
        note=asof_rule.RULE,
    )
    return out


def rag(on_track: float | None, attainment: float | None) -> str:
    """Red/amber/green/grey status by :data:`RAG_RULE`."""
    basis = on_track if on_track is not None else attainment
    if basis is None:
        return "grey"
    return "green" if basis >= GREEN else "amber" if basis >= AMBER else "red"


def attainment(as_of: str = LATEST, product: str = "all", lang: str = "ja") -> pd.DataFrame:
    """Every target with its level, attainment, progress, on-track ratio and status.

    Parameters
    ----------
    as_of : str
        ``latest`` or an ISO date.
    product : str
        ``all`` or a product slug.
    lang : {"ja", "en"}
        Language of the product names in column ``name`` (and, for ``ja``,
        an ``item_ja`` column beside ``item_en``).

    Returns
    -------
    pandas.DataFrame
        One row per target: ``target_id``, ``product``, ``name``, ``item_en``,
        ``target`` (value with qualifier), ``unit``, ``due``, ``baseline``
        (stated, or implied and marked derived), ``level``, ``level_kind``,
        ``attainment`` (x/x*), ``progress`` (P), ``on_track_ratio`` (R),
        ``status`` and ``why`` (what was or could not be computed).
    """
    check_product(product)
    reg = registry(product)
    lv = levels(as_of).set_index("target_id")
    rows = []
    for t in reg.to_dict("records"):
        lev = lv.loc[t["target_id"]] if t["target_id"] in lv.index else None
        why = []
        x = None if lev is None else lev["level"]
        if lev is None:
            why.append("no approved or achieved level published")
        elif not asof_rule.present(t["target_value"]):
            why.append(f"qualitative target; level: {lev['level_description']}")
            x = None
        elif lev["level_unit"] != t["unit"]:
            why.append(f"level unit {lev['level_unit']!r} differs from target unit {t['unit']!r}")
            x = None
        att = ratio(x, t["target_value"], what="attainment") if x is not None else None
        baseline, base_note, t0 = None, "", None
        if lev is not None and asof_rule.present(lev["baseline"]):
            baseline, t0 = float(lev["baseline"]), lev["baseline_date"]
            base_note = "stated"
        elif asof_rule.present(t["implied_baseline"]):
            baseline, base_note = (
                float(t["implied_baseline"]),
                f"implied by {t['multiple_of_baseline']:g}× {t['baseline_year']} (derived)",
            )
            t0 = dt.date(int(t["baseline_year"]), 12, 31) if asof_rule.present(t["baseline_year"]) else None
        prog = ratio(
            None if x is None or baseline is None else x - baseline,
            None if baseline is None or not asof_rule.present(t["target_value"]) else t["target_value"] - baseline,
            what="progress",
        )
        on_track = None
        if prog.defined and t0 is not None and t["due"] is not None and lev is not None:
            elapsed = ratio((lev["level_date"] - t0).days, (t["due"] - t0).days, what="elapsed share")
            r = ratio(prog.value, elapsed.value, what="on-track ratio") if elapsed.defined else elapsed
            on_track = rounded(r.value, 4)
            if r.note:
                why.append(r.note)
        elif x is not None:
            why.append("no time path (baseline or deadline missing): status from attainment")
        att_value = None if att is None else rounded(att.value, 6)
        qual = t["target_value_qualifier"]
        target_text = (f"{t['target_value']:g}" if asof_rule.present(t["target_value"]) else "qualitative") + (
            "" if qual in ("exact", "qualitative") else f" ({qual})"
        )
        rows.append(
            {
                "target_id": t["target_id"],
                "product": t["product"],
                "item_en": t["item_en"],
                "target": target_text,
                "unit": t["unit"],
                "due": t["due"],
                "baseline": None if baseline is None else f"{baseline:,.6g} ({base_note})",
                "level": None if lev is None else lev["level"],
                "level_kind": None if lev is None else lev["level_kind"],
                "level_date": None if lev is None else lev["level_date"],
                "attainment": att_value,
                "progress": rounded(prog.value, 4),
                "on_track_ratio": on_track,
                "status": rag(on_track, att_value),
                "why": "; ".join(why),
                "level_source": None if lev is None else lev["level_source"],
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "target_id",
            "product",
            "item_en",
            "target",
            "unit",
            "due",
            "baseline",
            "level",
            "level_kind",
            "level_date",
            "attainment",
            "progress",
            "on_track_ratio",
            "status",
            "why",
            "level_source",
        ],
    )
    out.insert(2, "name", out["product"].map(product_names(lang)))
    if lang == "ja":
        out.insert(3, "item_ja", out["target_id"].map(reg.set_index("target_id")["item_ja"]))
    if out.empty:
        out.attrs["empty_note"] = f"no quantitative target is registered for {product}. "
    out.attrs.update(
        source=f"{reg.attrs['source']} | {lv.attrs['source']}",
        as_of=lv.attrs["as_of"],
        note=out.attrs.pop("empty_note", "") + "attainment, progress and on-track ratio are derived. " + RAG_RULE,
    )
    return out


def record_attainment(as_of: str = LATEST, product: str = "all") -> pd.DataFrame:
    """Record ``target.<target_id>.attainment`` for every target with a numeric attainment.

    Returns
    -------
    pandas.DataFrame
        What was recorded: key, value, unit, note, source.
    """
    table = attainment(as_of, product)
    done = []
    for r in table[table["attainment"].notna()].to_dict("records"):
        res = record(
            f"target.{r['target_id']}.attainment",
            float(r["attainment"]),
            unit="ratio",
            source=f"derived: level {r['level']:g} {r['unit']} ({r['level_kind']}, {r['level_source']}) "
            f"÷ target {r['target']} {r['unit']} (data/reference/targets.csv)",
            note=f"status {r['status']}",
        )
        done.append(res.to_dict())
    out = pd.DataFrame(done, columns=["key", "value", "unit", "note", "source"])
    out.attrs.update(source=table.attrs["source"], as_of=table.attrs["as_of"], note="derived")
    return out


def attainment_chart(as_of: str = LATEST, product: str = "all", lang: str = "ja"):
    """Bar chart of attainment per target with a numeric level.

    Parameters
    ----------
    as_of, product : str
        As for :func:`attainment`.
    lang : {"ja", "en"}
        Language of product and item names, title, axis and caption.

    Returns
    -------
    matplotlib.figure.Figure or IPython.display.Markdown
        A statement instead of an empty chart when no target has a level.
    """
    import matplotlib.pyplot as plt

    from evalkit import plotting

    table = attainment(as_of, product)
    have = table[table["attainment"].notna()]
    if have.empty:
        from IPython.display import Markdown

        name = i18n.t("label_all_products", lang) if product == "all" else product_names(lang).get(product, product)
        return Markdown(i18n.t("no_level_to_chart", lang, product=name))
    names = product_names(lang)
    items = registry().set_index("target_id")[f"item_{lang}"]
    values = pd.Series(
        have["attainment"].to_numpy(dtype=float),
        index=[f"{names[p]}: {items[i]}" for p, i in zip(have["product"], have["target_id"])],
    )
    fig = plotting.barh(
        values * 100,
        title=i18n.t("chart_attainment_title", lang),
        xlabel=i18n.t("axis_percent_of_target", lang),
        source="data/reference/targets.csv; levels: " + "; ".join(sorted(set(have["level_source"]))),
        as_of=table.attrs["as_of"],
        note=i18n.t("note_attainment_chart", lang),
        lang=lang,
    )
    plotting.make_room(fig, left=0.32, bottom=0.34)
    fig.axes[0].axvline(100, color="#444444", linewidth=0.8, linestyle="--")
    plt.close(fig)
    return fig
