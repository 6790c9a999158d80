"""The Markdown dialect: GitHub-flavoured Markdown with front matter, read into the document model."""

from __future__ import annotations

import time
from typing import Any

import msgspec
import pytest
from fuzzing import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from decks.errors import Diagnostic, SourceError
from decks.markdown import read_document, render_html
from decks.model import (
    Code,
    CodeBlock,
    Columns,
    Details,
    Document,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Image,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Math,
    MathBlock,
    Meta,
    Notes,
    Paragraph,
    Quote,
    RawHtml,
    RawInline,
    Strikethrough,
    Strong,
    Table,
    Text,
    ThematicBreak,
    Value,
)

SOURCE = "papers/attention/overview.md"


def read(text: str, fallback: str = "attention") -> Document:
    document, _ = read_document(text, SOURCE, fallback)
    return document


def problems(text: str) -> list[Diagnostic]:
    return read_document(text, SOURCE)[1]


def shape(value: Any) -> Any:
    """A model value with every line number set to 0: for tests about structure, not lines."""
    if isinstance(value, tuple):
        return tuple(shape(item) for item in value)
    if isinstance(value, Value):
        changes = {name: shape(getattr(value, name)) for name in value.__struct_fields__}
        if "line" in changes:
            changes["line"] = 0
        return msgspec.structs.replace(value, **changes)
    return value


def blocks(text: str) -> tuple[Any, ...]:
    return shape(read(text).blocks)


def para(*children: Any) -> Paragraph:
    return Paragraph(tuple(Text(child) if isinstance(child, str) else child for child in children))


def items(*texts: str) -> tuple[ListItem, ...]:
    return tuple(ListItem((para(text),)) for text in texts)


# ---------------------------------------------------------------- lists


def test_a_list_nested_by_two_spaces_nests_as_on_github() -> None:
    assert blocks("- fruit\n  - apple\n  - pear\n- bread\n") == (
        ListBlock((ListItem((para("fruit"), ListBlock(items("apple", "pear")))), ListItem((para("bread"),)))),
    )


def test_a_list_nested_by_four_spaces_nests_as_on_github() -> None:
    assert blocks("- fruit\n    - apple\n        - green\n- bread\n") == (
        ListBlock(
            (
                ListItem((para("fruit"), ListBlock((ListItem((para("apple"), ListBlock(items("green")))),)))),
                ListItem((para("bread"),)),
            )
        ),
    )


def test_an_ordered_list_nests_at_its_text_column() -> None:
    assert blocks("1. one\n   - sub\n2. two\n") == (
        ListBlock((ListItem((para("one"), ListBlock(items("sub")))), ListItem((para("two"),))), ordered=True),
    )


def test_a_list_right_under_a_paragraph_line_is_a_list() -> None:
    assert blocks("Results:\n- fast\n- small\n") == (para("Results:"), ListBlock(items("fast", "small")))


def test_a_list_starting_at_3_starts_at_3() -> None:
    assert blocks("3. three\n4. four\n") == (ListBlock(items("three", "four"), ordered=True, start=3),)


def test_a_list_item_holds_a_second_paragraph() -> None:
    assert blocks("- first\n\n  more of it\n- second\n") == (
        ListBlock((ListItem((para("first"), para("more of it"))), ListItem((para("second"),)))),
    )


def test_task_list_items_are_ticked_or_not() -> None:
    assert blocks("- [x] read the paper\n- [ ] write the deck\n- plain\n") == (
        ListBlock(
            (
                ListItem((para("read the paper"),), checked=True),
                ListItem((para("write the deck"),), checked=False),
                ListItem((para("plain"),)),
            )
        ),
    )


def test_a_fence_inside_a_list_item_is_code_in_that_item() -> None:
    assert blocks("- Run:\n  ```bash\n  pip install x\n    --quiet\n  ```\n- Done\n") == (
        ListBlock(
            (
                ListItem((para("Run:"), CodeBlock("pip install x\n  --quiet", "bash"))),
                ListItem((para("Done"),)),
            )
        ),
    )


