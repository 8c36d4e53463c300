"""Three locked sets: reports need requirements-report.lock only; tests add requirements-dev.lock, make lab
requirements-lab.lock (JupyterLab).

environment.yml mirrors pyproject.toml (its report section the dependencies, its dev section the dev extra), each
lock pins every package of its set exactly, the two locks agree wherever they overlap, and the Makefile installs
the report set alone for ``make report`` and both for ``make test``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest
import yaml

from tests.conftest import ROOT

CONDA_NAMES = {"duckdb": "python-duckdb"}  # conda-forge names that differ from PyPI
#: conda has no extras: environment.yml lists what a pip extra adds as packages of their own.
CONDA_EXTRAS = {"ibis-framework[duckdb]": {"pyarrow-hotfix": ">=0.4", "rich": ">=12.4.4"}}
REPORT_LOCK = ROOT / "requirements-report.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
LAB_LOCK = ROOT / "requirements-lab.lock"
#: What a report run never needs: the test, notebook-editing, browser and distributed-engine tools.
DEV_ONLY = {"pyspark", "selenium", "nbval", "hypothesis", "ruff", "jupytext", "pytest", "pytest-xdist"}


#: What neither reports nor tests need: JupyterLab, its server and their jsonschema format checkers (slow to import).
LAB_ONLY = {"jupyterlab", "jupyter-server", "jupyter-events", "rfc3987-syntax", "lark"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].strip().lower()


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _extras(spec: str) -> set[str]:
    m = re.search(r"\[([^\]]*)\]", spec)
    return {e.strip() for e in m.group(1).split(",")} if m else set()


def _bound(spec: str) -> str:
    """The version bound of a requirement, without its name and extras (``ibis-framework[duckdb]>=12`` -> ``>=12``)."""
    return re.sub(r"^[^<>=!~ \[]+(\[[^\]]*\])?", "", spec)


def _conda(specs: list[str]) -> dict[str, str]:
    out = {CONDA_NAMES.get(_name(s), _name(s)): s for s in specs}
    for spec in specs:
        for name, bound in CONDA_EXTRAS.get(re.split(r"[<>=!~ ]", spec, maxsplit=1)[0], {}).items():
            out[name] = name + bound
    return out


def _pins(path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version, f"{path.name}: {line!r} is not pinned with =="
            pins[_norm(name)] = version
    return pins


def _env_sections() -> tuple[list[str], list[str], list[str]]:
    """environment.yml's dependencies before its ``# dev`` comment, after it, and after ``# lab`` (python, pip out)."""
    report, dev, lab, current = [], [], [], None
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if stripped == "dependencies:":
            current = report
        elif stripped == "# dev":
            current = dev
        elif stripped == "# lab":
            current = lab
        elif current is not None and stripped.startswith("- "):
            spec = stripped[2:].strip()
            if _name(spec) not in ("python", "pip"):
                current.append(spec)
    return report, dev, lab


def test_environment_yml_lists_the_same_packages_and_bounds():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = [d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")]
    report, dev, lab = _env_sections()
    assert listed == report + dev + lab
    meta = _project()
    extras = meta["optional-dependencies"]
    for section, specs in ((report, meta["dependencies"]), (dev, extras["dev"]), (lab, extras["lab"])):
        conda, py = _conda(section), _conda(specs)
        assert set(conda) == set(py)
        for name, spec in py.items():
            assert _bound(conda[name]) == _bound(spec), (name, conda[name], spec)


@pytest.mark.parametrize(
    "lock,groups",
    [(REPORT_LOCK, ("dependencies",)), (DEV_LOCK, ("dependencies", "dev")), (LAB_LOCK, ("dependencies", "dev", "lab"))],
    ids=["report", "dev", "lab"],
)
def test_each_lock_pins_every_dependency_of_its_set(lock, groups):
    meta = _project()
    pins = _pins(lock)
    for group in groups:
        specs = meta["dependencies"] if group == "dependencies" else meta["optional-dependencies"][group]
        for spec in specs:
            assert _norm(_name(spec)) in pins, f"{_name(spec)} ({group}) is not pinned in {lock.name}"


def test_the_report_lock_holds_no_development_tool_and_the_dev_lock_no_jupyterlab():
    assert (DEV_ONLY | LAB_ONLY) & set(_pins(REPORT_LOCK)) == set()
    assert DEV_ONLY <= set(_pins(DEV_LOCK))
    assert LAB_ONLY & set(_pins(DEV_LOCK)) == set()
    assert LAB_ONLY <= set(_pins(LAB_LOCK))


@pytest.mark.parametrize("lower,upper", [(REPORT_LOCK, DEV_LOCK), (DEV_LOCK, LAB_LOCK)], ids=["report-dev", "dev-lab"])
def test_each_lock_repeats_the_pins_of_the_set_below_at_the_same_versions(lower, upper):
    low, up = _pins(lower), _pins(upper)
    differ = {name: (version, up.get(name)) for name, version in low.items() if up.get(name) != version}
    assert not differ, f"{upper.name} must repeat the pins of {lower.name} exactly: {differ}"


@pytest.mark.parametrize(
    "lock,groups",
    [(REPORT_LOCK, ("dependencies",)), (DEV_LOCK, ("dependencies", "dev")), (LAB_LOCK, ("dependencies", "dev", "lab"))],
    ids=["report", "dev", "lab"],
)
def test_each_lock_holds_everything_its_packages_require(lock, groups):
    """A package's own requirements (and those of the extras pyproject asks for) are pinned too.

    Read from the installed packages' metadata (make test installs the dev set, which holds every pin). This is
    what the old single lock missed twice: trio needs sniffio, and ibis-framework's duckdb extra needs
    pyarrow-hotfix and rich (pyproject did not ask for the extra).
    """
    from importlib import metadata

    from packaging.requirements import Requirement

    pins = _pins(lock)
    if lock == LAB_LOCK:
        try:
            metadata.version("jupyterlab")
        except metadata.PackageNotFoundError:
            pytest.skip("the lab set is not installed (make lab installs it); its metadata cannot be read")
    meta = _project()
    wanted = {}  # package -> extras asked for
    for group in groups:
        for spec in meta["dependencies"] if group == "dependencies" else meta["optional-dependencies"][group]:
            wanted.setdefault(_norm(_name(spec)), set()).update(_extras(spec))
    missing = []
    for name in pins:
        for text in metadata.requires(name) or []:
            req = Requirement(text)
            extras = wanted.get(name, set()) | {""}
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras):
                if _norm(req.name) not in pins:
                    missing.append(f"{name} needs {req}")
    assert not missing, f"{lock.name} lacks: " + "; ".join(sorted(set(missing)))


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_report_installs_the_report_set_and_make_test_both():
    def plan(target):
        run = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        return run.stdout

    report = plan("report")
    assert "-r requirements-report.lock" in report and "requirements-dev.lock" not in report
    test = plan("test")
    assert "-r requirements-report.lock" in test and "-r requirements-dev.lock" in test
    assert test.index("-r requirements-report.lock") < test.index("-r requirements-dev.lock")
