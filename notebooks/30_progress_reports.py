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
# # 30 事業者報告：認定計画の進捗
#
# 事業報告（第12条）の提出義務があった計画と、その状況（計画より前倒し、計画どおり、遅延しているが達成見込み、
# 期間の変更による遅延、達成困難）を示します。「順調」は資料が前二者をまとめた区分です。割合には 95% の Wilson
# 区間（statsmodels）を付けています。報告した計画は標本ではなく報告義務のあった計画のすべてなので、区間は標本誤差ではなく、
# この大きさの割合がどの程度動きうるかの目安として読んでください。
# 状況はプログラム全体についてのみ公表されており、物資別には報告対象の計画数だけが分かります。

# %% [markdown] tags=["lang-en"]
# # 30 Progress of the approved plans (business reports)
#
# The plans that had to file a business report (Art. 12) and how they stand: ahead, on plan, delayed but expected to
# achieve, delayed by a revised period, or infeasible. *On track* is the deck's grouping of the first two. Shares carry
# 95% Wilson intervals (statsmodels); because the reporting plans are all the plans that had to report, not a sample,
# read the intervals as a guide to how much a share of this size could move, not as sampling error.
# Statuses are published for the programme as a whole; per product only the number of reporting plans is known.

# %% tags=["parameters"]
as_of: str = "latest"  # 'latest' or YYYY-MM-DD: the data release to show
product: str = "all"  # 'all' or a product slug, e.g. 'batteries'
extra_round: str = ""  # optional later round: report_status CSV with sidecar; empty for none
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import progress_reports

evalkit.notebook.setup(lang)

# %% [markdown] tags=["lang-ja"]
# 報告の状況：最新回の状況別件数と割合、95% Wilson 区間（導出値）。

# %% [markdown] tags=["lang-en"]
# Status counts of the newest round with shares and 95% Wilson intervals (derived).

# %%
progress_reports.status_table(as_of, product)

# %% [markdown] tags=["lang-ja"]
# 割合とその区間。

# %% [markdown] tags=["lang-en"]
# The shares with their intervals.

# %%
progress_reports.status_chart(as_of, lang)

# %% [markdown] tags=["lang-ja"]
# 要点と留意事項。

# %% [markdown] tags=["lang-en"]
# In plain words, with the caveats.

# %%
progress_reports.interpretation(as_of)

# %% [markdown] tags=["lang-ja"]
# 報告対象：物資別の認定計画数と報告義務のあった計画数。

# %% [markdown] tags=["lang-en"]
# Per product: plans approved and plans that had to report.

# %%
progress_reports.reporting_subsets(as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# 遅延要因：資料による遅延要因の分類とその例。

# %% [markdown] tags=["lang-en"]
# The deck's taxonomy of delay factors with its examples.

# %%
progress_reports.delay_factors(lang)

# %% [markdown] tags=["lang-ja"]
# 前回比較：2回目の報告がある場合の「順調」の割合の回次比較（2標本の比率の検定）。

# %% [markdown] tags=["lang-en"]
# Round-over-round comparison of the on-track share (two-proportion test) when a second round exists.

# %%
progress_reports.round_comparison(as_of, extra_round)

# %% [markdown] tags=["lang-ja"]
# ヘッドライン：`results.json` に記録する主要な数値。

# %% [markdown] tags=["lang-en"]
# Headline figures recorded for `results.json`.

# %%
progress_reports.record_summary(as_of)
