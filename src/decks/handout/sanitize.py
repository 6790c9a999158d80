"""Clean raw HTML from the Markdown as GitHub does: allowed tags and attributes in, scripts and frames out.

The cleaner rebuilds the markup from parsed tokens, so nothing it does not know
survives: tags outside the allowlist are unwrapped (their text stays), tags that
only carry code or other documents (``<script>``, ``<iframe>``, ``<svg>`` ...)
are dropped with their content, event handlers and ``style``/``class`` go.
What is dropped because it would load or run something is reported, with its
line, so the author knows why it is missing. Addresses are handed to the
caller, which decides which images may load and prints link addresses. Each
block is closed on its own, so an unclosed ``<div>`` cannot swallow the rest of
the handout.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from html.parser import HTMLParser

from decks.resources import split_url

_ALLOWED_TAGS = frozenset(
    "a abbr b bdo blockquote br caption cite code dd del details dfn div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p picture pre q rp rt ruby s samp small span "
    "strike strong sub summary sup table tbody td tfoot th thead time tr tt u ul var wbr".split()
)
_DROPPED_WITH_CONTENT = frozenset(
    "script style iframe frameset object applet template noscript svg math title "
    "textarea select audio video canvas head".split()
)  # void tags (embed, frame, link, meta, base, input ...) are simply never written
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})
_LOADING_VOID_TAGS = frozenset({"embed", "link", "frame", "base", "meta"})  # dropped, and worth a word
_ALLOWED_ATTRIBUTES = frozenset(
    "alt title width height align valign colspan rowspan start reversed type open lang dir "
    "datetime cite abbr scope id name".split()
)
_SAFE_LINK_SCHEMES = frozenset({"", "http", "https", "mailto"})

# (src, alt, other allowed attributes, line) -> the markup that shows the image, or stands in for it
ImageMarkup = Callable[[str, str, list[tuple[str, str]], int], str]
LinkNote = Callable[[str], str]  # an external address -> markup printed after the link
Warn = Callable[[int, str], None]  # (line, message): something was left out


def _ignore(line: int, message: str) -> None:
    """The default Warn: the caller does not want to hear."""


def clean_html(
    markup: str, first_line: int, image_markup: ImageMarkup, link_note: LinkNote, warn: Warn = _ignore
) -> str:
    """``markup`` with only what a handout may show; ``first_line`` is its line in the source."""
    cleaner = _Cleaner(first_line, image_markup, link_note, warn)
    cleaner.feed(markup)
    cleaner.close()
    return cleaner.result()


class _Cleaner(HTMLParser):
    """Rebuilds allowed markup token by token; see the module docstring."""

    def __init__(self, first_line: int, image_markup: ImageMarkup, link_note: LinkNote, warn: Warn) -> None:
        super().__init__(convert_charrefs=True)
        self._first_line = first_line
        self._image_markup = image_markup
        self._link_note = link_note
        self._warn = warn
        self._out: list[str] = []
        self._open: list[str] = []  # allowed tags opened and not yet closed
        self._links: list[str] = []  # the href of each open <a>, "" for internal ones
        self._dropping: list[str] = []  # the dropped tags we are inside of

    def result(self) -> str:
        while self._open:
            self._close_top()
        return "".join(self._out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._dropping:
            if tag in _DROPPED_WITH_CONTENT:
                self._dropping.append(tag)
            return
        if tag in _DROPPED_WITH_CONTENT or tag in _LOADING_VOID_TAGS:
            self._warn(self._line(), f"<{tag}> left out: a handout never loads or runs what raw HTML embeds")
            if tag in _DROPPED_WITH_CONTENT:
                self._dropping.append(tag)
        elif tag == "img":
            self._image(attrs)
        elif tag in _ALLOWED_TAGS:
            kept = self._attributes(tag, attrs)
            self._out.append(f"<{tag}{_format(kept)}>")
            if tag not in _VOID_TAGS:
                self._open.append(tag)
            if tag == "a":
                self._links.append(dict(kept).get("href", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS and tag in self._open and not self._dropping:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag == self._dropping[-1]:
                self._dropping.pop()
            return
        if tag in self._open:
            while self._open and self._close_top() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._out.append(escape(data, quote=False))

    def _close_top(self) -> str:
        tag = self._open.pop()
        self._out.append(f"</{tag}>")
        if tag == "a":
            href = self._links.pop()
            if split_url(href).scheme:
                self._out.append(self._link_note(href))
        return tag

    def _line(self) -> int:
        return self._first_line + self.getpos()[0] - 1

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
        if "url(" in (dict(attrs).get("style") or "").lower():
            self._warn(self._line(), f"the style of <{tag}> left out: a handout never loads what a style names")
        kept = [(name, value or "") for name, value in attrs if name in _ALLOWED_ATTRIBUTES]
        href = dict(attrs).get("href")
        if tag == "a" and href and split_url(href.strip()).scheme.lower() in _SAFE_LINK_SCHEMES:
            kept.append(("href", href.strip()))
        return kept

    def _image(self, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        kept = [(name, value or "") for name, value in attrs if name in _ALLOWED_ATTRIBUTES - {"alt"}]
        src, alt = (values.get("src") or "").strip(), values.get("alt") or ""
        self._out.append(self._image_markup(src, alt, kept, self._line()))


def _format(attributes: list[tuple[str, str]]) -> str:
    return "".join(f' {name}="{escape(value)}"' for name, value in attributes)
