"""Glyph outlines drawn by decks: the same PDF as WeasyPrint's own path reader draws, only sooner."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint.svg
from handout_helpers import build, document, para

from decks.handout import glyph_paths
from decks.model import Figure, Image, Math, MathBlock

FORMULAS = [
    r"\mathrm{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right) V",
    r"PE_{(pos, 2i)} = \sin\left(pos / 10000^{2i/d_{\mathrm{model}}}\right)",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix} \sum_{i=1}^{n} x_i^2 \int_0^1 f(x)\,dx",
    r"\hat{y} = \arg\max_{y} \prod_t p(y_t \mid y_{<t}, x) \approx 0.5 \cdot \lVert W \rVert_2",
]
# Paths in the glyph grammar that reach its corners (a T after a line, a Z straight after an M,
# a contour that starts without an M, an M after a line), and paths WeasyPrint must still draw itself.
EDGES_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120pt" height="60pt" viewBox="0 0 120 60">
<path d="M 10 10 L 20 10 T 30 20 T 40 10 Q 45 5 50 10 T 60 10 L 65 12 T 70 20 Z L 70 30 Z" fill="#1F2933"/>
<path d="M 5 50 Z M 5 55 L 15 55 L 15 45 Z" fill="#aa0000"/>
<path d="M 10 40 L 20 40 M 30 40 L 40 45 Z Q 45 50 50 40 Z" fill="#aa00aa"/>
<path d="M 0.5 1.25 Q 2.125 3 -4.5 6 T 7.333 8 L 9 -0.25 Z" fill="#00aa00" stroke="#000" stroke-width="0.5"/>
<path d="M .5 1.25 Q 2. 3 -4.5 6 T 7 8 L 9 9.0 Z" fill="#00aaaa"/>
<path d="M 80 10 a 10 10 0 1 0 20 0 l -5 20 c 1 2 3 4 5 6 z" fill="#0000aa"/>
<path d="M 80 50 L 100 50 L 110 40" fill="none" stroke="#000" marker-end="url(#dot)"/>
<defs><marker id="dot" markerWidth="4" markerHeight="4" refX="2" refY="2">
<circle cx="2" cy="2" r="2" fill="#000"/></marker></defs>
</svg>"""


def _formulas_and_figures():
    return document(
        *(para("Inline ", Math(tex), " in a sentence.") for tex in FORMULAS),
        *(MathBlock(tex) for tex in FORMULAS),
        para("The same formula again: ", Math(FORMULAS[0]), "."),
        Figure(Image("figures/edges.svg", "Paths at the corners of the grammar")),
    )


def _weasyprint_draws_every_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glyph_paths, "install", lambda: None)
    monkeypatch.setitem(weasyprint.svg.TAGS, "path", glyph_paths._WEASYPRINT_PATH)


def test_formulas_and_figures_give_the_same_pdf_bytes_as_weasyprints_own_path_reader(repo: Path, monkeypatch):
    (repo / "papers" / "sample" / "figures" / "edges.svg").write_text(EDGES_SVG, encoding="utf-8")
    ours = build(repo, _formulas_and_figures(), name="ours")
    with monkeypatch.context() as patch:
        _weasyprint_draws_every_path(patch)
        theirs = build(repo, _formulas_and_figures(), name="theirs")
    assert weasyprint.svg.TAGS["path"] is glyph_paths.draw_path
    assert ours.diagnostics == theirs.diagnostics
    assert ours.pdf.read_bytes() == theirs.pdf.read_bytes()


def test_a_formula_is_a_glyph_outline_decks_draws_itself():
    from decks.equations import typeset

    svg = typeset(FORMULAS[0], display=False, size_pt=11.0).svg
    paths = [part.split('"', 1)[0] for part in svg.split(' d="')[1:]]
    assert paths
    assert all(glyph_paths._glyph_operators(d) is not None for d in paths)


@pytest.mark.parametrize(
    "d",
    [
        "m 0 0 l 1 1 z",  # relative commands
        "M 0 0 A 5 5 0 0 1 10 10",  # an arc
        "M 0 0 C 1 1 2 2 3 3",  # a cubic curve
        "M 0,0 L 1,1",  # commas
        "M 0 0 L 1",  # a point short
        "M 1e3 0 L 1 1",  # an exponent
        "M .5 0 L 1 1",  # numbers not written as PDF writes them: no leading zero,
        "M 0.50 0 L 1 1",  # a trailing zero,
        "M -0 0 L 1 1",  # minus zero,
        "M 0.1234567 0 L 1 1",  # more than six decimals,
        "M 01 0 L 1 1",  # a leading zero
        "L 1 1 Z",  # no M to start from
        "",
    ],
)
def test_a_path_outside_the_glyph_grammar_is_left_to_weasyprint(d):
    assert glyph_paths._glyph_operators(d) is None


def test_a_quadratic_curve_becomes_the_cubic_weasyprint_writes():
    assert glyph_paths._glyph_operators("M 0 0 Q 3 3 6 0 T 12 0 Z") == (
        b"0 0 m\n0 0 m\n2 2 4 2 6 0 c\n8 -2 10 -2 12 0 c\nh"
    )
