"""Turn LaTeX into what a reader sees: SVG and PNG pictures, Office Math for PowerPoint, Unicode runs.

One pipeline serves every output. The LaTeX is normalised to what latex2mathml reads
(macros expanded, environments, ``\\operatorname*``, colours), converted once to
MathML, checked and polished; the MathML is then typeset by ziamath (SVG, and PNG
through cairosvg), translated to OMML (``omml.py``) or flattened to text. Bad LaTeX
never raises: ``typeset`` returns a ``problem`` reason, the other functions an empty
result, and ``check`` the reason. Results are pure functions of their arguments,
kept in memory and, while an output is built (``diskcache.bundled``), on disk in its
bundle, so a rebuild does not typeset the same formula twice.
"""

from __future__ import annotations

import base64
import copy
import functools
import io
import itertools
import json
import re
import sys
import threading
import unicodedata
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.etree import ElementTree

from lxml import etree

from decks import diskcache, omml

__all__ = [
    "Rendered", "check", "clear_memory_cache", "collect_macros", "defines_only", "to_mathml",
    "to_omml", "to_png", "to_unicode", "typeset",
]


@dataclass(frozen=True)
class Rendered:
    """A typeset formula: an SVG sized in points, and where its baseline is.

    ``depth_pt`` is the distance from the baseline down to the bottom of the picture,
    so inline HTML aligns it with ``vertical-align: -{depth_pt}pt``. ``problem`` says
    why the LaTeX could not be typeset (then ``svg`` is empty); it is "" when all went well.
    """

    svg: str
    width_pt: float
    height_pt: float
    depth_pt: float
    problem: str = ""


# ---------------------------------------------------------------- public API


def typeset(tex: str, *, display: bool, size_pt: float, color: str = "000000", preamble: str = "") -> Rendered:
    """The formula as SVG, in ziamath's STIX Two Math, ``size_pt`` being the font size.

    ``preamble`` holds macro definitions from elsewhere on the page (``collect_macros``).
    """
    return _typeset(tex, display, float(size_pt), _hex(color), preamble)


def to_png(tex: str, *, display: bool, size_pt: float, dpi: int = 300, color: str = "000000",
           preamble: str = "") -> tuple[bytes, float, float]:
    """The formula as a transparent PNG at ``dpi``, and its size in points.

    The pixel size is the point size times ``dpi / 72``. Empty bytes and zero sizes
    when the formula cannot be typeset (``check`` or ``typeset`` say why).
    """
    return _to_png(tex, display, float(size_pt), int(dpi), _hex(color), preamble)


def to_omml(tex: str, *, display: bool, font: str = "", size_pt: float = 0.0, color: str = "",
            preamble: str = "") -> str:
    """The formula as ``m:oMathPara`` (display) or ``m:oMath`` (inline) XML, "" if it cannot be converted.

    The ``m`` namespace is declared on the root. With ``font``, ``size_pt`` or ``color``
    every run also carries PowerPoint's ``a:rPr`` (and the root declares ``a``), which
    is how PowerPoint stores the math font, size and colour of an equation.
    """
    return _to_omml(tex, display, font, float(size_pt), _hex(color) if color else "", preamble)


def to_unicode(tex: str, *, preamble: str = "") -> list[tuple[str, str]]:
    """Inline math as text runs for a deck: ``[(text, position)]``, position "", "sub" or "sup".

    Greek and symbols become Unicode (α, ∑, ⊤, ℝ, ℒ), ``\\frac{a}{b}`` becomes a/b and
    nested scripts flatten to one level. Empty when the formula cannot be read.
    """
    return list(_to_unicode(tex, preamble))


def check(tex: str, *, preamble: str = "") -> str:
    """Why the LaTeX cannot be typeset, or "" when it can (cheap: no typesetting)."""
    return _mathml(tex, False, preamble)[1]


def to_mathml(tex: str, *, display: bool, preamble: str = "") -> str:
    """The checked MathML every output starts from; "" when the LaTeX is bad."""
    mathml, problem = _mathml(tex, display, preamble)
    return "" if problem else mathml


def clear_memory_cache() -> None:
    """Forget the results kept in this process (the disk cache stays)."""
    _memory.clear()
    _to_unicode.cache_clear()


# ---------------------------------------------------------------- ziamath, placed as TeX places

_EMPTY_ROW = (9999.0, -9999.0)  # the lowest and highest point ziamath gives a row with nothing in it


class _IntegralCorrections:
    """The font's italic corrections, kept for integral signs only.

    ziamath already counts a letter's overhang in its width and then adds the italic
    correction too, so W^O and V^π got a visible gap; integrals need theirs to pull
    their lower limit back under the slant.
    """

    def __init__(self, table: object, glyphs: frozenset[int]) -> None:
        self.table = table
        self.glyphs = glyphs

    def getvalue(self, index: int) -> int | None:
        return self.table.getvalue(index) if index in self.glyphs else None  # type: ignore[attr-defined]


@functools.cache
def _ziamath() -> ModuleType:
    """ziamath (and its LaTeX reader), imported and set up on first use.

    A build whose formulas are all in the disk cache never needs it: importing it
    costs a tenth of a second in every process otherwise.
    """
    with warnings.catch_warnings():  # ziamath 0.13 calls importlib.resources.path(), deprecated, on import
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziamath
        import ziamath.tex
    _configure_ziamath(ziamath)
    return ziamath


