"""Handout test helpers: a small paper repository, documents built by hand, writing and reading handouts."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

import pytest

from decks.errors import Diagnostic
from decks.model import (
    CodeBlock,
    Details,
    Document,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    ListItem,
    Math,
    MathBlock,
    Meta,
    Paragraph,
    Quote,
    RawHtml,
    Strong,
    Table,
    Text,
    ThematicBreak,
)
from decks.themes import Theme, load_theme

REPO = Path(__file__).parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "handout"
SOURCE = "papers/sample/notes.md"
TIMESTAMP = 1_700_000_000


@dataclass(frozen=True)
class Built:
    pdf: Path
    html: Path
    diagnostics: list[Diagnostic]


def make_repo(root: Path) -> Path:
    """A repository with one paper folder and its figures, and the real default theme."""
    (root / "papers" / "sample" / "figures").mkdir(parents=True)
    for name in ("bar-chart.png", "sneaky.svg"):
        shutil.copy(FIXTURES / name, root / "papers" / "sample" / "figures" / name)
    shutil.copytree(REPO / "themes", root / "themes")
    return root


def theme(repo: Path, **handout: object) -> Theme:
    """The default theme, with [handout] values changed for one test."""
    loaded = load_theme("default", repo / "themes")
    if not handout:
        return loaded
    values = {**loaded.values, "handout": {**loaded.values["handout"], **handout}}
    return replace(loaded, values=values)


def build(
    repo: Path, document: Document, *, name: str = "handout", allow_remote: bool = False, **handout: object
) -> Built:
    from decks.handout.pdf import write_handout

    pdf, html = repo / "build" / f"{name}.pdf", repo / "build" / f"{name}.html"
    pdf.parent.mkdir(exist_ok=True)
    diagnostics = write_handout(
        document, theme(repo, **handout), pdf, repo_root=repo, html_out=html, group="Paper Trail Reading Group",
        allow_remote=allow_remote, timestamp=TIMESTAMP,
    )
    return Built(pdf, html, diagnostics)


def text(words: str) -> tuple[Inline, ...]:
    return (Text(words),)


def para(*children: Inline | str, line: int = 0) -> Paragraph:
    return Paragraph(tuple(Text(child) if isinstance(child, str) else child for child in children), line=line)


def heading(level: int, words: str, anchor: str = "", line: int = 0) -> Heading:
    return Heading(level, text(words), line=line, anchor=anchor or words.lower().replace(" ", "-"))


def document(*blocks, footnotes: tuple[Footnote, ...] = (), **meta: object) -> Document:
    values = {"title": "Attention Is All You Need", **meta}
    return Document(Meta(**values), tuple(blocks), footnotes, source=SOURCE)


LOREM = (
    "Sequence transduction models turn one sequence into another, and the best of them connect an encoder "
    "and a decoder through an attention mechanism. Attention lets every position look at every other position "
    "at once, so the path between two distant words is short and the whole computation runs in parallel. "
    "The price is memory that grows with the square of the sequence length, which later work tries to reduce."
)


def prose(count: int) -> list[Paragraph]:
    return [para(LOREM) for _ in range(count)]


CODE = (
    "import torch\n\n"
    "def attention(q, k, v):\n"
    '    """Scaled dot-product attention."""\n'
    "    scores = q @ k.transpose(-2, -1) / k.size(-1) ** 0.5"
    "  # a long comment that must wrap rather than run off the page edge\n"
    "    return scores.softmax(-1) @ v"
)
ILLUSTRATED = "https://jalammar.github.io/illustrated-transformer/"
ANNOTATED = "https://nlp.seas.harvard.edu/annotated-transformer/"
ARXIV = "https://arxiv.org/abs/1706.03762"


def rich_document() -> Document:
    """A document with one of everything the handout must show."""
    rows = tuple(
        (text(f"Model {i}"), text(f"{20 + i * 0.37:.2f}"), text(f"{i * 1.5:.1f}M"), text("encoder-decoder"))
        for i in range(1, 49)
    )
    bullets = ListBlock(
        (
            ListItem((
                para("Queries, keys and values come from the same sequence."),
                ListBlock((ListItem((para("nested bullet"),)), ListItem((para("another one"),)))),
            )),
            ListItem((para("The scores are scaled by ", Strong(text("one over root d")), "."),)),
        ),
        line=14,
    )
    tasks = ListBlock(
        (ListItem((para("Read section 3"),), checked=True), ListItem((para("Derive the gradient"),), checked=False)),
        line=23,
    )
    reading = ListBlock(
        (
            ListItem((para(Link(ILLUSTRATED, text("The Illustrated Transformer")), " - a visual walk-through."),)),
            ListItem((para(Link(ANNOTATED, text("The Annotated Transformer")), ": the paper as runnable code."),)),
        ),
        line=112,
    )
    return Document(
        Meta(
            title="Attention Is All You Need",
            subtitle="The Transformer, read closely",
            authors=("Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones"),
            year="2017",
            venue="NeurIPS",
            url=ARXIV,
            presenter="Ada Lovelace",
            date="2024-03-12",
            short_title="Attention",
            keywords=("transformer", "attention", "sequence models"),
        ),
        (
            Heading(1, text("Attention Is All You Need"), line=1, anchor="attention-is-all-you-need"),
            heading(2, "Why it matters", line=3),
            para(
                "The paper ", Link(ARXIV, text("introduced the Transformer")), ", built only from attention",
                FootnoteRef("rnn"), ". Emoji stay colourful 🚀 ✅.", line=5,
            ),
            *prose(2),
            heading(3, "Scaled dot-product attention", line=9),
            para("Each query is compared with every key: ", Math(r"\mathrm{softmax}(QK^T/\sqrt{d_k})V"), ".", line=10),
            MathBlock(r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right) V", line=12),
            bullets,
            ListBlock(
                tuple(ListItem((para(step),)) for step in ("Embed", "Attend", "Feed forward")),
                ordered=True, start=3, line=18,
            ),
            heading(3, "Homework", line=22),
            tasks,
            Figure(Image("figures/bar-chart.png", "Training cost of each model", line=26), line=26),
            heading(2, "Results", line=28),
            para("The table lists every model we compared", FootnoteRef("bleu"), ".", line=29),
            Table(
                (text("Model"), text("BLEU"), text("Parameters"), text("Kind")), rows,
                ("left", "right", "right", ""), line=31,
            ),
            heading(2, "Implementation", line=80),
            CodeBlock(CODE, language="python", line=82),
            Quote((para("Attention is all you need."),), line=90),
            Quote((para("Masking keeps the decoder from peeking at future tokens."),), kind="note", line=92),
            Quote((para("Warm up the learning rate."),), kind="tip", line=94),
            Quote((para("Positional encodings matter."),), kind="important", line=96),
            Quote((para("Large batches need care."),), kind="warning", line=98),
            Quote((para("Do not train without label smoothing."),), kind="caution", line=100),
            Details(
                text("Derivation of the scaling factor"),
                (para("The dot product of two random vectors grows with ", Emphasis(text("d")), "."),), line=102,
            ),
            RawHtml('<p align="center"><b>Raw</b> HTML <script>alert(1)</script>stays</p>', line=106),
            ThematicBreak(line=108),
            heading(2, "Resources", line=110),
            reading,
        ),
        (
            Footnote("rnn", (para("No recurrence and no convolution."),), line=120),
            Footnote("bleu", (para("BLEU on newstest2014, as reported in ", Link(ARXIV, text("the paper")), "."),)),
        ),
        source=SOURCE,
        title_line=1,
    )


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, as pdfplumber reads it."""
    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        return [page.extract_text() or "" for page in opened.pages]


