"""Notebook parameters: read what a notebook declares, check what a user passes.

papermill only warns about unknown parameter names and never checks types;
evalkit refuses both before any notebook runs (exit status 2). Values from the
command line arrive as text and are converted to the type the ``parameters``
cell declares (``name: int = 3``); codes and dates stay strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import papermill as pm

from evalkit.errors import MissingInputError, UsageError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TYPES = {"str": str, "int": int, "float": float, "bool": bool}
_OPTIONAL = re.compile(r"Optional\[\s*(\w+)\s*\]")
VALIDATORS: dict[str, Callable[[Any], None]] = {}


def validator(name: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Register a value check for every notebook parameter called ``name``."""

    def wrap(func: Callable[[Any], None]) -> Callable[[Any], None]:
        VALIDATORS[name] = func
        return func

    return wrap


@validator("as_of")
def _as_of(value: Any) -> None:
    from evalkit.data.catalogue import parse_as_of

    parse_as_of(value)


@validator("lang")
def _lang(value: Any) -> None:
    from evalkit.i18n import check_lang

    check_lang(value)


@validator("product")
def _product(value: Any) -> None:
    from evalkit.registry import check_product

    check_product(value)


@validator("ledger")
def _ledger(value: Any) -> None:
    """A disbursement ledger (notebook 10): '' for none, else an existing, well-formed file."""
    if value:
        from evalkit.disbursement import read_ledger

        read_ledger(value)


@validator("extra_round")
def _extra_round(value: Any) -> None:
    """A further business-report round (notebook 30): '' for none, else a data file with its sidecar."""
    if value:
        from evalkit.data import read_table
        from evalkit.userfile import resolve_user_file

        read_table(resolve_user_file(value, parameter="extra_round"))


# -- Checks of one notebook's parameters, before anything runs ------------------------------------------------------
#: (notebook stem, parameter) -> check of that notebook's value (given or default).
NOTEBOOK_VALIDATORS: dict[tuple[str, str], Callable[[Any], None]] = {}
#: notebook stem -> checks of several of its parameters together (given values over defaults).
GROUP_VALIDATORS: dict[str, list[Callable[[dict[str, Any]], None]]] = {}


def notebook_validator(stem: str, *names: str) -> Callable[[Callable], Callable]:
    """Register a check for parameters ``names`` of notebook ``stem``.

    With one name the check receives that value; with several it receives the dict of the notebook's values
    (defaults overridden by what was given), so rules between parameters (``k <= n``) can be stated.
    """

    def wrap(func: Callable) -> Callable:
        if len(names) == 1:
            NOTEBOOK_VALIDATORS[(stem, names[0])] = func
        else:
            GROUP_VALIDATORS.setdefault(stem, []).append(func)
        return func

    return wrap


def _user_path(value: str, parameter: str, *, suffixes: tuple[str, ...], folders: bool) -> Path:
    """A path parameter: inside the project when relative, existing, a file with one of ``suffixes`` or a folder."""
    from evalkit.paths import project_root

    given = Path(value.strip()).expanduser()
    root = project_root().resolve()
    path = given.resolve() if given.is_absolute() else (root / given).resolve()
    if not given.is_absolute() and not path.is_relative_to(root):
        raise UsageError(
            f"{parameter}={value!r}: a relative path must stay inside the project ({root}); "
            "give an absolute path to read a file elsewhere"
        )
    if not path.exists():
        raise MissingInputError(f"{parameter}={value!r}: not found (looked for {path})")
    if path.is_dir():
        if not folders:
            raise UsageError(f"{parameter}={value!r}: {path} is a folder; expected a {' or '.join(suffixes)} file")
        return path
    if not path.name.lower().endswith(suffixes):
        raise UsageError(
            f"{parameter}={value!r}: expected a {' or '.join(suffixes)} file"
            + (" or a folder of them" if folders else "")
        )
    return path


def _between(name: str, value: float, low: float, high: float, *, low_open: bool = False, high_open: bool = False):
    below = value <= low if low_open else value < low
    above = value >= high if high_open else value > high
    if below or above:
        lo, hi = ("(" if low_open else "["), (")" if high_open else "]")
        raise UsageError(f"{name}={value!r}: expected a value in {lo}{low:g}, {high:g}{hi}")


@notebook_validator("40_external_dependence", "source")
def _nb40_source(value: str) -> None:
    from evalkit.dependence import SOURCES

    if value not in SOURCES:
        raise UsageError(f"source={value!r}: expected one of {', '.join(SOURCES)}")


@notebook_validator("40_external_dependence", "path")
def _nb40_path(value: str) -> None:
    if value:
        _user_path(value, "path", suffixes=(".csv", ".csv.gz", ".parquet"), folders=True)


@notebook_validator("40_external_dependence", "years")
def _nb40_years(value: str) -> None:
    from evalkit.years import parse_years

    if value:
        parse_years(value)


