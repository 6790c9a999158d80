"""Find the footnotes a WeasyPrint layout lost: a marker on a page, its note on none.

WeasyPrint 70 sometimes drops a footnote whose call sits at the foot of a page
right after another footnote was deferred to the next page. ``pdf.py`` lays out
again with such notes set inline, so that no text of the notes is ever missing.
This reads WeasyPrint's laid-out boxes (``Page._page_box``), an internal
structure; importing this module imports WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure.boxes import FootnoteAreaBox


def footnote_numbers(document: Any) -> tuple[frozenset[int], frozenset[int]]:
    """The numbers (``data-n``) of the footnotes whose marker is laid out, and of those whose note is."""
    called: set[int] = set()
    printed: set[int] = set()
    for page in document.pages:
        for area in page._page_box.children:
            footnote_area = isinstance(area, FootnoteAreaBox)
            for box in _boxes(area):
                number = _number(box)
                if number is None:
                    continue
                if getattr(box, "footnote", None) is not None:
                    called.add(number)
                elif footnote_area and box.element_tag == "span":
                    printed.add(number)
    return frozenset(called), frozenset(printed)


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _number(box: Any) -> int | None:
    element = getattr(box, "element", None)
    if element is None or "footnote" not in (element.get("class") or "").split():
        return None
    number = element.get("data-n") or ""
    return int(number) if number.isdigit() else None
