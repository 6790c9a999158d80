"""The slide XML decks writes itself: shapes, tables, paragraphs with bullets, numbering and
fields, run formatting (highlight, baseline), table cell borders, and equations as PowerPoint
stores them.

``decks.slides.render`` makes the slides, their notes and relationships; the
shapes on a slide are built here as lxml elements, the XML python-pptx's own
shape methods would write. Its way, a proxy object, an XPath search for the next
free id and a template parsed per shape, was half of a deck's rendering time.
Every function takes plan values (lengths in EMU) and returns or fills lxml
elements; nothing here knows about themes or fitting.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from lxml import etree

from decks.slides.shapes import LINE_BREAK, Insets, Para, Run

EMU_PER_POINT = 12700
NO_INSETS = Insets()
FIELD_ID = "{3C1B5A0E-6B0B-4A52-9C1B-5D3F0E0A7C11}"  # any fixed GUID: the same bytes for the same deck
_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "a14": "http://schemas.microsoft.com/office/drawing/2010/main",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}

Relate = Callable[[str], str]  # a hyperlink's URL -> the relationship id in the part being written
Position = tuple[int, int, int, int]  # a shape's x, y, width and height in EMU
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # Office's default table style (Medium Style 2, Accent 1)
_TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"


@functools.cache
def qn(tag: str) -> str:
    """``a:p`` as lxml's ``{namespace}p`` (a deck asks thousands of times for a few dozen tags)."""
    prefix, name = tag.split(":")
    return f"{{{_NS[prefix]}}}{name}"


def emu(points: float) -> int:
    return round(points * EMU_PER_POINT)


def centipoints(points: float) -> str:
    return str(round(points * 100))


def fill_text_body(body: etree._Element, paras: tuple[Para, ...], relate: Relate, language: str, *,
                   insets: Insets = NO_INSETS, anchor: str = "t", wrap: bool = True) -> None:
    """Replace a ``txBody``'s content: body properties, an empty list style, and ``paras``."""
    for child in list(body):
        body.remove(child)
    body_pr = etree.SubElement(body, qn("a:bodyPr"))
    body_pr.set("wrap", "square" if wrap else "none")
    for name, value in (("lIns", insets.left), ("tIns", insets.top), ("rIns", insets.right), ("bIns", insets.bottom)):
        body_pr.set(name, str(emu(value)))
    body_pr.set("anchor", anchor)
    body_pr.set("rtlCol", "0")
    etree.SubElement(body_pr, qn("a:noAutofit"))
    etree.SubElement(body, qn("a:lstStyle"))
    for para in paras or (Para((), 12.0, ""),):
        body.append(paragraph(para, relate, language))


def paragraph(para: Para, relate: Relate, language: str) -> etree._Element:
    p = etree.Element(qn("a:p"))
    p_pr = etree.SubElement(p, qn("a:pPr"))
    p_pr.set("marL", str(emu(para.margin)))
    p_pr.set("indent", str(-emu(para.hanging)))
    if para.level:
        p_pr.set("lvl", str(para.level))
    p_pr.set("algn", para.align)
    spacing = etree.SubElement(etree.SubElement(p_pr, qn("a:lnSpc")), qn("a:spcPct"))
    spacing.set("val", str(round(para.line_spacing * 100000)))
    etree.SubElement(etree.SubElement(p_pr, qn("a:spcBef")), qn("a:spcPts")).set("val", centipoints(para.space_before))
    _bullet(p_pr, para)
    for run in para.runs:
        p.append(_run(run, relate, language))
    end = etree.SubElement(p, qn("a:endParaRPr"))
    end.set("lang", language)
    end.set("sz", centipoints(para.size))
    end.set("dirty", "0")
    if para.font:
        etree.SubElement(end, qn("a:latin")).set("typeface", para.font)
    return p


def _bullet(p_pr: etree._Element, para: Para) -> None:
    bullet = para.bullet
    if bullet is None:
        etree.SubElement(p_pr, qn("a:buNone"))
        return
    if bullet.colour:
        _colour(etree.SubElement(p_pr, qn("a:buClr")), bullet.colour)
    if bullet.scheme:
        etree.SubElement(p_pr, qn("a:buFontTx"))
        number = etree.SubElement(p_pr, qn("a:buAutoNum"))
        number.set("type", bullet.scheme)
        if bullet.start != 1:
            number.set("startAt", str(bullet.start))
        return
    if bullet.font:
        etree.SubElement(p_pr, qn("a:buFont")).set("typeface", bullet.font)
    etree.SubElement(p_pr, qn("a:buChar")).set("char", bullet.char)


