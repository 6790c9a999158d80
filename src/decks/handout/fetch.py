"""WeasyPrint's URL fetcher for handouts: files inside the repository, ``data:``, the web only when allowed.

This is the second line of defence (the HTML writer already refuses what it
can see); it also covers what only the layout asks for, such as an image inside
an SVG. Each refusal, and each web address ``decks.remote`` could not fetch
(it keeps the timeout, the size cap and the cache), becomes a Diagnostic and
the rest of the handout renders.

WeasyPrint names each image in the PDF after a hash of its address, so the
layout sees repository files under one fixed root (``REPOSITORY_ROOT``) and the
PDF's bytes do not depend on where the repository is checked out.
Importing this module imports WeasyPrint: import it only when rendering.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from decks import remote
from decks.errors import Diagnostic
from decks.handout.access import access

REPOSITORY_ROOT = "file:///decks-repository/"
SHORT_DATA = "decks-data:"  # the address the layout sees for the handout's n-th distinct data: address
_DATA_SOURCE = re.compile(r'src="(data:[^"]*)"')
_BASE64_DATA = re.compile(r"data:([a-z]+/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=]*)")  # as maths.py writes formulas


def portable(html: str, repo_root: Path) -> str:
    """``html`` with the repository's file addresses moved under ``REPOSITORY_ROOT``."""
    return html.replace(_root_uri(repo_root), REPOSITORY_ROOT)


def short_data_addresses(html: str) -> tuple[str, dict[str, str]]:
    """``html`` with each ``src="data:..."`` shortened to an address the fetcher serves, and what each stands for.

    A handout's formulas are ``data:`` addresses, nine tenths of its HTML, which
    WeasyPrint's HTML parser reads character by character (a twentieth of a
    handout full of formulas). The same data gets the same short address, as it
    got the same image from WeasyPrint's cache before.
    """
    addresses: dict[str, str] = {}  # data: address -> its short address

    def shortened(match: re.Match[str]) -> str:
        short = addresses.setdefault(match[1], f"{SHORT_DATA}{len(addresses)}")
        return f'src="{short}"'

    markup = _DATA_SOURCE.sub(shortened, html)
    return markup, {short: data for data, short in addresses.items()}


def _root_uri(repo_root: Path) -> str:
    return repo_root.resolve().as_uri().rstrip("/") + "/"


class RepositoryFetcher(URLFetcher):
    """Loads what ``access`` allows and records a Diagnostic for everything it refuses."""

    def __init__(self, repo_root: Path, source: str, *, allow_remote: bool, lines: Mapping[str, int] | None = None,
                 data: Mapping[str, str] | None = None) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.data = data or {}  # short address -> the data: address it stands for (short_data_addresses)
        self.repo_root = repo_root
        self.source = source
        self.lines = lines or {}  # the source line of each address the Markdown names
        self.allow_remote = allow_remote
        self.refused: list[str] = []
        self.diagnostics: list[Diagnostic] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        url = self.data.get(url, url)
        if plain := _BASE64_DATA.fullmatch(url):  # decoded as urllib would, without its opener and parsed headers
            return URLFetcherResponse(url, base64.b64decode(plain[2]), {"Content-Type": plain[1]})
        real = _root_uri(self.repo_root) + url.removeprefix(REPOSITORY_ROOT) if url.startswith(REPOSITORY_ROOT) else url
        allowed = access(real, self.repo_root, self.repo_root, allow_remote=self.allow_remote)
        if allowed.refusal:
            raise self._refused(url, f"refused to load '{_shown(url)}': {allowed.refusal}")
        if allowed.path is not None:
            content_type = mimetypes.guess_type(allowed.path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, allowed.path.read_bytes(), {"Content-Type": content_type})
        if urlsplit(url).scheme.lower() == "data":
            return super().fetch(url, headers)
        try:
            fetched = remote.fetch(url)
        except remote.FetchError as error:
            raise self._refused(url, f"could not fetch '{_shown(url)}': {error}") from None
        content_type = fetched.content_type or "application/octet-stream"
        return URLFetcherResponse(url, fetched.body, {"Content-Type": content_type})

    def _refused(self, url: str, message: str) -> PermissionError:
        """The error to raise for ``url``, recorded as a Diagnostic so that WeasyPrint's own message is left out."""
        self.refused.append(url)
        self.diagnostics.append(Diagnostic(self.source, self.lines.get(url, 0), message))
        return PermissionError(message)


def _shown(url: str) -> str:
    """The address as the user knows it: repository files by their path from the repository root."""
    shown = url.removeprefix(REPOSITORY_ROOT)
    return shown if len(shown) <= 100 else shown[:60] + "…"
