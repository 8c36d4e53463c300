"""Render executed notebooks to code-free, offline HTML pages and the index.

nbconvert's ``basic`` template gives the cell bodies without page chrome or
links to any CDN; evalkit wraps them in its own page (title, as-of, banners,
print CSS). Every string from data or parameters reaches the page through
Jinja2 autoescaping or nbconvert's own escaping, never as raw markup.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2
import nbformat
from nbconvert.exporters import HTMLExporter
from traitlets.config import Config

HIDDEN_CELL_TAGS = {"parameters", "injected-parameters", "remove-cell"}


def other_lang_tags(lang: str) -> set[str]:
    """Tags of the cells written for the other edition (``lang-en`` in the Japanese one, ``lang-ja`` in the English).

    A prose markdown cell exists once per language, tagged ``lang-ja`` / ``lang-en``; each edition drops the
    other language's cells, so a page speaks one language (:mod:`evalkit.report.language` checks it).
    """
    from evalkit.i18n import LANGS, check_lang

    check_lang(lang)
    return {f"lang-{other}" for other in LANGS if other != lang}


def _env() -> jinja2.Environment:
    from evalkit.i18n import t

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("evalkit.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default=True),
        keep_trailing_newline=True,
    )
    env.globals["t"] = t
    return env


def css() -> jinja2.utils.markupsafe.Markup:
    """The report's stylesheet (inlined into every page; trusted package text, not escaped)."""
    text = resources.files("evalkit.report").joinpath("templates/style.css").read_text(encoding="utf-8")
    return jinja2.utils.markupsafe.Markup(text)


def notebook_title(nb: nbformat.NotebookNode, fallback: str, lang: str = "ja") -> str:
    """First markdown heading of the notebook in ``lang`` (other-language cells skipped), else ``fallback``."""
    skip = other_lang_tags(lang)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not skip & set(cell.get("metadata", {}).get("tags", [])):
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def render_body(nb: nbformat.NotebookNode, lang: str = "ja") -> str:
    """HTML of the notebook's outputs and markdown, without code or prompts.

    Each shown output gets an anchor and a line naming the evalkit function that computed it
    (:mod:`evalkit.report.provenance`), in ``lang``.
    """
    from evalkit.report.provenance import annotate

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = HIDDEN_CELL_TAGS | other_lang_tags(lang)
    config.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    exporter = HTMLExporter(config=config, template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(annotate(_without_results(nb), lang))
    return body


def _without_results(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Copy of ``nb`` without the outputs of ``record()`` (the index lists them)."""
    from evalkit.report.record import RESULT_MIME

    copy = nbformat.from_dict(nb)
    for cell in copy.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if RESULT_MIME not in o.get("data", {})]
    return copy


def render_page(
    nb: nbformat.NotebookNode, *, notebook: str, as_of_label: str, version: str, banners: list[str], lang: str = "ja"
) -> str:
    """A complete HTML page for one executed notebook."""
    return _with_font(
        _env()
        .get_template("page.html.j2")
        .render(
            title=notebook_title(nb, notebook, lang),
            notebook=notebook,
            as_of_label=as_of_label,
            version=version,
            banners=banners,
            body=jinja2.utils.markupsafe.Markup(render_body(nb, lang)),
            css=css(),
            lang=lang,
            fontface=_FONT_SLOT,
        )
    )


def _shown(value: Any) -> str:
    if value is None:
        return "not available"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def first_chart(nb: nbformat.NotebookNode) -> str | None:
    """Base64 PNG of the first chart a notebook shows (for the index), or None."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                return png.replace("\n", "") if isinstance(png, str) else None
    return None


def render_index(
    *,
    as_of_label: str,
    release: str,
    version: str,
    notebooks: list[dict[str, str]],
    results: list[dict[str, Any]],
    banners: list[str],
    lang: str = "ja",
    thumbs: list[dict[str, str]] | None = None,
    pdf: bool = False,
    editions: str | None = None,
    anchors: dict[str, str] | None = None,
    figures: dict[str, dict[str, str]] | None = None,
    previous: dict[str, Any] | None = None,
) -> str:
    """The landing page: findings, changes since the previous report, notebooks, charts, every result.

    ``editions`` is the sentence on which stable link holds which edition
    (canonical reports only); ``None`` leaves it out. ``anchors`` maps a result
    key to the anchor of the table or chart it comes from
    (:func:`evalkit.report.provenance.result_anchors`) and ``figures`` each
    notebook's functions to the anchor of their first output
    (:func:`evalkit.report.provenance.function_anchors`); the findings
    (:mod:`evalkit.report.findings`) link there. ``previous`` is the earlier
    report of the same edition, ``{"folder", "published", "results"}`` (when it
    was published, UTC, and its results
    keyed by result key, as :func:`evalkit.report.diff.load_results` gives
    them); with it the page lists what changed, without it the section is absent.
    """
    from evalkit.i18n import localise_citation, result_label, unit_label
    from evalkit.report import findings

    rows = [
        dict(
            r,
            shown=_shown(r.get("value")),
            label=result_label(r["key"], lang),
            source=localise_citation(str(r.get("source") or ""), lang),
            unit=unit_label(r["unit"], lang),
        )
        for r in results
    ]
    changes = None
    if previous is not None:
        from evalkit.report.diff import CHANGES, changes_between

        found = changes_between(previous["results"], {r["key"]: r for r in results})
        changes = {
            "folder": previous["folder"],
            "published": previous.get("published") or "—",
            "counts": {kind: str(sum(c.change == kind for c in found)) for kind in CHANGES},
            "rows": [
                {
                    "change": c.change,
                    "key": c.key,
                    "label": result_label(c.key, lang),
                    "old": "—" if c.change == "added" else _shown(c.old_value),
                    "new": "—" if c.change == "removed" else _shown(c.new_value),
                    "unit": _unit_change(c, lang),
                }
                for c in found
            ],
        }
    return _with_font(
        _env()
        .get_template("index.html.j2")
        .render(
            as_of_label=as_of_label,
            release=release,
            version=version,
            notebooks=notebooks,
            results=rows,
            banners=banners,
            css=css(),
            lang=lang,
            thumbs=thumbs or [],
            pdf=pdf,
            editions=editions,
            findings=findings.build(results, lang, anchors, figures),
            changes=changes,
            fontface=_FONT_SLOT,
        )
    )


def _unit_change(change: Any, lang: str) -> str:
    """The unit column of a change: the unit, or ``old -> new`` when it changed."""
    from evalkit.i18n import unit_label

    old = unit_label(change.old_unit, lang) if change.old_unit else ""
    new = unit_label(change.new_unit, lang) if change.new_unit else ""
    if change.change == "removed":
        return old
    if change.change == "changed" and old and old != new:
        return f"{old} → {new}"
    return new


_FONT_SLOT = "/*evalkit-font-face*/"


def _with_font(page: str) -> str:
    """Fill the font slot with the font subset for the page's own characters."""
    from evalkit.report.fonts import font_face_css

    return page.replace(_FONT_SLOT, font_face_css(page), 1)
