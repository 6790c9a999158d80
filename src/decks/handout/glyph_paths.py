"""Draw the glyph outlines of typeset math into the PDF faster than WeasyPrint's general SVG path reader.

A handout full of formulas spent a quarter of its time in WeasyPrint's path
reader, which handles every kind of SVG path and so parses each number of each
glyph through several regular expressions, every time a formula is drawn. The
outlines ``decks.equations`` writes use only absolute ``M``, ``L``, ``Q``, ``T``
and ``Z`` with plain numbers; such a path is drawn here with the
same arithmetic and the same PDF operators, so the PDF's bytes do not change.
Any other path (a figure's arcs, relative commands, markers) goes to WeasyPrint.
Importing this module imports WeasyPrint.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import weasyprint.svg

# A number as pydyf writes one (no trailing zeros, at most six decimals, no "-0"): copied as it is.
_NUMBER = r" (?!-0(?: |$))-?(?:0|[1-9]\d*)(?:\.\d{0,5}[1-9])?"
_GLYPH_OUTLINE = re.compile(
    rf"M{_NUMBER}{_NUMBER}(?: (?:[ML]{_NUMBER}{_NUMBER}|Q{_NUMBER}{_NUMBER}{_NUMBER}{_NUMBER}|T{_NUMBER}{_NUMBER}|Z))*"
)
_MARKERS = ("marker", "marker-start", "marker-mid", "marker-end")  # their positions need WeasyPrint's vertices
_WEASYPRINT_PATH = weasyprint.svg.TAGS["path"]


def install() -> None:
    """Draw SVG paths with ``draw_path`` from now on in this process (again is harmless)."""
    weasyprint.svg.TAGS["path"] = draw_path


def draw_path(svg: Any, node: Any, font_size: float) -> None:
    """Draw ``node``, a ``<path>``, into ``svg.stream``: a glyph outline here, anything else by WeasyPrint."""
    operators = None if any(marker in node.attrib for marker in _MARKERS) else _glyph_operators(node.get("d", ""))
    if operators is None:
        _WEASYPRINT_PATH(svg, node, font_size)
    else:
        svg.stream.stream.append(operators)


@lru_cache(maxsize=1024)
def _glyph_operators(d: str) -> bytes | None:
    """The PDF path operators for a glyph outline as WeasyPrint 70 writes them; None for any other path.

    Kept for the process: a formula that appears again, in this handout or the
    next, is drawn by copying its bytes.

    WeasyPrint starts every path at the origin, turns each quadratic curve into
    a cubic one, takes a ``T`` that follows no curve as starting at the last
    ``M`` or ``L`` point, and closes a contour (``Z``) only after a drawing step.
    """
    if not _GLYPH_OUTLINE.fullmatch(d):
        return None
    tokens = d.split(" ")
    operators = ["0 0 m"]
    x = y = current_x = current_y = control_x = control_y = end_x = end_y = 0.0
    contour_start: tuple[float, float] | None = None
    previous = ""
    index = 0
    while index < len(tokens):
        letter = tokens[index]
        if previous in ("", "M", "Z"):
            contour_start = None
        if letter not in ("M", "Z") and contour_start is None:
            contour_start = (current_x, current_y)
        if letter in ("M", "L"):
            x, y = float(tokens[index + 1]), float(tokens[index + 2])
            operators.append(f"{tokens[index + 1]} {tokens[index + 2]} {letter.lower()}")
            current_x, current_y = x, y
            index += 3
        elif letter in ("Q", "T"):
            start_x, start_y = current_x, current_y
            if letter == "Q":
                control_x, control_y = float(tokens[index + 1]), float(tokens[index + 2])
                index += 2
            else:
                if previous not in ("Q", "T"):
                    control_x, control_y, end_x, end_y = x, y, x, y
                control_x = start_x + end_x - control_x
                control_y = start_y + end_y - control_y
            end = f"{tokens[index + 1]} {tokens[index + 2]}"
            end_x, end_y = float(tokens[index + 1]), float(tokens[index + 2])
            index += 3
            operators.append(
                f"{_number(control_x * 2 / 3 + start_x / 3)} {_number(control_y * 2 / 3 + start_y / 3)} "
                f"{_number(control_x * 2 / 3 + end_x / 3)} {_number(control_y * 2 / 3 + end_y / 3)} {end} c"
            )
            current_x, current_y = end_x, end_y
        else:  # Z
            if contour_start is not None:
                operators.append("h")
                current_x, current_y = contour_start
            index += 1
        previous = letter
    return "\n".join(operators).encode("ascii")


def _number(value: float) -> str:
    """``value`` as pydyf writes a number into a PDF stream."""
    return str(int(value)) if value.is_integer() else f"{value:f}".rstrip("0")
