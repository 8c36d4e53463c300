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


def check_product(product: str, *, allow_all: bool = True) -> str:
    """Return ``product`` if it is a registered slug (or ``'all'`` when ``allow_all``).

    The one check behind every function, command and notebook parameter that takes a product, so the same
    mistake gives the same message and exit status wherever it is made.

    Raises
    ------
    UsageError
        An unknown product (exit 2); the message lists the valid slugs.
    """
    from evalkit.errors import UsageError

    if (allow_all and product == "all") or product in product_slugs():
        return product
    expected = ("'all' or " if allow_all else "") + f"one of {product_slugs()}"
    raise UsageError(f"product={product!r}: expected {expected} (data/reference/products.csv)")


def product_slugs() -> list[str]:
    """Slugs of the registered products, in slide order."""
    return products()["product"].tolist()


def product_names(lang: str = "ja") -> dict[str, str]:
    """Map slug -> product name in ``lang`` (``ja`` or ``en``)."""
    column = {"ja": "name_ja", "en": "name_en"}[lang]
    return dict(zip(products()["product"], products()[column]))
