"""SVG images' sizes kept: WeasyPrint's own answers, worked out once per image and font size."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from handout_helpers import build, document, para

from decks.handout import engine, svg_sizes
from decks.model import Math

engine.load()

SVGS = [
    '<svg xmlns="http://www.w3.org/2000/svg" width="3.833pt" height="7.161pt" viewBox="0.137 -6.647 3.833 7.161"/>',
    '<svg xmlns="http://www.w3.org/2000/svg" width="2em" height="1em"/>',
    '<svg xmlns="http://www.w3.org/2000/svg" width="50%" viewBox="0 0 40 10"/>',
    '<svg xmlns="http://www.w3.org/2000/svg" height="30" viewBox="0 0 40 10"/>',
    '<svg xmlns="http://www.w3.org/2000/svg"/>',
]


@pytest.mark.parametrize("svg", SVGS)
def test_a_kept_size_is_weasyprints_own_for_each_font_size(svg):
    from weasyprint.images import SVGImage

    image = SVGImage(ElementTree.fromstring(svg), None, None, None)
    for resolution, font_size in [(1, 12), (1, 9.5), (2, 12), (1, 12)]:
        assert svg_sizes.intrinsic_size(image, resolution, font_size) == \
            svg_sizes._WEASYPRINT_SIZE(image, resolution, font_size)


def test_a_handouts_formulas_are_measured_once_each_though_asked_several_times(repo, monkeypatch):
    measured, asked = [], []

    def counted(image, resolution, font_size):
        measured.append(image)
        return weasyprint_size(image, resolution, font_size)

    def asking(image, resolution, font_size):
        asked.append(image)
        return kept(image, resolution, font_size)

    weasyprint_size, kept = svg_sizes._WEASYPRINT_SIZE, svg_sizes.intrinsic_size
    from weasyprint.images import SVGImage

    monkeypatch.setattr(svg_sizes, "_WEASYPRINT_SIZE", counted)
    monkeypatch.setattr(svg_sizes, "intrinsic_size", asking)  # what the handout's engine.load installs
    monkeypatch.setattr(SVGImage, "get_intrinsic_size", SVGImage.get_intrinsic_size)  # put back after the test
    formulas = [Math(rf"x_{{{index}}}^2 + \sqrt{{d_{index}}}") for index in range(6)]
    build(repo, document(para("Formulas ", *formulas, ".")))
    assert len(set(asked)) == len(set(measured)) == 6
    assert len(measured) == 6 < len(asked)
