"""Equations: LaTeX in; SVG, PNG, OMML and Unicode runs out; a problem reason for bad LaTeX, never an exception."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import cairosvg
import pdfplumber
import pytest
from fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image, ImageChops

from decks import diskcache, equations
from decks.equations import check, to_omml, to_png, to_unicode, typeset

FORMULAS = Path(__file__).parent / "fixtures" / "formulas.txt"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
SVG = "http://www.w3.org/2000/svg"
LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")


def corpus() -> list[str]:
    """The formulas of formulas.txt: blocks separated by blank lines, '#' lines are comments."""
    blocks = re.split(r"\n\s*\n", FORMULAS.read_text(encoding="utf-8"))
    formulas = ["\n".join(line for line in block.splitlines() if not line.startswith("#")).strip() for block in blocks]
    return [formula for formula in formulas if formula]


def omml_tree(tex: str, *, display: bool = True, **options: object) -> etree._Element:
    return etree.fromstring(to_omml(tex, display=display, **options).encode())


def m(tag: str) -> str:
    return f"{{{M}}}{tag}"


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    """A disk cache for one test, in a fresh memory cache; afterwards, memory only again."""
    equations.clear_memory_cache()
    diskcache.keep_in(tmp_path / "cache")
    yield tmp_path / "cache" / "equations"
    diskcache.keep_in(None)
    equations.clear_memory_cache()


# ---------------------------------------------------------------- the corpus


def test_the_corpus_holds_at_least_sixty_formulas():
    assert len(corpus()) >= 60


@pytest.mark.parametrize("tex", corpus(), ids=lambda tex: tex[:40])
def test_every_corpus_formula_typesets_converts_and_reads_as_text(tex):
    rendered = typeset(tex, display=True, size_pt=20)
    assert rendered.problem == ""
    svg = etree.fromstring(rendered.svg.encode())
    assert svg.tag == f"{{{SVG}}}svg"
    assert 0 < rendered.depth_pt < rendered.height_pt < 20 * 12  # no runaway brackets
    assert rendered.width_pt > 0

    root = omml_tree(tex)
    assert root.tag == m("oMathPara")
    assert root.find(m("oMath")) is not None
    assert not LATEX_COMMAND.search(to_omml(tex, display=True))
    assert not LATEX_COMMAND.search(to_omml(tex, display=False))

    runs = to_unicode(tex)
    assert runs
    assert all("\\" not in text for text, _ in runs)
    assert {position for _, position in runs} <= {"", "sub", "sup"}


# ---------------------------------------------------------------- bad LaTeX

@pytest.mark.parametrize(("tex", "reason"), [
    (r"\frac{", "'{' is never closed"),
    (r"\notacommand{x}", r"unknown command \notacommand"),
    (r"a}", "'}' has no matching '{'"),
    (r"x^", "'^' or '_' has nothing after it"),
    (r"\frac{a}", "missing an argument"),
    (r"\left( x", r"\left and \right do not pair up"),
    (r"\begin{pmatrix} a", r"\begin{...} without a matching \end{...}"),
    (r"\begin{tikzcd} a \end{tikzcd}", "unknown environment 'tikzcd'"),
    (r"a &= b \\ c &= d", r"wrap the lines in \begin{aligned}"),
    ("   ", "empty formula"),
])
def test_bad_latex_gives_a_reason_and_empty_results_never_an_exception(tex, reason):
    rendered = typeset(tex, display=True, size_pt=20)
    assert reason in rendered.problem
    assert rendered.svg == ""
    assert check(tex) == rendered.problem
    assert to_png(tex, display=True, size_pt=20) == (b"", 0.0, 0.0)
    assert to_omml(tex, display=True) == ""
    assert to_unicode(tex) == []


LATEX_PIECES = st.sampled_from([
    "x", "1", " ", "{", "}", "^", "_", "&", "\\\\", "\\frac", "\\sqrt", "\\left(", "\\right)", "\\sum", "\\int",
    "\\begin{aligned}", "\\end{aligned}", "\\begin{pmatrix}", "\\end{pmatrix}", "\\text{a}", "\\hat", "\\limits",
    "\\newcommand{\\a}[1]{#1}", "\\a", "\\operatorname*{f}", "\\mathbb{R}", "\\alpha", "=", "\\middle|", "\\\\", "\\,",
])


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LATEX_PIECES, max_size=12).map("".join))
def test_no_latex_whatsoever_makes_it_raise(tex):
    rendered = typeset(tex, display=True, size_pt=12)
    assert (rendered.svg == "") == bool(rendered.problem)
    to_omml(tex, display=False)
    to_unicode(tex)


def test_good_latex_has_no_problem():
    assert check(r"\frac{a}{b}") == ""


# ---------------------------------------------------------------- SVG and PNG


def test_the_svg_is_sized_in_points_and_drawn_in_the_colour_asked_for():
    rendered = typeset(r"\frac{a}{b}", display=True, size_pt=20, color="#1F2933")
    svg = etree.fromstring(rendered.svg.encode())
    assert svg.get("width") == f"{rendered.width_pt:.3f}pt"
    assert svg.get("height") == f"{rendered.height_pt:.3f}pt"
    fills = {element.get("fill") for element in svg.iter() if element.get("fill")}
    assert fills == {"#1F2933"}


def test_a_descender_goes_deeper_below_the_baseline_than_an_x():
    x = typeset("x", display=False, size_pt=20)
    y = typeset("y", display=False, size_pt=20)
    assert 0 < x.depth_pt < y.depth_pt < y.height_pt


def test_an_inline_fraction_is_smaller_than_a_display_one():
    inline = typeset(r"\frac{a}{b}", display=False, size_pt=20)
    display = typeset(r"\frac{a}{b}", display=True, size_pt=20)
    assert inline.height_pt < display.height_pt


def test_the_svg_has_no_ids_to_clash_when_a_page_holds_many_formulas():
    assert " id=" not in typeset(r"\sum_i x_i", display=True, size_pt=20).svg


def test_the_glyphs_of_a_formula_are_one_path_whose_mirrored_curves_are_written_short():
    svg = etree.fromstring(typeset(r"\sum_{i=1}^{n} \frac{a_i}{b_i}", display=True, size_pt=20).svg.encode())
    paths = svg.findall(f"{{{SVG}}}path")
    assert len(paths) == 1
    assert " T " in paths[0].get("d")
    assert svg.findall(f"{{{SVG}}}rect")  # the fraction bar stays a rectangle


def test_a_curve_mirroring_the_previous_one_becomes_t_and_the_empty_line_after_a_move_goes():
    outline = [("M", ((0, 0),)), ("L", ((0, 0),)), ("Q", ((1, 1), (2, 0))), ("Q", ((3, -1), (4, 0))),
               ("Q", ((5, 5), (6, 0))), ("Z", ())]
    assert equations._compacted(outline) == (
        ("M", ((0, 0),)), ("Q", ((1, 1), (2, 0))), ("T", ((4, 0),)), ("Q", ((5, 5), (6, 0))), ("Z", ()),
    )


def test_a_glyph_written_twice_at_one_scale_is_the_same_outline_moved():
    glyph_class, _ = _ziamath_classes()
    glyph = equations._ziamath().zmath.loadedfonts["default"].glyph("Q")
    here, there = (glyph_class.svgpath(glyph, x, 5.0, 2.0).get("d").split(" ") for x in (0.0, 10.0))
    assert [token for token in here if token.isalpha()] == [token for token in there if token.isalpha()]
    numbers = [(float(a), float(b)) for a, b in zip(here, there) if not a.isalpha()]
    assert all(abs(b - a - (10.0 if index % 2 == 0 else 0.0)) < 0.0011 for index, (a, b) in enumerate(numbers))


DRAWINGS = [  # formulas whose drawing decks changes from ziamath's: it must look the same
    r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
    r"\oint_C \vec{F} \cdot d\vec{r} = \iint_S (\nabla \times \vec{F}) \cdot d\vec{S} \neq 0",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}^{-1} \hat{x} \widetilde{xyz} \text{ for all } x",
    r"\left\{ \begin{array}{l} \int_0^\infty e^{-x^2} dx \\ \mathbb{R}^{n} \oplus \hat{\mathcal{H}} \end{array} \right.",
    r"\mathrm{PE}_{(pos, 2i)} = \sin(pos / 10000^{2i / d_{\mathrm{model}}}) \quad \mathop{\mathrm{arg\,max}}_{\theta} x",
]


@pytest.mark.parametrize("tex", DRAWINGS)
def test_a_formula_whose_lengths_are_read_once_is_what_reading_them_at_every_ask_gave(tex, uncached, monkeypatch):
    read_once = _typeset_afresh(tex)
    _, node = _ziamath_classes()
    monkeypatch.setattr(node, "size_px", node.size_px.reads)  # ziamath's own reading of lengths, at every ask
    assert _typeset_afresh(tex) == read_once


@pytest.mark.parametrize("tex", [*DRAWINGS, r"\mathrm{AVATAR} + \text{To WAVE}"])  # the last kerns its pairs
def test_a_formula_whose_glyph_advances_are_looked_up_once_is_what_looking_them_up_at_every_ask_gave(
        tex, uncached, monkeypatch):
    from ziafont import Font

    looked_up_once = _typeset_afresh(tex)
    equations._ziamath()
    monkeypatch.setattr(Font, "advance", Font.advance.advances)  # ziafont's own lookups, at every ask
    assert _typeset_afresh(tex) == looked_up_once


@pytest.mark.parametrize("tex", DRAWINGS)
def test_a_formula_whose_rows_decks_measures_is_what_ziamaths_own_measure_gave(tex, uncached, monkeypatch):
    measured_here = _typeset_afresh(tex)
    from ziamath.nodes.mrow import Mrow

    monkeypatch.setattr(Mrow, "_get_height_nostretch", Mrow._get_height_nostretch.measures)  # every row, through XML
    assert _typeset_afresh(tex) == measured_here


@pytest.mark.parametrize("length", ["0.2em", "-1.5ex", "thinmathspace", "negativemediummathspace", "3pt", "12", "2mu"])
def test_a_mathml_length_read_once_is_what_ziamath_reads_at_every_ask(length):
    _, node = _ziamath_classes()
    math = equations._ziamath().Math("<math><msub><mi>x</mi><mi>k</mi></msub></math>", size=20)
    script = math.node.nodes[0].nodes[1]  # the subscript: a smaller glyph size than the formula's
    for one in (math.node, script):
        assert node.size_px(one, length) == node.size_px.reads(one, length)
        assert node.size_px(one, length, 7.5) == node.size_px.reads(one, length, 7.5)


@pytest.fixture
def uncached(monkeypatch):
    """Every formula typeset in the test itself: no disk cache, and the memory's emptied after."""
    monkeypatch.setattr(diskcache, "_root", None)
    yield
    equations.clear_memory_cache()


