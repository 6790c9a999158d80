"""The handout PDF, opened with pypdf and pdfplumber: pages, contents, outline, footnotes, safety, sameness."""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdf
import pytest
from handout_helpers import (
    LOREM,
    build,
    document,
    heading,
    page_of,
    page_texts,
    para,
    prose,
    rich_document,
    text,
)

from decks.model import (
    Code, Figure, Footnote, FootnoteRef, Image, Link, MathBlock, Paragraph, RawHtml, RawInline, Table, Text,
)

HEADINGS = ["Why it matters", "Scaled dot-product attention", "Homework", "Results", "Implementation", "Resources"]


def contents(texts: list[str]) -> dict[str, int]:
    """The contents page read back: heading text -> the page number printed after its leader."""
    page = texts[page_of(texts, "Contents") - 1]
    entries = re.findall(r"^(.+?)\.{3,}\s*(\d+)$", page, flags=re.MULTILINE)
    return {title.strip(): int(number) for title, number in entries}


def outline(reader: pypdf.PdfReader, items: list | None = None, depth: int = 0) -> list[tuple[int, str, int]]:
    """The PDF's bookmarks as (depth, title, 1-based page), in order."""
    found: list[tuple[int, str, int]] = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    return found


def note_top(pdf: Path, page: int, words: str) -> float:
    """How far down ``page`` (in points from its top) the line holding ``words`` is."""
    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        return opened.pages[page - 1].search(words)[0]["top"]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------ contents, outline, running heads


def test_the_contents_lists_every_section_with_the_page_it_starts_on(rich):
    texts = page_texts(rich.pdf)
    listed = contents(texts)
    assert list(listed) == HEADINGS
    for title, number in listed.items():
        assert page_of(texts, title, start=2) == number, title


def test_every_heading_has_a_bookmark_nested_by_level_and_pointing_at_its_page(rich):
    reader = pypdf.PdfReader(rich.pdf)
    texts = page_texts(rich.pdf)
    assert outline(reader) == [
        (0, "Contents", 2),
        (0, "Why it matters", page_of(texts, "Why it matters", start=2)),
        (1, "Scaled dot-product attention", page_of(texts, "Scaled dot-product attention", start=2)),
        (1, "Homework", page_of(texts, "Homework", start=2)),
        (0, "Results", page_of(texts, "Results", start=2)),
        (0, "Implementation", page_of(texts, "Implementation", start=2)),
        (0, "Resources", page_of(texts, "Resources", start=2)),
    ]


def test_every_page_after_the_cover_has_the_short_title_above_and_page_x_of_y_below(rich):
    texts = page_texts(rich.pdf)
    total = len(texts)
    assert total >= 5
    for number, text in enumerate(texts[1:], start=2):
        lines = text.strip().splitlines()
        assert lines[0].startswith("Attention"), number
        assert lines[-1] == f"Paper Trail Reading Group Page {number} of {total}"


def test_the_cover_has_no_running_head_and_shows_the_papers_metadata(rich):
    cover = page_texts(rich.pdf)[0]
    assert "Page 1 of" not in cover
    for fact in (
        "PAPER TRAIL READING GROUP", "Attention Is All You Need", "The Transformer, read closely",
        "Ashish Vaswani, Noam Shazeer", "NeurIPS 2017", "arxiv.org/abs/1706.03762", "Ada Lovelace", "2024-03-12",
        "papers/sample/notes.md",
    ):
        assert fact in cover, fact


def test_the_covers_facts_stand_in_two_columns_each_label_on_its_values_first_line(rich):
    import pdfplumber

    with pdfplumber.open(rich.pdf) as pdf:
        words = {word["text"]: word for word in pdf.pages[0].extract_words()}
    rows = [("AUTHORS", "Ashish"), ("PUBLISHED", "NeurIPS"), ("PAPER", "arxiv.org/abs/1706.03762"),
            ("PRESENTER", "Ada"), ("SESSION", "2024-03-12")]
    for label, value in rows:
        assert words[value]["x0"] - words[label]["x0"] == pytest.approx(26 / 25.4 * 72, abs=0.5)  # 26 mm column
        assert words[label]["top"] < words[value]["bottom"] and words[value]["top"] < words[label]["bottom"]
    assert len({round(words[label]["x0"]) for label, _ in rows}) == 1
    tops = [words[label]["top"] for label, _ in rows]
    assert all(later - earlier > 12 for earlier, later in zip(tops, tops[1:]))  # one row after another


