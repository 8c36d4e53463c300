"""Embed the Japanese font in each page, subset to the characters it uses.

Report pages must show Japanese on any machine, offline, printed or on a
screen without Japanese fonts. Each page carries an ``@font-face`` whose
source is a ``data:`` URI of IPAexGothic (bundled by ``matplotlib-fontja``,
IPA Font License v1.0) cut down to the characters on that page, typically a
few hundred kilobytes. The reader's own Japanese fonts are still preferred.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

FAMILY = "evalkit-ja"


@lru_cache(maxsize=1)
def font_path() -> Path:
    """Path of the bundled IPAexGothic TrueType file."""
    import matplotlib_fontja

    return Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"


def subset_woff(text: str) -> bytes:
    """IPAexGothic reduced to the characters of ``text``, as WOFF bytes."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(font_path()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    return buf.getvalue()


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule embedding the subset font for ``text`` (empty if no non-ASCII text)."""
    chars = "".join(sorted({ch for ch in text if ord(ch) > 0x7F}))
    if not chars:
        return ""
    data = base64.b64encode(subset_woff(chars)).decode("ascii")
    return (
        f'@font-face {{ font-family: "{FAMILY}"; '
        f'src: local("IPAexGothic"), url("data:font/woff;base64,{data}") format("woff"); }}'
    )
