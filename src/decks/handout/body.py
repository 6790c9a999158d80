"""Turn a Document's blocks into the handout's body: semantic HTML with classes, and its contents list.

The markup says what things are (a footnote, a link's printed address, a reading
list entry, a call-out); how they look is entirely the theme's handout.css.
External links keep their address on paper: as a footnote in running text, or
printed under the entry in a reading list. Footnotes become ``float: footnote``
elements carrying their number, so they land at the foot of their own page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from html import escape
from pathlib import Path
from typing import Literal, TypeAlias

from decks.errors import Diagnostic
from decks.handout.access import access
from decks.handout.highlight import highlighted_lines
from decks.handout.maths import math_markup
from decks.handout.sanitize import clean_html
from decks.model import (
    FOOTER_TITLE_LIMIT,
    Block,
    Code,
    CodeBlock,
    Columns,
    Details,
    Document,
    Emphasis,
    Figure,
    FootnoteRef,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Math,
    MathBlock,
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
    plain_text,
    walk,
)
from decks.resources import split_url, too_many_pixels

Mode: TypeAlias = Literal["text", "plain", "note"]  # running text; contents entries (no links, notes); a footnote
_TOC_LEVELS = 3  # `#` sections, `##` and `###` headings are listed in the contents
_GENERIC_ALT = frozenset({"", "image", "img", "picture", "photo", "figure", "screenshot", "alt text", "diagram"})
_SEPARATOR = re.compile(r"^\s*(?:[-–—:|,.;]\s*)?")
_HTML_ANCHOR = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
# A line may break here: a zero-width space, a character of the text. As a <wbr> element each break was
# a box with a pseudo-element of its own to style and lay out, a third of a link-heavy handout's time
# (WeasyPrint lays out a page's footnote area again for every note it adds). Text read back from the PDF
# has neither.
_BREAK = "\u200b"
_URL_BREAK = re.compile(r"(?<=[/])(?=.)|(?=[?&#=_])")
# Code in a table cell may break after punctuation; it and addresses also break in any run of this many
# characters without a break. Bounded runs give a table column, or the box of a missing image, a narrow
# enough narrowest width, which WeasyPrint finds cheaply: ``overflow-wrap: anywhere`` had it lay out such
# text character by character (twice the time of a table-heavy handout).
_CODE_BREAK = re.compile(r"(?<=[._/,;:=(\[{-])(?=\S)")
_LONGEST_RUN = 12


@dataclass(frozen=True)
class TocEntry:
    """One line of the contents: heading level, its anchor, its text as phrasing markup."""

    level: int
    anchor: str
    html: str


@dataclass(frozen=True)
class BodySettings:
    """What the body writer needs besides the document: where files are, and a few theme values."""

    base_dir: Path
    repo_root: Path
    allow_remote: bool = False
    reading_list_headings: tuple[str, ...] = ()
    wide_table_columns: int = 5
    math_size: float = 10.5
    math_colour: str = "000000"
    pygments_style: str = "default"  # code tokens this style leaves unformatted are set as plain text
    inline_notes: frozenset[int] = frozenset()  # footnote numbers printed in the text, not at the foot


@dataclass
class Body:
    html: str
    toc: list[TocEntry]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def top_level(self) -> int:
        """The level of the body's main headings (2 when notes use ``##`` sections under a ``#`` title)."""
        return min((entry.level for entry in self.toc), default=2)


def render_body(document: Document, settings: BodySettings) -> Body:
    """The body markup of ``document`` (without its title heading, which the cover shows)."""
    blocks = _without_title(document)
    writer = _BodyWriter(document, settings, _anchors(blocks))
    html = writer.blocks(blocks)
    return Body(html, writer.toc, list(dict.fromkeys(writer.diagnostics)))


