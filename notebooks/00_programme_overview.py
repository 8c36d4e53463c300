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
# # 00 プログラム概要 / Programme overview
#
# What is designated under the Economic Security Promotion Act (経済安全保障推進法), by which ministry and with
# which support measures, and how many supply-assurance plans (供給確保計画) are approved for each product in the
# data release that serves `as_of`. Every table and chart names its source; figures marked *derived* are evalkit's
# arithmetic, not the source's words.

# %% tags=["parameters"]
as_of: str = "latest"  # 'latest' or YYYY-MM-DD: the data release to show
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import programme

evalkit.notebook.setup(lang)

# %% [markdown]
# 特定重要物資と所管省庁・主な支援措置・対象品目 / The designated products, ministry, support measures and items.

# %%
programme.designations(lang)

# %% [markdown]
# 物資別の認定計画数 / Approved plans per product in the release serving `as_of` (and, where stated, how many had to report).

# %%
programme.approvals(as_of, lang)

# %% [markdown]
# The same counts as a chart.

# %%
programme.approvals_chart(as_of, lang)

# %% [markdown]
# 認定件数の推移 / Approved plans at every release up to `as_of`; `change` is derived (last release minus first).

# %%
programme.approvals_over_releases(as_of, lang)

# %% [markdown]
# The releases side by side.

# %%
programme.growth_chart(as_of, lang)

# %% [markdown]
# プログラム全体の数値 / Programme-wide figures as the source states them.

# %%
programme.statements(as_of)

# %% [markdown]
# ヘッドライン / Headline figures recorded for `results.json`.

# %%
programme.record_headlines(as_of)
