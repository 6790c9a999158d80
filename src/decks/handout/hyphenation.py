"""Hyphenation for WeasyPrint: patterns kept parsed in ``build/cache/hyphenation``, and fewer tries at width 0.

WeasyPrint hyphenates through pyphen, which parses a language's ``hyph_*.dic``
(about 10,000 patterns for English) the first time a process hyphenates: 0.13
to 0.17 s, paid by every handout process, a twelfth of a short handout. The
patterns parsed once are kept as JSON under the file's path, size and
modification time and pyphen's version, and handed to pyphen through its own
cache of parsed files (``pyphen.hdcache``); the patterns, so the hyphens, are
the ones pyphen parses. A file with non-standard hyphenation (``ff=f``
alternatives, none in the languages' usual dictionaries) is not kept.

Measuring how narrow a table's column can be, WeasyPrint splits each word's
text at width 0 and tries every way pyphen hyphenates the word, longest first,
each with a Pango layout of its own. At width 0 none but the last can be
taken (each is wider than nothing), and when none is taken WeasyPrint uses
the last all the same; ``shortest_only`` has the dictionaries offer only that
one while such a line is split (a fiftieth of the Attention handout).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from decks import diskcache

_FIELDS = ["cache", "maxlen", "patterns"]  # what pyphen's HyphDict holds; one holding more is not kept


def install() -> None:
    """Have pyphen take parsed patterns from the cache (once per process; WeasyPrint loaded)."""
    import pyphen

    if not isinstance(pyphen.hdcache, _KeptDictionaries):
        pyphen.hdcache = _KeptDictionaries(pyphen.hdcache)


class _KeptDictionaries(dict):
    """pyphen's parsed dictionaries by path: asked whether it has one, it looks in the cache; given one, keeps it."""

    def __contains__(self, path: object) -> bool:
        if super().__contains__(path):
            return True
        kept = _read(path) if isinstance(path, Path) else None
        if kept is not None:
            super().__setitem__(path, kept)
        return kept is not None

    def __setitem__(self, path: Any, dictionary: Any) -> None:
        super().__setitem__(path, dictionary)
        if isinstance(path, Path):
            _write(path, dictionary)


@contextmanager
def shortest_only(context: Any) -> Iterator[None]:
    """While the block runs, the hyphenation dictionaries of ``context`` (a layout) give only a word's shortest part.

    For splits at width 0 or less: there only the last way to hyphenate a word
    can be taken, and it is the one taken when none fits, so the line comes out
    as it would with every way tried.
    """
    kept = context.dictionaries
    context.dictionaries = _ShortestOnly(kept)
    try:
        yield
    finally:
        context.dictionaries = kept


class _ShortestOnly:
    """A layout's dictionaries (language and limits -> pyphen) as WeasyPrint asks for them, each giving one way."""

    def __init__(self, dictionaries: dict[Any, Any]) -> None:
        self.dictionaries = dictionaries

    def get(self, key: Any) -> Any:
        dictionary = self.dictionaries.get(key)
        return None if dictionary is None else _ShortestPart(dictionary)

    def __setitem__(self, key: Any, dictionary: Any) -> None:
        self.dictionaries[key] = dictionary


class _ShortestPart:
    def __init__(self, dictionary: Any) -> None:
        self.dictionary = dictionary

    def iterate(self, word: str) -> list[tuple[str, str]]:
        """pyphen's ways to hyphenate ``word``, longest first, as the last alone."""
        return list(self.dictionary.iterate(word))[-1:]


@functools.cache
def _code() -> str:
    return diskcache.fingerprint(("pyphen",), [Path(__file__)])


def _entry(path: Path) -> Path | None:
    import pyphen

    return diskcache.file_entry("hyphenation", path, pyphen.__version__, _code())


def _read(path: Path) -> Any:
    """The parsed dictionary kept for ``path``, as pyphen's own; None when there is none or it is damaged."""
    import pyphen

    entry = _entry(path)
    stored = diskcache.read_json(entry) if entry else None
    try:
        patterns = {key: (start, tuple(values)) for key, (start, values) in stored["patterns"].items()}
        whole = type(stored["maxlen"]) is int and all(
            type(start) is int and all(type(value) is int for value in values) for start, values in patterns.values())
    except (TypeError, KeyError, ValueError, AttributeError):
        return None
    if not whole:  # valid JSON, not patterns: hyphenating with it would fail in the middle of a layout
        return None
    dictionary = pyphen.HyphDict.__new__(pyphen.HyphDict)  # its fields, without parsing the file
    dictionary.patterns, dictionary.cache, dictionary.maxlen = patterns, {}, stored["maxlen"]
    return dictionary


def _write(path: Path, dictionary: Any) -> None:
    entry = _entry(path)
    patterns = getattr(dictionary, "patterns", None)
    if entry is None or not isinstance(patterns, dict) or sorted(vars(dictionary)) != _FIELDS:
        return
    if any(type(value) is not int for _, values in patterns.values() for value in values):
        return  # non-standard hyphenation: its values carry data JSON cannot keep
    diskcache.write_json(entry, {"patterns": patterns, "maxlen": dictionary.maxlen})
