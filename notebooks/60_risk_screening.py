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
# # 60 リスクスクリーニング
#
# `importer`（既定は日本）がどの HS6 品目に依存しているかを、欧州委員会の基準を CEPII GeoDep が拡張した方法（輸入の集中度、
# 輸入÷自国の輸出、世界の供給の集中度、年をまたぐ持続性）で判定し、指定物資の内外に分け、同じ供給国に依存する他の輸入国を
# 示します。既定では `make data` で取得した CEPII BACI の抽出版（HS 1992、全輸入国×HS6 コード74件×1995〜2024年）を使います。
# **対象は鉱石・金属・燃料の74コードで、BACI 全体の約5,000コードではありません。**件数は全品目を対象に公表された件数
# （通商白書 2024、内閣府 2022）と比較できず、公表値は参考として並べるだけです。判定はすべて evalkit による派生値です。

# %% [markdown] tags=["lang-en"]
# # 60 Risk screening of traded products
#
# Which HS6 products is `importer` (Japan by default) dependent on, by the European Commission's criteria as extended by
# CEPII GeoDep (import concentration, imports over own exports, world supply concentration, persistence over years);
# which of them lie inside or outside the designated products; and which other importers depend on the same
# suppliers. By default the screen runs on the CEPII BACI extract fetched by `make data` (HS 1992, every importer × 74
# HS6 codes × 1995-2024). **These are 74 codes of ores, metals and fuels, not the ~5,000 of a full BACI release**: the
# counts are not comparable with the counts published over all products (METI, White Paper on International Economy and Trade 2024; Cabinet Office 2022), which are shown
# beside them for reference only. Every flag is *derived* by evalkit.

# %% tags=["parameters"]
importer: str = "JPN"  # importer followed: BACI numeric code (392) or ISO3 code
years: str = "1995-2024"  # years screened, A-B inclusive
# Cut-offs: None takes the value in data/reference/thresholds.csv, where each sits beside its source.
import_hhi: "Optional[float]" = None  # C1: import HHI (0-1) strictly above this
import_export_ratio: "Optional[float]" = None  # C3: imports / own exports strictly above this
world_export_hhi: "Optional[float]" = None  # world-export HHI (0-1) strictly above this
persistence_k: "Optional[int]" = None  # persistent: dependent in at least k ...
persistence_n: "Optional[int]" = None  # ... of the last n years
baci: str = "fetched"  # BACI panel: fetched (the extract of make data), a CSV or Parquet file or folder; empty for none
hs_map: str = ""  # product to HS6 map (CSV) marking designated products; empty: data/reference/hs_map.csv (HS 2022)
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit.screening import report as screening

evalkit.notebook.setup(lang)

# %% [markdown] tags=["lang-ja"]
# スクリーニング：全輸入国をまとめて一度スクリーニングし、`importer` の結果を取り出します（DuckDB で一度読むだけ）。

# %% [markdown] tags=["lang-en"]
# The screen of every importer over `years`, run once (one DuckDB pass), with `importer` in view.

# %%
result = screening.run(baci, importer=importer, years=years, import_hhi=import_hhi,
                       import_export_ratio=import_export_ratio, world_export_hhi=world_export_hhi,
                       persistence_k=persistence_k, persistence_n=persistence_n, hs_map=hs_map, lang=lang)
result.summary

# %% [markdown] tags=["lang-ja"]
# データ：使ったパネル、その HS 改訂版と対象範囲、HS 対応表の改訂版、注意事項。

# %% [markdown] tags=["lang-en"]
# The panel used, its HS revision and coverage, the HS map's revision, and every caveat of the run.

# %%
screening.data_status(result, lang)

# %% [markdown] tags=["lang-ja"]
# 基準：使った閾値と既定値、その出典。

# %% [markdown] tags=["lang-en"]
# The cut-offs in use, each with its default and the source of that default.

# %%
screening.thresholds_table(result.thresholds, lang)

# %% [markdown] tags=["lang-ja"]
# 指定物資の依存品目：直近の年に依存または持続的依存と判定された品目のうち、HS 対応表が指定物資とするもの。

# %% [markdown] tags=["lang-en"]
# Products dependent or persistent in the latest years that the HS map marks designated, with concentration and top supplier.

# %%
screening.flagged(result, designated=True, lang=lang)

# %% [markdown] tags=["lang-ja"]
# 指定物資外の依存品目：同じく、指定物資に当たらない品目（HS 改訂版の違いで見落としている可能性は下の照合表を参照）。

# %% [markdown] tags=["lang-en"]
# The same for products the map does not mark designated (see the revision check below for codes it may miss).

# %%
screening.flagged(result, designated=False, lang=lang)

# %% [markdown] tags=["lang-ja"]
# 年ごとの件数：依存・持続的依存の品目数を、指定物資の内外に分けて年ごとに。

# %% [markdown] tags=["lang-en"]
# Counts per year, inside and outside the designated products.

# %%
screening.designation_split(result, lang)

# %% [markdown] tags=["lang-ja"]
# 入れ替わり：依存と判定された品目の、前年からの継続・新規・解除。

# %% [markdown] tags=["lang-en"]
# Churn: products entering and leaving the dependent set year by year.

# %%
screening.churn(result, "dependent", lang)

# %% [markdown] tags=["lang-ja"]
# 同じ推移を図で。

# %% [markdown] tags=["lang-en"]
# The same over the years as a chart, with the persistent count.

# %%
screening.churn_chart(result, lang)

# %% [markdown] tags=["lang-ja"]
# 同じ供給国に依存する他の輸入国：最終年に持続的に依存する品目ごとに、同じ最大供給国に依存する他の輸入国を順位づけ。

# %% [markdown] tags=["lang-en"]
# For each product persistent in the last year, the other importers dependent on the same top supplier, ranked.

# %%
screening.peers(result, lang)

# %% [markdown] tags=["lang-ja"]
# HS 改訂版の照合：HS 対応表は HS 2022、抽出版は HS 1992。対応表が判定したコードと、見落としている可能性のあるコード。

# %% [markdown] tags=["lang-en"]
# The HS map is in HS 2022 and the extract in HS 1992: the codes the map marks, and the codes it may miss.

# %%
screening.revision_check(result, lang)

# %% [markdown] tags=["lang-ja"]
# 公表値との比較：通商白書 2024・内閣府『世界経済の潮流 2021年II』の件数と、同じ定義で数えた evalkit の件数（74コードのみ、比較できない数として）。

# %% [markdown] tags=["lang-en"]
# Published counts beside evalkit's counts on the same definitions, over 74 codes only: not comparable, shown as a comparison.

# %%
screening.published_comparison(result, lang)

# %% [markdown] tags=["lang-ja"]
# ヘッドライン：results.json に記録する件数（HS6 コード74件について）。

# %% [markdown] tags=["lang-en"]
# Headline counts recorded for `results.json` (over the 74 codes).

# %%
screening.record_headlines(result, lang)
