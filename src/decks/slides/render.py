"""Write a Document as a .pptx: outline it, plan it, then translate the plan into python-pptx calls.

The only module that speaks python-pptx (with ``oxml.py`` for the XML it has no
API for). A theme's ``template.pptx`` gives the slide master and layouts: the
deck keeps its slide size, backgrounds, pictures, colour and font schemes, and
its theme fonts replace the theme's heading and body fonts; without one,
python-pptx's own template is dressed in the theme's colours and fonts.

The output is byte-identical for identical input: the package is rewritten
with fixed zip timestamps and the core properties carry the given timestamp,
revision 1 and nothing from the machine.
"""

from __future__ import annotations

import copy
import io
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeAlias

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.opc.package import Part
from pptx.parts.slide import NotesSlidePart
from pptx.presentation import Presentation as PresentationObject
from pptx.shapes.base import BaseShape as PptxShape
from pptx.shapes.shapetree import GroupShapes, SlideShapes
from pptx.slide import NotesSlide, Slide, SlideLayout
from pptx.util import Emu

from decks.errors import Diagnostic, EnvironmentProblem, ThemeError
from decks.model import Document
from decks.outputs import PROVENANCE
from decks.slides import oxml
from decks.slides.plan_cache import Blobs, planned
from decks.slides.shapes import (
    Box,
    DeckPlan,
    Equation,
    Group,
    Insets,
    Picture,
    Rect,
    Shape,
    SlidePlan,
    TableShape,
    TextShape,
)
from decks.themes import Theme

Shapes: TypeAlias = SlideShapes | GroupShapes
TEMPLATE = "template.pptx"
_PROPERTY_LIMIT = 255  # characters python-pptx (and Office) allow in a core property
_ZIP_EPOCH = 315532800  # 1980-01-01, the earliest date a zip entry can carry
_END_RECORD_SIZE, _DIRECTORY_RECORD_SIZE = 22, 46  # a zip's end record, and a central record before its name


def write_deck(document: Document, theme: Theme, out: Path, *, repo_root: Path, timestamp: int,
               allow_remote: bool = False) -> list[Diagnostic]:
    """Write ``document`` as a deck to ``out``; return what had to be worked around.

    Web images are fetched (through ``decks.remote``) only with ``allow_remote``; else they are placeholders.
    The fitted plan comes from the build cache when it holds it (``decks.slides.plan_cache``).
    """
    theme = with_template(theme, repo_root)
    plan, blobs, diagnostics = planned(document, theme, repo_root=repo_root, allow_remote=allow_remote)
    render_deck(plan, theme, blobs, out, timestamp=timestamp)
    return diagnostics


def render_deck(plan: DeckPlan, theme: Theme, blobs: Blobs, out: Path, *, timestamp: int) -> None:
    """Translate ``plan`` into a .pptx at ``out``, with the pictures and formula images ``blobs`` holds."""
    template = theme.find(TEMPLATE)
    presentation = Presentation(str(template)) if template else Presentation()
    _remove_slides(presentation)
    _set_size(presentation, plan)
    if template is None:
        _set_theme(presentation, theme, plan)
    layouts = _layouts(presentation, theme, template)
    writer = _SlideWriter(presentation, blobs, plan.language, layouts, backgrounds=template is None)
    for slide_plan in plan.slides:
        writer.add(slide_plan)
    _set_properties(presentation, plan, timestamp)
    buffer = io.BytesIO()
    presentation.save(buffer)
    out.write_bytes(_dated(buffer.getvalue(), timestamp))


