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
# # 40 外部依存度 / External dependence
#
# How dependent is Japan on a few supplier countries for each designated product? Two kinds of evidence are shown
# and kept apart: **published figures** compiled from public sources (each row with its source; rows are comparable
# only within one `series_id`, so series from different sources are never joined into one line), and **indicators
# evalkit computes** (*derived*) from a trade file the user downloads — Japan Customs 品別国別表, CEPII BACI or UN
# Comtrade — per named item of the product and for all items together, by value and by quantity: partner shares,
# HHI, effective number of suppliers, top-1 and top-3 shares, China's share and the EU CRMA 65% single-country test.
# Aggregates (World, areas nes, EU) never enter a share. No trade file is shipped, so on the shipped data the
# indicator section says so.

# %% tags=["parameters"]
product: str = "critical_minerals"  # product slug (data/reference/products.csv)
source: str = "published"  # published | customs | baci | comtrade: where the indicators come from
path: str = ""  # a downloaded or ingested trade file (empty: shipped data only)
years: str = "2009-2024"  # YYYY-YYYY: years of the trade file to use
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import dependence

evalkit.notebook.setup(lang)

# %% [markdown]
# 品目と HS コード / The product's named items and the HS 2022 codes they map to (confidence per code; items no HS code isolates say so).

# %%
dependence.items_and_codes(product)

# %% [markdown]
# 公表値 / Published dependence figures for the product, as their sources state them.

# %%
dependence.published(product)

# %% [markdown]
# China's share in each published series, one line per series: the 2009–2014 figures and the 2024 figures are different measures and are not joined.

# %%
dependence.published_chart(product, lang)

# %% [markdown]
# 貿易統計からの指標 / Indicators computed from the trade file (*derived*), per item and year, by value and by quantity.

# %%
dependence.trade_indicators(product, source, path, years)

# %% [markdown]
# The same for all items together, as a chart.

# %%
dependence.trade_chart(product, source, path, years, lang)

# %% [markdown]
# China's share per named item.

# %%
dependence.item_chart(product, source, path, years, lang=lang)

# %% [markdown]
# ヘッドライン / Published figures recorded for `results.json` (keys `dependence.*`).

# %%
dependence.record_published()