def test_math_inside_a_list_item_stays_math() -> None:
    assert blocks("- Loss:\n\n  $$\n  - \\sum_i y_i\n  $$\n") == (
        ListBlock((ListItem((para("Loss:"), MathBlock("- \\sum_i y_i"))),)),
    )


# ---------------------------------------------------------------- code


def test_fenced_code_keeps_every_space_and_its_language() -> None:
    code = "def f(x):\n    return x  # twice\n\n\tpass"
    assert blocks(f"```python\n{code}\n```\n") == (CodeBlock(code.replace("\t", "    "), "python"),)


def test_a_fence_right_under_a_paragraph_line_is_code() -> None:
    assert blocks("Example:\n~~~\na < b & c\n~~~\nAfter.\n") == (
        para("Example:"),
        CodeBlock("a < b & c"),
        para("After."),
    )


def test_indented_code_is_code() -> None:
    assert blocks("Text.\n\n    x = 1\n    y = 2\n") == (para("Text."), CodeBlock("x = 1\ny = 2"))


def test_an_unclosed_fence_runs_to_the_end_and_is_reported() -> None:
    document, found = read_document("Intro\n\n```python\nx = 1\n", SOURCE)
    assert shape(document.blocks) == (para("Intro"), CodeBlock("x = 1", "python"))
    assert [str(problem) for problem in found] == [
        f"{SOURCE}:3: warning: code fence is never closed; it runs to the end of its block"
    ]


# ---------------------------------------------------------------- tables


def test_a_table_keeps_its_column_alignment() -> None:
    assert blocks("| Model | BLEU | Cost |\n|:--|:-:|--:|\n| **Base** | 27.3 | `1x` |\n") == (
        Table(
            header=((Text("Model"),), (Text("BLEU"),), (Text("Cost"),)),
            rows=(((Strong((Text("Base"),)),), (Text("27.3"),), (Code("1x"),)),),
            alignments=("left", "center", "right"),
        ),
    )


def test_a_pipe_escaped_in_table_code_is_a_pipe() -> None:
    assert blocks("| op |\n|---|\n| `a \\| b` |\n") == (Table(((Text("op"),),), (((Code("a | b"),),),), ("",)),)


def test_a_table_right_under_a_paragraph_line_is_a_table() -> None:
    assert blocks("Scores:\n| a | b |\n|---|---|\n| 1 | 2 |\n") == (
        para("Scores:"),
        Table(((Text("a"),), (Text("b"),)), (((Text("1"),), (Text("2"),)),), ("", "")),
    )


# ---------------------------------------------------------------- inlines


def test_inline_formatting_maps_to_model_inlines() -> None:
    text = '**bold** *em* ~~gone~~ `code` [link](https://a.org "A") ![pic](p.png "P")\n'
    assert blocks(text) == (
        para(
            Strong((Text("bold"),)),
            " ",
            Emphasis((Text("em"),)),
            " ",
            Strikethrough((Text("gone"),)),
            " ",
            Code("code"),
            " ",
            Link("https://a.org", (Text("link"),), "A"),
            " ",
            Image("p.png", "pic", "P"),
        ),
    )


def test_single_tildes_strike_through_as_on_github() -> None:
    assert blocks("~old~ and ~~older~~\n") == (
        para(Strikethrough((Text("old"),)), " and ", Strikethrough((Text("older"),))),
    )


def test_text_is_unescaped() -> None:
    assert blocks("Tom &amp; Jerry &copy; \\*not em\\* a\\|b 5 \\< 6\n") == (para("Tom & Jerry © *not em* a|b 5 < 6"),)


