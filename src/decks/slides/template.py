"""A theme's PowerPoint template as decks uses it: the values it sets, and the skeleton a deck is written into.

The only module that speaks python-pptx. A theme's ``template.pptx`` gives the
slide master and layouts: the deck keeps its slide size, backgrounds,
pictures, colour and font schemes, and its theme fonts replace the theme's
heading and body fonts; without one, python-pptx's own template is dressed
in the theme's colours and fonts.

The skeleton is that template ready for slides, as parts (``decks.slides.package``
writes a deck into a copy of it), with what python-pptx would add to it: a new
empty slide of each layout the theme uses, an empty notes page, and the notes
master it makes for the first one. It depends only on the template, the theme's
values, the slide size and fonts, and python-pptx, so it is kept in
``build/cache/skeletons``, with the values a template sets, and a kept deck is
rendered without importing python-pptx.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from lxml import etree

from decks import diskcache
from decks.errors import EnvironmentProblem, ThemeError, shown_path
from decks.slides import oxml
from decks.slides.shapes import DeckPlan
from decks.themes import Theme

if TYPE_CHECKING:
    from pptx.opc.package import Part
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout

TEMPLATE = "template.pptx"
SLIDE_KINDS = ("title", "section", "content")  # the slide kinds a deck has, each on the layout the theme names


class StoredPart(msgspec.Struct, frozen=True):
    name: str
    content_type: str
    data: bytes
    rels: list[tuple[str, str, str, bool]]  # id, type, target (a part's name or a URL), whether outside the package


class Skeleton(msgspec.Struct, frozen=True):
    """A template ready for a deck's slides, and the pieces python-pptx would add to it."""

    package: list[tuple[str, str, str, bool]]  # the package's own relationships, as a part's
    parts: list[StoredPart]  # the template's, its slides taken out, sized and dressed for the deck
    layouts: dict[str, str]  # slide kind -> its layout's part name
    blank_slides: dict[str, bytes]  # a layout's part name -> a new slide of it, still empty
    blank_notes: bytes  # a new notes page, still empty
    notes_master: str  # the part name of the notes master notes pages relate to
    notes_master_parts: list[StoredPart]  # what the first notes page adds to make it, when the template has none
    defaults: list[tuple[str, str]]  # (extension, content type) pairs [Content_Types].xml gives by extension
    image_types: dict[str, str]  # a picture's extension -> its content type


def with_template(theme: Theme, repo_root: Path) -> Theme:
    """The theme as its template.pptx (if any) changes it: the template's slide size and heading and body fonts.

    The template's fonts must be installed (or their metric twins), since slide text is measured in them.
    Kept in the cache while the template and the installed fonts are unchanged.
    """
    template = theme.find(TEMPLATE)
    if template is None:
        return theme
    key = [_hash(template), diskcache.font_folders(), _code()]
    values = diskcache.cached_json(diskcache.folder("skeletons"), "template values", key,
                                   lambda: _template_values(template, repo_root))
    return theme.with_values(values)


def skeleton(theme: Theme, plan: DeckPlan) -> Skeleton:
    """The skeleton for ``plan``'s decks in ``theme``: from the cache when it holds it, else made now and kept."""
    cache = diskcache.folder("skeletons")
    template = theme.find(TEMPLATE)
    try:
        key = diskcache.digest(_hash(template), theme.values, plan.width, plan.height, plan.fonts, _code())
    except (TypeError, ValueError):  # a theme value JSON cannot write (a TOML date): nothing to key it by
        return _made(theme, plan, template)
    made: list[Skeleton] = []  # made now, or read from the entry while checking it

    def compute() -> dict[str, Any]:
        made.append(_made(theme, plan, template))
        return msgspec.to_builtins(made[-1])

    def trusted(stored: dict[str, Any]) -> bool:  # an entry that is not a skeleton raises: it is made and kept again
        kept = msgspec.convert(stored, Skeleton)
        names = {part.name for part in (*kept.parts, *kept.notes_master_parts)}
        if not names >= {*kept.layouts.values(), *kept.blank_slides, kept.notes_master}:
            return False
        made.append(kept)
        return True

    diskcache.cached_json(cache, "skeleton", key, compute, trust=trusted)
    return made[-1]


def _hash(template: Path | None) -> str | None:
    """The template's SHA-256, read once per process while its size and time stay (values and skeleton key on it)."""
    return _file_hash(template, *diskcache.file_state(template)) if template else None


