"""End to end: the programme-evaluation notebooks 10/20/30/90 publish, and results.json holds their keys
(spending ratios, target attainment, business-report shares) with the right values."""

from __future__ import annotations

import pytest
from statsmodels.stats import proportion as sm_prop

from tests.conftest import ROOT
from tests.report.test_runner_e2e import evalkit, published, results

pytestmark = pytest.mark.e2e
NOTEBOOKS = ("10_spending_vs_approvals", "20_target_attainment", "30_progress_reports", "90_logic_model")


def test_spending_target_and_report_keys_latest_and_end_october(full_reports):
    project = full_reports
    latest = project / "reports" / "undated-after-2024-10-31"
    for stem in NOTEBOOKS:
        assert (latest / f"{stem}.html").is_file() and (latest / f"{stem}.ipynb").is_file()
    _, res = results(latest)
    assert res["target.cloud_ai_compute.attainment"]["value"] == 0.95
    assert res["budget_by_vintage_total_oku_yen"]["value"] == 21830
    assert res["commitment_ratio"]["value"] == pytest.approx(13000 / 21830, abs=1e-6)
    assert res["disbursement_ratio"]["value"] is None
    assert res["target.batteries_domestic_capacity.attainment"]["value"] == 0.8
    page = (latest / "10_spending_vs_approvals.html").read_text(encoding="utf-8")
    assert "not published" in page and "出典:" in page and "import evalkit" not in page

    _, res = results(project / "reports" / "2024-10-31")
    assert res["target.cloud_ai_compute.attainment"]["value"] == 0.95
    assert res["target.fertilizer_ammonium_phosphate.attainment"]["value"] == 0.7
    assert res["target.fertilizer_potassium_chloride.attainment"]["value"] == 1.0
    assert (
        res["reports_total"]["value"],
        res["reports_on_track"]["value"],
        res["reports_delayed"]["value"],
        res["reports_infeasible"]["value"],
    ) == (74, 65, 8, 1)
    low, high = sm_prop.proportion_confint(65, 74, alpha=0.05, method="wilson")
    assert res["on_track_share"]["value"] == pytest.approx(65 / 74, abs=1e-6)
    assert res["on_track_share_ci_low"]["value"] == pytest.approx(low, abs=1e-6)
    assert res["on_track_share_ci_high"]["value"] == pytest.approx(high, abs=1e-6)
    assert res["approved_amount_oku_yen"]["value"] == 13000
    assert res["commitment_ratio"]["value"] == pytest.approx(13000 / 22000, abs=1e-6)
    assert res["reports_total"]["notebook"] == "30_progress_reports"
    for key in ("target.cloud_ai_compute.attainment", "on_track_share", "commitment_ratio"):
        assert res[key]["unit"] == "ratio" and res[key]["source"].startswith("derived")


def test_one_product_and_file_parameters(project):
    run = evalkit(project, "report", "--only", "20,90", "-p", "product=advanced_electronic_components")
    assert run.returncode == 0, run.stderr
    page = (published(project, run) / "90_logic_model.html").read_text(encoding="utf-8")
    assert "先端電子部品" in page and "not yet measurable" in page and "蓄電池 /" not in page

    ledger = str(ROOT / "tests/fixtures/synthetic_ledger.csv")  # absolute path outside the copy
    extra = str(ROOT / "tests/fixtures/synthetic_round/report_status.csv")
    run = evalkit(project, "report", "--only", "10,30", "-p", f"ledger={ledger}", "-p", f"extra_round={extra}")
    assert run.returncode == 0, run.stderr
    report = published(project, run)
    _, res = results(report)
    assert res["disbursement_ratio"]["value"] == round(950 / 13000, 4)
    assert "user-supplied ledger" in res["disbursement_ratio"]["note"]
    page = (report / "30_progress_reports.html").read_text(encoding="utf-8")
    assert "SYNTHETIC" in page

    bad = evalkit(project, "report", "--only", "10", "-p", "ledger=../outside.csv")
    assert bad.returncode == 2 and "must stay inside the project" in bad.stderr
