"""``python -m factdesk``: the same as the ``factdesk`` command."""

import sys

from factdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
