"""Struts kept on their styles: the same PDF, and WeasyPrint's lookup asked once per style."""

from __future__ import annotations

import pytest
from handout_helpers import built_both_ways, rich_document


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[bytes, int]]:
    """The rich handout, and how often WeasyPrint worked a strut out: with struts kept, then without."""
    from decks.handout import engine

    engine.load()
    from decks.handout import struts

    return built_both_ways(tmp_path_factory.mktemp("struts"), rich_document(), struts, "_WEASYPRINT_STRUT",
                           replaces="weasyprint.layout.inline")


def test_a_handout_prints_the_same_with_struts_kept_on_their_styles(built):
    (kept, _), (looked_up, _) = built
    assert kept == looked_up


def test_weasyprint_looks_a_strut_up_once_per_style_not_for_every_line_and_box(built):
    (_, kept), (_, looked_up) = built
    assert kept * 3 < looked_up
