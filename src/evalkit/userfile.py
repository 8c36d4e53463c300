"""Check a notebook parameter that names a file the user supplies.

Notebooks 10 (``ledger``) and 30 (``extra_round``) accept a path. A relative
path is read from the project root and must stay inside the project (no
``..`` escape); an absolute path is taken as the user gave it. Either way the
file must exist and be a regular file, or the run stops with a message that
names the parameter, the value and what was expected.
"""

from __future__ import annotations

from pathlib import Path

from evalkit.errors import MissingInputError, UsageError
from evalkit.paths import project_root


def resolve_user_file(value: str, *, parameter: str, suffix: str = ".csv") -> Path:
    """Resolve and check a file path given as a notebook parameter.

    Parameters
    ----------
    value : str
        The parameter value: a path relative to the project root, or absolute.
    parameter : str
        The parameter's name, for error messages (e.g. ``"ledger"``).
    suffix : str
        Required file-name ending (``.csv``).

    Returns
    -------
    pathlib.Path
        The absolute, resolved path of an existing file.

    Raises
    ------
    UsageError
        Empty value, a relative path that leaves the project, or a wrong suffix.
    MissingInputError
        The file does not exist or is not a regular file.
    """
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{parameter}={value!r}: expected the path of a {suffix} file")
    given = Path(value.strip()).expanduser()
    root = project_root().resolve()
    if given.is_absolute():
        path = given.resolve()
    else:
        path = (root / given).resolve()
        if not path.is_relative_to(root):
            raise UsageError(
                f"{parameter}={value!r}: a relative path must stay inside the project ({root}); "
                "give an absolute path to read a file elsewhere"
            )
    if not path.name.endswith(suffix):
        raise UsageError(f"{parameter}={value!r}: expected a {suffix} file")
    if not path.exists():
        raise MissingInputError(f"{parameter}={value!r}: file not found (looked for {path})")
    if not path.is_file():
        raise MissingInputError(f"{parameter}={value!r}: {path} is not a regular file")
    return path