def page_of(texts: list[str], words: str, start: int = 0) -> int:
    """The 1-based number of the first page (from ``start``) whose text holds ``words``."""
    for number, page in enumerate(texts[start:], start=start + 1):
        if words in page:
            return number
    raise AssertionError(f"{words!r} is on no page")


def built_both_ways(
    folder: Path, document: Document, module: ModuleType, weasyprints: str, *, replaces: str,
    prepare: Callable[[Path], None] = lambda repo: None,
) -> list[tuple[bytes, int]]:
    """A handout built with one of decks' replacements of a WeasyPrint function, then with WeasyPrint's own.

    ``module`` is the decks module (``struts``): it keeps WeasyPrint's function
    as ``weasyprints``, puts its own function of the same name in the WeasyPrint
    module ``replaces`` names (``weasyprint.layout.inline``), and installs it when
    a handout is written. Each result is the PDF's bytes and how many times
    WeasyPrint's function ran.
    """
    import importlib

    from decks.handout import engine

    engine.load()
    place = importlib.import_module(replaces)
    weasyprint_function = getattr(module, weasyprints)
    name = weasyprint_function.__name__
    results = []
    for keep in (True, False):
        ran: list[object] = []

        def counted(*args: object, ran: list[object] = ran) -> object:
            ran.append(args)
            return weasyprint_function(*args)

        used = getattr(module, name) if keep else counted
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(module, weasyprints, counted)
            patch.setattr(module, "install", lambda used=used: setattr(place, name, used))
            repo = make_repo(folder / ("kept" if keep else "weasyprint") / "repo")
            prepare(repo)
            built = build(repo, document)
        module.install()
        results.append((built.pdf.read_bytes(), len(ran)))
    return results
