"""Write the golden file of geopolrisk-py 2.0.1's own GeoPolRisk results for Japan (run by hand; output committed).

evalkit re-implements the GeoPolRisk method (:mod:`evalkit.supply_risk`) and never imports geopolrisk-py, whose
code is GPL-3.0. To check that re-implementation against the reference, this script

1. creates a separate virtual environment (default ``/tmp/evalkit-golden-geopolrisk``) with the system's Python
   3.10 or 3.11 (geopolrisk-py 2.0.1 requires ``>=3.10,<3.12`` and ``pandas<=2.3.3``);
2. installs ``geopolrisk-py==2.0.1`` and ``pandas==2.2.3`` into it from the package registry, nothing else;
3. runs, inside that environment and with ``HOME`` pointed at a throw-away folder (the package creates
   ``~/Documents/geopolrisk`` with logs, an Excel file and a SQLite file when it is imported or run), the
   package's ``gprs_calc`` for Japan, one raw material and one year per call, over every raw material of its
   default list and the years 2018-2024;
4. writes ``tests/golden/geopolrisk_jpn.csv``: one row per raw material and year, with the package's HHI, import
   risk, price, score and characterization factor (``repr`` of the float, so no digit is lost), or the status
   ``no_result`` where ``gprs_calc`` returned no row; the header comment says how and when it was made;
5. writes ``tests/golden/geopolrisk_jpn_wgi_duplicates.csv``: the package's WGI table lists some country codes
   twice (Guyana, 328, with different figures for 1996-2022); its SQL look-up takes the first row, evalkit's
   ingested table holds one row per country and year. The file gives the value the package used, per year, so
   the test can show that this choice is the only difference.

One call per raw material and year because ``gprs_calc`` stops its whole loop (``break``) at the first failing
combination: a single call over everything would silently drop every later one. The package's
``mapped_baci`` (the BACI table grouped per raw material, the same for every call) is computed once and reused;
that changes no number.

Usage (from the project root; the project's own ``.venv`` is not used)::

    python3 tools/golden_geopolrisk.py [--venv DIR] [--out tests/golden/geopolrisk_jpn.csv]

Takes about ten minutes on two cores, most of it the package reading its SQLite files and grouping BACI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "geopolrisk-py==2.0.1"
PANDAS = "pandas==2.2.3"
YEARS = tuple(range(2018, 2025))
COUNTRY = "Japan"

# Runs inside the separate environment. It prints one JSON object per line on stdout.
_CHILD = textwrap.dedent(
    """
    import json, sys, warnings
    warnings.simplefilter("ignore")
    from geopolrisk.assessment import main, utils
    from geopolrisk.assessment.database import databases

    years = json.loads(sys.argv[1])
    country = sys.argv[2]
    table = utils.mapped_baci()
    main.mapped_baci = lambda: table  # the same grouped table for every call (computed once)
    materials = utils.default_rmlist()
    import importlib.metadata as md, platform
    versions = {"python": platform.python_version()}
    for dist in ("geopolrisk-py", "pandas", "numpy"):
        versions[dist] = md.version(dist)
    print(json.dumps({"versions": versions, "materials": materials}), flush=True)
    # WGI country codes the package's table lists more than once: the value its SQL look-up took per year
    wgi = databases.wgi
    dup = sorted({c for c in wgi["country_code"] if list(wgi["country_code"]).count(c) > 1 and str(c).isdigit()})
    trade = databases.baci_trade
    for code in dup:
        rows = trade[(trade["partnerCode"].astype(str) == code) & trade["period"].astype(int).isin(years)]
        for period, value in rows.groupby(rows["period"].astype(int))["partnerWGI"].first().items():
            print(json.dumps({"wgi_code": int(code), "year": int(period), "wgi": repr(float(value))}), flush=True)
    for rm in materials:
        for year in years:
            res = main.gprs_calc([year], [country], [rm])
            if len(res) == 0:
                print(json.dumps({"raw_material": rm, "year": year, "status": "no_result"}), flush=True)
                continue
            row = res.iloc[0]
            print(json.dumps({
                "raw_material": rm, "year": year, "status": "ok",
                "hhi": repr(float(row["HHI"])),
                "import_risk": repr(float(row["Import Risk"])),
                "price": repr(float(row["Price"])),
                "geopolrisk_score": repr(float(row["GeoPolRisk Score"])),
                "characterization_factor": repr(float(row["GeoPolRisk Characterization Factor [eq. Kg-Cu/Kg]"])),
            }), flush=True)
    """
)

COLUMNS = (
    "raw_material",
    "year",
    "status",
    "hhi",
    "import_risk",
    "price",
    "geopolrisk_score",
    "characterization_factor",
)


def _python() -> str:
    """A Python 3.10 or 3.11 interpreter (geopolrisk-py 2.0.1 requires <3.12)."""
    for cand in ("python3.11", "python3.10", "python3"):
        try:
            out = subprocess.run(
                [cand, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            continue
        if out in ("3.10", "3.11"):
            return cand
    sys.exit("golden_geopolrisk: needs Python 3.10 or 3.11 on PATH (geopolrisk-py 2.0.1 requires <3.12)")


def _venv(path: Path) -> Path:
    """Create (once) the separate environment and install the pinned packages into it."""
    py = path / "bin" / "python"
    if not py.is_file():
        subprocess.run([_python(), "-m", "venv", str(path)], check=True)
    subprocess.run(
        [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q", PACKAGE, PANDAS],
        check=True,
    )
    return py


def main(argv: list[str] | None = None) -> int:
    """Build the environment, run ``gprs_calc`` for Japan and write the golden CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "evalkit-golden-geopolrisk")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "golden" / "geopolrisk_jpn.csv")
    args = parser.parse_args(argv)
    py = _venv(args.venv)
    with tempfile.TemporaryDirectory(prefix="geopolrisk-home-") as home:
        env = dict(os.environ, HOME=home, PYTHONWARNINGS="ignore", TQDM_DISABLE="1")
        proc = subprocess.run(
            [str(py), "-c", _CHILD, json.dumps(list(YEARS)), COUNTRY],
            cwd=home,
            env=env,
            capture_output=True,
            text=True,
        )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        return proc.returncode
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    head = lines[0]
    dups = [r for r in lines[1:] if "wgi_code" in r]
    rows = [r for r in lines[1:] if "raw_material" in r]
    versions = head["versions"]
    expected = len(head["materials"]) * len(YEARS)
    if len(rows) != expected:
        sys.stderr.write(f"golden_geopolrisk: {len(rows)} results for {expected} combinations\n")
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(
            f"# geopolrisk-py {versions['geopolrisk-py']} gprs_calc for {COUNTRY}, one call per raw material and "
            f"year {YEARS[0]}-{YEARS[-1]}, its default raw-material list ({len(head['materials'])} materials)\n"
            f"# made by: python3 tools/golden_geopolrisk.py (separate virtualenv: Python {versions['python']}, "
            f"pandas {versions['pandas']}, numpy "
            f"{versions['numpy']}), {dt.date.today().isoformat()}\n"
            "# status no_result: gprs_calc returned no row for that combination; floats are Python repr\n"
        )
        handle.write(",".join(COLUMNS) + "\n")
        for row in rows:
            handle.write(",".join(_cell(row.get(c, "")) for c in COLUMNS) + "\n")
    tmp.replace(args.out)
    dup_out = args.out.with_name(args.out.stem + "_wgi_duplicates.csv")
    with open(dup_out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(
            f"# geopolrisk-py {versions['geopolrisk-py']}: WGI country codes its table lists twice, and the normalised "
            "WGI its SQL look-up took (the first row) per year\n"
            "# made together with geopolrisk_jpn.csv by: python3 tools/golden_geopolrisk.py\n"
            "baci_code,year,wgi\n"
        )
        for row in dups:
            handle.write(f"{row['wgi_code']},{row['year']},{row['wgi']}\n")
    ok = sum(r["status"] == "ok" for r in rows)
    print(f"wrote {args.out} ({len(rows)} rows, {ok} with a result)")
    return 0


def _cell(value) -> str:
    text = str(value)
    return f'"{text}"' if "," in text else text


if __name__ == "__main__":
    raise SystemExit(main())