@notebook_validator("40_external_dependence", "reference_year")
def _nb40_reference_year(value: int) -> None:
    _between("reference_year", value, 1995, 2100)


@notebook_validator("40_external_dependence", "years", "reference_year", "source")
def _nb40_reference_in_years(values: dict[str, Any]) -> None:
    from evalkit.years import parse_years

    if values.get("years") and values.get("source") == "baci":
        first, last = parse_years(values["years"])
        if not first <= values["reference_year"] <= last:
            raise UsageError(
                f"reference_year={values['reference_year']}: expected a year within years={values['years']}"
            )


@notebook_validator("45_supply_risk", "years")
def _nb45_years(value: str) -> None:
    from evalkit.supply_risk import wmd_years

    wmd_years(value)


@notebook_validator("45_supply_risk", "importer")
def _nb45_importer(value: str) -> None:
    from evalkit.supply_risk import importer_code

    importer_code(value)


@notebook_validator("50_dependence_change", "item")
def _nb50_item(value: str) -> None:
    from evalkit import dependence_panel

    covered = dependence_panel.covered_items()
    ok = sorted(covered.loc[covered["covered"], "item"])
    if value not in ok:
        raise UsageError(f"item={value!r}: expected an item the BACI panel covers: {', '.join(ok)}")


@notebook_validator("50_dependence_change", "measure")
def _nb50_measure(value: str) -> None:
    if value not in ("quantity", "value"):
        raise UsageError(f"measure={value!r}: expected 'quantity' or 'value'")


@notebook_validator("50_dependence_change", "interruption", "programme_start", "mde_pre_years")
def _nb50_years(values: dict[str, Any]) -> None:
    from evalkit import dependence_panel

    years = dependence_panel.panel_years()
    first, last = years[0], years[-1]
    for name in ("interruption", "programme_start"):
        # a design needs at least two years on each side of its first post year
        if not first + 2 <= values[name] <= last - 1:
            raise UsageError(
                f"{name}={values[name]}: expected a first post year from {first + 2} to {last - 1} "
                f"(the BACI panel holds {first}-{last}; a design needs years on both sides)"
            )
    if not 3 <= values["mde_pre_years"] <= values["programme_start"] - first:
        raise UsageError(
            f"mde_pre_years={values['mde_pre_years']}: expected 3 to {values['programme_start'] - first} "
            f"pre-period years before programme_start={values['programme_start']}"
        )


@notebook_validator("50_dependence_change", "n_comparison", "n_donors", "event_bin")
def _nb50_sizes(values: dict[str, Any]) -> None:
    for name, low in (("n_comparison", 1), ("n_donors", 2), ("event_bin", 2)):
        if values[name] < low:
            raise UsageError(f"{name}={values[name]}: expected at least {low}")


@notebook_validator("50_dependence_change", "panel_path")
def _nb50_panel(value: str) -> None:
    if value:
        _user_path(value, "panel_path", suffixes=(".csv",), folders=False)


@notebook_validator("60_risk_screening", "importer", "baci")
def _nb60_importer(values: dict[str, Any]) -> None:
    from evalkit.screening.report import resolve_panel
    from evalkit.screening.run import resolve_importer

    panel = resolve_panel(values["baci"]) if values["baci"] else None
    code = resolve_importer(values["importer"], [panel] if panel else [])
    if code is None:
        raise UsageError("importer='all': notebook 60 follows one importer; give its ISO3 or BACI code (e.g. JPN)")


@notebook_validator("60_risk_screening", "baci")
def _nb60_baci(value: str) -> None:
    if value and value != "fetched":
        _user_path(value, "baci", suffixes=(".csv", ".csv.gz", ".parquet"), folders=True)


@notebook_validator("60_risk_screening", "years")
def _nb60_years(value: str) -> None:
    from evalkit.years import parse_years

    parse_years(value)


@notebook_validator(
    "60_risk_screening", "import_hhi", "world_export_hhi", "import_export_ratio", "persistence_k", "persistence_n"
)
def _nb60_thresholds(values: dict[str, Any]) -> None:
    from evalkit.screening.criteria import Thresholds

    defaults = Thresholds()  # None = the value in data/reference/thresholds.csv
    values = {k: (getattr(defaults, k) if v is None else v) for k, v in values.items()}
    for name in ("import_hhi", "world_export_hhi"):
        _between(name, values[name], 0.0, 1.0, high_open=True)
    _between(
        "import_export_ratio",
        values["import_export_ratio"],
        0.0,
        defaults.zero_exports_ratio,
        low_open=True,
        high_open=True,
    )
    k, n = values["persistence_k"], values["persistence_n"]
    if not 1 <= k <= n:
        raise UsageError(
            f"persistence_k={k}, persistence_n={n}: expected 1 <= k <= n (dependent in k of the last n years)"
        )