def test_bare_urls_become_links() -> None:
    assert blocks("See https://arxiv.org/abs/1706.03762 and www.example.com.\n") == (
        para(
            "See ",
            Link("https://arxiv.org/abs/1706.03762", (Text("https://arxiv.org/abs/1706.03762"),)),
            " and ",
            Link("http://www.example.com", (Text("www.example.com"),)),
            ".",
        ),
    )


def test_an_email_address_becomes_a_mailto_link() -> None:
    assert blocks("Write to <ada@example.org>.\n") == (
        para("Write to ", Link("mailto:ada@example.org", (Text("ada@example.org"),)), "."),
    )


def test_emoji_shortcodes_become_characters() -> None:
    assert blocks("Ship it :rocket: :tada:\n") == (para("Ship it 🚀 🎉"),)


def test_hard_line_breaks_by_two_spaces_or_a_backslash() -> None:
    assert blocks("one  \ntwo\\\nthree\nfour\n") == (para("one", LineBreak(), "two", LineBreak(), "three four"),)


def test_inline_html_maps_known_tags_and_keeps_others_raw() -> None:
    assert blocks("x<sup>2</sup> is <b>big</b>, <i>really</i><br>ok\n") == (
        para(
            "x",
            RawInline("<sup>"),
            "2",
            RawInline("</sup>"),
            " is ",
            Strong((Text("big"),)),
            ", ",
            Emphasis((Text("really"),)),
            LineBreak(),
            "ok",
        ),
    )


def test_a_paragraph_of_one_image_is_a_figure() -> None:
    assert blocks("![The Transformer](img/model.png)\n") == (Figure(Image("img/model.png", "The Transformer")),)


def test_an_html_picture_with_a_caption_is_a_figure() -> None:
    text = '<p align="center">\n<img src="img/a.png" width=300>\n<br><i>Attention maps</i>\n</p>\n'
    assert blocks(text) == (Figure(Image("img/a.png", "Attention maps", "Attention maps")),)


# ---------------------------------------------------------------- math


def test_inline_math_is_never_emphasis() -> None:
    assert blocks("Let $a_1 * b_1$ and $x_2*y_2$ be _small_.\n") == (
        para("Let ", Math("a_1 * b_1"), " and ", Math("x_2*y_2"), " be ", Emphasis((Text("small"),)), "."),
    )


def test_display_math_between_double_dollars_is_a_math_block() -> None:
    assert blocks("$$\n\\mathrm{softmax}(QK^T)V\n$$\n") == (MathBlock("\\mathrm{softmax}(QK^T)V"),)


def test_a_math_fence_is_a_math_block() -> None:
    assert blocks("```math\n\\sqrt{d_k}\n```\n") == (MathBlock("\\sqrt{d_k}"),)


def test_display_math_on_its_own_line_inside_a_paragraph_stands_alone() -> None:
    assert blocks("We scale by\n$$\\frac{1}{\\sqrt{d_k}}$$\nto keep gradients.\n") == (
        para("We scale by"),
        MathBlock("\\frac{1}{\\sqrt{d_k}}"),
        para("to keep gradients."),
    )


def test_backtick_math_is_inline_math() -> None:
    assert blocks("Cost $`O(n^2)`$ per layer.\n") == (para("Cost ", Math("O(n^2)"), " per layer."),)


# ---------------------------------------------------------------- quotes, alerts, HTML, details


def test_a_blockquote_is_a_quote() -> None:
    assert blocks("> Attention is all\n> you need.\n") == (Quote((para("Attention is all you need."),)),)


@pytest.mark.parametrize("kind", ["note", "tip", "important", "warning", "caution"])
def test_github_alerts_are_quotes_of_their_kind(kind: str) -> None:
    assert blocks(f"> [!{kind.upper()}]\n> Read *this*.\n") == (
        Quote((para("Read ", Emphasis((Text("this"),)), "."),), kind=kind),  # type: ignore[arg-type]
    )


