"""Entries in ``build/cache``: results kept under a hash of everything they depend on.

Typeset formulas, read Markdown documents, font coverage, fetched web files, deck plans,
template skeletons, hyphenation patterns, WeasyPrint's C declarations and handouts' page
numbers all live there, each kind in a folder of its own. An entry is one file named by
the SHA-256 of its key, written through a temporary file renamed into place, so a reader never
sees half an entry, and trusted only when it parses. Results that are many and small
and made for one output (a paper's formulas) are kept together instead, one file per
output (``bundle``). A cache costs time when it cannot be read or written, never a
build: those errors are ignored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def keep_in(root: Path | None) -> None:
    """Keep results under ``root`` (the build's ``build/cache``), each kind in its folder; None keeps nothing.

    Set by the build for the process, and read by the modules whose results are
    kept (formulas, fonts, web files, deck plans, ...) when they need their folder:
    setting it imports none of them.
    """
    global _root
    _root = Path(root) if root is not None else None


def folder(kind: str) -> Path | None:
    """Where results of ``kind`` are kept ("equations", "fonts", ...); None while nothing is kept on disk."""
    return _root / kind if _root is not None else None


_root: Path | None = None
_output: str | None = None  # the output whose bundles are open (``bundled``)
_bundles: dict[str, Bundle] = {}  # kind -> the open bundle of that kind


def digest(*parts: object) -> str:
    """The SHA-256 of ``parts`` (anything JSON can write), as hex: an entry's name."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def fingerprint(distributions: Iterable[str], files: Iterable[Path]) -> str:
    """What cached results depend on besides their arguments: these libraries' versions and this code."""
    installed = _installed()
    versions = [installed.get(_normalised(name), "") for name in distributions]
    return digest(versions, [_file_digest(path) for path in files])


@functools.cache
def _file_digest(path: Path) -> str:
    """A source file's SHA-256, once per process: several caches' fingerprints name the same files."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_state(path: str | Path) -> list[int]:
    """A file's size and modification time (ns), which change when it does; [] when it is gone.

    Kept in an entry that names a file (a font), and compared on reading.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns]


def file_entry(kind: str, path: Path, *key: object, suffix: str = ".json") -> Path | None:
    """Where a result made from the file at ``path`` is kept: keyed by its path, its state and ``key``.

    None while nothing is kept on disk, or when the file cannot be read.
    """
    folder_of_kind, state = folder(kind), file_state(path)
    if folder_of_kind is None or not state:
        return None
    return entry_path(folder_of_kind, digest(str(path), state, *key), suffix)


@functools.cache
def decks_sources() -> tuple[Path, ...]:
    """Every module of decks, for the results any of its code may shape (deck plans, template skeletons)."""
    return tuple(sorted(Path(__file__).parent.rglob("*.py")))


def font_folders() -> list[list[object]]:
    """fontconfig's cache folders and when each last changed: part of the key of anything measured in fonts.

    Installing or removing a font changes them.
    """
    user_cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    folders = []
    for folder in ("/var/cache/fontconfig", os.path.join(user_cache, "fontconfig")):
        try:
            folders.append([folder, os.stat(folder).st_mtime_ns])
        except OSError:
            continue
    return folders


@functools.cache
def _installed() -> dict[str, str]:
    """The version of every distribution on ``sys.path``, by normalised name, the first found winning.

    Read off the names of their ``.dist-info`` folders (``name-version.dist-info``,
    as installers must write them; older ``.egg-info`` ones alike), as importlib.metadata finds them, without its
    cost: importing it and asking for a few versions took a decks run 20 to 60 ms.
    """
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # a zip file on the path, or a folder that is gone
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):  # name-version.dist-info, name-version-py3.x.egg-info
                distribution, _, version = name.rpartition(".")[0].partition("-")
                versions.setdefault(_normalised(distribution), version.partition("-")[0])
    return versions


def _normalised(name: str) -> str:
    """A distribution's name as packaging compares them: 'Python_PPTX' and 'python-pptx' are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def entry_path(folder: Path, key: str, suffix: str = ".json") -> Path:
    """Where the entry ``key`` lives: two-letter subfolders keep any one folder small."""
    return folder / key[:2] / f"{key}{suffix}"


def read_json(path: Path) -> Any:
    """The JSON value stored at ``path``; None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: nesting deeper than any entry of ours
        return None


def write_json(path: Path, value: Any) -> None:
    write_atomically(path, json.dumps(value, ensure_ascii=False).encode())


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` whole or not at all; failures are ignored (see the module's docstring)."""
    import tempfile  # only here: a build that finds everything in the cache never loads it

    temporary = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def cached_json(folder: Path | None, kind: str, key: object, compute: Callable[[], dict[str, Any]],
                trust: Callable[[dict[str, Any]], bool] = lambda stored: True,
                keep: Callable[[], bool] = lambda: True) -> dict[str, Any]:
    """``compute()``'s mapping, read from ``folder`` when an entry of ``kind`` holds it, kept there when not.

    ``kind`` is stored in the entry and checked on reading, so two kinds of result
    can never be mistaken for each other; ``trust`` may refuse an entry the key
    cannot tell is stale (a file it names has changed): it is then computed and
    kept again. ``keep``, asked after computing, may say the key no longer
    describes what was computed (a file changed meanwhile): it is then not kept.
    ``folder`` None keeps nothing.
    """
    if folder is None:
        return compute()
    path = entry_path(folder, digest(kind, key))
    stored = read_json(path)
    if isinstance(stored, dict) and stored.pop("_", None) == kind and _trusted(trust, stored):
        return stored
    data = compute()
    if keep():
        write_json(path, {"_": kind, **data})
    return data


def _trusted(trust: Callable[[dict[str, Any]], bool], stored: dict[str, Any]) -> bool:
    try:
        return trust(stored)
    except Exception:  # an entry of the right kind but the wrong shape: a cache never fails a build
        return False


class Bundle:
    """One output's results of one kind, read from one file and written back as one file.

    It holds what the output used at its last build: a result it no longer uses
    is dropped when it is written again, so a bundle never outgrows one build's.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        stored = read_json(path)
        self.stored: dict[str, Any] = stored if isinstance(stored, dict) else {}
        self.used: dict[str, Any] = {}

    def find(self, key: str) -> Any:
        """The result kept under ``key`` at the last build, None when there is none."""
        return self.stored.get(key)

    def keep(self, key: str, value: Any) -> None:
        """``value`` was used under ``key`` in this build: it is written with the bundle."""
        self.used[key] = value

    def save(self) -> None:
        if self.used != self.stored:
            write_json(self.path, self.used)


@contextmanager
def bundled(output: str) -> Iterator[None]:
    """Results kept in bundles (``bundle``) while the block builds ``output`` go to its bundles, written at its end.

    A paper holds a hundred formulas or more, each typeset at a size or two: a
    file for each took a first build of distinct papers a twentieth of its time
    in creating files alone. The bundles are written only when the block ends
    without an error.
    """
    global _output, _bundles
    saved = _output, _bundles
    _output, _bundles = output, {}
    try:
        yield
        for opened in _bundles.values():
            opened.save()
    finally:
        _output, _bundles = saved


def bundle(kind: str, version: str) -> Bundle | None:
    """The bundle of ``kind`` results (made by code at ``version``) of the output being built; None outside ``bundled``.

    None too while nothing is kept on disk (``keep_in``).
    """
    if _output is None or _root is None:
        return None
    if kind not in _bundles:
        _bundles[kind] = Bundle(entry_path(_root / kind, digest("bundle", _output, version)))
    return _bundles[kind]
