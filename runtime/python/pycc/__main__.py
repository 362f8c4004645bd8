"""`python -m pycc ...`: the same command line as the `pycc` console script."""

import sys

from .cli import main

sys.exit(main())