def test_the_pdf_carries_title_authors_subject_keywords_language_and_the_fixed_dates(rich):
    reader = pypdf.PdfReader(rich.pdf)
    assert reader.metadata["/Title"] == "Attention Is All You Need"
    assert reader.metadata["/Author"].startswith("Ashish Vaswani, Noam Shazeer")
    assert reader.metadata["/Subject"] == "Study notes: Attention Is All You Need"
    assert reader.metadata["/Keywords"] == "transformer, attention, sequence models"
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20231114221320Z"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)  # tagged, for screen readers


# ------------------------------------------------------------------ footnotes, tables, links


def test_a_footnote_is_printed_at_the_foot_of_the_page_of_its_marker(repo):
    blocks, notes = [heading(2, "Claims")], []
    for number in range(1, 5):
        blocks += [*prose(2), para(f"Claim number {number} holds.", FootnoteRef(f"c{number}"), " " + LOREM), *prose(2)]
        notes.append(Footnote(f"c{number}", (para(f"Source for claim {number}."),)))
    built = build(repo, document(*blocks, footnotes=tuple(notes)))
    texts = page_texts(built.pdf)
    assert len({page_of(texts, f"Claim number {number} holds") for number in range(1, 5)}) >= 3
    for number in range(1, 5):
        note_page = page_of(texts, f"{number} Source for claim {number}.")
        assert note_page == page_of(texts, f"Claim number {number} holds")
        assert note_top(built.pdf, note_page, f"claim {number}.") > 0.8 * 842  # at the foot of the page


def test_a_handout_whose_footnotes_all_fit_is_laid_out_once(repo, monkeypatch):
    import weasyprint

    layouts = []
    render = weasyprint.HTML.render
    monkeypatch.setattr(weasyprint.HTML, "render", lambda html, **kw: layouts.append(html) or render(html, **kw))
    notes = (Footnote("c", (para("Its source."),)),)
    build(repo, document(heading(2, "Claims"), para("A claim.", FootnoteRef("c")), *prose(3), footnotes=notes))
    assert len(layouts) == 1


def test_no_footnote_is_lost_when_many_crowd_the_foot_of_a_page(repo):
    """WeasyPrint 70 drops a note now and then (this text makes it drop one); those are set inside the text."""
    words = (
        "sequence transduction models turn one into another and the best of them connect an encoder decoder through "
        "attention mechanism lets every position look at other once so path between two distant words is short whole"
    ).split()
    chance = random.Random(5)
    blocks, notes, number = [], [], 0
    for _ in range(45):
        parts: list = []
        for _ in range(chance.randint(10, 140)):
            parts.append(Text(chance.choice(words) + " "))
            if chance.random() < 0.03:
                number += 1
                parts += [Text(f"Mark{number}"), FootnoteRef(f"n{number}")]
                notes.append(Footnote(f"n{number}", (para(f"Source {number}."),)))
        blocks.append(Paragraph(tuple(parts)))
    built = build(repo, document(*blocks, footnotes=tuple(notes)))
    texts = page_texts(built.pdf)
    for note in range(1, number + 1):
        marker = next(page for page, text in enumerate(texts) if re.search(rf"Mark{note}(\s?\[)?{note}(?!\d)", text))
        note_text = re.compile(rf"(^{note} ?|\[{note}: )Source {note}\.", re.MULTILINE)
        printed = [page for page, text in enumerate(texts) if note_text.search(text)]
        assert printed and printed[0] in (marker, marker + 1), note


def test_a_table_that_breaks_across_pages_repeats_its_header_row(rich):
    texts = page_texts(rich.pdf)
    pages = {page_of(texts, f"Model {row} ") for row in range(1, 49)}
    assert len(pages) >= 2
    for number in pages:
        assert "Model BLEU Parameters Kind" in texts[number - 1], number


def test_rows_of_a_table_are_never_split_across_pages(rich):
    texts = page_texts(rich.pdf)
    for row in range(1, 49):
        line = next(line for text in texts for line in text.splitlines() if line.startswith(f"Model {row} "))
        assert line.endswith("encoder-decoder"), line