def _configure_ziamath(ziamath: ModuleType) -> None:
    """Set ziamath up once: plain SVG paths, scripts placed as TeX places them.

    Plain paths (no SVG2 ``<symbol>``/``<use>``) leave no ids to clash when a handout
    page holds many formulas, and WeasyPrint draws them faster: it parses a used
    symbol again at every use. TeX and MathJax use neither the math kerning that tucks
    P_k under the P nor letter italic corrections on top of the overhang; without
    them scripts sit where readers of LaTeX expect them. And each node reads its
    parent's style without ziamath copying it first (``_style_from_parent``), a
    glyph's outline is worked out once per scale (``_compact_glyph_path``), a
    length is read from its MathML attribute once (``_length_in_pixels``), and the
    advance of a pair of glyphs is looked up once (``_advance_per_pair``).
    """
    from ziafont import Font
    from ziafont.glyph import SimpleGlyph
    from ziamath import operators, styles
    from ziamath.nodes import mfrac, mnode
    from ziamath.nodes.mnode import Mnode
    from ziamath.nodes.mrow import Mrow

    ziamath.config.svg2 = False
    if not hasattr(styles.parse_style, "parses"):
        styles.parse_style = _style_from_parent(styles.parse_style, styles)
        for module in (mnode, mfrac, ziamath.zmath):  # each imported the function by name
            module.parse_style = styles.parse_style
    if not hasattr(SimpleGlyph.svgpath, "writes"):
        SimpleGlyph.svgpath = _compact_glyph_path(SimpleGlyph.svgpath)
    if not hasattr(Mnode.size_px, "reads"):
        Mnode.size_px = _length_in_pixels(Mnode.size_px)
    if not hasattr(Font.advance, "advances"):
        Font.advance = _advance_per_pair(Font.advance)
    if not hasattr(Mrow._get_height_nostretch, "measures"):
        stretchy = frozenset(name for (name, _), values in operators.operators.items()
                             if values.get("stretchy", "false") != "false")
        Mrow._get_height_nostretch = _measured_only_to_stretch(Mrow._get_height_nostretch, stretchy)
    font = ziamath.zmath.loadedfonts["default"]
    if isinstance(font.math.italicsCorrection, _IntegralCorrections):
        return
    glyphs: set[int] = set()
    for char in operators.integrals:
        index = font.glyphindex(char)
        glyphs |= {index, *font.math.listvariants(index).values()}
    font.math.italicsCorrection = _IntegralCorrections(font.math.italicsCorrection, frozenset(glyphs))
    font.math.kernInfo = None


def _measured_only_to_stretch(measure: Callable[..., tuple[float, float]], stretchy: Collection[str]
                              ) -> Callable[..., tuple[float, float]]:
    """ziamath's measure of a row's height without its stretchy operators, skipped for rows that have none.

    ziamath lays each row out twice: first a copy of each child, to learn how
    tall a fence like ``(`` or ``|`` in it must stretch, then the row itself.
    Rows nest, so a symbol deep in a formula was laid out twice per level above
    it. Only an operator that stretches (``stretchy`` names the characters its
    dictionary lets stretch, in any position) or ``mfenced`` reads that height,
    so a row with none below it is laid out once; it gets the height of an empty
    row, which nothing reads. A row that has one is measured as ziamath does,
    but each child is copied with ``copy.deepcopy`` rather than written out as
    XML and parsed back (a seventh of a formula's time): the same elements.
    Every formula comes out the same.
    """
    from ziamath.nodes.mnode import Mnode
    from ziamath.nodes.nodetools import elementtext

    def height(row: object, line: list[Any], **options: Any) -> tuple[float, float]:
        if not any(_may_stretch(element, stretchy) for child in line for element in child.iter()):
            return _EMPTY_ROW
        ymin, ymax = _EMPTY_ROW
        for child in line:
            if child.tag == "mo" and elementtext(child) == "":
                continue
            # A copy, as laying a node out changes its element's attributes; its stretchy operators left out.
            node = Mnode.fromelement(copy.deepcopy(child), parent=row, **{**options, "nostretch": True})
            ymin, ymax = min(ymin, node.bbox.ymin), max(ymax, node.bbox.ymax)
        return ymin, ymax

    height.measures = measure  # type: ignore[attr-defined]
    return height


def _style_from_parent(parse: Callable[..., Any], styles: ModuleType) -> Callable[..., Any]:
    """ziamath's ``parse_style``, reading a node's style attributes with its parent's style as the default.

    ziamath turns the parent's style into a dict with ``dataclasses.asdict``,
    which copies every field deeply, and chains it behind the attributes, for
    every node: a tenth of a formula's time. The values are the same read
    straight off the two. A CSS ``style`` attribute (rare) and the root, which
    has no parent, are left to ziamath.
    """

    def parse_style(element: Any, parent_style: Any = None) -> Any:
        attributes = element.attrib
        if parent_style is None or "style" in attributes:
            return parse(element, parent_style)
        return styles.MathStyle(
            mathvariant=styles.parse_variant(attributes.get("mathvariant", styles.config.math.variant),
                                             parent_style.mathvariant),
            displaystyle=attributes.get("displaystyle", parent_style.displaystyle) in ("true", True),
            mathcolor=attributes.get("mathcolor", parent_style.mathcolor),
            mathbackground=attributes.get("mathbackground", parent_style.mathbackground),
            mathsize=attributes.get("mathsize", parent_style.mathsize),
            scriptlevel=int(attributes.get("scriptlevel", parent_style.scriptlevel)),
        )

    parse_style.parses = parse  # type: ignore[attr-defined]
    return parse_style


def _compact_glyph_path(write: Callable[..., Any]) -> Callable[..., Any]:
    """ziafont's ``<path>`` of a glyph's outline, written compact (``_compacted``) from its outline at that scale.

    ziafont works every point of every outline out and formats it at each use
    of the glyph, which took a quarter of a formula's time. The outline at a
    scale is the same wherever the glyph stands, so it is worked out and
    compacted once (``_outline``); a use only adds its position to each point
    and formats the sums, the very numbers ziafont wrote. An outline of cubic
    curves (a CFF font) is left to ziafont.
    """
    from ziafont.config import config

    def path(glyph: Any, x0: float = 0, y0: float = 0, scale_factor: float = 1) -> Any:
        outline = _outline(glyph, scale_factor)
        if outline is None:
            return write(glyph, x0, y0, scale_factor)
        if not outline:
            return None
        number = f".{config.precision}f"
        written: list[str] = []
        for letter, points in outline:
            written.append(letter)
            for x, y in points:  # y as the font has it, upwards; SVG's goes down
                written.append(format(x0 + x, number).rstrip("0").rstrip("."))
                written.append(format(y0 - y, number).rstrip("0").rstrip("."))
        return ElementTree.Element("path", attrib={"d": " ".join(written)})

    path.writes = write  # type: ignore[attr-defined]
    return path


_Outline = tuple[tuple[str, tuple[tuple[float, float], ...]], ...]  # (letter, points in points from the origin)


