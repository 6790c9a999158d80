"""Translate MathML (as latex2mathml writes it) into Office Math (OMML), the equations PowerPoint edits.

No library does this in Python, so it is a small recursive translator: each MathML
element becomes the OMML structure PowerPoint's own equation editor would write
(``m:f`` for fractions, ``m:nary`` for sums and integrals with their operand, ``m:d``
for stretchy delimiters, ``m:m`` for matrices, cases and aligned lines...). The
element order inside every structure follows ECMA-376 Part 1, section 22.1; where
LibreOffice's importer reads OMML more narrowly than the schema allows, the output
stays within what it reads, so decks look right there too.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence

from lxml import etree

M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

NARY = frozenset("∑∏∐∫∬∭∮∯∰⋃⋂⋁⋀⨀⨁⨂⨄⨆")
_INTEGRALS = frozenset("∫∬∭∮∯∰")
# Operators after which an n-ary operand ends: relations, separators and + or -.
_OPERAND_ENDS = frozenset("=<>≤≥≦≧≈≠≡≢∝∼≃≅≔≜≪≫∈∉⊂⊃⊆⊇→←↦⇒⇐⇔⟹⟸⟺↔,;+−-±∓")
# Names whose limits go under and over in display mode, as TeX puts them.
LIMIT_NAMES = frozenset(
    {"lim", "max", "min", "sup", "inf", "limsup", "liminf", "det", "gcd", "Pr",
     "arg\u2009max", "arg\u2009min", "argmax", "argmin"}
)
# TeX accents as MathML writes them -> the combining character OMML wants.
_ACCENTS = {
    "^": "\u0302", "\u0302": "\u0302", "\u02c6": "\u0302",
    "~": "\u0303", "\u0303": "\u0303", "\u02dc": "\u0303",
    "\u00af": "\u0305", "\u02c9": "\u0305", "\u0304": "\u0305",
    "\u2192": "\u20d7", "\u20d7": "\u20d7", "\u2190": "\u20d6", "\u2194": "\u20e1",
    "\u02d9": "\u0307", ".": "\u0307", "\u0307": "\u0307",
    "\u00a8": "\u0308", "\u0308": "\u0308", "\u20db": "\u20db",
    "\u02c7": "\u030c", "\u02d8": "\u0306", "\u00b4": "\u0301", "`": "\u0300",
    "\u02da": "\u030a",
}
_BARS = frozenset("\u2015\u203e_\u0332")
_BRACES = {"\u23de": "top", "\u23df": "bot", "\u23b4": "top", "\u23b5": "bot"}
_VARIANTS = {  # mathvariant -> (m:scr, m:sty)
    "normal": ("", "p"), "bold": ("", "b"), "italic": ("", "i"), "bold-italic": ("", "bi"),
    "double-struck": ("double-struck", "p"), "script": ("script", "p"),
    "bold-script": ("script", "b"), "fraktur": ("fraktur", "p"),
    "bold-fraktur": ("fraktur", "b"), "sans-serif": ("sans-serif", "p"),
    "bold-sans-serif": ("sans-serif", "b"), "sans-serif-italic": ("sans-serif", "i"),
    "monospace": ("monospace", "p"),
}
_SPACES = {"veryverythinmathspace": 1 / 18, "verythinmathspace": 2 / 18, "thinmathspace": 3 / 18,
           "mediummathspace": 4 / 18, "thickmathspace": 5 / 18, "verythickmathspace": 6 / 18}
_INVISIBLE = str.maketrans("", "", "\u2061\u2062\u2063\u2064")
_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
SCRIPTS = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})
_OPENING = {")": "(", "]": "[", "}": "{", "\u27e9": "\u27e8", "\u230b": "\u230a", "\u2309": "\u2308",
            "|": "|", "\u2016": "\u2016"}  # closing bracket -> its opening one


def omml_from_mathml(math: etree._Element, *, display: bool) -> etree._Element:
    """The ``m:oMathPara`` (display) or ``m:oMath`` (inline) for a namespace-free MathML tree."""
    translator = _Translator(display)
    omath = _m("oMath", *translator.row(list(math)))
    _merge_runs(omath)
    if not display:
        return omath
    return _m("oMathPara", _m("oMathParaPr", _m("jc", val="centerGroup")), omath)


def add_run_properties(root: etree._Element, *, font: str, size_pt: float, color: str) -> None:
    """Give every math run PowerPoint's ``a:rPr`` (font, size, colour), as PowerPoint itself writes them.

    Without them PowerPoint falls back to the paragraph's defaults, which are rarely a
    math font; the properties go after ``m:rPr`` and before ``m:t`` (CT_R).
    """
    for run in root.iter(f"{{{M_NS}}}r"):
        props = etree.Element(f"{{{A_NS}}}rPr", nsmap={"a": A_NS}, lang="en-US")
        if size_pt:
            props.set("sz", str(round(size_pt * 100)))
        if color:
            fill = etree.SubElement(props, f"{{{A_NS}}}solidFill")
            etree.SubElement(fill, f"{{{A_NS}}}srgbClr", val=color.upper())
        if font:
            etree.SubElement(props, f"{{{A_NS}}}latin", typeface=font)
        run.insert(1 if run[0].tag == f"{{{M_NS}}}rPr" else 0, props)


def _merge_runs(root: etree._Element) -> None:
    """Join neighbouring runs of the same style into one, as PowerPoint writes ``i=1``."""
    run_tag, style_tag = f"{{{M_NS}}}r", f"{{{M_NS}}}rPr"
    for parent in list(root.iter()):
        previous = None
        for child in list(parent):
            style = child.find(style_tag) if child.tag == run_tag else None
            key = etree.tostring(style) if style is not None else b""
            if previous is not None and child.tag == run_tag and previous[1] == key:
                text = previous[0][-1]
                text.text = (text.text or "") + (child[-1].text or "")
                if text.text != text.text.strip():
                    text.set(_XML_SPACE, "preserve")
                parent.remove(child)
                continue
            previous = (child, key) if child.tag == run_tag else None


def _m(tag: str, *children: etree._Element, val: str | None = None) -> etree._Element:
    """One OMML element, with an optional ``m:val`` and children."""
    element = etree.Element(f"{{{M_NS}}}{tag}", nsmap={"m": M_NS})
    if val is not None:
        element.set(f"{{{M_NS}}}val", val)
    element.extend(children)
    return element


def _slot(tag: str, content: Sequence[etree._Element]) -> etree._Element:
    """An argument slot (``m:e``, ``m:num``...); an empty one holds a zero-width space.

    PowerPoint draws a dashed placeholder box in an empty slot; pandoc's texmath
    avoids that the same way.
    """
    return _m(tag, *(content or [_run("\u200b")]))


def _run(text: str, *, sty: str = "", scr: str = "", normal_text: bool = False) -> etree._Element:
    """An ``m:r`` with its math style: ``sty`` p/b/i/bi, ``scr`` script, ``normal_text`` for \\text."""
    props = []
    if normal_text:
        props.append(_m("nor"))
    else:
        if scr:
            props.append(_m("scr", val=scr))
        if sty:
            props.append(_m("sty", val=sty))
    t = _m("t")
    t.text = text
    if text != text.strip():
        t.set(_XML_SPACE, "preserve")
    return _m("r", *([_m("rPr", *props)] if props else []), t)


def _text(element: etree._Element) -> str:
    """The characters of a token element, without invisible operators."""
    return "".join(element.itertext()).translate(_INVISIBLE)


def _is_mo(element: etree._Element, chars: Iterable[str] | None = None) -> bool:
    return element.tag == "mo" and (chars is None or _text(element).strip() in chars)


def _scripted_groups(children: Sequence[etree._Element]) -> list[etree._Element]:
    """Siblings with ``(x)_i`` as TeX means it: the script on the bracketed group.

    latex2mathml hangs the script on the closing bracket alone. As the base of an
    ``m:sSub`` that bracket is cut off from its partner: PowerPoint edits it as a
    subscripted ")", and LibreOffice, whose importer turns each OMML argument into a
    braced group of its own, cannot read the formula at all. The input is not changed.
    """
    out: list[etree._Element] = []
    for child in children:
        closing = _text(child[0]).strip() if child.tag in SCRIPTS and len(child) and _is_mo(child[0]) else ""
        start = _opening_index(out, closing) if closing in _OPENING else None
        if start is None:
            out.append(child)
            continue
        script = copy.deepcopy(child)
        group = etree.Element("mrow")
        group.extend(copy.deepcopy(sibling) for sibling in out[start:])
        group.append(script[0])
        script.insert(0, group)
        out[start:] = [script]
    return out


def _opening_index(siblings: Sequence[etree._Element], closing: str) -> int | None:
    """Where the bracket that ``closing`` closes stands among ``siblings``, counting nested pairs."""
    opening = _OPENING[closing]
    depth = 0
    for index in range(len(siblings) - 1, -1, -1):
        sibling = siblings[index]
        if not _is_mo(sibling):
            continue
        text = _text(sibling).strip()
        if text == opening and depth == 0:
            return index
        if text == opening:
            depth -= 1
        elif text == closing:
            depth += 1
    return None


def space_em(width: str) -> float:
    """A MathML length in em; unknown units count as nothing."""
    if width in _SPACES:
        return _SPACES[width]
    if width.startswith("negative"):
        return -_SPACES.get(width[len("negative"):], 0.0)
    match = re.fullmatch(r"([-+]?[\d.]+)(em|ex|mu|pt)?", width.strip())
    if not match:
        return 0.0
    number = float(match.group(1))
    return number * {"em": 1.0, "ex": 0.5, "mu": 1 / 18, "pt": 0.1, None: 1.0}[match.group(2)]


def _space(em: float) -> str:
    """The Unicode space closest to a width in em (how Word's own converter spaces math)."""
    if em <= 0.05:
        return ""
    for limit, char in ((0.17, "\u2009"), (0.23, "\u205f"), (0.3, "\u2004"), (0.6, "\u2002")):
        if em <= limit:
            return char
    return "\u2003" * max(1, round(em))


class _Translator:
    """MathML -> OMML; ``display`` decides where limits of max, lim and friends go."""

    def __init__(self, display: bool) -> None:
        self.display = display

    # ------------------------------------------------------------- sequences

    def row(self, children: Sequence[etree._Element]) -> list[etree._Element]:
        """A sequence of siblings; an n-ary operator takes the terms after it as its operand."""
        children = _scripted_groups(children)
        out: list[etree._Element] = []
        i = 0
        while i < len(children):
            child = children[i]
            if self._nary_operator(child):
                end = self._operand_end(children, i + 1)
                out.append(self._nary(child, children[i + 1:end]))
                i = end
                continue
            out.extend(self.convert(child))
            i += 1
        return out

    def _nary_operator(self, element: etree._Element) -> bool:
        base = element[0] if element.tag in SCRIPTS and len(element) else element
        return _is_mo(base, NARY)

    @staticmethod
    def _operand_end(children: Sequence[etree._Element], start: int) -> int:
        """Where the operand of an n-ary operator ends: at a relation, a comma, + or -, or a
        wide space, outside any brackets (so \\sum_t \\pi(a \\mid s) keeps its brackets whole)."""
        depth = 0
        for index in range(start, len(children)):
            child = children[index]
            if _is_mo(child, "([{"):
                depth += 1
            elif _is_mo(child, ")]}"):
                depth -= 1
            if depth > 0 or index == start:
                continue
            if depth < 0 or _is_mo(child, _OPERAND_ENDS):
                return index
            if child.tag == "mspace" and space_em(child.get("width", "0")) >= 0.9:
                return index
        return len(children)

    def _nary(self, element: etree._Element, operand: Sequence[etree._Element]) -> etree._Element:
        """``m:nary``: the operator, its limits and the operand it applies to."""
        scripts = list(element[1:]) if element.tag in SCRIPTS else []
        base = element[0] if scripts else element
        if element.tag in ("msup", "mover"):
            sub, sup = None, scripts[0]
        elif element.tag in ("msub", "munder"):
            sub, sup = scripts[0], None
        elif scripts:
            sub, sup = scripts
        else:
            sub = sup = None
        char = _text(base).strip()
        under_over = element.tag.startswith("mu") or (
            self.display and char not in _INTEGRALS and base.get("movablelimits") != "false")
        props = [_m("chr", val=char)]
        if under_over != (char not in _INTEGRALS):
            # Only where the default (limits under sums, beside integrals) is wrong:
            # LibreOffice reads subHide and supHide only right after chr.
            props.append(_m("limLoc", val="undOvr" if under_over else "subSup"))
        if sub is None:
            props.append(_m("subHide", val="on"))
        if sup is None:
            props.append(_m("supHide", val="on"))
        return _m(
            "nary",
            _m("naryPr", *props),
            _m("sub", *(self.convert(sub) if sub is not None else [])),
            _m("sup", *(self.convert(sup) if sup is not None else [])),
            _slot("e", self.row(operand)),
        )

    # ------------------------------------------------------------- elements

    def convert(self, element: etree._Element) -> list[etree._Element]:
        """One MathML element as zero or more OMML elements."""
        handler = getattr(self, f"_{element.tag}", None)
        if handler is not None:
            return handler(element)
        if element.tag in _TOKENS:
            return self._token(element)
        return self._mrow(element)  # math, mstyle, mpadded, semantics...

    def _mrow(self, element: etree._Element) -> list[etree._Element]:
        children = list(element)
        delimited = self._delimiters(children)
        if delimited is not None:
            return [delimited]
        return self.row(children)

    def _delimiters(self, children: list[etree._Element]) -> etree._Element | None:
        """``m:d`` for \\left...\\right, matrices in brackets and cases; None for a plain row."""
        if len(children) < 2 or not _is_mo(children[0]):
            return None
        first, last = children[0], children[-1]
        if first.get("form") == "prefix" and _is_mo(last) and last.get("form") == "postfix":
            inner = children[1:-1]
        elif len(children) == 3 and children[1].tag == "mtable" and _is_mo(last):
            inner = children[1:2]  # pmatrix, bmatrix, vmatrix...
        elif len(children) == 2 and children[1].tag == "mtable":
            inner, last = children[1:], None  # cases: an opening brace only
        else:
            return None
        groups: list[list[etree._Element]] = [[]]
        separator = ""
        for child in inner:
            if _is_mo(child) and child.get("fence") == "true" and child.get("form") is None:
                separator = separator or _text(child)
                groups.append([])
            else:
                groups[-1].append(child)
        props = [_m("begChr", val=_text(first))]
        if separator:
            props.append(_m("sepChr", val=separator))
        props.append(_m("endChr", val=_text(last) if last is not None else ""))
        return _m("d", _m("dPr", *props), *(_slot("e", self.row(group)) for group in groups))

    def _token(self, element: etree._Element) -> list[etree._Element]:
        text = _text(element)
        if not text:
            return []
        if element.tag == "mtext":
            return [_run(text, normal_text=True)]
        scr, sty = _VARIANTS.get(element.get("mathvariant", ""), ("", ""))
        if not sty and element.tag in ("mi", "mo") and len(text) > 1 and text.replace("\u2009", "").isalpha():
            sty = "p"  # function names such as log, max, softmax stay upright
        return [_run(text, sty=sty, scr=scr)]

    def _mspace(self, element: etree._Element) -> list[etree._Element]:
        space = _space(space_em(element.get("width", "0")))
        return [_run(space)] if space else []

    def _mfrac(self, element: etree._Element) -> list[etree._Element]:
        numerator, denominator = element
        kind = "noBar" if space_em(element.get("linethickness", "1")) == 0 else "bar"
        if element.get("bevelled") == "true":
            kind = "skw"
        return [_m("f", _m("fPr", _m("type", val=kind)),
                   _slot("num", self.convert(numerator)), _slot("den", self.convert(denominator)))]

    def _msqrt(self, element: etree._Element) -> list[etree._Element]:
        return [_m("rad", _m("radPr", _m("degHide", val="on")), _m("deg"), _slot("e", self.row(list(element))))]

    def _mroot(self, element: etree._Element) -> list[etree._Element]:
        base, index = element
        return [_m("rad", _m("radPr"), _slot("deg", self.convert(index)), _slot("e", self.convert(base)))]

    def _msub(self, element: etree._Element) -> list[etree._Element]:
        return self._scripts(element, sub=element[1], sup=None)

    def _msup(self, element: etree._Element) -> list[etree._Element]:
        return self._scripts(element, sub=None, sup=element[1])

    def _msubsup(self, element: etree._Element) -> list[etree._Element]:
        return self._scripts(element, sub=element[1], sup=element[2])

    def _scripts(self, element: etree._Element, *, sub: etree._Element | None,
                 sup: etree._Element | None) -> list[etree._Element]:
        """Sub- and superscripts; limits of max, lim... go under and over in display mode."""
        if self._nary_operator(element):
            return [self._nary(element, [])]
        base = element[0]
        if self.display and self._movable_limits(base):
            return self._limits(base, under=sub, over=sup)
        e = _slot("e", self.convert(base))
        if sub is not None and sup is not None:
            return [_m("sSubSup", e, _slot("sub", self.convert(sub)), _slot("sup", self.convert(sup)))]
        if sub is not None:
            return [_m("sSub", e, _slot("sub", self.convert(sub)))]
        return [_m("sSup", e, _slot("sup", self.convert(sup)))]

    @staticmethod
    def _movable_limits(base: etree._Element) -> bool:
        return base.tag == "mo" and (base.get("movablelimits") == "true" or _text(base) in LIMIT_NAMES)

    def _limits(self, base: etree._Element, *, under: etree._Element | None,
                over: etree._Element | None) -> list[etree._Element]:
        """``m:limLow``/``m:limUpp`` around a base: \\max_x, \\overset, \\underbrace{...}_{n}."""
        result = self.convert(base)
        if under is not None:
            result = [_m("limLow", _slot("e", result), _slot("lim", self.convert(under)))]
        if over is not None:
            result = [_m("limUpp", _slot("e", result), _slot("lim", self.convert(over)))]
        return result

    def _munder(self, element: etree._Element) -> list[etree._Element]:
        base, script = element
        if self._nary_operator(element):
            return [self._nary(element, [])]
        char = _text(script).strip() if _is_mo(script) else ""
        if char and char in _BARS:
            return [_m("bar", _m("barPr", _m("pos", val="bot")), _slot("e", self.convert(base)))]
        if char in _BRACES:
            return [self._group_char(char, base)]
        return self._limits(base, under=script, over=None)

    def _mover(self, element: etree._Element) -> list[etree._Element]:
        base, script = element
        if self._nary_operator(element):
            return [self._nary(element, [])]
        char = _text(script).strip() if _is_mo(script) else ""
        if char and char in _BARS:
            return [_m("bar", _m("barPr", _m("pos", val="top")), _slot("e", self.convert(base)))]
        if char in _BRACES:
            return [self._group_char(char, base)]
        if char in _ACCENTS:
            return [_m("acc", _m("accPr", _m("chr", val=_ACCENTS[char])), _slot("e", self.convert(base)))]
        return self._limits(base, under=None, over=script)

    def _munderover(self, element: etree._Element) -> list[etree._Element]:
        if self._nary_operator(element):
            return [self._nary(element, [])]
        base, under, over = element
        return self._limits(base, under=under, over=over)

    def _group_char(self, char: str, base: etree._Element) -> etree._Element:
        """Over- and underbraces: ``m:groupChr``."""
        pos = _BRACES[char]
        props = _m("groupChrPr", _m("chr", val=char), _m("pos", val=pos),
                   _m("vertJc", val="bot" if pos == "top" else "top"))
        return _m("groupChr", props, _slot("e", self.convert(base)))

    def _mtable(self, element: etree._Element) -> list[etree._Element]:
        """Matrices, cases and aligned lines alike: ``m:m`` with a justification a column.

        Aligned lines could be an ``m:eqArr`` with ``&`` alignment marks, as Word writes
        them, but LibreOffice shows those marks as stray symbols; a matrix of right- and
        left-justified columns looks the same everywhere.
        """
        rows = [[cell for cell in row if cell.tag == "mtd"] for row in element if row.tag == "mtr"]
        return [self._matrix(rows, aligned=element.get("displaystyle") == "true")]

    def _matrix(self, rows: list[list[etree._Element]], *, aligned: bool) -> etree._Element:
        """``m:m``: one justification a column (from ``columnalign``), every row as wide as the widest."""
        columns = max((len(row) for row in rows), default=1) or 1
        first = rows[0] if rows else []
        justs = [(first[i].get("columnalign") if i < len(first) else None) or "center" for i in range(columns)]
        mcs = _m("mcs", *(_m("mc", _m("mcPr", _m("count", val="1"), _m("mcJc", val=just))) for just in justs))
        props = _m("mPr", _m("baseJc", val="center"), _m("plcHide", val="on"), mcs)
        mrs = []
        for row in rows:
            contents = [self._cell(cell, aligned=aligned) for cell in row]
            contents += [[] for _ in range(columns - len(contents))]
            # An empty cell holds a text space: LibreOffice drops a cell with nothing to read.
            mrs.append(_m("mr", *(_m("e", *(content or [_run(" ", normal_text=True)])) for content in contents)))
        return _m("m", props, *mrs)

    def _cell(self, cell: etree._Element, *, aligned: bool) -> list[etree._Element]:
        """A matrix cell; in aligned lines a relation that opens the cell is written as text.

        "= b" alone is not a formula to LibreOffice, which shows a red ¿ instead; as a
        normal-text run " = " it reads, and looks, the same in PowerPoint.
        """
        children = [child for child in cell if child.tag not in _TOKENS or _text(child)]
        if aligned and children and _is_mo(children[0], _OPERAND_ENDS):
            return [_run(f" {_text(children[0]).strip()} ", normal_text=True), *self.row(children[1:])]
        return self.row(children)

    def _menclose(self, element: etree._Element) -> list[etree._Element]:
        notation = element.get("notation", "box")
        props = []
        if "box" not in notation:
            props = [_m(side, val="on") for side in ("hideTop", "hideBot", "hideLeft", "hideRight")]
            if "updiagonalstrike" in notation:
                props.append(_m("strikeBLTR", val="on"))
            if "downdiagonalstrike" in notation:
                props.append(_m("strikeTLBR", val="on"))
            if "horizontalstrike" in notation:
                props.append(_m("strikeH", val="on"))
        return [_m("borderBox", _m("borderBoxPr", *props), _slot("e", self.row(list(element))))]

    def _mphantom(self, element: etree._Element) -> list[etree._Element]:
        props = _m("phantPr", _m("show", val="off"))
        return [_m("phant", props, _slot("e", self.row(list(element))))]

