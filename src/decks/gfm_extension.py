"""Python-Markdown set up to read GitHub-flavoured Markdown: the extensions, and what GitHub adds.

``Dialect`` wraps one configured ``markdown.Markdown``; ``convert`` returns the
HTML and keeps the element tree and the raw-HTML stash for the model reader.
The pieces written here are those no extension does the GitHub way: alerts
(``> [!NOTE]``), heading anchors with GitHub's slugs, ``$`...`$`` and inline
``$$...$$`` math, the backslash line break, ``~single~`` strikethrough, pipes
escaped in table code, a lone HTML tag as an HTML block, emoji as plain Unicode,
fences left unhighlighted (the writers colour code themselves) and backslash
escapes for every ASCII punctuation character.
"""

from __future__ import annotations

import html
import re
import string
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from pymdownx import arithmatex, emoji

ALERT_KINDS = ("note", "tip", "important", "warning", "caution")
MATH_CLASS = "arithmatex"  # what pymdownx.arithmatex calls math, inline (span) and display (div)
PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")  # Python-Markdown's mark for stashed raw HTML
_ALERT_MARKER = re.compile(r"[ \t]*\[!(" + "|".join(ALERT_KINDS) + r")\][ \t]*(?:\n|$)", re.I)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Converted:
    """What one conversion produced: the HTML, the element tree it came from, the raw-HTML stash."""

    html: str
    tree: etree.Element
    stash: tuple[str | etree.Element, ...]


class Dialect:
    """One Python-Markdown instance set up for GitHub-flavoured Markdown, reset between documents."""

    def __init__(self) -> None:
        self._keeper = _KeepTree()
        self.md = markdown.Markdown(
            extensions=[
                "markdown.extensions.tables",
                "markdown.extensions.footnotes",
                "markdown.extensions.md_in_html",
                "markdown.extensions.sane_lists",
                "pymdownx.superfences",
                "pymdownx.tasklist",
                "pymdownx.tilde",
                "pymdownx.magiclink",
                "pymdownx.emoji",
                "pymdownx.arithmatex",
                _GithubExtras(self._keeper),
            ],
            extension_configs={
                "markdown.extensions.tables": {"use_align_attribute": True},
                "pymdownx.superfences": {
                    "custom_fences": [
                        {"name": "*", "class": "", "format": _code_fence},
                        {"name": "math", "class": MATH_CLASS, "format": arithmatex.arithmatex_fenced_format()},
                    ]
                },
                "pymdownx.tilde": {"subscript": False},
                "pymdownx.emoji": {
                    "emoji_index": emoji.gemoji,
                    "emoji_generator": _emoji_as_text,
                    "alt": "unicode",
                },
                "pymdownx.arithmatex": {"generic": True, "block_syntax": ["dollar"], "inline_syntax": ["dollar"]},
            },
        )

    def convert(self, text: str) -> Converted:
        """Convert Markdown (already through the pre-pass) to HTML, keeping the tree and the stash."""
        self.md.reset()
        self._keeper.tree = None
        output = self.md.convert(text)
        tree = self._keeper.tree if self._keeper.tree is not None else etree.Element("div")  # blank text: no tree
        return Converted(output, tree, tuple(self.md.htmlStash.rawHtmlBlocks))


