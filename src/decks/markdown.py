"""The one Markdown dialect of decks: GitHub-flavoured Markdown with YAML front matter, read into the model.

``read_document`` turns the text of a Markdown file into a Document and the
diagnostics met on the way; ``render_html`` gives the dialect's HTML, to compare
with GitHub's. Python-Markdown with pymdown-extensions does the parsing
(``gfm_extension``), after a pre-pass that makes it read lists, fences, math and
``<details>`` as GitHub does (``gfm_prepass``); ``markdown_tree`` turns its
element tree into model blocks with their source lines.
"""

from __future__ import annotations

import datetime
import difflib
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import yaml
from msgspec.structs import replace

from decks.errors import Diagnostic, SourceError
from decks.gfm_extension import Converted, Dialect
from decks.gfm_prepass import Prepassed, prepass
from decks.markdown_tree import NOT_TEXT, TreeReader
from decks.model import Block, Document, Footnote, Heading, Meta, Paragraph, plain_text
from decks.resources import split_url

SUBTITLE_LIMIT = 160  # characters: a longer paragraph under the title is text, not a subtitle

_FRONT_MATTER = re.compile(r"---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TEXT_KEYS = ("title", "subtitle", "year", "venue", "url", "presenter", "date", "theme", "short_title", "language")
_LIST_KEYS = ("authors", "keywords")
_LINK_SCHEMES = ("", "http", "https", "mailto")  # what a paper's url may be: a link anyone may follow
# Python-Markdown's time grows with the square of these; past the limits a file would take minutes.
_MAX_BRACKETS = 300  # '[' in one paragraph: each starts a search for its link (8,000 take 10 s)
_MAX_CITATIONS = 100  # references to one footnote: each is numbered against the others (8,000 take 37 s)
_FENCE_MARK = re.compile(r"[ >]*(`{3,}|~{3,})")
_BRACKET = re.compile(r"(?<!\\)\[")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_local = threading.local()


def render_html(text: str) -> str:
    """The dialect's HTML for Markdown ``text`` (front matter left out), as GitHub would show it."""
    body, _ = _split_front_matter(_normalise(text))
    return _convert(prepass(body).text, "").html


def read_document(text: str, source: str, fallback_title: str = "") -> tuple[Document, list[Diagnostic]]:
    """Read Markdown ``text`` into a Document; ``source`` is the path that messages name.

    The title comes from the front matter, else from the first ``#`` heading
    (which stays in the blocks, its line in ``Document.title_line``), else from
    ``fallback_title`` (the paper folder's name). A short paragraph right under
    that first heading is the subtitle when the front matter gives none: it then
    leaves the blocks, so that no writer shows it twice.

    Raises SourceError for front matter that is not valid YAML or not a mapping.
    """
    text, diagnostics = _without_control_characters(_normalise(text), source)
    body, front = _split_front_matter(text)
    fields = _front_matter_fields(front, source) if front is not None else {}
    _check_shapes(fields, front or "", source)
    offset = text[: len(text) - len(body)].count("\n")
    blocks, footnotes = _read_blocks(body, source, offset, diagnostics)
    diagnostics.extend(_misspelt_keys(fields, front or "", source))
    diagnostics.extend(_unsafe_url(fields, front or "", source))
    meta, blocks, title_line = _meta(fields, blocks, fallback_title)
    if meta.theme:
        meta = replace(meta, theme_at=(source, _key_line(front or "", "theme")))
    return Document(meta, blocks, footnotes, source, title_line), sorted(diagnostics, key=lambda found: found.line)


# ---------------------------------------------------------------- parsing


def _dialect() -> Dialect:
    """One Markdown instance per thread, built on first use and reset for every document."""
    dialect = getattr(_local, "dialect", None)
    if dialect is None:
        dialect = _local.dialect = Dialect()
    return dialect


def _convert(text: str, source: str) -> Converted:
    try:
        return _dialect().convert(text)
    except RecursionError:
        _local.dialect = None  # a half-finished conversion may leave the instance in any state
        raise SourceError("the Markdown is nested too deeply to read", source) from None


def _read_blocks(
    body: str, source: str, offset: int, diagnostics: list[Diagnostic]
) -> tuple[tuple[Block, ...], tuple[Footnote, ...]]:
    """Blocks and footnotes of Markdown ``body`` whose first line is line ``offset + 1`` of the file."""
    passed = prepass(body)
    _refuse_slow_text(passed, source, offset)
    converted = _convert(passed.text, source)
    diagnostics.extend(Diagnostic(source, offset + line + 1, message) for line, message in passed.problems)

    def read_notes(markdown: str, notes_offset: int) -> tuple[Block, ...]:
        return _read_blocks(markdown, source, notes_offset, diagnostics)[0]

    reader = TreeReader(converted.stash, passed, offset, source, read_notes)
    blocks, footnotes = reader.read(converted.tree)
    diagnostics.extend(reader.diagnostics)
    return blocks, footnotes


def _refuse_slow_text(passed: Prepassed, source: str, offset: int) -> None:
    """A SourceError, at the paragraph's line, for text Python-Markdown would take minutes to read.

    Code fences are skipped: their brackets are never searched for links.
    """
    fence = ""
    brackets, start = 0, 0
    citations: Counter[str] = Counter()
    for index, line in enumerate(passed.text.split("\n")):
        mark = _FENCE_MARK.match(line)
        if mark and (not fence or mark.group(1).startswith(fence)):
            fence = "" if fence else mark.group(1)
            continue
        if fence:
            continue
        if not line.strip():
            brackets, start = 0, index + 1
            continue
        brackets += len(_BRACKET.findall(line))
        if brackets > _MAX_BRACKETS:
            raise SourceError(f"this paragraph holds more than {_MAX_BRACKETS} '[', too many to read in time; "
                              "put blank lines between its parts or write a bracket as \\[",
                              source, offset + passed.origins[start] + 1)
        for label in _FOOTNOTE_REF.findall(line):
            citations[label] += 1
            if citations[label] > _MAX_CITATIONS:
                    raise SourceError(f"footnote '[^{label}]' is referenced more than {_MAX_CITATIONS} times; "
                                  "decks reads up to that many references to one footnote",
                                  source, offset + passed.origins[index] + 1)


def _normalise(text: str) -> str:
    """Text as Python-Markdown wants it: no byte-order mark, ``\\n`` line ends only."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _without_control_characters(text: str, source: str) -> tuple[str, list[Diagnostic]]:
    """``text`` with the characters no deck can hold (NUL, form feed, escape ...) as U+FFFD, each line reported."""
    lines = dict.fromkeys(text.count("\n", 0, found.start()) + 1 for found in NOT_TEXT.finditer(text))
    message = "control character replaced with '\ufffd'; delete it or write what was meant"
    return NOT_TEXT.sub("\ufffd", text), [Diagnostic(source, line, message) for line in lines]


def _split_front_matter(text: str) -> tuple[str, str | None]:
    """The Markdown after the front matter, and the front matter's YAML (None when there is none)."""
    found = _FRONT_MATTER.match(text)
    if not found:
        return text, None
    return text[found.end():], found.group("yaml") or ""


# ---------------------------------------------------------------- metadata


def _front_matter_fields(front: str, source: str) -> dict[str, Any]:
    """The front matter's mapping; SourceError names the file line of a YAML mistake."""
    try:
        fields = yaml.safe_load(front)
    except yaml.MarkedYAMLError as error:
        # An unclosed [list], {mapping} or "quote" is reported where it ends; point at where it opened.
        opened = error.context_mark is not None and any(word in (error.context or "") for word in ("flow", "quoted"))
        mark = error.context_mark if opened else error.problem_mark
        line = mark.line + 2 if mark is not None else 1  # +1 for the opening ---, +1 to count from 1
        problem = "; ".join(part for part in (error.context, error.problem) if part)
        raise SourceError(f"front matter is not valid YAML: {problem}", source, line) from None
    except yaml.YAMLError as error:
        raise SourceError(f"front matter is not valid YAML: {error}", source, 1) from None
    if fields is None:
        return {}
    if not isinstance(fields, dict):
        kind = type(fields).__name__
        raise SourceError(f"front matter must be 'key: value' lines, not a {kind}", source, 1)
    return {str(key): value for key, value in fields.items()}


def _misspelt_keys(fields: dict[str, Any], front: str, source: str) -> list[Diagnostic]:
    """Keys that look like a known key misspelt; others (a static site's ``layout:``) are no concern of ours."""
    known = (*_TEXT_KEYS, *_LIST_KEYS)
    found: list[Diagnostic] = []
    for key in fields:
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.75) if key not in known else []
        if close:
            message = f"unknown front matter key '{key}'; did you mean '{close[0]}'?"
            found.append(Diagnostic(source, _key_line(front, key), message))
    return found


