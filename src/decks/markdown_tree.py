"""Turn the element tree Python-Markdown built into model blocks, each with its source line.

The tree holds stashed raw HTML as placeholders (code fences, HTML blocks and
comments, inline tags one by one); ``TreeReader`` resolves them into model
values: fences to CodeBlock, ``<!-- notes: -->`` to Notes, column comments to
Columns, inline ``<b>`` ... ``</b>`` to Strong. Python-Markdown keeps no line
numbers, so a forward-only cursor over the pre-passed source finds where each
block starts, checked by a word the block begins with.
"""

from __future__ import annotations

import html
import re
import textwrap
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown.util import BLOCK_LEVEL_ELEMENTS
from msgspec.structs import replace

from decks.errors import Diagnostic
from decks.gfm_extension import MATH_CLASS, PLACEHOLDER, visible_text
from decks.gfm_prepass import Prepassed
from decks.model import (
    Alignment,
    AlertKind,
    Block,
    Code,
    CodeBlock,
    Columns,
    Details,
    Emphasis,
    Figure,
    Footnote,
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
)

NotesReader = Callable[[str, int], tuple[Block, ...]]  # (Markdown, line offset) -> blocks

_SEARCH_WINDOW = 40  # lines a block may lie past the cursor (link definitions, footnotes moved away)
_MAX_NESTING = 16  # deeper blocks, or deeper inline formatting, are read as plain text
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK_TAGS = set(BLOCK_LEVEL_ELEMENTS) | set(_HEADINGS)
_PRIVATE_MARK = re.compile("\x02[^\x02\x03]*\x03")  # what Python-Markdown leaves besides placeholders
# Halves of a mark Python-Markdown split (its emphasis can cut one, as in "_~ _*_* *`-`*").
_BROKEN_MARK = re.compile("\x02[a-z]{0,7}(?::\\d*)?|(?:[a-z]{0,7}:)?\\d*\x03")
_HIDDEN_ENTITY = re.compile("\x02amp\x03(#?\\w+;)")  # how Python-Markdown hides an e-mail address
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
_WORD = re.compile(r"[^\W_]{2,}|[^\W_]")
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)((?:\s[^>]*)?)(/?)>\Z", re.S)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);\Z")
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # what XML, so a deck, cannot hold
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_NOTES = re.compile(r"\s*notes\s*:", re.I)
_COLUMNS = re.compile(r"\s*columns\s*(?::\s*(?P<widths>[^>]*?))?\s*\Z", re.I)
_COLUMN = re.compile(r"\s*column\s*\Z", re.I)
_END_COLUMNS = re.compile(r"\s*end\s+columns\s*\Z", re.I)
_FENCE_LINE = re.compile(r"[> ]*(?:```|~~~)")
_THEMATIC_LINE = re.compile(r"[> ]*([-*_])(?: *\1){2,} *$")
_UNDERLINE = re.compile(r"[> ]*(?:=+|-+) *$")
_FIGURE_WRAPPERS = {"p", "div", "center", "a", "br", "img", "i", "em", "b", "strong", "span", "figure", "figcaption",
                    "picture", "source", "small", "sub", "sup"}
_FORMATTING = {"b": Strong, "strong": Strong, "i": Emphasis, "em": Emphasis, "s": Strikethrough,
               "del": Strikethrough, "strike": Strikethrough}


@dataclass(frozen=True)
class _BlockStash:
    """A stashed raw block met inside inline content: it ends the paragraph before it."""

    html: str


@dataclass(frozen=True)
class _Tag:
    """One stashed inline HTML tag, waiting to be paired with its end tag."""

    html: str
    name: str
    closing: bool
    attributes: dict[str, str]


@dataclass(frozen=True)
class _ColumnMark:
    """A column comment, until ``fold_columns`` gathers the blocks between the marks."""

    kind: str  # start, next or end
    widths: str
    line: int