def _run(run: Run, relate: Relate, language: str) -> etree._Element:
    if run.text == LINE_BREAK:
        element = etree.Element(qn("a:br"))
        element.append(_run_properties(run, relate, language))
        return element
    if run.field:
        element = etree.Element(qn("a:fld"))
        element.set("id", FIELD_ID)
        element.set("type", run.field)
    else:
        element = etree.Element(qn("a:r"))
    element.append(_run_properties(run, relate, language))
    etree.SubElement(element, qn("a:t")).text = run.text
    return element


def _run_properties(run: Run, relate: Relate, language: str) -> etree._Element:
    r_pr = etree.Element(qn("a:rPr"))
    r_pr.set("lang", language)
    if run.size:
        r_pr.set("sz", centipoints(run.size))
    if run.bold:
        r_pr.set("b", "1")
    if run.italic:
        r_pr.set("i", "1")
    if run.strike:
        r_pr.set("strike", "sngStrike")
    if run.baseline:
        r_pr.set("baseline", str(run.baseline * 1000))
    r_pr.set("cap", "none")  # layouts may set all caps (the section header's title does)
    r_pr.set("dirty", "0")
    if run.colour:
        _colour(etree.SubElement(r_pr, qn("a:solidFill")), run.colour)
    if run.highlight:
        _colour(etree.SubElement(r_pr, qn("a:highlight")), run.highlight)
    if run.font:
        for tag in ("a:latin", "a:ea", "a:cs"):
            etree.SubElement(r_pr, qn(tag)).set("typeface", run.font)
    if run.link:
        etree.SubElement(r_pr, qn("a:hlinkClick")).set(qn("r:id"), relate(run.link))
    return r_pr


def _colour(parent: etree._Element, value: str) -> etree._Element:
    element = etree.SubElement(parent, qn("a:srgbClr"))
    element.set("val", value)
    return element


def solid_fill(value: str) -> etree._Element:
    fill = etree.Element(qn("a:solidFill"))
    _colour(fill, value)
    return fill


def background(colour: str) -> etree._Element:
    """A slide's own background of one colour (``p:bg``), first in its ``p:cSld``."""
    bg = etree.Element(qn("p:bg"))
    properties = etree.SubElement(bg, qn("p:bgPr"))
    properties.append(solid_fill(colour))
    etree.SubElement(properties, qn("a:effectLst"))
    return bg


def line(tag: str, colour: str, width: float, *, dashed: bool = False) -> etree._Element:
    """An outline (``a:ln``) or a table cell border (``a:lnL`` ...) of one colour."""
    element = etree.Element(qn(tag))
    element.set("w", str(emu(width)))
    if colour:
        element.append(solid_fill(colour))
    else:
        etree.SubElement(element, qn("a:noFill"))
    if dashed:
        etree.SubElement(element, qn("a:prstDash")).set("val", "dash")
    return element


def table(shape_id: int, name: str, x: int, y: int, widths: list[int], heights: list[int], *, header: bool
          ) -> tuple[etree._Element, list[etree._Element]]:
    """A table's frame at (``x``, ``y``) and its rows (``a:tr``), empty: ``table_cell`` adds their cells.

    The frame is as wide and tall as its columns and rows, and the table takes
    Office's default style, banded rows, with its first row a header when ``header``.
    """
    frame = etree.Element(qn("p:graphicFrame"))
    nv = etree.SubElement(frame, qn("p:nvGraphicFramePr"))
    _drawing_properties(nv, shape_id, name, "")
    etree.SubElement(etree.SubElement(nv, qn("p:cNvGraphicFramePr")), qn("a:graphicFrameLocks")).set("noGrp", "1")
    etree.SubElement(nv, qn("p:nvPr"))
    _offset_and_extent(etree.SubElement(frame, qn("p:xfrm")), x, y, sum(widths), sum(heights))
    data = etree.SubElement(etree.SubElement(frame, qn("a:graphic")), qn("a:graphicData"))
    data.set("uri", _TABLE_URI)
    tbl = etree.SubElement(data, qn("a:tbl"))
    properties = etree.SubElement(tbl, qn("a:tblPr"))
    if header:
        properties.set("firstRow", "1")
    properties.set("bandRow", "1")
    etree.SubElement(properties, qn("a:tableStyleId")).text = TABLE_STYLE
    grid = etree.SubElement(tbl, qn("a:tblGrid"))
    for width in widths:
        etree.SubElement(grid, qn("a:gridCol")).set("w", str(width))
    return frame, [etree.SubElement(tbl, qn("a:tr"), h=str(height)) for height in heights]


def table_cell(row: etree._Element) -> tuple[etree._Element, etree._Element]:
    """A new cell at the end of ``row``: its ``a:txBody`` (``fill_text_body``) and ``a:tcPr`` (``cell_properties``)."""
    cell = etree.SubElement(row, qn("a:tc"))
    return etree.SubElement(cell, qn("a:txBody")), etree.SubElement(cell, qn("a:tcPr"))


