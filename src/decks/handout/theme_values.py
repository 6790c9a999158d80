"""The theme's values written into its stylesheets before WeasyPrint parses them.

The handout template sets the theme's colours, fonts and sizes as custom
properties on ``:root`` (``html.root_properties``) and handout.css reads them with
``var()``. WeasyPrint resolves a ``var()`` for every element whose style uses
it, parsing and validating the value anew each time: a twentieth of a handout's
time. A property set only on ``:root`` has one value on the whole page, so its
``var()`` is replaced by that value before the stylesheet is parsed: the same
styles, the same PDF. A property a stylesheet sets anywhere (``--alert`` on
alerts, ``--measure``) or the HTML sets on an element (``--indent`` on code
lines) stays a ``var()``, and so does one with a fallback.

Importing this module imports WeasyPrint (through ``fetch``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from weasyprint.urls import URLFetcherResponse

from decks.handout.fetch import RepositoryFetcher

_READ = re.compile(r"var\(\s*--([\w-]+)\s*\)")  # a var() without a fallback
_SET = re.compile(r"--([\w-]+)\s*:")  # a custom property's declaration


def with_values(css: str, values: Mapping[str, str], stylesheets: Iterable[str]) -> str:
    """``css`` with each ``var()`` of a ``values`` property written as its value, unless one of ``stylesheets`` sets it."""
    set_there = {name for text in stylesheets for name in _SET.findall(text)}

    def written(read: re.Match[str]) -> str:
        name = read[1]
        return values[name] if name in values and name not in set_there else read[0]

    return _READ.sub(written, css)


class ValuesFetcher(RepositoryFetcher):
    """The fetcher a theme's stylesheet is parsed with: a stylesheet it ``@import``\\ s comes with the values written in."""

    def __init__(self, *args: object, write: Callable[[str], str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.write = write

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        response = super().fetch(url, headers)
        if response.headers.get_content_type() != "text/css":
            return response
        css = response.read().decode(response.headers.get_content_charset() or "utf-8")
        return URLFetcherResponse(response.url, self.write(css), {"Content-Type": "text/css"})
