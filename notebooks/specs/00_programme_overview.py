CELLS = [
("md", """
# 00 プログラム概要 / Programme overview

What is designated under the Economic Security Promotion Act (経済安全保障推進法), by which ministry and with
which support measures, and how many supply-assurance plans (供給確保計画) are approved for each product in the
data release that serves `as_of`. Every table and chart names its source; figures marked *derived* are evalkit's
arithmetic, not the source's words.
"""),
("params", """
as_of: str = "latest"  # 'latest' or YYYY-MM-DD: the data release to show
lang: str = "ja"  # report language: 'ja' or 'en'
"""),
("code", """
import evalkit.notebook
from evalkit import programme

evalkit.notebook.setup(lang)
"""),
("md", "特定重要物資と所管省庁・主な支援措置・対象品目 / The designated products, ministry, support measures and items."),
("code", "programme.designations(lang)"),
("md", "物資別の認定計画数 / Approved plans per product in the release serving `as_of` (and, where stated, how many had to report)."),
("code", "programme.approvals(as_of, lang)"),
("md", "The same counts as a chart."),
("code", "programme.approvals_chart(as_of, lang)"),
("md", "認定件数の推移 / Approved plans at every release up to `as_of`; `change` is derived (last release minus first)."),
("code", "programme.approvals_over_releases(as_of, lang)"),
("md", "The releases side by side."),
("code", "programme.growth_chart(as_of, lang)"),
("md", "プログラム全体の数値 / Programme-wide figures as the source states them."),
("code", "programme.statements(as_of)"),
("md", "ヘッドライン / Headline figures recorded for `results.json`."),
("code", "programme.record_headlines(as_of)"),
]
