"""Raw DrawingML that python-pptx has no API for: paragraphs with bullets, numbering and fields,
run formatting (highlight, baseline), table cell borders, and equations as PowerPoint stores them.

Every function takes plan values and returns or fills lxml elements; nothing
here knows about themes or fitting.
"""

from __future__ import annotations

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


def qn(tag: str) -> str:
    """``a:p`` as lxml's ``{namespace}p``."""
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


def cell_properties(tc_pr: etree._Element, fill: str, border: str, width: float, insets: Insets) -> None:
    """A table cell's margins, four borders and fill, in the schema's order."""
    for child in list(tc_pr):
        tc_pr.remove(child)
    for name, value in (("marL", insets.left), ("marR", insets.right), ("marT", insets.top), ("marB", insets.bottom)):
        tc_pr.set(name, str(emu(value)))
    tc_pr.set("anchor", "ctr")
    for tag in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        tc_pr.append(line(tag, border, width))
    tc_pr.append(solid_fill(fill))


def equation(shape_id: int, name: str, box: tuple[int, int, int, int], omml: str, size: float, tex: str,
             image_rid: str, language: str) -> etree._Element:
    """Display math as PowerPoint stores it: an editable OMML text box, a picture as the fallback.

    The choice requires both namespaces it is written in, ``a14`` and OMML's ``m``.
    PowerPoint understands both and edits the equation; LibreOffice matches the whole
    attribute against its own short list (``a14``, ``p14``...), so it draws the
    picture: its own OMML import sets every formula black (invisible on a dark
    theme) in its own fonts, stretched to the box.
    """
    x, y, cx, cy = box
    alternate = etree.Element(qn("mc:AlternateContent"), nsmap={"mc": _NS["mc"]})
    choice = etree.SubElement(alternate, qn("mc:Choice"), nsmap={"a14": _NS["a14"], "m": _NS["m"]})
    choice.set("Requires", "a14 m")
    sp = etree.SubElement(choice, qn("p:sp"))
    nv = etree.SubElement(sp, qn("p:nvSpPr"))
    _non_visual(nv, shape_id, name, tex)
    etree.SubElement(nv, qn("p:cNvSpPr")).set("txBox", "1")
    etree.SubElement(nv, qn("p:nvPr"))
    sp_pr = etree.SubElement(sp, qn("p:spPr"))
    _transform(sp_pr, x, y, cx, cy)
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


def picture(shape_id: int, name: str, box: tuple[int, int, int, int], description: str, image_rid: str
            ) -> etree._Element:
    x, y, cx, cy = box
    pic = etree.Element(qn("p:pic"))
    nv = etree.SubElement(pic, qn("p:nvPicPr"))
    _non_visual(nv, shape_id, name, description)
    etree.SubElement(etree.SubElement(nv, qn("p:cNvPicPr")), qn("a:picLocks")).set("noChangeAspect", "1")
    etree.SubElement(nv, qn("p:nvPr"))
    blip_fill = etree.SubElement(pic, qn("p:blipFill"))
    etree.SubElement(blip_fill, qn("a:blip")).set(qn("r:embed"), image_rid)
    etree.SubElement(etree.SubElement(blip_fill, qn("a:stretch")), qn("a:fillRect"))
    sp_pr = etree.SubElement(pic, qn("p:spPr"))
    _transform(sp_pr, x, y, cx, cy)
    return pic


def _non_visual(parent: etree._Element, shape_id: int, name: str, description: str) -> None:
    c_nv_pr = etree.SubElement(parent, qn("p:cNvPr"))
    c_nv_pr.set("id", str(shape_id))
    c_nv_pr.set("name", name)
    if description:
        c_nv_pr.set("descr", description)


def _transform(sp_pr: etree._Element, x: int, y: int, cx: int, cy: int) -> None:
    xfrm = etree.SubElement(sp_pr, qn("a:xfrm"))
    off = etree.SubElement(xfrm, qn("a:off"))
    off.set("x", str(x))
    off.set("y", str(y))
    ext = etree.SubElement(xfrm, qn("a:ext"))
    ext.set("cx", str(cx))
    ext.set("cy", str(cy))
    etree.SubElement(etree.SubElement(sp_pr, qn("a:prstGeom"), prst="rect"), qn("a:avLst"))
