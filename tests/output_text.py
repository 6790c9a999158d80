"""Read what a build wrote, as text and as bytes, the way a reader (or a leak hunter) would see it."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from pptx import Presentation
from pptx.shapes.base import BaseShape
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject


def slide_texts(deck: Path) -> list[str]:
    """Every slide's visible text, as python-pptx reads it: text frames and table cells, inside groups too."""
    return ["\n".join(_shape_texts(slide.shapes)) for slide in Presentation(str(deck)).slides]


def notes_texts(deck: Path) -> list[str]:
    """Every slide's speaker notes ("" where it has none)."""
    slides = Presentation(str(deck)).slides
    return [slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "" for slide in slides]


def _shape_texts(shapes: Iterable[BaseShape]) -> Iterator[str]:
    for shape in shapes:
        if shape.shape_type == 6:  # a group
            yield from _shape_texts(shape.shapes)
        if shape.has_text_frame:
            yield shape.text_frame.text
        if getattr(shape, "has_table", False):
            yield from (cell.text for row in shape.table.rows for cell in row.cells)


def package_parts(deck: Path) -> dict[str, bytes]:
    """Every member of the .pptx zip: XML parts, media, everything PowerPoint would read."""
    with zipfile.ZipFile(deck) as package:
        return {name: package.read(name) for name in package.namelist()}


def page_texts(pdf: Path) -> list[str]:
    """Every page's text as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def pdf_stream_bytes(pdf: Path) -> bytes:
    """Every stream of the PDF decoded (content, fonts, images, embedded files), one after another."""
    reader = PdfReader(pdf)
    found = []
    for number, generation in _object_ids(reader):
        value = reader.get_object(IndirectObject(number, generation, reader))
        if isinstance(value, StreamObject):
            found.append(value.get_data())
    return b"\n".join(found)


def _object_ids(reader: PdfReader) -> Iterator[tuple[int, int]]:
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield number, generation
    for number in reader.xref_objStm:
        yield number, 0