_Token = Inline | _BlockStash | _Tag | str  # str: text still to be split on placeholders
_Run = list[_Token | etree.Element]  # an element's content: text, inline elements, their tails


class SourceLines:
    """The pre-passed source, searched forward only, to give each block its line in the original file."""

    def __init__(self, passed: Prepassed, offset: int) -> None:
        self.lines = passed.text.split("\n")
        self.origins = passed.origins
        self.offset = offset  # lines before the pre-passed text in the file (front matter)
        self.cursor = 0

    def line(self, index: int) -> int:
        """The 1-based line in the original file of pre-passed line ``index``."""
        index = min(index, len(self.origins) - 1)
        return self.origins[index] + self.offset + 1 if index >= 0 else self.offset + 1

    def find(self, probe: str | Callable[[str], bool] | None) -> int:
        """Move to the next line where a block starts (one holding ``probe``, if any) and return its index."""
        start = self.next_content(self.cursor)
        if probe:
            test = probe if callable(probe) else (lambda line: probe in line)
            for index in range(start, min(start + _SEARCH_WINDOW, len(self.lines))):
                if test(self.lines[index]):
                    start = index
                    break
        self.cursor = start
        return start

    def next_content(self, index: int) -> int:
        """The first line from ``index`` on that is not blank (the last line if none is)."""
        index = min(index, len(self.lines) - 1)
        while index < len(self.lines) - 1 and not self.lines[index].strip(" >"):
            index += 1
        return index

    def consume(self, index: int, count: int) -> None:
        """The block that starts at ``index`` spans ``count`` lines: search on after them."""
        self.cursor = max(self.cursor, index + max(count, 1))

    def search(self, text: str, start: int, stop: int) -> int:
        """The first line in [start, stop) that holds ``text``, or ``start``."""
        for index in range(start, min(max(stop, start + 1), len(self.lines))):
            if text in self.lines[index]:
                return index
        return start


