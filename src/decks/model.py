"""The document model both writers read: metadata, blocks, inlines and slides.

Frozen dataclasses only, in the words of a paper (heading, figure, notes), never
of PowerPoint or HTML. The Markdown reader builds these values; the deck and the
handout writers only read them. Every block carries the 1-based source line it
starts on, so that any later diagnostic can say ``file:line``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    """Plain text, already unescaped (``&amp;`` is ``&``)."""

    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strikethrough:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    """Inline code: shown monospace, never formatted further."""

    text: str


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True)
class Image:
    """A picture reference; ``src`` is exactly as written in the Markdown."""

    src: str
    alt: str
    title: str = ""
    line: int = 0


@dataclass(frozen=True)
class Math:
    """Inline LaTeX from ``$...$``, without the dollars."""

    tex: str


@dataclass(frozen=True)
class FootnoteRef:
    """A ``[^label]`` marker; the text lives in ``Document.footnotes``."""

    label: str


@dataclass(frozen=True)
class LineBreak:
    """A hard line break (two trailing spaces or a backslash)."""


@dataclass(frozen=True)
class RawInline:
    """Inline HTML the reader could not map (``<kbd>``, ``<sup>`` ...): kept as markup text."""

    html: str


Inline: TypeAlias = (
    Text | Strong | Emphasis | Strikethrough | Code | Link | Image | Math | FootnoteRef | LineBreak | RawInline
)

# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    level: int
    children: tuple[Inline, ...]
    line: int = 0
    anchor: str = ""  # GitHub-style slug, unique within the document


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True)
class Figure:
    """A paragraph that holds nothing but one image: shown large, with a caption."""

    image: Image
    line: int = 0


@dataclass(frozen=True)
class ListItem:
    """One list item; ``checked`` is None for a plain item, True/False for a task."""

    blocks: tuple[Block, ...]
    checked: bool | None = None


@dataclass(frozen=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1
    line: int = 0


@dataclass(frozen=True)
class CodeBlock:
    """Fenced or indented code; ``code`` keeps every space and has no trailing newline."""

    code: str
    language: str = ""
    line: int = 0


Alignment: TypeAlias = Literal["left", "center", "right", ""]


@dataclass(frozen=True)
class Table:
    """A GFM table: ``header`` and each row hold one inline tuple per cell."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    alignments: tuple[Alignment, ...]
    line: int = 0


AlertKind: TypeAlias = Literal["", "note", "tip", "important", "warning", "caution"]


@dataclass(frozen=True)
class Quote:
    """A blockquote; ``kind`` names a GitHub alert (``> [!NOTE]``) or is empty."""

    blocks: tuple[Block, ...]
    kind: AlertKind = ""
    line: int = 0


@dataclass(frozen=True)
class MathBlock:
    """Display LaTeX from ``$$...$$`` (or a ``math`` fence), without the delimiters."""

    tex: str
    line: int = 0


@dataclass(frozen=True)
class Details:
    """A ``<details>`` block: a summary line and the Markdown inside it."""

    summary: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class RawHtml:
    """An HTML block the reader keeps as markup (the handout may show it; a deck cannot)."""

    html: str
    line: int = 0


@dataclass(frozen=True)
class ThematicBreak:
    """``---`` on its own line: a new slide in a deck, a rule in a handout."""

    line: int = 0


@dataclass(frozen=True)
class Notes:
    """``<!-- notes: ... -->``: speaker notes, as blocks parsed from the comment's Markdown."""

    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class Columns:
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


@dataclass(frozen=True)
class Meta:
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


@dataclass(frozen=True)
class Footnote:
    label: str
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class Document:
    """One Markdown file, read: its metadata, its blocks in order, its footnotes.

    ``source`` is the path of the Markdown file as shown in messages (relative to
    the repository root); image paths resolve against its folder.
    """

    meta: Meta
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...] = ()
    source: str = ""
    title_line: int = 0  # the line of the first ``#`` heading, if the title came from one


@dataclass(frozen=True)
class Slide:
    """One slide of the outline, before any fitting.

    ``kind`` is ``title`` (metadata only), ``section`` (a later ``#`` heading) or
    ``content``. ``notes`` holds the speaker notes gathered from the slide's comments.
    """

    kind: Literal["title", "section", "content"]
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...] = ()
    notes: tuple[Block, ...] = ()
    line: int = 0
    continued: bool = field(default=False)


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
        if hasattr(current, "__dataclass_fields__"):
            children = (getattr(current, name) for name in current.__dataclass_fields__)
            stack.extend(reversed([c for c in children if isinstance(c, tuple) or hasattr(c, "__dataclass_fields__")]))


# ---------------------------------------------------------------- JSON form, for the cache of read documents


def to_data(node: object) -> object:
    """``node`` as plain JSON data: each model value a dict naming its class, each tuple a list."""
    if hasattr(node, "__dataclass_fields__"):
        return {"@": type(node).__name__, **{name: to_data(getattr(node, name)) for name in node.__dataclass_fields__}}
    if isinstance(node, tuple | list):
        return [to_data(child) for child in node]
    return node


def from_data(data: object, kinds: Mapping[str, type] | None = None) -> object:
    """The value ``to_data`` gave ``data`` for, its classes named in ``kinds`` (by default the model's).

    KeyError or TypeError when it is no such data.
    """
    kinds = _MODEL_TYPES if kinds is None else kinds
    if isinstance(data, dict):
        kind = kinds[data["@"]]
        return kind(**{name: from_data(value, kinds) for name, value in data.items() if name != "@"})
    if isinstance(data, list):
        return tuple(from_data(child, kinds) for child in data)
    return data


def dataclasses_of(namespace: Mapping[str, object]) -> dict[str, type]:
    """The dataclasses defined in a module's ``namespace`` (its globals()), by name: ``kinds`` for from_data."""
    return {name: value for name, value in namespace.items()
            if isinstance(value, type) and hasattr(value, "__dataclass_fields__")}


_MODEL_TYPES = dataclasses_of(dict(globals()))
