"""List markers sized once per kind of item and marker text: the same PDF, far fewer measures."""

from __future__ import annotations

from pathlib import Path

import pytest
from handout_helpers import built_both_ways, document, heading, para

from decks.model import ListBlock, ListItem, Quote


def lists() -> tuple:
    """Bullets nested three deep, numbers from 1 to 12 (their widths differ), one starting at 98, tasks, and
    numbers in a quote, whose items the test's stylesheet sets larger: the same marker text, wider."""
    nested = ListBlock((ListItem((para("deepest"),)),) * 3)
    middle = ListBlock((ListItem((para("middle"), nested)),) * 3)
    return (
        heading(2, "Lists"),
        ListBlock(tuple(ListItem((para(f"bullet {n}"), middle)) for n in range(4))),
        ListBlock(tuple(ListItem((para(f"step {n}"),)) for n in range(12)), ordered=True),
        ListBlock(tuple(ListItem((para(f"late {n}"),)) for n in range(4)), ordered=True, start=98),
        ListBlock((ListItem((para("done"),), checked=True), ListItem((para("to do"),), checked=False))),
        Quote((ListBlock(tuple(ListItem((para(f"quoted {n}"),)) for n in range(3)), ordered=True),)),
    )


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[bytes, int]]:
    """The lists' handout and how many boxes WeasyPrint sized to fit: with marker widths kept, then without."""
    from decks.handout import engine

    engine.load()
    from decks.handout import marker_widths

    def quote_items_larger(repo: Path) -> None:
        with (repo / "themes" / "default" / "handout.css").open("a", encoding="utf-8") as stylesheet:
            stylesheet.write("\nblockquote li { font-size: 16pt; }\n")

    return built_both_ways(tmp_path_factory.mktemp("lists"), document(*lists()), marker_widths,
                           "_WEASYPRINT_SHRINK_TO_FIT", replaces="weasyprint.layout.absolute",
                           prepare=quote_items_larger)


def test_lists_print_the_same_with_marker_widths_kept(measured):
    (kept, _), (measured_each_time, _) = measured
    assert kept == measured_each_time


def test_a_marker_is_measured_once_per_kind_of_item_and_text_not_for_every_item(measured):
    (_, kept), (_, each_time) = measured
    assert each_time >= 4 + 4 * 3 + 4 * 3 * 3 + 12 + 4 + 2 + 3  # every item's marker
    assert kept <= 3 + 12 + 4 + 2 + 3  # one per bullet depth, number (in or out of the quote) and task box

