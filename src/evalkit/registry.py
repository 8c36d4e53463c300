"""The product registry (``data/reference/products.csv``) as small lookups."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from evalkit.data import read_table, reference_path


@lru_cache(maxsize=1)
def products() -> pd.DataFrame:
    """The 12 specified critical products, in slide order.

    Returns
    -------
    pandas.DataFrame
        Columns ``product`` (slug), ``name_ja``, ``name_en``, ``ministry`` and
        the support measures; ``attrs["source"]`` cites slide A of the deck.
    """
    frame = read_table(reference_path("products"))
    return frame.sort_values("display_order").reset_index(drop=True)


def product_slugs() -> list[str]:
    """Slugs of the registered products, in slide order."""
    return products()["product"].tolist()


def product_names(lang: str = "ja") -> dict[str, str]:
    """Map slug -> product name in ``lang`` (``ja`` or ``en``)."""
    column = {"ja": "name_ja", "en": "name_en"}[lang]
    return dict(zip(products()["product"], products()[column]))