def test_alerts_render_like_github() -> None:
    assert render_html("> [!WARNING]\n> Mind the gap.\n") == (
        '<div class="markdown-alert markdown-alert-warning">\n'
        '<p class="markdown-alert-title">Warning</p>\n'
        "<p>Mind the gap.</p>\n"
        "</div>"
    )


def test_two_quotes_apart_stay_apart() -> None:
    assert blocks("> [!NOTE]\n> one\n\n> [!TIP]\n> two\n") == (
        Quote((para("one"),), kind="note"),
        Quote((para("two"),), kind="tip"),
    )


def test_an_html_block_is_raw_html() -> None:
    assert blocks('<div class="box">\n<b>kept</b>\n</div>\n') == (RawHtml('<div class="box">\n<b>kept</b>\n</div>'),)


def test_details_hold_markdown() -> None:
    text = "<details>\n<summary>Proof</summary>\n\n- step **one**\n- step two\n\n</details>\n"
    first = ListItem((para("step ", Strong((Text("one"),))),))
    assert blocks(text) == (Details((Text("Proof"),), (ListBlock((first, *items("step two"))),)),)


def test_a_thematic_break() -> None:
    assert blocks("one\n\n---\n\ntwo\n") == (para("one"), ThematicBreak(), para("two"))


# ---------------------------------------------------------------- headings and footnotes


def test_headings_get_github_anchors() -> None:
    text = "# Hello, World!\n## Hello World\n## Hello World\n## Café `über` <b>x</b>?\n"
    anchors = [block.anchor for block in read(text).blocks]
    assert anchors == ["hello-world", "hello-world-1", "hello-world-2", "café-über-x"]
    assert 'id="hello-world-2"' in render_html(text)


def test_footnotes_are_collected_with_their_references() -> None:
    document = read("Claim[^src].\n\n[^src]: Vaswani *et al.*, 2017.\n")
    assert shape(document.blocks) == (para("Claim", FootnoteRef("src"), "."),)
    assert shape(document.footnotes) == (Footnote("src", (para("Vaswani ", Emphasis((Text("et al."),)), ", 2017."),)),)
    assert document.footnotes[0].line == 3


def test_a_footnote_never_referred_to_is_left_out_and_reported() -> None:
    document, found = read_document("Text[^used].\n\n[^spare]: Spare.\n[^used]: Used.\n", SOURCE)
    assert [note.label for note in document.footnotes] == ["used"]
    assert [str(problem) for problem in found] == [
        f"{SOURCE}:3: warning: footnote [^spare] is never referred to; left out, as on GitHub"
    ]


# ---------------------------------------------------------------- notes and columns


def test_a_notes_comment_becomes_speaker_notes() -> None:
    assert blocks("Slide text\n\n<!-- notes: Say **why** it matters. -->\n") == (
        para("Slide text"),
        Notes((para("Say ", Strong((Text("why"),)), " it matters."),)),
    )


def test_multi_line_notes_keep_their_markdown_and_lines() -> None:
    document = read("# Title\n\n<!-- notes:\n- first **point**\n- see [paper](https://a.org)\n-->\n")
    notes = document.blocks[-1]
    assert shape(notes) == Notes(
        (
            ListBlock(
                (
                    ListItem((para("first ", Strong((Text("point"),))),)),
                    ListItem((para("see ", Link("https://a.org", (Text("paper"),))),)),
                )
            ),
        )
    )
    assert isinstance(notes, Notes) and notes.line == 3 and notes.blocks[0].line == 4


def test_other_comments_are_left_out() -> None:
    assert blocks("one\n\n<!-- a reminder -->\n\ntwo <!-- inline --> three\n") == (para("one"), para("two three"))


def test_columns_with_a_ratio() -> None:
    text = "<!-- columns: 60/40 -->\n- point\n<!-- column -->\n![chart](c.png)\n<!-- end columns -->\n"
    assert blocks(text) == (Columns(((ListBlock(items("point")),), (Figure(Image("c.png", "chart")),)), (60, 40)),)


