"""An SVG image's intrinsic size worked out once per size of the text around it, not each time WeasyPrint asks.

WeasyPrint 70 asks an image for its size when it lays the image out, when it
measures the line's narrowest and widest widths, and when it draws it; an SVG
reads its ``width``, ``height`` and ``viewBox`` again each time, parsing
their lengths: 907 times for the Attention handout's 229 formulas. The
answer depends only on those attributes, which nothing changes, and on the
resolution and font size asked with, so it is kept on the image for each.
Importing this module imports WeasyPrint.
"""

from __future__ import annotations

from typing import Any

from weasyprint.images import SVGImage

_WEASYPRINT_SIZE = SVGImage.get_intrinsic_size  # its own, which the tests compare with


def install() -> None:
    """WeasyPrint's SVG images keep their sizes from now on in this process (again is harmless)."""
    SVGImage.get_intrinsic_size = intrinsic_size


def intrinsic_size(image: Any, image_resolution: float, font_size: float) -> tuple[Any, Any, Any]:
    """``SVGImage.get_intrinsic_size``: width, height and ratio, worked out once for each resolution and font size."""
    sizes = image.__dict__.setdefault("_sizes", {})
    key = (image_resolution, font_size)
    size = sizes.get(key)
    if size is None:
        size = sizes[key] = _WEASYPRINT_SIZE(image, image_resolution, font_size)
    return size
