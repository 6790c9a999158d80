"""A line's Pango layout kept from the line break that made it to the drawing of the line.

WeasyPrint 70 frees each text box's Pango layout as soon as the line is
broken (``Layout.deactivate``), then for drawing makes the layout again from
the style and the text (``Layout.reactivate``) and has Pango shape the text a
second time: set-up, shaping and freeing, twice, for every piece of text in
the handout. Here the layout is kept instead and drawn as it is when it is
what the drawing would make again: the same style, and no justification
spacing left out of it (WeasyPrint lays a justified line out without the
extra spacing and draws it with; such a box gets its own layout, drawn as
before). The drawing sets Pango's single-paragraph mode, and a change of
mode makes Pango lay the line out anew (33 µs, against 2 µs for lines it
has); text with no paragraph separator lays out the same in that mode, so
such text gets it when it is set and the kept lines stay valid. A line
drawn with an ellipsis changes its layout: it gets a new one, as before.
One layout may serve many boxes: a leader's dots (a contents page's dotted
lines) are copies of one box, 2,800 in the Attention handout. The PDF's
bytes do not change; the kept layouts cost memory until the handout is
written (20 MiB more at the peak for the largest corpus handouts).
Importing this module imports WeasyPrint.
"""

from __future__ import annotations

import re
from typing import Any

from weasyprint.draw import text as drawing
from weasyprint.text import line_break
from weasyprint.text.ffi import pango

# What Pango takes as the end of a paragraph (and a few more line ends, to be safe): such text keeps
# WeasyPrint's mode, in which a newline ends the line, as a preformatted block needs.
_PARAGRAPH_SEPARATOR = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_WEASYPRINT = {  # its own, which the tests compare with
    "set_text": line_break.Layout.set_text,
    "deactivate": line_break.Layout.deactivate,
    "reactivate": line_break.Layout.reactivate,
    "draw_first_line": drawing.draw_first_line,
}


def install() -> None:
    """WeasyPrint keeps each line's layout for drawing from now on in this process (again is harmless)."""
    line_break.Layout.set_text = set_text
    line_break.Layout.deactivate = deactivate
    line_break.Layout.reactivate = reactivate
    drawing.draw_first_line = draw_first_line


def set_text(layout: Any, text: str, justify: bool = False) -> None:
    """``Layout.set_text``, in single-paragraph mode when the text has one paragraph; notes whether it is as drawn."""
    _WEASYPRINT["set_text"](layout, text, justify)
    if not _PARAGRAPH_SEPARATOR.search(layout.text):
        pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    layout.as_drawn = justify or not layout.justification_spacing


def deactivate(layout: Any) -> None:
    """``Layout.deactivate``, the Pango layout kept aside for the drawing."""
    layout.kept = (layout.layout, layout.language, layout.style)
    _WEASYPRINT["deactivate"](layout)


def reactivate(layout: Any, style: Any) -> None:
    """``Layout.reactivate``: the kept Pango layout if it is the one this would make, else a new one."""
    kept = getattr(layout, "kept", None)
    if kept is not None and kept[2] is style and getattr(layout, "as_drawn", False):
        layout.layout, layout.language, layout.style = kept
    else:
        _WEASYPRINT["reactivate"](layout, style)


def draw_first_line(stream: Any, textbox: Any, text_overflow: str, block_ellipsis: Any, matrix: Any) -> Any:
    """WeasyPrint's ``draw_first_line``, on a layout of the text box's own where an ellipsis will change it."""
    if text_overflow == "ellipsis" or block_ellipsis != "none":
        _WEASYPRINT["reactivate"](textbox.pango_layout, textbox.style)
    return _WEASYPRINT["draw_first_line"](stream, textbox, text_overflow, block_ellipsis, matrix)