class _SlideWriter:
    """Adds planned slides to one presentation."""

    def __init__(self, presentation: PresentationObject, blobs: Blobs, language: str,
                 layouts: dict[str, SlideLayout], *, backgrounds: bool) -> None:
        self.presentation = presentation
        self.blobs = blobs
        self.language = language
        self.layouts = layouts
        self.backgrounds = backgrounds  # False with a template: its master and layouts own the backgrounds
        self._blank_notes: etree._Element | None = None  # a notes page as the notes master makes it, still empty
        self._names_taken: set[str] = set()  # part names in the package once the first notes page is made
        self._notes_number = 0  # in the name of the last notes page made

    def add(self, plan: SlidePlan) -> Slide:
        slide = self.presentation.slides.add_slide(self.layouts[plan.layout])
        if plan.background and self.backgrounds:
            fill = slide.background.fill
            fill.solid()
            fill.fore_color.rgb = _rgb(plan.background)
        self._placeholders(slide, plan)
        for shape in plan.shapes:
            self._shape(slide, slide.shapes, shape)
        if plan.notes:
            notes = self._notes_page(slide)
            oxml.fill_text_body(notes.notes_text_frame._txBody, plan.notes, _relater(notes.part), self.language,
                                insets=_DEFAULT_NOTES_INSETS)
        return slide

    def _notes_page(self, slide: Slide) -> NotesSlide:
        """A new, empty notes page for ``slide``.

        python-pptx makes the first one from the notes master; the others are
        copies of it, related as python-pptx relates them. Its way, cloning the
        master's placeholders and searching the package for a free part name
        each time, took a tenth of a deck's time.
        """
        package = slide.part.package
        if self._blank_notes is None:
            first = slide.notes_slide
            self._blank_notes = copy.deepcopy(first.part._element)
            self._names_taken = {str(part.partname) for part in package.iter_parts()}  # a template's, too
            return first
        name = ""
        while not name or name in self._names_taken:
            self._notes_number += 1
            name = f"/ppt/notesSlides/notesSlide{self._notes_number}.xml"
        self._names_taken.add(name)
        part = NotesSlidePart(PackURI(name), CT.PML_NOTES_SLIDE, package, copy.deepcopy(self._blank_notes))
        part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        return part.notes_slide

    def _placeholders(self, slide: Slide, plan: SlidePlan) -> None:
        """The title (and subtitle) go into the layout's placeholders; unused placeholders go away."""
        wanted = {0: plan.title, 1: plan.subtitle}
        for placeholder in list(slide.placeholders):
            content = wanted.get(placeholder.placeholder_format.idx)
            if content is None:
                placeholder._element.getparent().remove(placeholder._element)
                continue
            _position(placeholder, content.box)
            placeholder.name = content.name
            self._text(slide, placeholder, content)

    def _shape(self, slide: Slide, shapes: Shapes, shape: Shape) -> None:
        if isinstance(shape, TextShape):
            self._text_shape(slide, shapes, shape)
        elif isinstance(shape, Rect):
            rect = shapes.add_shape(MSO_SHAPE.RECTANGLE, *_box(shape.box))
            _plain_style(rect, shape.fill, "", 0.0)
            rect.name = shape.name
        elif isinstance(shape, Picture):
            data, _ = self.blobs[shape.key]
            picture = shapes.add_picture(io.BytesIO(data), *_box(shape.box))
            picture.name = shape.name
            picture._element.nvPicPr.cNvPr.set("descr", shape.description)
        elif isinstance(shape, TableShape):
            self._table(slide, shapes, shape)
        elif isinstance(shape, Equation):
            self._equation(slide, shapes, shape)
        elif isinstance(shape, Group):
            group = shapes.add_group_shape()
            group.name = shape.name
            for member in shape.shapes:
                self._shape(slide, group.shapes, member)

    def _text_shape(self, slide: Slide, shapes: Shapes, shape: TextShape) -> None:
        if shape.fill or shape.border:
            kind = MSO_SHAPE.ROUNDED_RECTANGLE if shape.corner else MSO_SHAPE.RECTANGLE
            box = shapes.add_shape(kind, *_box(shape.box))
            _plain_style(box, shape.fill, shape.border, shape.border_width, dashed=shape.dashed)
            if shape.corner:
                box.adjustments[0] = min(0.5, shape.corner / max(min(shape.box.w, shape.box.h), 1.0))
        else:
            box = shapes.add_textbox(*_box(shape.box))
        box.name = shape.name
        self._text(slide, box, shape)

    def _text(self, slide: Slide, target: PptxShape, shape: TextShape) -> None:
        oxml.fill_text_body(target.text_frame._txBody, shape.paras, _relater(slide.part), self.language,
                            insets=shape.insets, anchor=shape.anchor, wrap=shape.wrap)

    def _table(self, slide: Slide, shapes: Shapes, shape: TableShape) -> None:
        frame = shapes.add_table(len(shape.rows), len(shape.column_widths), *_box(shape.box))
        frame.name = "Table"
        table = frame.table
        table.first_row = shape.header_rows > 0
        table.horz_banding = True
        for column, width in zip(table.columns, shape.column_widths, strict=True):
            column.width = Emu(oxml.emu(width))
        for row, height in zip(table.rows, shape.row_heights, strict=True):
            row.height = Emu(oxml.emu(height))
        relate = _relater(slide.part)
        for row_index, row in enumerate(shape.rows):
            for column_index, cell in enumerate(row):
                target = table.cell(row_index, column_index)
                oxml.fill_text_body(target._tc.get_or_add_txBody(), cell.paras, relate, self.language)
                oxml.cell_properties(target._tc.get_or_add_tcPr(), cell.fill, shape.border, shape.border_width,
                                     shape.insets)

    def _equation(self, slide: Slide, shapes: Shapes, shape: Equation) -> None:
        data, _ = self.blobs[shape.key]
        _, rid = slide.part.get_or_add_image_part(io.BytesIO(data))
        shape_id = shapes._next_shape_id
        element = oxml.equation(shape_id, f"Equation {shape_id}", _box(shape.box), shape.omml, shape.size, shape.tex,
                                rid, self.language)
        shapes._spTree.append(element)


