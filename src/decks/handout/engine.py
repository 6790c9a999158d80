"""WeasyPrint made ready for handouts: loaded without ctypes' compiler probes, set to draw glyphs quickly.

Four costs of WeasyPrint itself that a handout of the group's notes paid, and
what is done about each; the PDF looks the same:

- loading it, ctypes ran gcc and ld for every library name WeasyPrint tries in
  vain before the one that loads (over a tenth of a second at every start);
- drawing a formula, its SVG path reader took a quarter of the handout's time
  (``glyph_paths`` draws the outlines ``decks.equations`` writes);
- subsetting each font, cffi parsed a C declaration for every glyph count
  (``hb_codepoint_t[73]``) against all of WeasyPrint's typedefs, about 14 ms
  each, a sixteenth of a handout: such arrays are made from their item type;
- writing the PDF, pydyf compressed at zlib's slowest level.
"""

from __future__ import annotations

import ctypes.util
import io
import re
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from typing import Any

# What ctypes tries on Linux after ldconfig's cache; each runs a program (gcc, ld).
_PROBES = ("_findLib_gcc", "_findLib_ld")
_ARRAY = re.compile(r"(\w+)\[(\d+)\]")  # a C array type of a named item type and a fixed length


def load() -> None:
    """Import WeasyPrint (once per process), its arrays made without parsing, glyph outlines drawn by ``glyph_paths``."""
    if "weasyprint" not in sys.modules:
        try:  # WeasyPrint prints its advice before raising: kept for the plain attempt below
            with _without_compiler_probes(), redirect_stdout(io.StringIO()):
                import weasyprint  # noqa: F401
        except OSError:  # a library only the probes could find: load as WeasyPrint does on its own
            import weasyprint  # noqa: F401
        _arrays_without_parsing(sys.modules["weasyprint.text.ffi"].ffi)
    from decks.handout import glyph_paths

    glyph_paths.install()


def _arrays_without_parsing(ffi: Any) -> None:
    """``ffi`` resolves ``T[N]`` from ``T *``, which it parses once, instead of parsing each ``N`` anew.

    A fixed-length array type is the item's pointer type and a length to cffi's
    backend, as cffi itself builds it after parsing; any other declaration (or a
    cffi without these internals) goes to cffi's own parser as before.
    """
    parse = getattr(ffi, "_typeof_locked", None)
    if parse is None or not hasattr(ffi, "_backend") or not hasattr(ffi, "_parsed_types"):
        return

    def typeof(cdecl: Any) -> Any:
        found = _ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if found is None or cdecl in ffi._parsed_types:
            return parse(cdecl)
        pointer, _ = parse(f"{found[1]} *")
        ffi._parsed_types[cdecl] = ffi._backend.new_array_type(pointer, int(found[2])), False
        return ffi._parsed_types[cdecl]

    ffi._typeof_locked = typeof


@contextmanager
def _without_compiler_probes() -> Iterator[None]:
    """ctypes finds libraries through ldconfig's cache alone while the block runs (on Linux; elsewhere as ever).

    WeasyPrint asks for each library under several names, the platform's own
    soname among them ('libpango-1.0.so.0'), which the dynamic loader opens
    itself; the other names miss, and each miss cost a run of gcc and of ld.
    """
    saved = {name: getattr(ctypes.util, name) for name in _PROBES if hasattr(ctypes.util, name)}
    for name in saved:
        setattr(ctypes.util, name, _nothing_found)
    try:
        yield
    finally:
        for name, probe in saved.items():
            setattr(ctypes.util, name, probe)


def _nothing_found(_name: str) -> None:
    return None


@contextmanager
def default_compression() -> Iterator[None]:
    """pydyf compresses the PDF's streams at zlib's default level while the block runs, not at its slowest.

    Level 9 took a twentieth of a handout's time, mostly on the content streams
    of pages full of formulas, for a file 2% smaller than the default level gives.
    """
    import pydyf

    pydyf.zlib = _DefaultLevelZlib()
    try:
        yield
    finally:
        pydyf.zlib = zlib


class _DefaultLevelZlib:
    """The ``zlib`` module as pydyf sees it: its compressors at the default level, whatever level is asked for."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(_level: int = zlib.Z_DEFAULT_COMPRESSION, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("level", None)
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)
