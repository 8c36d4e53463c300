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
# # 10 予算と認定額
#
# 基金（B）のうちどれだけが認定計画（A）に充てられているか、個別に示された計画ごとの国の助成額（A）が総事業費（C）と
# 公表された補助率の上限に比べてどうか、認定がどのように積み上がったか、そして把握されている1件の認定取消しで
# どれだけの額が戻ったかを示します。比率は評価手法の定義に従います：充当率 A/B、執行率 D/A、消化率 D/B、
# 助成率 A/C、民間誘発倍率 (C−A)/A。比率はすべて *導出値* で、金額の単位は億円です。
#
# **支出額（D）は同梱データでは公表されていません。** `-p ledger=PATH` で台帳ファイル
# （列 `product, plan, fiscal_year, disbursed[, planned]`）を与えると、執行率・消化率と S 字カーブを計算します。

# %% [markdown] tags=["lang-en"]
# # 10 Spending against approvals
#
# How much of the fund (B) is committed to approved plans (A), how the state's share of each itemised plan (A) compares
# with its total project cost (C) and the published subsidy-rate caps, how approvals built up over time, and what the one
# known revocation released. Ratios follow the methodology's definitions: commitment A/B, disbursement D/A, absorption
# D/B, aid intensity A/C, private leverage (C−A)/A. All ratios are *derived*; amounts are in JPY 100 million.
#
# **Disbursement (D) is not published in the shipped data.** Give a ledger file with `-p ledger=PATH` (columns
# `product, plan, fiscal_year, disbursed[, planned]`) to compute the disbursement and absorption ratios and the S-curve.

# %% tags=["parameters"]
as_of: str = "latest"  # 'latest' or YYYY-MM-DD: the data release and the rows dated up to it
product: str = "all"  # 'all' or a product slug, e.g. 'batteries'
ledger: str = ""  # optional disbursement ledger CSV, project-relative or absolute; empty for none
lang: str = "ja"  # report language: 'ja' or 'en'

# %%
import evalkit.notebook
from evalkit import accounting, disbursement

evalkit.notebook.setup(lang)

# %% [markdown] tags=["lang-ja"]
# 基金の予算措置：基金総額（B）を構成する各年度の予算措置。合計は導出値です。

# %% [markdown] tags=["lang-en"]
# The budget vintages that add up to the fund total (B); the total is derived.

# %%
accounting.budget_by_vintage(as_of, lang)

# %% [markdown] tags=["lang-ja"]
# 各予算措置と、資料が示す基金総額。

# %% [markdown] tags=["lang-en"]
# The vintages beside the fund total the deck states.

# %%
accounting.budget_chart(as_of, lang)

# %% [markdown] tags=["lang-ja"]
# 基金総額の3通りの見方：予算措置の合計（導出値）、資料の数値、その後の公表値。

# %% [markdown] tags=["lang-en"]
# The fund total three ways: the sum of vintages (derived), the deck's figure, and any later statement.

# %%
accounting.budget_reconciliation(as_of)

# %% [markdown] tags=["lang-ja"]
# 物資別の予算：単一の物資について公表された予算（経済安保基金の予算と、参考として関連する施策）。

# %% [markdown] tags=["lang-en"]
# Budget lines published for single products (ESPA fund lines, and related instruments as context).

# %%
accounting.product_budget_lines(as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# 認定額と基金：充当率 A/B、基金に対する認定計画の額（プログラム全体のみ）。

# %% [markdown] tags=["lang-en"]
# Commitment ratio A/B: the value of approved plans against the fund (programme-wide only).

# %%
accounting.commitment(as_of, lang)

# %% [markdown] tags=["lang-ja"]
# 物資ごとの認定額のうち計画別の表に個別に示された割合。個別の上限額の合計は A の下限です。

# %% [markdown] tags=["lang-en"]
# How much of each product's approvals the plan-level table itemises; itemised caps are a lower bound of A.

# %%
accounting.plan_coverage(as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# 計画別の助成率：計画ごとの助成上限額（A）、総事業費（C）、助成率 A/C と民間誘発倍率 (C−A)/A、およびその物資について公表された補助率の上限の最大値。

# %% [markdown] tags=["lang-en"]
# Plan-level subsidy cap (A), project cost (C), aid intensity A/C and private leverage (C−A)/A, with the highest published subsidy-rate cap for the product.

# %%
accounting.plan_ratios(as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# 助成率と比べる、公表された補助率の上限。

# %% [markdown] tags=["lang-en"]
# The published subsidy-rate caps the aid intensities are compared with.

# %%
accounting.subsidy_rate_caps(as_of, product)

# %% [markdown] tags=["lang-ja"]
# 認定の推移：認定の各回と取消し（それぞれの日付で絞り込み）。

# %% [markdown] tags=["lang-en"]
# Approval rounds and revocations, filtered by their own dates.

# %%
accounting.approval_rounds(as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# 把握されている各時点の累計認定計画数（プログラム全体）。

# %% [markdown] tags=["lang-en"]
# Cumulative approved plans at each known snapshot (programme-wide).

# %%
accounting.plan_count_chart(as_of, lang)

# %% [markdown] tags=["lang-ja"]
# 認定の取消し：`as_of` までに取り消された計画と、取消しごとに戻った助成上限額。

# %% [markdown] tags=["lang-en"]
# Revoked plans up to `as_of` and the subsidy cap each revocation released.

# %%
accounting.revocations(as_of, product)

# %% [markdown] tags=["lang-ja"]
# 執行：執行率と消化率。台帳ファイルがある場合にのみ計算し、ない場合はデータがないことを記します。

# %% [markdown] tags=["lang-en"]
# Disbursement and absorption: computed only from a ledger file; otherwise the gap is stated.

# %%
disbursement.disbursement_summary(ledger, as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# 計画に対する累計支出の S 字カーブ（台帳がある場合のみ）。

# %% [markdown] tags=["lang-en"]
# The S-curve of cumulative disbursement against the planned path (only with a ledger).

# %%
disbursement.s_curve_chart(ledger, as_of, product, lang)

# %% [markdown] tags=["lang-ja"]
# ヘッドライン：`results.json` に記録する主要な数値（プログラム全体）。

# %% [markdown] tags=["lang-en"]
# Headline figures recorded for `results.json` (programme-wide).

# %%
accounting.record_spending(as_of, ledger)
