"""What the planner asks of the outside world: text widths, picture sizes, typeset math.

The planner is pure; anything that needs fonts, files or a typesetter comes
through a ``Measure``. ``metrics.RealMeasure`` answers with real font files,
real images and ``decks.equations``; it also keeps the bytes it read, for the
renderer, under the ``key`` it handed out.
"""

from __future__ import annotations

from typing import Literal, Protocol

from decks.model import Value

Position = Literal["", "sub", "sup"]


class PictureInfo(Value):
    """An image the deck can show (``problem`` empty) or why it cannot (``problem`` says)."""

    key: str
    width_px: int = 0
    height_px: int = 0
    problem: str = ""


class EquationInfo(Value):
    """Display math typeset at a size: its picture's key and size in points, and its OMML."""

    key: str
    width: float = 0.0
    height: float = 0.0
    omml: str = ""
    problem: str = ""
    definitions: bool = False  # the formula only defines macros for later ones: nothing to show


class Measure(Protocol):
    def text_width(self, text: str, font: str, size: float, bold: bool = False, italic: bool = False) -> float:
        """Advance width in points of ``text`` set on one line."""
        ...

    def line_height(self, font: str, size: float) -> float:
        """Baseline-to-baseline distance in points at single line spacing."""
        ...

    def picture(self, src: str) -> PictureInfo:
        """The image that ``src`` (as written in the Markdown) names."""
        ...

    def equation(self, tex: str, size: float) -> EquationInfo:
        """Display math typeset with its body text at ``size`` points."""
        ...

    def math_text(self, tex: str) -> tuple[tuple[str, Position], ...] | None:
        """Inline math as Unicode runs with their baseline, or None when no typesetter is available."""
        ...