def _unsafe_url(fields: dict[str, Any], front: str, source: str) -> list[Diagnostic]:
    """Drop a paper ``url`` that is no web address (``javascript:``, ``file:``): every output makes it a link."""
    url = _as_text(fields.get("url"))
    scheme = split_url(url).scheme.lower()
    if scheme in _LINK_SCHEMES:
        return []
    del fields["url"]
    message = f"front matter 'url' must be a web address (https://...), not '{scheme}:'; it is left out"
    return [Diagnostic(source, _key_line(front, "url"), message)]


def _key_line(front: str, key: str) -> int:
    found = re.search(rf"^{re.escape(key)}\s*:", front, re.M)
    return front[: found.start()].count("\n") + 2 if found else 1


def _as_text(value: Any) -> str:
    """A scalar as the text it was written as: ``2017`` and ``2024-05-01`` stay what they were."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return NOT_TEXT.sub("\ufffd", str(value)).strip()  # YAML writes "\f" as a form feed


def _as_list(value: Any) -> tuple[str, ...]:
    """A list field: a YAML list, or one string (keywords split at commas; an author is one name)."""
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(_as_text(item) for item in value if _as_text(item))
    return (_as_text(value),) if _as_text(value) else ()


def _check_shapes(fields: dict[str, Any], front: str, source: str) -> None:
    """Text keys hold one value, list keys one value or a list; anything else is a SourceError."""
    for key, value in fields.items():
        allowed = (list, tuple) if key in _LIST_KEYS else ()
        if isinstance(value, dict | list | tuple) and not isinstance(value, allowed):
            shape = "a mapping" if isinstance(value, dict) else "a list"
            raise SourceError(f"front matter '{key}' must be one value, not {shape}", source, _key_line(front, key))


@dataclass(frozen=True)
class _Title:
    """Where the title came from: its text, the heading's line, and the heading's position in the blocks."""

    text: str
    line: int = 0
    position: int = -1


def _first_heading(blocks: tuple[Block, ...]) -> _Title:
    for position, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level == 1 and plain_text(block.children).strip():
            return _Title(plain_text(block.children).strip(), block.line, position)
    return _Title("")


def _meta(
    fields: dict[str, Any], blocks: tuple[Block, ...], fallback_title: str
) -> tuple[Meta, tuple[Block, ...], int]:
    """The Meta of a document, its blocks (without a subtitle paragraph taken from them), its title line."""
    values = {key: _as_text(fields.get(key)) for key in _TEXT_KEYS}
    heading = _first_heading(blocks)
    title = values.pop("title") or heading.text or fallback_title
    title_line = 0 if fields.get("title") else heading.line
    if not values["subtitle"] and heading.position >= 0:
        following = blocks[heading.position + 1] if heading.position + 1 < len(blocks) else None
        if isinstance(following, Paragraph) and len(plain_text(following.children)) <= SUBTITLE_LIMIT:
            values["subtitle"] = plain_text(following.children).strip()
            blocks = blocks[: heading.position + 1] + blocks[heading.position + 2 :]
    authors = _as_list(fields.get("authors"))
    keywords = tuple(word.strip() for item in _as_list(fields.get("keywords")) for word in item.split(","))
    keywords = tuple(word for word in keywords if word)
    language = values.pop("language") or "en"
    return Meta(title=title, authors=authors, keywords=keywords, language=language, **values), blocks, title_line