def _without_title(document: Document) -> tuple[Block, ...]:
    """The blocks without the title, which the cover shows.

    The title is the ``#`` heading the metadata came from (with the subtitle
    paragraph under it), or, when front matter gave the title, a ``#`` heading
    that opens the notes and is their only one.
    """
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level == 1 and block.line == document.title_line != 0:
            rest = blocks[index + 1 :]
            if rest and isinstance(rest[0], Paragraph) and document.meta.subtitle:
                if plain_text(rest[0].children).strip() == document.meta.subtitle.strip():
                    rest = rest[1:]
            return blocks[:index] + rest
    first_level = [index for index, block in enumerate(blocks) if isinstance(block, Heading) and block.level == 1]
    if first_level == [0]:
        return blocks[1:]
    return blocks


def _macros(document: Document) -> tuple[str, frozenset[str]]:
    """The macro definitions in the document's formulas, for every formula, and the formulas that only define."""
    formulas = [node.tex for node in walk(document) if isinstance(node, Math | MathBlock)]
    if not formulas:
        return "", frozenset()
    from decks.equations import collect_macros, defines_only

    return collect_macros(formulas), frozenset(tex for tex in formulas if defines_only(tex))


class _BodyWriter:
    """Serialises blocks and inlines; holds the state one document needs (numbers, ids, section)."""

    def __init__(self, document: Document, settings: BodySettings, anchors: _Anchors) -> None:
        self.settings = settings
        self.source = document.source
        self._anchors = anchors
        self._heading_ids = iter(anchors.headings)
        self.toc: list[TocEntry] = []
        self.diagnostics: list[Diagnostic] = []
        self._footnotes = {note.label: note for note in document.footnotes}
        # On GitHub a formula's \newcommand holds for the rest of the page, and the formula itself shows nothing.
        self._macros, self._definitions = _macros(document)
        self._footnote_numbers: dict[str, int] = {}
        self._notes = 0  # footnotes and link notes share one sequence of numbers
        self._line = 0  # the line of the block being written, for inline diagnostics
        self._noted: dict[str, int] = {}  # address -> note number, within the current block
        self._reading_level = 0  # the level of the reading-list heading we are under, or 0
        self._tables = 0
        self._table_notes: list[tuple[str, str, str]] | None = None  # (anchor, letter, address) under this table
        self._block_writers: dict[type, Callable[[object], str]] = {
            Heading: self.heading,
            Paragraph: self.paragraph,
            Figure: self.figure,
            ListBlock: self.list_block,
            CodeBlock: self.code_block,
            Table: self.table,
            Quote: self.quote,
            MathBlock: self.math_block,
            Details: self.details,
            RawHtml: self.raw_html,
            ThematicBreak: lambda _block: "<hr>",
            Notes: lambda _block: "",
            Columns: self.columns,
        }

    # ------------------------------------------------------------ blocks

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        return "\n".join(self.block(block) for block in blocks)

    def block(self, block: Block) -> str:
        outer_line, outer_noted = self._line, self._noted
        self._line = getattr(block, "line", 0) or outer_line
        if not isinstance(block, ListBlock | Quote | Details | Columns):
            self._noted = {}
        try:
            return self._block_writers[type(block)](block)
        finally:
            self._line, self._noted = outer_line, outer_noted

    def heading(self, heading: Heading) -> str:
        text = plain_text(heading.children).strip()
        self._enter_section(heading.level, text)
        anchor = next(self._heading_ids)
        if heading.level <= _TOC_LEVELS:
            self.toc.append(TocEntry(heading.level, anchor, self.inlines(heading.children, "plain")))
        tag = f"h{min(heading.level, 6)}"
        shown = _shorten(text, FOOTER_TITLE_LIMIT)  # the running head shows one line of it
        return f'<{tag} id="{anchor}" data-title="{escape(shown)}">{self.inlines(heading.children)}</{tag}>'

    def paragraph(self, paragraph: Paragraph) -> str:
        return f"<p>{self.inlines(paragraph.children)}</p>"

    def figure(self, figure: Figure) -> str:
        image = figure.image
        url = self._image_url(image.src, image.line or figure.line)
        if url is None:
            return f"<figure>{_missing_image(image.src, image.alt)}</figure>"
        caption = image.title or (image.alt if _is_caption(image.alt, image.src) else "")
        caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
        return f'<figure><img src="{escape(url)}" alt="{escape(image.alt)}">{caption_html}</figure>'

    def list_block(self, block: ListBlock) -> str:
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        classes = [name for name, wanted in (
            ("tasks", any(item.checked is not None for item in block.items)),
            ("reading-list", self._reading_level > 0),
        ) if wanted]
        class_attr = f' class="{" ".join(classes)}"' if classes else ""
        items = "".join(self.list_item(item) for item in block.items)
        return f"<{tag}{class_attr}{start}>{items}</{tag}>"

    def list_item(self, item: ListItem) -> str:
        entry = self.reading_entry(item) if self._reading_level else None
        if entry is not None:
            return entry
        if item.checked is None:
            return f"<li>{self.item_blocks(item.blocks)}</li>"
        state, box = ("done", "☑") if item.checked else ("open", "☐")
        return (
            f'<li class="task {state}"><span class="checkbox" aria-hidden="true">{box}</span>'
            f"{self.item_blocks(item.blocks)}</li>"
        )

    def item_blocks(self, blocks: tuple[Block, ...]) -> str:
        """A tight item (one paragraph, maybe a nested list) keeps its text next to the bullet."""
        if blocks and isinstance(blocks[0], Paragraph) and not any(isinstance(b, Paragraph) for b in blocks[1:]):
            first = self.inlines(blocks[0].children)
            return first + self.blocks(blocks[1:])
        return self.blocks(blocks)

    def reading_entry(self, item: ListItem) -> str | None:
        """A reading-list item that starts with a link: title, description, then the address."""
        if not item.blocks or not isinstance(item.blocks[0], Paragraph):
            return None
        lead, rest = _leading_link(item.blocks[0].children)
        if lead is None or lead.url.startswith("#"):
            return None
        target = self._link_target(lead.url)
        title = self.inlines(lead.children, "plain")
        href = f' href="{escape(target.href)}"' if target.href else ""
        description = self.inlines(_drop_separator(rest))
        parts = [f'<a class="entry-title"{href}>{title}</a>']
        if description.strip():
            parts.append(f'<span class="entry-description">{description}</span>')
        parts.append(f'<span class="entry-address">{_breakable(target.shown)}</span>')
        return f'<li class="entry">{"".join(parts)}{self.blocks(item.blocks[1:])}</li>'

    def code_block(self, block: CodeBlock) -> str:
        label = f' data-language="{escape(block.language)}"' if block.language else ""
        code = block.code.rstrip("\n")
        coloured = highlighted_lines(code, block.language, self.settings.pygments_style)
        lines = "".join(
            f'<span class="line"{_indent(raw)}>{line or " "}</span>'
            for raw, line in zip_longest(code.split("\n"), coloured, fillvalue="")
        )
        return f'<div class="code"{label}><pre class="highlight"><code>{lines}</code></pre></div>'

    def table(self, table: Table) -> str:
        """A table; the addresses of its links are listed under it, lettered, not in the footnotes."""
        columns = max([len(table.header), *(len(row) for row in table.rows)])
        kind = "table table-wide" if columns >= self.settings.wide_table_columns else "table"
        self._tables += 1
        self._table_notes = []
        head = self._row("th", table.header, table.alignments) if any(table.header) else ""
        rows = "".join(self._row("td", row, table.alignments) for row in table.rows)
        notes = "".join(
            f'<span class="table-note" id="{anchor}"><span class="note-letter">{letter}</span> '
            f'<span class="address">{_breakable(shown)}</span></span> '
            for anchor, letter, shown in self._table_notes
        )
        self._table_notes = None
        listed = f'<p class="table-notes">{notes}</p>' if notes else ""
        thead = f"<thead>{head}</thead>" if head else ""
        return f'<div class="{kind}"><table>{thead}<tbody>{rows}</tbody></table>{listed}</div>'

    def _row(self, tag: str, cells: tuple[tuple[Inline, ...], ...], alignments: tuple[str, ...]) -> str:
        html = []
        for index, cell in enumerate(cells):
            align = alignments[index] if index < len(alignments) else ""
            cls = f' class="align-{align}"' if align else ""
            html.append(f"<{tag}{cls}>{self.inlines(cell)}</{tag}>")
        return f"<tr>{''.join(html)}</tr>"

    def quote(self, quote: Quote) -> str:
        inner = self.blocks(quote.blocks)
        if not quote.kind:
            return f"<blockquote>{inner}</blockquote>"
        title = f'<p class="alert-title">{quote.kind.capitalize()}</p>'
        return f'<aside class="alert alert-{quote.kind}" role="note">{title}{inner}</aside>'

    def math_block(self, block: MathBlock) -> str:
        return f'<div class="math-display">{self._math(block.tex, display=True)}</div>'

    def details(self, details: Details) -> str:
        summary = self.inlines(details.summary)
        inner = self.blocks(details.blocks)
        return f'<section class="details"><p class="details-summary">{summary}</p>{inner}</section>'

    def raw_html(self, block: RawHtml) -> str:
        return f'<div class="raw-html">{self._clean(block.html, block.line)}</div>'

    def columns(self, block: Columns) -> str:
        columns = "".join(f'<div class="column">{self.blocks(column)}</div>' for column in block.columns)
        return f'<div class="columns">{columns}</div>'

    # ------------------------------------------------------------ inlines

    def inlines(self, nodes: tuple[Inline, ...], mode: Mode = "text") -> str:
        """Phrasing markup for ``nodes`` in running text, the contents (``plain``) or a footnote (``note``)."""
        return "".join(self.inline(node, mode) for node in nodes)

    def inline(self, node: Inline, mode: Mode) -> str:
        if isinstance(node, Text):
            return escape(node.text, quote=False)
        if isinstance(node, Strong | Emphasis | Strikethrough):
            tag = {Strong: "strong", Emphasis: "em", Strikethrough: "del"}[type(node)]
            return f"<{tag}>{self.inlines(node.children, mode)}</{tag}>"
        if isinstance(node, Code):
            return f"<code>{_breakable_code(node.text) if self._in_table else escape(node.text, quote=False)}</code>"
        if isinstance(node, Link):
            return self.link(node, mode)
        if isinstance(node, Image):
            if mode == "plain":
                return escape(node.alt, quote=False)
            extra = [("title", node.title)] if node.title else []
            return self.image_markup(node.src, node.alt, [*extra, ("class", "inline")], node.line or self._line)
        if isinstance(node, Math):
            return self._math(node.tex, display=False)
        if isinstance(node, FootnoteRef):
            return self.footnote(node.label, mode)
        if isinstance(node, LineBreak):
            return "" if mode == "plain" else "<br>"
        if isinstance(node, RawInline):
            return "" if mode == "plain" else self._clean(node.html, self._line, mode)
        raise TypeError(f"unknown inline {type(node).__name__}")

    def link(self, link: Link, mode: Mode) -> str:
        inner = self.inlines(link.children, "plain" if mode == "plain" else mode)
        if mode == "plain" or not link.url.strip():
            return inner
        if link.url.startswith("#"):
            return self._internal_link(link.url[1:], inner)
        target = self._link_target(link.url)
        if not target.href and not target.shown:
            return inner
        text = plain_text(link.children)
        shows_address = _shows_address(text, link.url)
        if shows_address:  # set as every printed address is, with the places it may break
            inner = _breakable(text)
        title = f' title="{escape(link.title)}"' if link.title else ""
        anchor = f'<a href="{escape(target.href)}"{title}>{inner}</a>' if target.href else inner
        if shows_address:
            return f'<span class="address">{anchor}</span>'
        return anchor + self.address_note(target.shown, mode)

    def _internal_link(self, anchor: str, inner: str) -> str:
        """A link within the handout (with its page number), or plain text when nothing is there to go to."""
        target = self._anchors.find(anchor)
        if target is None:
            self._warn(self._line, f"link to '#{_shorten(anchor)}' goes nowhere: no heading or anchor has that name")
            return inner
        return f'<a class="internal" href="#{escape(target)}">{inner}</a>'

    def address_note(self, shown: str, mode: Mode) -> str:
        """The printed address of a link: a footnote, or inline in notes and reading lists."""
        if mode == "note" or self._reading_level:
            return f' <span class="inline-address">{_breakable(shown)}</span>'
        if self._in_table:
            return self._table_note(shown)
        if shown in self._noted:
            number = self._noted[shown]
            return f'<a class="note-ref" href="#note-{number}">{number}</a>'
        number = self._noted[shown] = self._next_number()
        return self._note("link-note", f"note-{number}", number, f'<span class="address">{_breakable(shown)}</span>')

    def _table_note(self, shown: str) -> str:
        """A lettered reference to an address listed under the current table."""
        assert self._table_notes is not None
        known = {address: (anchor, letter) for anchor, letter, address in self._table_notes}
        if shown not in known:
            letter = _letters(len(self._table_notes))
            known[shown] = (f"table-{self._tables}-note-{letter}", letter)
            self._table_notes.append((*known[shown], shown))
        anchor, letter = known[shown]
        return f'<a class="note-ref table-note-ref" href="#{anchor}">{letter}</a>'

    def footnote(self, label: str, mode: Mode) -> str:
        note = self._footnotes.get(label)
        if note is None:
            self._warn(self._line, f"footnote [^{label}] is used but never defined")
            return escape(f"[^{label}]")
        anchor = f"footnote-{_slug(label) or self._notes + 1}"
        if label in self._footnote_numbers or mode != "text":
            number = self._footnote_numbers.get(label)
            return f'<a class="note-ref" href="#{anchor}">{number}</a>' if number else ""
        number = self._footnote_numbers[label] = self._next_number()
        return self._note("", anchor, number, self.note_blocks(note.blocks))

    def _note(self, kind: str, anchor: str, number: int, content: str) -> str:
        """A footnote element: floated to the foot of its page, or kept in the text when asked to."""
        inline = "inline-note" if number in self.settings.inline_notes else ""
        classes = " ".join(filter(None, ("footnote", kind, inline)))
        return f'<span class="{classes}" id="{anchor}" data-n="{number}">{content}</span>'

    def note_blocks(self, blocks: tuple[Block, ...]) -> str:
        """A footnote's blocks as phrasing markup (a footnote lives inside a paragraph)."""
        parts = []
        for block in blocks:
            if isinstance(block, Paragraph):
                parts.append(self.inlines(block.children, "note"))
            elif isinstance(block, ListBlock):
                parts.extend(f"• {self.note_blocks(item.blocks)}" for item in block.items)
            elif isinstance(block, CodeBlock):
                parts.append(f'<code class="note-code">{escape(block.code, quote=False)}</code>')
            elif isinstance(block, Quote | Details):
                parts.append(self.note_blocks(block.blocks))
            elif isinstance(block, MathBlock):
                parts.append(self._math(block.tex, display=False))
            elif isinstance(block, Figure):
                parts.append(self.inline(block.image, "note"))
        return "".join(f'<span class="note-paragraph">{part}</span>' for part in parts)

    # ------------------------------------------------------------ images, links, math, raw HTML

    def image_markup(self, src: str, alt: str, attributes: list[tuple[str, str]], line: int) -> str:
        """An ``<img>`` that may load, or a stand-in that names the image (and its address, if remote)."""
        url = self._image_url(src, line)
        if url is None:
            return _missing_image(src, alt)
        extra = "".join(f' {name}="{escape(value)}"' for name, value in attributes)
        return f'<img src="{escape(url)}" alt="{escape(alt)}"{extra}>'

    def _image_url(self, src: str, line: int) -> str | None:
        """The address to load an image from, or None (reported) when it may not or cannot be loaded."""
        allowed = access(src, self.settings.base_dir, self.settings.repo_root, allow_remote=self.settings.allow_remote)
        refusal = allowed.refusal or (too_many_pixels(allowed.path) if allowed.path else "")
        if refusal:
            self._warn(line, f"image '{_shorten(src)}' not shown: {refusal}")
            return None
        return allowed.url

    def _link_target(self, url: str) -> _Target:
        """Where a link goes (``href``, empty for repository files) and the address a reader sees."""
        parts = split_url(url)
        scheme = parts.scheme.lower()
        if scheme in ("http", "https", "ftp"):
            return _Target(url, url.removeprefix("https://"))
        if scheme == "mailto":
            return _Target(url, url.removeprefix("mailto:"))
        if scheme:
            self._warn(self._line, f"link to '{_shorten(url)}' is not clickable: '{scheme}:' links are not kept")
            return _Target("", "")
        local = (self.settings.base_dir / parts.path).resolve()
        root = self.settings.repo_root.resolve()
        return _Target("", local.relative_to(root).as_posix() if local.is_relative_to(root) else parts.path)

    def _math(self, tex: str, *, display: bool) -> str:
        if tex in self._definitions:
            return ""
        markup, problem = math_markup(
            tex, display=display, size_pt=self.settings.math_size, colour=self.settings.math_colour,
            preamble=self._macros,
        )
        if problem:
            self._warn(self._line, f"math not typeset ({problem}): {_shorten(tex)}")
        return markup

    def _clean(self, html: str, line: int, mode: Mode = "text") -> str:
        def note(url: str) -> str:
            return self.address_note(self._link_target(url).shown, mode)

        return clean_html(html, line, self.image_markup, note, self._warn)

    # ------------------------------------------------------------ bookkeeping

    def _enter_section(self, level: int, text: str) -> None:
        if self._reading_level and level <= self._reading_level:
            self._reading_level = 0
        if _is_reading_list(text, self.settings.reading_list_headings):
            self._reading_level = level

    @property
    def _in_table(self) -> bool:
        return self._table_notes is not None  # the list exists while a table is written

    def _next_number(self) -> int:
        self._notes += 1
        return self._notes

    def _warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.source, line, message))


