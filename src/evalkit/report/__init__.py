"""Reports: the runner, HTML and manifest for the CLI; ``record()`` re-exported for notebooks.

``record``, ``Result`` and ``RESULT_MIME`` are defined in :mod:`evalkit.results`
(domain modules import them from there, never from this package). They are
taken through the submodule :mod:`evalkit.report.record` so that the name
``evalkit.report.record`` stays bound to the function once that submodule is
loaded.
"""

from evalkit.report.record import RESULT_MIME, Result, record

__all__ = ["RESULT_MIME", "Result", "record"]
