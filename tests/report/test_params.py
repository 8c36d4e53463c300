"""Parameters are checked against the notebook before anything runs."""

from __future__ import annotations

import pytest

from evalkit.errors import UsageError
from evalkit.report.params import coerce, declared, parse_cli, resolve
from evalkit.report.runner import select_notebooks


def test_overview_declares_a_typed_as_of(project):
    nb = select_notebooks(["00"])[0]
    assert declared(nb)["as_of"]["type"] == "str"


def test_unknown_name_is_refused(project):
    with pytest.raises(UsageError, match="unknown parameter"):
        resolve(select_notebooks(["00"]), {"as_off": "latest"})


def test_as_of_is_validated(project):
    with pytest.raises(UsageError, match="as_of"):
        resolve(select_notebooks(["00"]), {"as_of": "2024-13-01"})


@pytest.mark.parametrize(
    "text,kind,expected",
    [("3", "int", 3), ("-2", "int", -2), ("0.5", "float", 0.5), ("true", "bool", True), ("0101", "str", "0101")],
)
def test_cli_text_is_converted_to_the_declared_type(text, kind, expected):
    value = coerce("x", text, kind, "nb")
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text,kind", [("abc", "int"), ("1.5", "int"), ("nan", "float"), ("yes", "bool")])
def test_bad_values_are_refused(text, kind):
    with pytest.raises(UsageError):
        coerce("x", text, kind, "nb")


def test_typed_values_must_match():
    with pytest.raises(UsageError):
        coerce("x", 2025, "str", "nb")


@pytest.mark.parametrize("pair", ["novalue", "bad name=1", "a\nb=1", "=1"])
def test_malformed_pairs(pair):
    with pytest.raises(UsageError):
        parse_cli([pair])


def test_no_parameters_cell_is_refused(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x: int = 1"))
    path = tmp_path / "01_x.ipynb"
    nbformat.write(nb, str(path))
    with pytest.raises(UsageError, match="tagged 'parameters'"):
        declared(path)