@dataclass(frozen=True)
class _Anchors:
    """The ids links can point at: each heading's (in document order) and those raw HTML declares."""

    headings: tuple[str, ...]
    others: frozenset[str]

    def find(self, anchor: str) -> str | None:
        """The id ``#anchor`` reaches; as on GitHub, case does not matter."""
        names = (*self.headings, *sorted(self.others))
        if anchor in names:
            return anchor
        return next((name for name in names if name.lower() == anchor.lower()), None)


def _anchors(blocks: tuple[Block, ...]) -> _Anchors:
    ids: list[str] = []
    for heading in _headings(blocks):
        wanted = heading.anchor or _slug(plain_text(heading.children)) or "section"
        candidate, suffix = wanted, 1
        while candidate in ids:
            candidate, suffix = f"{wanted}-{suffix}", suffix + 1
        ids.append(candidate)
    raw = "".join(_raw_markup(block) for block in _walk(blocks))
    return _Anchors(tuple(ids), frozenset(_HTML_ANCHOR.findall(raw)))


def _raw_markup(node: Block | Inline) -> str:
    """The raw HTML in a block or inline (not in nested blocks), where ``<a name>`` anchors hide."""
    if isinstance(node, RawHtml | RawInline):
        return node.html
    return "".join(_raw_markup(child) for child in getattr(node, "children", ()))