def _outline(glyph: Any, scale_factor: float) -> _Outline | None:
    """The glyph's outline at ``scale_factor``, compacted, kept on the glyph for each scale; None for cubic curves."""
    kept: dict[float, _Outline | None] = glyph.__dict__.setdefault("_outlines", {})
    if scale_factor not in kept:
        scale = glyph.funits_to_points(1, scale_factor)
        steps: list[tuple[str, tuple[tuple[float, float], ...]]] = []
        for operator in glyph.operators:
            letter = _OUTLINE_STEPS.get(type(operator).__name__)
            if letter is None:
                kept[scale_factor] = None
                return None
            if letter == "M" and steps:
                steps.append(("Z", ()))
            steps.append((letter, tuple((point.x * scale, point.y * scale) for point in operator.points()[0])))
        kept[scale_factor] = _compacted([*steps, ("Z", ())]) if steps else ()
    return kept[scale_factor]


_OUTLINE_STEPS = {"Moveto": "M", "Lineto": "L", "Quad": "Q"}  # ziafont's outline operators, as path letters


def _advance_per_pair(advance: Callable[..., int]) -> Callable[..., int]:
    """ziafont's advance of a glyph followed by another (its kerning included), worked out once per pair and font.

    ziafont runs the font's positioning lookups for the pair at every ask, tens
    of thousands of times a handout: a tenth of a formula's time. The answer
    depends only on the two glyphs and whether the font kerns.
    """
    def font_advance(font: Any, glyph: int, glyph2: int | None) -> int:
        pairs: dict[tuple[int, int | None, bool], int] = font.__dict__.setdefault("_advances", {})  # kept on the font
        key = (glyph, glyph2, bool(font.features.get("kern", True)))
        if key not in pairs:
            pairs[key] = advance(font, glyph, glyph2)
        return pairs[key]

    font_advance.advances = advance  # type: ignore[attr-defined]
    return font_advance


def _length_in_pixels(read: Callable[..., float]) -> Callable[..., float]:
    """ziamath's reading of a MathML length (``0.2em``, ``thinmathspace``), done once per length and font size.

    ziamath builds its table of named spaces and parses the string at every
    ask, thousands of times a handout; the answer depends on nothing else.
    """
    known = functools.lru_cache(maxsize=4096)(lambda size, fontsize: read(None, size, fontsize))

    def size_px(node: Any, size: str, fontsize: float | None = None) -> float:
        return known(size, node.glyphsize if fontsize is None else fontsize)

    size_px.reads = read  # type: ignore[attr-defined]
    return size_px


def _may_stretch(element: Any, stretchy: Collection[str]) -> bool:
    """An element that may stretch to its row: a fence, or an operator (an ``mi`` ziamath reads as one too)."""
    if element.tag == "mfenced":
        return True
    if element.tag not in ("mo", "mi"):
        return False
    return (element.text or "").strip() in stretchy or element.get("stretchy", "false") != "false"


# ---------------------------------------------------------------- LaTeX -> MathML

_LOCK = threading.Lock()  # latex2mathml and ziamath keep module-level state
_ALIGNED = ("align", "align*", "aligned", "flalign", "flalign*", "split", "eqnarray", "eqnarray*",
            "alignat", "alignat*", "alignedat")
_GATHERED = ("gather", "gather*", "gathered", "multline", "multline*")
_DROPPED = ("equation", "equation*", "displaymath", "math")
_MATRICES = ("matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix",
             "matrix*", "pmatrix*", "bmatrix*", "Bmatrix*", "vmatrix*", "Vmatrix*")
_KNOWN = frozenset({"smallmatrix", "array", "cases", "dcases", "subarray"}
                   | set(_MATRICES) | set(_ALIGNED) | set(_GATHERED) | set(_DROPPED))
_LATEX2MATHML_REASONS = {
    "NumeratorNotFoundError": "a fraction has no numerator",
    "DenominatorNotFoundError": "a fraction has no denominator",
    "ExtraLeftOrMissingRightError": "\\left and \\right do not pair up",
    "MissingSuperScriptOrSubscriptError": "'^' or '_' has nothing after it",
    "DoubleSubscriptsError": "double subscript; use braces, as in x_{i_j}",
    "DoubleSuperscriptsError": "double superscript; use braces, as in x^{a^b}",
    "NoAvailableTokensError": "the formula ends too early: a command is missing its argument",
    "InvalidStyleForGenfracError": "invalid style argument to \\genfrac",
    "MissingEndError": "\\begin{...} without a matching \\end{...}",
    "InvalidAlignmentError": "invalid column alignment in an array",
    "InvalidWidthError": "invalid width in a spacing command",
    "LimitsMustFollowMathOperatorError": "\\limits must follow an operator such as \\sum",
}
_FENCES = frozenset("|‖∣∥⟨⟩⌊⌋⌈⌉()[]{}")
_CLOSERS = frozenset(")]}|‖⟩⌋⌉")
_ENDS_TERM = frozenset(")]}⟩⌋⌉,;=<>≤≥≈≠≡∝∼")
_ARITY = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2, "msubsup": 3, "munderover": 3}
_SPACING = re.compile(r"\\[,;:! ]|~|\\(?:thinspace|medspace|thickspace|quad|qquad)(?![A-Za-z])")


def _mathml(tex: str, display: bool, preamble: str) -> tuple[str, str]:
    """(MathML, problem) for the LaTeX; the MathML is namespace-free and already checked.

    Kept on disk too: a deck's inline formulas only need this, so a rebuild whose
    formulas are all cached never imports ziamath (a quarter of a second).
    """
    def convert() -> dict[str, object]:
        mathml, problem = _mathml_now(tex, display, preamble)
        return {"mathml": mathml, "problem": problem}

    data = _cached("mathml", (tex, display, preamble), convert)
    return str(data["mathml"]), str(data["problem"])


def _mathml_now(tex: str, display: bool, preamble: str) -> tuple[str, str]:
    if not tex.strip():
        return "", "empty formula"
    normal, starred, problem = _normalise(f"{preamble}\n{tex}" if preamble else tex)
    if problem:
        return "", problem
    try:
        with _LOCK:
            mathml = _ziamath().tex.tex2mml(normal, inline=not display)
    except Exception as error:  # noqa: BLE001 - latex2mathml fails on bad input with assorted exceptions
        name = type(error).__name__
        return "", _LATEX2MATHML_REASONS.get(name, f"cannot read this formula ({name})")
    try:
        root = etree.fromstring(mathml.encode())
    except etree.XMLSyntaxError:  # latex2mathml leaves a stray & unescaped
        return "", "cannot read this formula (misplaced '&' or environment)"
    for element in root.iter():
        element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(root)
    problem = _mathml_problem(root)
    if problem:
        return "", problem
    if not "".join(root.itertext()).strip():
        return "", "the formula shows nothing"
    _polish(root, starred=starred, display=display)
    return etree.tostring(root, encoding="unicode"), ""