def test_long_code_in_a_narrow_table_column_wraps_inside_the_page_and_reads_back_whole(repo):
    import pdfplumber

    query = "SELECT DISTINCT AIRPORT_SERVICEalias0.CITY_CODE FROM " * 4 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3 + " ;"
    header = tuple((Text(name),) for name in ("Question", "Split", "Model", "Query"))
    row = ((Text("What flights land at MKE?"),), (Text("51"),), (Text("Seq2Seq with copying"),), (Code(query),))
    built = build(repo, document(heading(2, "SQL"), Table(header, (row,), ("",) * 4)))
    with pdfplumber.open(built.pdf) as pdf:
        page = next(page for page in pdf.pages if "SELECT" in (page.extract_text() or ""))
        assert max(char["x1"] for char in page.chars) < page.width - 36  # inside the right margin
        column = page.crop((page.search("SELECT")[0]["x0"] - 1, 0, page.width, page.height))
        assert flat(query) in flat(column.extract_text())


def test_every_external_links_address_is_printed_for_readers_of_paper(rich):
    text = flat("".join(page_texts(rich.pdf)))
    for address in (
        "arxiv.org/abs/1706.03762",
        "jalammar.github.io/illustrated-transformer/",
        "nlp.seas.harvard.edu/annotated-transformer/",
    ):
        assert address in text


def test_links_stay_clickable(rich):
    reader = pypdf.PdfReader(rich.pdf)
    uris = {
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    }
    assert "https://arxiv.org/abs/1706.03762" in uris
    assert "https://jalammar.github.io/illustrated-transformer/" in uris


# ------------------------------------------------------------------ links within the handout

PARTS = [f"Part {number}" for number in range(1, 7)]


def cross_referenced() -> Document:
    """Six sections of about a page each: every one links back to the one before; the first also links ahead."""
    blocks: list = []
    for number, title in enumerate(PARTS, start=1):
        links = [Link(f"#part-{number - 1}", text(f"back to Part {number - 1}")), ". "] if number > 1 else []
        if number == 1:
            links += [Link("#part-6", text("ahead to Part 6")), ". "]
        blocks += [heading(2, title), para("This section links ", *links, LOREM), *prose(4)]
    return document(*blocks)


