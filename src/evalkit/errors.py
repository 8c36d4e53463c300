"""Exceptions and the process exit statuses they map to.

The exit statuses follow BSD ``sysexits.h`` where one fits, so that cron mail
and CI logs can tell a bad input from a failed notebook without parsing text.
They are documented in the README; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_USAGE = 2  #: bad command line or parameter (nothing was run)
EXIT_DATA = 65  #: a data file or sidecar is invalid (EX_DATAERR)
EXIT_NO_INPUT = 66  #: a required input file is missing (EX_NOINPUT)
EXIT_NOTEBOOK = 70  #: a notebook failed, timed out or died (EX_SOFTWARE)
EXIT_IO = 74  #: reading or writing the report failed (EX_IOERR)
EXIT_LOCKED = 75  #: try again later: another run holds the lock, or an input changed mid-run (EX_TEMPFAIL)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file.

    Attributes
    ----------
    file : str
        Path of the file, relative to the project root where possible.
    line : int or None
        Physical line, 1-based, header = line 1; ``None`` for whole-file problems.
    column : str or None
        Column name as written in the header, or a sidecar key.
    value : str or None
        The offending raw value (``repr``-ed and truncated when shown).
    rule : str
        Short identifier of the rule broken, e.g. ``type:integer``.
    message : str
        What was expected, in plain words.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            parts.append(f"value {shown!r}")
        return f"{', '.join(parts)}: {self.message} [{self.rule}]"


class EvalkitError(Exception):
    """Base class; ``exit_status`` is what the CLI exits with."""

    exit_status = 1


class UsageError(EvalkitError):
    """A command-line argument or notebook parameter is wrong."""

    exit_status = EXIT_USAGE


class MissingInputError(EvalkitError):
    """A file the run needs does not exist."""

    exit_status = EXIT_NO_INPUT


class DataValidationError(EvalkitError):
    """One or more data files broke their schema or an identity.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, not just the first.
    hint : str, optional
        What to do about them, printed after the list (e.g. the command that
        re-creates a fetched table).
    """

    exit_status = EXIT_DATA

    def __init__(self, problems: list[Problem], hint: str = ""):
        self.problems = list(problems)
        self.hint = hint
        lines = [f"{len(self.problems)} data problem(s):"] + [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines + ([hint] if hint else [])))


class NotebookFailedError(EvalkitError):
    """At least one notebook of a report run failed."""

    exit_status = EXIT_NOTEBOOK


class ReportIOError(EvalkitError):
    """Staging or publishing the report failed on the file system."""

    exit_status = EXIT_IO


class LockHeldError(EvalkitError):
    """Another ``evalkit report`` for the same as-of is running."""

    exit_status = EXIT_LOCKED


class InputsChangedError(EvalkitError):
    """A data file or notebook changed while a report run was reading it; nothing was published.

    Temporary by nature (someone is updating the data), so it exits like a
    held lock: run again when the change is complete.
    """

    exit_status = EXIT_LOCKED