def cell_properties(tc_pr: etree._Element, fill: str, border: str, width: float, insets: Insets) -> None:
    """A table cell's margins, four borders and fill, in the schema's order."""
    for name, value in (("marL", insets.left), ("marR", insets.right), ("marT", insets.top), ("marB", insets.bottom)):
        tc_pr.set(name, str(emu(value)))
    tc_pr.set("anchor", "ctr")
    for tag in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        tc_pr.append(line(tag, border, width))
    tc_pr.append(solid_fill(fill))


def text_box(shape_id: int, name: str, box: Position) -> etree._Element:
    """A text box without fill or outline; its ``p:txBody`` is left for ``fill_text_body``."""
    sp = _shape(shape_id, name, "", text_box=True)
    sp_pr = etree.SubElement(sp, qn("p:spPr"))
    _transform(sp_pr, box)
    etree.SubElement(sp_pr, qn("a:noFill"))
    etree.SubElement(sp, qn("p:txBody"))
    return sp


def framed_box(shape_id: int, name: str, box: Position, *, fill: str, border: str, width: float,
               dashed: bool = False, rounding: float = 0.0, text: bool = True) -> etree._Element:
    """A rectangle filled with ``fill`` (none if empty) and outlined with ``border`` (none if empty).

    ``rounding`` rounds its corners (a fraction of its shorter side, as
    PowerPoint's rounded rectangle takes it); ``text`` gives it a ``p:txBody``
    to fill, as for a code listing (a call-out's bar has none).
    """
    sp = _shape(shape_id, name, "", text_box=False)
    sp_pr = etree.SubElement(sp, qn("p:spPr"))
    _transform(sp_pr, box, rounding=rounding)
    sp_pr.append(solid_fill(fill) if fill else etree.Element(qn("a:noFill")))
    if border:
        sp_pr.append(line("a:ln", border, width, dashed=dashed))
    else:
        etree.SubElement(etree.SubElement(sp_pr, qn("a:ln")), qn("a:noFill"))
    if text:
        etree.SubElement(sp, qn("p:txBody"))
    return sp


def group(shape_id: int, name: str, members: list[tuple[etree._Element, Position]]) -> etree._Element:
    """``members`` (each with its box) as one shape; the group's frame is the box around them, unscaled."""
    x = min(box[0] for _, box in members)
    y = min(box[1] for _, box in members)
    cx = max(box[0] + box[2] for _, box in members) - x
    cy = max(box[1] + box[3] for _, box in members) - y
    grp_sp = etree.Element(qn("p:grpSp"))
    nv = etree.SubElement(grp_sp, qn("p:nvGrpSpPr"))
    _drawing_properties(nv, shape_id, name, "")
    etree.SubElement(nv, qn("p:cNvGrpSpPr"))
    etree.SubElement(nv, qn("p:nvPr"))
    xfrm = etree.SubElement(etree.SubElement(grp_sp, qn("p:grpSpPr")), qn("a:xfrm"))
    _offset_and_extent(xfrm, x, y, cx, cy)
    _offset_and_extent(xfrm, x, y, cx, cy, tags=("a:chOff", "a:chExt"))
    grp_sp.extend(member for member, _ in members)
    return grp_sp


def equation(shape_id: int, name: str, box: Position, omml: str, size: float, tex: str,
             image_rid: str, language: str) -> etree._Element:
    """Display math as PowerPoint stores it: an editable OMML text box, a picture as the fallback.

    The choice requires both namespaces it is written in, ``a14`` and OMML's ``m``.
    PowerPoint understands both and edits the equation; LibreOffice matches the whole
    attribute against its own short list (``a14``, ``p14``...), so it draws the
    picture: its own OMML import sets every formula black (invisible on a dark
    theme) in its own fonts, stretched to the box.
    """
    alternate = etree.Element(qn("mc:AlternateContent"), nsmap={"mc": _NS["mc"]})
    choice = etree.SubElement(alternate, qn("mc:Choice"), nsmap={"a14": _NS["a14"], "m": _NS["m"]})
    choice.set("Requires", "a14 m")
    sp = _shape(shape_id, name, tex, text_box=True)
    choice.append(sp)
    sp_pr = etree.SubElement(sp, qn("p:spPr"))
    _transform(sp_pr, box)
    etree.SubElement(sp_pr, qn("a:noFill"))
    body = etree.SubElement(sp, qn("p:txBody"))
    body_pr = etree.SubElement(body, qn("a:bodyPr"))
    body_pr.set("wrap", "none")
    for inset in ("lIns", "tIns", "rIns", "bIns"):
        body_pr.set(inset, "0")
    body_pr.set("anchor", "ctr")
    etree.SubElement(body_pr, qn("a:noAutofit"))
    etree.SubElement(body, qn("a:lstStyle"))
    p = etree.SubElement(body, qn("a:p"))
    etree.SubElement(p, qn("a:pPr")).set("algn", "ctr")
    math = etree.SubElement(p, qn("a14:m"))
    math.append(etree.fromstring(omml))
    end = etree.SubElement(p, qn("a:endParaRPr"))
    end.set("lang", language)
    end.set("sz", centipoints(size))
    fallback = etree.SubElement(alternate, qn("mc:Fallback"))
    fallback.append(picture(shape_id, name, box, tex, image_rid))
    return alternate


