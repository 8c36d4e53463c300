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
# # 20 目標の達成状況 / Target attainment
#
# Every quantitative target in the data package with its unit, deadline and baseline where stated, the level approved
# plans will deliver (or that was achieved) up to `as_of`, and how far that goes: attainment x/x*, progress
# P = (x−x0)/(x*−x0) and the on-track ratio R = P ÷ (share of the time path elapsed) where a baseline and deadline exist.
# Targets stated as multiples of a base year show the implied baseline (target ÷ multiple), marked *derived*.
#
# **Status rule.** Green if the on-track ratio (or, without a time path, attainment) is at least 0.95, amber from 0.60 to
# below 0.95, red below 0.60, grey when neither can be computed. Levels from approved plans say what the plans will
# deliver, not capacity already running, so a green status is a statement about plans, not outcomes.

# %% tags=["parameters"]
as_of: str = "latest"  # 'latest' or YYYY-MM-DD: the data release and the rows dated up to it
product: str = "all"  # 'all' or a product slug, e.g. 'batteries'
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import targets

evalkit.notebook.setup(lang)

# %% [markdown]
# 目標一覧 / The targets as registered, with deadlines and implied baselines (derived) for targets stated as multiples.

# %%
targets.registry(product)

# %% [markdown]
# 達成状況 / Each target with its level, attainment, progress, on-track ratio and status; `why` says what could not be computed.

# %%
targets.attainment(as_of, product, lang)

# %% [markdown]
# Attainment of the targets that have a level, as a chart.

# %%
targets.attainment_chart(as_of, product, lang)

# %% [markdown]
# ヘッドライン / `target.<target_id>.attainment` recorded for every target with a numeric attainment.

# %%
targets.record_attainment(as_of, product)
