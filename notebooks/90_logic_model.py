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
# # 90 ロジックモデル / Logic models
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

# %% [markdown]
# 概観 / Which steps of each product's chain have a published figure.

# %%
logic_model.overview(as_of, product, lang)

# %% [markdown]
# 物資別 / One page per product: the chain with indicator, value, as-of and source.

# %%
logic_model.pages(as_of, product, lang)