def _typeset_afresh(tex: str, display: bool = True) -> equations.Rendered:
    equations.clear_memory_cache()
    return typeset(tex, display=display, size_pt=20)


def _ziamath_classes() -> tuple[type, type]:
    """ziafont's glyph and ziamath's node classes, once decks has set ziamath up."""
    equations._ziamath()
    from ziafont.glyph import SimpleGlyph
    from ziamath.nodes.mnode import Mnode

    return SimpleGlyph, Mnode


@pytest.mark.parametrize(
    "tex",
    [
        r"\color{red}{x}^{\displaystyle\sum_i a_i} + \mathbf{v}_{\mathit{k}} + \textstyle\frac{1}{2}",
        r"\begin{cases} \mathcal{L} & x > 0 \\ \mathbb{R}^{n \times n} & \text{else} \end{cases}",
        r"a + \style{background: yellow}{x^2} + b_{\style{color: red}{k}}",  # CSS styles: left to ziamath
        *DRAWINGS,
    ],
)
def test_ziamath_reading_parent_styles_without_copying_them_draws_the_same(tex, uncached, monkeypatch):
    ziamath = equations._ziamath()  # imported as decks imports it (ziamath warns on a plain import)
    from ziamath.nodes import mfrac, mnode

    quick = [_typeset_afresh(tex, display) for display in (True, False)]
    copying = ziamath.styles.parse_style.parses  # ziamath's own
    for module in (ziamath.styles, mnode, mfrac, ziamath.zmath):
        monkeypatch.setattr(module, "parse_style", copying)
    assert [_typeset_afresh(tex, display) for display in (True, False)] == quick


