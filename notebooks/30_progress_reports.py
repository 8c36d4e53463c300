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
# # 30 事業者報告 / Progress of the approved plans (business reports)
#
# The plans that had to file a business report (Art. 12) and how they stand: ahead, on plan, delayed but expected to
# achieve, delayed by a revised period, or infeasible. *On track* is the deck's grouping of the first two. Shares carry
# 95% Wilson intervals (statsmodels); because the reporting plans are all the plans that had to report, not a sample,
# read the intervals as a guide to how much a share of this size could move, not as sampling error.
# Statuses are published for the programme as a whole; per product only the number of reporting plans is known.

# %% tags=["parameters"]
as_of: str = "latest"  # 'latest' or YYYY-MM-DD: the data release to show
product: str = "all"  # 'all' or a product slug, e.g. 'batteries'
extra_round: str = ""  # optional later round: report_status CSV with sidecar; empty for none
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import progress_reports

evalkit.notebook.setup(lang)

# %% [markdown]
# 報告の状況 / Status counts of the newest round with shares and 95% Wilson intervals (derived).

# %%
progress_reports.status_table(as_of, product)

# %% [markdown]
# The shares with their intervals.

# %%
progress_reports.status_chart(as_of, lang)

# %% [markdown]
# In plain words, with the caveats.

# %%
progress_reports.interpretation(as_of)

# %% [markdown]
# 報告対象 / Per product: plans approved and plans that had to report.

# %%
progress_reports.reporting_subsets(as_of, product, lang)

# %% [markdown]
# 遅延要因 / The deck's taxonomy of delay factors with its examples.

# %%
progress_reports.delay_factors(lang)

# %% [markdown]
# 前回比較 / Round-over-round comparison of the on-track share (two-proportion test) when a second round exists.

# %%
progress_reports.round_comparison(as_of, extra_round)

# %% [markdown]
# ヘッドライン / Headline figures recorded for `results.json`.

# %%
progress_reports.record_summary(as_of)
