"""``python -m evalkit`` = the ``evalkit`` command."""

import sys

from evalkit.cli import main

sys.exit(main())
