"""A PNG figure's compressed pixels put into the PDF as the file holds them, not decoded and compressed again.

A PDF image can be PNG data as it is: the same deflate stream of rows, each
with its PNG filter byte (``/DecodeParms`` predictor 15, which WeasyPrint 70
writes for every PNG). WeasyPrint decodes each PNG and has Pillow write it
again only to take that stream back out: for a 1600 × 1000 figure a tenth of a
second per handout, for the same pixels. Here the file's own ``IDAT`` chunks
are used when they already are what WeasyPrint declares: 8 bits per sample,
RGB or grey without alpha, not interlaced. Anything else (alpha, palettes,
16 bits, interlacing, a picture WeasyPrint resized) goes to WeasyPrint.
Importing this module imports WeasyPrint.
"""

from __future__ import annotations

import io
import struct
from typing import Any

from weasyprint.images import RasterImage

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHUNK_HEAD = struct.Struct(">I4s")
_HEADER = struct.Struct(">IIBBBBB")  # IHDR: width, height, bit depth, colour type, compression, filter, interlace
_COLOUR_TYPES = {"RGB": 2, "L": 0}  # the modes WeasyPrint writes as they are, and their PNG colour types
_WEASYPRINT_PNG_DATA = RasterImage._get_png_data  # its own, which the tests compare with


def install() -> None:
    """WeasyPrint takes a PNG's pixel data with ``png_data`` from now on in this process (again is harmless)."""
    RasterImage._get_png_data = staticmethod(png_data)


def png_data(pillow_image: Any) -> bytes:
    """The PNG image data (``IDAT``) WeasyPrint embeds for ``pillow_image``: the file's own where it can be."""
    stored = _stored_bytes(pillow_image)
    data = _plain_image_data(stored, pillow_image.mode) if stored is not None else None
    return data if data is not None else _WEASYPRINT_PNG_DATA(pillow_image)


def _stored_bytes(pillow_image: Any) -> bytes | None:
    """The bytes a PNG was opened from, while its pixels are still undecoded (as WeasyPrint hands it over)."""
    source = getattr(pillow_image, "fp", None)
    if pillow_image.format != "PNG" or not isinstance(source, io.BytesIO):
        return None
    return source.getvalue()


def _plain_image_data(png: bytes, mode: str) -> bytes | None:
    """The joined ``IDAT`` chunks of ``png`` if it is 8-bit ``mode`` (RGB or L), not interlaced; else None."""
    if not png.startswith(_SIGNATURE) or mode not in _COLOUR_TYPES:
        return None
    chunks: list[bytes] = []
    position = len(_SIGNATURE)
    header: tuple[int, ...] | None = None
    while position + _CHUNK_HEAD.size <= len(png):
        length, kind = _CHUNK_HEAD.unpack_from(png, position)
        start = position + _CHUNK_HEAD.size
        if kind == b"IHDR" and length == _HEADER.size:
            header = _HEADER.unpack_from(png, start)
        elif kind == b"IDAT":
            chunks.append(png[start:start + length])
        position = start + length + 4  # and the chunk's CRC
    if header is None or header[2:] != (8, _COLOUR_TYPES[mode], 0, 0, 0) or not chunks:
        return None
    return b"".join(chunks)
