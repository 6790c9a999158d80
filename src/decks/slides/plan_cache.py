"""Fitted deck plans kept in ``build/cache/plans``: a deck whose inputs did not change is only rendered.

Planning measures every line of text in the real fonts, reads every picture and
typesets every formula, and needs the modules that do so: over half of a deck's
own time. What it gives (the plan, the pictures and formula images the plan
names, the diagnostics) depends only on the document, the theme's values (a
template's fonts and size included), the picture files, the fonts, and decks'
code and libraries, so it is kept under a hash of those (see decks.diskcache).

Fonts are checked as the font cache checks them: an entry is trusted while each
font file it was measured with keeps its size and modification time, and the key
holds fontconfig's cache folders, which change when a font is installed. A build
that may fetch from the web plans afresh: a web image can change at the same address.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path, PurePosixPath
from typing import Any

import msgspec

from decks import diskcache
from decks.errors import Diagnostic
from decks.model import Document
from decks.resources import images, is_remote, resolve_local
from decks.slides.shapes import DeckPlan
from decks.themes import Theme

Blobs = dict[str, tuple[bytes, str]]  # a plan's key for a picture or formula -> its bytes and file extension
_DISTRIBUTIONS = ("Pillow", "fonttools", "latex2mathml", "ziamath", "ziafont", "cairosvg", "lxml", "pygments")


def planned(document: Document, theme: Theme, *, repo_root: Path, allow_remote: bool
            ) -> tuple[DeckPlan, Blobs, list[Diagnostic]]:
    """The fitted plan of ``document``, the pictures it names and what had to be worked around.

    From the cache when it holds them, else planned now and kept there (while
    ``diskcache.keep_in`` has set a folder). ``theme`` is the theme as its
    template changes it (``template.with_template``).
    """
    cache = diskcache.folder("plans")
    if cache is None or allow_remote:
        return _plan_now(document, theme, repo_root, allow_remote)
    pictures = _pictures(document, repo_root)
    try:
        key = diskcache.digest(msgspec.to_builtins(document), theme.values, pictures, diskcache.font_folders(), _code())
    except (TypeError, ValueError):  # a theme value JSON cannot write (a TOML date): nothing to key it by
        return _plan_now(document, theme, repo_root, allow_remote)
    fresh: list[tuple[DeckPlan, Blobs, list[Diagnostic]]] = []  # what compute planned: never planned twice

    def compute() -> dict[str, Any]:
        fresh.append(_plan_now(document, theme, repo_root, allow_remote))
        return _stored(*fresh[0], cache)

    def unchanged() -> bool:  # a picture saved while the deck was planned: the key describes the old one
        return _pictures(document, repo_root) == pictures

    stored = diskcache.cached_json(cache, "plan", key, compute, trust=functools.partial(_trusted, cache),
                                   keep=unchanged)
    if fresh:
        return fresh[0]
    try:
        return _loaded(stored, cache)
    except Exception:  # an entry damaged in a way the trust check cannot see: a cache never fails a build
        return _plan_now(document, theme, repo_root, allow_remote)


def _plan_now(document: Document, theme: Theme, repo_root: Path, allow_remote: bool
              ) -> tuple[DeckPlan, Blobs, list[Diagnostic]]:
    from decks.slides.check import plan_document  # the planner, the fonts and the typesetter: only here

    plan, measure, diagnostics = plan_document(document, theme, repo_root=repo_root, allow_remote=allow_remote)
    return plan, {**measure.equations.data, **measure.pictures.data}, diagnostics


def _stored(plan: DeckPlan, blobs: Blobs, diagnostics: list[Diagnostic], cache: Path) -> dict[str, Any]:
    """The entry for a plan: the plan and diagnostics as data, each blob as a file of its own named by its hash."""
    from decks.slides import metrics

    names = {}
    for key, (data, extension) in blobs.items():
        name = hashlib.sha256(data).hexdigest()
        path = _blob_path(cache, name, extension)
        if diskcache.file_state(path)[:1] != [len(data)]:  # missing, or a torn copy: written again
            diskcache.write_atomically(path, data)
        names[key] = [name, extension, len(data)]
    return {"plan": msgspec.to_builtins(plan), "blobs": names, "diagnostics": msgspec.to_builtins(diagnostics),
            "fonts": metrics.font_files()}


def _loaded(stored: dict[str, Any], cache: Path) -> tuple[DeckPlan, Blobs, list[Diagnostic]]:
    plan = msgspec.convert(stored["plan"], DeckPlan)
    diagnostics = msgspec.convert(stored["diagnostics"], list[Diagnostic])
    blobs = {}
    for key, (name, extension, _) in stored["blobs"].items():
        data = _blob_path(cache, name, extension).read_bytes()
        if hashlib.sha256(data).hexdigest() != name:
            raise ValueError(f"damaged picture in the cache: {name}")
        blobs[key] = (data, extension)
    return plan, blobs, diagnostics


def _blob_path(cache: Path, name: str, extension: str) -> Path:
    return diskcache.entry_path(cache / "pictures", name, f".{extension}")


def _trusted(cache: Path, stored: dict[str, Any]) -> bool:
    """Every font file the plan was measured with is unchanged (size, modification time), and every picture kept.

    A picture file missing or of the wrong size (torn by a crash) has the entry
    planned and kept again; one of the right size but the wrong content is
    caught by its hash when it is read.
    """
    fonts = all(diskcache.file_state(path) == state for path, state in stored["fonts"].items())
    return fonts and all(diskcache.file_state(_blob_path(cache, name, extension))[:1] == [size]
                         for name, extension, size in stored["blobs"].values())


def _pictures(document: Document, repo_root: Path) -> list[list[str]]:
    """Each picture the document names, with the hash of its file, or why it has none."""
    base = (repo_root / PurePosixPath(document.source)).parent  # as decks.slides.metrics.Pictures resolves them
    return [[image.src, _picture_state(image.src, base, repo_root)] for image in images(document)]


def _picture_state(src: str, base: Path, repo_root: Path) -> str:
    if is_remote(src):
        return "web"  # a placeholder: a build that fetches is never kept
    path = resolve_local(src, base, repo_root)
    if path is None:
        return "outside"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"
    except OSError as error:  # unreadable, or a folder: the planner says why
        return f"unreadable: {error.strerror}"


@functools.cache
def _code() -> str:
    """decks' own code and the versions of the libraries planning uses."""
    return diskcache.fingerprint(_DISTRIBUTIONS, diskcache.decks_sources())
