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
from typing import Any, TypeVar

from msgspec.structs import replace

from decks.errors import Diagnostic
from decks.model import Value
from decks.slides.measure import Measure
from decks.slides.shapes import (
    Box,
    Cell,
    Equation,
    Group,
    Insets,
    Para,
    Picture,
    Rect,
    Run,
    Shape,
    TableShape,
    TextShape,
)
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

    @property
    def share(self) -> float:
        """The least share of a slide's content height either part of a split block gets."""
        return float(self.deck["min_split_share"])

    def colour(self, key: str) -> str:
        return self.theme.colour(key)

    def warn(self, line: int, message: str) -> None:
        diagnostic = Diagnostic(self.source, line, message)
        if diagnostic not in self.diagnostics:
            self.diagnostics.append(diagnostic)


class Unit(Value):
    """One piece of content; subclasses say how tall it is and how it splits, shrinks and places.

    Each has its source ``line`` as its last field.
    """

    keep_whole = False  # rather move to the next slide than split, when it fits on one

    def height(self, env: Env, width: float) -> float:
        raise NotImplementedError

    def grow(self, env: Env, width: float) -> float:
        """How much taller than ``height`` it would gladly be (a figure): 0 for fixed content."""
        return 0.0

    def split(self, env: Env, width: float, room: float, force: bool, full: float) -> tuple[Unit | None, list[Unit]]:
        """A head that fits ``room`` and the rest; ``(None, [self])`` when no head fits.

        With ``force`` (the unit heads an empty slide) the head may cut a paragraph;
        so it may when the paragraph is taller than ``full``, an empty slide's room.
        """
        return None, [self]

    def shrink(self, env: Env, width: float, room: float) -> Unit | None:
        """The unit in smaller type so that it fits ``room``, for a unit that cannot be split; or None."""
        return None

    def place(self, env: Env, box: Box) -> list[Shape]:
        raise NotImplementedError


# ---------------------------------------------------------------- filling


def fill(units: Sequence[Unit], width: float, room: float, env: Env, *, full: float, force: bool
         ) -> tuple[list[Unit], list[Unit]]:
    """The units that fit in ``room`` (stacked with gaps) and those left for the next slide.

    ``full`` is the height of an empty slide's area, to judge whether moving a
    unit on helps; ``force`` says this area starts a slide, so it must take something.
    A unit that does not fit moves on whole when it fits on a slide of its own
    (code, tables, figures) or when too little room is left to start it here;
    else it splits, leaving the next slide at least the theme's share. Only a
    unit that cannot be split is shrunk, and that is reported.
    """
    placed: list[Unit] = []
    queue = list(units)
    used = 0.0
    while queue:
        unit = queue.pop(0)
        gap = env.gap if placed else 0.0
        space = room - used - gap
        height = unit.height(env, width)
        if height <= space + EPSILON:
            used += gap + height
            placed.append(unit)
            continue
        must = force and not _holds_content(placed)
        moves = (unit.keep_whole and height <= full + EPSILON) or space < env.share * full
        if not must and moves:
            queue.insert(0, unit)
            break
        head, tail = unit.split(env, width, space, must, full)
        if head is not None:
            head, tail = _balanced(unit, (head, tail), queue, env, width, space, must, full)
            placed.append(head)
            queue[0:0] = tail
            break
        if not must:
            queue.insert(0, unit)
            break
        placed.append(_forced(unit, env, width, space))
        used += gap + placed[-1].height(env, width)
    _keep_with_next(placed, queue)
    return placed, _with_parents(placed, queue, env)


def _balanced(unit: Unit, parts: tuple[Unit, list[Unit]], queue: list[Unit], env: Env, width: float, space: float,
              must: bool, full: float) -> tuple[Unit, list[Unit]]:
    """The split moved earlier when the next slide would be nearly empty (less than the theme's share of a slide).

    The two slides then hold about the same: the last two parts of a long list,
    listing or table are even, not a full slide and a few lines.
    """
    head, tail = parts
    rest = stack_height(env, [*tail, *queue], width)
    if rest >= env.share * full - EPSILON:
        return head, tail
    want = (head.height(env, width) + rest) / 2
    better, others = unit.split(env, width, space - (want - rest), must, full)
    if better is None or not _holds_content([better]):  # only repeated parents: the next slide would be this one
        return head, tail
    return better, others


