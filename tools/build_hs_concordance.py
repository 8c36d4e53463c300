"""Rebuild ``data/reference/hs_concordance.csv`` from the UNSD HS correlation workbook.

The designated items' HS 2022 codes (``data/reference/hs_map.csv``) are traced
back to HS 2017 and HS 1992:

* HS 2017 -> HS 1992: the links are read row by row from the UN Statistics
  Division's *Complete correlations of HS, SITC and BEC* (columns ``HS92`` and
  ``HS17``), https://unstats.un.org/unsd/trade/classifications/tables/CompleteCorrelationsOfHS-SITC-BEC_20170606.xlsx
* HS 2022 -> HS 2017: the three designated codes the HS 2022 amendments
  touched are listed in :data:`HS22_CHANGES` (WCO, Correlation Tables HS
  2017-2022, Table I); every other designated code kept its HS 2017 number
  and scope.

Relation of the HS 2022 code to a counterpart: ``identical`` (same scope),
``split`` (the older code is wider: it also holds goods HS 2022 puts
elsewhere), ``merged`` (the older code is one of several narrower pieces of
the HS 2022 code) or ``split_merged`` (both). A counterpart is ``principal``
when it lies in the same heading as the HS 2022 code, or maps to it whole;
the others only contribute a part (e.g. machine parts that HS 2007 moved
into 85.42 as multi-component integrated circuits).

Usage::

    python tools/build_hs_concordance.py CompleteCorrelationsOfHS-SITC-BEC_20170606.xlsx

The script prints the rows it wrote; review the diff, then ``evalkit seal
data/reference/hs_concordance.csv``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "reference" / "hs_concordance.csv"

UNSD = (
    "UNSD, Complete correlations of HS (1992-2017), SITC and BEC, columns HS92 and HS17: "
    "https://unstats.un.org/unsd/trade/classifications/tables/CompleteCorrelationsOfHS-SITC-BEC_20170606.xlsx"
)
WCO = (
    "WCO, Correlation Tables HS 2017-HS 2022, Table I (2022 to 2017): "
    "https://www.wcoomd.org/en/topics/nomenclature/instrument-and-tools/hs-nomenclature-2022-edition.aspx"
)

#: HS 2022 code -> (HS 2017 code, relation of the HS 2022 code to it, confidence, note).
HS22_CHANGES = {
    "811292": (
        "811292",
        "split",
        "medium",
        "HS 2022 moved hafnium and rhenium (unwrought, waste, powders) out of 8112.92 into 8112.31 and 8112.41; "
        "the HS 2017 code is wider",
    ),
    "681511": (
        "681510",
        "split",
        "medium",
        "HS 2022 split carbon fibres (6815.11) from other non-electrical carbon articles (6815.12, 6815.13, "
        "6815.19); the HS 2017 code is wider",
    ),
    "880730": (
        "880330",
        "merged",
        "low",
        "HS 2022 heading 88.07 also takes parts of unmanned aircraft, which HS 2017 classified elsewhere "
        "(heading 88.02 aircraft or, for some drones, with cameras or toys); check Table I before relying on it",
    ),
}

#: Observed breaks in BACI's HS 1992 series: (HS 1992 code) -> (last year that still carries the goods, evidence).
BREAKS = {
    "811230": (
        2006,
        "HS 2007 deleted 8112.30 (germanium): from 2007 germanium is reported in 8112.92/8112.99 and BACI's "
        "HS 1992 conversion puts it in 8112.91/8112.99, so 8112.30 is (almost) empty: Japan's imports in the "
        "fetched BACI extract were 14,225 thousand USD in 2006 and 10 in 2007",
    ),
    "811240": (
        2006,
        "HS 2007 deleted 8112.40 (vanadium) in the same way as germanium's 8112.30",
    ),
}


#: Where the code an item shares with other goods has several HS 1992 counterparts, which one holds the item:
#: (product, item_no, HS 2022 code) -> {HS 1992 code: (principal, why)}; codes not listed are not principal.
ITEM_HOME = {
    ("critical_minerals", "7", "811292"): {
        "811291": (True, "gallium was in HS 1992 8112.91 (other base metals: unwrought, waste, powders)"),
    },
    ("critical_minerals", "8", "811292"): {
        "811230": (True, "germanium had its own HS 1992 subheading 8112.30"),
        "811291": (
            False,
            "holds germanium only in data converted from HS 2007 or later, mixed with gallium, indium, niobium and "
            "vanadium, so it cannot measure germanium",
        ),
    },
}


def _relation(older_wider: bool, newer_wider: bool) -> str:
    if older_wider and newer_wider:
        return "split_merged"
    if older_wider:
        return "split"
    if newer_wider:
        return "merged"
    return "identical"


def build(workbook: Path) -> list[dict]:
    """The concordance rows (one per designated HS 2022 code, revision and counterpart)."""
    corr = pd.read_excel(workbook, dtype=str, usecols=["HS92", "HS17"]).dropna().drop_duplicates()
    hs_map = pd.read_csv(ROOT / "data" / "reference" / "hs_map.csv", dtype=str, keep_default_na=False)
    hs_map = hs_map[hs_map["no_hs_equivalent"].str.lower() != "true"]
    rows = []
    for (product, item_no, hs22), _ in hs_map.groupby(["product", "item_no", "hs6"], sort=False):
        hs17, rel17, conf17, note17 = HS22_CHANGES.get(hs22, (hs22, "identical", "medium-high", ""))
        rows.append(
            {
                "product": product,
                "item_no": item_no,
                "hs22": hs22,
                "revision": "HS17",
                "hs6": hs17,
                "relation": rel17,
                "principal": "true",
                "data_until": "",
                "reference": WCO,
                "confidence": conf17,
                "note": note17 or ("same code and scope in HS 2017" if rel17 == "identical" else ""),
            }
        )
        older = sorted(set(corr.loc[corr["HS17"] == hs17, "HS92"]))
        if not older:
            rows.append(
                {
                    **rows[-1],
                    "revision": "HS92",
                    "hs6": "",
                    "relation": "no_counterpart",
                    "principal": "false",
                    "reference": UNSD,
                    "note": f"the UNSD table links no HS 1992 code to HS 2017 {hs17}",
                }
            )
            continue
        newer_wider = len(older) > 1 or rel17 in ("merged", "split_merged")
        for hs92 in older:
            targets = set(corr.loc[corr["HS92"] == hs92, "HS17"])
            older_wider = len(targets) > 1 or rel17 in ("split", "split_merged")
            principal = hs92[:4] == hs22[:4] or targets == {hs17} or len(older) == 1
            home = ITEM_HOME.get((product, item_no, hs22))
            others = sorted(targets - {hs17})
            parts = []
            if others:
                parts.append(f"HS 1992 {hs92} also correlates with HS 2017 {', '.join(others[:6])}")
                if len(others) > 6:
                    parts[-1] += f" and {len(others) - 6} more"
            if len(older) > 1:
                parts.append(f"HS 2017 {hs17} draws on {len(older)} HS 1992 codes")
            if hs92 != hs22 and not others and len(older) == 1:
                parts.append(f"renumbered: HS 1992 {hs92}")
            if home is not None:
                principal, why_home = home.get(hs92, (False, f"HS 1992 {hs92} does not hold this item"))
                parts.insert(0, why_home)
            until, why = BREAKS.get(hs92, ("", ""))
            if why:
                parts.append(why)
            if note17:
                parts.append(note17)
            rows.append(
                {
                    "product": product,
                    "item_no": item_no,
                    "hs22": hs22,
                    "revision": "HS92",
                    "hs6": hs92,
                    "relation": _relation(older_wider, newer_wider),
                    "principal": "true" if principal else "false",
                    "data_until": str(until),
                    "reference": UNSD + ("; " + WCO if hs22 in HS22_CHANGES else ""),
                    "confidence": conf17,
                    "note": "; ".join(parts),
                }
            )
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    rows = build(Path(argv[1]))
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
