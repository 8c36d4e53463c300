"""Cross-table identities of the data package.

Each check states one identity the sources themselves assert (for example,
"the per-product counts sum to the stated total") and returns a
:class:`~evalkit.errors.Problem` for every place it fails, naming the line of
the stated figure. Checks skip silently only when the tables they need are
absent; a table that failed its own schema is reported by
:func:`evalkit.data.validate.validate_package`, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

import pandas as pd

from evalkit.data.catalogue import parse_release
from evalkit.errors import Problem

Tables = dict[str, pd.DataFrame]
CHECKS: list[Callable[[Tables], list[Problem]]] = []


def check(func: Callable[[Tables], list[Problem]]) -> Callable[[Tables], list[Problem]]:
    """Register ``func`` as a package identity check."""
    CHECKS.append(func)
    return func


def _line(frame: pd.DataFrame, idx: int) -> int | None:
    lines = frame.attrs.get("lines") or []
    return lines[idx] if 0 <= idx < len(lines) else None


def _statement(tables: Tables, release: str, key: str) -> tuple[str, pd.DataFrame, int] | None:
    name = f"data/raw/cao/{release}/programme_statements.csv"
    frame = tables.get(name)
    if frame is None:
        return None
    hits = frame.index[frame["statement_id"] == key].tolist()
    return (name, frame, hits[0]) if hits else None


def _releases(tables: Tables, stem: str) -> list[str]:
    out = []
    for name in tables:
        path = PurePosixPath(name)
        if path.name == f"{stem}.csv" and len(path.parts) == 5 and path.parts[:3] == ("data", "raw", "cao"):
            out.append(path.parts[3])
    return sorted(out)


def _mismatch(name: str, frame: pd.DataFrame, idx: int, column: str, stated, found, what: str) -> Problem:
    return Problem(
        name,
        _line(frame, idx),
        column,
        f"{stated:g}" if isinstance(stated, float) else str(stated),
        "identity",
        f"stated {stated:g}, but {what} gives {found:g}"
        if isinstance(found, (int, float))
        else f"stated {stated}, but {what} gives {found}",
    )


def _against(tables: Tables, release: str, key: str, found: float, what: str, tolerance: float = 0.0) -> list[Problem]:
    """A problem at the statement ``key`` of ``release`` when ``found`` differs from it."""
    hit = _statement(tables, release, key)
    if hit is None:
        return []
    name, stmts, idx = hit
    stated = float(stmts.at[idx, "value"])
    if abs(stated - found) <= tolerance:
        return []
    return [_mismatch(name, stmts, idx, "value", stated, found, what)]


@check
def approvals_sum_to_total(tables: Tables) -> list[Problem]:
    """Per-product approvals of each release sum to that release's stated total."""
    out = []
    for release in _releases(tables, "approvals_by_product"):
        name = f"data/raw/cao/{release}/approvals_by_product.csv"
        out += _against(
            tables,
            release,
            "plans_approved_total",
            int(tables[name]["plans_approved"].sum()),
            f"the sum of plans_approved in {name}",
        )
    return out


@check
def reporting_subset(tables: Tables) -> list[Problem]:
    """Plans that had to report are a subset of approved plans and sum to the stated 74."""
    out = []
    for release in _releases(tables, "approvals_by_product"):
        name = f"data/raw/cao/{release}/approvals_by_product.csv"
        frame = tables[name]
        if "plans_reporting" not in frame.columns:
            continue
        for idx in frame.index:
            if frame.at[idx, "plans_reporting"] > frame.at[idx, "plans_approved"]:
                out.append(
                    Problem(
                        name,
                        _line(frame, idx),
                        "plans_reporting",
                        str(frame.at[idx, "plans_reporting"]),
                        "identity",
                        f"more plans reporting than approved "
                        f"({frame.at[idx, 'plans_approved']}) for {frame.at[idx, 'product']}",
                    )
                )
        out += _against(
            tables,
            release,
            "reports_required",
            int(frame["plans_reporting"].sum()),
            f"the sum of plans_reporting in {name}",
        )
    return out