@pytest.mark.parametrize("tex", DRAWINGS)
def test_the_compact_svg_draws_what_ziamath_drew_in_fewer_points(tex, uncached, monkeypatch):
    import cairosvg

    compact = _typeset_afresh(tex)
    monkeypatch.setattr(equations, "_compact_svg", lambda svg: ElementTree.tostring(svg, encoding="unicode"))
    glyph, _ = _ziamath_classes()
    monkeypatch.setattr(glyph, "svgpath", glyph.svgpath.writes)  # ziafont's own outlines
    plain = _typeset_afresh(tex)

    def alpha(svg: str) -> Image.Image:
        size = {"output_width": round(plain.width_pt * 8), "output_height": round(plain.height_pt * 8)}
        return Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg.encode(), **size))).getchannel("A")

    numbers = [len(re.findall(r"-?\d+(?:\.\d+)?", rendered.svg)) for rendered in (compact, plain)]
    assert numbers[0] < 0.8 * numbers[1]
    difference = ImageChops.difference(alpha(compact.svg), alpha(plain.svg))
    assert difference.getextrema()[1] < 96  # anti-aliasing at the edges, never a missing or added stroke


@pytest.mark.parametrize("dpi", [96, 300])
def test_a_png_has_the_point_size_at_the_dpi_asked_for(dpi):
    png, width_pt, height_pt = to_png(r"\sqrt{x^2 + y^2}", display=True, size_pt=24, dpi=dpi)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert abs(image.width - width_pt / 72 * dpi) <= 1
        assert abs(image.height - height_pt / 72 * dpi) <= 1
        assert image.convert("RGBA").getextrema()[3] == (0, 255)  # transparent around the ink


