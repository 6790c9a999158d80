"""A page's footnote area measured without laying its earlier footnotes out again for each one added.

WeasyPrint 70 measures a page's footnote area each time a footnote joins or
leaves the page: it copies the area with all the page's footnotes and lays
every one of them out again, so a page of k notes costs k² footnote layouts
(a quarter of the time of corpus p13's handout, 186 link footnotes). In each
such measure, a footnote that was there before sits at the same place after
the same footnotes, so it lays out the same: its laid-out box is kept, per
footnote, place and surroundings, and handed out as a fresh copy; only the
newcomer is laid out. Only these measures use it: the area that is drawn is
laid out by WeasyPrint as before. A footnote whose layout placed anything
out of flow, or did not fit whole, is never kept. Importing this module
imports WeasyPrint.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from weasyprint.formatting_structure.boxes import FootnoteAreaBox
from weasyprint.layout import LayoutContext, block

_WEASYPRINT_LAYOUT = block.block_level_layout  # its own, which the tests compare with
_WEASYPRINT_UPDATE = LayoutContext._update_footnote_area
_KEPT: WeakKeyDictionary[Any, dict[tuple, tuple]] = WeakKeyDictionary()  # layout context -> laid-out footnotes
_MEASURING: set[int] = set()  # the layout contexts measuring a footnote area right now


def install() -> None:
    """Footnote areas are measured with their footnotes' layouts kept from now on in this process (again is harmless)."""
    block.block_level_layout = block_level_layout
    LayoutContext._update_footnote_area = update_footnote_area


def update_footnote_area(context: Any) -> bool:
    """WeasyPrint's ``_update_footnote_area``, with the footnotes it lays out kept for its next measure."""
    _MEASURING.add(id(context))
    try:
        return _WEASYPRINT_UPDATE(context)
    finally:
        _MEASURING.discard(id(context))


def block_level_layout(context: Any, box: Any, bottom_space: float, skip_stack: Any, containing_block: Any,
                       page_is_empty: bool = True, absolute_boxes: list | None = None, fixed_boxes: list | None = None,
                       adjoining_margins: list | None = None, *rest: Any, **options: Any) -> tuple:
    """WeasyPrint's ``block_level_layout``; a footnote in an area being measured is laid out once per place."""
    arguments = (context, box, bottom_space, skip_stack, containing_block, page_is_empty, absolute_boxes,
                 fixed_boxes, adjoining_margins, *rest)
    if id(context) not in _MEASURING or not isinstance(containing_block, FootnoteAreaBox) or skip_stack or options \
            or None in (absolute_boxes, fixed_boxes, adjoining_margins):  # every other block: as WeasyPrint does
        return _WEASYPRINT_LAYOUT(*arguments, **options)
    key = (id(box.element), id(box.style), type(box), box.position_x, box.position_y, bottom_space,
           containing_block.width, page_is_empty, tuple(adjoining_margins), *map(_same, rest))
    kept = _KEPT.setdefault(context, {})
    if key not in kept:
        placed = len(absolute_boxes), len(fixed_boxes)
        laid_out = _WEASYPRINT_LAYOUT(*arguments)
        if laid_out[0] is None or laid_out[1] is not None or placed != (len(absolute_boxes), len(fixed_boxes)):
            return laid_out  # not whole, or something placed out of flow: not kept
        kept[key] = laid_out, list(adjoining_margins)  # WeasyPrint adds to the margins it is handed
    (new_box, *others), margins = kept[key]
    adjoining_margins[:] = margins
    return (new_box.deepcopy(), *(list(value) if isinstance(value, list) else value for value in others))


def _same(value: Any) -> Any:
    """A layout argument as part of a key: itself when it is a plain value, else which object it is."""
    return value if value is None or isinstance(value, bool | int | float | str) else id(value)
