"""Turn a Document into the handout PDF: HTML from ``html.py``, laid out by WeasyPrint.

WeasyPrint is imported only when a handout is written (by ``engine``, which also
makes it quicker at what cost our handouts most), and its expensive set-up (the
font configuration, the parsed theme stylesheet) is made once per process and
reused for every handout of the same theme. Its log messages are caught and
returned as Diagnostics; it never prints. The same input gives the same bytes:
the dates come from ``timestamp``, and the PDF has no identifier (``/ID`` is
optional; pydyf would serialise and compress the whole PDF a second time to
hash it, a twentieth of the handout's time).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from decks import diskcache
from decks.errors import Diagnostic, shown_path
from decks.handout.html import render_document, root_properties, stylesheet_path
from decks.model import Document
from decks.resources import images
from decks.themes import Theme

# WeasyPrint's notices about the machine rather than the notes: the PDF is the same
# either way. (Installing libharfbuzz-subset0 makes font subsetting faster.)
_MACHINE_NOTICES = ("Using fontTools instead of HarfBuzz-Subset",)
# Layouts tried with the footnotes WeasyPrint lost set inline, before setting all of them inline.
_LAYOUT_ATTEMPTS = 3
_RENDER_OPTIONS: dict[str, Any] = {"pdf_tags": True, "presentational_hints": True}
_ALLOCATIONS_BETWEEN_COLLECTIONS = 100_000  # Python's default is 700; see _fewer_collections


def write_handout(
    document: Document,
    theme: Theme,
    out: Path,
    *,
    repo_root: Path,
    html_out: Path,
    group: str,
    allow_remote: bool,
    timestamp: int,
) -> list[Diagnostic]:
    """Write the handout's HTML to ``html_out`` (for previewing) and its PDF to ``out``."""
    with _fewer_collections():
        return _write_handout(document, theme, out, repo_root, html_out, group, allow_remote, timestamp)


def _write_handout(
    document: Document, theme: Theme, out: Path, repo_root: Path, html_out: Path, group: str, allow_remote: bool,
    timestamp: int,
) -> list[Diagnostic]:
    from decks.handout import engine

    engine.load()  # first: it imports WeasyPrint, which the next import needs
    from decks.handout.footnotes import footnote_numbers

    base_dir = (repo_root / document.source).parent if document.source else repo_root
    css_path = stylesheet_path(theme)
    fonts, stylesheet, theme_diagnostics = _stylesheet(css_path, theme, repo_root)
    lines = {image.src: image.line for image in images(document)}  # where a web image that fails is named

    def lay_out(inline_notes: frozenset[int]) -> _Layout:
        html, diagnostics = render_document(
            document, theme, group=group, base_dir=base_dir, repo_root=repo_root,
            allow_remote=allow_remote, timestamp=timestamp, inline_notes=inline_notes,
        )
        return _lay_out(
            html, css_path, fonts, stylesheet, base_dir, repo_root, document.source, allow_remote, diagnostics,
            lines,
        )

    inline: frozenset[int] = frozenset()
    with _remembered_pages(document.source, css_path):
        for _ in range(_LAYOUT_ATTEMPTS):
            layout = lay_out(inline)
            called, printed = footnote_numbers(layout.pages)
            if called <= printed:
                break
            inline |= called - printed
        else:
            layout = lay_out(inline | called)
    html_out.write_text(layout.html, encoding="utf-8")
    with _weasyprint_log() as records, _source_date_epoch(timestamp), engine.fast_compression():
        layout.pages.write_pdf(out, **_RENDER_OPTIONS)
    fetcher = layout.fetcher  # it also served what was only drawn, such as images inside an SVG
    logged = _logged([*layout.records, *records], document.source, fetcher.refused)
    return [*theme_diagnostics, *layout.diagnostics, *fetcher.diagnostics, *logged]


@dataclass
class _Layout:
    html: str
    pages: Any  # weasyprint.document.Document
    diagnostics: list[Diagnostic]  # the HTML writer's
    fetcher: Any  # decks.handout.fetch.RepositoryFetcher
    records: list[logging.LogRecord]


def _lay_out(
    html: str, css_path: Path, fonts: Any, stylesheet: Any, base_dir: Path, repo_root: Path, source: str,
    allow_remote: bool, diagnostics: list[Diagnostic], lines: dict[str, int],
) -> _Layout:
    """Lay out ``html`` with the theme's stylesheet (``css_path``, parsed), keeping what WeasyPrint said about it."""
    from weasyprint import HTML

    from decks.handout.fetch import RepositoryFetcher, portable, short_data_addresses

    markup, data = short_data_addresses(portable(_without_link(html, css_path), repo_root))
    fetcher = RepositoryFetcher(repo_root, source, allow_remote=allow_remote, lines=lines, data=data)
    base_url = portable(base_dir.resolve().as_uri() + "/", repo_root)
    with _weasyprint_log() as records:
        pages = HTML(string=markup, base_url=base_url, url_fetcher=fetcher).render(
            font_config=fonts, stylesheets=[stylesheet], **_RENDER_OPTIONS
        )
    return _Layout(html, pages, diagnostics, fetcher, records)


