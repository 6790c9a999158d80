"""``python -m decks``: the same as the ``decks`` command."""

import sys

from decks.cli import main

sys.exit(main())
