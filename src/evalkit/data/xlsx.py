"""Open user-supplied Excel workbooks safely.

An ``.xlsx`` is a ZIP of XML parts. Before openpyxl parses anything, the
archive is checked: it must be a ZIP at all (a saved HTML error page is not),
and neither the declared uncompressed size, the compression ratio of any
member, nor the member count may exceed the limits (a decompression bomb is
refused before it is inflated). XML parsing goes through defusedxml, which
openpyxl uses automatically when it is installed (it is a dependency), so
entity-expansion attacks raise instead of expanding.

References
----------
.. [1] openpyxl documentation, security note (install defusedxml to guard
   against quadratic blowup and billion-laughs XML attacks),
   https://openpyxl.readthedocs.io/en/stable/
.. [2] Python ``zipfile`` documentation, "Decompression pitfalls",
   https://docs.python.org/3/library/zipfile.html#decompression-pitfalls
.. [3] defusedxml, https://pypi.org/project/defusedxml/
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from evalkit.errors import DataValidationError, Problem
from evalkit.paths import relative

MAX_UNCOMPRESSED = 200 * 1024 * 1024  #: bytes, all members together
MAX_RATIO = 200  #: uncompressed / compressed, per member
MAX_MEMBERS = 10_000


def check_archive(
    path: Path,
    *,
    max_uncompressed: int = MAX_UNCOMPRESSED,
    max_ratio: float = MAX_RATIO,
    max_members: int = MAX_MEMBERS,
) -> None:
    """Refuse a file that is not a plausible, bounded xlsx archive.

    Raises
    ------
    DataValidationError
        Naming the file and the limit broken.
    """
    name = relative(path)
    head = path.read_bytes()[:512] if path.stat().st_size else b""

    def fail(rule: str, message: str, value: str | None = None) -> None:
        raise DataValidationError([Problem(name, None, None, value, rule, message)])

    if not head:
        fail("file:empty", "file is empty")
    if not head.startswith(b"PK\x03\x04"):
        looks = "an HTML page" if head.lstrip().lower().startswith((b"<!doctype", b"<html")) else "something else"
        fail(
            "xlsx:not-zip",
            f"not an xlsx (ZIP) file; it looks like {looks} — was the download an error page?",
            head[:20].decode("latin-1"),
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        fail("xlsx:corrupt", f"damaged or truncated ZIP archive: {exc}")
    if len(members) > max_members:
        fail("xlsx:members", f"{len(members)} archive members, more than the limit {max_members}")
    total = sum(m.file_size for m in members)
    if total > max_uncompressed:
        fail("xlsx:size", f"declares {total:,} bytes uncompressed, more than the limit {max_uncompressed:,}")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > max_ratio:
            fail("xlsx:ratio", f"member {member.filename!r} inflates {ratio:,.0f}×, more than the limit {max_ratio}×")


def open_workbook(path: Path, **limits):
    """Check ``path`` (see :func:`check_archive`) and open it read-only with openpyxl.

    Returns
    -------
    openpyxl.Workbook
        Read-only, values only (no formulas evaluated).
    """
    import openpyxl

    check_archive(Path(path), **limits)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # defusedxml raises on entities and DTDs
        raise DataValidationError(
            [
                Problem(
                    relative(Path(path)),
                    None,
                    None,
                    None,
                    "xlsx:parse",
                    f"workbook refused while parsing: {type(exc).__name__}: {exc}",
                )
            ]
        ) from exc
