"""Fit a slide's content into its area: measure units, stack them, split what does not fit.

A unit is one piece of content as the planner places it: a run of paragraphs,
a code listing, a table, a figure, an equation, a call-out, a set of columns.
``fill`` takes units top to bottom while they fit and hands back the rest for
a continuation slide, splitting at natural boundaries (between paragraphs,
list items, table rows, code lines). Code and tables prefer to stay whole:
they move to the next slide, or, alone on a slide, shrink within the theme's
limits; only what can fit nowhere is cut mid-paragraph or reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from decks.errors import Diagnostic
from decks.slides.measure import Measure
from decks.slides.shapes import Box, Cell, Equation, Group, Insets, Para, Picture, Rect, Shape, TableShape, TextShape
from decks.slides.text import SLACK, line_height, para_height, para_lines, paras_height, split_para
from decks.themes import Theme

T = TypeVar("T")
EPSILON = 0.5  # points: rounding slack when comparing heights
POINTS_PER_INCH = 72.0
POINTS_PER_PIXEL = 0.75  # a pixel at 96 dpi


class Env:
    """What fitting needs: the measure, the theme's deck values, and the diagnostics so far."""

    def __init__(self, measure: Measure, theme: Theme, source: str) -> None:
        self.measure = measure
        self.theme = theme
        self.deck: Mapping[str, Any] = theme.section("deck")
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    @property
    def gap(self) -> float:
        return float(self.deck["block_gap"])

    def colour(self, key: str) -> str:
        return self.theme.colour(key)

    def warn(self, line: int, message: str) -> None:
        diagnostic = Diagnostic(self.source, line, message)
        if diagnostic not in self.diagnostics:
            self.diagnostics.append(diagnostic)


class Unit:
    """One piece of content; subclasses say how tall it is and how it splits, shrinks and places."""

    line: int
    keep_whole = False  # rather move to the next slide (or shrink, alone) than split

    def height(self, env: Env, width: float) -> float:
        raise NotImplementedError

    def grow(self, env: Env, width: float) -> float:
        """How much taller than ``height`` it would gladly be (a figure): 0 for fixed content."""
        return 0.0

    def split(self, env: Env, width: float, room: float, force: bool) -> tuple[Unit | None, list[Unit]]:
        """A head that fits ``room`` and the rest; ``(None, [self])`` when no head fits.

        With ``force`` (the unit heads an empty slide) the head may cut a paragraph.
        """
        return None, [self]

    def shrink(self, env: Env, width: float, room: float) -> Unit | None:
        """The unit in smaller type, within the theme's limits, so that it fits ``room``; or None."""
        return None

    def place(self, env: Env, box: Box) -> list[Shape]:
        raise NotImplementedError


# ---------------------------------------------------------------- filling


def fill(units: Sequence[Unit], width: float, room: float, env: Env, *, full: float, force: bool
         ) -> tuple[list[Unit], list[Unit]]:
    """The units that fit in ``room`` (stacked with gaps) and those left for the next slide.

    ``full`` is the height of an empty slide's area, to judge whether moving a
    unit on helps; ``force`` says this area starts a slide, so it must take something.
    """
    placed: list[Unit] = []
    queue = list(units)
    used = 0.0
    while queue:
        unit = queue.pop(0)
        space = room - used - (env.gap if placed else 0.0)
        height = unit.height(env, width)
        if height <= space + EPSILON:
            used += (env.gap if placed else 0.0) + height
            placed.append(unit)
            continue
        must = force and not _holds_content(placed)
        if unit.keep_whole and not must and _fits_alone(unit, env, width, full):
            queue.insert(0, unit)
            break
        smaller = unit.shrink(env, width, space) if unit.keep_whole and must else None
        if smaller is not None:
            used += (env.gap if placed else 0.0) + smaller.height(env, width)
            placed.append(smaller)
            continue
        head, tail = unit.split(env, width, space, must)
        if head is not None:
            placed.append(head)
            queue[0:0] = tail
            break
        if must:
            env.warn(unit.line, "this content is too big for one slide even in the smallest type the theme allows")
            placed.append(unit)
            continue
        queue.insert(0, unit)
        break
    _keep_with_next(placed, queue)
    return placed, queue


