"""Language: one translation table, and numbers written the way each audience reads them.

Report chrome, table headers, axis labels and captions come from
``translations.yaml`` in this package; product and item names come from the
data package (``products.csv`` holds both names). Japanese is the default.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from evalkit import yamlload
from evalkit.data.sidecar import CITED_AS_OF, CITED_UNDATED
from evalkit.errors import UsageError
from evalkit.registry import product_names

LANGS = ("ja", "en")


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """The translation table (key -> {"ja": ..., "en": ...})."""
    text = resources.files("evalkit").joinpath("translations.yaml").read_text(encoding="utf-8")
    return yamlload.safe_load(text)


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise :class:`evalkit.errors.UsageError`."""
    if lang not in LANGS:
        raise UsageError(f"lang={lang!r}: expected one of {LANGS}")
    return lang


def t(key: str, lang: str = "ja", **fmt: str) -> str:
    """Translate ``key``; missing keys raise KeyError (a test checks every key has both languages)."""
    text = table()[key][check_lang(lang)]
    return text.format(**fmt) if fmt else text


def header(column: str, lang: str = "ja") -> str:
    """Display name of a table column: its translation if the table has one, else the column as is."""
    entry = table().get(str(column))
    return entry[lang] if entry else str(column)


def oku_yen(value: float, lang: str = "ja") -> str:
    """An amount in 億円 (JPY 100 million) as the reader expects it.

    Examples
    --------
    >>> oku_yen(21830, "ja")
    '2兆1,830億円'
    >>> oku_yen(21830, "en")
    'JPY 2,183.0 billion'
    """
    if lang == "en":
        return f"JPY {value / 10:,.1f} billion"
    cho, oku = divmod(round(value), 10_000)
    if cho and oku:
        return f"{cho:,}兆{oku:,}億円"
    if cho:
        return f"{cho:,}兆円"
    return f"{value:,.0f}億円" if value == round(value) else f"{value:,.1f}億円"


def fiscal_year(year: int, lang: str = "ja") -> str:
    """A fiscal year (April–March): ``2027年度`` or ``FY2027``."""
    return f"{year}年度" if lang == "ja" else f"FY{year}"


def result_label(key: str, lang: str = "ja") -> str:
    """Readable label of a result key: each dotted part translated where known.

    ``plans_approved.batteries`` -> ``認定件数 — 蓄電池``; unknown parts stay as written.
    """
    names = product_names(lang)
    parts = []
    for part in key.split("."):
        if part in names:
            parts.append(names[part])
        elif part in table():
            parts.append(table()[part][lang])
        else:
            parts.append(part)
    return " — ".join(parts)


def unit_label(unit: str, lang: str = "ja") -> str:
    """Display form of a result unit (``plans`` -> ``件``); unknown units unchanged."""
    entry = table().get(f"unit:{unit}")
    return entry[lang] if entry else unit


def release_label(release, lang: str = "ja") -> str:
    """As-of label of a data release in ``lang`` (undated releases say so)."""
    if getattr(release, "date", None) is None and getattr(release, "after", None) is not None:
        return t("undated_after", lang, day=release.after.isoformat())
    return release.label


def localise_citation(text: str, lang: str = "ja") -> str:
    """Citations from :func:`evalkit.data.sidecar.citation` inside ``text``, with their as-of phrase in ``lang``.

    Source references, file names and dates stay as they are; text that is
    not a citation is left alone.

    Examples
    --------
    >>> localise_citation("CAO deck, slide D1; as of 2024-10-31 [data/x.csv]", "ja")
    'CAO deck, slide D1; 時点 2024-10-31 [data/x.csv]'
    """
    if check_lang(lang) == "en":
        return text
    text = text.replace(f"; {CITED_UNDATED} [", f"; {t('cited_undated', lang)} [")
    # the dated phrase as a pattern: CITED_AS_OF with its date as a group, between "; " and " ["
    dated = re.escape(CITED_AS_OF).replace(re.escape("{as_of}"), r"([^;\[\]|]+?)")
    return re.sub(f"; {dated} \\[", lambda m: f"; {t('cited_as_of', lang, as_of=m.group(1))} [", text)
