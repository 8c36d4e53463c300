"""Hostile strings in data or parameters appear as text in every page, never as markup (checklist I1, I2, I3)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import reseal
from tests.report.test_faults import add_notebook
from tests.report.test_runner_e2e import evalkit, published

pytestmark = pytest.mark.e2e
PAYLOAD = "<img src=x onerror=alert(1)>"
MARKUP = re.compile(r"<img[^>]*onerror|<script>alert|javascript:", re.I)


def pages(report):
    return {p.name: p.read_text(encoding="utf-8") for p in report.glob("*.html")}


def test_payload_in_a_data_file_is_escaped_everywhere(project):
    path = project / "data/reference/products.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Fertilizer,MAFF", f"Fertilizer {PAYLOAD},MAFF", 1).replace("肥料,Fert", f"肥料{PAYLOAD},Fert", 1),
        encoding="utf-8",
    )
    reseal(path)
    run = evalkit(project, "report", "--only", "00,10,20")
    assert run.returncode == 0, run.stderr
    html = pages(published(project, run))
    assert any("&lt;img src=x onerror=alert(1)&gt;" in page for page in html.values())
    for name, page in html.items():
        assert not MARKUP.search(page), name


def test_payload_in_a_parameter_is_escaped(project):
    add_notebook(project, "01_echo", "print(label)", "label", params='label: str = "x"  # free text')
    run = evalkit(project, "report", "--only", "01", "-p", f"label={PAYLOAD}<script>alert(2)</script>")
    assert run.returncode == 0, run.stderr
    page = pages(published(project, run))["01_echo.html"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not MARKUP.search(page)


@pytest.mark.parametrize("value", ["../../x", "/etc/passwd", "a/b", "all; rm -rf /", "a" * 300])
def test_hostile_registry_values_are_refused_before_running(project, value):
    add_notebook(project, "01_product", "product", params='product: str = "all"  # product slug')
    run = evalkit(project, "report", "--only", "01", "-p", f"product={value}")
    assert run.returncode == 2
    assert not (project / "reports").exists() or not any((project / "reports").glob(".runs/*"))


def test_nul_in_a_value_is_refused(project):
    from evalkit.errors import UsageError
    from evalkit.report.params import resolve
    from evalkit.report.runner import select_notebooks

    add_notebook(project, "01_echo", "print(label)", params='label: str = "x"  # free text')
    with pytest.raises(UsageError, match="NUL"):
        resolve(select_notebooks(["01"]), {"label": "x\x00y"})
