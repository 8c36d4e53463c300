"""Data package access: catalogue, sidecars, typed tables, validation.

Public surface::

    from evalkit.data import read_table, table_path, reference_path, validate_package
"""

from evalkit.data.catalogue import LATEST, parse_as_of, reference_path, release_for, table_path
from evalkit.data.table import check_table, read_table
from evalkit.data.validate import validate_package

__all__ = [
    "LATEST",
    "check_table",
    "parse_as_of",
    "read_table",
    "reference_path",
    "release_for",
    "table_path",
    "validate_package",
]
