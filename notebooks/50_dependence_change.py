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
# # 50 依存度の変化 / Did dependence fall?
#
# Whether a dependence indicator changed, and what the data can and cannot say about why. Two designs: an
# interrupted time series (segmented regression by OLS with Newey–West HAC errors: a level change and a slope
# change at the interruption) on one series, and a difference-in-differences of designated against comparison
# (non-designated) products when a product panel is supplied. The back-test applies the first design to the only
# dated published series in the shipped data — China's share of Japan's rare-earth imports around the 2010 supply
# shock — and shows why its numbers describe the points rather than estimate an effect. All estimates are
# *derived* by evalkit.

# %% tags=["parameters"]
series_id: str = "re_import_share_china_mof_via_kksoukan"  # published series (external_dependence_published.csv)
interruption: int = 2011  # first year of the post period
panel_path: str = ""  # product panel CSV for the difference-in-differences (empty: none shipped)
outcome: str = "chn_share"  # panel column to compare
post_start: int = 2023  # first post-designation year of the panel
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import dependence_change

evalkit.notebook.setup(lang)

# %% [markdown]
# The published points of the series, as published.

# %%
dependence_change.series(series_id)

# %% [markdown]
# Segmented regression (`y = b0 + b1·time + b2·post + b3·time_since`); read the note under the table first.

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
# Difference-in-differences against comparison products (needs a panel).

# %%
dependence_change.did_table(panel_path, outcome, post_start)

# %% [markdown]
# 注意 / What these numbers cannot show.

# %%
dependence_change.caveats()

# %% [markdown]
# ヘッドライン / Back-test figures recorded for `results.json` (keys `dependence_change.*`).

# %%
dependence_change.record_backtest(series_id, interruption)
