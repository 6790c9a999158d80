"""Footnote areas measured with their footnotes' layouts kept: the same PDF, each note laid out once per measure place."""

from __future__ import annotations

import pytest
from handout_helpers import LOREM, built_both_ways, document, heading, para, text

from decks.model import Link


def linked_prose() -> tuple:
    """Paragraphs with five web links each: 60 link notes, more than a page's foot holds, so some move on."""
    paragraphs = []
    for first in range(0, 60, 5):
        links = [part for n in range(first, first + 5)
                 for part in (Link(f"https://example.org/papers/{n}/a-long-address-{n}", text(f"source {n}")), ", ")]
        paragraphs.append(para(LOREM[:160], " See ", *links, "and more."))
    return (heading(2, "Reading"), *paragraphs)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[bytes, int]]:
    """The handout, and how many block layouts WeasyPrint ran: with footnotes' layouts kept, then without."""
    from decks.handout import engine

    engine.load()
    from decks.handout import footnote_areas

    return built_both_ways(tmp_path_factory.mktemp("notes"), document(*linked_prose()), footnote_areas,
                           "_WEASYPRINT_LAYOUT", replaces="weasyprint.layout.block")


def test_a_page_of_link_notes_prints_the_same_with_their_layouts_kept(built):
    (kept, _), (laid_out_again, _) = built
    assert kept == laid_out_again


def test_a_footnote_is_not_laid_out_again_for_each_note_added_after_it(built):
    (_, kept), (_, laid_out_again) = built
    assert kept < 0.6 * laid_out_again

