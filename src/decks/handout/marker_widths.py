"""A list marker's width worked out once per kind of list item, marker text and room, not for every item.

WeasyPrint 70 places a list item's marker (``•``, ``3.``) outside the item's
text as an absolutely positioned box sized to fit (shrink-to-fit): for every
item it breaks the marker's text into lines twice, at the narrowest and the
widest widths, each a Pango layout: 1,500 items in the 20 corpus handouts,
half the time their markers took. WeasyPrint gives list items with the same
rules and parent one style object, and a marker's style comes from its item's
style and those rules, so items sharing a style have markers styled alike: the
width is kept per item style, marker text and available width, for the one
layout (style objects live as long as their document). Any other box, or a
marker holding more than text (an image), goes to WeasyPrint as before.
Importing this module imports WeasyPrint.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from weasyprint.css import AnonymousStyle
from weasyprint.formatting_structure import boxes
from weasyprint.layout import absolute, preferred

_WEASYPRINT_SHRINK_TO_FIT = preferred.shrink_to_fit  # its own, which the tests compare with
_WIDTHS: WeakKeyDictionary[Any, dict[tuple[int, str, float], float]] = WeakKeyDictionary()  # layout context -> widths


def install() -> None:
    """Outside list markers are sized through ``shrink_to_fit`` from now on in this process (again is harmless)."""
    absolute.shrink_to_fit = shrink_to_fit


def shrink_to_fit(context: Any, box: Any, available_content_width: float) -> float:
    """WeasyPrint's ``shrink_to_fit``; for an outside list marker, worked out once per item style, text and width."""
    if not box.is_outside_marker:
        return _WEASYPRINT_SHRINK_TO_FIT(context, box, available_content_width)
    marker_style = _marker_style(box.style)
    text = _text(box)
    if marker_style is None or text is None:
        return _WEASYPRINT_SHRINK_TO_FIT(context, box, available_content_width)
    widths = _WIDTHS.setdefault(context, {})
    key = (id(marker_style.parent_style), text, available_content_width)
    width = widths.get(key)
    if width is None:
        width = widths[key] = _WEASYPRINT_SHRINK_TO_FIT(context, box, available_content_width)
    return width


def _marker_style(style: Any) -> Any:
    """The ``::marker`` style an outside marker's box style comes from (through anonymous ones), or None."""
    while isinstance(style, AnonymousStyle):
        style = style.parent_style
    return style if getattr(style, "pseudo_type", None) == "marker" else None


def _text(box: Any) -> str | None:
    """The text a marker box holds, or None when it holds anything but text."""
    if isinstance(box, boxes.TextBox):
        return box.text
    if not isinstance(box, boxes.ParentBox) or isinstance(box, boxes.AtomicInlineLevelBox):
        return None
    parts = [_text(child) for child in box.children]
    return None if None in parts else "\x00".join(parts)  # type: ignore[arg-type]
