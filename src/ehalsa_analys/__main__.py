"""``python -m ehalsa_analys`` is the ``ehalsa`` command."""

import sys

from .cli import main

sys.exit(main())