def stack(units: Sequence[Unit], width: float, height: float, env: Env) -> list[tuple[Unit, float]]:
    """Each unit with the height it gets: its own, plus a share of the spare room if it can grow."""
    heights = [unit.height(env, width) for unit in units]
    grows = [unit.grow(env, width) for unit in units]
    spare = height - sum(heights) - env.gap * max(len(units) - 1, 0)
    wanted = sum(grows)
    if spare > 0 and wanted > 0:
        share = min(1.0, spare / wanted)
        heights = [h + g * share for h, g in zip(heights, grows, strict=True)]
    return list(zip(units, heights, strict=True))


def place_stack(env: Env, units: Sequence[Unit], box: Box) -> list[Shape]:
    """Shapes of the units stacked top-down in ``box``, spare room going to figures."""
    shapes: list[Shape] = []
    y = box.y
    for unit, height in stack(units, box.w, box.h, env):
        shapes.extend(unit.place(env, Box(box.x, y, box.w, height)))
        y += height + env.gap
    return shapes


def stack_height(env: Env, units: Sequence[Unit], width: float) -> float:
    return sum(unit.height(env, width) for unit in units) + env.gap * max(len(units) - 1, 0)


def _holds_content(placed: list[Unit]) -> bool:
    """Whether the slide already shows something besides sub-headings waiting for their content."""
    return any(not (isinstance(unit, TextUnit) and all(p.keep_with_next for p in unit.paras)) for unit in placed)


def _fits_alone(unit: Unit, env: Env, width: float, full: float) -> bool:
    return unit.height(env, width) <= full + EPSILON or unit.shrink(env, width, full) is not None


def _keep_with_next(placed: list[Unit], queue: list[Unit]) -> None:
    """Move trailing sub-headings and lead-ins to the next slide, with the content they announce."""
    if not queue or not placed or not isinstance(placed[-1], TextUnit):
        return
    paras = placed[-1].paras
    keep = len(paras)
    while keep and paras[keep - 1].keep_with_next:
        keep -= 1
    if keep == len(paras) or (keep == 0 and len(placed) == 1):
        return
    moving = paras[keep:]
    if keep:
        placed[-1] = TextUnit(paras[:keep], placed[-1].line)
    else:
        placed.pop()
    if isinstance(queue[0], TextUnit):
        queue[0] = TextUnit(moving + queue[0].paras, queue[0].line)
    else:
        queue.insert(0, TextUnit(moving, queue[0].line))


# ---------------------------------------------------------------- text


@dataclass(frozen=True)
class TextUnit(Unit):
    """Consecutive paragraphs (prose, lists, sub-headings) in one text box."""

    paras: tuple[Para, ...]
    line: int = 0

    def height(self, env: Env, width: float) -> float:
        return paras_height(self.paras, width, env.measure)

    def split(self, env: Env, width: float, room: float, force: bool) -> tuple[Unit | None, list[Unit]]:
        parts = split_paras(self.paras, width, room, env, force)
        if parts is None:
            return None, [self]
        head, tail = parts
        return TextUnit(head, self.line), [TextUnit(tail, self.line)] if tail else []

    def place(self, env: Env, box: Box) -> list[Shape]:
        return [TextShape(box, renumber(self.paras), name="Text")]


