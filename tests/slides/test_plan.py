"""The plan: model in, placed and fitted slides out, measured with the real fonts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from decks.errors import Diagnostic
from decks.model import Block, CodeBlock, Document, Figure, Heading, Image, Meta, Notes, Paragraph, Table, Text
from decks.slides.metrics import RealMeasure
from decks.slides.outline import outline
from decks.slides.plan import plan_deck
from decks.slides.shapes import Box, DeckPlan, Group, Picture, Shape, SlidePlan, TableShape, TextShape
from decks.themes import Theme

from .conftest import REPO
from .documents import LOREM, bullets, crowded, every_construct, item, para, t

SOURCE = "tests/fixtures/decks/overview.md"


@pytest.fixture(scope="module")
def measure(theme: Theme) -> RealMeasure:
    fonts = theme.values["fonts"]
    return RealMeasure((fonts["heading"], fonts["body"], fonts["code"]), SOURCE, REPO,
                       math_font=theme.section("deck")["math_font"], math_colour=theme.colour("text"))


@pytest.fixture
def plan(theme: Theme, measure: RealMeasure) -> Callable[[Document], tuple[DeckPlan, list[Diagnostic]]]:
    def planned(document: Document) -> tuple[DeckPlan, list[Diagnostic]]:
        return plan_deck(outline(document), theme, measure, meta=document.meta, footnotes=document.footnotes,
                         source=document.source or SOURCE)

    return planned


def title(slide: SlidePlan) -> str:
    return "".join(run.text for para in slide.title.paras for run in para.runs) if slide.title else ""


def named(slide: SlidePlan, name: str) -> list[TextShape]:
    return [shape for shape in slide.shapes if isinstance(shape, TextShape) and shape.name == name]


def part(deck: DeckPlan, heading: str) -> list[SlidePlan]:
    """The slides of one heading: the first and its continuations."""
    return [slide for slide in deck.slides if title(slide) in (heading, f"{heading} (cont.)")]


def texts(slide: SlidePlan) -> list[str]:
    return ["".join(run.text for run in para.runs) for shape in named(slide, "Text") for para in shape.paras]


def page(*blocks: Block, title_text: str = "Slide") -> Document:
    return Document(Meta(title="Deck"), (Heading(2, t(title_text), 1), *blocks), source=SOURCE)


def test_content_too_long_continues_on_slides_with_the_same_title_and_the_continuation_marker(plan):
    deck, _ = plan(crowded())
    assert [title(slide) for slide in deck.slides] == [
        "Crowded",
        "A very long title that keeps going well past the width of one line on a slide",
        "A very long title that keeps going well past the width of one line on a slide (cont.)",
        "A long listing",
        "A long listing (cont.)",
        "A long listing (cont.)",
        "A tall table",
        "A tall table (cont.)",
        "A tall table (cont.)",
        "One huge paragraph",
        "One huge paragraph (cont.)",
        "One huge paragraph (cont.)",
        "Numbered across slides",
        "Numbered across slides (cont.)",
        "Sub-headings never end a slide",
        "Sub-headings never end a slide (cont.)",
    ]


def test_a_list_splits_between_items_and_keeps_every_item(plan):
    deck, _ = plan(crowded())
    assert texts(deck.slides[1]) + texts(deck.slides[2]) == [f"{n}. {LOREM}" for n in range(1, 13)]


def test_notes_stay_with_the_first_part_of_a_split_slide(plan):
    document = page(bullets(*(item(LOREM) for _ in range(14))), Notes((para(Text("Say this first.")),), 20))
    deck, _ = plan(document)
    assert len(deck.slides) > 2
    assert [len(slide.notes) for slide in deck.slides] == [0, 1] + [0] * (len(deck.slides) - 2)


def test_a_numbered_list_continued_on_the_next_slide_counts_on(plan):
    deck, _ = plan(crowded())
    paras = [para for slide in part(deck, "Numbered across slides") for shape in named(slide, "Text")
             for para in shape.paras]
    numbers = [(para.bullet.start, para.bullet.number) for para in paras]
    assert numbers[0] == (1, 1) and numbers[-1] == (13, 18)
    assert {start for start, number in numbers if number > 12} == {13}


def test_a_table_split_across_slides_repeats_its_header_row(plan):
    deck, _ = plan(crowded())
    parts = [shape for slide in part(deck, "A tall table") for shape in slide.shapes if isinstance(shape, TableShape)]
    headers = [["".join(run.text for run in cell.paras[0].runs) for cell in part.rows[0]] for part in parts]
    assert headers == [["Name", "Value", "Comment"]] * 3
    assert sum(len(part.rows) - 1 for part in parts) == 30


def test_a_long_listing_splits_between_lines_and_loses_none(plan):
    deck, _ = plan(crowded())
    lines = [para for slide in part(deck, "A long listing") for shape in named(slide, "Code") for para in shape.paras]
    assert ["".join(run.text for run in para.runs) for para in lines] == crowded().blocks[4].code.split("\n")


def test_a_listing_a_little_too_long_for_a_slide_splits_evenly_in_its_own_size(plan, theme):
    code = "\n".join(f"value_{n} = compute({n})" for n in range(26))
    deck, diagnostics = plan(page(CodeBlock(code, "python", 2)))
    parts = [listing for slide in deck.slides[1:] for listing in named(slide, "Code")]
    assert [len(listing.paras) for listing in parts] == [13, 13]
    assert {para.size for listing in parts for para in listing.paras} == {theme.section("deck")["code_size"]}
    assert diagnostics == []


def test_a_code_line_too_wide_for_the_slide_shrinks_the_listing_to_fit_it_and_says_so(plan, theme):
    deck, diagnostics = plan(page(CodeBlock("x = " + "1 + " * 30 + "1", "python", 2)))
    [listing] = named(deck.slides[1], "Code")
    assert listing.wrap is False
    assert listing.paras[0].size < theme.section("deck")["code_size"]
    assert diagnostics == [Diagnostic(SOURCE, 2, f"a code line is too long for the slide at 14 pt: the listing is set "
                                                 f"at {listing.paras[0].size:g} pt")]


def test_a_sub_heading_never_ends_a_slide(plan):
    deck, _ = plan(crowded())
    last, continuation = deck.slides[-2], deck.slides[-1]
    assert texts(last)[-1] == LOREM
    assert texts(continuation) == ["Next part"]


def test_one_huge_paragraph_is_cut_between_lines_as_a_last_resort(plan):
    deck, _ = plan(crowded())
    pieces = [text for slide in part(deck, "One huge paragraph") for text in texts(slide)]
    assert len(pieces) == 3
    assert "".join(pieces).replace(" ", "") == crowded().blocks[8].children[0].text.replace(" ", "")
    assert {para.size for slide in part(deck, "One huge paragraph") for shape in named(slide, "Text")
            for para in shape.paras} == {20.0}


def test_a_short_text_under_the_title_stays_on_the_title_slide(plan):
    deck, _ = plan(every_construct())
    assert "A short line under the title." in ["".join(r.text for r in p.runs) for p in deck.slides[0].subtitle.paras]


def test_a_long_text_under_the_title_gets_a_slide_of_its_own(plan):
    document = Document(Meta(title="Paper"), (Heading(1, t("Paper"), 1), para(Text(LOREM * 3)),
                                              Heading(2, t("Next"), 3)), source=SOURCE)
    deck, _ = plan(document)
    assert [(slide.layout, title(slide)) for slide in deck.slides] == [
        ("title", "Paper"), ("content", "Paper"), ("content", "Next")]


def test_text_and_one_image_are_laid_out_side_by_side(plan):
    deck, _ = plan(every_construct())
    slide = deck.slides[5]
    [text] = named(slide, "Text")
    [picture] = [shape for shape in slide.shapes if isinstance(shape, Picture)]
    assert picture.box.x >= text.box.x + text.box.w
    assert picture.box.y == pytest.approx(text.box.y)


def test_a_small_image_is_never_blown_up_past_twice_its_pixel_size(plan, tmp_path):
    deck, _ = plan(page(Figure(Image("figures/bars.png", "bars"), 2)))
    # bars.png is 480 x 360 px: at most 2 x 0.75 pt per pixel, and as large as the room allows below that.
    [picture] = [shape for shape in deck.slides[1].shapes if isinstance(shape, Picture)]
    assert picture.box.w <= 720 and picture.box.w / picture.box.h == pytest.approx(480 / 360)


def test_footnotes_are_set_at_the_foot_of_the_slide_that_refers_to_them(plan):
    deck, _ = plan(every_construct())
    [footnotes] = named(deck.slides[1], "Footnotes")
    assert ["".join(run.text for run in para.runs) for para in footnotes.paras] == ["1 The source of the claim."]
    assert footnotes.paras[0].runs[0].baseline == 30


def _boxes(shapes: tuple[Shape, ...]) -> list[tuple[str, Box]]:
    found = []
    for shape in shapes:
        if isinstance(shape, Group):
            found.extend(_boxes(shape.shapes))
        else:
            found.append((getattr(shape, "name", type(shape).__name__), shape.box))
    return found


@pytest.mark.parametrize("document", [every_construct(), crowded()], ids=["every-construct", "crowded"])
def test_every_shape_lies_inside_the_slide_and_content_stays_above_the_footer(plan, document):
    deck: DeckPlan
    deck, _ = plan(document)
    for slide in deck.slides:
        boxes = _boxes(slide.shapes)
        footer = min((box.y for name, box in boxes if name in ("Footer", "Slide number")), default=deck.height)
        for name, box in boxes:
            assert box.x >= 0 and box.y >= 0 and box.x + box.w <= deck.width + 0.01, (title(slide), name)
            if name not in ("Footer", "Slide number"):
                assert box.y + box.h <= footer, (title(slide), name)


def test_a_table_with_a_very_wide_column_gives_the_narrow_columns_their_natural_width(plan):
    rows = tuple((t("a"), t(LOREM)) for _ in range(3))
    deck, _ = plan(page(Table((t("Key"), t("Text")), rows, ("left", "left"), 2)))
    [table] = [shape for shape in deck.slides[1].shapes if isinstance(shape, TableShape)]
    assert table.column_widths[0] < 80 and sum(table.column_widths) == pytest.approx(table.box.w)


def test_paragraphs_keep_the_lines_they_were_given(plan):
    deck, _ = plan(page(Paragraph((Text("one"),), 2), Paragraph((Text("two"),), 3)))
    assert texts(deck.slides[1]) == ["one", "two"]


def test_planning_imports_neither_python_pptx_nor_pillow():
    import subprocess
    import sys

    code = ("import sys, decks.slides.plan, decks.slides.outline; "
            "print(sorted(m for m in ('pptx', 'PIL', 'fontTools', 'decks.equations') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_one_paragraph_a_little_too_long_for_a_slide_is_cut_after_a_sentence_not_shrunk(plan, theme):
    sentences = " ".join(f"Sentence {n}: {LOREM}." for n in range(13))
    deck, diagnostics = plan(page(Paragraph((Text(sentences),), 2)))
    pieces = [text for slide in deck.slides[1:] for text in texts(slide)]
    assert len(pieces) == 2 and pieces[0].endswith(".") and pieces[1].startswith("Sentence ")
    assert " ".join(pieces) == sentences
    assert {para.size for slide in deck.slides[1:] for shape in named(slide, "Text") for para in shape.paras} == {
        theme.section("deck")["body_size"]}
    assert diagnostics == []


def test_a_sub_heading_stays_with_the_huge_paragraph_under_it(plan):
    deck, _ = plan(page(Heading(3, t("Lead"), 2), Paragraph((Text(" ".join([LOREM] * 24)),), 3)))
    assert texts(deck.slides[1])[0] == "Lead" and len(texts(deck.slides[1])) == 2