def _headings(blocks: tuple[Block, ...]) -> Iterator[Heading]:
    return (block for block in _walk(blocks) if isinstance(block, Heading))


def _walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block the body shows, nested ones included, in document order."""
    for block in blocks:
        yield block
        if isinstance(block, Quote | Details):
            yield from _walk(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _walk(item.blocks)
        elif isinstance(block, Columns):
            for column in block.columns:
                yield from _walk(column)


@dataclass(frozen=True)
class _Target:
    href: str  # the clickable address, "" for files in the repository
    shown: str  # the address printed for a reader of paper


def _indent(line: str) -> str:
    """The line's indentation in characters, for the stylesheet to hang its wrapped parts under it."""
    expanded = line.expandtabs(4)
    width = len(expanded) - len(expanded.lstrip(" "))
    return f' style="--indent: {width}"' if width and expanded.strip() else ""


def _missing_image(src: str, alt: str) -> str:
    """What stands in for an image that is not shown: its alt text, and its address if a reader can reach it."""
    remote = f' <span class="address">{_breakable(src)}</span>' if split_url(src).scheme in ("http", "https") else ""
    return f'<span class="missing-image">{escape(alt or "image")}{remote}</span>'


def _leading_link(children: tuple[Inline, ...]) -> tuple[Link | None, tuple[Inline, ...]]:
    """The link an item starts with (even inside bold or italics), and what follows it."""
    nodes = [node for node in children if not (isinstance(node, Text) and not node.text.strip())]
    if not nodes:
        return None, ()
    first = nodes[0]
    while isinstance(first, Strong | Emphasis) and len(first.children) == 1:
        first = first.children[0]
    if not isinstance(first, Link):
        return None, ()
    return first, children[children.index(nodes[0]) + 1 :]


