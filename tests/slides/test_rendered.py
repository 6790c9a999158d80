"""Decks as a viewer shows them: rendered by LibreOffice to PDF, one page per slide, no text outside its box.

These tests need ``soffice``; they are skipped, saying so, where it is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from decks.slides.render import write_deck
from decks.themes import Theme

from .conftest import REPO, TIMESTAMP
from .documents import crowded, every_construct
from .inspect import A, points

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
TOLERANCE = 2.0  # points: anti-aliasing, superscripts and italic overhang

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def rendered(deck: Path, tmp_path: Path) -> Path:
    """The deck as a PDF made by LibreOffice, with a profile of its own so parallel runs do not clash."""
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(deck)],
        check=True, capture_output=True, timeout=240,
    )
    return tmp_path / f"{deck.stem}.pdf"


def boxes(deck: Path) -> list[list[tuple[float, float, float, float]]]:
    """For each slide, the boxes (x0, top, x1, bottom in points) of every shape that may hold text."""
    found = []
    for tree in _slide_trees(deck):
        slide_boxes = []
        for transform in tree.iter(f"{A}xfrm", f"{P}xfrm"):
            off, ext = transform.find(f"{A}off"), transform.find(f"{A}ext")
            x, y = points(int(off.get("x"))), points(int(off.get("y")))
            slide_boxes.append((x, y, x + points(int(ext.get("cx"))), y + points(int(ext.get("cy")))))
        found.append(slide_boxes)
    return found


def equation_bands(deck: Path) -> list[list[tuple[float, float]]]:
    """For each slide, the vertical extent of each equation.

    LibreOffice lays out the OMML of an equation itself, in its own size and
    with its own known errors (a ``¿`` for a parenthesis split across runs):
    what it draws there says nothing about our fitting.
    """
    found = []
    for slide in _slide_trees(deck):
        bands = []
        for alternate in slide.iter(f"{MC}AlternateContent"):
            off, ext = alternate.find(f".//{A}off"), alternate.find(f".//{A}ext")
            top = points(int(off.get("y")))
            bands.append((top, top + points(int(ext.get("cy")))))
        found.append(bands)
    return found


def _slide_trees(deck: Path) -> list[etree._Element]:
    with zipfile.ZipFile(deck) as package:
        names = sorted((n for n in package.namelist() if n.startswith("ppt/slides/slide")),
                       key=lambda n: int(n.removeprefix("ppt/slides/slide").removesuffix(".xml")))
        return [etree.fromstring(package.read(name)) for name in names]


def stray_characters(deck: Path, pdf: Path) -> list[tuple[int, str]]:
    """Characters LibreOffice drew outside every shape of their slide: text that ran out of its box."""
    stray = []
    with pdfplumber.open(pdf) as document:
        pages = zip(document.pages, boxes(deck), equation_bands(deck), strict=True)
        for number, (page, slide_boxes, bands) in enumerate(pages, start=1):
            for char in page.chars:
                middle = (char["top"] + char["bottom"]) / 2
                if any(top <= middle <= bottom for top, bottom in bands):
                    continue
                inside = any(
                    x0 - TOLERANCE <= char["x0"] and char["x1"] <= x1 + TOLERANCE
                    and top - TOLERANCE <= char["top"] and char["bottom"] <= bottom + TOLERANCE
                    for x0, top, x1, bottom in slide_boxes
                )
                if not inside and char["text"].strip() and not unicodedata.combining(char["text"][0]):
                    stray.append((number, char["text"]))
    return stray


@pytest.fixture(scope="module")
def every_pdf(tmp_path_factory: pytest.TempPathFactory, theme: Theme) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("every-pdf")
    deck = folder / "every-construct.pptx"
    write_deck(every_construct(), theme, deck, repo_root=REPO, timestamp=TIMESTAMP)
    return deck, rendered(deck, folder)


def test_libreoffice_renders_one_page_per_slide(every_pdf):
    deck, pdf = every_pdf
    with zipfile.ZipFile(deck) as package:
        slides = [n for n in package.namelist() if n.startswith("ppt/slides/slide")]
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == len(slides) == 15
        assert (document.pages[0].width, document.pages[0].height) == pytest.approx((960, 540), abs=1)


def test_no_text_of_the_every_construct_deck_leaves_its_box(every_pdf):
    deck, pdf = every_pdf
    assert stray_characters(deck, pdf) == []


def test_no_text_leaves_its_box_when_content_overflows_onto_continuation_slides(tmp_path, theme):
    deck = tmp_path / "crowded.pptx"
    write_deck(crowded(), theme, deck, repo_root=REPO, timestamp=TIMESTAMP)
    pdf = rendered(deck, tmp_path)
    assert stray_characters(deck, pdf) == []
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == len(boxes(deck))


@pytest.mark.parametrize("overview", sorted(REPO.glob("papers/*/overview.md")), ids=lambda path: path.parent.name)
def test_the_group_s_own_decks_render_with_no_text_outside_its_box(overview, tmp_path, theme):
    from decks.markdown import read_document

    source = overview.relative_to(REPO).as_posix()
    document, _ = read_document(overview.read_text(encoding="utf-8"), source, overview.parent.name)
    deck = tmp_path / "deck.pptx"
    assert write_deck(document, theme, deck, repo_root=REPO, timestamp=TIMESTAMP) == []
    assert stray_characters(deck, rendered(deck, tmp_path)) == []
