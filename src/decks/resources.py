"""Where a reference written in Markdown points, and whether decks may read it.

Safe by default: a reference may name a file inside the repository, nothing
else. ``../../secret``, absolute paths, ``file:`` URLs outside the repository and
symlinks that lead out of it are all refused; remote URLs only with
``--allow-remote`` (handled by the writers that fetch).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from decks.model import Document, Image, walk


def split_url(ref: str) -> SplitResult:
    """``urlsplit``, except that an address it cannot parse (``http://[``) is a bare path, so it names no file."""
    try:
        return urlsplit(ref)
    except ValueError:
        return SplitResult("", "", ref, "", "")


def is_remote(ref: str) -> bool:
    return split_url(ref).scheme in ("http", "https")


def resolve_local(ref: str, base_dir: Path, repo_root: Path) -> Path | None:
    """The file inside ``repo_root`` that ``ref`` names, or None when it points elsewhere.

    ``ref`` is relative to ``base_dir`` (the Markdown file's folder) or a ``file:`` URL.
    The file need not exist; callers report a missing file themselves.
    """
    parts = split_url(ref)
    if parts.scheme == "file":
        candidate = Path(unquote(parts.path))
    elif parts.scheme or parts.netloc or ref.startswith(("/", "\\")):
        return None
    else:
        candidate = base_dir / unquote(parts.path)
    if "\0" in str(candidate):  # "%00": no file has that name, and the system refuses to look
        return None
    resolved = candidate.resolve()
    root = repo_root.resolve()
    return resolved if resolved.is_relative_to(root) else None


def images(document: Document) -> list[Image]:
    """Every image the document shows, in order, wherever it is nested."""
    return [node for node in walk(document) if isinstance(node, Image)]


def too_many_pixels(path: Path) -> str:
    """Pillow's reason when a picture has more pixels than it decodes safely (89 million), else "".

    Only the header is read. Anything else wrong with the file is left to the writer that reads it.
    """
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.open(path).close()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        return str(error)
    except (OSError, ValueError):
        return ""
    return ""
