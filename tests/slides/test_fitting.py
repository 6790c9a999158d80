"""Nothing runs off a slide: decks rendered by LibreOffice, every character checked against the theme's frame.

The independent check works on two things only: the .pptx (where each shape
is, and what text it holds) and the PDF LibreOffice makes of it (where each
character was drawn). Shapes must not overlap each other, and must lie inside
the slide's margins (the footer and slide number in the band below them); the
letters drawn inside each shape (or table cell) must be exactly the letters
that shape holds. Text that overflowed its box, a table row that grew, a
wrapped line the planner did not expect: each shows up as letters outside
their shape, or in a neighbour's. Bullets, numbers and punctuation are not
compared (viewers draw list numbers themselves); equations are skipped, since
LibreOffice sets their OMML in its own size.

The stress deck (``tests/fixtures/decks/stress.md``) holds everything too big
for one slide; the tests also read its continuation slides as a reader would.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.presentation import Presentation as PresentationObject
from pptx.shapes.base import BaseShape
from pptx.slide import Slide

from decks.errors import Diagnostic, EnvironmentProblem
from decks.markdown import read_document
from decks.model import Document
from decks.slides.check import check_deck, plan_document
from decks.slides.render import write_deck
from decks.slides.shapes import TextShape
from decks.slides.text import para_lines
from decks.themes import Theme, load_theme

from .conftest import REPO, TIMESTAMP
from .inspect import A, fill_of, paragraphs, points
from .test_rendered import MC, rendered

STRESS = "tests/fixtures/decks/stress.md"
EVERY = "tests/fixtures/decks/every-construct.md"
ATTENTION = "papers/attention-is-all-you-need/overview.md"
TOLERANCE = 2.0  # points: anti-aliasing, italic overhang, rounding to EMU
FOOTER = ("Footer", "Slide number")
CONT = " (cont.)"

Bounds = tuple[float, float, float, float]  # x0, top, x1, bottom in points


@dataclass(frozen=True)
class Region:
    """A shape, or a table cell, as the .pptx places it: its name, its box and the letters of its text."""

    name: str
    box: Bounds
    letters: Counter[str]
    text: bool = True  # False for shapes that only take room: pictures, rules, equations


@dataclass(frozen=True)
class Rendered:
    """A deck written from Markdown and rendered by LibreOffice."""

    document: Document
    diagnostics: list[Diagnostic]
    pptx: Path
    pdf: Path

    def deck(self) -> PresentationObject:
        return Presentation(str(self.pptx))


def read(source: str) -> Document:
    path = REPO / source
    return read_document(path.read_text(encoding="utf-8"), source, path.parent.name)[0]


def _render(source: str, folder: Path, theme: Theme) -> Rendered:
    """The deck written and rendered (once per test session); tests that need it skip without LibreOffice."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    document = read(source)
    path = REPO / source
    pptx = folder / f"{path.parent.name}-{path.stem}.pptx"
    diagnostics = write_deck(document, theme, pptx, repo_root=REPO, timestamp=TIMESTAMP)
    return Rendered(document, diagnostics, pptx, rendered(pptx, folder))


