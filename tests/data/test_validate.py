"""The shipped data package is valid, and breaking it is caught with a location."""

from __future__ import annotations

from evalkit.data import validate_package
from tests.conftest import reseal


def test_shipped_package_is_valid(project):
    tables, problems = validate_package()
    assert problems == [], "\n".join(map(str, problems))
    assert "data/raw/cao/2024-10-31/approvals_by_product.csv" in tables


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_wrong_total_names_the_statement_line(project):
    path = project / "data/raw/cao/2024-10-31/approvals_by_product.csv"
    _edit(path, "batteries,27,15,stated", "batteries,28,15,stated")
    reseal(path)
    problems = validate_package()[1]
    totals = [p for p in problems if p.rule == "identity" and p.file.endswith("programme_statements.csv")]
    assert totals, problems
    assert totals[0].line == 2 and totals[0].column == "value" and totals[0].value == "106"
    assert "107" in totals[0].message


def test_a_status_count_that_breaks_65_8_1(project):
    path = project / "data/raw/cao/2024-03-31/report_status.csv"
    _edit(path, "on plan,true,62", "on plan,true,61")
    reseal(path)
    messages = [str(p) for p in validate_package()[1]]
    assert any("reports_required" not in m and "stated 74" in m for m in messages)
    assert any("stated 65" in m for m in messages)


def test_non_numeric_count_and_missing_sidecar_are_both_reported(project):
    path = project / "data/raw/cao/undated-after-2024-10-31/approvals_by_product.csv"
    _edit(path, "batteries,32", "batteries,thirty-two")
    (project / "data/reference/targets.csv.meta.yaml").unlink()
    problems = validate_package()[1]
    typed = [p for p in problems if p.rule == "type:integer"]
    assert typed and typed[0].line == 6 and typed[0].column == "plans_approved" and typed[0].value == "thirty-two"
    assert any(p.rule == "sidecar:missing" and p.file.endswith("targets.csv") for p in problems)
    assert any(p.rule == "sidecar:checksum" for p in problems)


def test_unknown_product_slug(project):
    path = project / "data/raw/cao/2024-10-31/target_progress.csv"
    _edit(path, "cloud_ai_compute,approved_plans", "cloud_ai_compute_x,approved_plans")
    reseal(path)
    problems = validate_package()[1]
    assert any(p.rule == "registry:target" and p.value == "cloud_ai_compute_x" for p in problems)


def test_a_1000x_unit_slip_between_releases_is_flagged(project):
    path = project / "data/raw/cao/undated-after-2024-10-31/approvals_by_product.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    scaled = [lines[0]] + [f"{ln.split(',')[0]},{int(ln.split(',')[1]) * 1000}" for ln in lines[1:]]
    path.write_text("\n".join(scaled) + "\n", encoding="utf-8")
    reseal(path)
    problems = validate_package()[1]
    assert any(p.rule == "vintage:scale" and p.column == "plans_approved" for p in problems)