def picture(shape_id: int, name: str, box: Position, description: str, image_rid: str) -> etree._Element:
    pic = etree.Element(qn("p:pic"))
    nv = etree.SubElement(pic, qn("p:nvPicPr"))
    _drawing_properties(nv, shape_id, name, description)
    etree.SubElement(etree.SubElement(nv, qn("p:cNvPicPr")), qn("a:picLocks")).set("noChangeAspect", "1")
    etree.SubElement(nv, qn("p:nvPr"))
    blip_fill = etree.SubElement(pic, qn("p:blipFill"))
    etree.SubElement(blip_fill, qn("a:blip")).set(qn("r:embed"), image_rid)
    etree.SubElement(etree.SubElement(blip_fill, qn("a:stretch")), qn("a:fillRect"))
    _transform(etree.SubElement(pic, qn("p:spPr")), box)
    return pic


def placeholders(tree: etree._Element) -> list[tuple[etree._Element, etree._Element]]:
    """The placeholder shapes on a slide or notes page (its ``p:spTree``), each with its ``p:ph``."""
    return [(ph.getparent().getparent().getparent(), ph) for ph in tree.findall(f"*/*/{qn('p:nvPr')}/{qn('p:ph')}")]


def text_body(shape: etree._Element) -> etree._Element:
    """A placeholder's ``p:txBody``, added (for ``fill_text_body``) when the layout's copy has none."""
    body = shape.find(qn("p:txBody"))
    return body if body is not None else etree.SubElement(shape, qn("p:txBody"))


def place(shape: etree._Element, box: Position) -> None:
    """Give a shape copied from its layout (a placeholder, whose ``p:spPr`` may be empty) its own box."""
    sp_pr = shape.find(qn("p:spPr"))
    for old in sp_pr.findall(qn("a:xfrm")):
        sp_pr.remove(old)
    xfrm = etree.Element(qn("a:xfrm"))
    sp_pr.insert(0, xfrm)
    _offset_and_extent(xfrm, *box)


def _shape(shape_id: int, name: str, description: str, *, text_box: bool) -> etree._Element:
    """A ``p:sp`` with its non-visual properties, nothing else yet."""
    sp = etree.Element(qn("p:sp"))
    nv = etree.SubElement(sp, qn("p:nvSpPr"))
    _drawing_properties(nv, shape_id, name, description)
    shape_properties = etree.SubElement(nv, qn("p:cNvSpPr"))
    if text_box:
        shape_properties.set("txBox", "1")
    etree.SubElement(nv, qn("p:nvPr"))
    return sp


def _drawing_properties(parent: etree._Element, shape_id: int, name: str, description: str) -> None:
    c_nv_pr = etree.SubElement(parent, qn("p:cNvPr"))
    c_nv_pr.set("id", str(shape_id))
    c_nv_pr.set("name", name)
    if description:
        c_nv_pr.set("descr", description)


def _transform(sp_pr: etree._Element, box: Position, *, rounding: float = 0.0) -> None:
    """Where a shape sits, and its geometry: a rectangle, with rounded corners when ``rounding``."""
    _offset_and_extent(etree.SubElement(sp_pr, qn("a:xfrm")), *box)
    geometry = etree.SubElement(sp_pr, qn("a:prstGeom"), prst="roundRect" if rounding else "rect")
    guides = etree.SubElement(geometry, qn("a:avLst"))
    if rounding:
        etree.SubElement(guides, qn("a:gd"), name="adj", fmla=f"val {int(rounding * 100000)}")


def _offset_and_extent(parent: etree._Element, x: int, y: int, cx: int, cy: int, *,
                       tags: tuple[str, str] = ("a:off", "a:ext")) -> None:
    offset = etree.SubElement(parent, qn(tags[0]))
    offset.set("x", str(x))
    offset.set("y", str(y))
    extent = etree.SubElement(parent, qn(tags[1]))
    extent.set("cx", str(cx))
    extent.set("cy", str(cy))
