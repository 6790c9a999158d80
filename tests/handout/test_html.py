"""The handout's HTML: what each part of a Document becomes, read back as an element tree."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, tostring

import pytest
import tinyhtml5
from handout_helpers import SOURCE, document, heading, para, theme
from msgspec.structs import replace

from decks.handout.html import render_document
from decks.model import (
    Code,
    CodeBlock,
    Details,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Image,
    Link,
    ListBlock,
    ListItem,
    Math,
    MathBlock,
    Notes,
    Paragraph,
    Quote,
    RawHtml,
    Strong,
    Table,
    Text,
)


def render(repo: Path, *blocks, footnotes=(), **meta) -> tuple[Element, list[str]]:
    html, diagnostics = render_document(
        document(*blocks, footnotes=footnotes, **meta), theme(repo), group="Paper Trail",
        base_dir=repo / "papers" / "sample", repo_root=repo,
    )
    return tinyhtml5.parse(html, namespace_html_elements=False), [str(d) for d in diagnostics]


def body(tree: Element) -> Element:
    return tree.find(".//main")


def text(element: Element) -> str:
    """The text a reader sees: without the zero-width spaces that mark where a line may break."""
    return "".join(element.itertext()).replace("\u200b", "")


def classes(element: Element) -> list[str]:
    return (element.get("class") or "").split()


# ------------------------------------------------------------------ lists


def test_a_list_starting_at_3_starts_at_3(repo):
    tree, _ = render(repo, ListBlock((ListItem((para("a"),)), ListItem((para("b"),))), ordered=True, start=3))
    assert body(tree).find("ol").get("start") == "3"


def test_nested_lists_stay_nested(repo):
    inner = ListBlock((ListItem((para("inner"),)),))
    tree, _ = render(repo, ListBlock((ListItem((para("outer"), inner)),)))
    assert text(body(tree).find("ul/li/ul/li")) == "inner"


def test_task_items_show_a_ticked_or_empty_box(repo):
    tasks = (ListItem((para("done"),), checked=True), ListItem((para("todo"),), checked=False))
    tree, _ = render(repo, ListBlock(tasks))
    items = body(tree).findall("ul/li")
    assert [(classes(item), text(item)) for item in items] == [
        (["task", "done"], "☑done"), (["task", "open"], "☐todo"),
    ]
    assert "tasks" in classes(body(tree).find("ul"))


# ------------------------------------------------------------------ call-outs, details, code, tables


@pytest.mark.parametrize("kind", ["note", "tip", "important", "warning", "caution"])
def test_a_github_alert_is_a_call_out_with_its_title(repo, kind):
    tree, _ = render(repo, Quote((para("Mind this."),), kind=kind))
    aside = body(tree).find("aside")
    assert classes(aside) == ["alert", f"alert-{kind}"]
    assert text(aside.find("p")) == kind.capitalize()


def test_a_plain_blockquote_stays_a_blockquote(repo):
    tree, _ = render(repo, Quote((para("Said."),)))
    assert text(body(tree).find("blockquote")) == "Said."


def test_details_are_shown_open_with_their_summary_as_a_heading(repo):
    tree, _ = render(repo, Details((Text("Proof"),), (para("Inside."),)))
    section = body(tree).find("section")
    assert [text(child) for child in section] == ["Proof", "Inside."]
    assert classes(section[0]) == ["details-summary"]


def test_code_is_coloured_by_token_class_line_by_line_and_keeps_its_language(repo):
    tree, _ = render(repo, CodeBlock("def f():\n\n    return 1", language="python"))
    block = body(tree).find("div")
    assert block.get("data-language") == "python"
    assert [text(line) for line in block.findall("pre/code/span")] == ["def f():", " ", "    return 1"]
    assert block.find("pre/code/span/span[@class='k']") is not None


def test_code_tokens_the_theme_style_leaves_plain_are_plain_text(repo):
    tree, _ = render(repo, CodeBlock("x = max(a, b)", language="python"))  # the default theme: Pygments' friendly
    line = body(tree).find("div/pre/code/span")
    assert text(line) == "x = max(a, b)"
    assert [(span.get("class"), span.text) for span in line] == [("o", "="), ("nb", "max")]  # names, brackets: plain


def test_table_cells_keep_the_column_alignment(repo):
    tree, _ = render(repo, Table(((Text("a"),), (Text("b"),)), (((Text("1"),), (Text("2"),)),), ("left", "right")))
    row = body(tree).find(".//tbody/tr")
    assert [cell.get("class") for cell in row] == ["align-left", "align-right"]
    assert [text(cell) for cell in body(tree).find(".//thead/tr")] == ["a", "b"]


def test_a_table_with_many_columns_is_marked_wide(repo):
    cells = tuple((Text(str(i)),) for i in range(6))
    tree, _ = render(repo, Table(cells, (cells,), ("",) * 6))
    assert "table-wide" in classes(body(tree).find("div"))


def test_the_addresses_of_links_in_a_table_are_listed_under_it_by_letter(repo):
    link = (Link("https://example.org/a", (Text("A"),)),)
    again = (Link("https://example.org/a", (Text("A again"),)),)
    tree, _ = render(repo, Table(((Text("paper"),),), ((link,), (again,)), ("",)))
    refs = [text(ref) for ref in body(tree).iter("a") if "note-ref" in classes(ref)]
    assert refs == ["a", "a"]
    assert text(body(tree).find(".//p[@class='table-notes']")).strip() == "a example.org/a"


def test_code_in_a_table_may_break_after_punctuation_and_inside_long_runs_and_nowhere_else(repo):
    code = "rows.filter(AIRPORT_SERVICEalias0) x"
    tree, _ = render(repo, Table(((Text("query"),),), (((Code(code),),),), ("",)), para(Code(code)))
    pieces = "".join(body(tree).find(".//td/code").itertext()).split("\u200b")  # where a line may break
    assert pieces == ["rows.", "filter(", "AIRPORT_", "SERVICEalias", "0) x"]  # no run over 12 characters
    assert "".join(body(tree).find("p/code").itertext()) == code  # running text breaks code only where it must


def test_a_printed_address_may_break_after_slashes_before_punctuation_and_inside_long_runs(repo):
    tree, _ = render(repo, para(Link("https://example.org/averyveryverylongname?x=1", (Text("A"),))))
    note = next(span for span in body(tree).iter("span") if "address" in classes(span))
    assert "".join(note.itertext()).split("\u200b") == ["example.org/", "averyveryver", "ylongname", "?x", "=1"]


def test_a_link_whose_text_is_its_address_breaks_like_a_printed_address(repo):
    address = "https://example.org/averyveryverylongname"
    tree, _ = render(repo, para(Link(address, (Text(address),))))
    shown = body(tree).find("p/span[@class='address']/a")
    assert "".join(shown.itertext()).split("\u200b") == ["https:/", "/", "example.org/", "averyveryver", "ylongname"]


# ------------------------------------------------------------------ headings and contents


def test_the_title_heading_is_left_to_the_cover(repo):
    title = Heading(1, (Text("Attention Is All You Need"),), line=1)
    titled = replace(document(title, heading(2, "Method")), title_line=1)
    html, _ = render_document(titled, theme(repo), group="G", base_dir=repo, repo_root=repo)
    tree = tinyhtml5.parse(html, namespace_html_elements=False)
    assert list(body(tree).iter("h1")) == []
    assert text(tree.find(".//h1[@class='cover-title']")) == "Attention Is All You Need"


def test_the_contents_lists_level_two_and_three_headings_linked_to_their_anchors(repo):
    tree, _ = render(repo, heading(2, "Method"), heading(3, "Details here"), heading(4, "Too deep"))
    links = [(item.get("class"), item.find("a").get("href"), text(item)) for item in tree.findall(".//nav/ol/li")]
    assert links == [("toc-level-1", "#method", "Method"), ("toc-level-2", "#details-here", "Details here")]


def test_repeated_headings_get_distinct_anchors_and_links_find_them_whatever_the_case(repo):
    tree, diagnostics = render(
        repo, heading(2, "Setup", anchor="setup"), heading(2, "Setup", anchor=""),
        para(Link("#SETUP-1", (Text("second"),))),
    )
    assert [h.get("id") for h in body(tree).iter("h2")] == ["setup", "setup-1"]
    assert body(tree).find(".//a[@class='internal']").get("href") == "#setup-1"
    assert diagnostics == []


def test_a_link_to_an_anchor_that_does_not_exist_is_plain_text_and_reported(repo):
    tree, diagnostics = render(repo, Paragraph((Link("#nowhere", (Text("see"),)),), line=4))
    assert body(tree).find(".//a") is None
    assert diagnostics == [f"{SOURCE}:4: warning: link to '#nowhere' goes nowhere: no heading or anchor has that name"]


# ------------------------------------------------------------------ footnotes and addresses


def test_footnotes_and_link_addresses_share_one_sequence_of_numbers(repo):
    tree, _ = render(
        repo,
        para("A", FootnoteRef("x"), " and ", Link("https://example.org/b", (Text("b"),)), " again", FootnoteRef("x")),
        footnotes=(Footnote("x", (para("The note."),)),),
    )
    notes = [(note.get("data-n"), text(note)) for note in body(tree).iter("span") if "footnote" in classes(note)]
    assert notes == [("1", "The note."), ("2", "example.org/b")]
    assert text(body(tree).find(".//a[@class='note-ref']")) == "1"


def test_an_undefined_footnote_is_shown_as_written_and_reported(repo):
    tree, diagnostics = render(repo, Paragraph((Text("A"), FootnoteRef("ghost")), line=9))
    assert text(body(tree).find("p")) == "A[^ghost]"
    assert diagnostics == [f"{SOURCE}:9: warning: footnote [^ghost] is used but never defined"]


def test_a_link_into_the_repository_prints_its_path_from_the_repository_root(repo):
    tree, _ = render(repo, para(Link("../other/notes.md", (Text("the other notes"),))))
    paragraph = body(tree).find("p")
    assert paragraph.find("a") is None
    assert text(paragraph) == "the other notespapers/other/notes.md"


def test_in_a_reading_list_each_entry_has_a_title_a_description_and_its_address(repo):
    title = Link("https://example.org/guide", (Strong((Text("The Guide"),)),))
    entry = ListItem((para(title, " — a gentle start."),))
    tree, _ = render(repo, heading(2, "Further reading"), ListBlock((entry,)))
    item = body(tree).find("ul/li")
    assert classes(body(tree).find("ul")) == ["reading-list"]
    assert [(classes(part)[0], text(part)) for part in item] == [
        ("entry-title", "The Guide"), ("entry-description", "a gentle start."), ("entry-address", "example.org/guide"),
    ]
    assert item[0].get("href") == "https://example.org/guide"


def test_the_reading_list_ends_with_its_section(repo):
    link = para(Link("https://example.org", (Text("Example"),)))
    tree, _ = render(repo, heading(2, "Resources"), ListBlock((ListItem((link,)),)), heading(2, "Appendix"), link)
    assert body(tree).find("p/span").get("class") == "footnote link-note"


# ------------------------------------------------------------------ images, math, raw HTML


def test_a_figure_has_its_image_scaled_by_css_alt_text_and_a_caption(repo):
    tree, _ = render(repo, Figure(Image("figures/bar-chart.png", "Cost per model", title="Training cost")))
    figure = body(tree).find("figure")
    image = figure.find("img")
    assert image.get("src") == (repo / "papers" / "sample" / "figures" / "bar-chart.png").resolve().as_uri()
    assert image.get("alt") == "Cost per model"
    assert text(figure.find("figcaption")) == "Training cost"


def test_an_alt_text_that_only_repeats_the_file_name_is_no_caption(repo):
    tree, _ = render(repo, Figure(Image("figures/bar-chart.png", "bar chart")))
    assert body(tree).find("figure/figcaption") is None


def test_a_missing_image_is_reported_with_its_line_and_named_in_its_place(repo):
    tree, diagnostics = render(repo, Figure(Image("figures/nope.png", "Missing chart"), line=12))
    assert text(body(tree).find("figure")) == "Missing chart"
    assert diagnostics == [f"{SOURCE}:12: warning: image 'figures/nope.png' not shown: no such file"]


def test_raw_html_loses_scripts_frames_styles_and_event_handlers(repo):
    raw = (
        '<div onclick="steal()" style="color:red" class="x"><b>kept</b><script>alert(1)</script>'
        '<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="y">'
        '<link rel="stylesheet" href="z.css"><style>p{}</style><a href="javascript:alert(1)">js</a></div>'
    )
    tree, _ = render(repo, RawHtml(raw, line=3))
    markup = tostring(body(tree), encoding="unicode")
    for gone in ("script", "iframe", "object", "embed", "link", "style", "onclick", "javascript", "class=\"x\""):
        assert gone not in markup
    assert text(body(tree)).strip() == "keptjs"


def test_raw_html_images_obey_the_same_rules_as_markdown_images(repo):
    tree, diagnostics = render(repo, RawHtml('<p>\n<img src="/etc/passwd" alt="secret" width="10">\n</p>', line=20))
    assert body(tree).find(".//img") is None
    assert diagnostics == [
        f"{SOURCE}:21: warning: image '/etc/passwd' not shown: "
        "it is outside the repository; only files inside it are loaded"
    ]


def test_an_unclosed_tag_in_raw_html_cannot_swallow_what_follows(repo):
    tree, _ = render(repo, RawHtml("<div><em>open", line=1), para("after"))
    assert [element.tag for element in body(tree)] == ["div", "p"]


def test_display_math_is_an_svg_image_with_its_latex_as_alt_text(repo):
    tree, _ = render(repo, MathBlock(r"E = mc^2"))
    image = body(tree).find(".//img")
    assert image.get("src").startswith("data:image/svg+xml;base64,")
    assert image.get("alt") == "E = mc^2"


def test_a_macro_defined_in_one_formula_holds_in_the_others_and_its_definition_shows_nothing(repo):
    """As on GitHub, whose MathJax keeps a page's \\newcommand for the formulas after it (as the deck does)."""
    defining, using = r"\newcommand{\R}{\mathbb{R}}", r"x \in \R^{d}"
    tree, diagnostics = render(repo, para("Let ", Math(defining), "be the reals."), MathBlock(using))
    assert not diagnostics
    assert [image.get("alt") for image in body(tree).iter("img")] == [using]  # typeset; the definition is not shown
    assert body(tree).find(".//code") is None  # no formula left as LaTeX source


def test_speaker_notes_are_left_out_of_the_handout(repo):
    tree, _ = render(repo, para("Shown."), Notes((para("Presenter only."),)))
    assert "Presenter only." not in text(body(tree))


def test_inline_code_stays_code(repo):
    tree, _ = render(repo, para("Call ", Code("attention(q, k, v)"), "."))
    assert text(body(tree).find("p/code")) == "attention(q, k, v)"


# ------------------------------------------------------------------ the page around the body


def test_the_head_carries_the_metadata_the_pdf_is_made_from(repo):
    tree, _ = render(repo, para("x"), authors=("A. One", "B. Two"), keywords=("attention",), language="de")
    assert tree.get("lang") == "de"
    metas = {(meta.get("name"), meta.get("content")) for meta in tree.iter("meta")}
    assert {("author", "A. One"), ("author", "B. Two"), ("keywords", "attention"),
            ("description", "Study notes: Attention Is All You Need")} <= metas


def test_the_page_size_and_theme_colours_reach_the_stylesheet(repo):
    html, _ = render_document(
        document(para("x")), theme(repo, page_size="Letter"), group="G", base_dir=repo, repo_root=repo,
    )
    assert "@page { size: Letter; }" in html
    assert "--heading: #0B3C5D;" in html
