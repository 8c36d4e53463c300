"""evalkit.userfile: file parameters are checked before use."""

import pytest

from evalkit.errors import MissingInputError, UsageError
from evalkit.paths import project_root
from evalkit.userfile import resolve_user_file


def test_relative_inside_project():
    path = resolve_user_file("tests/fixtures/synthetic_ledger.csv", parameter="ledger")
    assert path == (project_root() / "tests/fixtures/synthetic_ledger.csv").resolve()


def test_absolute_path_outside_project_is_accepted(tmp_path):
    f = tmp_path / "ledger.csv"
    f.write_text("product,plan,fiscal_year,disbursed\n", encoding="utf-8")
    assert resolve_user_file(str(f), parameter="ledger") == f.resolve()


@pytest.mark.parametrize(
    "value,error,text",
    [
        ("", UsageError, "expected the path"),
        ("../outside.csv", UsageError, "must stay inside the project"),
        ("tests/../../outside.csv", UsageError, "must stay inside the project"),
        ("README.md", UsageError, "expected a .csv file"),
        ("no_such_file.csv", MissingInputError, "file not found"),
    ],
)
def test_bad_values(value, error, text):
    with pytest.raises(error, match=text) as info:
        resolve_user_file(value, parameter="ledger")
    assert "ledger=" in str(info.value)


def test_directory_is_not_a_file(tmp_path):
    d = tmp_path / "dir.csv"
    d.mkdir()
    with pytest.raises(MissingInputError, match="not a regular file"):
        resolve_user_file(str(d), parameter="ledger")
