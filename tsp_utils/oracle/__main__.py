"""``python -m tsp_utils.oracle``: the command line of :mod:`tsp_utils.oracle.cli`."""

import sys

from .cli import main

sys.exit(main())
