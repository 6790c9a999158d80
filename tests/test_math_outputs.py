"""Issue 5: no raw LaTeX reaches a slide or a page; display math in a deck is OMML with a picture to fall back on.

Every formula of ``fixtures/formulas.txt`` goes through both writers, as a
study group writes them: an overview with several display formulas per slide
and some inline, and notes that mix both. What a reader sees (slide text, page
text) must hold no ``\\command``; each display formula in the deck must be
editable OMML with a fallback picture. LaTeX that cannot be typeset is shown as
its source, in monospace, and reported with its line.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from fixture_repo import REPO, fresh_repo
from lxml import etree
from output_text import package_parts, page_texts, slide_texts
from test_equations import corpus

from decks.cli import main
from decks.themes import load_theme

LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+")
PER_SLIDE = 3
NAMESPACES = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "a14": "http://schemas.microsoft.com/office/drawing/2010/main",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
BAD = (r"\frac{a}{", r"\begin{matrix} a & b", r"\unknowncommand{x}")


def inline_worthy(tex: str) -> bool:
    """Short one-line formulas, as notes write them in running text."""
    return "\n" not in tex and len(tex) <= 60 and "|" not in tex


def overview(formulas: list[str]) -> str:
    """A deck of the formulas: three display formulas a slide, and a sentence of inline math under them."""
    parts = ["# Formulas, typeset\n\nEvery formula of the corpus.\n"]
    for start in range(0, len(formulas), PER_SLIDE):
        group = formulas[start : start + PER_SLIDE]
        parts.append(f"## Formulas {start + 1} to {start + len(group)}\n")
        parts.extend(f"$$\n{tex}\n$$\n" for tex in group)
        inline = [tex for tex in group if inline_worthy(tex)]
        if inline:
            parts.append("Inline: " + ", then ".join(f"${tex}$" for tex in inline) + ".\n")
    return "\n".join(parts)


def notes(formulas: list[str]) -> str:
    """Notes on the formulas: each display formula after a paragraph that quotes a short one inline."""
    parts = ["# Formulas, typeset\n", "## The corpus\n"]
    for tex in formulas:
        if inline_worthy(tex):
            parts.append(f"In running text, ${tex}$ reads naturally.\n")
        parts.append(f"$$\n{tex}\n$$\n")
    return "\n".join(parts)


def bad_math() -> str:
    return "\n".join([
        "# Bad math\n",
        "## Broken\n",
        f"Inline ${BAD[2]}$ and ${BAD[0]}$ here.\n",  # line 5
        f"$$\n{BAD[0]}\n$$\n",  # line 7
        f"$$\n{BAD[1]}\n$$\n",  # line 11
        "After the broken math.\n",
    ])


@dataclass(frozen=True)
class Built:
    root: Path
    err: str
    formulas: list[str]

    def output(self, paper: str, kind: str) -> Path:
        name = f"{paper}.pptx" if kind == "deck" else f"{paper}-handout.pdf"
        return self.root / "papers" / paper / "docs" / name


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = fresh_repo(tmp_path_factory.mktemp("math") / "repo")
    formulas = corpus()
    for paper, files in {
        "formulas": {"overview.md": overview(formulas), "notes.md": notes(formulas)},
        "bad-math": {"overview.md": bad_math(), "notes.md": bad_math()},
    }.items():
        (root / "papers" / paper).mkdir()
        for name, text in files.items():
            (root / "papers" / paper / name).write_text(text, encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["-C", str(root), "build", "-j", "2", "formulas", "bad-math"]) == 0, err.getvalue()
    return Built(root, err.getvalue(), formulas)


def slide_xml(deck: Path) -> list[etree._Element]:
    parts = package_parts(deck)
    names = sorted((n for n in parts if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)), key=lambda n: int(n[16:-4]))
    return [etree.fromstring(parts[name]) for name in names]


# ------------------------------------------------------------------ the corpus


def test_every_formula_of_the_corpus_builds_without_a_warning(built):
    assert [line for line in built.err.splitlines() if line.startswith("papers/formulas/")] == []


def test_no_slide_shows_a_latex_command(built):
    deck = built.output("formulas", "deck")
    shown = [(number, found) for number, text in enumerate(slide_texts(deck), 1)
             for found in LATEX_COMMAND.findall(text)]
    assert shown == []
    drawn = [text for slide in slide_xml(deck) for text in slide.xpath("//a:t/text()", namespaces=NAMESPACES)]
    assert [text for text in drawn if LATEX_COMMAND.search(text)] == []


def test_no_page_of_the_handout_shows_a_latex_command(built):
    pages = page_texts(built.output("formulas", "handout"))
    assert [(number, LATEX_COMMAND.findall(text)) for number, text in enumerate(pages, 1)
            if LATEX_COMMAND.search(text)] == []


def test_each_display_formula_is_omml_with_a_fallback_picture(built):
    slides = slide_xml(built.output("formulas", "deck"))
    equations = [choice for slide in slides for choice in slide.xpath("//mc:AlternateContent", namespaces=NAMESPACES)
                 if choice.xpath(".//m:oMathPara", namespaces=NAMESPACES)]
    assert len(equations) == len(built.formulas)
    for equation in equations:
        assert equation.xpath("mc:Choice//a14:m/m:oMathPara", namespaces=NAMESPACES)
        assert equation.xpath("mc:Fallback//p:pic//a:blip/@r:embed", namespaces=NAMESPACES)


def test_inline_math_reads_as_text_on_the_slides(built):
    text = "\n".join(slide_texts(built.output("formulas", "deck")))
    assert "Inline: head" in text and "Attention(Q" in text


# ------------------------------------------------------------------ LaTeX that cannot be typeset


def test_latex_that_cannot_be_typeset_is_reported_with_its_line_in_both_outputs(built):
    for source in ("papers/bad-math/overview.md", "papers/bad-math/notes.md"):
        warned = {int(line) for line in re.findall(rf"^{re.escape(source)}:(\d+): warning: ", built.err, re.M)}
        assert warned == {5, 7, 11}, (source, built.err)


def test_latex_that_cannot_be_typeset_shows_its_source_in_monospace_on_the_slide(built):
    code_font = load_theme("default", REPO / "themes").values["fonts"]["code"]
    runs = [run for slide in slide_xml(built.output("bad-math", "deck"))
            for run in slide.xpath("//a:r", namespaces=NAMESPACES)]
    shown = {"".join(run.xpath("a:t/text()", namespaces=NAMESPACES)): run.xpath("a:rPr/a:latin/@typeface",
                                                                              namespaces=NAMESPACES)
             for run in runs}
    for tex in BAD:
        assert shown.get(tex) == [code_font], (tex, shown)


def test_latex_that_cannot_be_typeset_shows_its_source_in_the_handout(built):
    html = (built.root / "build" / "html" / "bad-math-handout.html").read_text(encoding="utf-8")
    for tex in BAD:
        assert re.search(rf'<code class="math-source[^"]*">{re.escape(tex.replace("&", "&amp;"))}</code>', html), tex
    text = " ".join(page_texts(built.output("bad-math", "handout")))
    assert r"\unknowncommand{x}" in text and "After the broken math." in text