def test_a_formulas_png_is_its_colour_at_the_coverage_cairo_draws_in_a_quarter_of_the_bytes_per_pixel():
    tex, colour = r"\frac{a}{\sqrt{b}} + \sum_i x_i^2", "1F6FEB"
    png, _, _ = to_png(tex, display=True, size_pt=24, dpi=300, color=colour)
    rendered = equations.typeset(tex, display=True, size_pt=24, color=colour)
    with Image.open(io.BytesIO(png)) as image:
        ours = image.convert("RGBA")
    drawn = cairosvg.svg2png(bytestring=rendered.svg.encode(), output_width=ours.width, output_height=ours.height)
    with Image.open(io.BytesIO(drawn)) as image:
        cairos = image.convert("RGBA")
    assert ours.getchannel("A").tobytes() == cairos.getchannel("A").tobytes()
    pixels = ours.tobytes()
    assert {pixels[at:at + 3] for at in range(0, len(pixels), 4) if pixels[at + 3]} == {bytes.fromhex(colour)}
    assert len(png) < len(drawn) / 1.5


def test_a_drawing_of_another_colouring_is_written_by_cairo():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="20pt" height="10pt" viewBox="0 0 20 10">'
           '<rect width="10" height="5" fill="#ff0000"/><rect x="10" width="10" height="5" fill="#0000ff"/></svg>')
    with Image.open(io.BytesIO(equations._png(svg, "FF0000", 40, 20))) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((5, 5)) == (255, 0, 0, 255) and image.getpixel((35, 5)) == (0, 0, 255, 255)
        assert image.getpixel((5, 15))[3] == 0


def test_png_bytes_are_the_same_every_time():
    first = to_png(r"\int_0^1 f(x)\,dx", display=True, size_pt=24)
    equations.clear_memory_cache()
    assert to_png(r"\int_0^1 f(x)\,dx", display=True, size_pt=24) == first


# ---------------------------------------------------------------- LaTeX that needs normalising


def test_numbered_environments_lose_their_numbers_and_labels():
    runs = to_unicode(r"\begin{align} a &= b \label{eq:1} \\ c &= d \end{align}")
    assert "".join(text for text, _ in runs) == "a = b; c = d"
    assert to_unicode(r"\begin{equation} E = mc^2 \end{equation}") == [("E = mc", ""), ("2", "sup")]


def test_a_tag_is_shown_in_brackets_after_the_formula():
    assert "".join(text for text, _ in to_unicode(r"x = 1 \tag{3}")).endswith("(3)")


def test_colours_in_the_latex_are_dropped_for_the_theme_colour():
    svg = typeset(r"\textcolor{red}{x} + \color{blue} y", display=True, size_pt=20, color="123456").svg
    assert "red" not in svg and "blue" not in svg
    assert to_unicode(r"\textcolor{red}{x}") == [("x", "")]


def test_lines_broken_at_the_top_level_are_centred_one_under_another():
    single = typeset("a + b", display=True, size_pt=20)
    double = typeset(r"a + b \\ c", display=True, size_pt=20)
    assert double.problem == ""
    assert double.height_pt > 1.8 * single.height_pt


@pytest.mark.parametrize("tex", [
    r"\operatorname*{arg\,max}_x f", r"\arg\max_x f", r"\argmax_x f", r"\mathop{\mathrm{arg\,max}}_x f",
])
def test_every_spelling_of_argmax_puts_its_limit_under_it_in_display(tex):
    limit = omml_tree(tex).find(f".//{m('limLow')}")
    assert limit is not None
    assert text_of(limit.find(m("e"))).replace("\u2009", " ") == "arg max"
    assert text_of(limit.find(m("lim"))) == "x"


def test_an_operator_name_beside_inline_text_keeps_its_limit_as_a_subscript():
    assert omml_tree(r"\operatorname*{arg\,max}_x f", display=False).find(f".//{m('sSub')}") is not None


def test_a_macro_defined_in_the_formula_is_expanded_even_inside_text():
    tex = r"\newcommand{\nl}[1]{\textsf{#1}} \def\R{\mathbb{R}} \nl{the} \in \R"
    assert to_unicode(tex) == [("the ∈ ℝ", "")]