def _forced(unit: Unit, env: Env, width: float, space: float) -> Unit:
    """A unit that heads a slide, cannot be split and does not fit: shrunk within limits, reported either way.

    (Only an equation may go below the theme's smallest size: a formula has no smaller form.)
    """
    kind = getattr(_inner(unit), "kind", "content")
    smaller = unit.shrink(env, width, space)
    if smaller is not None:
        old, new = (getattr(_inner(each), "size", 0.0) for each in (unit, smaller))
        env.warn(unit.line, f"this {kind} is too tall for a slide and cannot be split: it is set at {new:g} pt "
                            f"instead of {old:g} pt")
        return smaller
    env.warn(unit.line, f"this {kind} is too tall for a slide even in the smallest type the theme allows "
                        "and cannot be split: it runs past the foot of the slide")
    return unit


def _inner(unit: Unit) -> Unit:
    """The unit itself, or the one an Indented unit wraps."""
    return unit.unit if isinstance(unit, Indented) else unit


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


def _keep_with_next(placed: list[Unit], queue: list[Unit]) -> None:
    """Move what announces the next slide's content there with it: sub-headings, lead-ins, and list
    items whose nested items or blocks all open the next slide (a parent alone at a slide's foot)."""
    if not queue or not placed or not isinstance(placed[-1], TextUnit):
        return
    paras = placed[-1].paras
    keep = _announcing(paras, _opening_depth(queue[0]))
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


def _announcing(paras: Sequence[Para], depth: float) -> int:
    """Where the trailing paragraphs that announce what follows start: sub-headings, lead-ins, and the
    list items that what follows (at ``depth``) is nested in."""
    keep = len(paras)
    while keep:
        para = paras[keep - 1]
        start = para.margin - para.hanging
        if not para.keep_with_next and (para.bullet is None or start >= depth - EPSILON):
            break
        depth = min(depth, start)
        keep -= 1
    return keep


def _opening_depth(unit: Unit) -> float:
    """How deep in a list the next slide starts: 0 outside lists, and for the rest of a cut paragraph."""
    if isinstance(unit, TextUnit) and unit.paras and unit.paras[0].cut:
        return 0.0
    return _indent_of(unit)


def _with_parents(placed: list[Unit], queue: list[Unit], env: Env) -> list[Unit]:
    """The units left over, headed by the list items whose children they start with, marked as continued.

    A nested item (or an item's code, or the rest of a cut item) that opens a
    continuation slide would lose its context: its parent items, already shown,
    are repeated above it with the theme's continuation marker.
    """
    if not queue:
        return queue
    first = queue[0]
    shown = [para for unit in placed for para in _list_paras(unit)]
    depth = _indent_of(first)
    if isinstance(first, TextUnit) and first.paras and first.paras[0].cut and shown:
        depth = shown[-1].margin - shown[-1].hanging  # the rest of a cut item: its parents are above its head
    parents: list[Para] = []
    for para in reversed(shown):
        if depth <= EPSILON:
            break
        start = para.margin - para.hanging
        if start >= depth - EPSILON:
            continue
        if para.bullet is None:
            break
        parents.insert(0, _marked(para, env))
        depth = start
    if not parents:
        return queue
    if isinstance(first, TextUnit):
        return [TextUnit((*parents, *first.paras), first.line), *queue[1:]]
    return [TextUnit(tuple(parents), first.line), *queue]


def _indent_of(unit: Unit) -> float:
    """Where a unit's list marker (or its text, for an item's further blocks) sits: 0 outside lists."""
    if isinstance(unit, Indented):
        return unit.indent
    if isinstance(unit, TextUnit) and unit.paras:
        return unit.paras[0].margin - unit.paras[0].hanging
    return 0.0


def _list_paras(unit: Unit) -> tuple[Para, ...]:
    return unit.paras if isinstance(unit, TextUnit) else ()


