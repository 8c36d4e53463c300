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
# # 20 目標の達成状況
#
# データパッケージにあるすべての定量目標について、単位・期限・（記載があれば）基準値、`as_of` までに認定計画が実現する
# （または達成された）水準、そしてその到達度を示します。達成率 x/x*、進捗率 P = (x−x0)/(x*−x0)、基準値と期限がある場合は
# 順調度 R = P ÷（経過した期間の割合）です。基準年の倍数で示された目標には、そこから導いた基準値（目標 ÷ 倍数）を
# *導出* と記して示します。
#
# **判定の基準。** 順調度（期間の情報がなければ達成率）が 0.95 以上なら緑、0.60 以上 0.95 未満なら黄、0.60 未満なら赤、
# どちらも計算できなければ灰色です。認定計画による水準は計画が実現する予定の量であり、すでに稼働している能力ではありません。
# したがって緑は計画についての判定であり、成果についての判定ではありません。

# %% [markdown] tags=["lang-en"]
# # 20 Target attainment
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

# %% [markdown] tags=["lang-ja"]
# 目標一覧：登録された目標と期限、倍数で示された目標については導いた基準値（導出値）。

# %% [markdown] tags=["lang-en"]
# The targets as registered, with deadlines and implied baselines (derived) for targets stated as multiples.

# %%
targets.registry(product)

# %% [markdown] tags=["lang-ja"]
# 達成状況：目標ごとの水準、達成率、進捗率、順調度と判定。計算できなかった項目は理由の列に記します。

# %% [markdown] tags=["lang-en"]
# Each target with its level, attainment, progress, on-track ratio and status; `why` says what could not be computed.

# %%
targets.attainment(as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# 水準のある目標の達成率を図で示します。

# %% [markdown] tags=["lang-en"]
# Attainment of the targets that have a level, as a chart.

# %%
targets.attainment_chart(as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# ヘッドライン：達成率が数値で得られたすべての目標について `target.<target_id>.attainment` を記録します。

# %% [markdown] tags=["lang-en"]
# `target.<target_id>.attainment` recorded for every target with a numeric attainment.

# %%
targets.record_attainment(as_of, product)
