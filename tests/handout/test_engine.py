"""WeasyPrint made ready for handouts: loaded without running a compiler, writing compressed pages, leaving no trace."""

from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys
import zlib

import pydyf
import pypdf
from handout_helpers import build, document, prose

from decks.handout import engine

LOAD_AND_LIST_PROGRAMS = """
import json, os, subprocess
started = []
popen = subprocess.Popen.__init__
def record(self, args, *rest, **options):
    started.append(os.path.basename(args[0] if isinstance(args, (list, tuple)) else args))
    popen(self, args, *rest, **options)
subprocess.Popen.__init__ = record
from decks.handout import engine
engine.load()
import weasyprint.text.ffi
print(json.dumps({"programs": sorted(set(started)), "pango": weasyprint.text.ffi.pango is not None}))
"""


def test_loading_weasyprint_runs_no_compiler_or_linker_and_still_finds_pango():
    result = subprocess.run([sys.executable, "-c", LOAD_AND_LIST_PROGRAMS], capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    assert not {"gcc", "cc", "ld"} & set(loaded["programs"])
    assert loaded["pango"]


LOAD_WHEN_ONLY_THE_PROBES_FIND_PANGO = """
import contextlib, sys
from decks.handout import engine

class PangoMissing:  # what WeasyPrint does when no name of a library loads: print advice, raise OSError
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            print("WeasyPrint could not import some external libraries")
            raise OSError("cannot load library 'pango-1.0'")

@contextlib.contextmanager
def probes_needed():
    sys.meta_path.insert(0, PangoMissing())
    try:
        yield
    finally:
        del sys.meta_path[0]

engine._without_compiler_probes = probes_needed
engine.load()
import weasyprint.text.ffi
print(weasyprint.text.ffi.pango is not None)
"""


def test_a_library_only_the_probes_find_is_still_loaded_and_nothing_is_printed_on_the_way():
    result = subprocess.run(
        [sys.executable, "-c", LOAD_WHEN_ONLY_THE_PROBES_FIND_PANGO], capture_output=True, text=True, check=True
    )
    assert result.stdout == "True\n"


def test_ctypes_searches_as_it_did_once_weasyprint_is_loaded():
    probes = (ctypes.util._findLib_gcc, ctypes.util._findLib_ld)
    with engine._without_compiler_probes():
        assert ctypes.util._findLib_gcc("c") is None
    assert (ctypes.util._findLib_gcc, ctypes.util._findLib_ld) == probes


def test_the_pages_are_compressed_and_pydyf_is_left_as_it_was(repo):
    built = build(repo, document(*prose(3)))
    contents = pypdf.PdfReader(built.pdf).pages[1]["/Contents"].get_object()
    assert contents["/Filter"] == "/FlateDecode"
    assert pydyf.zlib is zlib


def test_the_c_types_weasyprint_asks_for_are_built_without_parsing_c(monkeypatch):
    """When WeasyPrint parses its declarations itself (no kept ones: see test_c_declarations)."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef("typedef uint32_t hb_codepoint_t; typedef struct { int x, y, width, height; } PangoRectangle;")
    engine._types_without_parsing(ffi)
    monkeypatch.setattr(ffi._parser, "parse_type", lambda cdecl: (_ for _ in ()).throw(AssertionError(cdecl)))
    glyphs = ffi.new("hb_codepoint_t[3]", [7, 8, 9])
    assert list(glyphs) == [7, 8, 9]
    assert ffi.typeof(glyphs).length == 3
    assert ffi.sizeof(glyphs) == 3 * ffi.sizeof("hb_codepoint_t")
    rectangle = ffi.new("PangoRectangle *")
    assert (rectangle.x, rectangle.width) == (0, 0)
    assert ffi.typeof(rectangle).item is ffi.typeof("PangoRectangle")
    assert ffi.string(ffi.new("char[]", b"text")) == b"text"
    assert ffi.typeof("unsigned int *").item.cname == "unsigned int"


LOAD_THEN_SUBSET_WITH_FONTTOOLS = """
import json, sys
from decks.handout import engine
engine.load()
loaded_with_weasyprint = [name for name in ("fontTools.subset", "fontTools.varLib.instancer") if name in sys.modules]
import weasyprint, weasyprint.pdf.fonts
weasyprint.pdf.fonts.harfbuzz_subset = None  # as on a machine without HarfBuzz-Subset: fontTools subsets
pdf = weasyprint.HTML(string="<p style='font-family: DejaVu Sans'>Subset by fontTools</p>").write_pdf(
    uncompressed_pdf=True)
import fontTools.subset
print(json.dumps({"loaded_with_weasyprint": loaded_with_weasyprint, "font_embedded": b"/FontFile2" in pdf,
                  "real_module": type(sys.modules["fontTools.subset"]).__module__ == "builtins"}))
"""


def test_fonttools_subsetter_and_instancer_load_at_first_use_and_fonttools_subsetting_still_works():
    result = subprocess.run([sys.executable, "-c", LOAD_THEN_SUBSET_WITH_FONTTOOLS], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == {"loaded_with_weasyprint": [], "font_embedded": True, "real_module": True}


def test_the_deferred_instancer_is_fonttools_own():
    from fontTools.ttLib import TTFont
    from fontTools.varLib.instancer import instantiateVariableFont

    errors = []
    for instantiate in (instantiateVariableFont, engine._instantiate_variable_font):
        try:
            instantiate(TTFont(), {"wght": 700})
        except Exception as error:  # noqa: BLE001 - the same error from both is the point
            errors.append((type(error), str(error)))
    assert len(errors) == 2 and errors[0] == errors[1]


def test_the_html_parser_makes_each_expression_for_a_run_of_characters_once_and_parses_as_before(rich):
    import tinyhtml5
    import tinyhtml5.inputstream
    from xml.etree import ElementTree

    engine.load()
    html = rich.html.read_text(encoding="utf-8")
    made: list[tuple] = []
    kept = tinyhtml5.inputstream.characters_until_regex
    assert isinstance(kept, engine._CharacterRuns)
    kept.clear()
    original_missing = engine._CharacterRuns.__missing__

    class Counted(engine._CharacterRuns):
        def __missing__(self, key):
            made.append(key)
            return original_missing(self, key)

    tinyhtml5.inputstream.characters_until_regex = Counted()
    try:
        ours = ElementTree.tostring(tinyhtml5.parse(html))
        assert 0 < len(made) <= 12  # one per kind of run, however many runs
        tinyhtml5.inputstream.characters_until_regex = {}  # tinyhtml5's own, which makes each again every time
        theirs = ElementTree.tostring(tinyhtml5.parse(html))
    finally:
        tinyhtml5.inputstream.characters_until_regex = kept
    assert ours == theirs