def declared(notebook: Path) -> dict[str, dict[str, Any]]:
    """Parameters declared by ``notebook``'s ``parameters`` cell.

    Returns
    -------
    dict
        name -> {"type": "str"|"int"|"float"|"bool", "default": <source text>, "help": str,
        "optional": bool}. A parameter annotated ``"Optional[float]"`` (quoted, so the kernel does not
        evaluate it) is a float whose default ``None`` means "the library's default" (e.g. a cut-off read
        from ``data/reference/thresholds.csv``); a value given with ``-p`` is coerced as a float.

    Raises
    ------
    UsageError
        If the notebook has no cell tagged ``parameters`` or a parameter has
        no type annotation (a typed literal is required).
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise UsageError(f"{notebook.name}: expected exactly one cell tagged 'parameters', found {len(tagged)}")
    found = pm.inspect_notebook(str(notebook))
    out = {}
    for name, info in found.items():
        kind = str(info.get("inferred_type_name"))
        optional = _OPTIONAL.fullmatch(kind)
        if optional:
            kind = optional.group(1)
        if kind not in _TYPES:
            raise UsageError(
                f"{notebook.name}: parameter {name!r} needs a type annotation (str, int, float or bool), found {kind!r}"
            )
        out[name] = {
            "type": kind,
            "default": info.get("default"),
            "help": info.get("help", ""),
            "optional": bool(optional),
        }
    return out


def parse_cli(pairs: list[str]) -> dict[str, str]:
    """Split ``NAME=VALUE`` strings from ``-p``; values stay text."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not _NAME.match(name):
            raise UsageError(f"-p {pair!r}: expected NAME=VALUE with NAME a Python identifier")
        if name in out:
            raise UsageError(f"-p {name}: given twice")
        out[name] = value
    return out


def coerce(name: str, value: Any, kind: str, notebook: str) -> Any:
    """Convert ``value`` to the declared ``kind``; raise UsageError when it cannot be.

    Text from the command line is converted (``"3"`` -> 3 for an ``int``);
    values already typed (from Python) must match exactly, except that an int
    is accepted for a float. Booleans accept ``true/false`` only.
    """
    want = _TYPES[kind]
    if isinstance(value, str) and kind != "str":
        text = value.strip()
        try:
            if kind == "int":
                if not re.fullmatch(r"-?\d+", text):
                    raise ValueError
                return int(text)
            if kind == "float":
                number = float(text)
                if number != number or number in (float("inf"), float("-inf")):
                    raise ValueError
                return number
            if kind == "bool":
                if text.lower() not in ("true", "false"):
                    raise ValueError
                return text.lower() == "true"
        except ValueError:
            raise UsageError(f"{notebook}: parameter {name}={value!r} is not a valid {kind}") from None
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if type(value) is not want:
        raise UsageError(f"{notebook}: parameter {name}={value!r} must be {kind}, got {type(value).__name__}")
    if isinstance(value, str) and "\x00" in value:
        raise UsageError(f"{notebook}: parameter {name} contains a NUL character")
    return value


def resolve(notebooks: list[Path], given: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Check ``given`` against every notebook and return per-notebook parameters.

    Parameters
    ----------
    notebooks : list of pathlib.Path
        Notebooks of the run.
    given : dict
        Parameter values (text from the CLI, or typed from Python).

    Returns
    -------
    dict
        notebook stem -> {name: typed value} for the names that notebook declares.

    Raises
    ------
    UsageError
        A name no notebook of the run declares, a value of the wrong type, or
        a value its registry refuses.
    """
    decl = {nb.stem: declared(nb) for nb in notebooks}
    known = set().union(*(set(d) for d in decl.values())) if decl else set()
    unknown = sorted(set(given) - known)
    if unknown:
        listing = {stem: sorted(d) for stem, d in decl.items()}
        raise UsageError(f"unknown parameter(s) {unknown}; the notebooks of this run declare {listing}")
    out: dict[str, dict[str, Any]] = {}
    for stem, params in decl.items():
        chosen = {}
        for name, value in given.items():
            if name in params:
                typed = coerce(name, value, params[name]["type"], stem)
                if name in VALIDATORS:
                    VALIDATORS[name](typed)
                chosen[name] = typed
        out[stem] = chosen
        _check_notebook(stem, params, chosen)
    return out


def _check_notebook(stem: str, params: dict[str, dict[str, Any]], chosen: dict[str, Any]) -> None:
    """Run the notebook's own checks on the values it will run with (what was given, else its default)."""
    import ast

    values = {}
    for name, info in params.items():
        if name in chosen:
            values[name] = chosen[name]
        else:
            try:
                values[name] = ast.literal_eval(str(info["default"]))
            except (ValueError, SyntaxError):
                values[name] = info["default"]
    for name in params:
        check = NOTEBOOK_VALIDATORS.get((stem, name))
        if check is not None and name in chosen:
            check(values[name])
    if chosen:
        for check in GROUP_VALIDATORS.get(stem, []):
            check(values)
