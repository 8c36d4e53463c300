"""The CSV outputs meant for spreadsheets write values verbatim, as the README says (no quote added, nothing dropped).

A formula-looking value (OWASP CSV injection) comes out exactly as it went in, so a re-read gives back the same
table; the README tells readers to import such files with text columns, or to use tables.xlsx.
"""

from __future__ import annotations

import csv
import io

from evalkit import cli
from tests.conftest import reseal

PAYLOAD = "=cmd|' /C calc'!A0"


def test_dependence_csv_writes_a_formula_looking_partner_verbatim(project, capsys):
    path = project / "data/raw/compiled/compiled-2026-11-28/external_dependence_published.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    partner = rows[0].index("partner")
    target = next(r for r in rows[1:] if r[1] == "critical_minerals" and r[partner] == "China")
    target[partner] = PAYLOAD
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    reseal(path)
    status = cli.main(["dependence", "--source", "published", "--product", "critical_minerals", "--format", "csv"])
    printed = capsys.readouterr().out
    assert status == 0
    read = list(csv.DictReader(io.StringIO(printed)))
    assert PAYLOAD in {r["partner"] for r in read}
    assert any(float(r["value"]) == float(target[rows[0].index("value")]) for r in read if r["partner"] == PAYLOAD)


def test_screen_csv_writes_a_formula_looking_product_verbatim(fetched_slice, tmp_path, capsys):
    hs_map = tmp_path / "hs_map.csv"
    hs_map.write_text(
        "product,item_no,hs6,no_hs_equivalent,reference,confidence\n"
        f'"{PAYLOAD}",1,280530,false,SYNTHETIC test map,n/a\n-2+3,1,250410,false,SYNTHETIC test map,n/a\n',
        encoding="utf-8",
    )
    out = tmp_path / "screen.csv"
    status = cli.main(
        [
            "screen",
            "--baci",
            str(fetched_slice / "baci_trade.parquet"),
            "--importer",
            "JPN",
            "--years",
            "2022-2022",
            "--hs-map",
            str(hs_map),
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert status == 0
    read = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    by_hs = {r["hs6"]: r["designated_products"] for r in read}
    assert by_hs["280530"] == PAYLOAD and by_hs["250410"] == "-2+3"
