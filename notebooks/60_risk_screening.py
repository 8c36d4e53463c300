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
# # 60 リスクスクリーニング / Risk screening of every traded product
#
# Which HS6 products is `importer` dependent on, by the European Commission's criteria as extended by CEPII GeoDep
# (import concentration, imports over own exports, world supply concentration, persistence over years), and which of
# them lie outside the designated products? The screen runs on a CEPII BACI file the user supplies (`baci`); BACI
# cannot ship with evalkit, so by default this notebook says what to download and leaves every table empty and
# labelled. All screen results are *derived* by evalkit; published counts are shown beside them as a comparison,
# not as a check.

# %% tags=["parameters"]
importer: str = "JPN"  # importer: BACI numeric code (392) or ISO3 code
years: str = "2019-2022"  # years screened, A-B inclusive
import_hhi: float = 0.4  # C1: import HHI (0-1) strictly above this
import_export_ratio: float = 1.0  # C3: imports / own exports strictly above this
world_export_hhi: float = 0.4  # world-export HHI (0-1) strictly above this
persistence_k: int = 2  # persistent: dependent in at least k ...
persistence_n: int = 3  # ... of the last n years
baci: str = ""  # BACI panel: CSV or Parquet file, or a folder; empty for none (see the download instructions)
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit.screening import report as screening

evalkit.notebook.setup(lang)

# %% [markdown]
# データ / The BACI file used, or what to download and where to put it.

# %%
screening.data_status(baci)

# %% [markdown]
# 基準 / The criteria in use, each with the source of its default.

# %%
screening.thresholds_table(screening.Thresholds(import_hhi=import_hhi, import_export_ratio=import_export_ratio, world_export_hhi=world_export_hhi, persistence_k=persistence_k, persistence_n=persistence_n))

# %% [markdown]
# スクリーニング / The screen of `importer` over `years` (one DuckDB pass over the file).

# %%
result = screening.run(baci, importer=importer, years=years, import_hhi=import_hhi,
                       import_export_ratio=import_export_ratio, world_export_hhi=world_export_hhi,
                       persistence_k=persistence_k, persistence_n=persistence_n)
result.summary

# %% [markdown]
# 依存品目 / Products persistent in the last year, with their partner concentration (largest first).

# %%
screening.flagged(result)

# %% [markdown]
# 指定物資の内外 / Persistent products inside and outside the designated products (via the HS map).

# %%
screening.designation_split(result)

# %% [markdown]
# 入れ替わり / Churn: products entering and leaving the dependent set from one year to the next.

# %%
screening.churn(result)

# %% [markdown]
# 公表値との比較 / Published counts (通商白書 2024; 内閣府 世界経済の潮流 2021年II) beside evalkit's counts on BACI, as a comparison.

# %%
screening.published_comparison(result)

# %% [markdown]
# ヘッドライン / Headline counts recorded for `results.json` (not available without a BACI file).

# %%
screening.record_headlines(result)