def test_columns_without_a_ratio_are_equal() -> None:
    text = "<!-- columns -->\none\n\n<!-- column -->\n\ntwo\n\n<!-- column -->\n\nthree\n\n<!-- end columns -->\n"
    assert blocks(text) == (Columns(((para("one"),), (para("two"),), (para("three"),)), (1, 1, 1)),)


def test_unclosed_columns_are_reported_and_closed() -> None:
    document, found = read_document("<!-- columns -->\none\n<!-- column -->\ntwo\n", SOURCE)
    assert shape(document.blocks) == (Columns(((para("one"),), (para("two"),)), (1, 1)),)
    assert [str(problem) for problem in found] == [
        f"{SOURCE}:1: warning: columns never ended with '<!-- end columns -->'"
    ]


def test_column_comments_out_of_place_are_reported() -> None:
    document, found = read_document("one\n\n<!-- column -->\n\ntwo\n", SOURCE)
    assert shape(document.blocks) == (para("one"), para("two"))
    assert [problem.line for problem in found] == [3]


def test_a_single_column_is_reported_and_shown_plainly() -> None:
    document, found = read_document("<!-- columns: 50/50 -->\none\n<!-- end columns -->\n", SOURCE)
    assert shape(document.blocks) == (para("one"),)
    assert "columns need 2 or 3 parts, found 1" in found[0].message


# ---------------------------------------------------------------- front matter and title


def test_front_matter_fills_the_metadata() -> None:
    text = (
        "---\n"
        "title: Attention Is All You Need\n"
        "subtitle: The Transformer\n"
        "authors: [Ashish Vaswani, Noam Shazeer]\n"
        "year: 2017\n"
        "venue: NeurIPS\n"
        "url: https://arxiv.org/abs/1706.03762\n"
        "presenter: Ada\n"
        "date: 2024-03-01\n"
        "theme: dark\n"
        "short_title: Attention\n"
        "keywords: transformers, attention\n"
        "language: de\n"
        "---\n"
        "Body.\n"
    )
    assert read(text).meta == Meta(
        title="Attention Is All You Need",
        subtitle="The Transformer",
        authors=("Ashish Vaswani", "Noam Shazeer"),
        year="2017",
        venue="NeurIPS",
        url="https://arxiv.org/abs/1706.03762",
        presenter="Ada",
        date="2024-03-01",
        theme="dark",
        theme_at=(SOURCE, 10),
        short_title="Attention",
        keywords=("transformers", "attention"),
        language="de",
    )


@pytest.mark.parametrize(("text", "line"), [("---\ntitle: [A, B]\n---\n", 2), ("---\nyear: 1\nvenue: {a: b}\n---\n", 3)])
def test_a_text_key_holding_a_list_or_mapping_is_an_error(text: str, line: int) -> None:
    with pytest.raises(SourceError, match="must be one value, not a") as raised:
        read_document(text, SOURCE)
    assert raised.value.line == line


def test_authors_may_be_one_string() -> None:
    assert read("---\nauthors: Ada Lovelace\n---\n").meta.authors == ("Ada Lovelace",)


def test_a_misspelt_front_matter_key_is_reported() -> None:
    assert [str(problem) for problem in problems("---\ntitle: T\ntitel: T\nlayout: post\n---\n")] == [
        f"{SOURCE}:3: warning: unknown front matter key 'titel'; did you mean 'title'?"
    ]


def test_the_title_falls_back_to_the_first_heading() -> None:
    document = read("Intro text that is long enough.\n\n# Attention\n\n## Idea\n")
    assert (document.meta.title, document.title_line) == ("Attention", 3)
    assert isinstance(document.blocks[1], Heading)  # the heading stays; the writer decides


