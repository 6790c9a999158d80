"""Text laid out from shared Pango parts: the same PDF as WeasyPrint's own layout set-up, from a handful of parts."""

from __future__ import annotations

from pathlib import Path

import pytest
from handout_helpers import build, document, heading, para, prose, rich_document, text
from weasyprint.text import line_break

from decks.handout import text_layouts
from decks.model import Code, Emphasis, Link, RawInline, Strikethrough, Strong, Table

# Every branch of the set-up: languages (and none; Serbian has letters of its own), right-to-left text, underlines and strike-throughs
# (the font's metrics), small caps and other OpenType features, letter spacing, hyphenated table cells.
MIXED = (
    heading(1, "Text of every kind"),
    para("Plain, ", Strong(text("strong")), ", ", Emphasis(text("emphasised")), ", ", Strikethrough(text("struck")),
         ", ", Code("code()"), " and ", Link("https://example.org/", text("a link")), "."),
    para(RawInline('<span lang="de">Donaudampfschifffahrtsgesellschaftskapitän</span> '),
         RawInline('<span lang="fr">anticonstitutionnellement</span> '),
         RawInline('<span lang="sr">бгдпт</span> '),
         RawInline('<span dir="rtl" lang="ar">مرحبا, world 2024!</span> '), RawInline("<u>underlined</u> "),
         RawInline("<ins>inserted</ins> "), RawInline("<del>deleted</del> "), RawInline("<small>small</small> "),
         RawInline("<sub>2</sub> "), RawInline("<kbd>Ctrl</kbd>")),
    Table((text("Column"), text("Another")),
          tuple((text(f"internationalisation {i}"), text("characteristically incomprehensible")) for i in range(6)),
          ("", "")),
    *prose(3),
)


def _weasyprint_sets_up_layouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_layouts, "install", lambda: None)
    monkeypatch.setattr(line_break.Layout, "setup", text_layouts._WEASYPRINT_SETUP)


@pytest.mark.parametrize(("blocks", "theme"), [
    (MIXED, {"body_font": "'DejaVu Serif'"}),  # a face with Serbian forms of its own
    (rich_document().blocks, {}),
], ids=["mixed text", "rich document"])
def test_text_gives_the_same_pdf_bytes_as_weasyprints_own_layout_setup(repo: Path, monkeypatch, blocks, theme):
    ours = build(repo, document(*blocks), name="ours", **theme)
    with monkeypatch.context() as patch:
        _weasyprint_sets_up_layouts(patch)
        theirs = build(repo, document(*blocks), name="theirs", **theme)
    assert line_break.Layout.setup is text_layouts.setup
    assert ours.diagnostics == theirs.diagnostics
    assert ours.pdf.read_bytes() == theirs.pdf.read_bytes()


def test_a_handouts_hundreds_of_layouts_share_a_few_contexts_and_font_descriptions(repo: Path, monkeypatch):
    made = []
    monkeypatch.setattr(text_layouts, "_new_context", _counting(text_layouts._new_context, made))
    monkeypatch.setattr(text_layouts, "_PARTS", type(text_layouts._PARTS)())
    setups = []
    counted = _counting(text_layouts.setup, setups)
    monkeypatch.setattr(line_break.Layout, "setup", counted)
    monkeypatch.setattr(text_layouts, "install", lambda: None)  # loading WeasyPrint keeps the counted set-up
    build(repo, document(*MIXED, *prose(20)))
    (parts,) = text_layouts._PARTS.values()
    assert len(setups) > 500
    assert len(made) == len(parts.contexts) <= 5  # English, German, French, Arabic right to left, and none
    assert len(parts.descriptions) < 40


def test_a_style_value_that_cannot_be_hashed_is_made_each_time_not_kept():
    table: dict[tuple, object] = {}
    made = []
    assert text_layouts._kept(table, (["a list"],), lambda: made.append(1) or "made") == "made"
    assert text_layouts._kept(table, (["a list"],), lambda: made.append(1) or "made") == "made"
    assert made == [1, 1] and table == {}
    assert text_layouts._kept(table, ("kept",), lambda: "first") == "first"
    assert text_layouts._kept(table, ("kept",), lambda: "second") == "first"


def _counting(function, calls: list):
    def counted(*args):
        calls.append(args)
        return function(*args)
    return counted
