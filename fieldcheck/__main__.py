"""`python -m fieldcheck`."""

import sys

from fieldcheck.cli import main

sys.exit(main())
