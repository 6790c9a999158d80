"""Turn a slide's blocks into units of styled content: paragraphs, listings, tables, figures, call-outs.

Every style value comes from the theme: fonts, sizes, colours, indents,
bullets. Inline formatting becomes runs (bold, italic, struck, code, links,
math with real sub- and superscripts, footnote markers); lists keep their
levels, PowerPoint numbering and task boxes; code gets Pygments colours.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from msgspec.structs import replace
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.styles import get_style_by_name
from pygments.util import ClassNotFound

from decks.model import (
    Block,
    Code,
    CodeBlock,
    Columns,
    Details,
    Emphasis,
    Figure,
    FootnoteRef,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Math,
    MathBlock,
    Paragraph,
    Quote,
    RawHtml,
    RawInline,
    Strikethrough,
    Strong,
    Table,
    Text,
    Value,
    plain_text,
)
from decks.slides.fit import (
    POINTS_PER_INCH,
    CalloutUnit,
    CodeUnit,
    ColumnsUnit,
    Env,
    EquationUnit,
    FigureUnit,
    FramedUnit,
    Indented,
    TableUnit,
    TextUnit,
    Unit,
)
from decks.slides.shapes import LINE_BREAK, Bullet, Para, Run
from decks.slides.text import longest_word, widest_line

MAX_LEVEL = 4  # PowerPoint's fifth paragraph level, counted from 0
CALLOUT_TITLES = {"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"}
TASK_BOXES = {False: "\u2610", True: "\u2611"}  # ☐ ☑
_ALIGN = {"left": "l", "center": "ctr", "right": "r", "": "l"}
_BASELINES = {"sup": 30, "sub": -25}
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)[^>]*?(/?)\s*>")


class Style(Value):
    """How the runs of some text look before inline formatting changes them."""

    font: str
    size: float
    colour: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    link: str = ""
    baseline: int = 0


class Styler:
    """Blocks and inlines of one deck in, styled paragraphs and units out."""

    def __init__(self, env: Env, footnotes: Mapping[str, int]) -> None:
        self.env = env
        self.deck = env.deck
        fonts = env.theme.values["fonts"]
        self.body_font: str = fonts["body"]
        self.heading_font: str = fonts["heading"]
        self.code_font: str = fonts["code"]
        self.footnotes = footnotes
        self.body = Style(self.body_font, float(self.deck["body_size"]), env.colour("text"))
        self.bold = bool(self.deck["bold_headings"])
        self.line = 0  # the source line of the block being styled, for what inline content reports

    # ------------------------------------------------------------ units

    def units(self, blocks: Sequence[Block], style: Style | None = None) -> list[Unit]:
        """Units for ``blocks``: consecutive paragraphs share one text box."""
        return _grouped(self._flow(blocks, style or self.body, level=0, base=0.0))

    def paras(self, blocks: Sequence[Block], style: Style) -> list[Para]:
        """Blocks as paragraphs only (speaker notes, footnotes, call-outs): listings become monospace lines."""
        found: list[Para] = []
        for item in self._flow(blocks, style, level=0, base=0.0):
            found.extend([item] if isinstance(item, Para) else _unit_paras(item))
        return found

    def _flow(self, blocks: Sequence[Block], style: Style, level: int, base: float) -> list[Para | Unit]:
        items: list[Para | Unit] = []
        for block in blocks:
            found = self._block(block, style, level, base)
            if base and level:
                found = [item if isinstance(item, Para) else Indented(item, base, item.line) for item in found]
            items.extend(found)
        return items

    def _block(self, block: Block, style: Style, level: int, base: float) -> list[Para | Unit]:
        self.line = block.line or self.line
        if isinstance(block, Paragraph):
            return [self._paragraph(block.children, style, base)]
        if isinstance(block, Heading):
            return [self._subheading(block.children, style, base)]
        if isinstance(block, ListBlock):
            return self._list(block, style, level, base)
        if isinstance(block, CodeBlock):
            return [self._code(block, style)]
        if isinstance(block, Table):
            return [self._table(block)]
        if isinstance(block, Figure):
            return [self._figure(block)]
        if isinstance(block, Quote):
            return self._callout(block, style)
        if isinstance(block, MathBlock):
            return self._equation(block, style)
        if isinstance(block, Details):
            summary = replace(self._paragraph(block.summary, replace(style, bold=True), base), keep_with_next=True)
            return [summary, *self._flow(block.blocks, style, level, base)]
        if isinstance(block, Columns):
            columns = tuple(tuple(_top(unit) for unit in _grouped(self._flow(column, style, 0, 0.0)))
                            for column in block.columns)
            return [ColumnsUnit(columns, tuple(float(w) for w in block.widths), block.line)]
        if isinstance(block, RawHtml):
            self.env.warn(block.line, "an HTML block cannot be shown on a slide; it is left out of the deck")
        return []

    # ------------------------------------------------------------ text

    def _paragraph(self, inlines: tuple[Inline, ...], style: Style, base: float) -> Para:
        runs = self.runs(inlines, style)
        lead_in = plain_text(inlines).rstrip().endswith(":")
        return Para(tuple(runs), style.size, style.font, margin=base, space_before=self._spacing(style, 0),
                    line_spacing=float(self.deck["line_spacing"]), keep_with_next=lead_in)

    def _subheading(self, inlines: tuple[Inline, ...], style: Style, base: float) -> Para:
        size = float(self.deck["subheading_size"]) * style.size / float(self.deck["body_size"])
        heading = replace(style, font=self.heading_font, size=size, colour=self.env.colour("heading"), bold=self.bold)
        spacing = float(self.deck["subheading_spacing"]) * style.size / float(self.deck["body_size"])
        return Para(tuple(self.runs(inlines, heading)), size, heading.font, margin=base, space_before=spacing,
                    line_spacing=float(self.deck["line_spacing"]), keep_with_next=True)

    def _spacing(self, style: Style, level: int) -> float:
        key = "paragraph_spacing" if level == 0 else "nested_item_spacing"
        return float(self.deck[key]) * style.size / float(self.deck["body_size"])

    def _list(self, block: ListBlock, style: Style, level: int, base: float) -> list[Para | Unit]:
        if level > MAX_LEVEL:
            self.env.warn(block.line, f"a list nested {level + 1} levels deep is shown at level {MAX_LEVEL + 1}, "
                                      "the deepest a slide has")
        depth = min(level, MAX_LEVEL)
        hanging = self._hanging(block, style)
        margin = base + hanging
        items: list[Para | Unit] = []
        for index, item in enumerate(block.items):
            bullet = self._bullet(block, index, depth, item.checked)
            lead = []
            rest = list(item.blocks)
            while rest and isinstance(rest[0], Paragraph):
                lead.append(rest.pop(0))
            runs: list[Run] = []
            for paragraph in lead:
                self.line = paragraph.line or self.line
                if runs:
                    runs.append(Run(LINE_BREAK, style.font, style.size, style.colour))
                runs.extend(self.runs(paragraph.children, style))
            lead_in = bool(lead) and plain_text(lead[-1].children).rstrip().endswith(":")
            items.append(Para(tuple(runs), style.size, style.font, level=depth, bullet=bullet, margin=margin,
                              hanging=hanging, space_before=self._spacing(style, depth),
                              line_spacing=float(self.deck["line_spacing"]), keep_with_next=lead_in and bool(rest)))
            for child in rest:
                if isinstance(child, ListBlock):
                    items.extend(self._list(child, style, level + 1, margin))
                elif isinstance(child, Paragraph):
                    para = self._paragraph(child.children, style, margin)
                    items.append(replace(para, level=depth, space_before=self._spacing(style, depth)))
                else:
                    items.extend(self._flow([child], style, level + 1, margin))
        return items

    def _hanging(self, block: ListBlock, style: Style) -> float:
        """Room for the marker: one indent, or more for wide numbers like ``10.``."""
        indent = float(self.deck["level_indent"]) * style.size / float(self.deck["body_size"])
        if not block.ordered:
            return indent
        last = f"{block.start + len(block.items) - 1}."
        gap = float(self.deck["number_gap"]) * style.size
        return max(indent, self.env.measure.text_width(last, style.font, style.size) + gap)

    def _bullet(self, block: ListBlock, index: int, depth: int, checked: bool | None) -> Bullet:
        colour = self.env.colour("accent")
        if checked is not None:
            return Bullet(char=TASK_BOXES[checked], font=str(self.deck["symbol_font"]), colour=colour)
        if block.ordered:
            number = block.start + index
            return Bullet(scheme="arabicPeriod", start=number, number=number, colour=colour)
        chars = str(self.deck["bullet_chars"])
        return Bullet(char=chars[min(depth, len(chars) - 1)], font=self.body_font, colour=colour)

    # ------------------------------------------------------------ inlines

    def runs(self, inlines: Sequence[Inline], style: Style) -> list[Run]:
        """Inline nodes as runs; HTML tags are dropped except ``<br>``, ``<sup>`` and ``<sub>``."""
        runs: list[Run] = []
        current = style
        for node in inlines:
            if isinstance(node, RawInline):
                current, extra = self._tag(node.html, style, current)
                runs.extend(extra)
            else:
                runs.extend(self._inline(node, current))
        return [run for run in runs if run.text]

    def _inline(self, node: Inline, style: Style) -> list[Run]:
        if isinstance(node, Text):
            return [self._run(node.text, style)]
        if isinstance(node, Strong):
            return self.runs(node.children, replace(style, bold=True))
        if isinstance(node, Emphasis):
            return self.runs(node.children, replace(style, italic=True))
        if isinstance(node, Strikethrough):
            return self.runs(node.children, replace(style, strike=True))
        if isinstance(node, Code):
            return [replace(self._run(node.text, replace(style, font=self.code_font)),
                            colour=self.env.colour("inline_code_text"),
                            highlight=self.env.colour("inline_code_background"))]
        if isinstance(node, Link):
            linked = replace(style, link=node.url, colour=self.env.colour("link")) if _clickable(node.url) else style
            return self.runs(node.children, linked)
        if isinstance(node, Math):
            return self._math(node.tex, style)
        if isinstance(node, FootnoteRef):
            number = self.footnotes.get(node.label)
            marker = str(number) if number else node.label
            return [replace(self._run(marker, replace(style, baseline=30)), footnote=node.label)]
        if isinstance(node, LineBreak):
            return [self._run(LINE_BREAK, style)]
        if isinstance(node, Image):
            return [self._run(node.alt or node.title, replace(style, italic=True))]
        return []

    def _run(self, text: str, style: Style) -> Run:
        return Run(text, style.font, style.size, style.colour, bold=style.bold, italic=style.italic,
                   strike=style.strike, link=style.link, baseline=style.baseline)

    def _math(self, tex: str, style: Style) -> list[Run]:
        pieces = self.env.measure.math_text(tex)
        if pieces is None:
            self.env.warn(self.line, f"cannot typeset the inline equation '{tex}'; it is shown as LaTeX")
            return [self._run(tex, replace(style, font=self.code_font))]
        return [self._run(text, replace(style, baseline=_BASELINES.get(position, style.baseline)))
                for text, position in pieces]

    def _tag(self, html: str, base: Style, current: Style) -> tuple[Style, list[Run]]:
        """The style after an inline HTML tag, and a line break for ``<br>``."""
        match = _TAG.fullmatch(html.strip())
        if match is None:
            return current, []
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name == "br":
            return current, [self._run(LINE_BREAK, current)]
        if name in _BASELINES:
            return replace(current, baseline=base.baseline if closing else _BASELINES[name]), []
        return current, []

    # ------------------------------------------------------------ code, tables, figures, math

    def _code(self, block: CodeBlock, style: Style) -> CodeUnit:
        """A listing with Pygments colours; every line its own paragraph, every space kept."""
        size = float(self.deck["code_size"]) * style.size / float(self.deck["body_size"])
        lines = [replace(para, size=size) for para in self._code_lines(block, size)]
        widest = max((widest_line(para, self.env.measure) for para in lines), default=0.0)
        return CodeUnit(tuple(lines), size, widest, block.line)

    def _code_lines(self, block: CodeBlock, size: float) -> list[Para]:
        code = block.code.expandtabs(int(self.deck["code_tab_width"]))
        try:
            lexer = get_lexer_by_name(block.language, stripnl=False, ensurenl=False) if block.language else TextLexer()
        except ClassNotFound:
            lexer = TextLexer()
        pygments_style = get_style_by_name(self.env.theme.section("code")["pygments_style"])
        default = self.env.colour("code_text")
        lines: list[list[Run]] = [[]]
        for token, value in lexer.get_tokens(code):
            look = pygments_style.style_for_token(token)
            for index, part in enumerate(value.split("\n")):
                if index:
                    lines.append([])
                if not part:
                    continue
                run = Run(part, self.code_font, size, (look["color"] or default).upper(), bold=bool(look["bold"]),
                          italic=bool(look["italic"]))
                if lines[-1] and replace(lines[-1][-1], text="") == replace(run, text=""):
                    run = replace(run, text=lines[-1].pop().text + part)
                lines[-1].append(run)
        if len(lines) > 1 and not lines[-1] and not code.endswith("\n"):
            lines.pop()
        return [Para(tuple(runs), size, self.code_font) for runs in lines]

    def _table(self, block: Table) -> TableUnit:
        size = float(self.deck["table_size"])
        columns = len(block.alignments) or len(block.header)
        header = Style(self.body_font, size, self.env.colour("table_header_text"), bold=self.bold)
        body = Style(self.body_font, size, self.env.colour("text"))
        rows = [self._cells(block.header, block.alignments, columns, header)]
        rows.extend(self._cells(row, block.alignments, columns, body) for row in block.rows)
        natural = tuple(max(widest_line(row[c], self.env.measure) for row in rows) for c in range(columns))
        least = tuple(max(longest_word(row[c], self.env.measure) for row in rows) for c in range(columns))
        return TableUnit(tuple(rows), size, natural, least, block.line)

    def _cells(self, cells: tuple[tuple[Inline, ...], ...], alignments: tuple[str, ...], columns: int, style: Style
               ) -> tuple[Para, ...]:
        padded = list(cells[:columns]) + [()] * (columns - len(cells))
        return tuple(
            Para(tuple(self.runs(cell, style)), style.size, style.font,
                 align=_ALIGN[alignments[i] if i < len(alignments) else ""])  # type: ignore[arg-type]
            for i, cell in enumerate(padded)
        )

    def _figure(self, block: Figure) -> Unit:
        image = block.image
        info = self.env.measure.picture(image.src)
        if info.problem:
            self.env.warn(block.line or image.line, info.problem)
            return self._missing(image.src, info.problem, block.line or image.line)
        caption_text = image.title or image.alt
        caption = ()
        if caption_text:
            look = Style(self.body_font, float(self.deck["caption_size"]), self.env.colour("muted"))
            caption = (Para((self._run(caption_text, look),), look.size, look.font, align="ctr"),)
        return FigureUnit(info.key, info.width_px, info.height_px, image.alt or image.title, caption, block.line)

    def _missing(self, src: str, problem: str, line: int) -> FramedUnit:
        colour = self.env.colour("placeholder_border")
        size = float(self.deck["caption_size"])
        paras = (
            Para((Run(f"missing image: {src}", self.body_font, float(self.deck["body_size"]), colour, bold=self.bold),),
                 float(self.deck["body_size"]), self.body_font, align="ctr"),
            Para((Run(problem, self.body_font, size, self.env.colour("muted")),), size, self.body_font, align="ctr",
                 space_before=float(self.deck["cover_detail_spacing"])),
        )
        least = float(self.deck["min_figure_height"]) * POINTS_PER_INCH / 2
        return FramedUnit(paras, self.env.colour("placeholder_background"), colour, least, line)

    def _equation(self, block: MathBlock, style: Style) -> list[Para | Unit]:
        """Typeset display math; LaTeX in the code font when it cannot be typeset; nothing for mere definitions."""
        size = float(self.deck["equation_size"]) * style.size / float(self.deck["body_size"])
        info = self.env.measure.equation(block.tex, size)
        if info.definitions:
            return []
        if info.problem:
            self.env.warn(block.line, info.problem)
            code = replace(style, font=self.code_font, colour=self.env.colour("code_text"))
            lines = tuple(Para((self._run(line, code),), style.size, self.code_font, align="ctr")
                          for line in block.tex.strip().splitlines())
            return [TextUnit(lines, block.line)]
        return [EquationUnit(block.tex, size, block.line)]

    def _callout(self, block: Quote, style: Style) -> list[Para | Unit]:
        """A tinted box with a bar; anything but text inside it follows the box."""
        colour = self.env.colour(block.kind) if block.kind else self.env.colour("quote_border")
        fill = _tint(colour, self.env.colour("background"), float(self.deck["callout_tint"])) if block.kind \
            else self.env.colour("quote_background")
        paras: list[Para] = []
        if block.kind:
            title = Style(self.heading_font, style.size, colour, bold=self.bold)
            paras.append(Para((self._run(CALLOUT_TITLES[block.kind], title),), style.size, title.font,
                              keep_with_next=True, line_spacing=float(self.deck["line_spacing"])))
        inner = style if block.kind else replace(style, colour=self.env.colour("muted"))
        followers: list[Unit] = []
        for item in self._flow(block.blocks, inner, level=0, base=0.0):
            if isinstance(item, Para):
                paras.append(item)
            elif isinstance(item, TextUnit):
                paras.extend(item.paras)
            else:
                followers.append(item)
        if paras:
            paras[0] = replace(paras[0], space_before=0.0)
        return [CalloutUnit(tuple(paras), fill, colour, block.line), *followers]


def _grouped(items: list[Para | Unit]) -> list[Unit]:
    """Runs of paragraphs gathered into text units; other units as they are."""
    units: list[Unit] = []
    pending: list[Para] = []
    for item in items:
        if isinstance(item, Para):
            pending.append(item)
            continue
        if pending:
            units.append(TextUnit(tuple(pending)))
            pending = []
        units.append(item)
    if pending:
        units.append(TextUnit(tuple(pending)))
    return units


def _top(unit: Unit) -> Unit:
    """A figure in a column lines up with the top of its neighbours."""
    return replace(unit, top=True) if isinstance(unit, FigureUnit) else unit


def _unit_paras(unit: Unit) -> list[Para]:
    """A unit as plain paragraphs, for places that hold only text (notes, call-outs, footnotes)."""
    if isinstance(unit, Indented):
        return _unit_paras(unit.unit)
    if isinstance(unit, TextUnit | CalloutUnit):
        return list(unit.paras)
    if isinstance(unit, CodeUnit):
        return list(unit.lines)
    if isinstance(unit, TableUnit):
        return [replace(row[0], runs=tuple(_joined([cell.runs for cell in row])), align="l") for row in unit.rows]
    if isinstance(unit, FigureUnit):
        return list(unit.caption)
    if isinstance(unit, FramedUnit):
        return list(unit.paras[:1])
    if isinstance(unit, ColumnsUnit):
        return [para for column in unit.columns for item in column for para in _unit_paras(item)]
    return []


def _joined(cells: list[tuple[Run, ...]]) -> list[Run]:
    runs: list[Run] = []
    for cell in cells:
        if runs and cell:
            runs.append(replace(cell[0], text=" \u00b7 ", bold=False, link=""))
        runs.extend(cell)
    return runs


def _clickable(url: str) -> bool:
    """Links that still lead somewhere from inside a .pptx: web and mail addresses."""
    return url.lower().startswith(("http://", "https://", "mailto:"))


def _tint(colour: str, background: str, amount: float) -> str:
    """``colour`` mixed into ``background``: ``amount`` 0 is the background, 1 the colour."""
    mixed = (
        round(int(background[i : i + 2], 16) + (int(colour[i : i + 2], 16) - int(background[i : i + 2], 16)) * amount)
        for i in (0, 2, 4)
    )
    return "".join(f"{value:02X}" for value in mixed)
