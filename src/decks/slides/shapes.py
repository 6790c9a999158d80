"""The deck plan's vocabulary: boxes, runs, paragraphs, shapes and slides, as plain data.

``plan.py`` builds these values and ``render.py`` translates them one to one
into a .pptx. Every decision (position, size, font, colour, bullet, split) is
already made here, so rendering needs no theme lookups and no measuring.
Lengths are points from the slide's top-left corner; colours are ``RRGGBB``.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from decks.model import Value

LINE_BREAK = "\n"  # a Run with exactly this text is a line break inside a paragraph
SLIDE_NUMBER = "slidenum"  # a Run field: the slide's own number, kept up to date by PowerPoint


class Box(Value):
    x: float
    y: float
    w: float
    h: float

    def moved(self, dx: float = 0.0, dy: float = 0.0) -> Box:
        return Box(self.x + dx, self.y + dy, self.w, self.h)


class Run(Value):
    """A stretch of text with one formatting; ``baseline`` is a percentage (30 = superscript)."""

    text: str
    font: str
    size: float
    colour: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    highlight: str = ""
    link: str = ""
    baseline: int = 0
    field: str = ""
    footnote: str = ""  # the label of the footnote this marker points to (the planner's bookkeeping)


class Bullet(Value):
    """A list marker: a character, or PowerPoint's own numbering (``scheme`` like arabicPeriod)."""

    char: str = ""
    font: str = ""
    colour: str = ""
    scheme: str = ""
    start: int = 1  # numbering: the number the sequence this paragraph belongs to starts at
    number: int = 1  # numbering: this paragraph's own number


class Para(Value):
    """One paragraph: ``margin`` is where its text starts, ``hanging`` how far left its bullet sits."""

    runs: tuple[Run, ...]
    size: float
    font: str  # the paragraph's own font: it sets the height of an empty line and of the bullet
    level: int = 0
    bullet: Bullet | None = None
    margin: float = 0.0
    hanging: float = 0.0
    align: Literal["l", "ctr", "r"] = "l"
    space_before: float = 0.0
    line_spacing: float = 1.0
    keep_with_next: bool = False  # a sub-heading or a lead-in: never the last line of a slide
    cut: bool = False  # the rest of a paragraph cut at a slide's foot: it keeps the size of its first part


class Insets(Value):
    left: float = 0.0
    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0


class TextShape(Value):
    """A text box; with ``fill``/``border`` it is a framed box (a code listing, a placeholder)."""

    box: Box
    paras: tuple[Para, ...]
    name: str = "Text"
    fill: str = ""
    border: str = ""
    border_width: float = 0.0
    dashed: bool = False
    corner: float = 0.0  # points: the radius of rounded corners, 0 for square ones
    insets: Insets = Insets()
    anchor: Literal["t", "ctr", "b"] = "t"
    wrap: bool = True


class Rect(Value):
    """A filled rectangle without text: a call-out's bar, the rule under a title."""

    box: Box
    fill: str
    name: str = "Rule"


class Picture(Value):
    """An image; ``key`` names it in the Measure that supplied it, ``description`` is its alt text."""

    box: Box
    key: str
    description: str
    name: str = "Picture"


class Equation(Value):
    """Display math: editable OMML with a picture of the same formula as the fallback."""

    box: Box
    key: str
    omml: str
    tex: str
    size: float  # points: the equation's text size, for the editable version


class Cell(Value):
    paras: tuple[Para, ...]
    fill: str


class TableShape(Value):
    """A native table; the first ``header_rows`` rows are its header."""

    box: Box
    column_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]
    border: str
    border_width: float
    insets: Insets
    header_rows: int = 1


class Group(Value):
    """Shapes that belong together (a call-out's box and bar) and move as one."""

    shapes: tuple[Shape, ...]
    name: str


Shape: TypeAlias = TextShape | Rect | Picture | Equation | TableShape | Group

Layout: TypeAlias = Literal["title", "section", "content"]


class SlidePlan(Value):
    """One slide: its title goes into the layout's title placeholder, the rest are shapes."""

    layout: Layout
    title: TextShape | None
    shapes: tuple[Shape, ...] = ()
    notes: tuple[Para, ...] = ()
    subtitle: TextShape | None = None  # the title or section slide's second placeholder
    background: str = ""
    line: int = 0


class DeckPlan(Value):
    """A whole deck; ``title``, ``authors``, ``keywords`` and ``language`` fill its properties."""

    width: float
    height: float
    slides: tuple[SlidePlan, ...]
    title: str = ""
    authors: str = ""
    subject: str = ""
    keywords: str = ""
    language: str = "en"
    fonts: tuple[str, str] = ("Calibri", "Calibri")  # heading and body, for the master's font scheme
