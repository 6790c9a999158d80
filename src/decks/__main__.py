"""``python -m decks``: the same as the ``decks`` command."""

from decks.cli import run

run()
