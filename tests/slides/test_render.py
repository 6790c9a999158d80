"""The deck writer end to end: a document with every construct in, a .pptx out, read back with python-pptx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.presentation import Presentation as PresentationObject

from decks.model import Document, Meta
from decks.slides.render import write_deck
from decks.themes import Theme

from .conftest import REPO, TIMESTAMP, Written
from .documents import every_construct, nested, para, t
from .inspect import A, all_shapes, fill_of, outline_of, paragraphs, points, runs, shape

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
A14 = "{http://schemas.microsoft.com/office/drawing/2010/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"


@pytest.fixture(scope="module")
def every(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Written:
    out = tmp_path_factory.mktemp("every") / "every-construct.pptx"
    diagnostics = write_deck(every_construct(), theme, out, repo_root=REPO, timestamp=TIMESTAMP)
    return Presentation(str(out)), diagnostics, out


@pytest.fixture(scope="module")
def deck(every: Written) -> PresentationObject:
    return every[0]


def test_every_construct_gives_one_slide_per_heading_break_and_overflow(deck):
    assert outline_of(deck) == [
        ("Title Slide", "Every Construct: A Test Paper"),
        ("Title Only", "Text and formatting"),
        ("Title Only", "Lists"),
        ("Title Only", "Code"),
        ("Title Only", "Table"),
        ("Title Only", "Image beside text"),
        ("Title Only", "A vector figure"),
        ("Title Only", "Missing image"),
        ("Title Only", "Columns"),
        ("Title Only", "Call-outs"),
        ("Title Only", "Math"),
        ("Title Only", "Math"),
        ("Section Header", "Part two"),
        ("Title Only", "A long list"),
        ("Title Only", "A long list (cont.)"),
    ]


def test_only_the_expected_problems_are_reported(every):
    assert [str(d) for d in every[1]] == [
        "tests/fixtures/decks/every-construct.md:43: warning: a list nested 6 levels deep is shown at level 5, "
        "the deepest a slide has",
        "tests/fixtures/decks/every-construct.md:87: warning: image 'figures/fig.png' not found",
    ]


def test_the_title_slide_shows_the_metadata_and_a_clickable_paper_link(deck):
    subtitle = shape(deck.slides[0], "Subtitle").text_frame
    assert [text for _, _, text in paragraphs(subtitle)] == [
        "One deck that shows everything an overview may hold",
        "A short line under the title.",
        "Ada Lovelace, Alan Turing",
        "Journal of Test Fixtures 2024",
        "Grace Hopper \u00b7 2024-05-01",
        "https://example.org/paper",
    ]
    assert runs(subtitle.paragraphs[-1]) == [("https://example.org/paper", "link=https://example.org/paper")]


def test_inline_formatting_becomes_runs_with_the_same_formatting(deck):
    text = shape(deck.slides[1], "Text").text_frame
    assert runs(text.paragraphs[0]) == [
        ("Plain text with ", ""), ("bold", "b"), (", ", ""), ("italic", "i"), (", ", ""), ("struck", "strike"),
        (", ", ""), ("inline code", "mono"), (" and a ", ""), ("link", "link=https://example.org/link"), (".", ""),
    ]


def test_inline_math_has_real_sub_and_superscripts_and_footnote_markers_are_superscript(deck):
    text = shape(deck.slides[1], "Text").text_frame
    assert runs(text.paragraphs[1]) == [
        ("Emoji stay characters 🚀 and math reads naturally: ", ""), ("x", ""), ("i", "sub"), ("2", "sup"),
        (" + \u03b1", ""), (". A claim with a footnote", ""), ("1", "sup"), (".", ""),
    ]


def test_a_footnote_referenced_on_a_slide_is_printed_small_at_its_foot(deck, theme):
    slide = deck.slides[1]
    footnotes = shape(slide, "Footnotes")
    assert footnotes.text_frame.text == "1 The source of the claim."
    assert footnotes.text_frame.paragraphs[0].runs[1].font.size.pt == theme.section("deck")["footnote_size"]
    assert footnotes.top > shape(slide, "Text").top + shape(slide, "Text").height
    assert footnotes.top + footnotes.height <= shape(slide, "Footer").top


def test_a_sub_heading_is_a_bold_heading_coloured_paragraph_inside_the_slide(deck, theme):
    sub_heading = shape(deck.slides[1], "Text").text_frame.paragraphs[2]
    assert runs(sub_heading) == [("A sub-heading", "b")]
    assert str(sub_heading.runs[0].font.color.rgb) == theme.colour("heading")
    assert sub_heading.runs[0].font.size.pt == theme.section("deck")["subheading_size"]


def test_lists_use_real_paragraph_levels_numbering_and_task_boxes(deck):
    assert paragraphs(shape(deck.slides[2], "Text").text_frame) == [
        (0, "\u2022", "Level one"),
        (1, "\u2013", "Level two"),
        (2, "\u2022", "Level three"),
        (3, "\u2013", "Level four"),
        (4, "\u2022", "Level five"),
        (4, "\u2022", "Level six folds into five"),
        (0, "\u2022", "Back to level one"),
        (0, "auto:arabicPeriod@3", "Three"),
        (0, "auto:arabicPeriod@3", "Four"),
        (0, "auto:arabicPeriod@3", "Five"),
        (0, "\u2610", "An open task"),
        (0, "\u2611", "A finished task"),
    ]


def test_deeper_levels_are_indented_further(deck):
    margins = [int(p._p.find(f"{A}pPr").get("marL")) for p in shape(deck.slides[2], "Text").text_frame.paragraphs[:5]]
    assert margins == sorted(margins) and len(set(margins)) == 5


def test_code_keeps_every_space_with_one_paragraph_per_line_in_the_code_font(deck, theme):
    code = shape(deck.slides[3], "Code")
    assert [text for _, _, text in paragraphs(code.text_frame)] == every_construct().blocks[13].code.split("\n")
    assert {run.font.name for p in code.text_frame.paragraphs for run in p.runs} == {"Courier New"}
    assert fill_of(code._element.spPr) == theme.colour("code_background")


def test_code_has_the_pygments_colours_of_the_theme_style(deck):
    first_line = shape(deck.slides[3], "Code").text_frame.paragraphs[0]
    assert (first_line.runs[0].text, str(first_line.runs[0].font.color.rgb), first_line.runs[0].font.bold) == (
        "def", "007020", True)


def test_a_fence_without_a_language_is_plain_readable_code(deck, theme):
    code = shape(deck.slides[3], "Code", 1)
    assert code.text_frame.text == "no language:\n    indented by four"
    colours = {str(run.font.color.rgb) for p in code.text_frame.paragraphs for run in p.runs}
    assert colours == {theme.colour("code_text")}


def test_tables_are_native_with_a_styled_header_banded_rows_alignment_and_formatting(deck, theme):
    table = shape(deck.slides[4], "Table").table
    cells = [[table.cell(r, c) for c in range(3)] for r in range(3)]
    assert [[cell.text for cell in row] for row in cells] == [
        ["Model", "Score", "Notes"], ["Base", "27.3", "small"], ["Big", "28.4", "large"]]
    assert [cell.text_frame.paragraphs[0]._p.find(f"{A}pPr").get("algn") for cell in cells[1]] == ["l", "ctr", "r"]
    assert [fill_of(row[0]._tc.tcPr) for row in cells] == [
        theme.colour("table_header_background"), theme.colour("background"), theme.colour("table_band")]
    assert runs(cells[0][0].text_frame.paragraphs[0]) == [("Model", "b")]
    assert runs(cells[2][1].text_frame.paragraphs[0]) == [("28.4", "b")]
    assert runs(cells[1][2].text_frame.paragraphs[0]) == [("small", "i")]
    assert runs(cells[2][2].text_frame.paragraphs[0]) == [("large", "mono")]


def test_an_image_beside_text_sits_right_of_it_keeps_its_aspect_and_its_alt_text(deck):
    slide = deck.slides[5]
    text, picture = shape(slide, "Text"), shape(slide, "Picture")
    assert picture.left >= text.left + text.width
    assert picture._element.nvPicPr.cNvPr.get("descr") == "Five coloured bars"
    assert picture.width / picture.height == pytest.approx(480 / 360, rel=0.01)
    assert points(picture.width) <= 2 * 480 * 0.75
    assert shape(slide, "Caption").text_frame.text == "Five bars"


def test_an_svg_image_is_embedded_as_a_sharp_png(deck):
    picture = shape(deck.slides[6], "Picture")
    assert picture.image.content_type == "image/png"
    assert picture.image.size[0] >= 2 * points(picture.width)
    assert picture.width / picture.height == pytest.approx(320 / 120, rel=0.01)


def test_a_missing_image_leaves_a_visible_placeholder(deck, theme):
    placeholder = shape(deck.slides[7], "Placeholder")
    assert placeholder.text_frame.paragraphs[0].text == "missing image: figures/fig.png"
    assert placeholder._element.spPr.find(f"{A}ln/{A}prstDash").get("val") == "dash"


def test_columns_share_the_width_in_their_ratio(deck):
    left, right = shape(deck.slides[8], "Text", 0), shape(deck.slides[8], "Text", 1)
    assert left.text_frame.text == "Left\nSixty per cent of the width"
    assert right.text_frame.text == "Right\nForty per cent"
    assert left.width / right.width == pytest.approx(60 / 40, rel=0.01)
    assert right.left > left.left + left.width


def test_call_outs_are_tinted_boxes_with_a_coloured_bar_and_a_bold_title(deck, theme):
    slide = deck.slides[9]
    bars = [fill_of(s._element.spPr) for s in all_shapes(slide.shapes) if s.name == "Call-out bar"]
    assert bars == [theme.colour("note"), theme.colour("warning"), theme.colour("quote_border")]
    note = shape(slide, "Call-out", 1)
    assert [runs(p) for p in note.text_frame.paragraphs] == [[("Note", "b")], [("A note for the reader.", "")]]
    assert fill_of(note._element.spPr) not in ("", theme.colour("background"))


def test_display_math_is_an_editable_equation_with_a_picture_fallback(deck):
    tree = deck.slides[10].shapes._spTree
    alternate = tree.find(f"{MC}AlternateContent")
    choice = alternate.find(f"{MC}Choice")
    assert choice.get("Requires") == "a14 m"
    assert (choice.nsmap["a14"], choice.nsmap["m"]) == (A14.strip("{}"), M.strip("{}"))
    assert choice.find(f".//{A14}m/{M}oMathPara") is not None
    picture = alternate.find(f"{MC}Fallback/{P}pic")
    tex = r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}"
    assert picture.find(f"{P}nvPicPr/{P}cNvPr").get("descr") == tex
    assert picture.find(f"{P}blipFill/{A}blip") is not None


def test_speaker_notes_keep_bullets_bold_and_links(deck):
    notes = deck.slides[0].notes_slide.notes_text_frame
    assert paragraphs(notes) == [
        (0, "", "Welcome. Say who we are."), (0, "\u2022", "First point"), (0, "\u2022", "Second point with a link")]
    assert runs(notes.paragraphs[0]) == [("Welcome. Say ", ""), ("who", "b"), (" we are.", "")]
    assert runs(notes.paragraphs[2])[-1] == ("link", "link=https://example.org/notes")


def test_notes_stay_with_the_slide_they_sit_in_and_with_the_first_part_of_a_split_slide(deck):
    def notes(index: int) -> str:
        slide = deck.slides[index]
        return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""

    assert [notes(i) for i in (10, 11, 13, 14)] == [
        "", "Notes on the second part.", "These notes stay with the first part.", ""]


def test_content_slides_carry_the_short_title_and_a_live_slide_number(deck):
    for index, slide in enumerate(deck.slides, start=1):
        names = [s.name for s in slide.shapes]
        if slide.slide_layout.name != "Title Only":
            assert "Footer" not in names and "Slide number" not in names
            continue
        assert shape(slide, "Footer").text_frame.text == "Every Construct"
        field = shape(slide, "Slide number").text_frame.paragraphs[0]._p.find(f"{A}fld")
        assert (field.get("type"), field.findtext(f"{A}t")) == ("slidenum", str(index))


def test_the_deck_is_16_by_9_with_properties_from_the_paper(deck):
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    properties = deck.core_properties
    assert (properties.title, properties.author, properties.revision) == (
        "Every Construct: A Test Paper", "Ada Lovelace; Alan Turing", 1)
    assert int(properties.created.timestamp()) == TIMESTAMP
    assert properties.last_printed is None


def test_writing_the_same_document_twice_gives_identical_bytes(tmp_path, theme):
    first, second = tmp_path / "a.pptx", tmp_path / "b.pptx"
    write_deck(every_construct(), theme, first, repo_root=REPO, timestamp=TIMESTAMP)
    write_deck(every_construct(), theme, second, repo_root=REPO, timestamp=TIMESTAMP)
    assert first.read_bytes() == second.read_bytes()


def test_pictures_are_stored_as_they_are_and_the_xml_is_deflated(every):
    import zipfile

    with zipfile.ZipFile(every[2]) as package:
        methods = {info.filename.rsplit(".", 1)[-1]: info.compress_type for info in package.infolist()}
    assert methods["png"] == zipfile.ZIP_STORED
    assert methods["xml"] == methods["rels"] == zipfile.ZIP_DEFLATED


def test_every_entry_of_the_package_is_dated_by_the_timestamp_not_by_the_clock(every):
    import struct
    import zipfile
    from datetime import UTC, datetime

    moment = datetime.fromtimestamp(TIMESTAMP, UTC)
    expected = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second // 2 * 2)
    with zipfile.ZipFile(every[2]) as package:
        assert package.testzip() is None  # every entry still inflates to what its checksum says
        assert {info.date_time for info in package.infolist()} == {expected}
        assert package.namelist()[0] == "[Content_Types].xml"
        locals_ = {every[2].read_bytes()[info.header_offset + 10 : info.header_offset + 14]
                   for info in package.infolist()}
    year, month, day, hour, minute, second = expected
    dos = struct.pack("<HH", hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day)
    assert locals_ == {dos}  # each entry's own header says the same


def test_each_notes_page_belongs_to_its_own_slide_and_to_the_notes_master(deck):
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    pages = [slide.notes_slide.part for slide in deck.slides if slide.has_notes_slide]
    assert len(pages) >= 3
    assert len({page.partname for page in pages}) == len(pages)
    for slide in deck.slides:
        if slide.has_notes_slide:
            page = slide.notes_slide.part
            assert page.part_related_by(RT.SLIDE) is slide.part
            assert page.part_related_by(RT.NOTES_MASTER) is deck.part.notes_master_part


def test_each_slide_is_a_part_of_its_own_named_for_its_place_and_related_to_its_layout_alone(deck):
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    slides = list(deck.slides)
    assert len(slides) >= 5
    assert [str(slide.part.partname) for slide in slides] == [
        f"/ppt/slides/slide{number}.xml" for number in range(1, len(slides) + 1)
    ]
    ids = [slide.slide_id for slide in slides]
    assert ids == sorted(set(ids))
    for slide in slides:
        layouts = [rel for rel in slide.part.rels.values() if rel.reltype == RT.SLIDE_LAYOUT]
        assert len(layouts) == 1 and layouts[0].target_part is slide.slide_layout.part
    titles = [slide.shapes.title.text for slide in slides if slide.shapes.title]
    assert len(set(titles)) > len(titles) // 2 > 3  # copies of one layout's first slide, each written on alone


def test_no_markdown_syntax_is_left_on_any_slide_or_in_the_notes(deck):
    texts = []
    for slide in deck.slides:
        for member in all_shapes(slide.shapes):
            if member.has_text_frame and member.name != "Code":
                texts.append(member.text_frame.text)
            if member.has_table:
                texts.extend(cell.text for row in member.table.rows for cell in row.cells)
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    leftovers = [text for text in texts if re.search(r"\*\*|\]\(|\|---|`|^#+ |\$", text)]
    assert leftovers == []


def test_every_shape_stays_on_its_slide_and_off_the_footer(deck):
    for slide in deck.slides:
        chrome = ("Footer", "Slide number")
        footer_top = min((s.top for s in slide.shapes if s.name in chrome), default=deck.slide_height)
        for member in slide.shapes:
            assert member.left >= 0 and member.left + member.width <= deck.slide_width, member.name
            assert member.top >= 0 and member.top + member.height <= deck.slide_height, member.name
            if member.name not in ("Footer", "Slide number"):
                assert member.top + member.height <= footer_top, (slide.shapes.title.text, member.name)


def test_a_title_only_document_still_makes_a_deck(write):
    deck, diagnostics, _ = write(Document(Meta(title="Only a title"), ()))
    assert outline_of(deck) == [("Title Slide", "Only a title")]
    assert diagnostics == []


def test_a_list_nested_too_deep_is_reported_at_its_line(write):
    document = Document(Meta(title="T"), (nested(6, 10),), source="p/overview.md")
    _, diagnostics, _ = write(document)
    assert [(d.line, d.severity) for d in diagnostics] == [(15, "warning")]


def test_an_image_outside_the_repository_is_refused(write, tmp_path):
    from decks.model import Figure, Heading, Image

    outside = tmp_path / "secret.png"
    outside.write_bytes((REPO / "tests/fixtures/decks/figures/bars.png").read_bytes())
    document = Document(Meta(title="T"), (Heading(2, t("S"), 3), Figure(Image(str(outside), "x"), 4)),
                        source="tests/fixtures/decks/overview.md")
    deck, diagnostics, _ = write(document)
    assert [d.message for d in diagnostics] == [f"image '{outside}' is outside the repository"]
    assert shape(deck.slides[1], "Placeholder").text_frame.paragraphs[0].text == f"missing image: {outside}"


@pytest.mark.parametrize("name", ["sideways.jpg", "sideways.png", "sideways-xmp.png", "sideways-text.png"])
def test_a_picture_whose_exif_says_it_was_taken_sideways_stands_upright(write, name):
    from decks.model import Figure, Heading, Image

    document = Document(Meta(title="T"), (Heading(2, t("S"), 3), Figure(Image(f"figures/{name}", "x"), 4)),
                        source="tests/fixtures/decks/overview.md")
    deck, diagnostics, _ = write(document)
    picture = shape(deck.slides[1], "Picture")
    assert diagnostics == []
    assert picture.image.content_type == "image/png"  # turned, so no orientation is left to honour
    assert picture.image.size == (20, 40)  # stored 40 × 20, shown a quarter turn round


def test_an_upright_png_is_embedded_as_it_is(write):
    from decks.model import Figure, Heading, Image

    document = Document(Meta(title="T"), (Heading(2, t("S"), 3), Figure(Image("figures/bars.png", "x"), 4)),
                        source="tests/fixtures/decks/overview.md")
    deck, _, _ = write(document)
    blob = shape(deck.slides[1], "Picture").image.blob
    assert blob == (REPO / "tests/fixtures/decks/figures/bars.png").read_bytes()


def test_a_paragraph_of_text_alone_fills_one_text_box(write):
    deck, _, _ = write(Document(Meta(title="T"), (para(t("Hello")[0]),)))
    assert outline_of(deck) == [("Title Slide", "T")]
    assert shape(deck.slides[0], "Subtitle").text_frame.text == "Hello"


def _xml(path: Path, part: str) -> etree._Element:
    import zipfile

    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(part))


def test_the_master_uses_the_theme_fonts_and_colours(every, theme):
    root = _xml(every[2], "ppt/theme/theme1.xml")
    assert root.find(f".//{A}majorFont/{A}latin").get("typeface") == theme.values["fonts"]["heading"]
    assert root.find(f".//{A}clrScheme/{A}accent1/{A}srgbClr").get("val") == theme.colour("accent")


def _summary(deck: PresentationObject) -> list[tuple]:
    """Every slide's layout, its shapes' paragraphs and runs, its tables' text and its notes."""
    slides = []
    for slide in deck.slides:
        items = []
        for member in all_shapes(slide.shapes):
            if member.has_text_frame:
                text = member.text_frame
                items.append((member.name, paragraphs(text), [runs(p) for p in text.paragraphs]))
            if member.has_table:
                items.append(("Table", [[cell.text for cell in row.cells] for row in member.table.rows]))
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append((slide.slide_layout.name, items, notes))
    return slides


