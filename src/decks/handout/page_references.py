"""Page numbers of links into the handout, settled with one repagination instead of two or three per page.

The handout prints the page each internal link leads to: after the dotted
leader of a contents entry and as " (p. N)" after a link in the text, both
``target-counter(attr(href), page)``. WeasyPrint 70 knows such a number only
once the linked heading's page is laid out, so a page holding a link whose
heading comes later must be laid out again. Three slips in its bookkeeping
(``weasyprint.css.targets`` and ``compute_content_list``) made every page
holding any such link be laid out two or three times instead, forward link
or not; a tuning playbook of 51 pages took 91 page layouts, 80% more time:

1. the counters a link waits for are filed under the anchor of its
   ``attr(href)`` token, which is ``None`` (the anchor is read from the
   attribute only to look the heading up), so the heading's page never finds
   the links that wait for it;
2. links work anyway because the same list is also taken as counters of the
   link's own page (a variable rebound), which lays the link's page out again
   whenever that page's counters differ from the last layout's: the first
   time, and once more after the total page count is known;
3. when a heading's page is laid out again, every link to it asks for its own
   page again, though the number it prints is the same.

``PageReferenceCollector`` files such a link under its real anchor, prints
the number of a heading already laid out before the link is (so a backward
link costs nothing), and asks for a new layout only when a number changed.
It does so only for content with one ``target-*()`` and no ``counter()`` of
its own, which is what the handout's theme writes; any other content is left
to WeasyPrint as it was.

A handout built again after an edit mostly has its headings where they were:
``remembering`` hands a layout the pages of the last one, which forward links
print from the start, so only the pages whose numbers moved are laid out again.
A remembered page is only a first guess: the PDF is the same without it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import weasyprint.document
from weasyprint.css.targets import TargetCollector, anchor_name_from_token
from weasyprint.urls import get_url_tuple

_OWN_COUNTERS = ("counter()", "counters()")
# anchor -> its page counter at the last layout of the handout being laid out; see ``remembering``
_REMEMBERED: ContextVar[dict[str, list[int]] | None] = ContextVar("remembered_pages", default=None)


def install() -> None:
    """WeasyPrint keeps its cross-references with ``PageReferenceCollector`` from now on in this process."""
    weasyprint.document.TargetCollector = PageReferenceCollector


@contextmanager
def remembering(pages: dict[str, list[int]]) -> Iterator[dict[str, list[int]]]:
    """Layouts in the block start from ``pages`` (anchor -> page counter) and leave their own pages in it."""
    token = _REMEMBERED.set(pages)
    try:
        yield pages
    finally:
        _REMEMBERED.reset(token)


class PageReferenceCollector(TargetCollector):
    """WeasyPrint's collector of ``target-*()`` references, with the three slips above mended."""

    def __init__(self) -> None:
        super().__init__()
        # anchor -> the lookups of references whose content needs nothing but that anchor's counters
        self.references_to: dict[str, list[Any]] = {}
        # anchor -> the counters any reference wants of it; known once collecting ends
        self._wanted: dict[str, set[str]] | None = None
        remembered = _REMEMBERED.get()
        self.remembered: dict[str, list[int]] = {} if remembered is None else remembered

    def collect_missing_counters(
        self, parent_box: Any, css_token: str, parse_again_function: Any, missing_counters: list[str],
        missing_target_counters: dict[Any, list[str]],
    ) -> None:
        """File a reference's missing counters under its real anchor (slip 1), none as its own page's (slip 2)."""
        anchor = _only_anchor(parent_box) if css_token == "content" and None in missing_target_counters else None
        if anchor is None:
            super().collect_missing_counters(
                parent_box, css_token, parse_again_function, missing_counters, missing_target_counters
            )
            return
        wanted = missing_target_counters.pop(None)
        missing_target_counters[anchor] = wanted
        own = [] if missing_counters is wanted else missing_counters
        seen = (parent_box, css_token) in self.counter_lookup_items  # met again when a pending target is parsed
        super().collect_missing_counters(parent_box, css_token, parse_again_function, own, missing_target_counters)
        if not seen:
            self.references_to.setdefault(anchor, []).append(self.counter_lookup_items[parent_box, css_token])

    def check_pending_targets(self) -> None:
        """After the last formatting pass: references print the remembered page of their heading, if there is one."""
        super().check_pending_targets()
        for anchor, lookups in self.references_to.items():
            target, page = self.target_lookup_items.get(anchor), self.remembered.get(anchor)
            if page is None or target is None or target.state != "up-to-date":
                continue
            target.cached_page_counter_values = {"page": list(page)}
            for lookup in lookups:
                lookup.parse_again(lookup.cached_page_counter_values)

    def cache_target_page_counters(
        self, anchor_name: str, page_counter_values: dict[str, list[int]], page_maker_index: int, page_maker: Any,
    ) -> None:
        """Note the page of ``anchor_name``'s target; lay out again only pages whose printed numbers changed."""
        target = self.target_lookup_items.get(anchor_name)
        known = target is not None and target.state == "up-to-date" and not self.collecting
        if known and target.cached_page_counter_values and self._unchanged(anchor_name, page_counter_values):
            # Slip 3: what every reference prints stays as it is; WeasyPrint then only notes the page.
            target.cached_page_counter_values = copy.deepcopy(page_counter_values)
        super().cache_target_page_counters(anchor_name, page_counter_values, page_maker_index, page_maker)
        if not known:
            return
        for lookup in self.references_to.get(anchor_name, ()):
            if lookup.pending:  # not laid out yet: give it its number now rather than lay its page out twice
                lookup.parse_again(lookup.cached_page_counter_values)
                lookup.pending = False
        if anchor_name in self.references_to and "page" in page_counter_values:
            self.remembered[anchor_name] = list(page_counter_values["page"])

    def _unchanged(self, anchor_name: str, page_counter_values: dict[str, list[int]]) -> bool:
        """Whether every counter a reference wants of ``anchor_name`` has the value it had at its last layout."""
        if self._wanted is None:
            self._wanted = {}
            for (_box, css_token), lookup in self.counter_lookup_items.items():
                if css_token == "content":
                    for anchor, counters in lookup.missing_target_counters.items():
                        self._wanted.setdefault(anchor, set()).update(counters)
        cached = self.target_lookup_items[anchor_name].cached_page_counter_values
        return all(cached.get(name) == page_counter_values.get(name) for name in self._wanted.get(anchor_name, ()))


def _only_anchor(box: Any) -> str | None:
    """The anchor named by ``box``'s content if it holds one ``target-*()`` and no ``counter()``; else None.

    Read from the attribute as ``TargetCollector.lookup_target`` reads it.
    """
    content = box.style["content"]
    if not isinstance(content, (list, tuple)) or any(kind in _OWN_COUNTERS for kind, _ in content):
        return None
    targets = [value for kind, value in content if kind.startswith("target-")]
    if len(targets) != 1:
        return None
    token = targets[0][0]
    if token[0] == "attr()":
        name, kind, fallback = token[1]
        value = box.element.get(name, fallback)
        if kind == "string":
            token = ("string", value)
        elif kind == "url":
            token = ("url", get_url_tuple(value, box.style.base_url))
    return anchor_name_from_token(token)
