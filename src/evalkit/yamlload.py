"""YAML read with libyaml's C parser when PyYAML has it: the one YAML reader of evalkit.

Sidecars, the translation table and the fetched tables' provenance are YAML; a report reads each of them
several times (every ``evalkit report`` validates the 31 sidecars before it runs, and each notebook kernel
reads them again). PyYAML's pure-Python parser took about a second of that per process; ``CSafeLoader`` builds
the same safe types (no arbitrary objects) about ten times faster. PyYAML wheels on PyPI ship libyaml, so the
fallback to ``SafeLoader`` is for a PyYAML built without it.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``text`` parsed as YAML into plain Python values (dict, list, str, int, float, bool, None, date).

    Raises
    ------
    yaml.YAMLError
        The text is not valid YAML (the error carries the line and column).
    """
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (C or Python), never yaml.Loader