def test_macros_defined_elsewhere_on_the_page_apply_through_the_preamble():
    page = [r"\newcommand{\sV}{\mathcal{V}} \DeclareMathOperator*{\amax}{arg\,max}", r"x \in \sV", "y"]
    assert check(page[1]) == r"unknown command \sV"
    preamble = equations.collect_macros(page)
    assert to_unicode(page[1], preamble=preamble) == [("x ∈ 𝒱", "")]
    assert omml_tree(r"\amax_x f", preamble=preamble).find(f".//{m('limLow')}") is not None
    assert typeset(page[1], display=True, size_pt=20, preamble=preamble).problem == ""


def test_a_formula_that_only_defines_macros_is_known_as_such():
    tex = r"\newcommand{\sV}{\mathcal{V}}"
    assert equations.defines_only(tex)
    assert not equations.defines_only(r"\newcommand{\sV}{\mathcal{V}} x \in \sV")
    assert "only defines macros" in check(tex)


def test_a_macro_that_calls_itself_is_a_problem_not_a_hang():
    assert check(r"\newcommand{\loop}{\loop x} \loop") == "a macro expands without end"


# ---------------------------------------------------------------- OMML


def test_inline_math_is_an_omath_and_display_math_an_omathpara_with_the_math_namespace():
    assert etree.QName(omml_tree("x", display=False)).localname == "oMath"
    root = omml_tree("x")
    assert root.tag == m("oMathPara")
    assert root.nsmap["m"] == M


def test_a_fraction_is_an_f_with_numerator_and_denominator():
    fraction = omml_tree(r"\frac{a+b}{c}").find(f".//{m('f')}")
    assert [etree.QName(child).localname for child in fraction] == ["fPr", "num", "den"]
    assert text_of(fraction.find(m("num"))) == "a+b"


def test_a_sum_is_an_nary_holding_its_limits_and_its_operand_up_to_the_relation():
    root = omml_tree(r"\sum_{i=1}^{n} x_i^2 = y")
    nary = root.find(f".//{m('nary')}")
    assert nary.find(f"{m('naryPr')}/{m('chr')}").get(m("val")) == "∑"
    assert text_of(nary.find(m("sub"))) == "i=1"
    assert text_of(nary.find(m("sup"))) == "n"
    assert text_of(nary.find(m("e"))) == "xi2"
    assert text_of(root).endswith("=y")


def test_a_sum_without_an_upper_limit_hides_the_empty_one():
    props = omml_tree(r"\sum_{t} x_t").find(f".//{m('naryPr')}")
    assert [etree.QName(child).localname for child in props] == ["chr", "supHide"]


def test_an_operand_keeps_its_brackets_whole():
    nary = omml_tree(r"\sum_t \pi(a \mid s) + 1").find(f".//{m('nary')}")
    assert text_of(nary.find(m("e"))) == "π(a∣s)"


def test_left_and_right_make_a_delimiter_and_middle_its_separator():
    delimiter = omml_tree(r"\left( \frac{a}{b} \middle| c \right)").find(f".//{m('d')}")
    props = {etree.QName(child).localname: child.get(m("val")) for child in delimiter.find(m("dPr"))}
    assert props == {"begChr": "(", "sepChr": "|", "endChr": ")"}
    assert len(delimiter.findall(m("e"))) == 2


@pytest.mark.parametrize(("environment", "opening", "closing"), [
    ("pmatrix", "(", ")"), ("bmatrix", "[", "]"), ("vmatrix", "|", "|"),
])
def test_a_matrix_is_an_m_inside_its_brackets(environment, opening, closing):
    root = omml_tree(rf"\begin{{{environment}}} a & b \\ c & d \end{{{environment}}}")
    delimiter = root.find(f".//{m('d')}")
    assert delimiter.find(f"{m('dPr')}/{m('begChr')}").get(m("val")) == opening
    assert delimiter.find(f"{m('dPr')}/{m('endChr')}").get(m("val")) == closing
    rows = delimiter.findall(f"{m('e')}/{m('m')}/{m('mr')}")
    assert [[text_of(cell) for cell in row] for row in rows] == [["a", "b"], ["c", "d"]]


def test_cases_are_a_left_brace_around_left_justified_columns():
    root = omml_tree(r"f(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}")
    props = root.find(f".//{m('d')}/{m('dPr')}")
    assert props.find(m("begChr")).get(m("val")) == "{"
    assert props.find(m("endChr")).get(m("val")) == ""
    assert {jc.get(m("val")) for jc in root.iter(m("mcJc"))} == {"left"}
    assert root.find(f".//{m('r')}/{m('rPr')}/{m('nor')}/../../{m('t')}").text == "otherwise"


