"""Write a Document as a .pptx: outline it, plan it, then write the plan's slides into its theme's skeleton.

The skeleton (``decks.slides.template``) is the theme's template as python-pptx
leaves it ready for slides, kept in the build cache; the slides are written
into a copy of it as XML (``decks.slides.oxml``) in a package of parts
(``decks.slides.package``), so a kept deck is rendered without importing python-pptx.

The output is byte-identical for identical input: the package is written
with fixed zip timestamps and the core properties carry the given timestamp,
revision 1 and nothing from the machine.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

from lxml import etree

from decks.errors import Diagnostic
from decks.model import Document
from decks.outputs import PROVENANCE
from decks.slides import oxml, template
from decks.slides.package import Part, Relationship, moment, write
from decks.slides.plan_cache import Blobs, planned
from decks.slides.shapes import (
    Box,
    DeckPlan,
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

_PROPERTY_LIMIT = 255  # characters python-pptx (and Office) allow in a core property
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_OFFICE_DOCUMENT = f"{_RELATIONSHIP}officeDocument"  # the package's to its presentation part
_SLIDE = f"{_RELATIONSHIP}slide"
_LAYOUT = f"{_RELATIONSHIP}slideLayout"
_NOTES = f"{_RELATIONSHIP}notesSlide"
_NOTES_MASTER = f"{_RELATIONSHIP}notesMaster"
_IMAGE = f"{_RELATIONSHIP}image"
_HYPERLINK = f"{_RELATIONSHIP}hyperlink"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_SLIDE_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
_NOTES_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"
_DC = "http://purl.org/dc/elements/1.1/"  # the namespaces of the core properties a deck sets
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DCTERMS = "http://purl.org/dc/terms/"


def write_deck(document: Document, theme: Theme, out: Path, *, repo_root: Path, timestamp: int,
               allow_remote: bool = False) -> list[Diagnostic]:
    """Write ``document`` as a deck to ``out``; return what had to be worked around.

    Web images are fetched (through ``decks.remote``) only with ``allow_remote``; else they are placeholders.
    The fitted plan comes from the build cache when it holds it (``decks.slides.plan_cache``).
    """
    theme = template.with_template(theme, repo_root)
    plan, blobs, diagnostics = planned(document, theme, repo_root=repo_root, allow_remote=allow_remote)
    render_deck(plan, theme, blobs, out, timestamp=timestamp)
    return diagnostics


def render_deck(plan: DeckPlan, theme: Theme, blobs: Blobs, out: Path, *, timestamp: int) -> None:
    """Translate ``plan`` into a .pptx at ``out``, with the pictures and formula images ``blobs`` holds."""
    skeleton = template.skeleton(theme, plan)
    writer = _SlideWriter(skeleton, blobs, plan.language, backgrounds=theme.find(template.TEMPLATE) is None)
    for slide_plan in plan.slides:
        writer.add(slide_plan)
    _set_properties(writer.package, plan, timestamp)
    out.write_bytes(write(writer.package, frozenset(skeleton.defaults), timestamp))


class _SlideWriter:
    """Adds planned slides to a copy of a skeleton, as python-pptx would add them, with their shapes and notes."""

    def __init__(self, skeleton: template.Skeleton, blobs: Blobs, language: str, *, backgrounds: bool) -> None:
        self.skeleton = skeleton
        self.blobs = blobs
        self.language = language
        self.backgrounds = backgrounds  # False with a template: its master and layouts own the backgrounds
        self._parts = _unpacked(skeleton.parts, {})  # every part by name
        self.package = Part("/", "")  # the package's own relationships, to the presentation and its properties
        _relate_as_stored(self.package, skeleton.package, self._parts)
        self.presentation = self.package.related(_OFFICE_DOCUMENT)
        self.presentation.element = etree.fromstring(self.presentation.data)
        self._slide_ids = self.presentation.element.find(oxml.qn("p:sldIdLst"))
        self._blank_slides = {name: etree.fromstring(xml) for name, xml in skeleton.blank_slides.items()}
        self._blank_notes = etree.fromstring(skeleton.blank_notes)
        self._notes_master: Part | None = None
        self._names_taken = set(self._parts)  # a template's part names too
        self._images: dict[bytes, Part] = {}  # an image's bytes -> its part, shared by every slide showing it
        self._ids = itertools.count()  # shape ids on the slide being written

    def add(self, plan: SlidePlan) -> Part:
        part = self._new_slide(self._parts[self.skeleton.layouts[plan.layout]])
        if plan.background and self.backgrounds:
            part.element.find(oxml.qn("p:cSld")).insert(0, oxml.background(plan.background))
        tree = part.element.find(f"{oxml.qn('p:cSld')}/{oxml.qn('p:spTree')}")
        self._placeholders(tree, part, plan)
        self._ids = itertools.count(1 + max(int(value) for value in tree.xpath("//@id") if value.isdigit()))
        for shape in plan.shapes:
            tree.append(self._shape(part, shape))
        if plan.notes:
            notes = self._notes_page(part)
            tree = notes.element.find(f"{oxml.qn('p:cSld')}/{oxml.qn('p:spTree')}")
            body = next(shape for shape, ph in oxml.placeholders(tree) if ph.get("type") == "body")
            oxml.fill_text_body(oxml.text_body(body), plan.notes, _relater(notes), self.language,
                                insets=_DEFAULT_NOTES_INSETS)
        return part

    def _new_slide(self, layout: Part) -> Part:
        """A new, empty slide of ``layout``, last in the deck, named and related as python-pptx would."""
        number = len(self._slide_ids) + 1
        blank = self._blank_slides[layout.name]
        part = Part(f"/ppt/slides/slide{number}.xml", _SLIDE_TYPE, element=copy.deepcopy(blank))
        part.add_relationship(layout, _LAYOUT)
        slide_id = max((int(old.get("id")) for old in self._slide_ids), default=255) + 1
        etree.SubElement(self._slide_ids, oxml.qn("p:sldId"),
                         {"id": str(slide_id), oxml.qn("r:id"): self.presentation.add_relationship(part, _SLIDE)})
        return part

    def _notes_page(self, slide: Part) -> Part:
        """A new, empty notes page for ``slide``; the first one adds the notes master when the template has none."""
        if self._notes_master is None:
            self._notes_master = self._parts.get(self.skeleton.notes_master)
            if self._notes_master is None:
                self._parts = _unpacked(self.skeleton.notes_master_parts, self._parts)
                self._names_taken.update(self._parts)
                self._notes_master = self._parts[self.skeleton.notes_master]
                self.presentation.add_relationship(self._notes_master, _NOTES_MASTER)
        part = Part(self._free_name("/ppt/notesSlides/notesSlide{}.xml"), _NOTES_TYPE,
                    element=copy.deepcopy(self._blank_notes))
        part.add_relationship(self._notes_master, _NOTES_MASTER)
        part.add_relationship(slide, _SLIDE)
        slide.add_relationship(part, _NOTES)
        return part

    def _free_name(self, pattern: str) -> str:
        """The first name ``pattern`` gives (numbered from 1) that no part in the package has."""
        name = next(name for number in itertools.count(1) if (name := pattern.format(number)) not in self._names_taken)
        self._names_taken.add(name)
        return name

    def _placeholders(self, tree: etree._Element, part: Part, plan: SlidePlan) -> None:
        """The title (and subtitle) go into the layout's placeholders; unused placeholders go away."""
        wanted = {0: plan.title, 1: plan.subtitle}
        for shape, ph in oxml.placeholders(tree):
            content = wanted.get(int(ph.get("idx", "0")))
            if content is None:
                tree.remove(shape)
                continue
            oxml.place(shape, _box(content.box))
            shape.find(f"*/{oxml.qn('p:cNvPr')}").set("name", content.name)
            self._text(oxml.text_body(shape), part, content)

    def _shape(self, part: Part, shape: Shape) -> etree._Element:
        """The XML of ``shape``, the next id on the slide its own."""
        shape_id = next(self._ids)
        if isinstance(shape, Group):
            members = [(self._shape(part, member), _box(member.box)) for member in shape.shapes]
            return oxml.group(shape_id, shape.name, members)
        if isinstance(shape, TextShape):
            return self._text_shape(shape_id, part, shape)
        if isinstance(shape, TableShape):
            return self._table(shape_id, part, shape)
        box = _box(shape.box)
        if isinstance(shape, Rect):
            return oxml.framed_box(shape_id, shape.name, box, fill=shape.fill, border="", width=0.0, text=False)
        if isinstance(shape, Picture):
            return oxml.picture(shape_id, shape.name, box, shape.description, self._image(part, shape.key))
        return oxml.equation(shape_id, f"Equation {shape_id}", box, shape.omml, shape.size, shape.tex,
                             self._image(part, shape.key), self.language)

    def _text_shape(self, shape_id: int, part: Part, shape: TextShape) -> etree._Element:
        box = _box(shape.box)
        if shape.fill or shape.border:
            rounding = min(0.5, shape.corner / max(min(shape.box.w, shape.box.h), 1.0))
            element = oxml.framed_box(shape_id, shape.name, box, fill=shape.fill, border=shape.border,
                                      width=shape.border_width, dashed=shape.dashed, rounding=rounding)
        else:
            element = oxml.text_box(shape_id, shape.name, box)
        self._text(element.find(oxml.qn("p:txBody")), part, shape)
        return element

    def _text(self, body: etree._Element, part: Part, shape: TextShape) -> None:
        oxml.fill_text_body(body, shape.paras, _relater(part), self.language,
                            insets=shape.insets, anchor=shape.anchor, wrap=shape.wrap)

    def _table(self, shape_id: int, part: Part, shape: TableShape) -> etree._Element:
        x, y, _, _ = _box(shape.box)
        frame, rows = oxml.table(shape_id, "Table", x, y, [oxml.emu(width) for width in shape.column_widths],
                                 [oxml.emu(height) for height in shape.row_heights], header=shape.header_rows > 0)
        relate = _relater(part)
        for row_element, row in zip(rows, shape.rows, strict=True):
            for cell in row:
                body, properties = oxml.table_cell(row_element)
                oxml.fill_text_body(body, cell.paras, relate, self.language)
                oxml.cell_properties(properties, cell.fill, shape.border, shape.border_width, shape.insets)
        return frame

    def _image(self, part: Part, key: str) -> str:
        """The relationship id of the picture or formula image ``key`` names, one part for the same bytes.

        The plan knows each image's format, so Pillow need not open it again (its
        plugins alone took a twentieth of a deck's time).
        """
        data, extension = self.blobs[key]
        if data not in self._images:
            name = self._free_name(f"/ppt/media/image{{}}.{extension}")
            self._images[data] = Part(name, self.skeleton.image_types[extension], data=data)
        return part.relate(self._images[data], _IMAGE)