_DEFAULT_NOTES_INSETS = Insets(7.2, 3.6, 7.2, 3.6)


def with_template(theme: Theme, repo_root: Path) -> Theme:
    """The theme as its template.pptx (if any) changes it: the template's slide size and heading and body fonts.

    The template's fonts must be installed (or their metric twins), since slide text is measured in them.
    """
    template = theme.find(TEMPLATE)
    return theme if template is None else theme.with_values(_template_values(template, repo_root))


def _template_values(template: Path, repo_root: Path) -> dict[str, dict[str, object]]:
    from decks.slides.metrics import font_file  # Pillow: only for a theme with a template

    presentation = Presentation(str(template))
    values: dict[str, dict[str, object]] = {"deck": {
        "slide_width": presentation.slide_width.inches,
        "slide_height": presentation.slide_height.inches,
    }}
    fonts = _scheme_fonts(presentation)
    for family in fonts.values():
        try:
            font_file(family)
        except EnvironmentProblem as problem:
            raise EnvironmentProblem(f"the template's theme font: {problem.message}", _shown(template, repo_root)) \
                from None
    if fonts:
        values["fonts"] = fonts
    return values


def _scheme_fonts(presentation: PresentationObject) -> dict[str, str]:
    """The master's theme fonts by the theme's names for them: major for headings, minor for body text."""
    part = presentation.slide_master.part.part_related_by(RT.THEME)
    scheme = etree.fromstring(part.blob).find(f".//{oxml.qn('a:fontScheme')}")
    fonts: dict[str, str] = {}
    for key, tag in (("heading", "a:majorFont"), ("body", "a:minorFont")):
        latin = scheme.find(f"{oxml.qn(tag)}/{oxml.qn('a:latin')}") if scheme is not None else None
        if latin is not None and latin.get("typeface"):
            fonts[key] = latin.get("typeface")
    return fonts


def _shown(path: Path, repo_root: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(repo_root.resolve()).as_posix() if resolved.is_relative_to(repo_root.resolve()) \
        else str(path)


def _remove_slides(presentation: PresentationObject) -> None:
    """Drop the slides a template came with: the deck is only the paper's.

    A dropped slide that something else still points to (a layout's link to
    it) stays in the package: it is renamed out of the way of the names
    python-pptx gives new slides (``slide1.xml`` and on, by count).
    """
    slide_ids = presentation.slides._sldIdLst
    for number, slide_id in enumerate(list(slide_ids), start=1):
        slide_part = presentation.part.related_part(slide_id.rId)
        slide_part.partname = PackURI(f"/ppt/slides/templateSlide{number}.xml")
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def _layouts(presentation: PresentationObject, theme: Theme, template: Path | None) -> dict[str, SlideLayout]:
    """The layout for each slide kind, by the names in the theme's ``[template]`` (case does not matter)."""
    found: dict[str, SlideLayout] = {}
    for master in presentation.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name.casefold(), layout)
    layouts: dict[str, SlideLayout] = {}
    for kind in ("title", "section", "content"):
        name = str(theme.section("template")[f"{kind}_layout"])
        if name.casefold() not in found:
            available = ", ".join(sorted({layout.name for layout in found.values()}))
            raise ThemeError(f"{TEMPLATE} has no layout named '{name}' (template.{kind}_layout); "
                             f"its layouts: {available}", str(template or ""))
        layouts[kind] = found[name.casefold()]
    return layouts


def _box(box: Box) -> tuple[Emu, Emu, Emu, Emu]:
    return Emu(oxml.emu(box.x)), Emu(oxml.emu(box.y)), Emu(oxml.emu(box.w)), Emu(oxml.emu(box.h))


def _position(shape: PptxShape, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = _box(box)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour)


def _plain_style(shape: PptxShape, fill: str, border: str, width: float, *, dashed: bool = False) -> None:
    """An autoshape without the template's style: our fill and outline only, no shadow, no theme text."""
    style = shape._element.find(oxml.qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    if fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fill)
    else:
        shape.fill.background()
    sp_pr = shape._element.spPr
    for old in sp_pr.findall(oxml.qn("a:ln")):
        sp_pr.remove(old)
    sp_pr.append(oxml.line("a:ln", border, width, dashed=dashed) if border else _no_line())


def _no_line() -> etree._Element:
    element = etree.Element(oxml.qn("a:ln"))
    etree.SubElement(element, oxml.qn("a:noFill"))
    return element