def split_paras(paras: tuple[Para, ...], width: float, room: float, env: Env, force: bool
                ) -> tuple[tuple[Para, ...], tuple[Para, ...]] | None:
    """Paragraphs cut where ``room`` runs out, never after a sub-heading; None if none fits.

    With ``force`` and no whole paragraph fitting (after any sub-headings), that
    paragraph is set smaller within the theme's limits, or else cut between lines.
    """
    used = 0.0
    count = 0
    for index, para in enumerate(paras):
        height = para_height(para, width, env.measure) - (para.space_before if index == 0 else 0.0)
        if used + height > room + EPSILON:
            break
        used += height
        count += 1
    keep = count
    while keep and paras[keep - 1].keep_with_next:
        keep -= 1
    if keep:
        return paras[:keep], (replace(paras[keep], space_before=0.0), *paras[keep + 1 :])
    if not force:
        return None
    lead, target = paras[:count], paras[count]
    space = room - used - (target.space_before if count else 0.0)
    smaller = None if target.cut else _shrunk_to_fit(target, width, space, env)
    if smaller is not None or len(para_lines(target, width, env.measure)) == 1:
        return (*lead, smaller or target), paras[count + 1 :]
    head, tail = split_para(target, width, env.measure, space)
    return (*lead, head), (tail, *paras[count + 1 :])


def _shrunk_to_fit(para: Para, width: float, room: float, env: Env) -> Para | None:
    """A paragraph too tall for a whole slide in smaller type, not below the theme's minimum; or None."""
    return first_fitting(
        smaller_sizes(para.size, float(env.deck["min_body_size"])),
        lambda size: resized((para,), size / para.size)[0],
        lambda smaller: para_height(smaller, width, env.measure) - smaller.space_before <= room + EPSILON,
    )


def smaller_sizes(size: float, smallest: float) -> list[float]:
    """Whole point sizes below ``size``, largest first, down to ``smallest``."""
    return [float(s) for s in range(math.ceil(size) - 1, math.ceil(smallest) - 1, -1)]


def first_fitting(sizes: Sequence[float], make: Callable[[float], T], fits: Callable[[T], bool]) -> T | None:
    """What ``make`` gives at the first of ``sizes`` whose result ``fits``; None when none does."""
    for size in sizes:
        candidate = make(size)
        if fits(candidate):
            return candidate
    return None


def renumber(paras: tuple[Para, ...]) -> tuple[Para, ...]:
    """Set where each numbered sequence starts, so a list continued on a new slide counts on.

    A sequence is consecutive numbered items at one level; a paragraph at a
    shallower level, an unnumbered one at the same level, or a gap in the
    numbers ends it. Deeper paragraphs (nested items) do not.
    """
    open_starts: dict[int, tuple[int, int]] = {}  # level -> (start, last number)
    result = []
    for para in paras:
        numbered = para.bullet is not None and bool(para.bullet.scheme)
        for level in [lv for lv in open_starts if lv > para.level or (lv == para.level and not numbered)]:
            del open_starts[level]
        if numbered and para.bullet is not None:
            start, last = open_starts.get(para.level, (para.bullet.number, para.bullet.number - 1))
            if para.bullet.number != last + 1:
                start = para.bullet.number
            open_starts[para.level] = (start, para.bullet.number)
            para = replace(para, bullet=replace(para.bullet, start=start))
        result.append(para)
    return tuple(result)


def resized(paras: tuple[Para, ...], factor: float) -> tuple[Para, ...]:
    """The paragraphs with every size scaled by ``factor`` (spacing and indents too)."""
    return tuple(
        replace(
            para,
            size=para.size * factor,
            space_before=para.space_before * factor,
            runs=tuple(replace(run, size=run.size * factor) for run in para.runs),
        )
        for para in paras
    )


# ---------------------------------------------------------------- code


