"""A text's first line worked out once per handout, however often WeasyPrint asks for it.

WeasyPrint 70 finds where a line of text breaks (``split_first_line``, a
Pango layout or several per attempt, more with hyphenation) again whenever
it lays the same text out at the same width: it lays a page's whole footnote
area out anew for each footnote added to it, measures a table's cells for
their narrowest and widest widths and then lays them out, lays a page out
again when a link's page number changed. A quarter of the calls for twenty
real paper notes (tests' corpus) repeated an earlier one. The answer depends
only on the text, its style, the width and the flags, so ``split_first_line``
here answers a repeated call from what the first call found, for the length
of one layout; each caller gets a layout object of its own, as before.
Importing this module imports WeasyPrint.
"""

from __future__ import annotations

import copy
from contextlib import nullcontext
from typing import Any
from weakref import WeakKeyDictionary

from weasyprint.layout import inline, preferred
from weasyprint.text import line_break

from decks.handout import hyphenation

_WEASYPRINT_SPLIT = line_break.split_first_line
# The layout modules, which name split_first_line each with a reference of their own; an SVG's text
# (weasyprint.svg.text) is left to WeasyPrint: it makes a style and changes it in place.
_CALLERS = (inline, preferred)
# LayoutContext -> (text, style's id, width, justification spacing, flags) -> (style, WeasyPrint's answer)
_FOUND: WeakKeyDictionary[Any, dict[tuple, tuple[Any, tuple]]] = WeakKeyDictionary()


def install() -> None:
    """WeasyPrint splits lines with ``split_first_line`` from now on in this process (again is harmless)."""
    for module in _CALLERS:
        module.split_first_line = split_first_line


def split_first_line(
    text: str, style: Any, context: Any, max_width: float | None, justification_spacing: float,
    is_line_start: bool = True, minimum: bool = False,
) -> tuple:
    """WeasyPrint's ``split_first_line``, answered from the layout's earlier call with the same arguments.

    The style is known by its identity (a style is not changed once computed)
    and kept with the answer, so that its id cannot be another style's while
    the layout lasts. The layout object comes back as a copy: a drawing sets
    text on its own, and justification gives a line's box a new one. A split
    at width 0 (a table's narrowest measure) tries one way to hyphenate each
    word, the one that can be taken (``hyphenation.shortest_only``).
    """
    if context is None:
        return _WEASYPRINT_SPLIT(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    found = _FOUND.get(context)
    if found is None:
        found = _FOUND[context] = {}
    key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
    kept = found.get(key)
    if kept is not None and kept[0] is style:
        layout, *rest = kept[1]
        return (copy.copy(layout), *rest)
    narrowest = max_width is not None and max_width <= 0  # a table's narrowest measure: hyphenation.shortest_only
    with hyphenation.shortest_only(context) if narrowest else nullcontext():
        answer = _WEASYPRINT_SPLIT(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    found[key] = (style, answer)
    layout, *rest = answer
    return (copy.copy(layout), *rest)
