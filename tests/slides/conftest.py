"""Shared fixtures for the deck tests: the repository's default theme and a deck writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.presentation import Presentation as PresentationObject

from decks.errors import Diagnostic
from decks.model import Document
from decks.slides.render import write_deck
from decks.themes import Theme, load_theme

REPO = Path(__file__).parents[2]
TIMESTAMP = 1_700_000_000

Written = tuple[PresentationObject, list[Diagnostic], Path]


@pytest.fixture(scope="session")
def theme() -> Theme:
    return load_theme("default", REPO / "themes")


@pytest.fixture
def write(tmp_path: Path, theme: Theme) -> Callable[[Document], Written]:
    """Write a document as a deck in tmp_path; hand back the reopened deck, the diagnostics and the path."""
    counter = iter(range(1000))

    def written(document: Document) -> Written:
        out = tmp_path / f"deck{next(counter)}.pptx"
        diagnostics = write_deck(document, theme, out, repo_root=REPO, timestamp=TIMESTAMP)
        return Presentation(str(out)), diagnostics, out

    return written
