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

from evalkit.errors import UsageError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TYPES = {"str": str, "int": int, "float": float, "bool": bool}
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
    from evalkit.registry import product_slugs

    if value != "all" and value not in product_slugs():
        raise UsageError(f"product={value!r}: expected 'all' or one of {product_slugs()}")


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


def declared(notebook: Path) -> dict[str, dict[str, Any]]:
    """Parameters declared by ``notebook``'s ``parameters`` cell.

    Returns
    -------
    dict
        name -> {"type": "str"|"int"|"float"|"bool", "default": <source text>, "help": str}

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
        kind = info.get("inferred_type_name")
        if kind not in _TYPES:
            raise UsageError(
                f"{notebook.name}: parameter {name!r} needs a type annotation (str, int, float or bool), found {kind!r}"
            )
        out[name] = {"type": kind, "default": info.get("default"), "help": info.get("help", "")}
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
    return out
