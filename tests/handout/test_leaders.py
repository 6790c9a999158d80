"""Leaders (the contents page's dotted lines): a few boxes of dots each, the dots where WeasyPrint puts them."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from handout_helpers import build, document, heading, prose
from weasyprint.layout import inline

from decks.handout import engine, leaders

engine.load()

ENTRIES = """<html><head><style>
  li {{ width: {width}; font-family: serif; font-size: {size} }}
  a::after {{ content: leader(dotted) " " attr(data-page) }}
</style></head><body><ol>{items}</ol></body></html>"""


def _entries(width: str = "12cm", size: str = "10pt") -> str:
    items = "".join(f'<li><a data-page="{page}">Section {"number " * page}{page}</a></li>' for page in range(1, 9))
    return ENTRIES.format(width=width, size=size, items=items)


def _dots(pdf: bytes | Path) -> list[tuple[float, float]]:
    with pdfplumber.open(pdf if isinstance(pdf, Path) else io.BytesIO(pdf)) as opened:
        return sorted((char["top"], char["x0"]) for page in opened.pages for char in page.chars if char["text"] == ".")


def _leader_boxes(html: str) -> list[int]:
    """How many boxes each leader of ``html`` holds."""
    from weasyprint import HTML

    page, = HTML(string=html).render().pages
    return [len(box.children) for box in page._page_box.descendants() if getattr(box, "is_leader", False)]


@pytest.mark.parametrize(("width", "size"), [("12cm", "10pt"), ("7cm", "8.5pt"), ("16cm", "13pt")])
def test_each_dot_is_where_weasyprint_puts_it_to_within_a_twentieth_of_a_point(monkeypatch, width, size):
    from weasyprint import HTML

    ours = _dots(HTML(string=_entries(width, size)).write_pdf())
    with monkeypatch.context() as patch:
        patch.setattr(inline, "handle_leader", leaders._WEASYPRINT_HANDLE_LEADER)
        theirs = _dots(HTML(string=_entries(width, size)).write_pdf())
    assert len(ours) == len(theirs) > 100
    assert max(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in zip(ours, theirs)) < 0.05


def test_a_leader_holds_a_box_for_every_eight_dots_not_one_for_each(monkeypatch):
    ours = _leader_boxes(_entries())
    with monkeypatch.context() as patch:
        patch.setattr(inline, "handle_leader", leaders._WEASYPRINT_HANDLE_LEADER)
        theirs = _leader_boxes(_entries())
    assert len(ours) == len(theirs) == 8
    assert all(box == -(-dots // 8) for box, dots in zip(ours, theirs))
    assert max(theirs) > 64


def test_dots_not_side_by_side_are_left_as_weasyprint_placed_them():
    dot = 2.5
    assert leaders._side_by_side([SimpleNamespace(position_x=10 + index * dot, width=dot) for index in range(9)])
    assert not leaders._side_by_side([SimpleNamespace(position_x=10 + index * dot * 1.01, width=dot)
                                      for index in range(9)])


def test_the_handouts_contents_page_has_its_dotted_lines(repo: Path, monkeypatch):
    sections = [block for number in range(1, 9) for block in (heading(2, f"Section {number}"), *prose(1))]
    ours = build(repo, document(*sections), name="ours")
    with monkeypatch.context() as patch:
        patch.setattr(inline, "handle_leader", leaders._WEASYPRINT_HANDLE_LEADER)
        theirs = build(repo, document(*sections), name="theirs")
    assert len(_dots(ours.pdf)) == len(_dots(theirs.pdf)) > 8 * 40
