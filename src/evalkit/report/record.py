"""``evalkit.report.record``: the headline-figure record, re-exported from :mod:`evalkit.results`.

Notebooks write ``from evalkit.report import record``; the runner gathers
results with :func:`collect`. Both live in :mod:`evalkit.results`, the low-level
module that domain modules import, so that no domain module imports the
runner layer (``evalkit.report``).
"""

from evalkit.results import RESULT_MIME, Result, collect, record

__all__ = ["RESULT_MIME", "Result", "collect", "record"]
