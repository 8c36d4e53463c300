"""Published dependence figures set beside evalkit's computation from BACI, with why they differ.

Each published figure of ``external_dependence_published.csv`` that has a
counterpart in the BACI panel is compared with the figure evalkit computes
(:func:`evalkit.trade_panel.importer_year`) for the same codes, partner and
year. The two are different measurements, and the table says how:

* calendar year (BACI) against fiscal year or half year (the publication);
* BACI reconciles the exporter's and the importer's declarations (mirror
  data, values FOB) where Japan Customs counts what Japan declares (CIF);
* the publication's HS scope is often not stated (e.g. whether 2846 or only
  2805.30 counts as rare earths; whether artificial graphite 3801 counts);
* value against volume, and gross weight of oxides and compounds (BACI,
  tonnes) against metal or oxide content;
* second- and third-hand relays, and approximate figures ("about 90%").

The published rows keep their confidence grade; the evalkit figure is
*derived*. Nothing is adjusted to make the two agree.

References
----------
.. [1] Gaulier & Zignago (2010), CEPII WP 2010-23 (BACI's reconciliation of
   mirror flows).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evalkit import trade_panel
from evalkit.data import baci
from evalkit.i18n import t
from evalkit.item_dependence import JAPAN, panel_for

RARE_EARTHS = ("280530", "284610", "284690")
GRAPHITE = ("250410", "250490")
LNG = ("271111",)


@dataclass(frozen=True)
class Comparison:
    """One published figure and how evalkit computes its BACI counterpart.

    Attributes
    ----------
    row_id : str
        Row of the compiled table (``external_dependence_published.csv``).
    codes : tuple of str
        HS 1992 codes summed on the BACI side.
    partner : str or None
        ISO alpha-3 of the country whose share is compared; None compares total imports (t).
    year : int
        BACI calendar year compared.
    measure : {"value", "quantity"} or None
        The basis the publication states; None when it does not say (both are shown).
    reasons : tuple of str
        Translation keys (``reason_*``) of the stated reasons for a difference.
    ratio_of : str, optional
        Row id of a total: the published figure is then ``row_id`` over that row (a derived share).
    """

    row_id: str
    codes: tuple[str, ...]
    partner: str | None
    year: int
    measure: str | None
    reasons: tuple[str, ...]
    ratio_of: str | None = None


_RE_VOLUME = ("reason_third_hand", "reason_hs_scope_re", "reason_gross_weight", "reason_mirror")
_RE_SHARE = ("reason_third_hand", "reason_mirror", "reason_hs_scope_re", "reason_gross_weight")
COMPARISONS = (
    Comparison("ed01", RARE_EARTHS, None, 2008, "quantity", _RE_VOLUME),
    Comparison("ed02", RARE_EARTHS, "CHN", 2009, "quantity", _RE_SHARE),
    Comparison("ed03", RARE_EARTHS, "CHN", 2010, "quantity", _RE_SHARE),
    Comparison("ed04", RARE_EARTHS, "CHN", 2011, "quantity", _RE_SHARE),
    Comparison("ed05", RARE_EARTHS, "CHN", 2014, "quantity", _RE_SHARE),
    Comparison("ed06", RARE_EARTHS, None, 2014, "quantity", _RE_VOLUME),
    Comparison("ed15", RARE_EARTHS, "CHN", 2023, None, ("reason_reporter", "reason_basis_unstated")),
    Comparison(
        "ed11", RARE_EARTHS, "CHN", 2024, "quantity", ("reason_half_year", "reason_metal_content", "reason_mirror")
    ),
    Comparison(
        "ed12", RARE_EARTHS, "CHN", 2024, None, ("reason_approximate", "reason_basis_unstated", "reason_mirror")
    ),
    Comparison(
        "ed21",
        GRAPHITE,
        "CHN",
        2023,
        None,
        ("reason_approximate", "reason_period_approximate", "reason_hs_scope_graphite", "reason_basis_unstated"),
    ),
    Comparison("ed29", LNG, "AUS", 2023, "quantity", ("reason_fiscal_year", "reason_mirror"), ratio_of="ed28"),
)


def _computed(c: Comparison, measure: str, found: baci.Panel, codes_table: pd.DataFrame) -> float | None:
    named = int(baci.resolve_country(c.partner, codes_table)[0]) if c.partner else trade_panel.CHINA
    got = trade_panel.importer_year(
        list(c.codes), measure=measure, importers=[JAPAN], years=(c.year, c.year), panel=found.path, named=named
    )
    if got.empty:
        return None
    row = got.iloc[0]
    return float(row["named_share"]) * 100 if c.partner else float(row["imports"])


def comparison(source: str = "baci", path: str = "", lang: str = "ja") -> pd.DataFrame:
    """Published figures beside evalkit's BACI figures, the difference, and the reasons stated.

    Parameters
    ----------
    source, path : str
        As for :func:`evalkit.item_dependence.japan_indicators` (default: the fetched BACI extract).
    lang : {"ja", "en"}
        Language of labels and reasons.

    Returns
    -------
    pandas.DataFrame
        One row per comparison: ``published_figure``, ``period``, ``published`` (as stated), ``unit``, ``confidence``
        (the published row's grade), ``baci_year``, ``evalkit_value`` (on the basis the publication states, or
        by quantity when it states none), ``evalkit_by_value``, ``evalkit_by_quantity``, ``difference``
        (evalkit minus published: percentage points for shares, tonnes for volumes), ``reasons``, ``source``.
    """
    from evalkit.dependence import published

    rows = published().set_index("row_id")
    found = panel_for(source, path)
    codes_table = baci.read_country_codes(found.country_codes)
    out = []
    for c in COMPARISONS:
        pub = rows.loc[c.row_id]
        value, unit, shown = float(pub["value"]), str(pub["unit"]), None
        if c.ratio_of:
            total = rows.loc[c.ratio_of]
            value, unit = 100 * value / float(total["value"]), "%"
            shown = t("published_ratio", lang, part=f"{pub['value']:g}", total=f"{total['value']:g}", unit=pub["unit"])
        by = {m: _computed(c, m, found, codes_table) for m in ("value", "quantity")}
        main = by[c.measure or "quantity"]
        qualifier = "" if pub["value_qualifier"] == "exact" else f" ({t('qualifier:' + pub['value_qualifier'], lang)})"
        out.append(
            {
                "published_figure": t(f"cmp_{c.row_id}", lang),
                "period": str(pub["period"]),
                "published": (shown or f"{value:g}") + qualifier,
                "unit": unit,
                "confidence": str(pub["confidence"]),
                "baci_year": c.year,
                "evalkit_value": None if main is None else round(main, 1),
                "evalkit_by_value": None if by["value"] is None or not c.partner else round(by["value"], 1),
                "evalkit_by_quantity": None if by["quantity"] is None else round(by["quantity"], 1),
                "difference": None if main is None else round(main - value, 1),
                "reasons": " ".join(t(r, lang) for r in c.reasons),
                "source": f"{pub['source']} (row {c.row_id})",
            }
        )
    frame = pd.DataFrame(out)
    frame.attrs.update(
        title=t("table_comparison_title", lang),
        sources=[rows.attrs["source"], f"derived by evalkit from CEPII BACI [{found.name}]"],
        note=t("note_comparison", lang),
    )
    return frame