def _relater(part: Part) -> oxml.Relate:
    def relate(url: str) -> str:
        return part.relate_to(url, RT.HYPERLINK, is_external=True)

    return relate


def _set_size(presentation: PresentationObject, plan: DeckPlan) -> None:
    """Make the slides 16:9 and stretch the master's and layouts' shapes to the new width."""
    old_width = presentation.slide_width
    new_width = oxml.emu(plan.width)
    presentation.slide_width = Emu(new_width)
    presentation.slide_height = Emu(oxml.emu(plan.height))
    if old_width == new_width:
        return
    factor = new_width / old_width
    master = presentation.slide_master
    for owner in (master, *master.slide_layouts):
        for transform in owner._element.iter(oxml.qn("a:xfrm")):
            for tag, attribute in (("a:off", "x"), ("a:ext", "cx")):
                element = transform.find(oxml.qn(tag))
                if element is not None:
                    element.set(attribute, str(round(int(element.get(attribute)) * factor)))


def _set_theme(presentation: PresentationObject, theme: Theme, plan: DeckPlan) -> None:
    """The template's colour and font scheme follow the theme, so slides a presenter adds match."""
    part = presentation.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    scheme = {
        "dk1": "text", "lt1": "background", "dk2": "heading", "lt2": "code_background", "accent1": "accent",
        "accent2": "note", "accent3": "tip", "accent4": "important", "accent5": "warning", "accent6": "caution",
        "hlink": "link", "folHlink": "link",
    }
    colours = root.find(f".//{oxml.qn('a:clrScheme')}")
    for slot, key in scheme.items():
        element = colours.find(oxml.qn(f"a:{slot}"))
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, oxml.qn("a:srgbClr")).set("val", theme.colour(key))
    fonts = root.find(f".//{oxml.qn('a:fontScheme')}")
    for tag, family in (("a:majorFont", plan.fonts[0]), ("a:minorFont", plan.fonts[1])):
        fonts.find(oxml.qn(tag)).find(oxml.qn("a:latin")).set("typeface", family)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_properties(presentation: PresentationObject, plan: DeckPlan, timestamp: int) -> None:
    """Core properties from the paper, dated ``timestamp``, with nothing from this machine."""
    properties = presentation.core_properties
    moment = datetime.fromtimestamp(max(timestamp, _ZIP_EPOCH), UTC).replace(tzinfo=None)
    properties.title = _property(plan.title)
    properties.author = _property(plan.authors)
    properties.subject = _property(plan.subject)
    properties.keywords = _property(plan.keywords)
    properties.language = _property(plan.language)
    properties.comments = ""
    properties.category = ""
    properties.last_modified_by = "decks"
    properties.identifier = PROVENANCE
    properties.revision = 1
    properties.created = moment
    properties.modified = moment


def _property(text: str) -> str:
    """``text`` cut to the 255 characters a core property holds (a title can be a whole paragraph)."""
    return text if len(text) <= _PROPERTY_LIMIT else text[: _PROPERTY_LIMIT - 1] + "…"


def _dated(package: bytes, timestamp: int) -> bytes:
    """The package python-pptx wrote, with every entry dated ``timestamp`` instead of now.

    An entry's date sits at a fixed place in its local header and in its
    central-directory record (PKWARE's APPNOTE, 4.3.7 and 4.3.12): rewriting
    those bytes spares inflating and compressing the whole package a second
    time. python-pptx writes ``[Content_Types].xml`` first, then the parts in
    package order, with no archive comment.
    """
    moment = datetime.fromtimestamp(max(timestamp, _ZIP_EPOCH), UTC)
    date = (moment.year - 1980) << 9 | moment.month << 5 | moment.day
    time = moment.hour << 11 | moment.minute << 5 | moment.second // 2
    stamp = struct.pack("<HH", time, date)
    data = bytearray(package)
    end = len(data) - _END_RECORD_SIZE
    if data[end : end + 4] != b"PK\x05\x06":
        raise ValueError("python-pptx wrote a package with an archive comment or none of its own end record")
    count, _, record = struct.unpack_from("<HII", data, end + 10)
    if count == 0xFFFF or record == 0xFFFFFFFF:  # ZIP64, for packages past 4 GB: not dated here
        raise ValueError("a deck this large (ZIP64) cannot be dated in place")
    for _ in range(count):
        data[record + 12 : record + 16] = stamp
        (local,) = struct.unpack_from("<I", data, record + 42)
        data[local + 10 : local + 14] = stamp
        name, extra, comment = struct.unpack_from("<HHH", data, record + 28)
        record += _DIRECTORY_RECORD_SIZE + name + extra + comment
    return bytes(data)
