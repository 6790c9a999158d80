"""Fetch an http(s) address for a writer, with --allow-remote: a timeout, a size cap, and a cache in ``build/``.

Both writers call ``fetch``: the deck for its pictures, the handout's WeasyPrint
fetcher for whatever the layout asks for. Only ``http:`` and ``https:`` are
fetched, and a redirect may lead only to another of them. What was fetched is
kept, after ``diskcache.keep_in``, under a hash of its address (``decks.diskcache``)
with its content type: later builds read it from there and send no request.
Only a complete answer is kept, so an address that failed is asked for again
the next time. Delete the cache folder (or run ``decks clean``) to fetch afresh.
"""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPException, HTTPResponse
from pathlib import Path
from typing import IO
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urljoin

from decks import __version__, diskcache
from decks.resources import is_remote, split_url

TIMEOUT_SECONDS = 10  # for the whole answer, not for each read (a read that stalls may add as much again)
MAX_BYTES = 20_000_000
_CHUNK = 1 << 16
_HEADERS = {"User-Agent": f"decks/{__version__} (slides and handouts for a paper study group)", "Accept": "*/*"}


class FetchError(Exception):
    """Why an address could not be fetched, in words for the user (``no answer within 10 s``)."""


@dataclass(frozen=True)
class Fetched:
    body: bytes
    content_type: str  # the Content-Type header as the server sent it ("image/png"), or ""


def fetch(url: str) -> Fetched:
    """The body and content type at ``url``, from the cache when it holds them; raises FetchError."""
    if not is_remote(url):
        raise FetchError(f"only http and https addresses are fetched, not '{split_url(url).scheme}:'")
    path = _cache_path(url)
    cached = _read_cache(path, url) if path else None
    if cached is not None:
        return cached
    fetched = _download(url)
    if path:
        _write_cache(path, url, fetched)
    return fetched


def _download(url: str) -> Fetched:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    request = urllib.request.Request(quote(url, safe="/:?#[]@!$&'()*+,;=%~"), headers=_HEADERS)
    try:
        with _opener().open(request, timeout=TIMEOUT_SECONDS) as response:
            return Fetched(_body(response, deadline), response.headers.get("Content-Type", ""))
    except HTTPError as error:
        error.close()
        raise FetchError(f"the server answered {error.code} {error.reason}") from None
    except (TimeoutError, URLError) as error:
        if isinstance(error, TimeoutError) or isinstance(error.reason, TimeoutError):
            raise FetchError(f"no answer within {TIMEOUT_SECONDS} s") from None
        raise FetchError(f"cannot reach it ({error.reason})") from None
    except (OSError, HTTPException, ValueError) as error:
        raise FetchError(f"the download failed ({type(error).__name__}: {error})") from None


def _body(response: HTTPResponse, deadline: float) -> bytes:
    """The whole answer, read before ``deadline`` and no larger than MAX_BYTES."""
    too_large = FetchError(f"it is larger than {MAX_BYTES / 1_000_000:g} MB")
    if int(response.headers.get("Content-Length", "0") or "0") > MAX_BYTES:
        raise too_large
    chunks, size = [], 0
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise too_large
        if time.monotonic() > deadline:
            raise FetchError(f"no answer within {TIMEOUT_SECONDS} s")
        chunks.append(chunk)
    return b"".join(chunks)


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to another http(s) address (urllib's own also follows one to ``ftp:``)."""

    def http_error_302(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                       headers: Message) -> IO[bytes] | None:
        target = urljoin(req.full_url, headers.get("Location") or headers.get("URI") or "")
        if not is_remote(target):
            fp.close()
            raise FetchError(f"it redirects to '{target[:100]}', which is no http(s) address")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    """An opener that speaks http and https only: no ``file:``, ``ftp:`` or ``data:`` handler."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor(),
                    _WebOnlyRedirects()):
        opener.add_handler(handler)
    return opener


# ---------------------------------------------------------------- the cache: one file per address


def _cache_path(url: str) -> Path | None:
    folder = diskcache.folder("remote")
    return diskcache.entry_path(folder, diskcache.digest(url), suffix="") if folder else None


def _read_cache(path: Path, url: str) -> Fetched | None:
    """What was kept for ``url``: a line of JSON (address, content type, size), then the body; None when unusable."""
    try:
        header, _, body = path.read_bytes().partition(b"\n")
        meta = json.loads(header)
        if meta["url"] != url or meta["size"] != len(body):
            return None
        return Fetched(body, str(meta["content_type"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(path: Path, url: str, fetched: Fetched) -> None:
    header = json.dumps({"url": url, "content_type": fetched.content_type, "size": len(fetched.body)})
    diskcache.write_atomically(path, header.encode() + b"\n" + fetched.body)
