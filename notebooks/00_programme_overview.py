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

# %% [markdown] tags=["lang-ja"]
# # 00 プログラム概要
#
# 経済安全保障推進法で何が特定重要物資に指定され、どの省庁がどの支援措置で所管し、`as_of` に対応するデータ版で
# 物資ごとに何件の供給確保計画が認定されているかを示します。すべての表と図に出典を記しています。「導出」と
# 記した数値は evalkit による計算であり、出典の記載そのものではありません。

# %% [markdown] tags=["lang-en"]
# # 00 Programme overview
#
# What is designated under the Economic Security Promotion Act, by which ministry and with which support
# measures, and how many supply-assurance plans are approved for each product in the data release that serves
# `as_of`. Every table and chart names its source; figures marked *derived* are evalkit's arithmetic, not the
# source's words.

# %% tags=["parameters"]
as_of: str = "latest"  # 'latest' or YYYY-MM-DD: the data release to show
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import programme

evalkit.notebook.setup(lang)

# %% [markdown] tags=["lang-ja"]
# 特定重要物資と所管省庁・主な支援措置・対象品目。

# %% [markdown] tags=["lang-en"]
# The designated products, ministry, support measures and items.

# %%
programme.designations(lang)

# %% [markdown] tags=["lang-ja"]
# 物資別の認定計画数（`as_of` に対応するデータ版。記載がある場合は報告義務のあった件数も）。

# %% [markdown] tags=["lang-en"]
# Approved plans per product in the release serving `as_of` (and, where stated, how many had to report).

# %%
programme.approvals(as_of, lang)

# %% [markdown] tags=["lang-ja"]
# 同じ件数を図で示します。

# %% [markdown] tags=["lang-en"]
# The same counts as a chart.

# %%
programme.approvals_chart(as_of, lang)

# %% [markdown] tags=["lang-ja"]
# 認定件数の推移：`as_of` までの各データ版の認定計画数。「増減（派生値）」列は最後の版から最初の版を引いた導出値です。

# %% [markdown] tags=["lang-en"]
# Approved plans at every release up to `as_of`; `change` is derived (last release minus first).

# %%
programme.approvals_over_releases(as_of, lang)

# %% [markdown] tags=["lang-ja"]
# 各データ版を並べて示します。

# %% [markdown] tags=["lang-en"]
# The releases side by side.

# %%
programme.growth_chart(as_of, lang)

# %% [markdown] tags=["lang-ja"]
# プログラム全体の数値（出典の記載どおり）。

# %% [markdown] tags=["lang-en"]
# Programme-wide figures as the source states them.

# %%
programme.statements(as_of)

# %% [markdown] tags=["lang-ja"]
# ヘッドライン：`results.json` に記録する主要な数値。

# %% [markdown] tags=["lang-en"]
# Headline figures recorded for `results.json`.

# %%
programme.record_headlines(as_of)
