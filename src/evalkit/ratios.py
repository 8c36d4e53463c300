"""Ratios that never divide silently by zero.

Every programme indicator of notebooks 10-30 is a ratio (commitment A/B, attainment
x/x*, progress (x−x0)/(x*−x0)...). :func:`ratio` returns a :class:`Ratio`
whose ``value`` is a finite float, or ``None`` together with a ``note`` that
says in words why the ratio is undefined (missing input, zero denominator).
No NaN or infinity ever leaves this module.

References
----------
Ratio definitions: ``docs/methodology.md#spending-ratios`` and
``docs/methodology.md#targets-and-the-rag-rule``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Ratio:
    """A computed ratio and what it was computed from.

    Attributes
    ----------
    value : float or None
        ``numerator / denominator``; ``None`` when undefined (see ``note``).
    numerator, denominator : float or None
        The inputs, as given (``None`` = not available).
    note : str
        Empty when ``value`` is defined; otherwise the reason it is not.
    """

    value: float | None
    numerator: float | None
    denominator: float | None
    note: str = ""

    @property
    def defined(self) -> bool:
        """True when ``value`` is a number."""
        return self.value is not None


def _number(x: Any) -> float | None:
    import pandas as pd

    if x is None or pd.isna(x):
        return None
    return float(x)


def ratio(numerator: Any, denominator: Any, *, what: str = "ratio") -> Ratio:
    """Divide two quantities, stating why when the result is undefined.

    Parameters
    ----------
    numerator, denominator : number or None
        The quantities (same unit, or the ratio's unit is their quotient).
        ``None``/NaN means *not available*.
    what : str
        Name of the ratio, used in the note (e.g. ``"commitment ratio"``).

    Returns
    -------
    Ratio
        ``value`` is ``None`` with a note when an input is missing or the
        denominator is zero; otherwise the finite quotient.

    Raises
    ------
    ValueError
        If an input is infinite (a bug upstream, never data).

    Examples
    --------
    >>> ratio(57, 60).value
    0.95
    >>> ratio(1, 0, what="commitment ratio").note
    'commitment ratio undefined: the denominator is zero'
    """
    num, den = _number(numerator), _number(denominator)
    for name, v in (("numerator", num), ("denominator", den)):
        if v is not None and math.isinf(v):
            raise ValueError(f"{what}: the {name} is infinite")
    if num is None or den is None:
        missing = " and ".join(n for n, v in (("numerator", num), ("denominator", den)) if v is None)
        return Ratio(None, num, den, f"{what} undefined: the {missing} is not available")
    if den == 0:
        return Ratio(None, num, den, f"{what} undefined: the denominator is zero")
    return Ratio(num / den, num, den)


def rounded(value: float | None, digits: int = 6) -> float | None:
    """Round a ratio for display and ``results.json`` (``None`` stays ``None``).

    Rounding to 6 decimals removes binary noise (2.1/3 → 0.7) without
    changing any figure a reader could see.
    """
    return None if value is None else round(float(value), digits)