def test_the_title_falls_back_to_the_folder_name() -> None:
    assert read("## Only a section\n", fallback="attention").meta.title == "attention"


def test_an_empty_file_is_an_empty_document() -> None:
    assert read("") == Document(Meta(title="attention"), (), source=SOURCE)


def test_a_short_paragraph_under_the_title_is_the_subtitle() -> None:
    document = read("# Attention\n\nA paper review\n\n## Idea\n")
    assert document.meta.subtitle == "A paper review"
    assert shape(document.blocks) == (
        Heading(1, (Text("Attention"),), anchor="attention"),
        Heading(2, (Text("Idea"),), anchor="idea"),
    )


def test_a_long_paragraph_under_the_title_stays_text() -> None:
    long = "word " * 60
    document = read(f"# Attention\n\n{long}\n")
    assert document.meta.subtitle == ""
    assert len(document.blocks) == 2


def test_a_subtitle_from_front_matter_leaves_the_paragraph_alone() -> None:
    document = read("---\nsubtitle: Given\n---\n# Attention\n\nShort line\n")
    assert document.meta.subtitle == "Given"
    assert shape(document.blocks[1]) == para("Short line")


def test_invalid_yaml_names_the_line_in_the_file() -> None:
    with pytest.raises(SourceError) as raised:
        read_document("---\ntitle: ok\nyear: 2017\n venue: x\n---\n", SOURCE)
    assert (raised.value.path, raised.value.line) == (SOURCE, 4)
    assert str(raised.value) == f"{SOURCE}:4: front matter is not valid YAML: mapping values are not allowed here"


def test_an_unclosed_yaml_list_is_reported_where_it_opens() -> None:
    with pytest.raises(SourceError) as raised:
        read_document("---\ntitle: ok\nauthors: [a, b\nyear: 2017\n---\n", SOURCE)
    assert raised.value.line == 3
    assert "while parsing a flow sequence" in raised.value.message


def test_front_matter_that_is_not_a_mapping_is_an_error() -> None:
    with pytest.raises(SourceError, match="front matter must be 'key: value' lines, not a list"):
        read_document("---\n- a\n- b\n---\n", SOURCE)


def test_a_byte_order_mark_and_crlf_line_ends_just_work() -> None:
    document = read("\ufeff---\r\ntitle: T\r\n---\r\n# Head\r\n\r\n- a\r\n  - b\r\n")
    assert document.meta.title == "T"
    assert shape(document.blocks) == (
        Heading(1, (Text("Head"),), anchor="head"),
        ListBlock((ListItem((para("a"), ListBlock(items("b")))),)),
    )
    assert document.blocks[0].line == 4


# ---------------------------------------------------------------- source lines


def test_a_heading_on_line_12_has_line_12() -> None:
    text = "---\ntitle: T\nyear: 2017\n---\n\nIntro.\n\n- one\n- two\n\n<!-- ignored -->\n## Method\n"
    assert read(text).blocks[-1] == Heading(2, (Text("Method"),), 12, "method")


def test_every_block_reports_its_own_line() -> None:
    text = (
        "# Title\n"  # 1
        "\n"
        "Some text\n"  # 3 (the subtitle)
        "\n"
        "Para one\n"  # 5
        "continues.\n"
        "- item\n"  # 7
        "  - nested ![fig](f.png)\n"  # 8
        "\n"
        "```py\n"  # 10
        "x\n"
        "```\n"
        "| a |\n"  # 13
        "|---|\n"
        "> quote\n"  # 15
        "\n"
        "$$\n"  # 17
        "x\n"
        "$$\n"
        "***\n"  # 20
    )
    document = read(text)
    nested = document.blocks[2].items[0].blocks[1]  # type: ignore[attr-defined]
    image = nested.items[0].blocks[0].children[1]
    assert [(type(block).__name__, block.line) for block in document.blocks] == [
        ("Heading", 1),
        ("Paragraph", 5),
        ("ListBlock", 7),
        ("CodeBlock", 10),
        ("Table", 13),
        ("Quote", 15),
        ("MathBlock", 17),
        ("ThematicBreak", 20),
    ]
    assert (nested.line, image.line) == (8, 8)


