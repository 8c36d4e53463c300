"""The manifest records typed parameters and the stack it was built with (checklist I7, K5)."""

from __future__ import annotations

import json

import nbconvert
import pytest
from packaging.version import Version

from tests.report.test_runner_e2e import evalkit, published


def test_nbconvert_is_recent_enough_for_escaped_output():
    assert Version(nbconvert.__version__) >= Version("7.17.1")


@pytest.mark.e2e
def test_resolved_parameters_keep_their_types(project):
    run = evalkit(project, "report", "--only", "20", "-p", "product=batteries")
    assert run.returncode == 0, run.stderr
    report = published(project, run)
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    not_run = sorted(p.stem for p in (project / "notebooks").glob("[0-9][0-9]_*.ipynb") if p.stem[:2] != "20")
    assert manifest["publication"] == {
        "kind": "exploratory",
        "folder": f"reports/explore/{report.name}",
        "notebooks": ["20_target_attainment"],
        "parameters": {"product": "batteries"},
        "reason": f"partial run (--only; not run: {', '.join(not_run)}); parameters given: product=batteries",
    }
    params = manifest["parameters"]["20_target_attainment"]
    assert params["product"] == "batteries" and params["as_of"] == "latest"
    assert manifest["notebooks"][0]["status"] == "ok"
    assert set(manifest["git"]) == {"commit", "dirty"}