def _marked(para: Para, env: Env) -> Para:
    """A repeated parent item: the same text and marker, the continuation mark after it, never a slide's last line."""
    mark = f" {env.deck['continuation']}"
    runs = para.runs
    if not runs or runs[-1].text != mark:
        last = runs[-1] if runs else Run("", para.font, para.size, env.colour("muted"))
        runs = (*runs, Run(mark, last.font, last.size, env.colour("muted"), bold=last.bold))
    return replace(para, runs=runs, keep_with_next=True, cut=False)


# ---------------------------------------------------------------- text


class TextUnit(Unit):
    """Consecutive paragraphs (prose, lists, sub-headings) in one text box."""

    paras: tuple[Para, ...]
    line: int = 0
    kind = "text"

    def height(self, env: Env, width: float) -> float:
        return paras_height(self.paras, width, env.measure)

    def split(self, env: Env, width: float, room: float, force: bool, full: float) -> tuple[Unit | None, list[Unit]]:
        parts = split_paras(self.paras, width, room, env, force, full)
        if parts is None:
            return None, [self]
        head, tail = parts
        return TextUnit(head, self.line), [TextUnit(tail, self.line)] if tail else []

    def place(self, env: Env, box: Box) -> list[Shape]:
        return [TextShape(box, flush(renumber(self.paras)), name="Text")]


def flush(paras: tuple[Para, ...]) -> tuple[Para, ...]:
    """The paragraphs with no space above the first: its box starts where its text does.

    Heights leave that space out (``paras_height``); viewers differ on whether they add it.
    """
    return (replace(paras[0], space_before=0.0), *paras[1:]) if paras else paras


def split_paras(paras: tuple[Para, ...], width: float, room: float, env: Env, force: bool, full: float
                ) -> tuple[tuple[Para, ...], tuple[Para, ...]] | None:
    """Paragraphs cut where ``room`` runs out, never after a sub-heading; None if none fits.

    A list item moves on with its children when they would be parted at little
    cost. With no whole paragraph fitting (after any sub-headings), that paragraph
    is cut between sentences or lines when it heads a slide (``force``) or is too
    tall for any slide (taller than ``full``).
    """
    heights = [para_height(para, width, env.measure) - (para.space_before if i == 0 else 0.0)
               for i, para in enumerate(paras)]
    used = 0.0
    count = 0
    for height in heights:
        if used + height > room + EPSILON:
            break
        used += height
        count += 1
    target = paras[count]
    keep = _announcing(paras[:count], target.margin - target.hanging)
    space = room - used - (target.space_before if count else 0.0)
    too_tall = para_height(target, width, env.measure) > full + EPSILON  # it will be cut anyway: fill this slide
    if keep and not (too_tall and space >= 2 * line_height(target, env.measure)):
        keep = _with_children(paras, heights, keep, env.share * full)
        return paras[:keep], paras[keep:]
    if not (force or too_tall):
        return None
    if len(para_lines(target, width, env.measure)) == 1:
        return (*paras[: count + 1],), paras[count + 1 :]
    head, tail = split_para(target, width, env.measure, space)
    return (*paras[:count], head), (tail, *paras[count + 1 :])


def _with_children(paras: tuple[Para, ...], heights: list[float], keep: int, least: float) -> int:
    """Where to cut instead of ``keep``: before the parent of a nested item that would open the next slide.

    Only when that moves no more than ``least`` points of text to the next slide,
    and leaves this slide more than that parent's own parents: they come back
    above it on the next slide, and shown alone here they would be all this
    slide held, again and again.
    """
    if keep >= len(paras):
        return keep
    depth = paras[keep].margin - paras[keep].hanging
    for index in range(keep - 1, 0, -1):
        para = paras[index]
        start = para.margin - para.hanging
        if start < depth - EPSILON:
            moved = sum(heights[index:keep])
            movable = para.bullet is not None and moved <= least + EPSILON
            return index if movable and _announcing(paras[:index], start) else keep
    return keep


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


