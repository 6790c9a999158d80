"""The outline: which slides a document makes, before any fitting."""

from __future__ import annotations

from decks.model import Document, Heading, Meta, Notes, Slide, Text, ThematicBreak, plain_text
from decks.slides.outline import outline

from .documents import bullets, every_construct, item, para, t


def kinds_and_titles(slides: list[Slide]) -> list[tuple[str, str]]:
    return [(slide.kind, plain_text(slide.title)) for slide in slides]


def test_every_construct_makes_a_title_slide_content_slides_and_a_section_divider():
    assert kinds_and_titles(outline(every_construct())) == [
        ("title", "Every Construct: A Test Paper"),
        ("content", "Text and formatting"),
        ("content", "Lists"),
        ("content", "Code"),
        ("content", "Table"),
        ("content", "Image beside text"),
        ("content", "A vector figure"),
        ("content", "Missing image"),
        ("content", "Columns"),
        ("content", "Call-outs"),
        ("content", "Math"),
        ("content", "Math"),
        ("section", "Part two"),
        ("content", "A long list"),
    ]


def test_the_title_heading_makes_the_title_slide_and_the_text_under_it_stays_there():
    title = outline(every_construct())[0]
    assert [plain_text(block.children) for block in title.blocks] == ["A short line under the title."]
    assert title.line == 15


def test_a_sub_heading_stays_inside_its_slide():
    slide = outline(every_construct())[1]
    assert [type(block).__name__ for block in slide.blocks] == ["Paragraph", "Paragraph", "Heading", "Paragraph"]


def test_notes_go_to_the_slide_they_sit_in_and_leave_the_content():
    slides = outline(every_construct())
    assert [len(slide.notes) for slide in slides] == [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]
    assert not any(isinstance(block, Notes) for slide in slides for block in slide.blocks)


def test_a_thematic_break_starts_a_new_slide_with_the_same_title():
    document = Document(Meta(title="T"), (
        Heading(2, t("Results"), 1), para(Text("one")), ThematicBreak(3), para(Text("two")),
    ))
    slides = outline(document)
    assert [(plain_text(s.title), [plain_text(b.children) for b in s.blocks]) for s in slides[1:]] == [
        ("Results", ["one"]), ("Results", ["two"])]


def test_a_thematic_break_with_nothing_after_it_makes_no_empty_slide():
    document = Document(Meta(title="T"), (Heading(2, t("A"), 1), para(Text("x")), ThematicBreak(3)))
    assert kinds_and_titles(outline(document)) == [("title", "T"), ("content", "A")]


def test_an_empty_second_level_slide_is_kept_because_the_author_wrote_it():
    document = Document(Meta(title="T"), (Heading(2, t("Questions?"), 1),))
    assert kinds_and_titles(outline(document)) == [("title", "T"), ("content", "Questions?")]


def test_without_a_title_heading_every_first_level_heading_is_a_section():
    document = Document(Meta(title="From front matter"), (
        Heading(1, t("Background"), 5), Heading(2, t("Details"), 6), bullets(item("x")),
    ))
    assert kinds_and_titles(outline(document)) == [
        ("title", "From front matter"), ("section", "Background"), ("content", "Details")]


def test_a_first_heading_repeating_the_front_matter_title_is_the_title_slide():
    document = Document(Meta(title="Paper"), (Heading(1, t("Paper"), 7), Heading(2, t("Intro"), 9)))
    assert kinds_and_titles(outline(document)) == [("title", "Paper"), ("content", "Intro")]


def test_text_after_a_section_heading_stays_with_the_divider():
    document = Document(Meta(title="T"), (Heading(1, t("Part"), 3), para(Text("Why this part matters.")),
                                          Heading(2, t("Next"), 5)))
    section = outline(document)[1]
    assert (section.kind, [plain_text(b.children) for b in section.blocks]) == ("section", ["Why this part matters."])