@dataclass(frozen=True)
class CodeUnit(Unit):
    """A code listing: one paragraph per line; shrinks to fit its longest line, then wraps."""

    lines: tuple[Para, ...]
    size: float
    widest: float  # the longest line's width at ``size``
    line: int = 0
    wrap: bool = False
    keep_whole = True

    def height(self, env: Env, width: float) -> float:
        code = self._fitted(env, width)
        pad = float(env.deck["code_padding"])
        return 2 * pad + code._lines_height(env, width - 2 * pad)

    def split(self, env: Env, width: float, room: float, force: bool) -> tuple[Unit | None, list[Unit]]:
        code = self._fitted(env, width)
        pad = float(env.deck["code_padding"])
        inner = width - 2 * pad
        used = 0.0
        count = 0
        for para in code.lines:
            used += para_height(para, inner, env.measure, wrap=code.wrap)
            if used > room - 2 * pad + EPSILON:
                break
            count += 1
        if count < (1 if force else min(3, len(code.lines))):
            return None, [self]
        return replace(code, lines=code.lines[:count]), [replace(code, lines=code.lines[count:])]

    def shrink(self, env: Env, width: float, room: float) -> Unit | None:
        return first_fitting(
            smaller_sizes(self._fitted(env, width).size, float(env.deck["min_code_size"])),
            lambda size: self.resized(size)._fitted(env, width),
            lambda smaller: smaller.height(env, width) <= room + EPSILON,
        )

    def place(self, env: Env, box: Box) -> list[Shape]:
        code = self._fitted(env, box.w)
        if code.wrap:
            env.warn(self.line, "a code line is too long for the slide even in the smallest code size; it wraps")
        pad = float(env.deck["code_padding"])
        return [
            TextShape(box, code.lines, name="Code", fill=env.colour("code_background"),
                      border=env.colour("code_border"), border_width=float(env.deck["border_width"]),
                      corner=float(env.deck["corner_radius"]), insets=Insets(pad, pad, pad, pad), wrap=code.wrap)
        ]

    def resized(self, size: float) -> CodeUnit:
        factor = size / self.size
        return replace(self, lines=resized(self.lines, factor), size=size, widest=self.widest * factor)

    def _fitted(self, env: Env, width: float) -> CodeUnit:
        """This listing in the largest size (not below the minimum) at which its longest line fits."""
        inner = width - 2 * float(env.deck["code_padding"]) - SLACK
        if self.widest <= inner or self.wrap:
            return self
        size = max(float(env.deck["min_code_size"]), math.floor(2 * self.size * inner / self.widest) / 2)
        code = self.resized(size) if size < self.size else self
        return code if code.widest <= inner + EPSILON else replace(code, wrap=True)

    def _lines_height(self, env: Env, inner: float) -> float:
        if not self.wrap:
            return sum(line_height(para, env.measure) for para in self.lines)
        return sum(para_height(para, inner, env.measure, wrap=True) for para in self.lines)


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableUnit(Unit):
    """A table: the first row is the header, repeated on every slide the table continues on."""

    rows: tuple[tuple[Para, ...], ...]
    size: float
    natural: tuple[float, ...]  # each column's width on one line, at ``size``
    least: tuple[float, ...]  # each column's longest word, at ``size``
    line: int = 0
    keep_whole = True

    def height(self, env: Env, width: float) -> float:
        return sum(self._row_heights(env, width))

    def split(self, env: Env, width: float, room: float, force: bool) -> tuple[Unit | None, list[Unit]]:
        heights = self._row_heights(env, width)
        used = heights[0]
        count = 0
        for height in heights[1:]:
            if used + height > room + EPSILON:
                break
            used += height
            count += 1
        if count == 0 or count == len(self.rows) - 1:
            return None, [self]
        head = replace(self, rows=self.rows[: count + 1])
        return head, [replace(self, rows=(self.rows[0], *self.rows[count + 1 :]))]

    def shrink(self, env: Env, width: float, room: float) -> Unit | None:
        return first_fitting(
            smaller_sizes(self.size, float(env.deck["min_table_size"])),
            self.resized,
            lambda smaller: smaller.height(env, width) <= room + EPSILON,
        )

    def place(self, env: Env, box: Box) -> list[Shape]:
        widths = self.column_widths(env, box.w)
        heights = self._row_heights(env, box.w)
        pad = float(env.deck["cell_padding"])
        rows = []
        for index, row in enumerate(self.rows):
            if index == 0:
                fill = env.colour("table_header_background")
            else:
                fill = env.colour("table_band") if index % 2 == 0 else env.colour("background")
            rows.append(tuple(Cell((para,), fill) for para in row))
        table_box = Box(box.x, box.y, sum(widths), sum(heights))
        return [TableShape(table_box, tuple(widths), tuple(heights), tuple(rows), env.colour("table_border"),
                           float(env.deck["border_width"]), Insets(pad, pad / 2, pad, pad / 2))]

    def resized(self, size: float) -> TableUnit:
        factor = size / self.size
        return replace(
            self,
            rows=tuple(resized(row, factor) for row in self.rows),
            size=size,
            natural=tuple(w * factor for w in self.natural),
            least=tuple(w * factor for w in self.least),
        )

    def column_widths(self, env: Env, width: float) -> list[float]:
        """Widths proportional to content, filling ``width``; narrow columns keep their natural width."""
        pad = 2 * float(env.deck["cell_padding"]) + SLACK
        natural = [w + pad for w in self.natural]
        if sum(natural) <= width:
            return [w * width / sum(natural) for w in natural]
        widths: dict[int, float] = {}
        open_columns = list(range(len(natural)))
        remaining = width
        settled = True
        while settled and open_columns:
            settled = False
            share = remaining / len(open_columns)
            for column in list(open_columns):
                if natural[column] <= share:
                    widths[column] = natural[column]
                    remaining -= natural[column]
                    open_columns.remove(column)
                    settled = True
        least = {c: self.least[c] + pad for c in open_columns}
        spread = sum(natural[c] for c in open_columns)
        for column in open_columns:
            widths[column] = remaining * natural[column] / spread
        short = {c: least[c] - widths[c] for c in open_columns if widths[c] < least[c]}
        spare = sum(widths[c] - least[c] for c in open_columns if widths[c] > least[c])
        if short and spare > sum(short.values()):
            take = sum(short.values()) / spare
            for column in open_columns:
                above = widths[column] - least[column]
                widths[column] = least[column] if column in short else widths[column] - above * take
        return [widths[c] for c in range(len(natural))]

    def _row_heights(self, env: Env, width: float) -> list[float]:
        pad = float(env.deck["cell_padding"])
        widths = self.column_widths(env, width)
        return [
            max(para_height(para, w - 2 * pad, env.measure) for para, w in zip(row, widths, strict=True)) + pad
            for row in self.rows
        ]


