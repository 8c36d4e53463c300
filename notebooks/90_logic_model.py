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
# # 90 ロジックモデル
#
# 物資ごとに、投入（予算）→ 活動（認定計画）→ 産出（目標に対する生産能力・備蓄・計算資源）→ 成果（依存度の指標）→
# 影響（供給の安定）の連鎖を示します。各段階には指標、最新の値、時点、出典を記し、公表された数値がない段階は
# *未測定* とします。概観でどの段階が測定できるかを示し、続いて物資ごとの表を示します。

# %% [markdown] tags=["lang-en"]
# # 90 Logic models
#
# For each product the chain input (budget) → activity (approved plans) → output (capacity, stockpile, compute against
# targets) → outcome (dependence indicators) → impact (supply security), each step with its indicator, latest value,
# as-of and source, or *not yet measurable* where no published figure exists. The overview shows which steps can be
# measured at all; one page per product follows.

# %% tags=["parameters"]
as_of: str = "latest"  # 'latest' or YYYY-MM-DD: the data release and the rows dated up to it
product: str = "all"  # 'all' or a product slug, e.g. 'batteries'
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import logic_model

evalkit.notebook.setup(lang)

# %% [markdown] tags=["lang-ja"]
# 概観：各物資の連鎖のうち、公表された数値がある段階。

# %% [markdown] tags=["lang-en"]
# Which steps of each product's chain have a published figure.

# %%
logic_model.overview(as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# 物資別：物資ごとに、指標・値・時点・出典を付けた連鎖。

# %% [markdown] tags=["lang-en"]
# One page per product: the chain with indicator, value, as-of and source.

# %%
logic_model.pages(as_of, product, lang)