def _without_link(html: str, css_path: Path) -> str:
    """``html`` without its ``<link>`` to the theme's stylesheet, which WeasyPrint is handed already parsed.

    The written HTML keeps the link, so that a browser, or WeasyPrint run on the
    file alone, shows the same handout.
    """
    href = re.escape(css_path.as_uri())  # percent-encoded: nothing in it for HTML to escape
    return re.sub(rf'<link\b[^>]*\bhref="{href}"[^>]*>\n?', "", html, count=1)


def _stylesheet(css_path: Path, theme: Theme, repo_root: Path) -> tuple[Any, Any, tuple[Diagnostic, ...]]:
    """The process's font configuration and the theme's parsed stylesheet, with its problems.

    Cached by the content of every stylesheet along the theme's chain, since a
    child's ``handout.css`` may ``@import`` its parent's: a change to either
    (say, during ``decks watch``) parses again.
    """
    chain = tuple(path.read_text(encoding="utf-8") for path in theme.files() if path.suffix == ".css")
    values = tuple(root_properties(theme).items())
    return _parsed(css_path, css_path.read_text(encoding="utf-8"), chain, values, repo_root)


@lru_cache(maxsize=8)
def _parsed(css_path: Path, text: str, chain: tuple[str, ...], values: tuple[tuple[str, str], ...], repo_root: Path,
            ) -> tuple[Any, Any, tuple[Diagnostic, ...]]:
    """Parsed once per stylesheet content and theme values: parsing and font set-up cost more than a short handout.

    The theme's values are written in where the stylesheets read them (``theme_values``).
    """
    from weasyprint import CSS

    from decks.handout.theme_values import ValuesFetcher, with_values

    def write(css: str) -> str:
        return with_values(css, dict(values), chain)

    shown = shown_path(css_path, repo_root)
    fetcher = ValuesFetcher(repo_root, shown, allow_remote=False, write=write)
    fonts = _fonts()
    with _weasyprint_log() as records:
        css = CSS(string=write(text), base_url=css_path.as_uri(), url_fetcher=fetcher, font_config=fonts)
    return fonts, css, (*fetcher.diagnostics, *_logged(records, shown, fetcher.refused))


@lru_cache(maxsize=1)
def _fonts() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _logged(records: list[logging.LogRecord], source: str, refused: list[str]) -> list[Diagnostic]:
    """WeasyPrint's messages as Diagnostics, one of each, minus what is already reported or not about the notes."""
    messages = dict.fromkeys(
        record.getMessage()
        for record in records
        if not any(url in str(record.args) for url in refused)
        and not record.getMessage().startswith(_MACHINE_NOTICES)
    )
    return [Diagnostic(source, 0, f"WeasyPrint: {message}") for message in messages]


@contextmanager
def _remembered_pages(source: str, css_path: Path) -> Iterator[None]:
    """Layouts in the block start from the pages its links' headings had at the last build (kept in build/cache).

    Only a first guess (see ``page_references``): a stale or missing entry costs
    layouts, never a different PDF.
    """
    from decks.handout import page_references  # imports WeasyPrint: loaded by then

    folder = diskcache.folder("pages")
    entry = diskcache.entry_path(folder, diskcache.digest(source, css_path.as_posix())) if folder else None
    stored = diskcache.read_json(entry) if entry else None
    before = stored if isinstance(stored, dict) else {}
    with page_references.remembering(dict(before)) as pages:
        yield
    if entry and pages != before:
        diskcache.write_atomically(entry, json.dumps(pages, sort_keys=True).encode())


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's garbage collector run less often while the block runs.

    WeasyPrint allocates millions of objects and keeps most of them until the PDF
    is written: at the default threshold the collector walks them again and again,
    a tenth of a handout's time. The few cycles it leaves are collected later, for a
    few MiB more at the peak.
    """
    previous = gc.get_threshold()
    gc.set_threshold(_ALLOCATIONS_BETWEEN_COLLECTIONS, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextmanager
def _source_date_epoch(timestamp: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set while the block runs: fontTools stamps the emoji font it rewrites with it."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(timestamp)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


@contextmanager
def _weasyprint_log() -> Iterator[list[logging.LogRecord]]:
    """WeasyPrint's warnings and errors while the block runs, kept from every other handler.

    fontTools (which WeasyPrint uses on fonts) is silenced too: its messages are
    about font files, never about the notes.
    """
    records: list[logging.LogRecord] = []
    loggers = {"weasyprint": _Collector(records), "fontTools": _Collector([])}
    saved = {name: logging.getLogger(name).propagate for name in loggers}
    for name, handler in loggers.items():
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).propagate = False
    try:
        yield records
    finally:
        for name, handler in loggers.items():
            logging.getLogger(name).removeHandler(handler)
            logging.getLogger(name).propagate = saved[name]


class _Collector(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(level=logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