@pytest.fixture(scope="session")
def stress(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Rendered:
    return _render(STRESS, tmp_path_factory.mktemp("stress"), theme)


@pytest.fixture(scope="session")
def attention(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Rendered:
    return _render(ATTENTION, tmp_path_factory.mktemp("attention"), theme)


@pytest.fixture(scope="session")
def every(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> Rendered:
    return _render(EVERY, tmp_path_factory.mktemp("every"), theme)


@pytest.fixture(params=["stress", "attention", "every"])
def any_deck(request: pytest.FixtureRequest) -> Rendered:
    return request.getfixturevalue(request.param)


# ---------------------------------------------------------------- reading the .pptx and the PDF


def letters(text: str) -> Counter[str]:
    """The letters of some text (ligatures like "fi" count as two), without spaces, digits or punctuation."""
    return Counter(char for char in text if unicodedata.category(char).startswith("L"))


def _bounds(shape: BaseShape) -> Bounds:
    x, y = points(shape.left), points(shape.top)
    return x, y, x + points(shape.width), y + points(shape.height)


def regions(slide: Slide) -> list[Region]:
    """Every text-holding shape and table cell of a slide, and every picture, rule and equation."""
    found = []
    for shape in slide.shapes:
        found.extend(_regions_of(shape))
    for alternate in slide.shapes._spTree.iter(f"{MC}AlternateContent"):
        off, ext = alternate.find(f".//{A}off"), alternate.find(f".//{A}ext")
        x, y = points(int(off.get("x"))), points(int(off.get("y")))
        found.append(Region("Equation", (x, y, x + points(int(ext.get("cx"))), y + points(int(ext.get("cy")))),
                            Counter(), text=False))
    return found


def _regions_of(shape: BaseShape) -> Iterator[Region]:
    if shape.shape_type == 6:  # a group: python-pptx keeps its members in slide coordinates
        for member in shape.shapes:
            yield from _regions_of(member)
    elif shape.has_table:
        left, top, _, _ = _bounds(shape)
        table = shape.table
        y = top
        for row_index, row in enumerate(table.rows):
            x = left
            for column_index, column in enumerate(table.columns):
                cell = table.cell(row_index, column_index)
                yield Region(f"{shape.name} {row_index}:{column_index}",
                             (x, y, x + points(column.width), y + points(row.height)), letters(cell.text_frame.text))
                x += points(column.width)
            y += points(row.height)
    else:
        text = shape.text_frame.text if shape.has_text_frame else ""
        yield Region(shape.name, _bounds(shape), letters(text), text=bool(text.strip()))


def top_level_boxes(slide: Slide) -> list[tuple[str, Bounds]]:
    """The boxes that must not overlap: a group (a call-out and its bar) and a table count as one."""
    boxes = [(shape.name, _bounds(shape)) for shape in slide.shapes]
    return boxes + [(region.name, region.box) for region in regions(slide) if region.name == "Equation"]


def pages(rendered_deck: Rendered) -> Iterator[tuple[int, Slide, list[dict]]]:
    """Each slide with the characters LibreOffice drew on its page."""
    deck = rendered_deck.deck()
    with pdfplumber.open(rendered_deck.pdf) as pdf:
        assert len(pdf.pages) == len(deck.slides)
        for number, (slide, page) in enumerate(zip(deck.slides, pdf.pages, strict=True), start=1):
            yield number, slide, [char for char in page.chars if char["text"].strip()]


def inside(char: dict, box: Bounds, tolerance: float = TOLERANCE) -> bool:
    x0, top, x1, bottom = box
    return (x0 - tolerance <= char["x0"] and char["x1"] <= x1 + tolerance
            and top - tolerance <= char["top"] and char["bottom"] <= bottom + tolerance)


def frame(theme: Theme) -> tuple[Bounds, Bounds]:
    """The theme's content area (inside the margins) and the footer band below it."""
    deck = theme.section("deck")
    width, height = deck["slide_width"] * 72, deck["slide_height"] * 72
    left, right = deck["margin_x"] * 72, width - deck["margin_x"] * 72
    bottom = height - deck["margin_bottom"] * 72
    return (left, deck["margin_top"] * 72, right, bottom), (left, bottom, right, height)


def _in_band(char: dict, band: Bounds) -> bool:
    return (char["top"] + char["bottom"]) / 2 > band[1]


# ---------------------------------------------------------------- every deck: the frame


def test_every_character_lies_inside_the_margins_and_only_footer_text_in_the_footer_band(any_deck, theme):
    content, band = frame(theme)
    misplaced = []
    for number, slide, chars in pages(any_deck):
        footers = [region.box for region in regions(slide) if region.name in FOOTER]
        for char in chars:
            if _in_band(char, band):
                allowed = inside(char, band) and any(inside(char, box) for box in footers)
            else:
                allowed = inside(char, content)
            if not allowed:
                misplaced.append((number, char["text"], round(char["x0"]), round(char["top"])))
    assert misplaced == []


def test_every_character_is_drawn_inside_the_shape_that_holds_it(any_deck):
    """Letter for letter: what LibreOffice drew inside each shape or cell is exactly that shape's text."""
    problems = []
    for number, slide, chars in pages(any_deck):
        found = regions(slide)
        equations = [region.box for region in found if region.name == "Equation"]
        texts = [region for region in found if region.text]
        drawn: list[Counter[str]] = [Counter() for _ in texts]
        for char in chars:
            if any(_centred_in(char, box) for box in equations):
                continue
            holders = [index for index, region in enumerate(texts) if inside(char, region.box)]
            if not holders:
                problems.append((number, "outside every shape", char["text"], round(char["x0"]), round(char["top"])))
                continue
            best = min(holders, key=lambda index: _distance_to_centre(char, texts[index].box))
            drawn[best].update(letters(char["text"]))
        problems.extend((number, region.name, "drew", "".join(sorted((shown - region.letters).elements())),
                         "lost", "".join(sorted((region.letters - shown).elements())))
                        for region, shown in zip(texts, drawn, strict=True) if shown != region.letters)
    assert problems == []


def _centred_in(char: dict, box: Bounds) -> bool:
    """Whether a character's centre lies in ``box``: LibreOffice sets an equation's brackets a little taller."""
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _distance_to_centre(char: dict, box: Bounds) -> float:
    x0, top, x1, bottom = box
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return abs(x - (x0 + x1) / 2) + abs(y - (top + bottom) / 2)


def test_no_two_shapes_on_a_slide_overlap_and_all_keep_to_the_frame(any_deck, theme):
    content, band = frame(theme)
    problems = []
    for number, slide in enumerate(any_deck.deck().slides, start=1):
        boxes = top_level_boxes(slide)
        for index, (name, box) in enumerate(boxes):
            area = band if name in FOOTER else content
            if not _contains(area, box):
                problems.append((number, name, "outside", [round(v) for v in box]))
            problems.extend((number, name, "overlaps", other) for other, box2 in boxes[index + 1 :]
                            if _overlap(box, box2))
    assert problems == []


def _contains(outer: Bounds, box: Bounds) -> bool:
    return (outer[0] - 0.5 <= box[0] and box[2] <= outer[2] + 0.5
            and outer[1] - 0.5 <= box[1] and box[3] <= outer[3] + 0.5)


def _overlap(one: Bounds, two: Bounds) -> bool:
    return min(one[2], two[2]) - max(one[0], two[0]) > 0.5 and min(one[3], two[3]) - max(one[1], two[1]) > 0.5


def test_text_is_measured_as_libreoffice_sets_it_line_for_line(any_deck, theme):
    """Each text box shows as many lines as the planner measured: never more, which would overflow.

    At most one fewer: a line that fills the box to within a point (``text.SLACK``) is measured as wrapping.
    """
    plan, measure, _ = plan_document(any_deck.document, theme, repo_root=REPO)
    mismatched = []
    for (number, slide, chars), slide_plan in zip(pages(any_deck), plan.slides, strict=True):
        shapes = [shape for shape in slide_plan.shapes if isinstance(shape, TextShape) and shape.name == "Text"]
        for shape in shapes:
            width = shape.box.w - shape.insets.left - shape.insets.right
            planned = sum(len(para_lines(para, width, measure)) for para in shape.paras)
            box = (shape.box.x, shape.box.y, shape.box.x + shape.box.w, shape.box.y + shape.box.h)
            drawn = _lines([char for char in chars if inside(char, box)])
            if not planned - 1 <= drawn <= planned:
                mismatched.append((number, shape.paras[0].runs[0].text[:30] if shape.paras[0].runs else "", planned,
                                   drawn))
    assert mismatched == []


def _lines(chars: list[dict]) -> int:
    """Distinct baselines of the letters and digits among some characters.

    Bullets sit a little higher than their text; smaller letters (superscripts, subscripts) sit on their line's.
    """
    words = [char for char in chars if char["text"].isalnum()]
    if not words:
        return 0
    largest = max(char["size"] for char in words)
    baselines = sorted(char["matrix"][5] for char in words if char["size"] >= 0.8 * largest)
    return sum(1 for index, baseline in enumerate(baselines) if index == 0 or baseline - baselines[index - 1] > 3)


# ---------------------------------------------------------------- every deck: reports


def test_checking_a_deck_reports_exactly_what_writing_it_reports(any_deck, theme):
    assert check_deck(any_deck.document, theme, repo_root=REPO) == any_deck.diagnostics


def test_the_group_s_attention_deck_needs_no_squeezing(attention):
    assert attention.diagnostics == []


@pytest.mark.parametrize("role", ["heading", "body", "code"])
def test_a_font_the_theme_names_that_is_not_installed_stops_the_deck_with_its_name(role, theme, tmp_path):
    missing = theme.with_values({"fonts": {role: "No Such Sans"}})
    document = read(STRESS)
    with pytest.raises(EnvironmentProblem, match="font 'No Such Sans' is not installed"):
        check_deck(document, missing, repo_root=REPO)
    with pytest.raises(EnvironmentProblem, match="font 'No Such Sans' is not installed"):
        write_deck(document, missing, tmp_path / "deck.pptx", repo_root=REPO, timestamp=TIMESTAMP)
    assert not (tmp_path / "deck.pptx").exists()


def test_checking_a_deck_plans_with_the_slide_size_of_the_theme_s_template_as_writing_it_does(tmp_path):
    themes = tmp_path / "themes"
    shutil.copytree(REPO / "themes/default", themes / "default")
    (themes / "narrow").mkdir()
    (themes / "narrow/theme.toml").write_text('extends = "default"\n', encoding="utf-8")
    Presentation().save(str(themes / "narrow/template.pptx"))  # python-pptx's own template: 4:3, 10 inches wide
    narrow = load_theme("narrow", themes)
    document = read(STRESS)
    written = write_deck(document, narrow, tmp_path / "deck.pptx", repo_root=REPO, timestamp=TIMESTAMP)
    assert check_deck(document, narrow, repo_root=REPO) == written
    assert written != check_deck(document, load_theme("default", themes), repo_root=REPO)


def test_checking_a_deck_writes_no_file(tmp_path, theme):
    shutil.copytree(REPO / "tests/fixtures/decks", tmp_path / "decks")
    before = sorted(tmp_path.rglob("*"))
    document = read_document((tmp_path / "decks/stress.md").read_text(encoding="utf-8"), "decks/stress.md")[0]
    assert [d.line for d in check_deck(document, theme, repo_root=tmp_path)] == [_source_line("| Architecture"),
                                                                                 _long_listing_line()]
    assert sorted(tmp_path.rglob("*")) == before


# ---------------------------------------------------------------- the stress deck, read as a reader would


def _source_line(text: str) -> int:
    """The 1-based line of stress.md that starts with ``text``."""
    lines = (REPO / STRESS).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if line.startswith(text))


def _title(slide: Slide) -> str:
    return slide.shapes.title.text if slide.shapes.title else ""


def _part(deck: PresentationObject, heading: str) -> list[Slide]:
    """The slides of one ``##`` heading: the first, then its continuations."""
    return [slide for slide in deck.slides if _title(slide).replace("\v", " ") in (heading, heading + CONT)]


def _texts(slide: Slide, name: str = "Text") -> list[tuple[int, str, str]]:
    return [entry for shape in slide.shapes if shape.name == name for entry in paragraphs(shape.text_frame)]


def _headings() -> list[str]:
    return re.findall(r"^## (.+)$", (REPO / STRESS).read_text(encoding="utf-8"), flags=re.M)


def test_every_heading_of_the_stress_deck_continues_under_its_own_title_marked_as_continued(stress):
    deck = stress.deck()
    titles = [_title(slide).replace("\v", " ") for slide in deck.slides]
    for heading in _headings():
        first = titles.index(heading)
        parts = 1
        while first + parts < len(titles) and titles[first + parts] == heading + CONT:
            parts += 1
        assert titles.count(heading) == 1 and titles.count(heading + CONT) == parts - 1
    assert sum(title.endswith(CONT) for title in titles) >= 10


def test_speaker_notes_stay_with_the_first_part_of_a_split_slide(stress):
    notes = [(_title(slide), slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
             for slide in stress.deck().slides]
    assert [title for title, text in notes if text] == ["Stress Test: Content Too Big for One Slide",
                                                        "A sixty-line listing"]


def test_a_long_listing_continues_in_code_boxes_losing_no_line(stress, theme):
    parts = _part(stress.deck(), "A sixty-line listing")
    boxes = [shape for slide in parts for shape in slide.shapes if shape.name == "Code"]
    assert len(parts) == len(boxes) >= 3
    assert {fill_of(box._element.spPr) for box in boxes} == {theme.colour("code_background")}
    shown = [text for box in boxes for _, _, text in paragraphs(box.text_frame)]
    source = re.search(r"```python\n(.*?)\n```", (REPO / STRESS).read_text(encoding="utf-8"), re.S).group(1)
    assert [line for line in shown if line.strip()] == [line for line in source.splitlines() if line.strip()]
    assert all(text.strip() for text in (shown[0], shown[-1]))  # no part starts or ends with a blank line


def test_a_long_table_repeats_its_header_on_every_slide_and_keeps_every_row(stress):
    tables = [shape.table for slide in _part(stress.deck(), "A table of thirty rows") for shape in slide.shapes
              if shape.has_table]
    headers = [[cell.text for cell in table.rows[0].cells] for table in tables]
    assert len(tables) >= 2 and headers == [["Step", "Learning rate", "Phase", "What happens"]] * len(tables)
    steps = [table.cell(row, 0).text for table in tables for row in range(1, len(table.rows))]
    assert steps == [f"{n * 1000:,}" for n in range(1, 31)]


def test_the_last_part_of_a_split_block_is_never_a_few_stray_lines(stress):
    """The last two parts of a block are balanced: a continuation shows at least a quarter of the part before."""
    deck = stress.deck()
    for heading in ("A sixty-line listing", "A table of thirty rows", "Twenty-five items, some with children",
                    "One paragraph of four hundred words"):
        sizes = [_amount(slide) for slide in _part(deck, heading)]
        assert len(sizes) >= 2 and sizes[-1] >= sizes[-2] / 4, (heading, sizes)


def _amount(slide: Slide) -> int:
    """How much a slide shows: its letters of text, in shapes and tables."""
    return sum(region.letters.total() for region in regions(slide) if region.name not in (*FOOTER, "Title"))


def test_a_list_continued_on_the_next_slide_repeats_the_parent_of_children_that_moved(stress):
    parts = _part(stress.deck(), "Twenty-five items, some with children")
    repeated = []
    for before, slide in zip(parts, parts[1:], strict=False):
        level, _, text = _texts(slide)[0]
        assert level == 0, text  # a continuation never opens with a child whose parent stayed behind
        if text.endswith(CONT):
            assert (0, "•", text.removesuffix(CONT)) in _texts(before)
            repeated.append(text)
    assert repeated == ["Item 14: what the decoder does and why the paper needs it (cont.)"]
    shown = [text for slide in parts for _, _, text in _texts(slide) if not text.endswith(CONT)]
    source = re.findall(r"^ *- (.+)$", (REPO / STRESS).read_text(encoding="utf-8").split("## Twenty-five")[1]
                        .split("\n## ")[0], flags=re.M)
    assert shown == source


def test_four_levels_of_nesting_keep_their_levels(stress):
    [slide] = _part(stress.deck(), "Nesting four levels deep")
    assert sorted({level for level, _, _ in _texts(slide)}) == [0, 1, 2, 3]


def test_no_slide_ends_with_a_sub_heading(stress, theme):
    size = theme.section("deck")["subheading_size"]
    for slide in stress.deck().slides:
        texts = [shape for shape in slide.shapes if shape.name == "Text"]
        if texts:
            last = max(texts, key=lambda shape: shape.top).text_frame.paragraphs[-1]
            assert not (last.runs and last.runs[0].font.size.pt == size and last.runs[0].font.bold), _title(slide)
    [_, after] = _part(stress.deck(), "Sub-headings at the foot of a slide")
    assert _texts(after)[0][2] == "The sub-heading that must not end a slide"


def test_a_huge_paragraph_is_cut_after_a_sentence_and_keeps_its_size(stress, theme):
    parts = _part(stress.deck(), "One paragraph of four hundred words")
    pieces = [text for slide in parts for _, _, text in _texts(slide)]
    assert len(pieces) == len(parts) >= 2 and all(piece.endswith(".") for piece in pieces)
    source = (REPO / STRESS).read_text(encoding="utf-8").split("## One paragraph of four hundred words\n\n")[1]
    assert " ".join(pieces).split() == source.split("\n\n")[0].split()
    sizes = {run.font.size.pt for slide in parts for shape in slide.shapes if shape.name == "Text"
             for para in shape.text_frame.paragraphs for run in para.runs}
    assert sizes == {theme.section("deck")["body_size"]}


def test_a_table_too_wide_and_a_code_line_too_long_shrink_within_the_theme_s_limits_and_are_reported(stress, theme):
    deck = theme.section("deck")
    [table] = [shape.table for slide in _part(stress.deck(), "A wide table") for shape in slide.shapes
               if shape.has_table]
    table_sizes = {run.font.size.pt for cell in table.iter_cells() for para in cell.text_frame.paragraphs
                   for run in para.runs}
    [code] = [shape for slide in _part(stress.deck(), "A listing with a very long line") for shape in slide.shapes
              if shape.name == "Code"]
    code_sizes = {run.font.size.pt for para in code.text_frame.paragraphs for run in para.runs}
    assert len(table_sizes) == 1 and deck["min_table_size"] <= table_sizes.pop() < deck["table_size"]
    assert code_sizes == {deck["min_code_size"]}
    assert [(d.path, d.line) for d in stress.diagnostics] == [(STRESS, _source_line("| Architecture")),
                                                              (STRESS, _long_listing_line())]
    assert "set at 14 pt" in stress.diagnostics[0].message
    assert "10 pt" in stress.diagnostics[1].message and "wrap" in stress.diagnostics[1].message


def _long_listing_line() -> int:
    """The line of the fence that opens the listing with the long line."""
    heading = _source_line("## A listing with a very long line")
    lines = (REPO / STRESS).read_text(encoding="utf-8").splitlines()
    return next(number for number in range(heading + 1, len(lines) + 1) if lines[number - 1].startswith("```"))


def test_a_tall_image_beside_text_keeps_its_shape_and_the_text_its_size(stress, theme):
    [slide] = _part(stress.deck(), "Text beside a tall image")
    [picture] = [shape for shape in slide.shapes if shape.shape_type == 13]
    [text] = [shape for shape in slide.shapes if shape.name == "Text"]
    assert picture.width / picture.height == pytest.approx(320 / 1120, rel=0.01)
    assert picture.left >= text.left + text.width
    assert {run.font.size.pt for para in text.text_frame.paragraphs for run in para.runs} == {
        theme.section("deck")["body_size"]}


def test_a_long_title_wraps_and_the_content_starts_below_it(stress):
    heading = next(h for h in _headings() if h.startswith("A title that is far too long"))
    number = [_title(slide).replace("\v", " ") for slide in stress.deck().slides].index(heading) + 1
    slide = stress.deck().slides[number - 1]
    title_box = _bounds(slide.shapes.title)
    [(_, _, chars)] = [page for page in pages(stress) if page[0] == number]
    title_chars = [char for char in chars if inside(char, title_box)]
    assert _lines(title_chars) == 2
    text = next(shape for shape in slide.shapes if shape.name == "Text")
    assert points(text.top) > title_box[3]


# ---------------------------------------------------------------- the rules, planned from small decks

SENTENCE = "Self-attention relates every position of a sequence to every other position in a single step."


def planned(markdown: str, theme: Theme) -> tuple[list[tuple[str, list[tuple[int, str]]]], list[Diagnostic]]:
    """``[(title, [(level, text) of every text and code paragraph])]`` for each content slide, and the diagnostics."""
    document = read_document(markdown, "tests/fixtures/decks/inline.md")[0]
    plan, _, diagnostics = plan_document(document, theme, repo_root=REPO)
    slides = []
    for slide in plan.slides:
        if slide.layout != "content":
            continue
        title = "".join(run.text for para in slide.title.paras for run in para.runs)
        texts = [(para.level, "".join(run.text for run in para.runs)) for shape in slide.shapes
                 if isinstance(shape, TextShape) and shape.name in ("Text", "Code") for para in shape.paras]
        slides.append((title, texts))
    return slides, diagnostics


def test_children_that_continue_repeat_every_parent_above_them_marked_as_continued(theme):
    deepest = "\n".join(f"      - Deepest {n}: {SENTENCE}" for n in range(12))
    slides, _ = planned(f"# D\n\n## Deep\n\n- Top\n  - Middle\n    - Deep\n{deepest}\n", theme)
    assert len(slides) >= 2
    for _, texts in slides[1:]:
        assert texts[:3] == [(0, "Top (cont.)"), (1, "Middle (cont.)"), (2, "Deep (cont.)")]
    assert [text for _, texts in slides for level, text in texts if level == 3] == [
        f"Deepest {n}: {SENTENCE}" for n in range(12)]


def test_an_item_moves_to_the_next_slide_with_the_block_nested_in_it(theme):
    points = "\n".join(f"- Point {n}: {SENTENCE}" for n in range(6))
    code = "\n".join(f"  x_{n} = step(x_{n - 1})" for n in range(14))
    slides, _ = planned(f"# D\n\n## Loop\n\n{points}\n- The loop\n\n  ```python\n{code}\n  ```\n", theme)
    assert [texts[0] for _, texts in slides] == [(0, f"Point 0: {SENTENCE}"), (0, "The loop")]


def test_the_rest_of_a_cut_item_follows_its_parent_repeated_and_is_not_repeated_itself(theme):
    long_child = " ".join([SENTENCE] * 16)
    slides, _ = planned(f"# D\n\n## Cut\n\n- Parent\n  - {long_child}\n", theme)
    [(_, first), (title, rest)] = slides
    assert title == "Cut (cont.)" and rest[0] == (0, "Parent (cont.)") and len(rest) == 2
    assert f"{first[1][1]} {rest[1][1]}" == long_child and first[1][1].endswith(".")


def test_a_listing_is_cut_at_a_blank_line_near_the_foot_and_no_part_starts_or_ends_blank(theme):
    functions = "\n\n".join(f"def step_{n}(x):\n    y = x + {n}\n    return y" for n in range(12))
    slides, _ = planned(f"# D\n\n## Steps\n\n```python\n{functions}\n```\n", theme)
    parts = [[text for _, text in texts] for _, texts in slides]
    assert len(parts) >= 2
    for part in parts:
        assert part[0].startswith("def ") and part[-1] == "    return y"
    assert [line for part in parts for line in part if line] == [line for line in functions.split("\n") if line]


def test_a_title_longer_than_two_lines_is_set_smaller_within_the_limit_and_reported(theme):
    title = "A title that goes on and on " * 6
    document = read_document(f"# D\n\n## {title}\n\nText.\n", "tests/fixtures/decks/inline.md")[0]
    plan, _, diagnostics = plan_document(document, theme, repo_root=REPO)
    size = plan.slides[1].title.paras[0].size
    assert theme.section("deck")["min_title_size"] <= size < theme.section("deck")["title_size"]
    assert diagnostics == [Diagnostic("tests/fixtures/decks/inline.md", 3, "the slide title is too long for two "
                                      f"lines at 32 pt: it is set at {size:g} pt, on two lines")]


def test_a_table_row_taller_than_a_slide_is_set_smaller_within_the_limit_and_reported(theme):
    cell = " ".join([SENTENCE] * 14)
    slides, diagnostics = planned(f"# D\n\n## Tall row\n\n| A | B |\n|---|---|\n| {cell} | {cell} |\n", theme)
    assert len(slides) == 1
    assert [(d.line, d.message) for d in diagnostics] == [
        (5, "this table is too tall for a slide and cannot be split: it is set at 15 pt instead of 16 pt")]


def test_a_table_too_wide_even_in_the_smallest_size_breaks_words_and_says_so(theme):
    header = " | ".join(["Incomprehensibilities"] * 10)
    _, diagnostics = planned(f"# D\n\n## Wide\n\n| {header} |\n|{'---|' * 10}\n| {' | '.join('x' * 10)} |\n", theme)
    assert [(d.line, d.message) for d in diagnostics] == [
        (5, "a table with 10 columns is too wide for the slide even at 11 pt, the smallest table size the theme "
            "allows: it is set at that size and long words break inside their cells")]


def test_an_equation_too_wide_for_the_slide_is_set_smaller_and_reported(theme):
    terms = " + ".join(f"x_{{{n}}}" for n in range(40))
    _, diagnostics = planned(f"# D\n\n## Wide\n\n$$\n{terms}\n$$\n", theme)
    [diagnostic] = diagnostics
    assert diagnostic.line == 5 and diagnostic.message.startswith("an equation is too wide for the slide at 22 pt: ")
    assert diagnostic.message.endswith("below the theme's smallest text size; break it into lines")


def test_a_title_slide_whose_text_cannot_fit_says_so(theme):
    authors = "\n".join(f"  - Author Number {n}, With a Long Name" for n in range(80))
    _, diagnostics = planned(f"---\ntitle: A paper\nauthors:\n{authors}\n---\n\n# A paper\n\n## Next\n\nText.\n", theme)
    assert [(d.line, d.message) for d in diagnostics] == [
        (1, "the title slide's text is too long for the slide and runs past its foot; "
             "shorten the title, subtitle or author list")]


def test_a_paragraph_of_hard_line_breaks_cut_across_slides_keeps_every_break(theme):
    verse = [f"Line {n} of a long verse, and one more clause to make it longer." for n in range(40)]
    slides, _ = planned("# D\n\n## Verse\n\n" + "\\\n".join(verse) + "\n", theme)
    pieces = [text for _, texts in slides for _, text in texts]
    assert len(pieces) >= 3
    assert [line for piece in pieces for line in piece.split("\n")] == verse
