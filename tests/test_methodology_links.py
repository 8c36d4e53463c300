"""docs/methodology.md is the project's methodology page: every link to it lands on a heading, and nothing in
the project points to notes that live outside it."""

from __future__ import annotations

import re

from tests.conftest import ROOT

PAGE = ROOT / "docs/methodology.md"
#: Where references may be written: code, tests, notebooks, data sidecars, docs and build files.
SCANNED = ("src", "tests", "notebooks", "data/raw", "data/reference", "docs", "tools", "benchmarks")
TOP_FILES = ("README.md", "Makefile", "pyproject.toml", "environment.yml")
SUFFIXES = {".py", ".ipynb", ".md", ".yaml", ".yml", ".csv", ".toml", ".cfg", ".j2", ".txt", ""}
LINK = re.compile(r"docs/methodology\.md#([A-Za-z0-9_-]+)")
# Notes kept outside the project (the research folder, the design note, section numbers of the old notes),
# written in pieces so that this file does not match itself.
OUTSIDE = re.compile(
    "|".join([r"research" + "/", r"methodology" + r" §", r"DESIGN" + r"\.md", r"(?<!docs/)methodology\.md"])
)


def _anchors(text: str) -> set[str]:
    """GitHub-style anchors of the page's headings (lowercase, punctuation dropped, spaces as hyphens)."""
    out = set()
    for line in text.splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*$", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
            out.add(slug)
    return out


def _files():
    for name in TOP_FILES:
        if (ROOT / name).is_file():
            yield ROOT / name
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and ".ipynb_checkpoints" not in path.parts:
                yield path


def test_every_link_to_the_methodology_page_lands_on_a_heading():
    anchors = _anchors(PAGE.read_text(encoding="utf-8"))
    assert {"screening-criteria", "guideline-ratios", "spending-ratios", "targets-and-the-rag-rule"} <= anchors
    broken = []
    seen = 0
    for path in _files():
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for anchor in LINK.findall(line):
                seen += 1
                if anchor not in anchors:
                    broken.append(f"{path.relative_to(ROOT)}:{n}: #{anchor}")
    assert seen >= 10, "the package's docstrings and captions link to the page"
    assert not broken, "links to missing headings of docs/methodology.md:\n" + "\n".join(broken)


def test_nothing_points_to_notes_outside_the_project():
    found = []
    for path in _files():
        if path == PAGE:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not found, "cite docs/methodology.md#<anchor> or the public source instead:\n" + "\n".join(found)


def test_the_checks_catch_what_they_look_for():
    assert _anchors("## Targets and the RAG rule\n### Wilson intervals") == {
        "targets-and-the-rag-rule",
        "wilson-intervals",
    }
    assert OUTSIDE.search("see research" + "/notes.md")
    assert OUTSIDE.search("notebook rules (DESIGN" + ".md)")
    assert OUTSIDE.search("(methodology" + " §1)")
    assert OUTSIDE.search("see " + "methodology" + ".md")
    assert not OUTSIDE.search("docs/methodology.md#spending-ratios")