class TreeReader:
    """Read one converted document: its blocks, its footnotes, and what it dropped (``diagnostics``)."""

    def __init__(
        self,
        stash: tuple[str | etree.Element, ...],
        passed: Prepassed,
        offset: int,
        path: str,
        read_notes: NotesReader,
    ) -> None:
        self.stash = stash
        self.source = SourceLines(passed, offset)
        self.path = path
        self.read_notes = read_notes
        self.diagnostics: list[Diagnostic] = []
        self.depth = 0  # blocks inside blocks, and inline elements inside inline elements, so far
        self.inline_depth = 0

    def read(self, root: etree.Element) -> tuple[tuple[Block, ...], tuple[Footnote, ...]]:
        """The document's blocks, then its footnotes (Python-Markdown gathers them in a div at the end)."""
        references = (link for link in root.iter("a") if link.get("class") == "footnote-ref")
        cited = {link.get("href", "").removeprefix("#fn:") for link in references}
        notes = [child for child in root if child.tag == "div" and child.get("class") == "footnote"]
        for div in notes:
            root.remove(div)
        blocks = self.blocks(root)
        footnotes = [footnote for div in notes for footnote in self.footnotes(div)]
        for footnote in footnotes:
            if footnote.label not in cited:
                self.warn(footnote.line, f"footnote [^{footnote.label}] is never referred to; left out, as on GitHub")
        return blocks, tuple(footnote for footnote in footnotes if footnote.label in cited)

    def warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, message))

    # ------------------------------------------------------------ blocks

    def blocks(self, parent: etree.Element, skip: int = 0) -> tuple[Block, ...]:
        """The blocks inside ``parent``: its block children, and paragraphs of the inline content between."""
        if self.depth >= _MAX_NESTING:
            return self.flattened(parent)
        self.depth += 1
        try:
            return self.nested_blocks(parent, skip)
        finally:
            self.depth -= 1

    def flattened(self, parent: etree.Element) -> tuple[Block, ...]:
        """Content nested absurdly deep, as one paragraph of its text."""
        line = self.source.line(self.source.find(None))
        self.warn(line, f"blocks nested deeper than {_MAX_NESTING} levels read as plain text")
        children = _tidy([Text(visible_text(parent))])
        return (Paragraph(children, line),) if children else ()

    def nested_blocks(self, parent: etree.Element, skip: int) -> tuple[Block, ...]:
        found: list[Block | _ColumnMark] = []
        run: _Run = [parent.text or ""]
        for child in list(parent)[skip:]:
            if child.tag in _BLOCK_TAGS:
                found.extend(self.flow(run))
                found.extend(self.block(child))
                run = []
            else:
                run.append(child)
            run.append(child.tail or "")
        found.extend(self.flow(run))
        return self.fold_columns(found)

    def block(self, element: etree.Element) -> Iterator[Block | _ColumnMark]:
        tag = element.tag
        css = element.get("class", "")
        if tag in _HEADINGS:
            yield self.heading(element)
        elif tag == "p":
            yield from self.flow([element.text or "", *_children_with_tails(element)])
        elif tag in ("ul", "ol"):
            yield from self.list_block(element)
        elif tag == "pre":
            yield self.indented_code(element)
        elif tag == "table":
            yield self.table(element)
        elif tag == "blockquote" or css.startswith("markdown-alert "):
            yield self.quote(element)
        elif tag == "div" and MATH_CLASS in css.split():
            yield self.math_block(element.text or "")
        elif tag == "hr":
            index = self.source.find(_THEMATIC_LINE.match)
            self.source.consume(index, 1)
            yield ThematicBreak(self.source.line(index))
        elif tag == "details":
            yield self.details(element)
        else:  # a <div markdown="1"> or similar: its content stands for itself
            yield from self.blocks(element)

    def heading(self, element: etree.Element) -> Heading:
        children = self.inlines([element.text or "", *_children_with_tails(element)])
        index = self.source.find(_probe(children))
        lines = self.source.lines
        setext = not lines[index].lstrip(" >").startswith("#")
        underlined = setext and index + 1 < len(lines) and _UNDERLINE.match(lines[index + 1])
        self.source.consume(index, 2 if underlined else 1)
        return Heading(_HEADINGS[element.tag], children, self.source.line(index), element.get("id", ""))

    def list_block(self, element: etree.Element) -> Iterator[ListBlock]:
        items = [child for child in element if child.tag == "li"]
        if not items:
            return
        index = self.source.next_content(self.source.cursor)
        read = tuple(self.list_item(item) for item in items)
        start = int(element.get("start", "1")) if element.get("start", "1").isdigit() else 1
        yield ListBlock(read, element.tag == "ol", start, _first_line(read[0].blocks, self.source.line(index)))

    def list_item(self, item: etree.Element) -> ListItem:
        checked = self.tick(item) if "task-list-item" in item.get("class", "").split() else None
        return ListItem(self.blocks(item), checked)

    def tick(self, item: etree.Element) -> bool:
        """Whether a task item's box is ticked (the box, stashed HTML, is left out of the text)."""
        holder = item if (item.text or "").strip() or not len(item) else item[0]
        found = PLACEHOLDER.search(holder.text or "")
        return found is not None and "checked" in str(self.stash[int(found.group(1))])

    def indented_code(self, element: etree.Element) -> CodeBlock:
        code = _unescape("".join(element.itertext())).rstrip("\n")
        index = self.source.find(_first_words(code))
        self.source.consume(index, code.count("\n") + 1)
        return CodeBlock(code, "", self.source.line(index))

    def table(self, element: etree.Element) -> Table:
        rows = [row for row in element.iter("tr")]
        header = tuple(self.inlines([cell.text or "", *_children_with_tails(cell)]) for cell in rows[0])
        alignments = tuple(_alignment(cell.get("align", "")) for cell in rows[0])
        body = tuple(
            tuple(self.inlines([cell.text or "", *_children_with_tails(cell)]) for cell in row) for row in rows[1:]
        )
        index = self.source.find(lambda line: "|" in line)
        self.source.consume(index, len(rows) + 1)
        header = self.placed_row(header, index)
        body = tuple(self.placed_row(row, index + 2 + number) for number, row in enumerate(body))  # after the ---
        return Table(header, body, alignments, self.source.line(index))

    def placed_row(self, cells: tuple[tuple[Inline, ...], ...], index: int) -> tuple[tuple[Inline, ...], ...]:
        """A table row whose images know their line: a row is one line."""
        return tuple(tuple(self.place_images(cell, index, index + 1)) for cell in cells)

    def quote(self, element: etree.Element) -> Quote:
        css = element.get("class", "")
        kind: AlertKind = ""
        skip = 0
        if css.startswith("markdown-alert "):
            kind = _alert_kind(css.split("-")[-1])
            skip = 1
        index = self.source.find(lambda line: line.lstrip().startswith(">"))
        return Quote(self.blocks(element, skip), kind, self.source.line(index))

    def math_block(self, wrapped: str) -> MathBlock:
        tex = _clean(wrapped).strip()  # a fence inside $$ is stashed first: leave it out
        lines = tex.count("\n") + 1
        tex = tex.removeprefix("\\[").removesuffix("\\]").strip()
        index = self.source.find(lambda line: "$$" in line or "```" in line or "~~~" in line)
        self.source.consume(index, lines)
        return MathBlock(tex, self.source.line(index))

    def details(self, element: etree.Element) -> Details:
        index = self.source.find(lambda line: "<details" in line.lower())
        summary: tuple[Inline, ...] = ()
        skip = 0
        if len(element) and element[0].tag == "summary" and not (element.text or "").strip():
            summary = self.inlines([element[0].text or "", *_children_with_tails(element[0])])
            skip = 1
        self.source.consume(index, 1)
        return Details(summary, self.blocks(element, skip), self.source.line(index))

    # ------------------------------------------------------------ inline content and paragraphs

    def flow(self, run: _Run) -> Iterator[Block | _ColumnMark]:
        """Paragraphs of an inline run, split where a stashed block (a fence, an HTML block) sits in it."""
        piece: list[_Token] = []
        for token in self.tokens(run):
            if isinstance(token, _BlockStash):
                yield from self.paragraph(piece)
                yield from self.stashed_block(token.html)
                piece = []
            else:
                piece.append(token)
        yield from self.paragraph(piece)

    def paragraph(self, tokens: list[_Token]) -> Iterator[Paragraph | Figure]:
        children = _tidy(_pair_tags(tokens))
        if not children:
            return
        index = self.source.find(_probe(children))
        lines = "".join(_source_text(token) for token in tokens).strip().count("\n") + 1
        self.source.consume(index, lines)
        children = tuple(self.place_images(children, index, index + lines))
        line = self.source.line(index)
        shown = [child for child in children if not isinstance(child, LineBreak)]
        if len(shown) == 1 and isinstance(shown[0], Image):
            yield Figure(shown[0], line)
        else:
            yield Paragraph(children, line)

    def place_images(self, inlines: Iterable[Inline], start: int, stop: int) -> Iterator[Inline]:
        """Give each image the line of its own ``src`` within the lines [start, stop)."""
        for node in inlines:
            if isinstance(node, Image):
                place = self.source.search(node.src, start, stop)
                yield replace(node, line=self.source.line(place))
            elif isinstance(node, Strong | Emphasis | Strikethrough | Link):
                yield replace(node, children=tuple(self.place_images(node.children, start, stop)))
            else:
                yield node

    def inlines(self, run: _Run) -> tuple[Inline, ...]:
        """Inline content that cannot hold blocks (headings, table cells, summaries)."""
        tokens = [RawInline(token.html) if isinstance(token, _BlockStash) else token for token in self.tokens(run)]
        return _tidy(_pair_tags(tokens))

    def tokens(self, run: _Run) -> Iterator[_Token]:
        """Flatten a run of text and inline elements, resolving stash placeholders."""
        for item in run:
            if isinstance(item, str):
                yield from self.text_tokens(item)
            elif isinstance(item, etree.Element):
                yield from self.element_tokens(item)
            else:
                yield item

    def text_tokens(self, text: str) -> Iterator[_Token]:
        position = 0
        for found in PLACEHOLDER.finditer(text):
            if found.start() > position:
                yield Text(_plain(text[position : found.start()]))
            position = found.end()
            entry = self.stash[int(found.group(1))]
            if isinstance(entry, str):
                yield from _stashed_inline(entry)
        if position < len(text):
            yield Text(_plain(text[position:]))

    def element_tokens(self, element: etree.Element) -> Iterator[_Token]:
        if self.inline_depth >= _MAX_NESTING:
            yield Text(visible_text(element))
            return
        self.inline_depth += 1
        try:
            yield from self.formatted_tokens(element)
        finally:
            self.inline_depth -= 1

    def formatted_tokens(self, element: etree.Element) -> Iterator[_Token]:
        tag = element.tag
        content = [element.text or "", *_children_with_tails(element)]
        if tag in ("strong", "em", "del", "s"):
            yield _FORMATTING[tag](_pair_tags(list(self.tokens(content))))
        elif tag == "code":
            yield Code(_unescape("".join(element.itertext())))
        elif tag == "a" and "footnote-backref" not in element.get("class", ""):
            children = _pair_tags(list(self.tokens(content)))
            yield Link(_clean(element.get("href", "")), children, _clean(element.get("title", "")))
        elif tag == "img":
            src, alt, title = (_clean(element.get(name, "")) for name in ("src", "alt", "title"))
            yield Image(src, alt, title)
        elif tag == "br":
            yield LineBreak()
        elif tag == "span" and MATH_CLASS in element.get("class", "").split():
            yield Math(_unwrap_math(element.text or ""))
        elif tag == "sup" and element.get("id", "").startswith("fnref"):
            yield FootnoteRef(element[0].get("href", "#fn:").split(":", 1)[-1] if len(element) else "")
        elif tag != "a":
            yield from self.tokens(content)

    def stashed_block(self, entry: str) -> Iterator[Block | _ColumnMark]:
        """The model block for a stashed raw block: a fence, display math, a comment or other HTML."""
        code = re.match(r'<pre><code(?: class="language-([^"]*)")?>(.*)</code></pre>\Z', entry, re.S)
        if code:
            index = self.source.find(_FENCE_LINE.match)
            text = _unescape(code.group(2)).rstrip("\n")
            self.source.consume(index, text.count("\n") + 3)
            yield CodeBlock(text, _unescape(code.group(1) or ""), self.source.line(index))
        elif entry.startswith(f'<div class="{MATH_CLASS}">'):
            yield self.math_block(entry.removeprefix(f'<div class="{MATH_CLASS}">').removesuffix("</div>"))
        elif entry.lstrip().startswith("<!--"):
            yield from self.comment(entry.strip())
        elif entry.strip():
            markup = self.unstashed(entry).strip()
            index = self.source.find(markup.split("\n")[0][:40])
            lines = markup.count("\n") + 1
            self.source.consume(index, lines)
            image = _html_figure(markup)
            if image is None:
                yield RawHtml(markup, self.source.line(index))
            else:
                place = self.source.line(self.source.search(image.src, index, index + lines))
                yield Figure(replace(image, line=place), self.source.line(index))

    def unstashed(self, markup: str) -> str:
        """``markup`` with the placeholders of what Python-Markdown stashed inside it (a fence in an HTML block) put back."""
        return PLACEHOLDER.sub(lambda found: self.unstashed(str(self.stash[int(found.group(1))])), markup)

    def comment(self, entry: str) -> Iterator[Block | _ColumnMark]:
        """Speaker notes and column marks; any other comment is left out, as GitHub shows none."""
        index = self.source.find(lambda line: "<!--" in line)
        self.source.consume(index, entry.count("\n") + 1)
        line = self.source.line(index)
        body = _COMMENT.match(entry)
        text = body.group(1) if body else entry[4:]
        notes = _NOTES.match(text)
        if notes:
            content = text[notes.end():]
            first, _, rest = content.partition("\n")
            markdown = first.strip() + "\n" + textwrap.dedent(rest) if rest else first.strip()
            yield Notes(self.read_notes(markdown, line - 1), line)
        elif columns := _COLUMNS.match(text):
            yield _ColumnMark("start", columns.group("widths") or "", line)
        elif _COLUMN.match(text):
            yield _ColumnMark("next", "", line)
        elif _END_COLUMNS.match(text):
            yield _ColumnMark("end", "", line)

    # ------------------------------------------------------------ columns and footnotes

    def fold_columns(self, found: list[Block | _ColumnMark]) -> tuple[Block, ...]:
        """Gather the blocks between column comments into Columns; report marks out of place."""
        blocks: list[Block] = []
        open_mark: _ColumnMark | None = None
        parts: list[list[Block]] = []
        for item in found:
            if not isinstance(item, _ColumnMark):
                (parts[-1] if open_mark else blocks).append(item)
            elif item.kind == "start" and open_mark is None:
                open_mark, parts = item, [[]]
            elif item.kind == "next" and open_mark is not None:
                parts.append([])
            elif item.kind == "end" and open_mark is not None:
                blocks.extend(self.columns(open_mark, parts))
                open_mark = None
            else:
                self.warn(item.line, f"'{_MARK_TEXT[item.kind]}' comment out of place; left out")
        if open_mark is not None:
            self.warn(open_mark.line, "columns never ended with '<!-- end columns -->'")
            blocks.extend(self.columns(open_mark, parts))
        return tuple(blocks)

    def columns(self, mark: _ColumnMark, parts: list[list[Block]]) -> list[Block]:
        if len(parts) not in (2, 3):
            self.warn(mark.line, f"columns need 2 or 3 parts, found {len(parts)}; shown one after another")
            return [block for part in parts for block in part]
        widths = tuple(int(width) for width in re.findall(r"\d+", mark.widths))
        if mark.widths.strip() and (len(widths) != len(parts) or not all(widths)):
            message = f"column widths '{mark.widths.strip()}' do not fit {len(parts)} columns; equal widths used"
            self.warn(mark.line, message)
            widths = ()
        return [Columns(tuple(tuple(part) for part in parts), widths or (1,) * len(parts), mark.line)]

    def footnotes(self, div: etree.Element) -> Iterator[Footnote]:
        for item in div.findall("./ol/li"):
            label = item.get("id", "").split(":", 1)[-1]
            index = self.source.search(f"[^{label}]:", 0, len(self.source.lines))
            self.source.cursor = index
            blocks = self.blocks(item)
            yield Footnote(label, blocks, self.source.line(index))


