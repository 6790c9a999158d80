"""Which addresses a handout may load: files inside the repository, ``data:``, and the web only when allowed.

Both lines of defence use this one rule: the HTML writer before it writes an
``<img>``, and WeasyPrint's URL fetcher for everything the layout asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from decks.resources import is_remote, resolve_local, split_url


@dataclass(frozen=True)
class Access:
    """Where to load an address from (a local file, or the address itself), or why not."""

    path: Path | None = None
    url: str = ""
    refusal: str = ""


def access(address: str, base_dir: Path, repo_root: Path, *, allow_remote: bool) -> Access:
    """Decide whether ``address`` (relative to ``base_dir``, or absolute) may be loaded."""
    scheme = split_url(address).scheme.lower()
    if scheme == "data":
        return Access(url=address)
    if is_remote(address):
        if allow_remote:
            return Access(url=address)
        return Access(refusal="remote addresses are fetched only with --allow-remote")
    if scheme not in ("", "file"):
        return Access(refusal=f"'{scheme}:' addresses are never loaded")
    if not address.strip():
        return Access(refusal="the address is empty")
    local = resolve_local(address, base_dir, repo_root)
    if local is None:
        return Access(refusal="it is outside the repository; only files inside it are loaded")
    if not local.is_file():
        return Access(refusal="no such file")
    return Access(path=local, url=local.as_uri())
