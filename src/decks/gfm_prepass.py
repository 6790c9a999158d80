"""Rewrite GitHub-flavoured Markdown into Markdown that Python-Markdown reads the same way.

Source text in, source text out, with the input line of every output line.
GitHub (CommonMark) nests a list item under the item whose text column it
reaches, lets a list, a table, a fence or ``$$`` math interrupt a paragraph,
keeps block quotes apart when a blank line separates them, and reads Markdown
after a blank line inside ``<details>``. Python-Markdown wants four spaces per
nesting level and blank lines between blocks. This pass follows the container
structure (block quotes and list items) line by line, as CommonMark does, and
writes it back in Python-Markdown's terms. Text inside code fences, math and
HTML blocks is copied unchanged, only moved to its container's new indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_DEPTH = 8  # containers nested deeper than this are folded into the eighth level
_LEVEL = "    "  # one level of list nesting for Python-Markdown
_OPAQUE = ("fence", "math", "html")  # leaves whose lines are copied, never parsed

_QUOTE = re.compile(r" {0,3}> ?")
_BULLET = re.compile(r"( {0,3})([-+*])( *)")
_ORDERED = re.compile(r"( {0,3})(\d{1,9})([.)])( *)")
_THEMATIC = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+) *$")
_ATX = re.compile(r" {0,3}#{1,6}(?: |$)")
_NOT_A_HEADING = re.compile(r"#{1,6}[^#\s]")  # `#tag`: a heading to Python-Markdown, text to GitHub
_FENCE = re.compile(r"( {0,3})(`{3,}(?=[^`]*$)|~{3,})(.*)$")
_LANGUAGE = re.compile(r"[\w+#.-]+")
_DELIMITER_ROW = re.compile(r" {0,3}\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$")
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|"
    "div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|"
    "legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|"
    "table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_ATTRIBUTE = r"""\s+[a-zA-Z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""


@dataclass(frozen=True)
class _HtmlKind:
    """One of CommonMark's seven HTML block starts; ``end`` None means a blank line ends it."""

    start: re.Pattern[str]
    end: re.Pattern[str] | None
    interrupts: bool = True


_HTML_KINDS = (
    _HtmlKind(re.compile(r" {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)", re.I),
              re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
    _HtmlKind(re.compile(r" {0,3}<!--"), re.compile(r"-->")),
    _HtmlKind(re.compile(r" {0,3}<\?"), re.compile(r"\?>")),
    _HtmlKind(re.compile(r" {0,3}<![A-Za-z]"), re.compile(r">")),
    _HtmlKind(re.compile(r" {0,3}<!\[CDATA\["), re.compile(r"\]\]>")),
    _HtmlKind(re.compile(rf" {{0,3}}</?(?:{_BLOCK_TAGS})(?:\s|/?>|$)", re.I), None),
    _HtmlKind(re.compile(rf" {{0,3}}(?:<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"),
              None, interrupts=False),
)
# Elements whose content GitHub reads as Markdown once a blank line ends the opening HTML block.
_MARKDOWN_INSIDE = re.compile(r"( {0,3}<(details|div))(?=[\s>])(?![^>]*\smarkdown=)", re.I)
_QUOTE_SEPARATOR = "<!-- -->"  # keeps Python-Markdown from merging two adjacent block quotes


@dataclass(frozen=True)
class Prepassed:
    """The rewritten text, the input line (0-based) of each output line, and problems found."""

    text: str
    origins: tuple[int, ...]
    problems: tuple[tuple[int, str], ...]  # (input line, 0-based; message)


def prepass(text: str) -> Prepassed:
    """Rewrite ``text`` (GitHub-flavoured Markdown without front matter) for Python-Markdown."""
    rewriter = _Rewriter(text.split("\n"))
    for index in range(len(rewriter.lines)):
        rewriter.feed(index)
    rewriter.close_leaf(len(rewriter.lines) - 1)
    return rewriter.result()


@dataclass(eq=False)
class _List:
    """One list: its item marker lines (output index, blank line to put before) and its looseness."""

    markers: list[tuple[int, str]] = field(default_factory=list)
    loose: bool = False


@dataclass(eq=False)
class _Quote:
    """An open block quote."""


@dataclass(eq=False)
class _Item:
    """An open list item; ``width`` is its text column, counted from where the item starts."""

    width: int
    kind: str  # the bullet, or the ordered delimiter: a different one starts another list
    owner: _List


_Container = _Quote | _Item


@dataclass(frozen=True)
class _Marker:
    """A list item marker found at the start of a line's remaining text."""

    width: int  # columns from the start of the text to the item's content
    kind: str
    text: str  # as written for Python-Markdown: `-`, `*`, `+` or `12.`


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _is_blank(text: str) -> bool:
    return not text.strip()


def _cells(row: str) -> int:
    """How many cells a table row has: unescaped pipes, without the outer ones."""
    inner = row.strip().removeprefix("|")
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return len(re.split(r"(?<!\\)\|", inner))


def _match(line: str, stack: list[_Container]) -> tuple[int, int]:
    """How many open containers ``line`` continues, and the column where its content starts."""
    column = 0
    for depth, box in enumerate(stack):
        rest = line[column:]
        if isinstance(box, _Quote):
            marker = _QUOTE.match(rest)
            if not marker:
                return depth, column
            column += marker.end()
        elif not _is_blank(rest):
            if _indent(rest) < box.width:
                return depth, column
            column += box.width
    return len(stack), column


def _list_marker(rest: str, interrupting: bool) -> _Marker | None:
    """The list item marker that ``rest`` starts with, if any; stricter when it would interrupt a paragraph."""
    bullet = _BULLET.match(rest)
    ordered = None if bullet else _ORDERED.match(rest)
    found = bullet or ordered
    if not found:
        return None
    spaces = len(found.groups()[-1])
    empty = _is_blank(rest[found.end():])
    if (not spaces and not empty) or (interrupting and (empty or (ordered and int(ordered.group(2)) != 1))):
        return None
    start = found.end() - spaces
    width = start + 1 if empty or spaces > 4 else found.end()
    if bullet:
        return _Marker(width, bullet.group(2), bullet.group(2))
    assert ordered is not None
    return _Marker(width, ordered.group(3), ordered.group(2) + ".")


def _as_text(text: str) -> str:
    """Escape what Python-Markdown would read as a heading or a quote where GitHub sees text."""
    return "\\" + text if _NOT_A_HEADING.match(text) or text.startswith(">") else text


def _html_kind(rest: str, interrupting: bool) -> _HtmlKind | None:
    allowed = (kind for kind in _HTML_KINDS if kind.interrupts or not interrupting)
    return next((kind for kind in allowed if kind.start.match(rest)), None)


def _starts_block(rest: str) -> bool:
    """Whether ``rest`` begins a block, so that it cannot continue a paragraph lazily.

    A lazy line is outside the paragraph's containers, so the stricter rules for
    interrupting a paragraph do not apply (cmark-gfm's reading).
    """
    return bool(
        _QUOTE.match(rest)
        or _list_marker(rest, interrupting=False)
        or _THEMATIC.match(rest)
        or _ATX.match(rest)
        or _FENCE.match(rest)
        or rest.lstrip().startswith("$$")
        or _html_kind(rest, interrupting=False)
    )


class _Rewriter:
    """The state of one rewrite, fed one input line at a time."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = [line.rstrip("\r").expandtabs(4) for line in lines]
        self.stack: list[_Container] = []
        self.out: list[str] = []
        self.origins: list[int] = []
        self.blank: list[bool] = []
        self.blank_before: dict[int, str] = {}  # output index -> the blank line that must precede it
        self.lists: list[_List] = []
        self.problems: list[tuple[int, str]] = []
        self.tip = ""  # the open leaf: paragraph, table, code, fence, math, html or ""
        self.on_marker = False  # the open paragraph began on its list item's marker line
        self.fence = ("", 0, 0, False)  # characters, indent, input line, inside a tight list item
        self.html_end: re.Pattern[str] | None = None
        self.math_end = 0
        self.after_blank = False  # a blank line came after the last content
        self.separate_next = False  # the next block must start a new Python-Markdown block
        self.block_depth = 0  # container depth of the line that began Python-Markdown's current block
        self.last_stack: list[_Container] = []  # the containers of the last non-blank line
        self.last_fold = -2

    def result(self) -> Prepassed:
        for owner in self.lists:
            if owner.loose:
                for position, blank in owner.markers[1:]:
                    self.blank_before.setdefault(position, blank)
        lines: list[str] = []
        origins: list[int] = []
        for position, (line, origin) in enumerate(zip(self.out, self.origins, strict=True)):
            if position in self.blank_before and position and not self.blank[position - 1]:
                lines.append(self.blank_before[position])
                origins.append(origin)
            lines.append(line)
            origins.append(origin)
        return Prepassed("\n".join(lines), tuple(origins), tuple(self.problems))

    def feed(self, index: int) -> None:
        line = self.lines[index]
        matched, column = _match(line, self.stack)
        if self.tip in _OPAQUE and self.continue_leaf(index, line, matched, column):
            return
        if _is_blank(line[column:]):
            self.feed_blank(index, matched)
            return
        opened = self.open_containers(index, line, matched, column)
        if opened is not None:
            self.feed_leaf(index, *opened)

    # ------------------------------------------------------------ containers

    def prefix(self, depth: int) -> str:
        """What Python-Markdown needs before a line inside the first ``depth`` open containers."""
        return "".join("> " if isinstance(box, _Quote) else _LEVEL for box in self.stack[:depth])

    def close(self, depth: int, index: int) -> list[_Container]:
        """Close every container from ``depth`` on, and the leaf inside; return the containers closed."""
        closed = self.stack[depth:]
        if closed:
            self.close_leaf(index - 1)
            del self.stack[depth:]
        return closed

    def open_containers(self, index: int, line: str, matched: int, column: int) -> tuple[str, str, int] | None:
        """Open the quotes and list items that begin on this line.

        Returns the line's remaining text, the markers written for the new
        containers and the depth of the containers it continues; None when the
        line lazily continues a paragraph (it is written already).
        """
        interrupting = matched == len(self.stack) and self.tip in ("paragraph", "table")
        closed: list[_Container] | None = None
        markers = ""
        items: list[_List] = []
        while True:
            rest = line[column:]
            if _indent(rest) >= 4 or _THEMATIC.match(rest) or (interrupting and _SETEXT.match(rest)):
                break
            quote = _QUOTE.match(rest)
            item = None if quote else _list_marker(rest, interrupting)
            if not (quote or item):
                break
            if closed is None:
                closed = self.close(matched, index)
                self.separate_unless_sibling(closed, item)
                # Python-Markdown splits a paragraph for a nested list, never for a quote.
                self.separate_next |= interrupting and (quote is not None or not self.on_marker)
            if len(self.stack) >= MAX_DEPTH:
                if not self.fold(index, item):
                    break
                if markers:  # the deepest item began on this line: it takes the deeper item's text
                    assert item is not None
                    column += item.width
                    continue
                closed = self.close(MAX_DEPTH - 1, index)
                matched = min(matched, len(self.stack))
            if quote:
                self.open_quote(index)
                markers += "> "
                column += quote.end()
            else:
                assert item is not None
                items.append(self.open_item(item, closed if not markers else []))
                markers += item.text + " "
                column += item.width
            interrupting = False
        for owner in items:
            owner.markers[-1] = (len(self.out), owner.markers[-1][1])
        if closed is not None:
            return line[column:], markers, matched
        if matched < len(self.stack):
            if self.tip == "paragraph" and not _starts_block(line[column:]):
                self.write(index, len(self.stack), _as_text(line[column:].lstrip()))
                return None
            self.close(matched, index)
            self.separate_next = True
        return line[column:], "", len(self.stack)

    def separate_unless_sibling(self, closed: list[_Container], item: _Marker | None) -> None:
        """Closing containers ends Python-Markdown's block too, except for the next item of the same list."""
        sibling = closed and isinstance(closed[0], _Item) and item is not None and closed[0].kind == item.kind
        if closed and not sibling:
            self.separate_next = True

    def fold(self, index: int, item: _Marker | None) -> bool:
        """Report nesting past MAX_DEPTH; True when a deeper item is to become a sibling, False for a quote (text)."""
        if index > self.last_fold + 1:
            self.problems.append((index, f"nesting deeper than {MAX_DEPTH} levels folded into level {MAX_DEPTH}"))
        self.last_fold = index
        return item is not None

    def open_quote(self, index: int) -> None:
        self.mark_loose_parent()
        depth = len(self.stack)
        last = self.last_stack
        if len(last) > depth and isinstance(last[depth], _Quote) and last[depth] not in self.stack:
            self.write(index, depth, _QUOTE_SEPARATOR, separate=True)
            self.separate_next = True
        self.stack.append(_Quote())

    def open_item(self, item: _Marker, closed: list[_Container]) -> _List:
        depth = len(self.stack)
        previous = closed[0] if closed else None
        if isinstance(previous, _Item) and previous.kind == item.kind:
            owner = previous.owner
            owner.loose = owner.loose or self.after_blank
        else:
            owner = _List()
            self.lists.append(owner)
            self.mark_loose_parent()
        self.stack.append(_Item(item.width, item.kind, owner))
        owner.markers.append((-1, self.prefix(depth).rstrip()))  # the position is known once the line is read
        return owner

    def mark_loose_parent(self) -> None:
        """New content directly inside an item after a blank line makes the item's list loose."""
        parent = self.stack[-1] if self.stack else None
        if self.after_blank and isinstance(parent, _Item):
            parent.owner.loose = True

    # ------------------------------------------------------------ leaves

    def feed_blank(self, index: int, matched: int) -> None:
        code = self.tip in ("code", "code-blank")
        closed = self.close(matched, index)
        self.tip = "code-blank" if code and not closed else ""
        self.write(index, len(self.stack), "", blank=True)
        self.after_blank = True

    def feed_leaf(self, index: int, rest: str, markers: str, depth: int) -> None:
        """Write a line's content, after its containers, as the block it begins or continues."""
        before, self.tip = self.tip, "paragraph"
        stripped = rest.strip()
        continues_code = before.startswith("code") and _indent(rest) >= 4 and not markers
        if not markers and not continues_code:
            self.mark_loose_parent()
        self.after_blank = False
        self.last_stack = list(self.stack)
        interrupting = before in ("paragraph", "table") and not markers
        if continues_code or (_indent(rest) >= 4 and not interrupting):
            self.tip = "code"
            self.write(index, depth, markers + rest)
        elif before == "paragraph" and not markers and _SETEXT.match(rest):
            self.tip = ""
            self.write(index, depth, stripped)
        elif fence := _FENCE.match(rest):
            self.start_fence(index, depth, markers, fence, interrupting)
        elif stripped.startswith("$$") and (end := self.math_end_line(index, stripped)) is not None:
            self.start_math(index, depth, markers + stripped, end)
        elif html := _html_kind(rest, interrupting):
            self.start_html(index, depth, markers, rest, html, interrupting)
        elif _ATX.match(rest) or _THEMATIC.match(rest):
            self.tip = ""
            self.write(index, depth, markers + stripped, separate=interrupting)
            self.separate_next = bool(_THEMATIC.match(rest))  # or Python-Markdown reads a `---` after it as a heading
        elif before == "table" and not markers:
            self.tip = "table"
            self.write(index, depth, stripped)
        elif self.table_follows(index, rest):
            self.tip = "table"
            self.write(index, depth, markers + stripped, separate=interrupting)
        else:
            self.continue_paragraph(index, depth, markers, rest.lstrip(), before == "paragraph" and not markers)

    def continue_paragraph(self, index: int, depth: int, markers: str, text: str, continuing: bool) -> None:
        if not continuing:
            self.on_marker = bool(markers) and not markers.endswith("> ")  # began on its list item's first line
        self.write(index, depth, markers + _as_text(text))

    def table_follows(self, index: int, rest: str) -> bool:
        """Whether ``rest`` is a table's header row: the next line is a delimiter row with as many cells."""
        if index + 1 >= len(self.lines) or "|" not in rest:
            return False
        following = self.lines[index + 1]
        matched, column = _match(following, self.stack)
        delimiter = following[column:]
        is_delimiter = matched == len(self.stack) and bool(_DELIMITER_ROW.match(delimiter))
        return is_delimiter and _cells(delimiter) == _cells(rest)

    def math_end_line(self, index: int, opening: str) -> int | None:
        """The line that closes ``$$`` math opened on line ``index``; None when this is no display math."""
        if opening.count("$$") > 1:
            single = opening.count("$$") == 2 and opening.endswith("$$") and len(opening) > 4
            return index if single else None
        for later in range(index + 1, len(self.lines)):
            content = self.lines[later][_match(self.lines[later], self.stack)[1]:].strip()
            if not content or content.count("$$") > 1 or ("$$" in content and not content.endswith("$$")):
                return None
            if content.endswith("$$"):
                return later
        return None

    def start_math(self, index: int, depth: int, text: str, end: int) -> None:
        self.write(index, depth, text, separate=True)
        self.tip = "math" if end > index else ""
        self.math_end = end
        self.separate_next = True

    def start_fence(self, index: int, depth: int, markers: str, fence: re.Match[str], interrupting: bool) -> None:
        chars = fence.group(2)
        words = fence.group(3).split()
        language = _LANGUAGE.search(words[0]) if words else None
        tight = interrupting and self.on_marker
        self.fence = (chars, len(fence.group(1)), index, tight)
        self.tip = "fence"
        opening = markers + chars + (language.group() if language else "")
        self.write(index, depth, opening, separate=interrupting and not self.on_marker)

    def start_html(self, index: int, depth: int, markers: str, rest: str, kind: _HtmlKind, interrupting: bool) -> None:
        if kind.end is None:
            rest = self.with_markdown_inside(index, rest)
        self.tip = "html"
        self.html_end = kind.end
        self.write(index, depth, markers + rest.lstrip(), separate=interrupting)
        if kind.end is not None and kind.end.search(rest, rest.index("<") + 2):
            self.tip = ""
            self.separate_next = True

    def with_markdown_inside(self, index: int, rest: str) -> str:
        """Mark ``<details>`` or ``<div>`` for Markdown inside when a blank line comes before its end tag."""
        found = _MARKDOWN_INSIDE.match(rest)
        if not found:
            return rest
        end_tag = re.compile(rf"</{found.group(2)}\s*>", re.I)
        for line in self.lines[index:]:
            if end_tag.search(line):
                return rest
            if _is_blank(line):
                return rest[: found.end()] + ' markdown="1"' + rest[found.end():]
        return rest

    def continue_leaf(self, index: int, line: str, matched: int, column: int) -> bool:
        """Write a line inside a fence, math or an HTML block; False when the line ends it instead."""
        if self.tip == "math":
            self.write(index, len(self.stack), line[column:].strip(), opaque=True)
            if index == self.math_end:
                self.tip = ""
            return True
        if matched < len(self.stack):
            self.close_leaf(index - 1)
            return False
        rest = line[column:]
        if self.tip == "html":
            if self.html_end is None and _is_blank(rest):
                self.tip = ""
                return False
            self.write(index, len(self.stack), rest, opaque=True)
            if self.html_end is not None and self.html_end.search(rest):
                self.tip = ""
                self.separate_next = True
            return True
        chars, indent, _, tight = self.fence
        closing = rest.strip()
        if _indent(rest) < 4 and closing and set(closing) == {chars[0]} and len(closing) >= len(chars):
            self.write(index, len(self.stack), chars, opaque=True)
            self.tip = ""
            self.separate_next = not tight
        else:
            self.write(index, len(self.stack), rest[min(indent, _indent(rest)):], opaque=True)
        return True

    def close_leaf(self, index: int) -> None:
        """End the open leaf; a fence cut short by its container or the file's end is closed as GitHub does."""
        if self.tip == "fence":
            chars, _, opened, _ = self.fence
            self.problems.append((opened, "code fence is never closed; it runs to the end of its block"))
            self.write(max(index, 0), len(self.stack), chars, opaque=True)
            self.separate_next = True
        self.tip = ""

    # ------------------------------------------------------------ output

    def write(
        self, index: int, depth: int, content: str, *, separate: bool = False, blank: bool = False, opaque: bool = False
    ) -> None:
        """Append one output line inside the first ``depth`` containers.

        A line that begins a block gets a blank line before it when it must
        start a new Python-Markdown block: when asked to (``separate``), after
        a fence or math, or when it is less nested than the line that began the
        current block (Python-Markdown would otherwise nest it).
        """
        prefix = self.prefix(depth)
        if blank:
            self.block_depth = -1
        elif not opaque:
            if self.block_depth >= 0 and (separate or self.separate_next or depth < self.block_depth):
                self.blank_before.setdefault(len(self.out), prefix.rstrip())
                self.block_depth = depth
            elif self.block_depth < 0:
                self.block_depth = depth
            self.separate_next = False
        self.out.append((prefix + content).rstrip() if blank else prefix + content)
        self.origins.append(index)
        self.blank.append(blank)
