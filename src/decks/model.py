"""The document model both writers read: metadata, blocks, inlines and slides.

Immutable values only (msgspec Structs: ``Value``), in the words of a paper
(heading, figure, notes), never of PowerPoint or HTML. The Markdown reader
builds these values; the deck and the handout writers only read them. Every
block carries the 1-based source line it starts on, so that any later
diagnostic can say ``file:line``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypeAlias

import msgspec


class Value(msgspec.Struct, frozen=True, tag_field="@", tag=True):
    """An immutable value, compared and hashed by its fields: the model's, and the deck plan's.

    msgspec makes these classes in C: as dataclasses, creating the model's and
    the plan's classes alone took a tenth of a deck's time. ``replace`` is
    ``msgspec.structs.replace``; the caches keep values as JSON through
    ``msgspec.to_builtins`` and ``msgspec.convert``, each object naming its class
    under ``"@"``, so that a union (any block, any shape) reads back as what it was.
    """


# ---------------------------------------------------------------- inlines


class Text(Value):
    """Plain text, already unescaped (``&amp;`` is ``&``)."""

    text: str


class Strong(Value):
    children: tuple[Inline, ...]


class Emphasis(Value):
    children: tuple[Inline, ...]


class Strikethrough(Value):
    children: tuple[Inline, ...]


class Code(Value):
    """Inline code: shown monospace, never formatted further."""

    text: str


class Link(Value):
    url: str
    children: tuple[Inline, ...]
    title: str = ""


class Image(Value):
    """A picture reference; ``src`` is exactly as written in the Markdown."""

    src: str
    alt: str
    title: str = ""
    line: int = 0


class Math(Value):
    """Inline LaTeX from ``$...$``, without the dollars."""

    tex: str


class FootnoteRef(Value):
    """A ``[^label]`` marker; the text lives in ``Document.footnotes``."""

    label: str


class LineBreak(Value):
    """A hard line break (two trailing spaces or a backslash)."""


class RawInline(Value):
    """Inline HTML the reader could not map (``<kbd>``, ``<sup>`` ...): kept as markup text."""

    html: str


Inline: TypeAlias = (
    Text | Strong | Emphasis | Strikethrough | Code | Link | Image | Math | FootnoteRef | LineBreak | RawInline
)

# ---------------------------------------------------------------- blocks


class Heading(Value):
    level: int
    children: tuple[Inline, ...]
    line: int = 0
    anchor: str = ""  # GitHub-style slug, unique within the document


class Paragraph(Value):
    children: tuple[Inline, ...]
    line: int = 0


class Figure(Value):
    """A paragraph that holds nothing but one image: shown large, with a caption."""

    image: Image
    line: int = 0


class ListItem(Value):
    """One list item; ``checked`` is None for a plain item, True/False for a task."""

    blocks: tuple[Block, ...]
    checked: bool | None = None


class ListBlock(Value):
    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1
    line: int = 0


class CodeBlock(Value):
    """Fenced or indented code; ``code`` keeps every space and has no trailing newline."""

    code: str
    language: str = ""
    line: int = 0


Alignment: TypeAlias = Literal["left", "center", "right", ""]


class Table(Value):
    """A GFM table: ``header`` and each row hold one inline tuple per cell."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    alignments: tuple[Alignment, ...]
    line: int = 0


AlertKind: TypeAlias = Literal["", "note", "tip", "important", "warning", "caution"]


class Quote(Value):
    """A blockquote; ``kind`` names a GitHub alert (``> [!NOTE]``) or is empty."""

    blocks: tuple[Block, ...]
    kind: AlertKind = ""
    line: int = 0


class MathBlock(Value):
    """Display LaTeX from ``$$...$$`` (or a ``math`` fence), without the delimiters."""

    tex: str
    line: int = 0


class Details(Value):
    """A ``<details>`` block: a summary line and the Markdown inside it."""

    summary: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    line: int = 0


class RawHtml(Value):
    """An HTML block the reader keeps as markup (the handout may show it; a deck cannot)."""

    html: str
    line: int = 0


class ThematicBreak(Value):
    """``---`` on its own line: a new slide in a deck, a rule in a handout."""

    line: int = 0


class Notes(Value):
    """``<!-- notes: ... -->``: speaker notes, as blocks parsed from the comment's Markdown."""

    blocks: tuple[Block, ...]
    line: int = 0


class Columns(Value):
    """``<!-- columns: 60/40 -->`` ... ``<!-- column -->`` ... ``<!-- end columns -->``.

    ``widths`` are relative weights, one per column.
    """

    columns: tuple[tuple[Block, ...], ...]
    widths: tuple[int, ...]
    line: int = 0


Block: TypeAlias = (
    Heading
    | Paragraph
    | Figure
    | ListBlock
    | CodeBlock
    | Table
    | Quote
    | MathBlock
    | Details
    | RawHtml
    | ThematicBreak
    | Notes
    | Columns
)

# ---------------------------------------------------------------- documents

FOOTER_TITLE_LIMIT = 100  # characters: more never fits a footer, and WeasyPrint's ellipsis would map them all


class Meta(Value):
    """What the front matter (or the first heading, or the folder name) says about a paper."""

    title: str
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    year: str = ""
    venue: str = ""
    url: str = ""
    presenter: str = ""
    date: str = ""
    theme: str = ""
    theme_at: tuple[str, int] = ("", 0)  # the file and line naming the theme, for an unknown theme's error
    short_title: str = ""  # for running headers and slide footers; falls back to title
    keywords: tuple[str, ...] = ()
    language: str = "en"

    @property
    def footer_title(self) -> str:
        """The short title, else the title cut to one footer line (a title can be a runaway paragraph)."""
        title = self.short_title or self.title
        return title if len(title) <= FOOTER_TITLE_LIMIT else title[: FOOTER_TITLE_LIMIT - 1].rstrip() + "\u2026"


class Footnote(Value):
    label: str
    blocks: tuple[Block, ...]
    line: int = 0


class Document(Value):
    """One Markdown file, read: its metadata, its blocks in order, its footnotes.

    ``source`` is the path of the Markdown file as shown in messages (relative to
    the repository root); image paths resolve against its folder.
    """

    meta: Meta
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...] = ()
    source: str = ""
    title_line: int = 0  # the line of the first ``#`` heading, if the title came from one


class Slide(Value):
    """One slide of the outline, before any fitting.

    ``kind`` is ``title`` (metadata only), ``section`` (a later ``#`` heading) or
    ``content``. ``notes`` holds the speaker notes gathered from the slide's comments.
    """

    kind: Literal["title", "section", "content"]
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...] = ()
    notes: tuple[Block, ...] = ()
    line: int = 0
    continued: bool = False


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text a reader sees, without formatting: for titles, alt text and matching."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text | Code):
            parts.append(node.text)
        elif isinstance(node, Strong | Emphasis | Strikethrough | Link):
            parts.append(plain_text(node.children))
        elif isinstance(node, Math):
            parts.append(node.tex)
        elif isinstance(node, Image):
            parts.append(node.alt)
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return "".join(parts)


def walk(node: object) -> Iterator[object]:
    """Every model value at or beneath ``node`` (a Document, block, inline or tuple), depth first, in order."""
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, tuple):
            stack.extend(reversed(current))
            continue
        yield current
        if isinstance(current, Value):
            children = (getattr(current, name) for name in current.__struct_fields__)
            stack.extend(reversed([c for c in children if isinstance(c, tuple | Value)]))
