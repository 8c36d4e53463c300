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
# # 10 予算と認定額 / Spending against approvals
#
# How much of the fund (B) is committed to approved plans (A), how the state's share of each itemised plan (A) compares
# with its total project cost (C) and the published subsidy-rate caps, how approvals built up over time, and what the one
# known revocation released. Ratios follow the methodology's definitions: commitment A/B, disbursement D/A, absorption
# D/B, aid intensity A/C, private leverage (C−A)/A. All ratios are *derived*; amounts are in 億円 (JPY 100 million).
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

# %% [markdown]
# 基金の予算措置 / The budget vintages that add up to the fund total (B); the total is derived.

# %%
accounting.budget_by_vintage(as_of, lang)

# %% [markdown]
# The vintages beside the fund total the deck states.

# %%
accounting.budget_chart(as_of, lang)

# %% [markdown]
# The fund total three ways: the sum of vintages (derived), the deck's figure, and any later statement.

# %%
accounting.budget_reconciliation(as_of)

# %% [markdown]
# 物資別の予算 / Budget lines published for single products (ESPA fund lines, and related instruments as context).

# %%
accounting.product_budget_lines(as_of, product, lang)

# %% [markdown]
# 認定額と基金 / Commitment ratio A/B: the value of approved plans against the fund (programme-wide only).

# %%
accounting.commitment(as_of, lang)

# %% [markdown]
# How much of each product's approvals the plan-level table itemises; itemised caps are a lower bound of A.

# %%
accounting.plan_coverage(as_of, product, lang)

# %% [markdown]
# 計画別の助成率 / Plan-level subsidy cap (A), project cost (C), aid intensity A/C and private leverage (C−A)/A, with the highest published subsidy-rate cap for the product.

# %%
accounting.plan_ratios(as_of, product, lang)

# %% [markdown]
# The published subsidy-rate caps the aid intensities are compared with.

# %%
accounting.subsidy_rate_caps(as_of, product)

# %% [markdown]
# 認定の推移 / Approval rounds and revocations, filtered by their own dates.

# %%
accounting.approval_rounds(as_of, product, lang)

# %% [markdown]
# Cumulative approved plans at each known snapshot (programme-wide).

# %%
accounting.plan_count_chart(as_of, lang)

# %% [markdown]
# 認定の取消し / Revoked plans up to `as_of` and the subsidy cap each revocation released.

# %%
accounting.revocations(as_of, product)

# %% [markdown]
# 執行 / Disbursement and absorption: computed only from a ledger file; otherwise the gap is stated.

# %%
disbursement.disbursement_summary(ledger, as_of, product, lang)

# %% [markdown]
# The S-curve of cumulative disbursement against the planned path (only with a ledger).

# %%
disbursement.s_curve_chart(ledger, as_of, product, lang)

# %% [markdown]
# ヘッドライン / Headline figures recorded for `results.json` (programme-wide).

# %%
accounting.record_spending(as_of, ledger)
