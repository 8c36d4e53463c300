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
# # 40 外部依存度
#
# 日本の外部依存、とりわけ少数の国への依存は下がったか。指定品目ごとに、日本の輸入を相手国別に、金額と数量の両方で
# 1995〜2024年について計算します（CEPII BACI、取得済みの抽出データ、evalkit による派生値）。HHI、実効供給国数、
# 最大供給国と上位3か国のシェア、中国のシェア、EU CRMA の65%基準を示し、公表値とも突き合わせます。

# %% [markdown] tags=["lang-en"]
# # 40 External dependence
#
# Did Japan's external dependence fall, above all on a few countries? For every designated item, Japan's imports by
# partner, by value and by quantity, 1995-2024, computed by evalkit (*derived*) from the fetched CEPII BACI extract:
# HHI, effective number of suppliers, top-1 and top-3 shares, China's share and the EU CRMA 65% test, set beside
# the published figures. Aggregates (World, areas nes) never enter a share. Items whose codes the extract lacks say
# so and name the download that would cover them.

# %% tags=["parameters"]
product: str = "all"  # product slug (data/reference/products.csv) or 'all'
source: str = "baci"  # baci | customs | comtrade | published: baci uses path as a BACI panel (empty: fetched extract)
path: str = ""  # a BACI panel (file or folder), or a Customs/Comtrade download or ingested trade.csv
years: str = "1995-2024"  # YYYY-YYYY: years computed from the BACI panel
reference_year: int = 2009  # year compared with the latest: before China's 2010 rare-earth export restrictions
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import dependence, item_dependence, published_vs_baci

evalkit.notebook.setup(lang)

# %% [markdown] tags=["lang-ja"]
# 指定品目と、それを表す HS 2022年版のコード（コードごとの確度付き）です。

# %% [markdown] tags=["lang-en"]
# The designated items and the HS 2022 codes that stand for them, with a confidence grade per code.

# %%
dependence.items_and_codes(product)

# %% [markdown] tags=["lang-ja"]
# 貿易データは HS 1992年版なので、対応表でコードを置き換え、どの品目を測れるかを示します。

# %% [markdown] tags=["lang-en"]
# The trade data use HS 1992, so the codes are translated with the concordance, and the table shows which items can be measured.

# %%
item_dependence.coverage(product, source, path, lang)

# %% [markdown] tags=["lang-ja"]
# 基準年と最新年を並べ、依存が下がったかを品目ごとに示します。

# %% [markdown] tags=["lang-en"]
# The reference year beside the latest year shows, item by item, whether dependence fell.

# %%
item_dependence.summary(product, source, path, years, reference_year, lang)

# %% [markdown] tags=["lang-ja"]
# 中国のシェアの30年間の推移です。

# %% [markdown] tags=["lang-en"]
# China's share over the thirty years.

# %%
item_dependence.chart("china_share", product, source, path, years, lang)

# %% [markdown] tags=["lang-ja"]
# 輸入の集中度（HHI）の推移です。

# %% [markdown] tags=["lang-en"]
# The concentration of imports (HHI) over the same years.

# %%
item_dependence.chart("hhi", product, source, path, years, lang)

# %% [markdown] tags=["lang-ja"]
# 主な供給国が基準年から最新年までにどう入れ替わったかを示します。

# %% [markdown] tags=["lang-en"]
# Who replaced whom among Japan's largest suppliers between the reference year and the latest year.

# %%
item_dependence.suppliers(product, source, path, years, reference_year, lang=lang)

# %% [markdown] tags=["lang-ja"]
# 公表値と BACI からの計算値を並べ、差とその理由を示します。

# %% [markdown] tags=["lang-en"]
# Published figures beside evalkit's figures from BACI, with the difference and why the two differ.

# %%
published_vs_baci.comparison(source, path, lang)

# %% [markdown] tags=["lang-ja"]
# 公表値は出典の記載どおりに載せます（系列をまたいで比べないでください）。

# %% [markdown] tags=["lang-en"]
# The published figures as their sources state them (compare rows only within one series).

# %%
dependence.published(product)

# %% [markdown] tags=["lang-ja"]
# 公表値の中国シェアを系列ごとに示します（系列はつなぎません）。

# %% [markdown] tags=["lang-en"]
# China's share in each published series, one line per series, never joined across series.

# %%
dependence.published_chart(product, lang)

# %% [markdown] tags=["lang-ja"]
# 全品目・全年の指標の一覧です（検証用）。

# %% [markdown] tags=["lang-en"]
# Every item's indicators for every year, for checking.

# %%
item_dependence.japan_indicators(product, source, path, years, lang)

# %% [markdown] tags=["lang-ja"]
# 利用者が税関統計や Comtrade のデータを指定した場合の指標です。

# %% [markdown] tags=["lang-en"]
# Indicators from a Japan Customs or Comtrade file, when one is given.

# %%
dependence.trade_indicators(product, source, path, years, lang)

# %% [markdown] tags=["lang-ja"]
# そのデータの全品目をまとめた図です。

# %% [markdown] tags=["lang-en"]
# The same for all of a product's items together, as a chart.

# %%
dependence.trade_chart(product, source, path, years, lang)

# %% [markdown] tags=["lang-ja"]
# そのデータの品目別の中国シェアです。

# %% [markdown] tags=["lang-en"]
# China's share per item in that file.

# %%
dependence.item_chart(product, source, path, years, lang=lang)

# %% [markdown] tags=["lang-ja"]
# ヘッドライン：公表値を記録します（キー `dependence.*`）。

# %% [markdown] tags=["lang-en"]
# Headline published figures recorded for `results.json` (keys `dependence.*`).

# %%
dependence.record_published(lang=lang)

# %% [markdown] tags=["lang-ja"]
# ヘッドライン：BACI からの計算値を記録します（キー `trade.<物資>.<品目>.<value|quantity>.<指標>.<年>`）。

# %% [markdown] tags=["lang-en"]
# Headline figures computed from BACI recorded for `results.json` (keys `trade.<product>.<item>.<value|quantity>.<indicator>.<year>`).

# %%
item_dependence.record_indicators(product, source, path, years)