def test_aligned_lines_are_right_and_left_justified_columns_with_every_cell_filled():
    root = omml_tree(r"\begin{aligned} a &= b \\ &= c \end{aligned}")
    assert [jc.get(m("val")) for jc in root.iter(m("mcJc"))] == ["right", "left"]
    rows = [[text_of(cell) for cell in row] for row in root.iter(m("mr"))]
    assert rows == [["a", " = b"], [" ", " = c"]]


def test_roots_accents_and_limits_have_their_own_structures():
    root = omml_tree(r"\sqrt{x} + \sqrt[3]{y} + \hat{z} + \bar{w} + \overline{v} + \max_k a_k")
    radicals = root.findall(f".//{m('rad')}")
    assert radicals[0].find(f"{m('radPr')}/{m('degHide')}").get(m("val")) == "on"
    assert text_of(radicals[1].find(m("deg"))) == "3"
    accents = [accent.find(f"{m('accPr')}/{m('chr')}").get(m("val")) for accent in root.iter(m("acc"))]
    assert accents == ["\u0302", "\u0305"]
    assert root.find(f".//{m('bar')}/{m('barPr')}/{m('pos')}").get(m("val")) == "top"
    assert text_of(root.find(f".//{m('limLow')}/{m('lim')}")) == "k"


def test_function_names_and_upright_letters_are_plain_style_runs():
    root = omml_tree(r"\log x + \mathrm{d}x + \operatorname{softmax}(z)")
    upright = [text_of(run) for run in root.iter(m("r")) if run.find(f"{m('rPr')}/{m('sty')}") is not None]
    assert upright == ["log", "d", "softmax"]


def test_with_a_font_every_run_carries_powerpoint_run_properties():
    root = omml_tree(r"\frac{a}{b}", font="Cambria Math", size_pt=28, color="#1F2933")
    runs = list(root.iter(m("r")))
    assert runs
    for run in runs:
        props = run.find(f"{{{A}}}rPr")
        assert props.get("sz") == "2800"
        assert props.find(f"{{{A}}}latin").get("typeface") == "Cambria Math"
        assert props.find(f"{{{A}}}solidFill/{{{A}}}srgbClr").get("val") == "1F2933"
        assert etree.QName(run[-1]).localname == "t"


# Child order of every OMML structure the translator writes (ECMA-376 Part 1, 22.1).
SCHEMA = {
    "f": ["fPr", "num", "den"], "nary": ["naryPr", "sub", "sup", "e"], "rad": ["radPr", "deg", "e"],
    "sSub": ["e", "sub"], "sSup": ["e", "sup"], "sSubSup": ["e", "sub", "sup"], "limLow": ["e", "lim"],
    "limUpp": ["e", "lim"], "acc": ["accPr", "e"], "bar": ["barPr", "e"], "groupChr": ["groupChrPr", "e"],
    "naryPr": ["chr", "limLoc", "subHide", "supHide"], "dPr": ["begChr", "sepChr", "endChr"],
    "mPr": ["baseJc", "plcHide", "mcs"], "mcPr": ["count", "mcJc"], "rPr": ["nor", "scr", "sty"],
}


@pytest.mark.parametrize("tex", corpus(), ids=lambda tex: tex[:40])
def test_omml_children_come_in_schema_order(tex):
    for element in omml_tree(tex).iter():
        expected = SCHEMA.get(etree.QName(element).localname)
        if expected is None or etree.QName(element).namespace != M:
            continue
        names = [etree.QName(child).localname for child in element if etree.QName(child).namespace == M]
        assert names == [name for name in expected if name in names], names


# ---------------------------------------------------------------- Unicode runs


def test_greek_and_symbols_become_unicode_and_fractions_a_slash():
    assert to_unicode(r"\alpha \cdot \beta \odot \nabla \infty") == [("α · β ⊙ ∇∞", "")]
    assert to_unicode(r"\frac{a}{b}") == [("a/b", "")]
    assert to_unicode(r"\frac{a+b}{c}") == [("(a + b)/c", "")]


def test_blackboard_and_calligraphic_letters_become_their_unicode_letters():
    assert to_unicode(r"x \in \mathbb{R}^d, \mathcal{L}") == [("x ∈ ℝ", ""), ("d", "sup"), (", ℒ", "")]


def test_scripts_are_runs_at_their_position_and_nested_ones_flatten():
    assert to_unicode(r"W_i^Q") == [("W", ""), ("i", "sub"), ("Q", "sup")]
    assert to_unicode(r"e^{x_i}") == [("e", ""), ("xi", "sup")]
    assert to_unicode(r"x^{\top} y") == [("x", ""), ("⊤", "sup"), ("y", "")]


