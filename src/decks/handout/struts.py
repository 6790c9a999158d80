"""A style's strut (its line height and baseline) kept on the style, not looked up by a key made each time.

WeasyPrint 70 asks for the strut of a box's style for every line box, inline
box and piece of text it lays out, and again each time a page's footnote area
is laid out anew. It keeps the answers per font configuration, but finds one
by writing fourteen of the style's values and its size into a string first:
two thirds of the time a strut took, about 2% of a handout. The strut depends
only on those values, which a computed style never changes once read (a copy
with another size, as WeasyPrint makes to measure an ``ex``, is a new object),
so each style keeps its own. Only line layout asks through here; WeasyPrint's
style computing, which may ask while a style's values are being worked out,
keeps asking WeasyPrint. Importing this module imports WeasyPrint.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import inline
from weasyprint.text import line_break

_WEASYPRINT_STRUT = line_break.strut  # its own, which the tests compare with


def install() -> None:
    """Line layout takes struts from their styles from now on in this process (again is harmless)."""
    inline.strut = strut


def strut(style: Any) -> tuple[float, float]:
    """``line_break.strut``: the used line height and the baseline from its top, once per style object."""
    kept = style.__dict__.get("_strut")
    if kept is None:
        kept = style.__dict__["_strut"] = _WEASYPRINT_STRUT(style)
    return kept
