"""Dependence screening of every traded product (EC 2021 / CEPII GeoDep criteria).

Public surface::

    from evalkit.screening import Thresholds, screen, screen_expr

:func:`screen` checks the inputs and runs the screen on DuckDB (embedded,
default) or Spark; :func:`screen_expr` is the engine-neutral ibis expression
it runs. :mod:`evalkit.screening.report` holds the tables the notebook
``60_risk_screening`` shows; :mod:`evalkit.screening.synthetic` generates
SYNTHETIC panels for tests and benchmarks only.
"""

from evalkit.screening.criteria import OUTPUT_SCHEMA, Thresholds, screen_expr
from evalkit.screening.run import Progress, screen, standardise

__all__ = ["OUTPUT_SCHEMA", "Progress", "Thresholds", "screen", "screen_expr", "standardise"]