_MARK_TEXT = {"start": "<!-- columns -->", "next": "<!-- column -->", "end": "<!-- end columns -->"}


# ---------------------------------------------------------------- helpers


def _children_with_tails(element: etree.Element) -> Iterator[etree.Element | str]:
    for child in element:
        yield child
        yield child.tail or ""


def _plain(text: str) -> str:
    """Text without Python-Markdown's private marks, its hidden e-mail letters shown."""
    shown = _HIDDEN_ENTITY.sub(lambda found: _unescape("&" + found.group(1)), text)
    return _BROKEN_MARK.sub("", _PRIVATE_MARK.sub("", shown))


def _clean(value: str) -> str:
    """An attribute value as written: entities resolved, private marks gone."""
    return _unescape(_plain(value))


def _unescape(text: str) -> str:
    """Entities resolved; ``&#12;`` and the like, characters no deck can hold, become U+FFFD."""
    return NOT_TEXT.sub("\ufffd", html.unescape(text))


def _unwrap_math(wrapped: str) -> str:
    text = wrapped.strip()
    for opening, closing in (("\\(", "\\)"), ("\\[", "\\]")):
        if text.startswith(opening) and text.endswith(closing):
            return text[len(opening) : -len(closing)].strip()
    return text


def _alert_kind(name: str) -> AlertKind:
    kinds: dict[str, AlertKind] = {
        "note": "note", "tip": "tip", "important": "important", "warning": "warning", "caution": "caution"
    }
    return kinds.get(name, "note")


