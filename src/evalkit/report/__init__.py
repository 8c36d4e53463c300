"""Reports: ``record()`` for notebooks; the runner, HTML and manifest for the CLI."""

from evalkit.report.record import RESULT_MIME, Result, record

__all__ = ["RESULT_MIME", "Result", "record"]
