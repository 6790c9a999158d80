"""Read a paper's Markdown file from disk into a Document, refusing what is not text.

The dialect itself lives in ``markdown.py``; this module owns the file: where
it really is (inside the repository, even through a symlink), its size, its
encoding (UTF-8, with or without a BOM; CRLF is fine) and, for a handout, the
metadata it inherits from the paper's overview.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import msgspec
from msgspec.structs import replace

from decks import diskcache
from decks.errors import Diagnostic, SourceError
from decks.model import Document, Meta
from decks.project import Paper

MAX_BYTES = 2_000_000


def read_text(path: Path, shown: str) -> str:
    """The file's text; a SourceError naming the line for anything that is not UTF-8 text."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}", shown) from None
    if len(data) > MAX_BYTES:
        size = -(-len(data) // 1000)  # rounded up: one byte too many must not read as the limit itself
        raise SourceError(f"is {size} kB; decks reads Markdown files up to {MAX_BYTES // 1000} kB", shown)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            f"is not UTF-8 (byte 0x{data[error.start]:02X}); save the file as UTF-8", shown, line
        ) from None
    if not text.strip():
        raise SourceError("is empty; start it with a '# Title' heading", shown, 1)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_file(path: Path, root: Path, fallback_title: str, cache: Path | None = None
              ) -> tuple[Document, list[Diagnostic]]:
    """The file's Document and what reading it found; kept in ``cache`` (a folder) when one is given.

    A document read before, with the same text and the same reader, comes back
    from the cache: then not even Python-Markdown is imported.
    """
    shown = path.relative_to(root).as_posix()
    if not path.resolve().is_relative_to(root.resolve()):  # a symlink: its target could be anyone's file
        raise SourceError("leads outside the repository through a symlink; decks reads only files inside it", shown)
    text = read_text(path, shown)
    stored = diskcache.cached_json(cache, "document", [text, shown, fallback_title, _reader_fingerprint()],
                                   lambda: _read(text, shown, fallback_title))
    try:
        return _from_stored(stored, shown)
    except (KeyError, TypeError, ValueError):  # an entry from who knows where: read afresh
        return _from_stored(_read(text, shown, fallback_title), shown)


def _read(text: str, shown: str, fallback_title: str) -> dict[str, Any]:
    """The Document as JSON data, or the SourceError's message and line: a refusal is worth keeping too."""
    from decks.markdown import read_document

    try:
        document, diagnostics = read_document(text, shown, fallback_title)
    except SourceError as error:
        return {"error": [error.message, error.line]}
    return {"document": msgspec.to_builtins(document), "diagnostics": msgspec.to_builtins(diagnostics)}


def _from_stored(stored: dict[str, Any], shown: str) -> tuple[Document, list[Diagnostic]]:
    if "error" in stored:
        message, line = stored["error"]
        raise SourceError(str(message), shown, int(line))
    return msgspec.convert(stored["document"], Document), msgspec.convert(stored["diagnostics"], list[Diagnostic])


@functools.cache
def _reader_fingerprint() -> str:
    """What a read document depends on besides its text: the reader's code and its libraries' versions."""
    return diskcache.fingerprint(("markdown", "pymdown-extensions", "PyYAML", "pygments"),
                                 sorted(Path(__file__).parent.glob("*.py")))


def read_paper_document(paper: Paper, kind: str, root: Path, cache: Path | None = None
                        ) -> tuple[Document, list[Diagnostic]]:
    """The Document for a paper's deck (its overview) or handout (its notes); ``cache`` as for read_file.

    A handout takes the overview's metadata (front matter) as its base: notes.md
    only needs front matter for what it wants to say differently.
    """
    fallback = paper.name.replace("-", " ").replace("_", " ").strip().title()
    if kind == "deck":
        return read_file(paper.overview, root, fallback, cache)
    notes, diagnostics = read_file(paper.notes, root, fallback, cache)
    if paper.overview.is_file():
        try:
            overview, _ = read_file(paper.overview, root, fallback, cache)
        except SourceError:
            return notes, diagnostics  # the deck's own build reports the overview's problem
        notes = replace(notes, meta=_merged(overview.meta, notes.meta))
    return notes, diagnostics


def _merged(base: Meta, own: Meta) -> Meta:
    """``own``'s values where it has them, ``base``'s elsewhere."""
    defaults = Meta(title="")
    values = {
        f.name: getattr(own, f.name) if getattr(own, f.name) != getattr(defaults, f.name) else getattr(base, f.name)
        for f in msgspec.structs.fields(Meta)
    }
    return Meta(**values)
