"""A leader's dots laid out as one piece of text, not as one box per dot.

WeasyPrint 70 fills a leader (the dotted line from a contents entry to its
page number) with a copy of the leader's text box for each dot, placed at
whole dot widths from the end of the line so that the dots of every entry
line up; each copy is then drawn on its own, a text object with its font and
position per dot: 2,800 boxes for the Attention handout's contents page, a
twelfth of the handout's time. Here WeasyPrint places the dots as before,
then each eight copies in a row become one box holding the same dots, from
where the first of them was: Pango advances each dot by the dot's own width
(checked for every row: a font that kerns one dot against the next keeps
WeasyPrint's boxes), so the dots land where WeasyPrint put them, to within a
twentieth of a point. Importing this module imports WeasyPrint.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import inline, leader
from weasyprint.text.line_break import create_layout, line_size

_WEASYPRINT_HANDLE_LEADER = inline.handle_leader
_TOLERANCE_PX = 1e-3  # how far a dot may be from where whole dot widths put it
# Dots drawn as one piece of text: the PDF gives each glyph's width in whole thousandths of an em, so a
# dot can land up to that much short of where Pango put it, and the shortfall adds up along a piece of
# text (0.46 pt over the 80 dots of a 10 pt row); after eight, under a twentieth of a point.
_DOTS_PER_BOX = 8


def install() -> None:
    """WeasyPrint's leaders are drawn eight dots to a box from now on in this process (again is harmless)."""
    inline.handle_leader = handle_leader


def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
    """WeasyPrint's ``handle_leader`` for ``line``, its row of dots then made a few text boxes.

    Called for every line: one without a leader, WeasyPrint's own would leave
    as it is, so it is not searched a second time.
    """
    _, box = leader.leader_index(line)
    if box is None:
        return
    _WEASYPRINT_HANDLE_LEADER(context, line, containing_block)
    if len(box.children) > 1:
        dots = sorted(box.children, key=lambda dot: dot.position_x)
        if _side_by_side(dots):
            groups = [dots[start:start + _DOTS_PER_BOX] for start in range(0, len(dots), _DOTS_PER_BOX)]
            layouts: dict[int, Any] = {}  # dots in a group -> their text's layout, shared as WeasyPrint's copies were
            joined = [_joined(context, group, layouts) for group in groups]
            if None not in joined:
                box.children = tuple(joined)


def _side_by_side(dots: list[Any]) -> bool:
    """Whether ``dots`` (by position) follow each other at whole widths of the first, as WeasyPrint places them."""
    width = dots[0].width
    return all(abs(dot.position_x - dots[0].position_x - index * width) <= _TOLERANCE_PX
               for index, dot in enumerate(dots))


def _joined(context: Any, dots: list[Any], layouts: dict[int, Any]) -> Any | None:
    """One text box with the text of ``dots``, where the first was; None if Pango would not advance them the same."""
    first = dots[0]
    joined = first.copy_with_text(first.text * len(dots))
    layout = layouts.get(len(dots))
    if layout is None:
        layout = create_layout(joined.text, joined.style, context, None, 0)
        width, _ = line_size(layout.get_first_line()[0], joined.style)
        if abs(width - first.width * len(dots)) > _TOLERANCE_PX:
            return None
        layout.deactivate()
        layouts[len(dots)] = layout
    joined.pango_layout = layout
    joined.width = first.width * len(dots)
    return joined