def _alignment(value: str) -> Alignment:
    alignments: dict[str, Alignment] = {"left": "left", "center": "center", "right": "right"}
    return alignments.get(value, "")


def _first_line(blocks: tuple[Block, ...], fallback: int) -> int:
    return getattr(blocks[0], "line", fallback) or fallback if blocks else fallback


def _source_text(token: _Token) -> str:
    """Enough of a token's source to count the lines it spans: its text, its line ends."""
    if isinstance(token, Text | Code):
        return token.text
    if isinstance(token, _Tag):
        return token.html
    if isinstance(token, Strong | Emphasis | Strikethrough | Link):
        return "".join(_source_text(child) for child in token.children) or "x"
    if isinstance(token, Math):
        return token.tex
    return "x"


def _probe(inlines: tuple[Inline, ...]) -> str | None:
    """A word a block's first line must hold: its first word of text, or its first image's alt text or source.

    The alt text comes first: a reference image (``![alt][ref]``) has its source on another line.
    """
    for node in inlines:
        if isinstance(node, Image):
            word = _WORD.search(node.alt)
            return word.group() if word else node.src or None
        if isinstance(node, Text | Code):
            word = _WORD.search(node.text)
            if word:
                return word.group()
        elif isinstance(node, Math):
            return node.tex.split()[0] if node.tex.split() else None
        elif isinstance(node, Strong | Emphasis | Strikethrough | Link):
            found = _probe(node.children)
            if found:
                return found
    return None


