"""PNG figures in the handout: the file's own pixel data where it already is what the PDF needs; same pixels."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from handout_helpers import build, document
from PIL import Image as Picture
from pypdf import PdfReader

from decks.model import Figure, Image


def picture(mode: str) -> Picture.Image:
    """A 64 × 40 picture with every row different, in ``mode``."""
    gradient = Picture.linear_gradient("L").resize((64, 40))
    colour = Picture.merge("RGB", (gradient, gradient.rotate(90).resize((64, 40)), gradient.transpose(0)))
    if mode == "RGBA":
        return Picture.merge("RGBA", (*colour.split(), gradient))
    return colour.convert(mode) if mode != "RGB" else colour


def embedded(repo: Path, png: Picture.Image, **options: object) -> tuple[bytes, Picture.Image]:
    """The image stream's raw data in the handout of one figure saved from ``png``, and the picture it shows."""
    png.save(repo / "papers" / "sample" / "figures" / "figure.png", **options)
    built = build(repo, document(Figure(Image("figures/figure.png", "A figure"), line=3)))
    assert built.diagnostics == []
    page = next(page for page in PdfReader(built.pdf).pages if page.images)
    shown = page.images[0]
    return shown.indirect_reference.get_object()._data, shown.image


def idat(png: Path) -> bytes:
    data, position = png.read_bytes(), 8
    chunks = []
    while position < len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        if kind == b"IDAT":
            chunks.append(data[position + 8:position + 8 + length])
        position += 12 + length
    return b"".join(chunks)


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_an_8_bit_png_without_alpha_is_embedded_with_the_files_own_compressed_pixels(repo, mode):
    data, shown = embedded(repo, picture(mode), compress_level=1)  # not as Pillow would compress it again
    assert data == idat(repo / "papers" / "sample" / "figures" / "figure.png")
    assert shown.convert(mode).tobytes() == picture(mode).tobytes()


@pytest.mark.parametrize("mode", ["RGBA", "P", "LA"])
def test_other_pngs_are_embedded_as_weasyprint_does_and_show_the_same_colours(repo, mode):
    source = picture("RGBA" if mode == "LA" else mode)
    if mode == "LA":
        source = source.convert("LA")
    data, shown = embedded(repo, source, compress_level=1)
    assert data != idat(repo / "papers" / "sample" / "figures" / "figure.png")
    colours = "L" if mode == "LA" else "RGB"  # alpha goes to the PDF's soft mask
    assert shown.convert(colours).tobytes() == source.convert(colours).tobytes()


@pytest.mark.parametrize("change", [{8: 16}, {12: 1}, {9: 3}, {9: 6}])  # 16 bits; interlaced; palette; alpha
def test_a_png_whose_header_says_other_pixels_is_left_to_weasyprint(change):
    from decks.handout.png_images import _plain_image_data

    header = bytearray(struct.pack(">IIBBBBB", 64, 40, 8, 2, 0, 0, 0))
    plain = _png(bytes(header))
    assert _plain_image_data(plain, "RGB") == b"pixels"
    for index, value in change.items():
        header[index] = value
    assert _plain_image_data(_png(bytes(header)), "RGB") is None


def _png(header: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"pix") + chunk(b"IDAT", b"els")