@check
def status_table_totals(tables: Tables) -> list[Problem]:
    """The status table sums to the reports required, and its groups to 65/8/1."""
    out = []
    name = "data/raw/cao/2024-03-31/report_status.csv"
    status = tables.get(name)
    if status is None:
        return out
    on_track = status["on_track"].astype(bool)
    infeasible = status["status_code"] == "infeasible"
    groups = {
        "reports_required": (int(status["plans"].sum()), "the sum of all statuses"),
        "reports_on_track": (int(status.loc[on_track, "plans"].sum()), "the sum of statuses with on_track=true"),
        "reports_delayed": (
            int(status.loc[~on_track & ~infeasible, "plans"].sum()),
            "the sum of delayed statuses (on_track=false, not infeasible)",
        ),
        "reports_infeasible": (int(status.loc[infeasible, "plans"].sum()), "the infeasible status"),
    }
    for key, (found, what) in groups.items():
        out += _against(tables, "2024-10-31", key, found, f"{what} in {name}")
    return out


@check
def products_known(tables: Tables) -> list[Problem]:
    """Every product slug used anywhere is in the registry, and each per-product table covers all 12."""
    registry = tables.get("data/reference/products.csv")
    if registry is None:
        return []
    known = set(registry["product"])
    out = []
    for name, frame in tables.items():
        if name == "data/reference/products.csv" or "product" not in frame.columns:
            continue
        for idx, value in frame["product"].items():
            if value is not None and value not in known and value != "all":
                out.append(
                    Problem(
                        name,
                        _line(frame, idx),
                        "product",
                        str(value),
                        "registry:product",
                        "not a product slug in data/reference/products.csv",
                    )
                )
        if PurePosixPath(name).name == "approvals_by_product.csv":
            missing = sorted(known - set(frame["product"]))
            if missing:
                out.append(
                    Problem(
                        name,
                        None,
                        "product",
                        ",".join(missing),
                        "registry:coverage",
                        "these products have no row; every product needs one (0 if none)",
                    )
                )
    return out


@check
def targets_known(tables: Tables) -> list[Problem]:
    """Every progress level refers to a target in the registry, in the target's own unit where one is set."""
    targets = tables.get("data/reference/targets.csv")
    if targets is None:
        return []
    units = dict(zip(targets["target_id"], targets["unit"]))
    out = []
    for name, frame in tables.items():
        if PurePosixPath(name).name != "target_progress.csv":
            continue
        for idx in frame.index:
            tid = frame.at[idx, "target_id"]
            if tid not in units:
                out.append(
                    Problem(
                        name,
                        _line(frame, idx),
                        "target_id",
                        str(tid),
                        "registry:target",
                        "not a target_id in data/reference/targets.csv",
                    )
                )
    return out


def _compiled(tables: Tables, stem: str) -> tuple[str, pd.DataFrame] | None:
    for name in sorted(tables, reverse=True):
        path = PurePosixPath(name)
        if path.name == f"{stem}.csv" and len(path.parts) == 5 and path.parts[3].startswith("compiled-"):
            return name, tables[name]
    return None


@check
def fund_vintages_reconcile(tables: Tables) -> list[Problem]:
    """Budget rows flagged for the reconciliation sum to the fund total on slide A (a derived check)."""
    hit = _compiled(tables, "fund_budget")
    if hit is None:
        return []
    name, frame = hit
    flagged = frame["in_fund_total_reconciliation"].fillna(False).astype(bool)
    return _against(
        tables,
        "undated-after-2024-10-31",
        "fund_total_oku_yen",
        float(frame.loc[flagged, "amount_oku_yen"].sum()),
        f"the sum of amount_oku_yen over rows with in_fund_total_reconciliation=true in {name}",
        tolerance=0.5,
    )


@check
def plan_count_series_agrees(tables: Tables) -> list[Problem]:
    """The compiled cumulative-count series repeats the deck's 106 and 123 exactly."""
    hit = _compiled(tables, "plan_count_snapshots")
    if hit is None:
        return []
    name, frame = hit
    out = []
    for release, column in (("2024-10-31", "date"), ("undated-after-2024-10-31", "date_lower")):
        stated = _statement(tables, release, "plans_approved_total")
        if stated is None:
            continue
        sname, stmts, sidx = stated
        value = int(stmts.at[sidx, "value"])
        rows = frame.index[(frame[column] == "2024-10-31") & (frame["plans_cumulative"] == value)].tolist()
        if not rows:
            out.append(
                Problem(
                    name,
                    None,
                    "plans_cumulative",
                    str(value),
                    "identity",
                    f"no snapshot repeats the {value} plans stated in {sname}",
                )
            )
    return out