def _first_words(code: str) -> str | None:
    for line in code.split("\n"):
        if line.strip():
            return line.strip()[:40]
    return None


def _stashed_inline(entry: str) -> Iterator[_Token]:
    """A stashed piece met in inline content: an entity, a tag, a raw block, or nothing (a plain comment)."""
    comment = _COMMENT.match(entry.strip())
    tag = _TAG.match(entry.strip())
    if _ENTITY.match(entry):
        yield Text(_unescape(entry))
    elif comment and not any(kind.match(comment.group(1)) for kind in (_NOTES, _COLUMNS, _COLUMN, _END_COLUMNS)):
        return  # GitHub shows no comment
    elif comment or entry.endswith("\n") or entry.startswith(("<pre><code", f'<div class="{MATH_CLASS}"')):
        yield _BlockStash(entry)
    elif tag and tag.group(2).lower() == "input":
        return  # a task list's box: ``tick`` has read it
    elif tag:
        tags, _ = _parse_html(entry)
        yield _Tag(entry, tag.group(2).lower(), bool(tag.group(1)), tags[0][1] if tags else {})
    elif entry:
        yield RawInline(entry)


class _HtmlCollector(HTMLParser):
    """The start tags (with attributes) and the text of a piece of HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {key: value or "" for key, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse_html(markup: str) -> tuple[list[tuple[str, dict[str, str]]], str]:
    """Start tags and text of ``markup``; whatever the parser cannot take yields what it read so far."""
    collector = _HtmlCollector()
    try:
        collector.feed(markup)
        collector.close()
    except (AssertionError, ValueError):  # html.parser asserts on some malformed declarations
        pass
    return collector.tags, " ".join(collector.text)


def _pair_tags(tokens: list[_Token]) -> tuple[Inline, ...]:
    """Pair stashed inline tags: ``<b>``...``</b>`` becomes Strong; unknown tags stay as RawInline."""
    stack: list[tuple[_Tag | None, list[Inline]]] = [(None, [])]
    for token in tokens:
        if isinstance(token, _Tag):
            _add_tag(stack, token)
        elif isinstance(token, str):
            stack[-1][1].append(Text(token))
        elif not isinstance(token, _BlockStash):
            stack[-1][1].append(token)
    while len(stack) > 1:
        opened, children = stack.pop()
        assert opened is not None
        stack[-1][1].extend([RawInline(opened.html), *children])
    return tuple(stack[0][1])


def _add_tag(stack: list[tuple[_Tag | None, list[Inline]]], tag: _Tag) -> None:
    if tag.name == "br":
        stack[-1][1].append(LineBreak())
    elif tag.name == "img":
        stack[-1][1].append(Image(tag.attributes.get("src", ""), tag.attributes.get("alt", ""),
                                  tag.attributes.get("title", "")))
    elif tag.closing and any(opened is not None and opened.name == tag.name for opened, _ in stack):
        while True:
            opened, children = stack.pop()
            assert opened is not None
            if opened.name == tag.name:
                stack[-1][1].append(_formatted(opened, tuple(children)))
                return
            stack[-1][1].extend([RawInline(opened.html), *children])
    elif (
        not tag.closing
        and (tag.name in _FORMATTING or tag.name in ("a", "code"))
        and not tag.html.endswith("/>")
        and len(stack) <= _MAX_NESTING
    ):
        stack.append((tag, []))
    else:
        stack[-1][1].append(RawInline(tag.html))


def _formatted(tag: _Tag, children: tuple[Inline, ...]) -> Inline:
    if tag.name == "a":
        return Link(tag.attributes.get("href", ""), _tidy(children, edges=False), tag.attributes.get("title", ""))
    if tag.name == "code":
        return Code("".join(child.text for child in children if isinstance(child, Text)))
    return _FORMATTING[tag.name](_tidy(children, edges=False))


def _tidy(inlines: Iterable[Inline], edges: bool = True) -> tuple[Inline, ...]:
    """Merge neighbouring text and fold white space as a browser shows it; trim a block's ends."""
    merged: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            node = Text(merged.pop().text + node.text)  # type: ignore[union-attr]
        elif isinstance(node, Strong | Emphasis | Strikethrough | Link):
            node = replace(node, children=_tidy(node.children, edges=False))
        elif isinstance(node, Code):
            node = Code(node.text.replace("\n", " "))
        merged.append(node)
    tidied: list[Inline] = []
    for position, node in enumerate(merged):
        if isinstance(node, Text):
            text = _WHITESPACE.sub(" ", node.text)
            if (edges and position == 0) or (position and isinstance(merged[position - 1], LineBreak)):
                text = text.lstrip(" ")
            if (edges and position == len(merged) - 1) or (
                position + 1 < len(merged) and isinstance(merged[position + 1], LineBreak)
            ):
                text = text.rstrip(" ")
            node = Text(text)
        tidied.append(node)
    if edges:
        while tidied and isinstance(tidied[-1], LineBreak):
            tidied.pop()
        while tidied and isinstance(tidied[0], LineBreak):
            tidied.pop(0)
        if tidied and isinstance(tidied[0], Text):
            tidied[0] = Text(tidied[0].text.lstrip(" "))
    return tuple(node for node in tidied if not (isinstance(node, Text) and not node.text))


def _html_figure(markup: str) -> Image | None:
    """The one picture of an HTML block that holds nothing else but wrappers and a caption, if it is one."""
    tags, text = _parse_html(markup)
    images = [attributes for name, attributes in tags if name == "img"]
    if len(images) != 1 or any(name not in _FIGURE_WRAPPERS for name, _ in tags):
        return None
    caption = " ".join(text.split())
    image = images[0]
    return Image(image.get("src", ""), image.get("alt", "") or caption, image.get("title", "") or caption)
