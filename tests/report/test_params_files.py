"""File parameters (ledger, extra_round) are checked before any notebook runs."""

import pytest

from evalkit.errors import DataValidationError, MissingInputError, UsageError
from evalkit.report.params import VALIDATORS


def test_empty_means_none():
    VALIDATORS["ledger"]("")
    VALIDATORS["extra_round"]("")


def test_fixtures_pass():
    VALIDATORS["ledger"]("tests/fixtures/synthetic_ledger.csv")
    VALIDATORS["extra_round"]("tests/fixtures/synthetic_round/report_status.csv")


@pytest.mark.parametrize(
    "name,value,error",
    [
        ("ledger", "../escape.csv", UsageError),
        ("ledger", "missing.csv", MissingInputError),
        ("ledger", "data/reference/targets.csv", DataValidationError),  # wrong columns
        ("extra_round", "tests/fixtures/synthetic_ledger.csv", DataValidationError),  # no sidecar
    ],
)
def test_bad_files_are_refused(name, value, error):
    with pytest.raises(error):
        VALIDATORS[name](value)