def github_slug(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen."""
    kept = (c for c in text.lower() if c in "-_ " or unicodedata.category(c)[0] in "LNM")
    return "".join(kept).replace(" ", "-")


def visible_text(element: etree.Element) -> str:
    """An element's text as a reader sees it, stashed raw HTML left out."""
    return PLACEHOLDER.sub("", "".join(element.itertext()))


# ---------------------------------------------------------------- formatters


def _code_fence(source: str, language: str, class_name: str, options: Any, md: Any, **kwargs: Any) -> str:
    """A fence as GitHub writes it: ``<pre><code class="language-x">``, no highlighting."""
    css = f' class="language-{html.escape(language)}"' if language else ""
    return f"<pre><code{css}>{html.escape(source, quote=False)}\n</code></pre>"


def _emoji_as_text(
    index: str, shortname: str, alias: str, uc: str, alt: str, title: str, category: str, options: Any, md: Any
) -> str:
    """``:rocket:`` becomes the character itself, plain text that every writer can show."""
    return alt


# ---------------------------------------------------------------- tree processors


class _Alerts(Treeprocessor):
    """Turn ``> [!NOTE]`` block quotes into GitHub's alert markup, before inline parsing sees the marker."""

    def run(self, root: etree.Element) -> None:
        for quote in list(root.iter("blockquote")):
            first = quote[0] if len(quote) else None
            marker = _ALERT_MARKER.match(first.text or "") if first is not None and first.tag == "p" else None
            if first is None or marker is None:
                continue
            kind = marker.group(1).lower()
            first.text = (first.text or "")[marker.end():]
            if not first.text.strip() and not len(first):
                quote.remove(first)
            quote.tag = "div"
            quote.set("class", f"markdown-alert markdown-alert-{kind}")
            title = etree.Element("p", {"class": "markdown-alert-title"})
            title.text = kind.title()
            quote.insert(0, title)


class _Anchors(Treeprocessor):
    """Give every heading GitHub's anchor id; repeats get ``-1``, ``-2`` ... as on GitHub."""

    def run(self, root: etree.Element) -> None:
        counts: dict[str, int] = {}
        for heading in (element for element in root.iter() if element.tag in _HEADINGS):
            base = slug = github_slug(visible_text(heading).strip())
            while slug in counts:
                counts[base] += 1
                slug = f"{base}-{counts[base]}"
            counts[slug] = 0
            heading.set("id", slug)


class _LoneTags(Treeprocessor):
    """A paragraph of nothing but raw HTML tags (a ``<br>`` or ``<img>`` line) is an HTML block on GitHub: unwrap it."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for position, child in reversed(list(enumerate(parent))):
                if child.tag == "p" and not child.attrib and not len(child) and _only_tags(child.text or "", self.md):
                    _unwrap(parent, position, child)


def _only_tags(text: str, md: markdown.Markdown) -> bool:
    stash = md.htmlStash.rawHtmlBlocks
    pieces = [found for found in PLACEHOLDER.finditer(text)]
    if not pieces or PLACEHOLDER.sub("", text).strip():
        return False
    return all(str(stash[int(found.group(1))]).lstrip().startswith("<") for found in pieces)


def _unwrap(parent: etree.Element, position: int, child: etree.Element) -> None:
    """Put ``child``'s text where ``child`` was, in its parent's text or the previous sibling's tail."""
    text = (child.text or "") + (child.tail or "")
    if position:
        previous = parent[position - 1]
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(child)


class _TableCodePipes(Treeprocessor):
    """``\\|`` keeps a pipe from ending a table cell; inside code GitHub shows it as ``|`` too."""

    def run(self, root: etree.Element) -> None:
        for cell in (element for element in root.iter() if element.tag in ("td", "th")):
            for code in cell.iter("code"):
                code.text = AtomicString((code.text or "").replace("\\|", "|"))


class _KeepTree(Treeprocessor):
    """Keep the finished element tree, for the model reader (runs last)."""

    tree: etree.Element | None = None

    def run(self, root: etree.Element) -> None:
        self.tree = root


# ---------------------------------------------------------------- inline patterns


def _math(tex: str, wrap: str) -> etree.Element:
    element = etree.Element("span", {"class": MATH_CLASS})
    element.text = AtomicString(wrap.format(tex))
    return element


class _BacktickMath(InlineProcessor):
    """``$`...`$``: GitHub's inline math that no emphasis rule can touch."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        return _math(m.group(1), "\\({}\\)"), m.start(0), m.end(0)


class _InlineDisplayMath(InlineProcessor):
    """``$$...$$`` inside a line of text: display math GitHub renders in place."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        return _math(m.group(1).strip(), "\\[{}\\]"), m.start(0), m.end(0)


class _SingleTilde(InlineProcessor):
    """``~text~`` is struck through on GitHub, as ``~~text~~`` is."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        element = etree.Element("del")
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


class _BackslashBreak(InlineProcessor):
    """A backslash at the end of a line is a hard line break, as in CommonMark."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        return etree.Element("br"), m.start(0), m.end(0)


class _GithubExtras(Extension):
    """Register the pieces above, and let every ASCII punctuation character be escaped."""

    def __init__(self, keeper: _KeepTree) -> None:
        super().__init__()
        self.keeper = keeper

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.ESCAPED_CHARS = sorted(set(md.ESCAPED_CHARS) | set(string.punctuation))
        md.inlinePatterns.register(_BacktickMath(r"\$`(.+?)`\$", md), "backtick-math", 195)
        md.inlinePatterns.register(
            _InlineDisplayMath(r"(?<![\\$])\$\$(?!\$)((?:\\.|[^\\$])+?)\$\$", md), "inline-display-math", 189.95
        )
        md.inlinePatterns.register(_BackslashBreak(r"(?<!\\)\\\n", md), "backslash-break", 185)
        md.inlinePatterns.register(_SingleTilde(r"(?<!~)~(?![~\s])(.+?)(?<![~\s])~(?!~)", md), "single-tilde", 59)
        md.treeprocessors.register(_Alerts(md), "github-alerts", 25)
        md.treeprocessors.register(_LoneTags(md), "github-lone-tags", 5)
        md.treeprocessors.register(_TableCodePipes(md), "github-table-code-pipes", 4)
        md.treeprocessors.register(_Anchors(md), "github-anchors", -1)
        self.keeper.md = md
        md.treeprocessors.register(self.keeper, "keep-tree", -10)