# ---------------------------------------------------------------- pictures and equations


@dataclass(frozen=True)
class FigureUnit(Unit):
    """An image with its caption: as large as the room allows, never blurred by upscaling."""

    key: str
    width_px: int
    height_px: int
    description: str
    caption: tuple[Para, ...] = ()
    line: int = 0
    top: bool = False  # beside text: level with the text's top, not centred in the room

    def height(self, env: Env, width: float) -> float:
        least = float(env.deck["min_figure_height"]) * POINTS_PER_INCH
        return self._caption_height(env, width) + min(self._picture_size(env, width, math.inf)[1], least)

    def grow(self, env: Env, width: float) -> float:
        natural = self._caption_height(env, width) + self._picture_size(env, width, math.inf)[1]
        return max(natural - self.height(env, width), 0.0)

    def place(self, env: Env, box: Box) -> list[Shape]:
        caption_height = self._caption_height(env, box.w)
        width, height = self._picture_size(env, box.w, box.h - caption_height)
        top = box.y if self.top else box.y + (box.h - height - caption_height) / 2
        picture = Box(box.x + (box.w - width) / 2, top, width, height)
        shapes: list[Shape] = [Picture(picture, self.key, self.description)]
        if self.caption:
            text_height = caption_height - float(env.deck["caption_gap"])
            shapes.append(TextShape(Box(box.x, top + height + float(env.deck["caption_gap"]), box.w, text_height),
                                    self.caption, name="Caption"))
        return shapes

    def _picture_size(self, env: Env, width: float, height: float) -> tuple[float, float]:
        limit = float(env.deck["max_image_upscale"]) * POINTS_PER_PIXEL
        scale = min(width / self.width_px, limit, height / self.height_px if height < math.inf else math.inf)
        return self.width_px * scale, self.height_px * scale

    def _caption_height(self, env: Env, width: float) -> float:
        if not self.caption:
            return 0.0
        return paras_height(self.caption, width, env.measure) + float(env.deck["caption_gap"])


