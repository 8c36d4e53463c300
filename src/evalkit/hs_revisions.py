"""The designated items' HS codes in the edition a trade file uses (HS 1992, HS 2017 or HS 2022).

``data/reference/hs_map.csv`` names each item's HS 2022 subheadings. Trade
panels come in other editions: the fetched BACI extract is HS 1992, a full
CEPII download may be HS 2017 or HS 2022, and Japan Customs files follow the
edition in force each year. :func:`map_for` gives the designated mapping in
one edition, from the sourced concordance
``data/reference/hs_concordance.csv``; every row says how the code relates
to the item's HS 2022 code:

================  ===============================================================
relation          meaning
================  ===============================================================
``identical``     same scope (possibly another number, e.g. 8485.10 -> 8487.10)
``split``         the code is wider than the HS 2022 code: it over-counts
``merged``        the code is one of several narrower pieces: sum them all
``split_merged``  both at once
``no_counterpart``  the edition has no code for it (``hs6`` empty)
``no_hs_code``    no HS code isolates the item in any edition (``hs6`` empty)
================  ===============================================================

``principal`` is true for the counterpart where the item itself is
classified; the other counterparts only contribute a part of their goods
(use ``principal`` rows for a "designated" flag or an item's imports).
``data_until`` is the last year a code still carries the goods in data
converted back from later editions (germanium's HS 1992 8112.30 is empty from
2007 in BACI's HS92 panel).

References
----------
.. [1] UN Statistics Division, Complete correlations of HS (1992-2017), SITC
   and BEC, https://unstats.un.org/unsd/trade/classifications/tables/CompleteCorrelationsOfHS-SITC-BEC_20170606.xlsx
.. [2] WCO, Correlation Tables HS 2017-HS 2022 (Table I), HS 2022 edition,
   https://www.wcoomd.org/en/topics/nomenclature/instrument-and-tools/hs-nomenclature-2022-edition.aspx
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.data import read_table, reference_path
from evalkit.errors import UsageError

REVISIONS = ("HS92", "HS17", "HS22")
COLUMNS = [
    "product",
    "item_no",
    "item",
    "hs6",
    "relation",
    "principal",
    "hs22",
    "data_until",
    "confidence",
    "note",
    "reference",
]


def check_revision(revision: str) -> str:
    """Return ``revision`` if it is one of :data:`REVISIONS`, else raise :class:`UsageError` (exit 2)."""
    if revision not in REVISIONS:
        raise UsageError(f"HS revision {revision!r}: expected one of {', '.join(REVISIONS)}")
    return revision


def map_for(revision: str) -> pd.DataFrame:
    """The designated products' items and their HS codes in ``revision``.

    Parameters
    ----------
    revision : {"HS92", "HS17", "HS22"}
        HS edition of the trade file the codes will select from.

    Returns
    -------
    pandas.DataFrame
        One row per item and code, in the order of ``hs_map.csv``:
        ``product``, ``item_no``, ``item`` (slug), ``hs6`` (6-digit text, or
        None for ``no_counterpart`` / ``no_hs_code`` rows), ``relation`` (see
        the module table), ``principal`` (bool), ``hs22`` (the HS 2022 code
        it stands for), ``data_until`` (year or None), ``confidence``,
        ``note`` and ``reference``. Every item of ``product_items.csv``
        appears; an item no HS code isolates is a ``no_hs_code`` row.
        ``attrs["source"]`` names the tables. The frame has columns
        ``product`` and ``hs6``, so it can be passed as an HS map.

    Raises
    ------
    UsageError
        For an unknown revision.

    Examples
    --------
    >>> hs92 = map_for("HS92")
    >>> hs92.loc[(hs92["item"] == "cobalt") & hs92["principal"], "hs6"].tolist()
    ['260500', '810510']
    """
    check_revision(revision)
    hs_map = read_table(reference_path("hs_map"))
    items = read_table(reference_path("product_items"))[["product", "item_no", "item"]]
    base = hs_map.merge(items, on=["product", "item_no"], how="left")
    coded = ~base["no_hs_equivalent"].astype(bool)
    none = base.loc[~coded, ["product", "item_no", "item", "note"]].assign(
        hs6=None, relation="no_hs_code", principal=False, hs22=None, data_until=None, confidence="n/a"
    )
    none["reference"] = hs_map.loc[~coded, "reference"].to_numpy()
    sources = [hs_map.attrs["source"], items.attrs["source"]]
    if revision == "HS22":
        rows = base.loc[coded].assign(relation="identical", principal=True, hs22=base["hs6"], data_until=None)
    else:
        conc = read_table(reference_path("hs_concordance"))
        sources.append(conc.attrs["source"])
        conc = conc[conc["revision"] == revision].drop(columns="revision")
        order = base.loc[coded, ["product", "item_no", "item", "hs6"]].rename(columns={"hs6": "hs22"})
        rows = order.merge(conc, on=["product", "item_no", "hs22"], how="left", validate="one_to_many")
        lost = rows["relation"].isna()
        if lost.any():  # a code the concordance does not trace yet: say so, never drop it
            rows.loc[lost, "relation"] = "no_counterpart"
            rows.loc[lost, "principal"] = False
            rows.loc[lost, "confidence"] = "n/a"
            rows.loc[lost, "note"] = "not traced in data/reference/hs_concordance.csv"
            rows.loc[lost, "reference"] = conc.attrs.get("source", "")
    out = pd.concat([rows, none], ignore_index=True)
    out = out.reindex(columns=COLUMNS)
    out["hs6"] = out["hs6"].where(out["hs6"].notna() & (out["hs6"].astype(str) != ""), None)
    out["principal"] = out["principal"].fillna(False).astype(bool)
    out["data_until"] = out["data_until"].astype("Int64")
    out["note"] = out["note"].fillna("")
    key = out["product"].map({p: i for i, p in enumerate(dict.fromkeys(hs_map["product"]))})
    out = out.assign(_k=key).sort_values(["_k", "item_no"], kind="mergesort").drop(columns="_k")
    out = out.reset_index(drop=True)
    out.attrs.update(source="; ".join(sources), revision=revision)
    return out


def item_codes(revision: str, *, year: int | None = None) -> pd.DataFrame:
    """The codes that measure each item in ``revision``: principal rows, without codes broken by ``year``.

    Parameters
    ----------
    revision : {"HS92", "HS17", "HS22"}
        HS edition.
    year : int, optional
        Drop codes whose ``data_until`` is before ``year``.

    Returns
    -------
    pandas.DataFrame
        The principal rows of :func:`map_for` with an ``hs6``.
    """
    rows = map_for(revision)
    keep = rows["principal"] & rows["hs6"].notna()
    if year is not None:
        keep &= rows["data_until"].isna() | (rows["data_until"].fillna(np.iinfo(np.int32).max) >= int(year))
    out = rows[keep].reset_index(drop=True)
    out.attrs.update(rows.attrs)
    return out
