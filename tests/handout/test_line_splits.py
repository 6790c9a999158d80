"""Lines split once per layout: the same PDF as WeasyPrint splitting every time, with fewer splits."""

from __future__ import annotations

from pathlib import Path

import pytest
from handout_helpers import build, document, heading, para, prose, rich_document, text
from weasyprint.layout import inline, preferred

from decks.handout import line_splits
from decks.model import Document, Footnote, FootnoteRef, Link, Table

# A page of link addresses (each a footnote: WeasyPrint lays the page's footnote area out again for each),
# a table (measured narrowest and widest, then laid out), a footnote, and paragraphs that repeat.
NOTED = (
    heading(1, "Reading list"),
    *(para(f"Source {i}: ", Link(f"https://example.org/reading/{i}/a-rather-long-address-{i}", text(f"text {i}")),
           ".") for i in range(14)),
    para("A claim with a footnote", FootnoteRef("why"), "."),
    Table((text("Model"), text("Characteristics")),
          tuple((text(f"Model {i}"), text("encoder-decoder, internationalised")) for i in range(8)), ("", "")),
    *prose(6),
)


def _noted() -> Document:
    return document(*NOTED, footnotes=(Footnote("why", (para("Because the notes say so."),)),))


def _weasyprint_splits_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(line_splits, "install", lambda: None)
    for module in (inline, preferred):
        monkeypatch.setattr(module, "split_first_line", line_splits._WEASYPRINT_SPLIT)


@pytest.mark.parametrize("make", [_noted, rich_document], ids=["notes, table, repeats", "rich document"])
def test_a_handout_gives_the_same_pdf_bytes_as_weasyprint_splitting_every_line_itself(repo: Path, monkeypatch, make):
    ours = build(repo, make(), name="ours")
    with monkeypatch.context() as patch:
        _weasyprint_splits_every_time(patch)
        theirs = build(repo, make(), name="theirs")
    assert inline.split_first_line is line_splits.split_first_line
    assert ours.diagnostics == theirs.diagnostics
    assert ours.pdf.read_bytes() == theirs.pdf.read_bytes()


def test_a_line_met_again_in_the_same_layout_is_not_split_again(repo: Path, monkeypatch):
    splits: list[tuple] = []

    def counted(*args, **flags):
        splits.append(args[:2])
        return _WEASYPRINT(*args, **flags)

    _WEASYPRINT = line_splits._WEASYPRINT_SPLIT
    monkeypatch.setattr(line_splits, "_WEASYPRINT_SPLIT", counted)
    build(repo, _noted(), name="ours")
    ours = len(splits)
    splits.clear()
    with monkeypatch.context() as patch:
        _weasyprint_splits_every_time(patch)
        for module in (inline, preferred):
            patch.setattr(module, "split_first_line", counted)
        build(repo, _noted(), name="theirs")
    assert ours < 0.8 * len(splits)


def test_no_two_text_boxes_share_a_layout_object(repo: Path):
    html = build(repo, _noted()).html.read_text(encoding="utf-8")  # loads WeasyPrint as handouts have it
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    pages = HTML(string=html, base_url=str(repo)).render().pages
    layouts = [box.pango_layout for page in pages for box in page._page_box.descendants()
               if isinstance(box, boxes.TextBox)]
    assert len(layouts) > 100
    assert len({id(layout) for layout in layouts}) == len(layouts)