def _drop_separator(rest: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """The description without the dash or colon that joined it to the title."""
    if rest and isinstance(rest[0], Text):
        return (Text(_SEPARATOR.sub("", rest[0].text, count=1)), *rest[1:])
    return rest


def _is_reading_list(heading: str, names: tuple[str, ...]) -> bool:
    words = re.sub(r"^[^\w]+|[^\w]+$", "", heading).lower()
    words = re.sub(r"^\d+(\.\d+)*\s*", "", words)
    return any(words.startswith(name.lower()) or words.endswith(name.lower()) for name in names)


def _is_caption(alt: str, src: str) -> bool:
    """Alt text worth printing as a caption: not empty, generic, or the file's own name."""
    stem = Path(split_url(src).path).stem.lower()
    words = alt.strip().lower()
    return words not in _GENERIC_ALT and words.replace(" ", "") != re.sub(r"[-_ ]", "", stem)


def _shows_address(text: str, url: str) -> bool:
    """Whether the link text already is the address (an autolink), so printing it again is noise."""
    bare = re.compile(r"^(https?://|mailto:)?(www\.)?")
    return bare.sub("", text.strip()).rstrip("/") == bare.sub("", url.strip()).rstrip("/")


def _breakable(address: str) -> str:
    """An address with break opportunities after slashes, before punctuation and within long runs."""
    return _with_breaks(address, _URL_BREAK)


def _breakable_code(code: str) -> str:
    """Code with break opportunities after punctuation and within long runs of letters."""
    words = re.split(r"(\s+)", code)
    return "".join(word if word.isspace() else _with_breaks(word, _CODE_BREAK) for word in words)


def _with_breaks(text: str, breaks: re.Pattern[str]) -> str:
    """``text``, escaped, with a zero-width space where ``breaks`` splits it and every ``_LONGEST_RUN`` characters."""
    parts = breaks.split(text)
    runs = (part[start:start + _LONGEST_RUN] for part in parts for start in range(0, len(part), _LONGEST_RUN))
    return _BREAK.join(escape(run, quote=False) for run in runs)


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text.strip().lower()).strip("-")


def _letters(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: the letters of table notes."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def _shorten(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