def _normalise(tex: str) -> tuple[str, frozenset[str], str]:
    """LaTeX as GitHub's MathJax reads it, rewritten into what latex2mathml understands.

    Returns (LaTeX, names of operators with limits under them, problem). Macros are
    expanded; environments that only number or group lines become ``align*`` or a
    centred array; colours are dropped (the theme colours formulas);
    ``\\operatorname*`` and ``\\arg\\max`` become operators with limits.
    """
    problem = _brace_problem(tex)
    if problem:
        return "", frozenset(), problem
    tex, problem = _expand_macros(tex)
    if problem:
        return "", frozenset(), problem
    if not tex.strip():
        return "", frozenset(), "the formula only defines macros (pass them to the others with collect_macros)"
    tex = re.sub(r"\\(?:label|ref|eqref)\s*\{[^{}]*\}|\\(?:nonumber|notag|nolimits)(?![A-Za-z])", "", tex)
    tex = re.sub(r"\\tag\*?\s*\{([^{}]*)\}", r"\\qquad\\text{(\1)}", tex)
    tex = re.sub(r"\\color\s*\{[^{}]*\}", "", tex)
    tex = re.sub(r"\\(?:textcolor|colorbox)\s*\{[^{}]*\}", "", tex)
    tex = re.sub(r"\\(?:mathds|mathbbm)(?![A-Za-z])", r"\\mathbb", tex)
    tex = re.sub(r"\\(?:textsc|textsl|textup|textmd)(?![A-Za-z])", r"\\text", tex)
    tex = re.sub(r"\\arg\s*\\(max|min)(?![A-Za-z])", r"\\arg\1", tex)
    tex = re.sub(r"\\mathop\s*\{\s*\\(?:mathrm|text|operatorname)\s*\{([^{}]*)\}\s*\}", r"\\operatorname*{\1}", tex)
    starred = frozenset(_SPACING.sub("\u2009", name).strip() for name in re.findall(r"\\operatorname\*\s*\{([^{}]*)\}", tex))
    tex = re.sub(r"\\operatorname\*?\s*\{([^{}]*)\}", _operator_name, tex)
    tex, problem = _environments(tex)
    if problem:
        return "", frozenset(), problem
    newline, ampersand = _top_level_marks(tex)
    if ampersand:
        return "", frozenset(), ("'&' outside an alignment environment; "
                                 "wrap the lines in \\begin{aligned} ... \\end{aligned}")
    if newline:
        tex = _gathered(tex)
    return tex, starred, ""


_DEFINITION = re.compile(r"\\(?:(?:(?:re)?new|provide)command\*?|DeclareMathOperator\*?|def)(?![A-Za-z])")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)", re.DOTALL)