class CodeUnit(Unit):
    """A code listing: one paragraph per line; shrinks to fit its longest line, then wraps.

    Its parts on continuation slides keep the whole listing's ``widest``, so
    every part is set in the same size.
    """

    lines: tuple[Para, ...]
    size: float
    widest: float  # the longest line's width at ``size``
    line: int = 0
    wrap: bool = False
    keep_whole = True
    kind = "code listing"

    def height(self, env: Env, width: float) -> float:
        code = self._fitted(env, width)
        pad = float(env.deck["code_padding"])
        return 2 * pad + code._lines_height(env, width - 2 * pad)

    def split(self, env: Env, width: float, room: float, force: bool, full: float) -> tuple[Unit | None, list[Unit]]:
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
        count = _blank_before(self.lines, count)
        head = _trimmed(self.lines[:count])
        tail = _trimmed(self.lines[count:])
        if len(head) < (1 if force else min(3, len(self.lines))):
            return None, [self]
        return replace(self, lines=head), [replace(self, lines=tail)] if tail else []

    def shrink(self, env: Env, width: float, room: float) -> Unit | None:
        return first_fitting(
            smaller_sizes(self._fitted(env, width).size, float(env.deck["min_code_size"])),
            lambda size: self.resized(size)._fitted(env, width),
            lambda smaller: smaller.height(env, width) <= room + EPSILON,
        )

    def place(self, env: Env, box: Box) -> list[Shape]:
        code = self._fitted(env, box.w)
        if code.wrap:
            env.warn(self.line, f"a code line is too long for the slide even at {code.size:g} pt, the smallest code "
                                "size the theme allows: the listing is set at that size and its long lines wrap")
        elif code.size < self.size:
            env.warn(self.line, f"a code line is too long for the slide at {self.size:g} pt: "
                                f"the listing is set at {code.size:g} pt")
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
        """This listing in the largest size (not below the minimum) at which its longest line fits.

        If even that is too wide, the lines wrap, their continuations indented.
        """
        inner = width - 2 * float(env.deck["code_padding"]) - SLACK
        if self.widest <= inner or self.wrap:
            return self
        size = max(float(env.deck["min_code_size"]), math.floor(2 * self.size * inner / self.widest) / 2)
        code = self.resized(size) if size < self.size else self
        if code.widest <= inner + EPSILON:
            return code
        indent = env.measure.text_width(" " * int(env.deck["code_wrap_indent"]), code.lines[0].font, size)
        lines = tuple(replace(para, margin=indent, hanging=indent) for para in code.lines)
        return replace(code, wrap=True, lines=lines)

    def _lines_height(self, env: Env, inner: float) -> float:
        if not self.wrap:
            return sum(line_height(para, env.measure) for para in self.lines)
        return sum(para_height(para, inner, env.measure, wrap=True) for para in self.lines)


def _blank(para: Para) -> bool:
    return not "".join(run.text for run in para.runs).strip()


def _blank_before(lines: tuple[Para, ...], count: int) -> int:
    """Where to cut a listing that has room for ``count`` lines: at a blank line in the last third, if any."""
    if count >= len(lines):
        return count
    for index in range(count, math.ceil(count * 2 / 3) - 1, -1):
        if _blank(lines[index]):
            return index
    return count


def _trimmed(lines: tuple[Para, ...]) -> tuple[Para, ...]:
    """A part of a listing without the blank lines at its ends: a code box neither starts nor ends empty."""
    start, end = 0, len(lines)
    while start < end and _blank(lines[start]):
        start += 1
    while end > start and _blank(lines[end - 1]):
        end -= 1
    return lines[start:end]


# ---------------------------------------------------------------- tables


