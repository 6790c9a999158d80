"""Read a written deck back as plain lists, so tests compare literal expectations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lxml import etree
from pptx.presentation import Presentation as PresentationObject
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Paragraph

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
EMU_PER_POINT = 12700


def outline_of(deck: PresentationObject) -> list[tuple[str, str]]:
    """``[(layout name, title)]`` for every slide."""
    return [(slide.slide_layout.name, slide.shapes.title.text if slide.shapes.title else "") for slide in deck.slides]


def shape(slide: Slide, name: str, index: int = 0) -> BaseShape:
    """The ``index``-th shape called ``name`` (looking inside groups too)."""
    return [s for s in all_shapes(slide.shapes) if s.name == name][index]


def all_shapes(shapes: Iterable[BaseShape]) -> Iterator[BaseShape]:
    for member in shapes:
        yield member
        if member.shape_type == 6:  # a group
            yield from all_shapes(member.shapes)


def paragraphs(text_frame: TextFrame) -> list[tuple[int, str, str]]:
    """``[(level, bullet, text)]``: bullet is the character, ``auto:<type>@<start>``, or "" for none."""
    found = []
    for paragraph in text_frame.paragraphs:
        p_pr = paragraph._p.find(f"{A}pPr")
        bullet = ""
        if p_pr is not None:
            char = p_pr.find(f"{A}buChar")
            number = p_pr.find(f"{A}buAutoNum")
            if char is not None:
                bullet = char.get("char")
            elif number is not None:
                bullet = f"auto:{number.get('type')}@{number.get('startAt', '1')}"
        found.append((paragraph.level, bullet, paragraph.text))
    return found


def runs(paragraph: _Paragraph) -> list[tuple[str, str]]:
    """``[(text, look)]`` where look lists what is special: b, i, strike, mono, link=..., sup, sub."""
    found = []
    for run in paragraph.runs:
        r_pr = run._r.find(f"{A}rPr")
        look = []
        if run.font.bold:
            look.append("b")
        if run.font.italic:
            look.append("i")
        if r_pr is not None and r_pr.get("strike") == "sngStrike":
            look.append("strike")
        if run.font.name == "Courier New":
            look.append("mono")
        baseline = int(r_pr.get("baseline", "0")) if r_pr is not None else 0
        if baseline > 0:
            look.append("sup")
        if baseline < 0:
            look.append("sub")
        if run.hyperlink.address:
            look.append(f"link={run.hyperlink.address}")
        found.append((run.text, " ".join(look)))
    return found


def fill_of(element: etree._Element) -> str:
    """The solid fill colour directly under an spPr or tcPr element."""
    colour = element.find(f"{A}solidFill/{A}srgbClr")
    return colour.get("val") if colour is not None else ""


def points(emu: int) -> float:
    return emu / EMU_PER_POINT