_DEFAULT_NOTES_INSETS = Insets(7.2, 3.6, 7.2, 3.6)


def _box(box: Box) -> oxml.Position:
    return oxml.emu(box.x), oxml.emu(box.y), oxml.emu(box.w), oxml.emu(box.h)


def _relater(part: Part) -> oxml.Relate:
    def relate(url: str) -> str:
        return part.relate(url, _HYPERLINK)

    return relate


def _set_properties(package: Part, plan: DeckPlan, timestamp: int) -> None:
    """Core properties from the paper, dated ``timestamp``; the skeleton holds the ones every deck has."""
    part = package.related(_CORE)
    part.element = etree.fromstring(part.data)
    dated = moment(timestamp).strftime("%Y-%m-%dT%H:%M:%SZ")
    values = {(_DC, "title"): plan.title, (_DC, "creator"): plan.authors, (_DC, "subject"): plan.subject,
              (_CP, "keywords"): plan.keywords, (_DC, "language"): plan.language,
              # "" as python-pptx set them, so <dc:description></dc:description>; the skeleton's copy, parsed
              # again, has no text at all and would be written <dc:description/>
              (_DC, "description"): "", (_CP, "category"): "",
              (_DC, "identifier"): PROVENANCE,
              (_DCTERMS, "created"): dated, (_DCTERMS, "modified"): dated}
    for (namespace, name), value in values.items():
        part.element.find(f"{{{namespace}}}{name}").text = _property(value)


def _property(text: str) -> str:
    """``text`` cut to the 255 characters a core property holds (a title can be a whole paragraph)."""
    return text if len(text) <= _PROPERTY_LIMIT else text[: _PROPERTY_LIMIT - 1] + "…"


def _unpacked(stored: list[template.StoredPart], known: dict[str, Part]) -> dict[str, Part]:
    """Parts made from ``stored`` ones, related to each other and to ``known`` ones: all of them by name."""
    by_name = {**known, **{part.name: Part(part.name, part.content_type, data=part.data) for part in stored}}
    for part in stored:
        _relate_as_stored(by_name[part.name], part.rels, by_name)
    return by_name


def _relate_as_stored(owner: Part, rels: list[tuple[str, str, str, bool]], by_name: dict[str, Part]) -> None:
    for rid, reltype, target, external in rels:
        owner.rels[rid] = Relationship(reltype, target if external else by_name[target])
