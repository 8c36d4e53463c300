"""The manifest records typed parameters and the stack it was built with (checklist I7, K5)."""

from __future__ import annotations

import json

import nbconvert
import pytest
from packaging.version import Version

from tests.report.test_runner_e2e import evalkit


def test_nbconvert_is_recent_enough_for_escaped_output():
    assert Version(nbconvert.__version__) >= Version("7.17.1")


@pytest.mark.e2e
def test_resolved_parameters_keep_their_types(project):
    run = evalkit(project, "report", "--only", "20", "-p", "product=batteries")
    assert run.returncode == 0, run.stderr
    manifest = json.loads((project / "reports/latest/manifest.json").read_text(encoding="utf-8"))
    params = manifest["parameters"]["20_target_attainment"]
    assert params["product"] == "batteries" and params["as_of"] == "latest"
    assert manifest["notebooks"][0]["status"] == "ok"
    assert set(manifest["git"]) == {"commit", "dirty"}
