"""Year spans as users type them: ``2019-2022``, ``2019`` or nothing.

Every command and notebook parameter that takes years (``evalkit dependence --years``, the screen's
``--years``, the supply-risk ``years`` parameter) reads them with :func:`parse_years`, so one spelling
means the same span everywhere and a malformed span gives the same message and exit status (2).
"""

from __future__ import annotations

import re

from evalkit.errors import UsageError

_SPAN = re.compile(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?")


def parse_years(
    text: str | tuple[int, int] | None,
    *,
    default: tuple[int | None, int | None] | None = None,
    within: tuple[int, int] | None = None,
    what: str = "",
) -> tuple:
    """Parse a span of calendar years into inclusive bounds.

    Parameters
    ----------
    text : str, (int, int) or None
        ``'A-B'`` or ``'A'`` (four-digit years, spaces allowed around the dash), a ``(first, last)`` pair,
        or empty/``None``.
    default : (int or None, int or None), optional
        What an empty span means, e.g. ``(None, None)`` for "every year in the data"; without a default an
        empty span is an error.
    within : (int, int), optional
        Inclusive bounds the span must lie in (e.g. the years a dataset covers).
    what : str, optional
        What the bounds are, named in the message when ``within`` is exceeded (e.g. ``World Mining Data years``).

    Returns
    -------
    tuple
        ``(first, last)`` with ``first <= last``.

    Raises
    ------
    UsageError
        Malformed text, the first year after the last, or a span outside ``within`` (exit 2); the message
        names the value and what was expected.
    """
    span = f"a span within {within[0]}-{within[1]}" + (f" ({what})" if what else "") if within else ""
    hint = f"; expected {span}" if span else ""
    if text is None or (isinstance(text, str) and not text.strip()):
        if default is None:
            raise UsageError(f"years {text!r}: expected YYYY-YYYY (or YYYY), e.g. 2019-2022{hint}")
        return default
    if isinstance(text, tuple):
        first, last = int(text[0]), int(text[1])
    else:
        m = _SPAN.fullmatch(str(text))
        if not m:
            raise UsageError(
                f"years {text!r}: expected YYYY-YYYY (or YYYY) with four-digit years, e.g. 2019-2022{hint}"
            )
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last:
        raise UsageError(f"years {text!r}: the first year {first} is after the last year {last}{hint}")
    if within is not None and (first < within[0] or last > within[1]):
        raise UsageError(f"years {text!r}: expected {span}")
    return first, last
