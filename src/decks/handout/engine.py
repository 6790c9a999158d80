"""WeasyPrint made ready for handouts: loaded without ctypes' compiler probes, set to draw glyphs quickly.

Eighteen costs of WeasyPrint itself that a handout of the group's notes paid, and
what is done about each; the PDF looks the same:

- loading it, ctypes ran gcc and ld for every library name WeasyPrint tries in
  vain before the one that loads (over a tenth of a second at every start);
- drawing a formula, its SVG path reader took a quarter of the handout's time
  (``glyph_paths`` draws the outlines ``decks.equations`` writes);
- loading it, cffi parsed its 16 KB of C declarations with pycparser, a
  tenth of a short handout (``c_declarations`` keeps them in cffi's compiled
  form, which loads in a millisecond);
- loading it, it imported fontTools' subsetter and variable-font instancer,
  which a handout seldom uses (they now load at first use);
- cffi parsed each C type WeasyPrint asks for (``PangoRectangle *``) against
  all of WeasyPrint's typedefs, about 14 ms each, and a new one for every
  glyph count of every font subset (``hb_codepoint_t[73]``): a twentieth of a
  handout, paid again by each handout in a worker; such types are built from
  their declaration instead (when the declarations were parsed; the compiled
  form builds types itself, quickly);
- laying out, every page holding a link's page number was laid out two or
  three times (``page_references`` keeps those numbers with one more layout
  of the pages whose links point forward);
- writing the PDF, pydyf compressed at zlib's slowest level (now its fastest);
- hyphenating, pyphen parsed the language's patterns in every process
  (``hyphenation`` keeps them parsed in the build cache);
- setting up each of its thousands of Pango layouts, it made a new context,
  font description and feature string (``text_layouts`` shares them);
- laying out, it split the same text at the same width again and again: a
  page's footnote area for each footnote added, a table's cells for each of
  their measures (``line_splits`` keeps each answer for the layout);
- measuring a page's footnote area for each footnote added, it laid out all
  the page's footnotes again, k² layouts for k notes (``footnote_areas`` keeps
  each footnote's layout for the measures);
- drawing a piece of text, it made the text's Pango layout again and shaped
  the text a second time (``kept_layouts`` keeps the one line breaking made);
- drawing a leader (a contents entry's dotted line), it drew each dot as a
  text of its own (``leaders`` draws eight to a box);
- parsing the HTML, its parser (tinyhtml5) made a regular expression again
  for every run of text, never finding the one it kept (it keeps them here);
- laying out and drawing a formula, it read the SVG's size again each of the
  four times it asked (``svg_sizes`` keeps it);
- embedding a PNG figure, it decoded the file and compressed the pixels again
  into the same kind of data (``png_images`` takes the file's own);
- laying out a list, it measured each item's marker twice to size its box
  (``marker_widths`` keeps the width per kind of item and marker);
- laying out each line and piece of text, it found the style's strut (line
  height and baseline) by a key made of fifteen of its values (``struts``
  keeps it on the style).
"""

from __future__ import annotations

import ctypes.util
import importlib
import io
import re
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from types import ModuleType
from typing import Any

# What ctypes tries on Linux after ldconfig's cache; each runs a program (gcc, ld).
_PROBES = ("_findLib_gcc", "_findLib_ld")
# A C type cffi can build without parsing: a name (``unsigned int`` too), a pointer to it, an array of it.
_SIMPLE_TYPE = re.compile(r"([A-Za-z_]\w*(?: [A-Za-z_]\w*)*) ?(\*|\[(\d*)\])?")


def load() -> None:
    """Import WeasyPrint (once per process) with its C declarations kept parsed and fontTools' rarely used parts
    deferred; have its C types built without parsing, glyph outlines drawn fast, links' page numbers settled in
    fewer layouts, hyphenation patterns taken from the cache, text layouts set up from shared parts, each
    line split once per layout and its layout kept for drawing, leaders' dots drawn eight at a time, PNG
    figures' pixels embedded as their files hold them, SVG images' sizes, list markers' widths, styles' struts and
    footnotes measured for their page kept, and its HTML parser's expressions kept.

    Also when something else imported WeasyPrint first, as a test may.
    """
    if "weasyprint" not in sys.modules:
        from decks.handout import c_declarations

        try:  # WeasyPrint prints its advice before raising: kept for the plain attempt below
            with _without_compiler_probes(), redirect_stdout(io.StringIO()), c_declarations.prebuilt(), \
                    _rare_font_tools_deferred():
                import weasyprint  # noqa: F401
        except (OSError, c_declarations.DeclarationsChanged):
            # a library only the probes could find, or other declarations than the kept ones: as WeasyPrint does
            import weasyprint  # noqa: F401
    _types_without_parsing(sys.modules["weasyprint.text.ffi"].ffi)
    _character_runs_kept(sys.modules["tinyhtml5.inputstream"])
    from decks.handout import (
        footnote_areas,
        glyph_paths,
        hyphenation,
        kept_layouts,
        leaders,
        line_splits,
        marker_widths,
        page_references,
        png_images,
        struts,
        svg_sizes,
        text_layouts,
    )

    glyph_paths.install()
    kept_layouts.install()
    leaders.install()
    png_images.install()
    svg_sizes.install()
    marker_widths.install()
    struts.install()
    footnote_areas.install()
    line_splits.install()
    page_references.install()
    hyphenation.install()
    text_layouts.install()


def _character_runs_kept(inputstream: ModuleType) -> None:
    """tinyhtml5 (WeasyPrint's HTML parser) finds the expressions it makes for runs of characters when it asks again."""
    if type(getattr(inputstream, "characters_until_regex", None)) is dict:
        inputstream.characters_until_regex = _CharacterRuns()