def _argument(tex: str, start: int) -> tuple[str, int]:
    """The TeX argument at ``start`` (a braced group, a command or one character) and where it ends."""
    i = start
    while i < len(tex) and tex[i].isspace():
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] != "{":
        command = _COMMAND.match(tex, i)
        end = command.end() if command else i + 1
        return tex[i:end], end
    depth = 0
    for j in range(i, len(tex)):
        if tex[j] == "\\":
            continue
        if tex[j] == "{" and (j == 0 or tex[j - 1] != "\\"):
            depth += 1
        elif tex[j] == "}" and tex[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return tex[i + 1:j], j + 1
    return tex[i + 1:], len(tex)


def _definition_spans(tex: str) -> Iterator[tuple[int, int, str, int, str]]:
    """Each macro definition in a formula: (start, end, name, argument count, body)."""
    end = 0
    for match in _DEFINITION.finditer(tex):
        if match.start() < end:
            continue  # inside the body of the previous definition
        name, end = _argument(tex, match.end())
        count = 0
        arguments = re.match(r"\s*\[(\d)\]", tex[end:])
        if arguments:
            count, end = int(arguments.group(1)), end + arguments.end()
        body, end = _argument(tex, end)
        if match.group().startswith("\\DeclareMathOperator"):
            body = ("\\operatorname*{" if match.group().endswith("*") else "\\operatorname{") + body + "}"
        yield match.start(), end, name.strip(), count, body


def _expand_macros(tex: str) -> tuple[str, str]:
    """The formula with its own ``\\newcommand``/``\\def``/``\\DeclareMathOperator`` macros expanded.

    latex2mathml knows these too, but leaves ``#1`` inside ``\\text`` unexpanded.
    """
    macros: dict[str, tuple[int, str]] = {}
    for start, end, name, count, body in reversed(list(_definition_spans(tex))):
        macros.setdefault(name, (count, body))  # the last definition wins
        tex = tex[:start] + tex[end:]
    if not macros:
        return tex, ""
    pattern = re.compile("|".join(re.escape(name) + r"(?![A-Za-z])" for name in sorted(macros, key=len, reverse=True)))
    while len(tex) < 100_000:
        match = pattern.search(tex)
        if match is None:
            return tex, ""
        count, body = macros[match.group()]
        end = match.end()
        for number in range(1, count + 1):
            argument, end = _argument(tex, end)
            body = body.replace(f"#{number}", argument)
        separator = " " if re.search(r"\\[A-Za-z]+$", body) else ""  # \\alpha must not run into what follows
        tex = tex[:match.start()] + body + separator + tex[end:]
    return "", "a macro expands without end"


def collect_macros(formulas: Iterable[str]) -> str:
    """The macro definitions in a document's formulas, in order, to pass on as ``preamble``.

    On GitHub a ``\\newcommand`` in one formula holds for the rest of the page; the
    writers pass this preamble to every formula of the document to get the same.
    """
    return "\n".join(tex[start:end] for tex in formulas for start, end, *_ in _definition_spans(tex))


def defines_only(tex: str) -> bool:
    """Whether the formula only defines macros: GitHub shows nothing for it, and neither should a writer."""
    spans = list(_definition_spans(tex))
    for start, end, *_ in reversed(spans):
        tex = tex[:start] + tex[end:]
    return bool(spans) and not tex.strip()


def _operator_name(match: re.Match[str]) -> str:
    """``\\operatorname{arg\\,max}`` -> ``\\operatorname{arg max}`` with a thin space latex2mathml keeps."""
    name = _SPACING.sub("\u2009", match.group(1)).replace("\\!", "")
    name = re.sub(r"\\(?:mathrm|text)\s*\{([^{}]*)\}", r"\1", name).strip()
    if not name.replace("\u2009", "").isalpha():
        return "\\text{" + name + "}"  # latex2mathml splits top-k into italic letters and a minus
    return "\\operatorname{" + name + "}"


def _environments(tex: str) -> tuple[str, str]:
    """Rename environments latex2mathml lacks; an unknown one is a problem.

    A matrix is braced into one term, as TeX treats it: latex2mathml would give a
    script after it (``\\end{pmatrix}^T``) only the closing bracket, and keeps the
    brackets and the table together in one row, which OMML makes a growing ``m:d``.
    """
    for name in re.findall(r"\\begin\s*\{([^{}]*)\}", tex):
        if name not in _KNOWN:
            return "", f"unknown environment '{name}'"
    names = "|".join(re.escape(name) for name in _MATRICES)
    tex = re.sub(rf"\\begin\s*\{{({names})\}}", r"{\\begin{\1}", tex)
    tex = re.sub(rf"\\end\s*\{{({names})\}}", r"\\end{\1}}", tex)
    names = "|".join(re.escape(name) for name in _ALIGNED)
    tex = re.sub(rf"\\begin\s*\{{(?:{names})\}}(?:\s*\{{\d+\}})?", r"\\begin{align*}", tex)
    tex = re.sub(rf"\\end\s*\{{(?:{names})\}}", r"\\end{align*}", tex)
    names = "|".join(re.escape(name) for name in _DROPPED)
    tex = re.sub(rf"\\(?:begin|end)\s*\{{(?:{names})\}}", "", tex)
    tex = re.sub(r"\\(begin|end)\s*\{dcases\}", r"\\\1{cases}", tex)
    names = "|".join(re.escape(name) for name in _GATHERED)
    tex = re.sub(rf"\\begin\s*\{{(?:{names})\}}(.*?)\\end\s*\{{(?:{names})\}}",
                 lambda match: _gathered(match.group(1)), tex, flags=re.DOTALL)
    return tex, ""


def _gathered(tex: str) -> str:
    """Lines separated by ``\\\\``, centred and in display style (``gathered``)."""
    lines = re.split(r"\\\\", tex)
    return r"\begin{array}{c}" + r"\\".join(r"\displaystyle " + line for line in lines) + r"\end{array}"


def _scan(tex: str) -> tuple[int, bool, bool]:
    """(brace balance, any top-level ``\\\\``, any ``&`` outside environments).

    A negative balance at any point is returned at once as -1.
    """
    depth = environments = 0
    newline = ampersand = False
    i = 0
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            command = _COMMAND.match(tex, i)
            word = command.group() if command else "\\"
            if word == "\\\\" and depth == environments == 0:
                newline = True
            environments += {"\\begin": 1, "\\end": -1}.get(word, 0)
            i += len(word)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return -1, newline, ampersand
        elif char == "&" and environments <= 0:
            ampersand = True
        i += 1
    return depth, newline, ampersand


def _brace_problem(tex: str) -> str:
    depth = _scan(tex)[0]
    if depth < 0:
        return "unbalanced braces: a '}' has no matching '{'"
    if depth > 0:
        return "unbalanced braces: a '{' is never closed"
    return ""


def _top_level_marks(tex: str) -> tuple[bool, bool]:
    _, newline, ampersand = _scan(tex)
    return newline, ampersand


def _mathml_problem(root: etree._Element) -> str:
    """What latex2mathml let through silently: unknown commands, missing arguments."""
    for element in root.iter():
        command = re.search(r"\\(?:[A-Za-z]+|.)", element.text or "")
        if command:
            if command.group() == "\\end":
                return "\\end{...} without a matching \\begin{...}"
            return f"unknown command {command.group()}"
        if element.tag in _ARITY and len(element) != _ARITY[element.tag]:
            return "a fraction, root or script is missing an argument"
    return ""


def _polish(root: etree._Element, *, starred: frozenset[str], display: bool) -> None:
    """Small corrections to latex2mathml's MathML, so every output reads as TeX would set it."""
    _text_style_limits(root)
    for element in root.iter("mi", "mn", "mo", "mtable"):
        if element.tag == "mtable":
            _space_table(element)
        elif _is_function_name(element):
            text = (element.text or "").strip()
            _space_function_name(element, limits=text in starred or text in omml.LIMIT_NAMES, display=display)
        else:
            _polish_token(element)


def _polish_token(element: etree._Element) -> None:
    """One symbol: its glyph, whether it stretches, the space around it."""
    text = (element.text or "").strip()
    parent = element.getparent()
    if text == "\u0302" and parent is not None and parent.get("accent") == "true":
        element.text = "\u02c6"  # \\hat: a fixed circumflex; ziamath stretches U+0302 like \\widehat
        element.set("stretchy", "false")
    elif element.tag == "mi" and text == "~":
        element.tag, element.text = "mo", "\u223c"  # latex2mathml's \\sim
    elif element.get("mathvariant") == "double-struck" and text.isdigit():
        element.text = "".join(chr(0x1D7D8 + int(digit)) for digit in text)  # \\mathbb{1}: 𝟙
    elif element.tag != "mo":
        return
    elif text in ("\u2207", "\u2202"):
        element.set("lspace", "0em")  # \\nabla, \\partial are letters to TeX: \\nabla_\\theta hugs
        element.set("rspace", "0em")
    elif text in omml.NARY:
        element.set("stretchy", "false")  # ziamath measures a "stretchy" sum as 2000pt tall in \\left[...\\right]
    elif text in _FENCES and element.get("stretchy") is None and not _by_table(element):
        element.set("stretchy", "false")  # only \\left and \\right grow, as in TeX
    elif text in _BINARY and (_opens(element) or _closes(element)):
        element.set("lspace", "0em")  # a sign, not an operation, as TeX reads -\\frac{1}{N} or (\\cdot)
        element.set("rspace", "0em")


def _space_table(table: etree._Element) -> None:
    """Aligned lines get TeX's \\jot between them; matrices and cases a quad between columns."""
    if table.get("displaystyle") == "true":
        table.set("rowspacing", "0.5em")
    elif table.get("columnspacing") is None:
        table.set("columnspacing", "1em")


def _space_function_name(element: etree._Element, *, limits: bool, display: bool) -> None:
    """log, max, softmax as TeX spaces an operator: a thin space either side, none at a bracket.

    They become ``mo`` because ziamath pads an identifier of several letters even
    before "("; ``limits`` marks names whose limits go under them in display mode.
    """
    element.tag = "mo"
    element.set("lspace", "0em" if _opens(element) else "thinmathspace")
    element.set("rspace", "0em" if _opens_bracket(element.getnext()) else "thinmathspace")
    if limits:
        element.set("movablelimits", "true")
        if display:
            return  # the limits go under it; ziamath spaces that itself
    script = element.getparent()
    if script is not None and script.tag in ("msub", "msup", "msubsup") and script[0] is element:
        element.set("rspace", "0em")  # ziamath would put the space between log and its _2
        if script.getnext() is not None and not _opens_bracket(script.getnext()):
            script.addnext(etree.Element("mspace", width="thinmathspace"))


def _opens(element: etree._Element) -> bool:
    """Whether an operator starts its row or follows another operator (then it has no left space)."""
    parent = element.getparent()
    if parent is not None and parent.tag in omml.SCRIPTS and parent[0] is element:
        element = parent  # the base of \\max_x is spaced from what stands before \\max_x
    before = element.getprevious()
    return before is None or (before.tag == "mo" and (before.text or "").strip() not in _CLOSERS)


def _closes(element: etree._Element) -> bool:
    """Whether an operator ends its row or stands before a closing bracket, a relation or a comma."""
    after = element.getnext()
    return after is None or (after.tag == "mo" and (after.text or "").strip() in _ENDS_TERM)


def _by_table(element: etree._Element) -> bool:
    """Whether a bracket belongs to a matrix (pmatrix, vmatrix...), which must grow with it."""
    return any(sibling is not None and sibling.tag == "mtable"
               for sibling in (element.getprevious(), element.getnext()))


def _opens_bracket(element: etree._Element | None) -> bool:
    return element is not None and element.tag == "mo" and (element.text or "").strip() in ("(", "[", "{")


def _text_style_limits(root: etree._Element) -> None:
    """Sums and max inside fractions: limits beside them and a text-size sign, as in TeX's text style."""
    side = {"munder": "msub", "mover": "msup", "munderover": "msubsup"}
    for fraction in root.iter("mfrac"):
        for script in fraction.iter("msub", "msup", "msubsup", *side):
            between = [a for a in script.iterancestors() if a is not fraction and fraction in a.iterancestors()]
            display = any(a.tag == "mstyle" and a.get("displaystyle") == "true" for a in between)
            if not display and script[0].tag == "mo":
                script.tag = side.get(script.tag, script.tag)
                script.set("displaystyle", "false")
                script[0].set("displaystyle", "false")
                script[0].set("movablelimits", "false")


# ---------------------------------------------------------------- outputs


def _typeset(tex: str, display: bool, size_pt: float, color: str, preamble: str) -> Rendered:
    data = _cached("typeset", (tex, display, size_pt, color, preamble),
                        lambda: asdict(_typeset_now(tex, display, size_pt, color, preamble)))
    return Rendered(**data)


def _typeset_now(tex: str, display: bool, size_pt: float, color: str, preamble: str) -> Rendered:
    mathml, problem = _mathml(tex, display, preamble)
    if problem:
        return Rendered("", 0.0, 0.0, 0.0, problem)
    root = etree.fromstring(mathml)
    root.set("mathcolor", f"#{color}")
    margin = size_pt * 0.04  # keeps anti-aliased edges inside the picture
    try:
        with _LOCK:
            math = _ziamath().Math(etree.tostring(root, encoding="unicode"), size=size_pt, margin=margin)
            svg = math.svgxml()
            box = math.node.bbox
    except Exception as error:  # noqa: BLE001 - ziamath asserts on some odd input; never crash a build
        return Rendered("", 0.0, 0.0, 0.0, f"cannot typeset this formula ({type(error).__name__})")
    width = box.xmax - box.xmin + 2 * margin
    height = box.ymax - box.ymin + 2 * margin
    if not (2 * margin < width < 1e4 and 2 * margin < height < 1e4):
        return Rendered("", 0.0, 0.0, 0.0, "the formula shows nothing")
    svg.set("width", f"{width:.3f}pt")
    svg.set("height", f"{height:.3f}pt")
    return Rendered(_compact_svg(svg), round(width, 3), round(height, 3), round(margin - box.ymin, 3))


_MIRROR_TOLERANCE_PT = 0.0025  # ziamath rounds to 0.001 pt; this is under a thousandth of a millimetre


def _compact_svg(svg: ElementTree.Element) -> str:
    """ziamath's SVG (an ElementTree element) with each run of glyph outlines of one colour as one path.

    Fewer elements to draw. The outlines are already compact
    (``_compact_glyph_path``). Glyphs are opaque and wound alike, so filling
    them together covers what filling them one by one did.
    """
    for fill, run in [(fill, list(run)) for fill, run in itertools.groupby(list(svg), key=_glyph_fill)]:
        if fill:
            run[0].set("d", " ".join(path.get("d", "") for path in run))
            for path in run[1:]:
                svg.remove(path)
    return ElementTree.tostring(svg, encoding="unicode")


def _glyph_fill(element: ElementTree.Element) -> str:
    """The colour of a glyph outline (a path with only a shape and a fill), "" for anything else."""
    return element.get("fill", "") if element.tag == "path" and set(element.attrib) == {"d", "fill"} else ""


def _compacted(steps: Iterable[tuple[str, tuple[tuple[float, float], ...]]]) -> _Outline:
    """A glyph outline's steps (letter, points) in fewer points, the same shape.

    The zero-length line ziafont starts each contour with goes, and a quadratic
    curve whose control point mirrors the previous curve's (TrueType's implied
    on-curve points) is written as ``T`` with its end point only.
    """
    written: list[tuple[str, tuple[tuple[float, float], ...]]] = []
    start = current = (0.0, 0.0)
    control: tuple[float, float] | None = None  # the previous curve's control point, as a reader works it out
    for letter, points in steps:
        if letter == "Q":
            (x, y), end = points
            mirrored = (2 * current[0] - control[0], 2 * current[1] - control[1]) if control is not None else None
            if mirrored is not None and abs(mirrored[0] - x) <= _MIRROR_TOLERANCE_PT \
                    and abs(mirrored[1] - y) <= _MIRROR_TOLERANCE_PT:
                written.append(("T", (end,)))
                control = mirrored
            else:
                written.append(("Q", points))
                control = (x, y)
            current = end
            continue
        control = None
        if letter == "Z":
            written.append(("Z", ()))
            current = start
        elif letter == "M":
            written.append(("M", points))
            start = current = points[0]
        elif not (written and written[-1][0] == "M" and points[0] == current):
            written.append(("L", points))
            current = points[0]
    return tuple(written)


def _to_png(tex: str, display: bool, size_pt: float, dpi: int, color: str, preamble: str) -> tuple[bytes, float, float]:
    def render() -> dict[str, object]:
        rendered = _typeset(tex, display, size_pt, color, preamble)
        if rendered.problem:
            return {"png": "", "width_pt": 0.0, "height_pt": 0.0}
        png = _png(rendered.svg, color, round(rendered.width_pt / 72 * dpi), round(rendered.height_pt / 72 * dpi))
        return {"png": base64.b64encode(png).decode(), "width_pt": rendered.width_pt,
                "height_pt": rendered.height_pt}

    data = _cached("to_png", (tex, display, size_pt, dpi, color, preamble), render)
    return base64.b64decode(str(data["png"])), float(data["width_pt"]), float(data["height_pt"])  # type: ignore[arg-type]


_COLOURING = re.compile(r'\b(fill|stroke|[a-z-]*opacity|style|color)="([^"]*)"')


def _png(svg: str, color: str, width: int, height: int) -> bytes:
    """``svg`` drawn at ``width`` x ``height`` pixels, as a PNG with transparency.

    A formula is drawn in one colour (``\\color`` is dropped before it is
    typeset), so its pixels differ only in how much of each the glyphs cover.
    Written as a palette of that colour at every opacity, a pixel takes one
    byte instead of the four of cairo's own PNG writer, which took half the
    time of a deck's formulas; the picture is the same. A drawing of any
    other colouring is written by cairo.
    """
    from cairosvg.parser import Tree  # half a second to import (cairocffi); only a cache miss needs it
    from cairosvg.surface import PNGSurface

    surface = PNGSurface(Tree(bytestring=svg.encode()), None, 96, output_width=width, output_height=height).cairo
    if {(name, value.lower()) for name, value in _COLOURING.findall(svg)} != {("fill", f"#{color}".lower())}:
        written = io.BytesIO()
        surface.write_to_png(written)
        return written.getvalue()
    surface.flush()
    return _coverage_png(bytes(surface.get_data()), surface.get_width(), surface.get_height(), color)


def _coverage_png(argb: bytes, width: int, height: int, color: str) -> bytes:
    """A palette PNG of ``color`` at the opacity of each pixel of ``argb`` (cairo's ARGB32, unpadded rows)."""
    from PIL import Image

    alpha = argb[3 if sys.byteorder == "little" else 0::4]  # each pixel's 32 bits in the machine's byte order
    picture = Image.frombytes("P", (width, height), alpha)  # the opacity is the palette index
    picture.putpalette(bytes.fromhex(color) * 256)
    written = io.BytesIO()
    picture.save(written, "PNG", transparency=bytes(range(256)))
    return written.getvalue()


def _to_omml(tex: str, display: bool, font: str, size_pt: float, color: str, preamble: str) -> str:
    def convert() -> dict[str, object]:
        mathml, problem = _mathml(tex, display, preamble)
        if problem:
            return {"omml": ""}
        try:
            root = omml.omml_from_mathml(etree.fromstring(mathml), display=display)
        except Exception:  # noqa: BLE001 - an unexpected shape must not crash a build
            return {"omml": ""}
        if font or size_pt or color:
            omml.add_run_properties(root, font=font, size_pt=size_pt, color=color)
        return {"omml": etree.tostring(root, encoding="unicode")}

    return str(_cached("to_omml", (tex, display, font, size_pt, color, preamble), convert)["omml"])


@functools.lru_cache(maxsize=4096)
def _to_unicode(tex: str, preamble: str) -> tuple[tuple[str, str], ...]:
    mathml, problem = _mathml(tex, False, preamble)
    if problem:
        return ()
    return tuple(_merge(_flatten(etree.fromstring(mathml), "")))


# ---------------------------------------------------------------- MathML -> text runs

_RELATIONS = frozenset("=<>≤≥≈≠≡∝∼≃≅≔≜≪≫∈∉∋⊂⊃⊆⊇→←↦⇒⇐⇔⟹⟸⟺↔∣")
_BINARY = frozenset("+−-±∓×·⊙⊗⊕∘∗⋆∪∩∧∨")
_TEXT_ACCENTS = {"^": "\u0302", "\u0302": "\u0302", "\u02c6": "\u0302", "~": "\u0303", "\u0303": "\u0303",
                 "\u00af": "\u0304", "\u2192": "\u20d7", "\u20d7": "\u20d7", "\u02d9": "\u0307", ".": "\u0307",
                 "\u00a8": "\u0308", "\u02c7": "\u030c", "\u02d8": "\u0306", "\u00b4": "\u0301", "`": "\u0300",
                 "\u02da": "\u030a", "\u2015": "\u0305", "\u203e": "\u0305"}
_TOKEN_TEXT = str.maketrans({"\\": "\u29f5", "\u00a0": " ", "\u2061": None, "\u2062": None, "\u2063": None})
Run = tuple[str, str]


def _flatten(element: etree._Element, position: str) -> list[Run]:
    """Text runs for one MathML element; ``position`` is where its parent sits ("", sub, sup)."""
    tag = element.tag
    if tag in ("mi", "mn", "mo", "mtext", "ms"):
        return [((element.text or "").translate(_TOKEN_TEXT), position)]
    if tag == "mspace":
        return [(" ", position)] if omml.space_em(element.get("width", "0")) > 0.1 else []
    if tag == "mphantom":
        return []
    if tag in ("msub", "msup", "msubsup", "munder", "mover", "munderover"):
        return _flatten_scripts(element, position)
    if tag == "mfrac":
        numerator, denominator = (_bracketed([part], position) for part in element)
        if omml.space_em(element.get("linethickness", "1")) == 0:
            return [*numerator, ("¦", position), *denominator]  # \\binom: its brackets are siblings
        return [*numerator, ("/", position), *denominator]
    if tag == "msqrt":
        return [("√", position), *_bracketed(list(element), position)]
    if tag == "mroot":
        return [*_flatten(element[1], position or "sup"), ("√", position), *_bracketed([element[0]], position)]
    if tag == "mtable":
        rows = [[_flatten_row(list(cell), position) for cell in row] for row in element]
        runs: list[Run] = []
        for index, row in enumerate(rows):
            runs += [("; ", position)] if index else []
            for cell_index, cell in enumerate(row):
                runs += [(" ", position)] if cell_index else []
                runs += cell
        return runs
    return _flatten_row(list(element), position)


def _flatten_row(children: list[etree._Element], position: str) -> list[Run]:
    """Siblings in a row, with spaces around relations and binary operators on the baseline."""
    runs: list[Run] = []
    previous: etree._Element | None = None
    for child in children:
        text = (child.text or "").strip() if child.tag == "mo" else ""
        if not position and text in _RELATIONS:
            runs.append((f" {text} ", position))
        elif not position and text in _BINARY and previous is not None and not _is_operator(previous):
            runs.append((f" {text} ", position))
        elif not position and text in (",", ";"):
            runs.append((f"{text} ", position))
        else:
            flat = _flatten(child, position)
            if previous is not None and _is_function_name(previous) and flat and flat[0][0][:1].isalnum():
                runs.append((" ", position))
            runs += flat
        previous = child
    return runs


def _flatten_scripts(element: etree._Element, position: str) -> list[Run]:
    """Scripts and limits; an accent combines with its base (x̂), primes stay on the line."""
    base = _flatten(element[0], position)
    scripts = list(element[1:])
    accent = (element.get("accent") == "true" or element.tag == "mover") and len(scripts) == 1
    if accent and scripts[0].tag == "mo" and (scripts[0].text or "").strip() in _TEXT_ACCENTS:
        mark = _TEXT_ACCENTS[(scripts[0].text or "").strip()]
        return [(text + mark if index == len(base) - 1 else text, where)
                for index, (text, where) in enumerate(base)]
    if element.tag in ("msub", "munder"):
        places = ["sub"]
    elif element.tag in ("msup", "mover"):
        places = ["sup"]
    else:
        places = ["sub", "sup"]
    runs = list(base)
    for script, place in zip(scripts, places, strict=True):
        text = "".join(piece for piece, _ in _flatten(script, position))
        if place == "sup" and text and set(text) <= set("′″‴'"):
            runs.append((text, position))
        else:
            runs += _flatten(script, position or place)
    return runs


def _bracketed(children: list[etree._Element], position: str) -> list[Run]:
    """A fraction's numerator or denominator, or a root's body: in brackets when it is more than a term."""
    runs = _flatten_row(children, position)
    while len(children) == 1 and children[0].tag in ("mrow", "mstyle"):
        children = list(children[0])
    if any(child.tag == "mo" and (child.text or "").strip() in _RELATIONS | _BINARY for child in children):
        return [("(", position), *runs, (")", position)]
    return runs


def _is_operator(element: etree._Element) -> bool:
    text = (element.text or "").strip()
    return element.tag == "mo" and not text.isalpha() and text not in (")", "]", "}", "|", "‖")


def _is_function_name(element: etree._Element) -> bool:
    text = (element.text or "").replace("\u2009", "")
    return element.tag in ("mi", "mo") and len(text) > 1 and text.isalpha()


def _merge(runs: list[Run]) -> list[Run]:
    """Adjacent runs at the same position joined, doubled spaces collapsed, accents composed, ends trimmed."""
    merged: list[list[str]] = []
    for text, position in runs:
        if not text:
            continue
        if merged and merged[-1][1] == position:
            merged[-1][0] += text
        else:
            merged.append([text, position])
    for item in merged:
        item[0] = unicodedata.normalize("NFC", re.sub(r" {2,}", " ", item[0]))  # ŷ as one character
    if merged:
        merged[0][0] = merged[0][0].lstrip()
        merged[-1][0] = merged[-1][0].rstrip()
    return [(text, position) for text, position in merged if text]


def _hex(color: str) -> str:
    """A colour as six upper-case hex digits; accepts ``#1F2933`` as theme.toml writes it."""
    value = color.lstrip("#").upper()
    return value if re.fullmatch(r"[0-9A-F]{6}", value) else "000000"


# ---------------------------------------------------------------- caches

@functools.cache
def _fingerprint() -> str:
    return diskcache.fingerprint(("latex2mathml", "ziamath", "ziafont", "cairosvg", "lxml"),
                                 (Path(omml.__file__), Path(__file__)))


_MEMORY_LIMIT = 8192  # results kept in a process; past it they are all forgotten, and kept afresh
_memory: dict[tuple[str, tuple[object, ...]], tuple[str, dict[str, object]]] = {}  # -> (bundle key, result)


def _cached(name: str, args: tuple[object, ...], compute: Callable[[], dict[str, object]]) -> dict[str, object]:
    """``compute()``'s result, kept in this process and in the bundle of the output being built (``diskcache``).

    A result found in memory is kept in the bundle too: the bundle of the next
    paper with the same formula must hold it for that paper's next build.
    """
    found = _memory.get((name, args))
    bundle = diskcache.bundle("equations", _fingerprint())
    if found is None:
        key = json.dumps([name, args], ensure_ascii=False)
        stored = bundle.find(key) if bundle is not None else None
        found = (key, stored if isinstance(stored, dict) else compute())
        if len(_memory) >= _MEMORY_LIMIT:
            _memory.clear()
        _memory[(name, args)] = found
    if bundle is not None:
        bundle.keep(*found)
    return found[1]