@dataclass(frozen=True)
class EquationUnit(Unit):
    """Display math, centred; typeset smaller only when it is wider than its column."""

    tex: str
    size: float
    line: int = 0
    keep_whole = True

    def height(self, env: Env, width: float) -> float:
        return self._typeset(env, width).height

    def shrink(self, env: Env, width: float, room: float) -> Unit | None:
        """Smaller type, even below the theme's minimum: a formula cannot be split (``place`` reports it)."""
        return replace(self, size=max(1.0, math.floor(2 * self.size * room / self.height(env, width)) / 2))

    def place(self, env: Env, box: Box) -> list[Shape]:
        if self.size < float(env.deck["min_body_size"]):
            env.warn(self.line, "an equation is set smaller than the theme's smallest body size to fit on a slide")
        info = self._typeset(env, box.w)
        equation_box = Box(box.x + (box.w - info.width) / 2, box.y + (box.h - info.height) / 2, info.width, info.height)
        return [Equation(equation_box, info.key, info.omml, self.tex, info.size)]

    def _typeset(self, env: Env, width: float) -> _Typeset:
        info = env.measure.equation(self.tex, self.size)
        size = self.size
        if info.width > width:
            size = math.floor(self.size * width / info.width * 2) / 2
            info = env.measure.equation(self.tex, size)
        return _Typeset(info.key, info.omml, info.width, info.height, size)


@dataclass(frozen=True)
class _Typeset:
    key: str
    omml: str
    width: float
    height: float
    size: float


# ---------------------------------------------------------------- framed boxes


@dataclass(frozen=True)
class FramedUnit(Unit):
    """A framed text box that stands in for something that cannot be shown (a missing image)."""

    paras: tuple[Para, ...]
    fill: str
    border: str
    least: float  # points: the box is at least this tall, like the picture it replaces
    line: int = 0

    def height(self, env: Env, width: float) -> float:
        pad = float(env.deck["callout_padding"])
        return max(self.least, paras_height(self.paras, width - 2 * pad, env.measure) + 2 * pad)

    def place(self, env: Env, box: Box) -> list[Shape]:
        pad = float(env.deck["callout_padding"])
        return [TextShape(box, self.paras, name="Placeholder", fill=self.fill, border=self.border,
                          border_width=float(env.deck["placeholder_border_width"]), dashed=True,
                          insets=Insets(pad, pad, pad, pad), anchor="ctr")]


@dataclass(frozen=True)
class CalloutUnit(Unit):
    """A blockquote or GitHub alert: a tinted box with a coloured bar on its left."""

    paras: tuple[Para, ...]
    fill: str
    bar: str
    line: int = 0

    def height(self, env: Env, width: float) -> float:
        return paras_height(self.paras, self._inner(env, width), env.measure) + 2 * float(env.deck["callout_padding"])

    def split(self, env: Env, width: float, room: float, force: bool) -> tuple[Unit | None, list[Unit]]:
        pad = float(env.deck["callout_padding"])
        parts = split_paras(self.paras, self._inner(env, width), room - 2 * pad, env, force)
        if parts is None:
            return None, [self]
        head, tail = parts
        return replace(self, paras=head), [replace(self, paras=tail)] if tail else []

    def place(self, env: Env, box: Box) -> list[Shape]:
        pad = float(env.deck["callout_padding"])
        bar = float(env.deck["callout_bar_width"])
        text = TextShape(Box(box.x + bar, box.y, box.w - bar, box.h), renumber(self.paras), name="Call-out",
                         fill=self.fill, insets=Insets(pad, pad, pad, pad))
        return [Group((Rect(Box(box.x, box.y, bar, box.h), self.bar, name="Call-out bar"), text), name="Call-out")]

    def _inner(self, env: Env, width: float) -> float:
        return width - float(env.deck["callout_bar_width"]) - 2 * float(env.deck["callout_padding"])