@check
def no_unit_slips_between_releases(tables: Tables) -> list[Problem]:
    """Consecutive dated releases of the same table keep their scale (a 1000× jump is a unit slip).

    For every numeric column two releases share, the median ratio of matched,
    non-zero values must lie within [1/100, 100]; a file delivered in 円
    instead of 千円 (or 件 multiplied by mistake) breaks it.
    """
    groups: dict[tuple[str, str], list[tuple[object, str]]] = {}
    for name in tables:
        path = PurePosixPath(name)
        if len(path.parts) == 5 and path.parts[1] == "raw":
            rel = parse_release(path.parts[3])
            if rel is not None and rel.compiled is None:
                groups.setdefault((path.parts[2], path.name), []).append((rel, name))
    out = []
    for (_, _), items in groups.items():
        items.sort()
        for (_, old_name), (_, new_name) in zip(items, items[1:]):
            old, new = tables[old_name], tables[new_name]
            key = old.columns[0]
            if key not in new.columns:
                continue
            merged = old.merge(new, on=key, suffixes=("_old", "_new"))
            for col in old.columns[1:]:
                if col not in new.columns or not pd.api.types.is_numeric_dtype(old[col]):
                    continue
                a = pd.to_numeric(merged[f"{col}_old"], errors="coerce").astype(float)
                b = pd.to_numeric(merged[f"{col}_new"], errors="coerce").astype(float)
                mask = (a > 0) & (b > 0)
                if mask.sum() < 3:
                    continue
                ratio = float((b[mask] / a[mask]).median())
                if not 0.01 <= ratio <= 100:
                    out.append(
                        Problem(
                            new_name,
                            None,
                            col,
                            f"median ratio {ratio:g}",
                            "vintage:scale",
                            f"values are {ratio:g}× those of {old_name}: a unit slip (円 vs 千円)?",
                        )
                    )
    return out


@check
def hs_map_consistent(tables: Tables) -> list[Problem]:
    """``hs_map``: every named item is mapped, items exist, and hs6 is empty exactly when there is no HS equivalent."""
    name = "data/reference/hs_map.csv"
    hs_map, items = tables.get(name), tables.get("data/reference/product_items.csv")
    if hs_map is None or items is None:
        return []
    out = []
    known = set(zip(items["product"], items["item_no"].astype(int)))
    for idx, row in hs_map.iterrows():
        key = (row["product"], int(row["item_no"]))
        if key not in known:
            out.append(
                Problem(
                    name,
                    _line(hs_map, idx),
                    "product,item_no",
                    f"{key[0]},{key[1]}",
                    "identity",
                    "no such item in data/reference/product_items.csv",
                )
            )
        empty = pd.isna(row["hs6"]) or row["hs6"] == ""
        if bool(row["no_hs_equivalent"]) != empty:
            out.append(
                Problem(
                    name,
                    _line(hs_map, idx),
                    "hs6",
                    str(row["hs6"]),
                    "identity",
                    "hs6 must be empty exactly when no_hs_equivalent is true",
                )
            )
    mapped = set(zip(hs_map["product"], hs_map["item_no"].astype(int)))
    for product, item in sorted(known - mapped):
        out.append(
            Problem(
                name,
                None,
                "product,item_no",
                f"{product},{item}",
                "identity",
                "item of product_items.csv has no row (map it or state no_hs_equivalent)",
            )
        )
    return out