def test_attention_reads_naturally_as_text():
    runs = to_unicode(r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V")
    assert runs == [("softmax(QK", ""), ("⊤", "sup"), ("/√d", ""), ("k", "sub"), (")V", "")]


def test_accents_combine_with_their_letter_and_function_names_keep_a_space():
    assert to_unicode(r"\hat{y} = \log x") == [("\u0177 = log x", "")]


# ---------------------------------------------------------------- cache


def test_a_result_is_kept_in_its_outputs_bundle_and_read_back_instead_of_typeset_again(cache):
    with diskcache.bundled("papers/p/docs/p-handout.pdf"):
        first = typeset(r"\frac{a}{b}", display=True, size_pt=20)
    files = list(cache.rglob("*.json"))
    assert len(files) == 1
    assert not list(cache.rglob("*.tmp"))
    bundle = json.loads(files[0].read_text(encoding="utf-8"))
    key = next(key for key in bundle if json.loads(key)[0] == "typeset")
    bundle[key]["svg"] = "<svg>from the cache</svg>"
    files[0].write_text(json.dumps(bundle), encoding="utf-8")
    equations.clear_memory_cache()
    with diskcache.bundled("papers/p/docs/p-handout.pdf"):
        assert typeset(r"\frac{a}{b}", display=True, size_pt=20).svg == "<svg>from the cache</svg>"
    assert first.svg != "<svg>from the cache</svg>"


def test_an_outputs_bundle_holds_what_its_last_build_used_and_only_that(cache):
    with diskcache.bundled("a.pdf"):
        typeset("x^2", display=True, size_pt=20)
        typeset("y^2", display=True, size_pt=20)
    with diskcache.bundled("b.pdf"):
        typeset("x^2", display=True, size_pt=20)  # found in memory: kept for b all the same
    with diskcache.bundled("a.pdf"):
        typeset("y^2", display=True, size_pt=20)

    def formulas(bundle: Path) -> list[str]:
        return sorted({json.loads(key)[1][0] for key in json.loads(bundle.read_text(encoding="utf-8"))})

    assert sorted(formulas(bundle) for bundle in cache.rglob("*.json")) == [["x^2"], ["y^2"]]


def test_formulas_are_kept_on_disk_only_for_an_output_being_built(cache):
    typeset("x^2", display=True, size_pt=20)
    assert not list(cache.rglob("*.json"))


def test_a_process_whose_formulas_are_all_cached_never_loads_the_typesetter(cache):
    formulas = [r"\alpha_i^2", r"\frac{QK^\top}{\sqrt{d_k}}", r"\frac{a}{"]
    with diskcache.bundled("deck.pptx"):
        runs = [to_unicode(tex) for tex in formulas]
    script = (
        "import sys, json; from pathlib import Path; from decks import diskcache, equations as e;"
        "diskcache.keep_in(Path(sys.argv[1]).parent); bundle = diskcache.bundled('deck.pptx'); bundle.__enter__();"
        f"runs = [e.to_unicode(tex) for tex in {formulas!r}]; problems = [e.check(tex) for tex in {formulas!r}];"
        "print(json.dumps([runs, problems, 'latex2mathml' in sys.modules, 'ziamath' in sys.modules]))"
    )
    output = subprocess.run([sys.executable, "-c", script, str(cache)], capture_output=True, text=True, check=True)
    cached_runs, problems, *loaded = json.loads(output.stdout)
    assert [[tuple(run) for run in found] for found in cached_runs] == runs
    assert problems[:2] == ["", ""] and problems[2]
    assert loaded == [False, False]


def test_a_fresh_process_reads_the_same_results_from_the_cache(cache):
    with diskcache.bundled("deck.pptx"):
        results = (typeset(r"\sum_i x_i", display=True, size_pt=20), to_omml(r"\sum_i x_i", display=True),
                   to_png(r"\sum_i x_i", display=True, size_pt=20))
    script = (
        "import sys, json, base64; from pathlib import Path; from decks import diskcache, equations as e;"
        "diskcache.keep_in(Path(sys.argv[1]).parent); bundle = diskcache.bundled('deck.pptx'); bundle.__enter__();"
        "r = e.typeset(r'\\sum_i x_i', display=True, size_pt=20); p = e.to_png(r'\\sum_i x_i', display=True, size_pt=20);"
        "print(json.dumps([r.svg, r.depth_pt, e.to_omml(r'\\sum_i x_i', display=True), base64.b64encode(p[0]).decode(),"
        " 'ziamath' in sys.modules]))"
    )
    output = subprocess.run([sys.executable, "-c", script, str(cache)], capture_output=True, text=True, check=True)
    svg, depth, omml, png, loaded = json.loads(output.stdout)
    assert (svg, depth, omml) == (results[0].svg, results[0].depth_pt, results[1])
    assert png == __import__("base64").b64encode(results[2][0]).decode()
    assert loaded is False


def test_an_unreadable_bundle_is_typeset_again(cache):
    with diskcache.bundled("handout.pdf"):
        first = typeset("x^2", display=True, size_pt=20)
    for entry in cache.rglob("*.json"):
        entry.write_text("not json", encoding="utf-8")
    equations.clear_memory_cache()
    with diskcache.bundled("handout.pdf"):
        assert typeset("x^2", display=True, size_pt=20) == first


# ---------------------------------------------------------------- brackets, matrices and LibreOffice


def test_a_script_after_a_closing_bracket_applies_to_the_whole_bracketed_group():
    root = omml_tree(r"\mathrm{softmax}(x)_i + f(g(x))_k + \|x\|_2")
    bases = [text_of(script.find(m("e"))) for script in root.iter(m("sSub"))]
    assert bases == ["(x)", "(g(x))", "‖x‖"]


def test_a_sum_over_a_bracketed_square_ends_at_the_plus_after_it():
    root = omml_tree(r"\sum_j (x_j)^2 + 1")
    nary = root.find(f".//{m('nary')}")
    assert text_of(nary.find(m("e"))) == "(xj)2"
    assert text_of(root.find(m("oMath"))).endswith("+1")


def test_a_matrix_among_other_terms_grows_with_its_brackets():
    root = omml_tree(r"A = \begin{pmatrix} a & b \\ c & d \end{pmatrix}, \quad B = \begin{bmatrix} 1 \end{bmatrix}")
    delimiters = root.findall(f".//{m('d')}")
    assert [d.find(f"{m('dPr')}/{m('begChr')}").get(m("val")) for d in delimiters] == ["(", "["]
    assert all(d.find(f"{m('e')}/{m('m')}") is not None for d in delimiters)


def test_a_script_after_a_matrix_applies_to_the_whole_matrix():
    tex = r"A^{-1} = \begin{pmatrix} d & -b \\ -c & a \end{pmatrix}^{\top}"
    assert check(tex) == ""
    scripted = omml_tree(tex).findall(f".//{m('sSup')}")[-1]
    assert scripted.find(f"{m('e')}/{m('d')}/{m('e')}/{m('m')}") is not None
    assert text_of(scripted.find(m("sup"))) == "⊤"
    assert typeset(tex, display=True, size_pt=20).problem == ""


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_picture_of_an_equation_in_the_theme_colour_not_its_own_black_formula(tmp_path):
    """LibreOffice's own OMML import draws formulas black, in its fonts, stretched to the box."""
    from decks.markdown import read_document
    from decks.slides.render import write_deck
    from decks.themes import load_theme

    root = Path(__file__).parents[1]
    tex = r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}"
    document, _ = read_document(f"# Deck\n\n## Softmax\n\n$$\n{tex}\n$$\n", "papers/x/overview.md")
    deck = tmp_path / "dark.pptx"
    write_deck(document, load_theme("dark", root / "themes"), deck, repo_root=root, timestamp=0)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=240)
    with zipfile.ZipFile(deck) as package:
        media = [name for name in package.namelist() if name.startswith("ppt/media/")]
        pictures = [Image.open(io.BytesIO(package.read(name))) for name in media]
    with pdfplumber.open(tmp_path / "dark.pdf") as pdf:
        page = pdf.pages[1]
        drawn = [image["srcsize"] for image in page.images]
        assert "softmax" not in (page.extract_text() or "")
    assert [picture.size for picture in pictures] == drawn
    text_colour = load_theme("dark", root / "themes").colour("text")
    colours = pictures[0].convert("RGBA").getcolors(1 << 24)
    count, ink = max((count, colour) for count, colour in colours if colour[3] == 255)
    assert "%02X%02X%02X" % ink[:3] == text_colour.lstrip("#").upper()


def test_typesetting_work_grows_with_nesting_not_exponentially(monkeypatch):
    typeset("x", display=True, size_pt=10.5)  # ziamath loaded (quietly) and set up
    from ziamath.nodes.mnode import Mnode

    built = []
    build = Mnode.__init__

    def counted(node: object, *args: object, **options: object) -> None:
        built.append(node)
        build(node, *args, **options)

    monkeypatch.setattr(Mnode, "__init__", counted)

    def nodes_for(depth: int) -> int:
        built.clear()
        tex = "x"
        for _ in range(depth):
            tex = rf"\frac{{1}}{{{tex} + y}}"
        equations.clear_memory_cache()
        assert typeset(tex, display=True, size_pt=10.5).svg
        return len(built)

    assert nodes_for(6) <= 3 * nodes_for(3)  # each row laid out once: twice per level above it made 2,527 vs 287
