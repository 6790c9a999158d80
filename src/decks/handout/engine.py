"""WeasyPrint made ready for handouts: loaded without ctypes' compiler probes, set to draw glyphs quickly.

Three costs of WeasyPrint itself that a handout of the group's notes paid, and
what is done about each; the PDF looks the same:

- loading it, ctypes ran gcc and ld for every library name WeasyPrint tries in
  vain before the one that loads (over a tenth of a second at every start);
- drawing a formula, its SVG path reader took a quarter of the handout's time
  (``glyph_paths`` draws the outlines ``decks.equations`` writes);
- writing the PDF, pydyf compressed at zlib's slowest level.
"""

from __future__ import annotations

import ctypes.util
import io
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from typing import Any

# What ctypes tries on Linux after ldconfig's cache; each runs a program (gcc, ld).
_PROBES = ("_findLib_gcc", "_findLib_ld")


def load() -> None:
    """Import WeasyPrint (once per process) and have glyph outlines drawn by ``glyph_paths``."""
    if "weasyprint" not in sys.modules:
        try:  # WeasyPrint prints its advice before raising: kept for the plain attempt below
            with _without_compiler_probes(), redirect_stdout(io.StringIO()):
                import weasyprint  # noqa: F401
        except OSError:  # a library only the probes could find: load as WeasyPrint does on its own
            import weasyprint  # noqa: F401
    from decks.handout import glyph_paths

    glyph_paths.install()


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
