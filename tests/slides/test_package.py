"""The package a deck is written as: python-pptx's rules for relationships, part order and content types."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from decks.slides.package import Part, parts, write

LAYOUT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
LINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
XML_TYPE = "application/vnd.example+xml"
PNG = ("png", "image/png")


def xml_part(name: str) -> Part:
    return Part(name, XML_TYPE, element=etree.Element("root"))


def unzipped(package: Part) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(write(package, frozenset({PNG}), 0))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_new_relationship_takes_the_highest_free_id_up_to_one_past_the_count():
    part = xml_part("/a.xml")
    assert [part.add_relationship(f"https://example.org/{n}", LINK) for n in range(3)] == ["rId1", "rId2", "rId3"]
    del part.rels["rId2"]
    assert part.add_relationship("https://example.org/again", LINK) == "rId2"
    del part.rels["rId1"], part.rels["rId2"]
    assert part.add_relationship("https://example.org/late", LINK) == "rId2"  # rId3 taken, rId1 left for later


def test_relating_to_the_same_part_or_address_again_reuses_the_relationship():
    slide, picture = xml_part("/ppt/slides/slide1.xml"), Part("/ppt/media/image1.png", "image/png", data=b"png")
    first = slide.relate(picture, IMAGE)
    link = slide.relate("https://example.org", LINK)
    assert slide.relate(picture, IMAGE) == first
    assert slide.relate("https://example.org", LINK) == link
    assert slide.relate(Part("/ppt/media/image2.png", "image/png", data=b"png"), IMAGE) not in (first, link)


def test_parts_are_written_depth_first_in_the_order_they_were_related():
    package, presentation = Part("/", ""), xml_part("/ppt/presentation.xml")
    master, layout, slide = xml_part("/ppt/m.xml"), xml_part("/ppt/l.xml"), xml_part("/ppt/s.xml")
    package.add_relationship(presentation, LAYOUT)
    presentation.add_relationship(master, LAYOUT)
    presentation.add_relationship(slide, LAYOUT)
    master.add_relationship(layout, LAYOUT)
    layout.add_relationship(master, LAYOUT)  # a cycle: each part still once
    slide.add_relationship(layout, LAYOUT)
    assert [part.name for part in parts(package)] == ["/ppt/presentation.xml", "/ppt/m.xml", "/ppt/l.xml", "/ppt/s.xml"]
    assert list(unzipped(package)) == [
        "[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml", "ppt/_rels/presentation.xml.rels",
        "ppt/m.xml", "ppt/_rels/m.xml.rels", "ppt/l.xml", "ppt/_rels/l.xml.rels", "ppt/s.xml", "ppt/_rels/s.xml.rels"]


def test_a_rels_file_lists_relationships_by_number_with_targets_relative_to_the_part():
    package, slide = Part("/", ""), xml_part("/ppt/slides/slide1.xml")
    package.add_relationship(slide, LAYOUT)
    for number in range(1, 12):
        slide.add_relationship(f"https://example.org/{number}", LINK)
    slide.add_relationship(Part("/ppt/media/image1.png", "image/png", data=b"png"), IMAGE)
    rels = etree.fromstring(unzipped(package)["ppt/slides/_rels/slide1.xml.rels"])
    assert [r.get("Id") for r in rels] == [f"rId{n}" for n in range(1, 13)]  # rId10 after rId9, not after rId1
    assert (rels[0].get("Target"), rels[0].get("TargetMode")) == ("https://example.org/1", "External")
    assert (rels[11].get("Target"), rels[11].get("TargetMode")) == ("../media/image1.png", None)
    assert etree.fromstring(unzipped(package)["_rels/.rels"])[0].get("Target") == "ppt/slides/slide1.xml"


def test_content_types_give_known_extensions_once_and_every_other_part_by_name():
    package, slide = Part("/", ""), xml_part("/ppt/slides/slide1.xml")
    package.add_relationship(slide, LAYOUT)
    for number in (1, 2):
        slide.add_relationship(Part(f"/ppt/media/image{number}.png", "image/png", data=b"png"), IMAGE)
    types = etree.fromstring(unzipped(package)["[Content_Types].xml"])
    entries = [(etree.QName(e).localname, e.get("Extension") or e.get("PartName"), e.get("ContentType")) for e in types]
    assert entries == [
        ("Default", "png", "image/png"),
        ("Default", "rels", "application/vnd.openxmlformats-package.relationships+xml"),
        ("Default", "xml", "application/xml"),
        ("Override", "/ppt/slides/slide1.xml", XML_TYPE),
    ]


def test_pictures_are_stored_and_xml_is_deflated_every_entry_dated_as_asked():
    package, slide = Part("/", ""), xml_part("/ppt/slides/slide1.xml")
    package.add_relationship(slide, LAYOUT)
    slide.add_relationship(Part("/ppt/media/image1.png", "image/png", data=b"png" * 100), IMAGE)
    with zipfile.ZipFile(io.BytesIO(write(package, frozenset({PNG}), 1_700_000_000))) as archive:
        entries = {entry.filename: entry for entry in archive.infolist()}
    assert entries["ppt/media/image1.png"].compress_type == zipfile.ZIP_STORED
    assert entries["ppt/slides/slide1.xml"].compress_type == zipfile.ZIP_DEFLATED
    assert {entry.date_time for entry in entries.values()} == {(2023, 11, 14, 22, 13, 20)}