# ---------------------------------------------------------------- layout


@dataclass(frozen=True)
class Indented(Unit):
    """A unit nested in a list item: it starts where the item's text starts."""

    unit: Unit
    indent: float
    line: int = 0

    @property
    def keep_whole(self) -> bool:  # type: ignore[override]
        return self.unit.keep_whole

    def height(self, env: Env, width: float) -> float:
        return self.unit.height(env, width - self.indent)

    def grow(self, env: Env, width: float) -> float:
        return self.unit.grow(env, width - self.indent)

    def split(self, env: Env, width: float, room: float, force: bool) -> tuple[Unit | None, list[Unit]]:
        head, tail = self.unit.split(env, width - self.indent, room, force)
        indented = Indented(head, self.indent, self.line) if head else None
        return indented, [Indented(unit, self.indent, self.line) for unit in tail]

    def shrink(self, env: Env, width: float, room: float) -> Unit | None:
        smaller = self.unit.shrink(env, width - self.indent, room)
        return Indented(smaller, self.indent, self.line) if smaller else None

    def place(self, env: Env, box: Box) -> list[Shape]:
        return self.unit.place(env, Box(box.x + self.indent, box.y, box.w - self.indent, box.h))


@dataclass(frozen=True)
class ColumnsUnit(Unit):
    """Columns side by side, each a stack of units; they split together, column by column.

    ``collapse`` marks columns the planner made (text beside an image): what
    continues on the next slide then takes the full width again.
    """

    columns: tuple[tuple[Unit, ...], ...]
    weights: tuple[float, ...]
    line: int = 0
    collapse: bool = False

    def height(self, env: Env, width: float) -> float:
        return max(stack_height(env, column, w) for column, w in self._columns(env, width))

    def grow(self, env: Env, width: float) -> float:
        tallest = max(stack_height(env, column, w) + sum(unit.grow(env, w) for unit in column)
                      for column, w in self._columns(env, width))
        return max(tallest - self.height(env, width), 0.0)

    def split(self, env: Env, width: float, room: float, force: bool) -> tuple[Unit | None, list[Unit]]:
        heads: list[tuple[Unit, ...]] = []
        tails: list[tuple[Unit, ...]] = []
        for column, w in self._columns(env, width):
            head, tail = fill(column, w, room, env, full=room, force=force)
            heads.append(tuple(head))
            tails.append(tuple(tail))
        if not any(heads) or not any(tails):
            return None, [self]
        head_unit = replace(self, columns=tuple(heads))
        left = [tail for tail in tails if tail]
        if self.collapse and len(left) == 1:
            return head_unit, list(left[0])
        return head_unit, [replace(self, columns=tuple(tails))]

    def place(self, env: Env, box: Box) -> list[Shape]:
        shapes: list[Shape] = []
        x = box.x
        for column, width in self._columns(env, box.w):
            shapes.extend(place_stack(env, column, Box(x, box.y, width, box.h)))
            x += width + float(env.deck["column_gap"])
        return shapes

    def _columns(self, env: Env, width: float) -> list[tuple[tuple[Unit, ...], float]]:
        gap = float(env.deck["column_gap"])
        available = width - gap * (len(self.columns) - 1)
        total = sum(self.weights)
        return [(column, available * weight / total) for column, weight in zip(self.columns, self.weights, strict=True)]
