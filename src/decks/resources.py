"""Where a reference written in Markdown points, and whether decks may read it.

Safe by default: a reference may name a file inside the repository, nothing
else. ``../../secret``, absolute paths, ``file:`` URLs outside the repository and
symlinks that lead out of it are all refused; remote URLs only with
``--allow-remote`` (handled by the writers that fetch).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from decks.model import Document, Figure, Image


def is_remote(ref: str) -> bool:
    return urlsplit(ref).scheme in ("http", "https")


def resolve_local(ref: str, base_dir: Path, repo_root: Path) -> Path | None:
    """The file inside ``repo_root`` that ``ref`` names, or None when it points elsewhere.

    ``ref`` is relative to ``base_dir`` (the Markdown file's folder) or a ``file:`` URL.
    The file need not exist; callers report a missing file themselves.
    """
    parts = urlsplit(ref)
    if parts.scheme == "file":
        candidate = Path(unquote(parts.path))
    elif parts.scheme or parts.netloc or ref.startswith(("/", "\\")):
        return None
    else:
        candidate = base_dir / unquote(parts.path)
    resolved = candidate.resolve()
    root = repo_root.resolve()
    return resolved if resolved.is_relative_to(root) else None


def images(document: Document) -> list[Image]:
    """Every image the document shows, in order, wherever it is nested."""
    found: list[Image] = []
    _collect(document.blocks, found)
    for footnote in document.footnotes:
        _collect(footnote.blocks, found)
    return found


def _collect(node: object, found: list[Image]) -> None:
    if isinstance(node, Image):
        found.append(node)
    elif isinstance(node, Figure):
        found.append(node.image)
    elif isinstance(node, tuple | list):
        for child in node:
            _collect(child, found)
    elif hasattr(node, "__dataclass_fields__"):
        for name in node.__dataclass_fields__:
            value = getattr(node, name)
            if isinstance(value, tuple | list | Image) or hasattr(value, "__dataclass_fields__"):
                _collect(value, found)