@functools.cache
def _file_hash(path: Path, *_state: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def _code() -> str:
    """decks' own code (the theme's colours, EMU rounding, ...) and the libraries a skeleton is made with."""
    return diskcache.fingerprint(("python-pptx", "lxml"), diskcache.decks_sources())


def _made(theme: Theme, plan: DeckPlan, template: Path | None) -> Skeleton:
    """The skeleton as python-pptx makes it.

    The template's parts are taken once it is ready for slides; then a probe
    slide of each layout the theme uses, and a notes page on the first, show
    what python-pptx adds for them (the notes master too, when the template has none).
    """
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.spec import default_content_types, image_content_types

    presentation = Presentation(str(template)) if template else Presentation()
    _remove_slides(presentation)
    _set_size(presentation, plan)
    if template is None:
        _set_theme(presentation, theme, plan)
    _set_fixed_properties(presentation)
    layouts = _layouts(presentation, theme, template)
    package = presentation.part.package
    package_rels = _relationships(package._rels)
    parts = [_stored(part) for part in package.iter_parts()]
    blank_slides: dict[str, bytes] = {}
    for layout in layouts.values():
        name = str(layout.part.partname)
        if name not in blank_slides:
            blank_slides[name] = etree.tostring(presentation.slides.add_slide(layout)._element)
    notes = presentation.slides[0].part.notes_slide.part
    taken = {part.name for part in parts} | {str(slide.part.partname) for slide in presentation.slides}
    return Skeleton(
        package=package_rels,
        parts=parts,
        layouts={kind: str(layout.part.partname) for kind, layout in layouts.items()},
        blank_slides=blank_slides,
        blank_notes=etree.tostring(notes._element),
        notes_master=str(presentation.part.part_related_by(RT.NOTES_MASTER).partname),
        notes_master_parts=[_stored(part) for part in package.iter_parts()
                            if str(part.partname) not in taken and part is not notes],
        defaults=[tuple(pair) for pair in default_content_types],
        image_types=dict(image_content_types),
    )


def _stored(part: Part) -> StoredPart:
    return StoredPart(str(part.partname), part.content_type, part.blob, _relationships(part.rels))


def _relationships(rels: Any) -> list[tuple[str, str, str, bool]]:
    """A part's (or the package's) relationships in the order made, which is the order parts are written."""
    return [(rid, rel.reltype, rel.target_ref if rel.is_external else str(rel.target_part.partname), rel.is_external)
            for rid, rel in rels.items()]


def _template_values(template: Path, repo_root: Path) -> dict[str, dict[str, object]]:
    from pptx import Presentation

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
            raise EnvironmentProblem(f"the template's theme font: {problem.message}", shown_path(template, repo_root)) \
                from None
    if fonts:
        values["fonts"] = fonts
    return values


def _scheme_fonts(presentation: Presentation) -> dict[str, str]:
    """The master's theme fonts by the theme's names for them: major for headings, minor for body text."""
    scheme = _theme_xml(presentation).find(f".//{oxml.qn('a:fontScheme')}")
    fonts: dict[str, str] = {}
    for key, tag in (("heading", "a:majorFont"), ("body", "a:minorFont")):
        latin = scheme.find(f"{oxml.qn(tag)}/{oxml.qn('a:latin')}") if scheme is not None else None
        if latin is not None and latin.get("typeface"):
            fonts[key] = latin.get("typeface")
    return fonts


def _theme_part(presentation: Presentation) -> Part:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return presentation.slide_master.part.part_related_by(RT.THEME)


def _theme_xml(presentation: Presentation) -> etree._Element:
    return etree.fromstring(_theme_part(presentation).blob)


def _remove_slides(presentation: Presentation) -> None:
    """Drop the slides a template came with: the deck is only the paper's.

    A dropped slide that something else still points to (a layout's link to
    it) stays in the package: it is renamed out of the way of the names
    python-pptx gives new slides (``slide1.xml`` and on, by count).
    """
    from pptx.opc.packuri import PackURI

    slide_ids = presentation.slides._sldIdLst
    for number, slide_id in enumerate(list(slide_ids), start=1):
        slide_part = presentation.part.related_part(slide_id.rId)
        slide_part.partname = PackURI(f"/ppt/slides/templateSlide{number}.xml")
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def _layouts(presentation: Presentation, theme: Theme, template: Path | None) -> dict[str, SlideLayout]:
    """The layout for each slide kind, by the names in the theme's ``[template]`` (case does not matter)."""
    found: dict[str, SlideLayout] = {}
    for master in presentation.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name.casefold(), layout)
    layouts: dict[str, SlideLayout] = {}
    for kind in SLIDE_KINDS:
        name = str(theme.section("template")[f"{kind}_layout"])
        if name.casefold() not in found:
            available = ", ".join(sorted({layout.name for layout in found.values()}))
            raise ThemeError(f"{TEMPLATE} has no layout named '{name}' (template.{kind}_layout); "
                             f"its layouts: {available}", str(template or ""))
        layouts[kind] = found[name.casefold()]
    return layouts


def _set_size(presentation: Presentation, plan: DeckPlan) -> None:
    """Make the slides 16:9 and stretch the master's and layouts' shapes to the new width."""
    from pptx.util import Emu

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


def _set_theme(presentation: Presentation, theme: Theme, plan: DeckPlan) -> None:
    """The template's colour and font scheme follow the theme, so slides a presenter adds match."""
    root = _theme_xml(presentation)
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
    _theme_part(presentation)._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_fixed_properties(presentation: Presentation) -> None:
    """The core properties every deck has, and a value for each one a deck sets (``render`` writes its own in)."""
    properties = presentation.core_properties
    for name in ("title", "author", "subject", "keywords", "language", "comments", "category"):
        setattr(properties, name, "-")
    properties.last_modified_by = "decks"
    properties.identifier = "-"  # elements are added in the order set: this one after lastModifiedBy
    properties.revision = 1
    properties.created = properties.modified = datetime(1980, 1, 1)  # any date: render writes the deck's