class TableUnit(Unit):
    """A table: the first row is the header, repeated on every slide the table continues on.

    A table too wide for the slide (a column narrower than its longest word) is
    set smaller, within the theme's limits; its parts keep the whole table's
    column widths, so every part is set in the same size.
    """

    rows: tuple[tuple[Para, ...], ...]
    size: float
    natural: tuple[float, ...]  # each column's width on one line, at ``size``
    least: tuple[float, ...]  # each column's longest word, at ``size``
    line: int = 0
    keep_whole = True
    kind = "table"

    def height(self, env: Env, width: float) -> float:
        return sum(self._fitted(env, width)._row_heights(env, width))

    def split(self, env: Env, width: float, room: float, force: bool, full: float) -> tuple[Unit | None, list[Unit]]:
        heights = self._fitted(env, width)._row_heights(env, width)
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
            smaller_sizes(self._fitted(env, width).size, float(env.deck["min_table_size"])),
            self.resized,
            lambda smaller: smaller.height(env, width) <= room + EPSILON,
        )

    def place(self, env: Env, box: Box) -> list[Shape]:
        table = self._fitted(env, box.w)
        if not table._words_fit(env, box.w):
            env.warn(self.line, f"a table with {len(self.natural)} columns is too wide for the slide even at "
                                f"{table.size:g} pt, the smallest table size the theme allows: "
                                "it is set at that size and long words break inside their cells")
        elif table.size < self.size:
            env.warn(self.line, f"a table with {len(self.natural)} columns is too wide for the slide at "
                                f"{self.size:g} pt: it is set at {table.size:g} pt")
        widths = table.column_widths(env, box.w)
        heights = table._row_heights(env, box.w)
        pad = float(env.deck["cell_padding"])
        rows = []
        for index, row in enumerate(table.rows):
            if index == 0:
                fill = env.colour("table_header_background")
            else:
                fill = env.colour("table_band") if index % 2 == 0 else env.colour("background")
            rows.append(tuple(Cell((para,), fill) for para in row))
        table_box = Box(box.x, box.y, sum(widths), sum(heights))
        return [TableShape(table_box, tuple(widths), tuple(heights), tuple(rows), env.colour("table_border"),
                           float(env.deck["border_width"]), Insets(pad, pad / 2, pad, pad / 2))]

    def _fitted(self, env: Env, width: float) -> TableUnit:
        """The table in the largest size (not below the minimum) at which every column holds its longest word."""
        if self._words_fit(env, width):
            return self
        smaller = first_fitting(smaller_sizes(self.size, float(env.deck["min_table_size"])), self.resized,
                                lambda table: table._words_fit(env, width))
        return smaller or self.resized(float(env.deck["min_table_size"]))

    def _words_fit(self, env: Env, width: float) -> bool:
        pad = 2 * float(env.deck["cell_padding"]) + SLACK
        return sum(self.least) + pad * len(self.least) <= width + EPSILON

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


class FigureUnit(Unit):
    """An image with its caption: as large as the room allows, never blurred by upscaling."""

    key: str
    width_px: int
    height_px: int
    description: str
    caption: tuple[Para, ...] = ()
    line: int = 0
    top: bool = False  # beside text: level with the text's top, not centred in the room
    kind = "figure"

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


class EquationUnit(Unit):
    """Display math, centred; typeset smaller only when it is wider than its column."""

    tex: str
    size: float
    line: int = 0
    keep_whole = True
    kind = "equation"

    def height(self, env: Env, width: float) -> float:
        return self._typeset(env, width).height

    def shrink(self, env: Env, width: float, room: float) -> Unit | None:
        """Smaller type, even below the theme's minimum: a formula cannot be split (``fill`` reports it)."""
        return replace(self, size=max(1.0, math.floor(2 * self.size * room / self.height(env, width)) / 2))

    def place(self, env: Env, box: Box) -> list[Shape]:
        info = self._typeset(env, box.w)
        if info.size < self.size:
            below = info.size < float(env.deck["min_body_size"])
            env.warn(self.line, f"an equation is too wide for the slide at {self.size:g} pt: it is set at "
                                f"{info.size:g} pt" + (", below the theme's smallest text size; break it into lines"
                                                       if below else ""))
        equation_box = Box(box.x + (box.w - info.width) / 2, box.y + (box.h - info.height) / 2, info.width, info.height)
        return [Equation(equation_box, info.key, info.omml, self.tex, info.size)]

    def _typeset(self, env: Env, width: float) -> _Typeset:
        info = env.measure.equation(self.tex, self.size)
        size = self.size
        if info.width > width:
            size = math.floor(self.size * width / info.width * 2) / 2
            info = env.measure.equation(self.tex, size)
        return _Typeset(info.key, info.omml, info.width, info.height, size)


class _Typeset(Value):
    key: str
    omml: str
    width: float
    height: float
    size: float


# ---------------------------------------------------------------- framed boxes


