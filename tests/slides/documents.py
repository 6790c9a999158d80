"""Documents built from the model, as pandoc's writer tests start: no Markdown reader involved.

``every_construct()`` is the model of ``tests/fixtures/decks/every-construct.md``
(same blocks, same lines), so the deck tests do not depend on the reader.
"""

from __future__ import annotations

from decks.model import (
    Block,
    Code,
    CodeBlock,
    Columns,
    Document,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    ListItem,
    Math,
    MathBlock,
    Meta,
    Notes,
    Paragraph,
    Quote,
    Strikethrough,
    Strong,
    Table,
    Text,
    ThematicBreak,
)

SOURCE = "tests/fixtures/decks/every-construct.md"
META = Meta(
    title="Every Construct: A Test Paper",
    subtitle="One deck that shows everything an overview may hold",
    authors=("Ada Lovelace", "Alan Turing"),
    year="2024",
    venue="Journal of Test Fixtures",
    url="https://example.org/paper",
    presenter="Grace Hopper",
    date="2024-05-01",
    short_title="Every Construct",
)
CODE = '''def attention(q, k, v):
    """Scaled dot-product attention."""
    scores = q @ k.T / k.shape[-1] ** 0.5
    return softmax(scores) @ v'''


def t(text: str) -> tuple[Inline, ...]:
    return (Text(text),)


def para(*inlines: Inline, line: int = 0) -> Paragraph:
    return Paragraph(tuple(inlines), line)


def item(text: str, *blocks: Block, checked: bool | None = None) -> ListItem:
    return ListItem((para(Text(text)), *blocks), checked)


def bullets(*items: ListItem, line: int = 0, ordered: bool = False, start: int = 1) -> ListBlock:
    return ListBlock(tuple(items), ordered, start, line)


def nested(depth: int, line: int) -> ListBlock:
    """Level one holding level two ... down to ``depth`` levels."""
    names = ["Level one", "Level two", "Level three", "Level four", "Level five", "Level six folds into five"]
    inner: ListBlock | None = None
    for level in range(depth - 1, 0, -1):
        blocks = (inner,) if inner else ()
        inner = bullets(item(names[level], *blocks), line=line + level)
    return bullets(item(names[0], inner), item("Back to level one"), line=line)  # type: ignore[arg-type]


def every_construct() -> Document:
    long_items = tuple(item(f"Item {n} about attention and why it matters for sequence models") for n in range(1, 15))
    blocks = (
        Heading(1, t("Every Construct: A Test Paper"), 15),
        para(Text("A short line under the title."), line=17),
        Notes((para(Text("Welcome. Say "), Strong(t("who")), Text(" we are.")),
               bullets(item("First point"), ListItem((para(Text("Second point with a "),
                                                           Link("https://example.org/notes", t("link"))),)))), 19),
        Heading(2, t("Text and formatting"), 26),
        para(Text("Plain text with "), Strong(t("bold")), Text(", "), Emphasis(t("italic")), Text(", "),
             Strikethrough(t("struck")), Text(", "), Code("inline code"), Text(" and a "),
             Link("https://example.org/link", t("link")), Text("."), line=28),
        para(Text("Emoji stay characters 🚀 and math reads naturally: "), Math(r"x_i^2 + \alpha"),
             Text(". A claim with a footnote"), FootnoteRef("src"), Text("."), line=30),
        Heading(3, t("A sub-heading"), 32),
        para(Text("Text under the sub-heading."), line=34),
        Heading(2, t("Lists"), 36),
        nested(6, 38),
        bullets(item("Three"), item("Four"), item("Five"), ordered=True, start=3, line=46),
        bullets(item("An open task", checked=False), item("A finished task", checked=True), line=50),
        Heading(2, t("Code"), 53),
        CodeBlock(CODE, "python", 55),
        CodeBlock("no language:\n    indented by four", "", 62),
        Heading(2, t("Table"), 67),
        Table((t("Model"), t("Score"), t("Notes")),
              ((t("Base"), t("27.3"), (Emphasis(t("small")),)), (t("Big"), (Strong(t("28.4")),), (Code("large"),))),
              ("left", "center", "right"), 69),
        Heading(2, t("Image beside text"), 74),
        bullets(item("Bars rise and fall"), item("Colours follow the theme"), line=76),
        Figure(Image("figures/bars.png", "Five coloured bars", "Five bars", 79), 79),
        Heading(2, t("A vector figure"), 81),
        Figure(Image("figures/pipeline.svg", "A three-stage pipeline", "", 83), 83),
        Heading(2, t("Missing image"), 85),
        Figure(Image("figures/fig.png", "An image that is not there", "", 87), 87),
        Heading(2, t("Columns"), 89),
        Columns(((Heading(3, t("Left"), 93), bullets(item("Sixty per cent of the width"), line=95)),
                 (Heading(3, t("Right"), 99), bullets(item("Forty per cent"), line=101))), (60, 40), 91),
        Heading(2, t("Call-outs"), 105),
        Quote((para(Text("A note for the reader."), line=108),), "note", 107),
        Quote((para(Text("Mind the gap."), line=111),), "warning", 110),
        Quote((para(Text("A plain quotation."), line=113),), "", 113),
        Heading(2, t("Math"), 115),
        MathBlock(r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}", 117),
        ThematicBreak(121),
        para(Text("The same title continues after a break."), line=123),
        Notes((para(Text("Notes on the second part.")),), 125),
        Heading(1, t("Part two"), 129),
        Heading(2, t("A long list"), 131),
        bullets(*long_items, line=133),
        Notes((para(Text("These notes stay with the first part.")),), 148),
    )
    footnotes = (Footnote("src", (para(Text("The source of the claim.")),), 152),)
    return Document(META, blocks, footnotes, SOURCE, title_line=15)


LOREM = ("Self-attention relates every position of a sequence to every other position in a single step, "
         "so the path a signal travels between two words no longer grows with their distance")


def crowded() -> Document:
    """Content that cannot fit on one slide each: wrapped bullets, a long listing, a tall table, a huge paragraph."""
    code = "\n".join(f"    layer_{n} = attention(layer_{n - 1}, mask=mask, heads=8)  # step {n}" for n in range(1, 56))
    rows = tuple((t(f"Row {n}"), t(f"{n * 1.5:.1f}"), t(LOREM[: 20 + n * 3])) for n in range(1, 31))
    blocks = (
        Heading(2, t("A very long title that keeps going well past the width of one line on a slide"), 2),
        bullets(*(item(f"{n}. {LOREM}") for n in range(1, 13)), line=3),
        Heading(2, t("A long listing"), 20),
        para(Text("The loop below runs:"), line=21),
        CodeBlock(code, "python", 22),
        Heading(2, t("A tall table"), 80),
        Table((t("Name"), t("Value"), t("Comment")), rows, ("left", "right", "left"), 81),
        Heading(2, t("One huge paragraph"), 120),
        para(Text(" ".join([LOREM] * 24)), line=121),
        Heading(2, t("Numbered across slides"), 130),
        bullets(*(item(f"{LOREM[:70]} {n}") for n in range(1, 19)), ordered=True, line=131),
        Heading(2, t("Sub-headings never end a slide"), 160),
        bullets(*(item(LOREM) for _ in range(6)), line=161),
        Heading(3, t("Next part"), 170),
        CodeBlock("\n".join(f"x = {n}" for n in range(12)), "python", 171),
    )
    return Document(Meta(title="Crowded"), blocks, (), "tests/fixtures/decks/crowded.md")