def test_an_image_in_a_list_item_reports_its_own_line() -> None:
    document = read("# T\n\n- The model:\n  ![model](m.png)\n- Next\n")
    item = document.blocks[1].items[0]  # type: ignore[attr-defined]
    assert item.blocks[0].children[-1] == Image("m.png", "model", "", 4)


# ---------------------------------------------------------------- robustness


def test_nesting_deeper_than_eight_levels_is_folded_and_reported() -> None:
    text = "\n".join("  " * depth + f"- level {depth + 1}" for depth in range(10))
    document, found = read_document(text, SOURCE)
    depth, lists = 0, document.blocks
    while lists:
        depth += 1
        inner = (block for item in lists[0].items for block in item.blocks)  # type: ignore[attr-defined]
        lists = tuple(block for block in inner if isinstance(block, ListBlock))
    assert depth == 8
    assert [str(problem) for problem in found] == [
        f"{SOURCE}:9: warning: nesting deeper than 8 levels folded into level 8"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "> " * 400 + "deep",
        "<details>\n\n" * 200 + "x\n" + "\n</details>\n" * 200,
        "*" * 3000 + "x" + "*" * 3000,
        "<b>" * 2000 + "x" + "</b>" * 2000,
        "`" * 2000,
        "$" * 2000,
    ],
)
def test_absurd_nesting_is_read_without_crashing(text: str) -> None:
    document, _ = read_document(text, SOURCE)
    assert document.blocks


def test_a_huge_file_reads_in_linear_time() -> None:
    section = "## Part\n\nSome *text* with $x$ and a [link](https://a.org).\n\n- a\n  - b\n\n```\ncode\n```\n\n"
    started = time.perf_counter()
    document = read(section * 2000)  # 24,000 lines
    assert len(document.blocks) == 8000
    assert time.perf_counter() - started < 30


def test_documents_read_one_after_another_do_not_share_state() -> None:
    first = read("[ref]: https://a.org\n\nText[^1].\n\n[^1]: One.\n")
    second = read("See [x][ref] and[^2].\n\n[^2]: Two.\n")
    assert shape(second.blocks) == (para("See [x][ref] and", FootnoteRef("2"), "."),)
    assert [note.label for note in first.footnotes + second.footnotes] == ["1", "2"]


_PIECES = st.sampled_from(
    [
        "-", "*", "1.", "2)", " ", "  ", "\t", "\n", "\n\n", ">", "#", "`", "```", "$", "$$", "|", "---", ":-:",
        "<details>", "</details>", "<summary>", "<!--", "-->", "notes:", "columns: 60/40", "column",
        "end columns", "[", "]", "(", ")", "![a](b.png)", "[^1]", "[^1]:", "<b>", "</b>", "<img src=x>", "<br>",
        "word", "\\", "&amp;", "_", "~~", "[ ]", "[x]", ":rocket:", "[!NOTE]", "http://a.org", "\r\n", "\ufeff",
        "===", "<", "&",
    ]
)


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(st.text(), st.lists(_PIECES, max_size=80).map("".join)))
def test_random_text_never_raises_anything_but_source_error(text: str) -> None:
    try:
        read_document(text, SOURCE, "fallback")
        render_html(text)
    except SourceError:
        pass


# ---------------------------------------------------------------- HTML


def test_render_html_leaves_the_front_matter_out() -> None:
    assert render_html("---\ntitle: T\n---\n# Head\n") == '<h1 id="head">Head</h1>'


def test_render_html_writes_code_as_github_does() -> None:
    assert render_html("```py\nx < 1\n```\n") == '<pre><code class="language-py">x &lt; 1\n</code></pre>'