class _CharacterRuns(dict):
    """tinyhtml5's expressions for "a run of these characters" (or of any others), made as tinyhtml5 makes them.

    tinyhtml5 2.1 stores each expression it makes under the expression
    rather than under the characters (``characters = cache[characters, ...] =
    expression`` rebinds ``characters`` first), so it never finds one and
    makes it again for every run of text and every attribute name: 5,441
    times for the Attention handout, a third of parsing its HTML. A key it
    asks for and lacks is made here, the same way, and kept.
    """

    def __missing__(self, key: tuple[Any, bool]) -> re.Pattern[str]:
        characters, opposite = key
        pattern = "".join([f"\\x{ord(character):02x}" for character in characters])
        expression = re.compile(f"[{pattern}]+" if opposite else f"[^{pattern}]+")
        self[key] = expression
        return expression


def _types_without_parsing(ffi: Any) -> None:
    """``ffi`` builds a named type, a pointer to it or an array of it from its declaration, without parsing C.

    cffi parses a declaration such as ``PangoRectangle *`` or ``hb_codepoint_t[73]``
    the first time it meets it, against all of WeasyPrint's typedefs; this builds
    the same model of the type (``cffi.model``) from the typedef it names, as the
    parser would, and asks cffi's backend for it as ``_typeof_locked`` does.
    Anything else (or a cffi without these internals) goes to cffi's parser as before.
    """
    parse = getattr(ffi, "_typeof_locked", None)
    internals = all(hasattr(ffi, name) for name in ("_parsed_types", "_get_cached_btype", "_parser"))
    if parse is None or not internals or hasattr(parse, "parses"):
        return  # a cffi without these internals, or installed already

    def typeof(cdecl: Any) -> Any:
        if cdecl not in ffi._parsed_types:
            declared = _declared(ffi._parser, cdecl) if isinstance(cdecl, str) else None
            if declared is not None:
                ffi._parsed_types[cdecl] = ffi._get_cached_btype(declared), False
        return parse(cdecl)

    typeof.parses = parse  # type: ignore[attr-defined]
    ffi._typeof_locked = typeof


def _declared(parser: Any, cdecl: str) -> Any:
    """The cffi model of ``NAME``, ``NAME *``, ``NAME[]`` or ``NAME[N]`` for a typedef or primitive NAME; else None."""
    from cffi import model

    found = _SIMPLE_TYPE.fullmatch(cdecl)
    if found is None:
        return None
    name, suffix, length = found.groups()
    typedef = getattr(parser, "_declarations", {}).get(f"typedef {name}")
    if typedef is not None:
        item = typedef[0]
    elif name in model.PrimitiveType.ALL_PRIMITIVE_TYPES:
        item = model.PrimitiveType(name)
    else:
        return None
    if suffix == "*":
        return model.PointerType(item)
    if suffix:
        return model.ArrayType(item, int(length) if length else None)
    return item


@contextmanager
def _rare_font_tools_deferred() -> Iterator[None]:
    """WeasyPrint, imported in the block, loads fontTools' subsetter and variable-font instancer when it uses them.

    It imports both at start (``weasyprint.pdf.fonts``), 0.07 to 0.14 s, for
    what a handout seldom needs: subsetting fonts when HarfBuzz cannot, and
    fixing a variable font's axes. While the block runs, the two modules are
    stand-ins that load the real ones at first use; after it, importing them
    anywhere gives the real modules.
    """
    standing_in = {name: module for name, module in _STAND_INS.items() if name not in sys.modules}
    sys.modules.update(standing_in)
    try:
        yield
    finally:
        for name, module in standing_in.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


class _LoadedAtFirstUse(ModuleType):
    """A module that stands in for the real one of its name: any attribute asked for comes from the real one."""

    def __getattr__(self, attribute: str) -> Any:
        real = importlib.import_module(self.__name__) if not attribute.startswith("__") else self
        if real is self:  # asked by the import system (``__path__``), or while standing in: not here
            raise AttributeError(attribute)
        return getattr(real, attribute)


def _instantiate_variable_font(*arguments: Any, **options: Any) -> Any:
    """fontTools' ``instantiateVariableFont``, imported when first called (WeasyPrint imports the function)."""
    from fontTools.varLib.instancer import instantiateVariableFont

    return instantiateVariableFont(*arguments, **options)


_INSTANCER = _LoadedAtFirstUse("fontTools.varLib.instancer")
_INSTANCER.instantiateVariableFont = _instantiate_variable_font  # type: ignore[attr-defined]
_STAND_INS = {"fontTools.subset": _LoadedAtFirstUse("fontTools.subset"), "fontTools.varLib.instancer": _INSTANCER}


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
def fast_compression() -> Iterator[None]:
    """pydyf compresses the PDF's streams at zlib's fastest level while the block runs, not at its slowest.

    Level 9 took a twentieth of a handout's time, mostly on the content streams
    of pages full of formulas, and the default level (6) still 6%; level 1 takes
    a quarter of the default's time for streams a fifth larger (the Attention
    handout: 0.18 s -> 0.045 s, 0.67 MB -> 0.82 MB of compressed streams; its
    PNG figure is embedded as its file holds it, not compressed again).
    """
    import pydyf

    pydyf.zlib = _FastZlib()
    try:
        yield
    finally:
        pydyf.zlib = zlib


class _FastZlib:
    """The ``zlib`` module as pydyf sees it: its compressors at the fastest level, whatever level is asked for."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(_level: int = zlib.Z_BEST_SPEED, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("level", None)
        return zlib.compressobj(zlib.Z_BEST_SPEED, *args, **kwargs)
