"""Turn the outline's slides into a DeckPlan: every shape placed, every slide fitted to the theme.

Pure: no python-pptx and no files. Fonts, images and math are asked of a
``Measure``. Content that does not fit continues on slides with the same title
and the theme's continuation marker; speaker notes stay with the first part;
footnotes referenced on a slide are set in small type at its foot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeAlias, TypeVar

from msgspec.structs import replace

from decks.errors import Diagnostic
from decks.model import Block, Footnote, FootnoteRef, Inline, Link, Meta, Paragraph, Slide, Text, Value, plain_text
from decks.slides.content import Style, Styler
from decks.slides.fit import (
    EPSILON,
    POINTS_PER_INCH,
    ColumnsUnit,
    Env,
    FigureUnit,
    TextUnit,
    Unit,
    fill,
    place_stack,
)
from decks.slides.measure import Measure
from decks.slides.shapes import (
    LINE_BREAK,
    SLIDE_NUMBER,
    Box,
    DeckPlan,
    Layout,
    Para,
    Rect,
    Run,
    Shape,
    SlidePlan,
    TextShape,
)
from decks.slides.text import forget_lines, line_height, para_lines, paras_height
from decks.themes import Theme

T = TypeVar("T")
_Maker: TypeAlias = Callable[[tuple[Block, ...]], SlidePlan]  # builds a title or section slide around some text


def plan_deck(slides: Sequence[Slide], theme: Theme, measure: Measure, *, meta: Meta,
              footnotes: Sequence[Footnote] = (), source: str = "") -> tuple[DeckPlan, list[Diagnostic]]:
    """The deck for ``slides``, and what had to be worked around (missing images, squeezed content)."""
    forget_lines()
    env = Env(measure, theme, source)
    planner = _Planner(env, meta, {note.label: note for note in footnotes}, _footnote_numbers(slides))
    plans: list[SlidePlan] = []
    for slide in slides:
        plans.extend(planner.slide(slide))
    numbered = tuple(planner.numbered(plan, index + 1) for index, plan in enumerate(plans))
    fonts = theme.values["fonts"]
    deck = DeckPlan(
        width=planner.width,
        height=planner.height,
        slides=numbered,
        title=meta.title,
        authors="; ".join(meta.authors),
        subject=meta.subtitle,
        keywords=", ".join(meta.keywords),
        language=meta.language,
        fonts=(fonts["heading"], fonts["body"]),
    )
    return deck, env.diagnostics


def _footnote_numbers(slides: Sequence[Slide]) -> dict[str, int]:
    """Footnote labels numbered in the order the deck first refers to them, as GitHub does."""
    numbers: dict[str, int] = {}
    for slide in slides:
        for ref in instances((slide.title, slide.blocks), FootnoteRef):
            numbers.setdefault(ref.label, len(numbers) + 1)
    return numbers


def instances(node: object, kind: type[T]) -> Iterator[T]:
    """Every ``kind`` inside ``node``, in document order, however deeply nested in values and tuples."""
    if isinstance(node, kind):
        yield node
    elif isinstance(node, tuple | list):
        for child in node:
            yield from instances(child, kind)
    elif isinstance(node, Value):
        for name in node.__struct_fields__:
            yield from instances(getattr(node, name), kind)


class _Planner:
    """The theme's geometry and styles for one deck, and the slides built from them."""

    def __init__(self, env: Env, meta: Meta, footnotes: dict[str, Footnote], numbers: dict[str, int]) -> None:
        self.env = env
        self.meta = meta
        self.footnotes = footnotes
        self.numbers = numbers
        self.styler = Styler(env, numbers)
        deck = env.deck
        self.deck = deck
        self.width = float(deck["slide_width"]) * POINTS_PER_INCH
        self.height = float(deck["slide_height"]) * POINTS_PER_INCH
        self.margin_x = float(deck["margin_x"]) * POINTS_PER_INCH
        self.margin_top = float(deck["margin_top"]) * POINTS_PER_INCH
        self.margin_bottom = float(deck["margin_bottom"]) * POINTS_PER_INCH
        fonts = env.theme.values["fonts"]
        self.heading_font: str = fonts["heading"]
        self.body_font: str = fonts["body"]
        self.bold = bool(deck["bold_headings"])

    # ------------------------------------------------------------ slide kinds

    def slide(self, slide: Slide) -> list[SlidePlan]:
        notes = tuple(self._notes(slide.notes))
        if slide.kind == "title":
            return self._with_text(slide, self._cover(slide, notes), replace(slide, title=(Text(self.meta.title),)))
        if slide.kind == "section":
            return self._with_text(slide, self._section(slide, notes), slide)
        return self._content(slide.title, self.styler.units(slide.blocks), notes, slide.line)

    def _with_text(self, slide: Slide, make: _Maker, overflow: Slide) -> list[SlidePlan]:
        """A title or section slide, holding the text under its heading when that is short.

        Longer text gets a content slide of its own, titled like ``overflow``.
        """
        if self._short(slide.blocks):
            return [make(slide.blocks)]
        return [make(()), *self._content(overflow.title, self.styler.units(slide.blocks), (), slide.line)]

    def _short(self, blocks: tuple[Block, ...]) -> bool:
        if not all(isinstance(block, Paragraph) for block in blocks):
            return False
        length = sum(len(plain_text(block.children)) for block in blocks if isinstance(block, Paragraph))
        return length <= int(self.deck["cover_text_max_chars"])

    def _cover(self, slide: Slide, notes: tuple[Para, ...]) -> _Maker:
        style = Style(self.heading_font, float(self.deck["cover_title_size"]), self.env.colour("heading"),
                      bold=self.bold)
        title = self._para(slide.title, style)
        return lambda blocks: self._divider("title", title, self._cover_details(blocks), "title_background", notes,
                                            slide.line)

    def _cover_details(self, blocks: tuple[Block, ...]) -> tuple[Para, ...]:
        """Subtitle, the short text under the title, authors, venue and year, presenter and date, link."""
        meta = self.meta
        subtitle = Style(self.body_font, float(self.deck["cover_subtitle_size"]), self.env.colour("accent"))
        detail = Style(self.body_font, float(self.deck["cover_detail_size"]), self.env.colour("text"))
        muted = replace(detail, colour=self.env.colour("muted"))
        paras: list[Para] = []
        if meta.subtitle:
            paras.append(self._para((Text(meta.subtitle),), subtitle))
        for block in blocks:
            if isinstance(block, Paragraph):
                paras.append(self._para(block.children, replace(subtitle, colour=self.env.colour("text"))))
        lines: list[tuple[tuple[Inline, ...], Style]] = []
        if meta.authors:
            lines.append(((Text(", ".join(meta.authors)),), detail))
        venue = meta.venue if meta.year in meta.venue else " ".join(part for part in (meta.venue, meta.year) if part)
        if venue:
            lines.append(((Text(venue),), muted))
        presented = " \u00b7 ".join(part for part in (meta.presenter, meta.date) if part)
        if presented:
            lines.append(((Text(presented),), muted))
        if meta.url:
            lines.append(((Link(meta.url, (Text(meta.url),)),), muted))
        for index, (inlines, style) in enumerate(lines):
            space = self.deck["cover_gap"] if index == 0 and paras else self.deck["cover_detail_spacing"]
            paras.append(replace(self._para(inlines, style), space_before=float(space)))
        return tuple(replace(para, space_before=0.0) if i == 0 else para for i, para in enumerate(paras))

    def _section(self, slide: Slide, notes: tuple[Para, ...]) -> _Maker:
        colour = self.env.colour("section_text")
        title = self._para(slide.title, Style(self.heading_font, float(self.deck["section_title_size"]), colour,
                                              bold=self.bold))
        text = Style(self.body_font, float(self.deck["section_subtitle_size"]), colour)

        def make(blocks: tuple[Block, ...]) -> SlidePlan:
            body = tuple(self._para(block.children, text) for block in blocks if isinstance(block, Paragraph))
            return self._divider("section", title, body, "section_background", notes, slide.line)

        return make

    def _divider(self, layout: Layout, title: Para, body: tuple[Para, ...], background: str,
                 notes: tuple[Para, ...], line: int) -> SlidePlan:
        """A title or section slide: an accent bar, the title and the text under it, centred on the slide's height."""
        left = float(self.deck["cover_margin_x"]) * POINTS_PER_INCH
        width = self.width - 2 * left
        gap = float(self.deck["title_gap"])
        above = float(self.deck["cover_gap"])
        bar_height = float(self.deck["accent_bar_height"])
        title_height = paras_height((title,), width, self.env.measure)
        body_height = paras_height(body, width, self.env.measure)
        block = title_height + (gap + body_height if body else 0.0)
        top = max(self.margin_top + above + bar_height, (self.height - block) / 2)
        if top + block > self.height - self.margin_bottom + EPSILON:
            self.env.warn(line, f"the {layout} slide's text is too long for the slide and runs past its foot; "
                                "shorten the title, subtitle or author list")
        bar = Rect(Box(left, top - above - bar_height, float(self.deck["accent_bar_width"]) * POINTS_PER_INCH,
                       bar_height), self.env.colour("accent"), name="Accent")
        title_shape = TextShape(Box(left, top, width, title_height), (title,), name="Title", anchor="b")
        subtitle = TextShape(Box(left, top + title_height + gap, width, body_height), body, name="Subtitle") \
            if body else None
        return SlidePlan(layout, title_shape, (bar,), notes, subtitle=subtitle,
                         background=self.env.colour(background), line=line)

    def _content(self, title: tuple[Inline, ...], units: list[Unit], notes: tuple[Para, ...], line: int
                 ) -> list[SlidePlan]:
        """One slide, or several with the same title when the content does not fit on one."""
        plans: list[SlidePlan] = []
        remaining = units
        while True:
            shown = title if not plans else (*title, Text(f" {self.deck['continuation']}"))
            title_shape, rule, area = self._frame(shown, line)
            content = self._side_by_side(remaining) if not plans else remaining
            shapes, remaining = self._fill(content, area)
            plans.append(SlidePlan("content", title_shape, (rule, *shapes), () if len(plans) else notes, line=line))
            if not remaining:
                return plans

    # ------------------------------------------------------------ content slides

    def _frame(self, title: tuple[Inline, ...], line: int) -> tuple[TextShape, Rect, Box]:
        """The title box, the rule under it and the content area left below.

        A title longer than two lines is set smaller, within the theme's limit, and that is reported.
        """
        width = self.width - 2 * self.margin_x
        size = float(self.deck["title_size"])
        smallest = float(self.deck["min_title_size"])
        style = Style(self.heading_font, size, self.env.colour("heading"), bold=self.bold)
        para = self._para(title, style)
        while size > smallest and len(para_lines(para, width, self.env.measure)) > 2:
            size = max(size - 2.0, smallest)
            para = self._para(title, replace(style, size=size))
        lines = len(para_lines(para, width, self.env.measure))
        most = self._title_lines(para)
        if lines > most:
            para = replace(para, runs=_cut(para_lines(para, width, self.env.measure)[:most]))
            self.env.warn(line, f"the slide title would take {lines} lines and leave no room below it: "
                                f"it is cut to {most} lines; shorten it")
        elif size < float(self.deck["title_size"]):
            kept = "on two lines" if lines <= 2 else f"on {lines} lines, still more than two"
            self.env.warn(line, f"the slide title is too long for two lines at {style.size:g} pt: "
                                f"it is set at {size:g} pt, {kept}")
        height = paras_height((para,), width, self.env.measure)
        title_shape = TextShape(Box(self.margin_x, self.margin_top, width, height), (para,), name="Title", anchor="b")
        rule_y = self.margin_top + height + float(self.deck["title_rule_gap"])
        rule = Rect(Box(self.margin_x, rule_y, width, float(self.deck["title_rule_width"])),
                    self.env.colour("title_rule"), name="Title rule")
        top = rule_y + float(self.deck["title_rule_width"]) + float(self.deck["title_gap"])
        bottom = self.height - self.margin_bottom
        return title_shape, rule, Box(self.margin_x, top, width, bottom - top)

    def _title_lines(self, para: Para) -> int:
        """The most lines a title may take: the content below keeps the theme's least share of the slide."""
        room = (self.height - self.margin_top - self.margin_bottom) * (1 - self.env.share)
        return max(1, int(room // line_height(para, self.env.measure)))

    def _fill(self, units: list[Unit], area: Box) -> tuple[list[Shape], list[Unit]]:
        """The shapes of what fits in ``area`` (footnotes at its foot) and the units left over."""
        placed, rest = fill(units, area.w, area.h, self.env, full=area.h, force=True)
        notes = self._footnote_paras(placed)
        if notes:
            room = area.h - paras_height(notes, area.w, self.env.measure) - self.env.gap
            placed, rest = fill(units, area.w, room, self.env, full=area.h, force=True)
            notes = self._footnote_paras(placed)
        notes_height = paras_height(notes, area.w, self.env.measure) if notes else 0.0
        room = area.h - (notes_height + self.env.gap if notes else 0.0)
        shapes = place_stack(self.env, placed, Box(area.x, area.y, area.w, room))
        if notes:
            top = area.y + area.h - notes_height
            rule = Box(area.x, top - self.env.gap / 2, float(self.deck["footnote_rule_length"]) * POINTS_PER_INCH,
                       float(self.deck["border_width"]))
            shapes.append(Rect(rule, self.env.colour("rule"), name="Footnote rule"))
            shapes.append(TextShape(Box(area.x, top, area.w, notes_height), notes, name="Footnotes"))
        return shapes, rest

    def _side_by_side(self, units: list[Unit]) -> list[Unit]:
        """Text and one image side by side, in the order the Markdown has them."""
        figures = [unit for unit in units if isinstance(unit, FigureUnit)]
        texts = tuple(unit for unit in units if isinstance(unit, TextUnit))
        if len(figures) != 1 or not texts or len(texts) + 1 != len(units):
            return units
        figure = replace(figures[0], top=True)
        share = float(self.deck["image_share"])
        if units.index(figures[0]) == 0:
            return [ColumnsUnit(((figure,), texts), (share, 1.0 - share), figure.line, collapse=True)]
        return [ColumnsUnit((texts, (figure,)), (1.0 - share, share), figure.line, collapse=True)]

    def _footnote_paras(self, units: list[Unit]) -> tuple[Para, ...]:
        """One small paragraph per footnote the units refer to: its number, then its text."""
        labels = sorted(_footnote_labels(units), key=lambda label: self.numbers.get(label, 0))
        size = float(self.deck["footnote_size"])
        style = Style(self.body_font, size, self.env.colour("muted"))
        paras = []
        for label in labels:
            note = self.footnotes.get(label)
            body = self.styler.paras(note.blocks, style) if note else []
            marker = Run(f"{self.numbers.get(label, label)} ", self.body_font, size, style.colour, baseline=30)
            text: list[Run] = []
            for para in body:
                if text:
                    text.append(Run(LINE_BREAK, self.body_font, size, style.colour))
                text.extend(para.runs)
            paras.append(Para((marker, *text), size, self.body_font, line_spacing=1.0))
        return tuple(paras)

    # ------------------------------------------------------------ shared

    def _notes(self, blocks: tuple[Block, ...]) -> list[Para]:
        """Speaker notes in the notes page's own text colour: that page is white whatever the slides' background."""
        style = Style(self.body_font, float(self.deck["notes_size"]), "")
        return self.styler.paras(blocks, style)

    def _para(self, inlines: tuple[Inline, ...], style: Style) -> Para:
        return Para(tuple(self.styler.runs(inlines, style)), style.size, style.font, line_spacing=1.0)

    def numbered(self, plan: SlidePlan, number: int) -> SlidePlan:
        """The slide with its footer and number, for content slides."""
        if plan.layout != "content":
            return plan
        size = float(self.deck["footer_size"])
        colour = self.env.colour("footer_text")
        height = self.env.measure.line_height(self.body_font, size)
        top = self.height - self.margin_bottom / 2 - height / 2
        width = (self.width - 2 * self.margin_x) / 2
        title = Para((Run(self.meta.footer_title, self.body_font, size, colour),), size, self.body_font)
        footer = TextShape(Box(self.margin_x, top, width, height), (title,), name="Footer")
        number_run = Run(str(number), self.body_font, size, colour, field=SLIDE_NUMBER)
        slide_number = TextShape(Box(self.margin_x + width, top, width, height),
                                 (Para((number_run,), size, self.body_font, align="r"),), name="Slide number")
        return replace(plan, shapes=(*plan.shapes, footer, slide_number))


def _footnote_labels(units: list[Unit]) -> list[str]:
    """Labels of the footnote markers in some units, in order, each once."""
    return list(dict.fromkeys(run.footnote for run in instances(units, Run) if run.footnote))


def _cut(lines: list[tuple[Run, ...]]) -> tuple[Run, ...]:
    """The runs of ``lines`` with an ellipsis for what comes after them."""
    runs = [run for line in lines for run in line]
    if not runs:  # nothing but line breaks
        return ()
    return (*runs[:-1], replace(runs[-1], text=runs[-1].text.rstrip()[:-1] + "\u2026"))
