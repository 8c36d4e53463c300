"""``evalkit ingest``: validate a user's trade download and write it normalised, with a sidecar.

The written ``trade.csv`` (columns: :data:`evalkit.data.trade.COLUMNS`) gets a
sidecar recording the download's sha256, the row count, units, the source
and the date accessed, so it enters the data package like any other file and
:func:`evalkit.data.read_table` can read it.
"""

from __future__ import annotations

from pathlib import Path

from evalkit.data import trade
from evalkit.data.baci import panel, read_panel
from evalkit.data.comtrade import read_comtrade
from evalkit.data.customs import read_customs
from evalkit.errors import MissingInputError, UsageError
from evalkit.paths import data_dir

SOURCES = {
    "customs": {
        "producer": "Japan Customs (財務省関税局), Trade Statistics of Japan",
        "title": "Japan Customs 品別国別表 (commodity by country), normalised",
        "url": "https://www.customs.go.jp/toukei/info/index_e.htm",
        "licence": {
            "name": "政府標準利用規約 2.0 (compatible with CC BY 4.0)",
            "url": "https://www.customs.go.jp/toukei/info/index_e.htm",
        },
        "note": "Values in JPY thousand (千円); partner = customs country code, ISO alpha-3 where the shipped "
        "table (data/reference/customs_country_codes.csv) has it.",
    },
    "baci": {
        "producer": "CEPII, BACI",
        "title": "CEPII BACI bilateral trade (HS6), normalised",
        "url": "http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
        "licence": {
            "name": "Etalab Open Licence 2.0",
            "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
        },
        "note": "Values in USD thousand, quantities in tonnes; reporter = importer (j), partner = exporter (i).",
    },
    "comtrade": {
        "producer": "United Nations, UN Comtrade",
        "title": "UN Comtrade trade flows, normalised",
        "url": "https://comtradeplus.un.org/",
        "licence": {
            "name": "UN Comtrade terms of use: do not redistribute; keep this file local",
            "url": "https://uncomtrade.org/docs/policy-on-use-of-data/",
        },
        "note": "Values in USD; quantities in tonnes from netWgt; World and other aggregates flagged.",
    },
}


def load(
    source: str,
    path: Path,
    *,
    country_codes: Path | None = None,
    importer: str | None = None,
    hs: list[str] | None = None,
):
    """Read ``path`` with the loader of ``source`` (``customs``, ``baci`` or ``comtrade``).

    A BACI ``path`` may also be a folder of yearly ``BACI_HSxx_Yyyyy_V*.csv`` files (or a Parquet panel) with
    ``country_codes_*.csv`` beside them (:func:`evalkit.data.baci.panel`); ``importer`` is an ISO alpha-3 code
    in any case, a BACI numeric code or ``all`` (default Japan).
    """
    path = Path(path)
    if source == "baci":
        imp = (importer or ("JPN" if country_codes or panel(path).country_codes else "392")).strip()
        return read_panel(path, importer=None if imp.lower() == "all" else imp, hs=hs, country_codes=country_codes)
    if not path.is_file():
        raise MissingInputError(f"{path}: file not found")
    if source == "customs":
        frame = read_customs(path)
    elif source == "comtrade":
        frame = read_comtrade(path)
    else:
        raise UsageError(f"unknown source {source!r}; expected one of {sorted(SOURCES)}")
    if hs:
        frame = frame[frame["hs"].str.startswith(tuple(hs))]
    return frame


def ingest(source: str, path: Path, out: Path | None = None, **kwargs) -> Path:
    """Validate and write a download; return the written CSV.

    Parameters
    ----------
    source : str
        ``customs``, ``baci`` or ``comtrade``.
    path : pathlib.Path
        The user's download.
    out : pathlib.Path, optional
        Output folder (default ``data/ingested/<source>-<first 12 hex of sha256>/``).
    **kwargs
        Passed to :func:`load` (``country_codes``, ``importer``, ``hs``).

    Raises
    ------
    DataValidationError
        With every problem found (file, line, column, value).
    """
    frame = load(source, path, **kwargs)
    spec = SOURCES[source]
    digest, _ = trade.download_digest(Path(path))
    out = Path(out) if out else data_dir() / "ingested" / f"{source}-{digest[:12]}"
    return trade.write_normalised(
        frame,
        out,
        source_file=Path(path),
        producer=spec["producer"],
        title=spec["title"],
        url=spec["url"],
        licence=spec["licence"],
        extra_note=spec["note"],
    )