def test_the_markdown_fixture_gives_the_same_deck_as_its_model(deck, write):
    from decks.markdown import read_document

    source = "tests/fixtures/decks/every-construct.md"
    document, problems = read_document((REPO / source).read_text(encoding="utf-8"), source, "every-construct")
    assert problems == []
    from_markdown, _, _ = write(document)
    assert _summary(from_markdown) == _summary(deck)


def test_a_formula_that_only_defines_macros_shows_nothing_and_its_macros_serve_later_formulas(write):
    from decks.model import Heading, MathBlock

    document = Document(Meta(title="T"), (
        Heading(2, t("Sets"), 1), MathBlock(r"\newcommand{\R}{\mathbb{R}}", 2), MathBlock(r"x \in \R", 4),
    ), source="p/overview.md")
    deck, diagnostics, _ = write(document)
    assert diagnostics == []
    equations = deck.slides[1].shapes._spTree.findall(f"{MC}AlternateContent")
    assert [e.find(f".//{P}cNvPr").get("descr") for e in equations] == [r"x \in \R"]


def test_notes_pages_never_take_a_name_a_template_s_own_notes_page_still_holds(tmp_path):
    import shutil
    import zipfile

    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    from decks.themes import load_theme

    themes = tmp_path / "themes"
    shutil.copytree(REPO / "themes/default", themes / "default")
    (themes / "kept").mkdir()
    (themes / "kept/theme.toml").write_text('extends = "default"\n', encoding="utf-8")
    template = Presentation()
    for text in ("one", "two"):
        template.slides.add_slide(template.slide_layouts[1]).notes_slide.notes_text_frame.text = text
    kept = template.slides[1]  # a layout links to it, so it stays in the package when the slides are dropped
    template.slide_layouts[5].part.relate_to(kept.part, RT.SLIDE)
    template.save(str(themes / "kept/template.pptx"))
    out = tmp_path / "deck.pptx"
    write_deck(every_construct(), load_theme("kept", themes), out, repo_root=REPO, timestamp=TIMESTAMP)
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
    assert len(names) == len(set(names))
    deck = Presentation(str(out))
    assert sum(slide.has_notes_slide for slide in deck.slides) >= 3