class FramedUnit(Unit):
    """A framed text box that stands in for something that cannot be shown (a missing image)."""

    paras: tuple[Para, ...]
    fill: str
    border: str
    least: float  # points: the box is at least this tall, like the picture it replaces
    line: int = 0
    kind = "missing image's box"

    def height(self, env: Env, width: float) -> float:
        pad = float(env.deck["callout_padding"])
        return max(self.least, paras_height(self.paras, width - 2 * pad, env.measure) + 2 * pad)

    def place(self, env: Env, box: Box) -> list[Shape]:
        pad = float(env.deck["callout_padding"])
        return [TextShape(box, self.paras, name="Placeholder", fill=self.fill, border=self.border,
                          border_width=float(env.deck["placeholder_border_width"]), dashed=True,
                          insets=Insets(pad, pad, pad, pad), anchor="ctr")]


class CalloutUnit(Unit):
    """A blockquote or GitHub alert: a tinted box with a coloured bar on its left."""

    paras: tuple[Para, ...]
    fill: str
    bar: str
    line: int = 0
    kind = "call-out"

    def height(self, env: Env, width: float) -> float:
        return paras_height(self.paras, self._inner(env, width), env.measure) + 2 * float(env.deck["callout_padding"])

    def split(self, env: Env, width: float, room: float, force: bool, full: float) -> tuple[Unit | None, list[Unit]]:
        pad = float(env.deck["callout_padding"])
        parts = split_paras(self.paras, self._inner(env, width), room - 2 * pad, env, force, full - 2 * pad)
        if parts is None:
            return None, [self]
        head, tail = parts
        return replace(self, paras=head), [replace(self, paras=tail)] if tail else []

    def place(self, env: Env, box: Box) -> list[Shape]:
        pad = float(env.deck["callout_padding"])
        bar = float(env.deck["callout_bar_width"])
        text = TextShape(Box(box.x + bar, box.y, box.w - bar, box.h), flush(renumber(self.paras)), name="Call-out",
                         fill=self.fill, insets=Insets(pad, pad, pad, pad))
        return [Group((Rect(Box(box.x, box.y, bar, box.h), self.bar, name="Call-out bar"), text), name="Call-out")]

    def _inner(self, env: Env, width: float) -> float:
        return width - float(env.deck["callout_bar_width"]) - 2 * float(env.deck["callout_padding"])


# ---------------------------------------------------------------- layout


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

    def split(self, env: Env, width: float, room: float, force: bool, full: float) -> tuple[Unit | None, list[Unit]]:
        head, tail = self.unit.split(env, width - self.indent, room, force, full)
        indented = Indented(head, self.indent, self.line) if head else None
        return indented, [Indented(unit, self.indent, self.line) for unit in tail]

    def shrink(self, env: Env, width: float, room: float) -> Unit | None:
        smaller = self.unit.shrink(env, width - self.indent, room)
        return Indented(smaller, self.indent, self.line) if smaller else None

    def place(self, env: Env, box: Box) -> list[Shape]:
        return self.unit.place(env, Box(box.x + self.indent, box.y, box.w - self.indent, box.h))


class ColumnsUnit(Unit):
    """Columns side by side, each a stack of units; they split together, column by column.

    ``collapse`` marks columns the planner made (text beside an image): what
    continues on the next slide then takes the full width again.
    """

    columns: tuple[tuple[Unit, ...], ...]
    weights: tuple[float, ...]
    line: int = 0
    collapse: bool = False
    kind = "set of columns"

    def height(self, env: Env, width: float) -> float:
        return max(stack_height(env, column, w) for column, w in self._columns(env, width))

    def grow(self, env: Env, width: float) -> float:
        tallest = max(stack_height(env, column, w) + sum(unit.grow(env, w) for unit in column)
                      for column, w in self._columns(env, width))
        return max(tallest - self.height(env, width), 0.0)

    def split(self, env: Env, width: float, room: float, force: bool, full: float) -> tuple[Unit | None, list[Unit]]:
        heads: list[tuple[Unit, ...]] = []
        tails: list[tuple[Unit, ...]] = []
        for column, w in self._columns(env, width):
            head, tail = fill(column, w, room, env, full=full, force=force)
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