@contextmanager
def page_layouts() -> Iterator[list[int]]:
    """The numbers of the pages WeasyPrint lays out while the block runs, once per layout, from its progress log."""
    laid_out: list[int] = []

    class Recorder(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found = re.fullmatch(r"Step 5 - Creating layout - Page (\d+)", record.getMessage())
            if found:
                laid_out.append(int(found[1]))

    progress = logging.getLogger("weasyprint.progress")
    recorder, level = Recorder(), progress.level
    progress.addHandler(recorder)
    progress.setLevel(logging.INFO)
    try:
        yield laid_out
    finally:
        progress.removeHandler(recorder)
        progress.setLevel(level)


def test_an_internal_link_prints_the_page_of_the_heading_it_leads_to_whether_before_or_after_it(repo):
    texts = page_texts(build(repo, cross_referenced()).pdf)
    printed = re.findall(r"(?:back|ahead) to (Part \d) \(p\. (\d+)\)", re.sub(r"\s+", " ", " ".join(texts)))
    assert sorted(title for title, _ in printed) == PARTS
    for title, number in printed:
        assert title in texts[int(number) - 1].splitlines(), title  # the heading itself, a line of its own


def test_only_pages_holding_a_link_to_a_later_page_are_laid_out_twice(repo):
    with page_layouts() as laid_out:
        built = build(repo, cross_referenced())
    texts = page_texts(built.pdf)
    pointing_ahead = {page_of(texts, "Contents"), page_of(texts, "ahead to Part 6")}
    assert sorted(laid_out) == sorted([*range(1, len(texts) + 1), *pointing_ahead])


def test_a_handout_built_again_starts_from_its_last_page_numbers_and_comes_out_the_same(repo):
    from decks import diskcache

    first_pdf = build(repo, cross_referenced(), name="first").pdf.read_bytes()  # nothing kept: nothing remembered
    diskcache.keep_in(repo / "build" / "cache")
    try:
        build(repo, cross_referenced(), name="second")  # remembers its headings' pages in build/cache
        with page_layouts() as laid_out:
            again = build(repo, cross_referenced(), name="third")
    finally:
        diskcache.keep_in(None)
    assert sorted(laid_out) == list(range(1, len(page_texts(again.pdf)) + 1))  # every page once
    assert again.pdf.read_bytes() == first_pdf


def test_remembered_pages_that_are_all_wrong_cost_layouts_not_a_different_pdf(repo):
    from decks import diskcache

    expected = build(repo, cross_referenced(), name="expected").pdf.read_bytes()
    cache = repo / "build" / "cache"
    diskcache.keep_in(cache)
    try:
        build(repo, cross_referenced(), name="remembering")
        entries = list((cache / "pages").rglob("*.json"))
        for entry in entries:  # every heading remembered on a page it is not on
            entry.write_text(json.dumps({anchor: [page + 1] for anchor, [page] in json.loads(entry.read_text()).items()}))
        with page_layouts() as laid_out:
            misled = build(repo, cross_referenced(), name="misled")
    finally:
        diskcache.keep_in(None)
    assert len(entries) == 1
    assert misled.pdf.read_bytes() == expected
    assert len(laid_out) > len(page_texts(misled.pdf))


# ------------------------------------------------------------------ pages and sameness


def test_two_writes_of_the_same_document_give_the_same_bytes(repo):
    first = build(repo, rich_document(), name="first")
    second = build(repo, rich_document(), name="second")
    assert first.pdf.read_bytes() == second.pdf.read_bytes()


def test_a_word_broken_at_the_end_of_a_line_is_hyphenated_in_its_own_font(repo):
    import pdfplumber

    built = build(repo, document(*prose(8)))
    with pdfplumber.open(built.pdf) as opened:
        chars = [char for page in opened.pages for char in page.chars]
    assert any(char["text"] == "-" and char["fontname"].endswith("Caladea") for char in chars)  # words were broken
    assert {char["fontname"].split("+")[-1] for char in chars} == {"Caladea", "Carlito", "Carlito-Bold"}


@pytest.mark.parametrize(("page_size", "width", "height"), [("A4", 595.3, 841.9), ("Letter", 612.0, 792.0)])
def test_the_page_size_comes_from_the_theme(repo, page_size, width, height):
    built = build(repo, document(para("Short.")), page_size=page_size)
    box = pypdf.PdfReader(built.pdf).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (width, height)


def test_the_intermediate_html_is_written_for_previewing_with_absolute_addresses(rich):
    html = rich.html.read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="file:///' in html
    image = re.search(r'<img src="(file:///[^"]+bar-chart\.png)"', html)
    assert image is not None
    assert Path(image.group(1).removeprefix("file://")).is_file()


def test_the_theme_stylesheet_is_handed_over_parsed_not_fetched_again_through_the_html_link(repo, monkeypatch):
    from decks.handout.fetch import RepositoryFetcher

    fetched = []
    fetch = RepositoryFetcher.fetch
    monkeypatch.setattr(RepositoryFetcher, "fetch", lambda self, url, *a: fetched.append(url) or fetch(self, url, *a))
    built = build(repo, document(para("Short.")))
    assert "handout.css" in built.html.read_text(encoding="utf-8")
    assert not [url for url in fetched if url.endswith(".css")]


def test_weasyprint_alone_on_the_intermediate_html_prints_the_same_pages(rich, tmp_path):
    import weasyprint

    alone = tmp_path / "alone.pdf"  # presentational hints, as browsers apply them: <ol start="3"> starts at 3
    weasyprint.HTML(filename=rich.html).write_pdf(alone, presentational_hints=True)
    assert page_texts(alone) == page_texts(rich.pdf)


# ------------------------------------------------------------------ what may be loaded


def test_images_outside_the_repository_are_refused_and_nothing_of_them_reaches_the_pdf(repo):
    (repo / "papers" / "sample" / "figures" / "link.png").symlink_to("/etc/passwd")
    built = build(
        repo,
        document(
            heading(2, "Sneaky", line=3),
            Figure(Image("file:///etc/passwd", "passwords"), line=5),
            Figure(Image("figures/link.png", "a symlink out"), line=7),
            Figure(Image("../../../../../../etc/passwd", "climbing out"), line=9),
            RawHtml('<p><img src="/etc/passwd" alt="raw"></p>', line=11),
            Paragraph((Text("inline "), RawInline('<img src="file:///etc/passwd">')), line=13),
            Figure(Image("figures/sneaky.svg", "an SVG that points outside"), line=15),
        ),
    )
    text = "".join(page_texts(built.pdf))
    assert "root:" not in text
    assert b"root:x:0" not in built.pdf.read_bytes()
    messages = [str(diagnostic) for diagnostic in built.diagnostics]
    for line in (5, 7, 9, 11, 13):
        assert any(message.startswith(f"papers/sample/notes.md:{line}: warning: image") for message in messages), line
    assert "papers/sample/notes.md: warning: refused to load 'file:///etc/passwd'" in "\n".join(messages)
    assert not any("WeasyPrint" in message for message in messages)


def test_remote_images_are_not_fetched_by_default_and_their_address_is_shown_instead(repo):
    built = build(repo, document(Figure(Image("http://example.com/chart.png", "A chart"), line=4)))
    assert [str(d) for d in built.diagnostics] == [
        "papers/sample/notes.md:4: warning: image 'http://example.com/chart.png' not shown: "
        "remote addresses are fetched only with --allow-remote"
    ]
    assert "http://example.com/chart.png" in flat("".join(page_texts(built.pdf)))


def test_the_long_address_of_an_image_not_shown_wraps_inside_the_page_and_reads_back_whole(repo):
    import pdfplumber

    address = "https://raw.githubusercontent.com/group/" + "averyveryverylongfolder" * 8 + "/chart.png"
    built = build(repo, document(para("Before ", Image(address, "A chart"), " after.")))
    with pdfplumber.open(built.pdf) as pdf:
        page = next(page for page in pdf.pages if "A chart" in (page.extract_text() or ""))
        assert max(char["x1"] for char in page.chars) < page.width - 36  # inside the right margin
    assert address in flat("".join(page_texts(built.pdf)))


def test_weasyprint_messages_come_back_as_diagnostics_and_are_never_printed(repo, capfd):
    theme_folder = repo / "themes" / "broken"
    theme_folder.mkdir()
    (theme_folder / "theme.toml").write_text('extends = "default"\n', encoding="utf-8")
    css = (repo / "themes" / "default" / "handout.css").read_text(encoding="utf-8")
    (theme_folder / "handout.css").write_text(css + "\np { colr: red; }\n", encoding="utf-8")
    from decks.handout.pdf import write_handout
    from decks.themes import load_theme

    diagnostics = write_handout(
        document(para("Text.")), load_theme("broken", repo / "themes"), repo / "out.pdf", repo_root=repo,
        html_out=repo / "out.html", group="G", allow_remote=False, timestamp=0,
    )
    assert any("colr" in d.message and d.path == "themes/broken/handout.css" for d in diagnostics)
    captured = capfd.readouterr()
    assert captured.out == captured.err == ""


# ------------------------------------------------------------------ math


def test_math_that_cannot_be_typeset_is_shown_as_its_source_with_a_diagnostic(repo):
    built = build(repo, document(MathBlock(r"\frac{a}{", line=7), para("after")))
    assert any(d.line == 7 and "math not typeset" in d.message for d in built.diagnostics)
    assert r"\frac{a}{" in "".join(page_texts(built.pdf))


def test_typeset_math_keeps_its_latex_as_alt_text(rich):
    html = rich.html.read_text(encoding="utf-8")
    assert 'class="math-block" src="data:image/svg+xml;base64,' in html
    assert r'alt="\mathrm{Attention}(Q, K, V)' in html


def test_a_link_inside_a_footnote_prints_its_address_inline(rich):
    text = flat("".join(page_texts(rich.pdf)))
    assert flat("as reported in the paper (arxiv.org/abs/1706.03762)") in text


def test_a_document_without_headings_has_no_contents_page(repo):
    built = build(repo, document(*prose(2)))
    texts = page_texts(built.pdf)
    assert not any("Contents" in text for text in texts)
    assert len(texts) == 2


def test_a_link_whose_text_is_its_address_is_not_printed_twice(repo):
    url = "https://example.org/paper"
    built = build(repo, document(para("See ", Link(url, (Text(url),)), ".")))
    assert flat("".join(page_texts(built.pdf))).count("example.org/paper") == 1


def test_the_pdf_does_not_depend_on_where_the_repository_is_checked_out(tmp_path):
    from handout_helpers import make_repo

    pdfs = [
        build(make_repo(tmp_path / folder / "repo"), document(Figure(Image("figures/bar-chart.png", "Chart")))).pdf
        for folder in ("here", "somewhere-else")
    ]
    assert pdfs[0].read_bytes() == pdfs[1].read_bytes()