@check
def concordance_traces_every_code(tables: Tables) -> list[Problem]:
    """``hs_concordance``: every HS 2022 code of ``hs_map`` is traced to HS 1992 and HS 2017, and nothing else is."""
    name = "data/reference/hs_concordance.csv"
    conc, hs_map = tables.get(name), tables.get("data/reference/hs_map.csv")
    if conc is None or hs_map is None:
        return []
    out = []
    coded = hs_map[~hs_map["no_hs_equivalent"].astype(bool)]
    wanted = set(zip(coded["product"], coded["item_no"].astype(int), coded["hs6"]))
    for idx, row in conc.iterrows():
        key = (row["product"], int(row["item_no"]), row["hs22"])
        if key not in wanted:
            out.append(
                Problem(
                    name,
                    _line(conc, idx),
                    "product,item_no,hs22",
                    ",".join(map(str, key)),
                    "identity",
                    "no such item and HS 2022 code in data/reference/hs_map.csv",
                )
            )
        empty = pd.isna(row["hs6"]) or row["hs6"] == ""
        if empty != (row["relation"] == "no_counterpart"):
            out.append(
                Problem(
                    name,
                    _line(conc, idx),
                    "hs6",
                    str(row["hs6"]),
                    "identity",
                    "hs6 must be empty exactly when relation is no_counterpart",
                )
            )
    traced = set(zip(conc["product"], conc["item_no"].astype(int), conc["hs22"], conc["revision"]))
    for product, item_no, hs22 in sorted(wanted):
        for revision in ("HS92", "HS17"):
            if (product, item_no, hs22, revision) not in traced:
                out.append(
                    Problem(
                        name,
                        None,
                        "product,item_no,hs22,revision",
                        f"{product},{item_no},{hs22},{revision}",
                        "identity",
                        "HS 2022 code of hs_map.csv not traced to this revision (add its counterparts or a "
                        "no_counterpart row)",
                    )
                )
    return out


@check
def item_slugs_unique(tables: Tables) -> list[Problem]:
    """``product_items``: an item slug names one item of all products (results keys are built from it alone)."""
    name = "data/reference/product_items.csv"
    items = tables.get(name)
    if items is None or "item" not in items.columns:
        return []
    out = []
    first: dict[str, tuple[str, int]] = {}
    for idx, row in items.iterrows():
        key = row["item"]
        if key in first:
            product, item_no = first[key]
            out.append(
                Problem(
                    name,
                    _line(items, idx),
                    "item",
                    str(row["item"]),
                    "identity",
                    f"item slug also used by item_no {item_no} of {product}; slugs must be unique across products "
                    "(dependence_change.<item>_<year> keys name the item without its product)",
                )
            )
        else:
            first[key] = (row["product"], int(row["item_no"]))
    return out


@check
def headline_rows_exist(tables: Tables) -> list[Problem]:
    """``headline_results``: every row points at a row of the newest compiled table it names."""
    name = "data/reference/headline_results.csv"
    heads = tables.get(name)
    if heads is None:
        return []
    out = []
    for idx, row in heads.iterrows():
        found = _compiled(tables, str(row["table"]).split("/")[-1])
        if found is None or row["row_id"] not in set(found[1]["row_id"]):
            where = found[0] if found else f"a compiled {row['table']} table"
            out.append(
                Problem(name, _line(heads, idx), "row_id", str(row["row_id"]), "identity", f"no such row in {where}")
            )
    return out


@check
def wgi_normalized_is_the_rescaled_estimate(tables: Tables) -> list[Problem]:
    """The fetched WGI 'normalized' column is clip((2.5 - estimate) / 5, 0, 1) wherever an estimate exists."""
    out = []
    for name, frame in tables.items():
        if PurePosixPath(name).name != "wgi_political_stability.csv" or "normalized" not in frame.columns:
            continue
        known = frame["estimate"].notna() & frame["normalized"].notna()
        expected = ((2.5 - frame["estimate"]) / 5).clip(0, 1)
        bad = known & ((frame["normalized"] - expected).abs() > 1e-6)
        for idx in frame.index[bad]:
            out.append(
                Problem(
                    name,
                    _line(frame, idx),
                    "normalized",
                    f"{frame.at[idx, 'normalized']:g}",
                    "identity",
                    f"expected clip((2.5 - estimate) / 5, 0, 1) = {expected[idx]:g} for estimate "
                    f"{frame.at[idx, 'estimate']:g}",
                )
            )
    return out
