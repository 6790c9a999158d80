"""Code coloured by Pygments for the handout, kept in ``build/cache/highlight``.

A handout's first code block cost Pygments' import and its lexer's hundred
regular expressions, a twentieth of the handout's time; a block highlighted
before, with the same style and the same Pygments, is read back instead
(see decks.diskcache). Only classes are written: the colours come from the
theme's style, as CSS (``pygments_css``).
"""

from __future__ import annotations

import functools
from html import escape
from pathlib import Path
from typing import Any

from decks import diskcache
from decks.errors import ThemeError

_TOKEN_LOOKS = ("color", "bgcolor", "bold", "italic", "underline", "border")  # what a Pygments style sets


def highlighted_lines(code: str, language: str, style: str) -> tuple[str, ...]:
    """The code's lines as Pygments token spans, for the theme's Pygments ``style``.

    Pygments closes every span at the end of a line, so each line stands alone
    and can be set as its own block (a wrapped line then hangs under itself).
    A token ``style`` gives no colour, weight or slant to gets no span, so runs
    of them merge into plain text: in Python, names and punctuation are most
    tokens, and every span is a box WeasyPrint styles, lays out and draws.
    """
    stored = diskcache.cached_json(diskcache.folder("highlight"), "lines", [code, language, style, _fingerprint()],
                                   lambda: {"lines": list(_highlight(code, language, style))})
    lines = stored.get("lines")
    if isinstance(lines, list) and all(isinstance(line, str) for line in lines):
        return tuple(lines)
    return _highlight(code, language, style)  # an entry from who knows where


def pygments_css(style: str) -> str:
    """The colours of Pygments' token classes in ``style`` (only the tokens: handout.css styles the box)."""
    stored = diskcache.cached_json(diskcache.folder("highlight"), "css", [style, _fingerprint()],
                                   lambda: {"css": _css(style)})
    css = stored.get("css")
    return css if isinstance(css, str) else _css(style)


@functools.lru_cache(maxsize=64)
def _highlight(code: str, language: str, style: str) -> tuple[str, ...]:
    from pygments import format as format_tokens
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.token import STANDARD_TYPES, Text
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language, stripnl=False) if language else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return tuple(escape(code, quote=False).split("\n"))
    styled = _styled_tokens(style)

    def shown(token_type: Any) -> Any:
        standard = token_type  # a lexer's own subtype is styled as the standard type above it
        while standard not in STANDARD_TYPES:
            standard = standard.parent
        return token_type if standard in styled else Text

    tokens = ((shown(token_type), value) for token_type, value in lexer.get_tokens(code))
    return tuple(format_tokens(tokens, HtmlFormatter(nowrap=True)).removesuffix("\n").split("\n"))


@functools.lru_cache(maxsize=8)
def _styled_tokens(style: str) -> frozenset[Any]:
    """The token types Pygments' ``style`` sets apart from plain text (an unknown style: all of them)."""
    from pygments.styles import get_style_by_name
    from pygments.token import STANDARD_TYPES
    from pygments.util import ClassNotFound

    try:
        looks = dict(get_style_by_name(style))
    except ClassNotFound:  # the theme check reports it; the code keeps every span meanwhile
        return frozenset(STANDARD_TYPES)
    return frozenset(token for token, look in looks.items() if any(look[key] for key in _TOKEN_LOOKS))


@functools.lru_cache(maxsize=8)
def _css(style: str) -> str:
    from pygments.formatters import HtmlFormatter
    from pygments.util import ClassNotFound

    try:
        formatter = HtmlFormatter(style=style)
    except ClassNotFound:
        raise ThemeError(f"'code.pygments_style' names no Pygments style: '{style}'") from None
    return "\n".join(formatter.get_token_style_defs(".highlight"))


@functools.cache
def _fingerprint() -> str:
    return diskcache.fingerprint(("pygments",), (Path(__file__),))
