"""UN Comtrade CSV (API ``get`` / bulk download), with World rows kept apart from partners.

Accepted headers (by name, in any order; extra columns ignored):

* the current API/bulk form: ``refYear``, ``reporterISO``, ``flowCode``
  (``M`` import, ``X`` export; others skipped), ``partnerCode``,
  ``partnerISO``, ``partnerDesc``, ``cmdCode``, ``primaryValue`` (USD) and
  ``netWgt`` (kg);
* the legacy bulk form: ``Year``, ``Reporter ISO``, ``Trade Flow Code``
  (1 import, 2 export), ``Partner Code``, ``Partner ISO``, ``Partner``,
  ``Commodity Code``, ``Trade Value (US$)``, ``Netweight (kg)``.

Partner ``0`` (World) is a stored aggregate of the available partners and
``World ≠ Σ partners`` (confidential trade), so World rows are flagged as
aggregates and never enter shares; so are EU (97), "Areas, nes" (899),
"Special Categories" (839) and any partner named "nes", "Bunkers" or "Free
Zones". A partner sum *above* World is impossible and reported. Comtrade
data may not be redistributed (UN Comtrade terms): keep ingested files local.

References
----------
UN Comtrade, "How to query for all countries" and "Data confidentiality in UN
Comtrade" (https://uncomtrade.org/docs/data-confidentiality-in-un-comtrade).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from evalkit.data import trade
from evalkit.errors import DataValidationError, MissingInputError
from evalkit.paths import relative

CURRENT = {
    "year": "refYear",
    "reporter": "reporterISO",
    "flow": "flowCode",
    "partner": "partnerCode",
    "partner_iso3": "partnerISO",
    "partner_name": "partnerDesc",
    "hs": "cmdCode",
    "value": "primaryValue",
    "quantity": "netWgt",
}
LEGACY = {
    "year": "Year",
    "reporter": "Reporter ISO",
    "flow": "Trade Flow Code",
    "partner": "Partner Code",
    "partner_iso3": "Partner ISO",
    "partner_name": "Partner",
    "hs": "Commodity Code",
    "value": "Trade Value (US$)",
    "quantity": "Netweight (kg)",
}
FLOWS = {"M": "import", "X": "export", "1": "import", "2": "export"}
AGGREGATE_CODES = {"0", "97", "899", "839"}
_AGG_NAME = re.compile(r"\bworld\b|\bnes\b|n\.e\.s|bunkers|free zones|special categories|european union", re.I)
_NUMBER = re.compile(r"^-?\d+(\.\d*)?([eE][-+]?\d+)?$")
_DIGITS = re.compile(r"^\d+$")
VALUE_UNIT = "USD"
TOLERANCE = 1e-6  #: relative slack when checking Σ partners ≤ World


def is_aggregate(code: str, name: str) -> bool:
    """True for World and the groupings Comtrade reports as partners."""
    return code in AGGREGATE_CODES or bool(_AGG_NAME.search(name or ""))


def read_comtrade(path: Path) -> pd.DataFrame:
    """Read and validate a Comtrade CSV into the normalised trade table.

    Returns
    -------
    pandas.DataFrame
        Normalised table; World and other aggregates flagged
        ``partner_is_aggregate``; ``value`` in USD, ``quantity`` in tonnes
        (from ``netWgt`` kg). Rows with flows other than import/export
        (re-imports...) are skipped and counted in ``attrs["skipped_flows"]``.

    Raises
    ------
    DataValidationError
        Missing columns, ragged rows, non-numeric or negative values, HS
        codes without their leading zero, duplicate (year, reporter, flow,
        partner, code) keys, and partner sums above World.
    """
    path = Path(path)
    name = relative(path)
    if not path.is_file():
        raise MissingInputError(f"{name}: file not found")
    log = trade.ProblemLog(name)
    text, _, problem = trade.decode(path.read_bytes(), name)
    if problem:
        raise DataValidationError([problem])
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    spec = CURRENT if CURRENT["value"] in header else LEGACY
    missing = [c for c in spec.values() if c not in header]
    if missing:
        log.add(
            1,
            None,
            ",".join(header)[:60],
            "header:schema",
            f"missing Comtrade columns {missing}; expected the API form ({', '.join(CURRENT.values())}) "
            f"or the legacy bulk form",
        )
        raise DataValidationError(log.result())
    pos = {k: header.index(v) for k, v in spec.items()}
    records, seen, skipped = [], {}, 0
    for row in reader:
        n = reader.line_num
        if not row:
            continue
        if len(row) != len(header):
            log.add(n, None, ",".join(row)[:60], "row:ragged", f"expected {len(header)} cells, found {len(row)}")
            continue
        cell = {k: row[i].strip() for k, i in pos.items()}
        flow = FLOWS.get(cell["flow"])
        if flow is None:
            skipped += 1
            continue
        bad = False
        if not (_DIGITS.match(cell["year"]) and len(cell["year"]) == 4):
            log.add(n, spec["year"], cell["year"], "type:year", "expected a 4-digit year")
            bad = True
        hs = cell["hs"]
        if hs != "TOTAL" and not (_DIGITS.match(hs) and len(hs) % 2 == 0):
            log.add(
                n,
                spec["hs"],
                hs,
                "hs:leading-zeros" if _DIGITS.match(hs) else "hs:digits",
                "expected an HS code of 2, 4 or 6 digits kept as text (an odd length means a lost leading zero)",
            )
            bad = True
        if not _DIGITS.match(cell["partner"]):
            log.add(n, spec["partner"], cell["partner"], "country:code", "expected a numeric partner code")
            bad = True
        value = None
        if not _NUMBER.match(cell["value"]):
            log.add(n, spec["value"], cell["value"], "type:number", "expected a number (USD)")
            bad = True
        elif float(cell["value"]) < 0:
            log.add(n, spec["value"], cell["value"], "amount>=0", "negative trade value")
            bad = True
        else:
            value = float(cell["value"])
        qty = None
        if cell["quantity"] not in ("", "NA"):
            if not _NUMBER.match(cell["quantity"]) or float(cell["quantity"]) < 0:
                log.add(n, spec["quantity"], cell["quantity"], "type:number", "expected a non-negative number (kg)")
                bad = True
            else:
                qty = float(cell["quantity"]) / 1000.0
        if not bad and cell["partner_iso3"] and cell["partner_iso3"] == cell["reporter"]:
            log.add(n, spec["partner_iso3"], cell["partner_iso3"], "self-trade", "partner equals reporter")
            bad = True
        if bad:
            continue
        partner = str(int(cell["partner"]))
        key = (cell["year"], cell["reporter"], flow, partner, hs)
        if key in seen:
            log.add(
                n,
                "year,reporter,flow,partner,code",
                ",".join(key),
                "primary-key:duplicate",
                f"also on line {seen[key]}",
            )
            continue
        seen[key] = n
        agg = is_aggregate(partner, cell["partner_name"])
        records.append(
            {
                "source": "comtrade",
                "reporter": cell["reporter"],
                "flow": flow,
                "year": int(cell["year"]),
                "hs": hs,
                "hs6": hs[:6],
                "partner": partner,
                "partner_iso3": None if agg else (cell["partner_iso3"] or None),
                "partner_name": cell["partner_name"] or None,
                "partner_is_aggregate": agg,
                "value": value,
                "value_unit": VALUE_UNIT,
                "quantity": qty,
                "quantity_unit": "t" if qty is not None else None,
                "_line": n,
            }
        )
    lines = {}
    if records:
        tmp = pd.DataFrame(records)
        world = tmp[tmp["partner"] == "0"].set_index(["year", "reporter", "flow", "hs"])
        parts = tmp[~tmp["partner_is_aggregate"]].groupby(["year", "reporter", "flow", "hs"])["value"].sum()
        for idx, w in world.iterrows():
            s = parts.get(idx)
            if s is not None and s > w["value"] * (1 + TOLERANCE) + 1e-9:
                log.add(
                    int(w["_line"]),
                    spec["value"],
                    f"{w['value']:.0f}",
                    "world<sum-partners",
                    f"World {w['value']:.0f} is below the sum of partners {s:.0f} for {idx}; "
                    "World must be at least the sum (confidential trade makes it larger, never smaller)",
                )
        lines = dict(zip(tmp.index, tmp["_line"]))
    if log.total:
        raise DataValidationError(log.result())
    for r in records:
        r.pop("_line", None)
    frame = trade.to_frame(records)
    frame.attrs.update(source=f"UN Comtrade [{name}]", path=name, skipped_flows=skipped, lines=lines)
    return frame
