"""evalkit: reproducible quantitative evaluation of Japan's supply-chain-resilience programme.

Modules hold one concept each: :mod:`evalkit.data` (data package),
:mod:`evalkit.programme` (designations and approvals), :mod:`evalkit.plotting`
(house style), :mod:`evalkit.report` (``record()``, runner, HTML, manifest),
:mod:`evalkit.cli` (command line).
"""

__version__ = "0.1.0"
