"""A .pptx package as decks writes it: parts, the relationships between them, and the zip file.

A deck is written into a copy of its theme's skeleton (``decks.slides.template``:
the template's parts as python-pptx leaves them) without importing python-pptx,
whose import alone was over half of rendering a kept deck. The rules are
python-pptx's, so the bytes are the ones it wrote: a new relationship takes the
highest free id up to one past the count, a relationship to the same target is
reused, parts are written in depth-first order of the relationships from the
package, a .rels file lists its relationships by number, and
``[Content_Types].xml`` gives defaults by extension and overrides by part name,
each sorted.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from datetime import UTC, datetime
from typing import NamedTuple

from lxml import etree

ZIP_EPOCH = 315532800  # 1980-01-01, the earliest date a zip entry can carry
_COMPRESSED = frozenset({"png", "jpg", "jpeg", "gif"})  # picture formats deflating cannot shrink
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
_XML_TYPE = "application/xml"


class Relationship(NamedTuple):
    reltype: str
    target: Part | str  # a part, or the URL of something outside the package


class Part:
    """One file in the package: XML being written (``element``) or bytes kept as they are (``data``)."""

    __slots__ = ("name", "content_type", "data", "element", "rels")

    def __init__(self, name: str, content_type: str, *, data: bytes = b"",
                 element: etree._Element | None = None) -> None:
        self.name = name  # its absolute part name, "/ppt/slides/slide1.xml"; the package itself is "/"
        self.content_type = content_type
        self.data = data
        self.element = element
        self.rels: dict[str, Relationship] = {}  # by id, in the order they were made (the order parts are written)

    @property
    def blob(self) -> bytes:
        return self.data if self.element is None else xml_bytes(self.element)

    def relate(self, target: Part | str, reltype: str) -> str:
        """The id of this part's relationship of ``reltype`` to ``target``: the one it has, else a new one."""
        for rid, rel in self.rels.items():
            if rel.reltype == reltype and (rel.target is target if isinstance(target, Part) else rel.target == target):
                return rid
        return self.add_relationship(target, reltype)

    def add_relationship(self, target: Part | str, reltype: str) -> str:
        """The id of a new relationship to ``target`` (a part made just now needs no search for an old one)."""
        rid = next(rid for number in range(len(self.rels) + 1, 0, -1) if (rid := f"rId{number}") not in self.rels)
        self.rels[rid] = Relationship(reltype, target)
        return rid

    def related(self, reltype: str) -> Part | None:
        """The part this one has a relationship of ``reltype`` to, if any."""
        return next((rel.target for rel in self.rels.values()
                     if rel.reltype == reltype and isinstance(rel.target, Part)), None)


def xml_bytes(element: etree._Element) -> bytes:
    """An XML part's file, as python-pptx writes it (an XML declaration, standalone, nothing indented)."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def parts(package: Part) -> list[Part]:
    """Every part ``package`` (the part named "/") reaches, depth first along relationships in the order made."""
    found: dict[int, Part] = {}

    def walk(part: Part) -> None:
        for rel in part.rels.values():
            target = rel.target
            if isinstance(target, Part) and id(target) not in found:
                found[id(target)] = target
                walk(target)

    walk(package)
    return list(found.values())


def write(package: Part, defaults: frozenset[tuple[str, str]], timestamp: int) -> bytes:
    """The .pptx file of ``package``, every entry dated ``timestamp``.

    ``defaults`` are the (extension, content type) pairs given once per extension
    rather than per part. Pictures are stored, not deflated: they are compressed
    already (deflating them again took a sixth of a kept deck's rendering and
    saved 2% of its size).
    """
    date_time = moment(timestamp).timetuple()[:6]
    members = parts(package)
    entries = [("/[Content_Types].xml", _content_types(members, defaults)), (_rels_name("/"), _rels_xml(package))]
    for part in members:
        entries.append((part.name, part.blob))
        if part.rels:
            entries.append((_rels_name(part.name), _rels_xml(part)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            entry = zipfile.ZipInfo(name[1:], date_time=date_time)
            entry.compress_type = zipfile.ZIP_STORED if _extension(name) in _COMPRESSED else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16  # as zipfile gives an entry written without its own ZipInfo
            archive.writestr(entry, data)
    return buffer.getvalue()


def moment(timestamp: int) -> datetime:
    """``timestamp`` as a UTC date a zip entry can carry (none before 1980)."""
    return datetime.fromtimestamp(max(timestamp, ZIP_EPOCH), UTC)


def _content_types(members: list[Part], defaults: frozenset[tuple[str, str]]) -> bytes:
    by_extension = {"rels": _RELS_TYPE, "xml": _XML_TYPE}
    by_name = {}
    for part in members:
        extension = _extension(part.name)
        if (extension.lower(), part.content_type) in defaults:
            by_extension[extension.lower()] = part.content_type
        else:
            by_name[part.name] = part.content_type
    types = etree.Element(f"{{{_CONTENT_TYPES}}}Types", nsmap={None: _CONTENT_TYPES})
    for extension, content_type in sorted(by_extension.items()):
        etree.SubElement(types, f"{{{_CONTENT_TYPES}}}Default", Extension=extension, ContentType=content_type)
    for name, content_type in sorted(by_name.items()):
        etree.SubElement(types, f"{{{_CONTENT_TYPES}}}Override", PartName=name, ContentType=content_type)
    return xml_bytes(types)


def _rels_xml(part: Part) -> bytes:
    """A part's .rels file: its relationships by number, targets relative to the part's folder."""
    folder = posixpath.dirname(part.name)
    root = etree.Element(f"{{{_RELATIONSHIPS}}}Relationships", nsmap={None: _RELATIONSHIPS})
    for rid in sorted(part.rels, key=_number):
        reltype, target = part.rels[rid]
        element = etree.SubElement(root, f"{{{_RELATIONSHIPS}}}Relationship", Id=rid, Type=reltype)
        if isinstance(target, Part):
            element.set("Target", target.name[1:] if folder == "/" else posixpath.relpath(target.name, folder))
        else:
            element.set("Target", target)
            element.set("TargetMode", "External")
    return xml_bytes(root)


def _number(rid: str) -> tuple[int, str]:
    """How a .rels file orders ids: by number ("rId2" before "rId10"), any other id first."""
    digits = rid[3:]
    return (int(digits) if rid.startswith("rId") and digits.isdigit() else 0), rid


def _rels_name(name: str) -> str:
    folder, file = posixpath.split(name)
    return posixpath.join(folder, "_rels", f"{file}.rels")


def _extension(name: str) -> str:
    return posixpath.splitext(name)[1][1:]
