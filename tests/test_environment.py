"""environment.yml mirrors pyproject.toml; the lock pins every direct dependency."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"duckdb": "python-duckdb"}  # conda-forge names that differ from PyPI


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].strip().lower()


def _pyproject() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = meta["dependencies"] + meta["optional-dependencies"]["dev"]
    return {CONDA_NAMES.get(_name(s), _name(s)): s for s in specs}


def test_environment_yml_lists_the_same_packages_and_bounds():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d): d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")}
    py = _pyproject()
    assert set(conda) == set(py)
    for name, spec in py.items():
        bound = spec[len(_name(spec)) :] if not name.startswith("python-") else spec[len("duckdb") :]
        assert conda[name].endswith(bound), (name, conda[name], spec)


def test_lock_pins_every_dependency_exactly():
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.lower().replace("_", "-")] = version
    for name in _pyproject():
        pypi = {v: k for k, v in CONDA_NAMES.items()}.get(name, name)
        assert pypi in pins, f"{pypi} is not pinned in requirements.lock"
