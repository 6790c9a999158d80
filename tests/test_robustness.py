"""Robustness: any Markdown, however mangled, gives a deck and a handout that open, or a DecksError.

Two halves. Property tests feed both writers Markdown generated from a grammar
of every construct the group writes (and the mistakes it makes), and real notes
from the corpus cut, repeated and chewed. Then bad papers are built next to a
good one through the command line: each mistake is one ``file:line`` line that
says what to do, the good paper is still built, and the run ends with a summary
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fixture_repo import REPO, fresh_repo
from fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from output_text import page_texts, slide_texts
from PIL import Image as PILImage
from test_equations import corpus

from decks.cli import main
from decks.errors import DecksError
from decks.markdown import read_document
from decks.model import Value
from decks.outputs import ownership
from decks.reading import MAX_BYTES
from decks.themes import Theme, load_theme

CORPUS = Path("/work/shared/corpus")
SOURCE = "papers/fuzz/notes.md"
FIGURE = REPO / "tests" / "fixtures" / "decks" / "figures" / "bars.png"
EXAMPLE_SECONDS = 60  # one example takes 0.1 to 4 s; far longer means it would never end

# ------------------------------------------------------------------ both writers, on anything


@dataclass(frozen=True)
class Workspace:
    """A repository to write into: one paper folder with one real figure, and the default theme."""

    root: Path
    theme: Theme


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "papers" / "fuzz" / "figures").mkdir(parents=True)
    shutil.copy(FIGURE, root / "papers" / "fuzz" / "figures" / "bars.png")
    return Workspace(root, load_theme("default", REPO / "themes"))


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, when the block runs longer than ``seconds`` (a planner that never ends is a bug)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def writes_or_refuses(workspace: Workspace, markdown: str) -> None:
    """Read ``markdown`` and write it both ways; only a DecksError may stop either, and what is written opens."""
    with time_limit(EXAMPLE_SECONDS):
        _write_both(workspace, markdown)


def _write_both(workspace: Workspace, markdown: str) -> None:
    from decks.handout.pdf import write_handout
    from decks.slides.render import write_deck

    try:
        document, _ = read_document(markdown, SOURCE, "Fuzz")
    except DecksError:
        return
    deck, handout = workspace.root / "fuzz.pptx", workspace.root / "fuzz.pdf"
    deck.unlink(missing_ok=True)
    handout.unlink(missing_ok=True)
    with contextlib.suppress(DecksError):
        write_deck(document, workspace.theme, deck, repo_root=workspace.root, timestamp=0)
        assert slide_texts(deck), "a deck has at least its title slide"
    with contextlib.suppress(DecksError):
        write_handout(
            document, workspace.theme, handout, repo_root=workspace.root, html_out=workspace.root / "fuzz.html",
            group="Fuzzers", allow_remote=False, timestamp=0,
        )
        assert page_texts(handout), "a handout has at least its cover"


# The pieces the grammar is made of.
WORDS = st.sampled_from(
    ["attention", "is", "all", "you", "need", "the", "model", "of", "softmax", "layer", "Ünïcødé", "日本語", "שלום",
     "🎉", "👩🏽‍🔬", "🏳️‍🌈", "e\u0301", "\u200b", "x" * 90, "a_b_c", "snake_case_name", "&amp;", "&#12;", "&bogus;",
     "<", ">", "\\", "*", "_", "`", "|", "$", "[", "]", "~~", "https://example.org/a_(b)"]
)
LONG_TEXT = "a heading that runs on for a whole paragraph " * 40  # 1,800 characters on one line
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)  # surrogates never come out of a file
FORMULA = st.sampled_from(corpus())  # every formula of fixtures/formulas.txt
JUNK_LATEX = st.one_of(
    FORMULA,
    FORMULA.flatmap(lambda f: st.integers(0, len(f)).map(lambda cut: f[:cut])),  # cut anywhere
    st.sampled_from([r"\frac{a}{", r"\begin{matrix} a & b", r"\unknowncommand{x}", "}{", r"\left( x", r"\\\\",
                     r"x^^2", r"\sqrt[", r"\text{unclosed", r"a_{b_{c_{d_{e_{f}}}}}", "", " ", r"\end{align}",
                     r"\mathbb{R}^{n \times n}", r"\color{red}{x}", r"\href{http://127.0.0.1:9/x}{y}"]),
    st.text(st.sampled_from(list("\\{}^_&$ abxyz()[]=+-frac")), max_size=30),
)
ADDRESS_JUNK = st.text(st.sampled_from(list("ab./%0:[]#?\\@~")), max_size=14)  # "%00", "a:[", "//" ...
URL = st.one_of(ADDRESS_JUNK, st.sampled_from([
    "https://example.org/x", "#anchor", "#", "other.md", "javascript:alert(1)", "mailto:a@example.org", "", "<>",
    "http://127.0.0.1:9/x", "../../outside.md", "http://[", "a%00b.md",
]))
IMAGE = st.one_of(ADDRESS_JUNK, st.sampled_from([
    "figures/bars.png", "missing.png", "figures/missing.svg", "../../../../etc/passwd", "/etc/passwd",
    "http://127.0.0.1:9/x.png", "", "data:image/png;base64,AAAA", "figures/", "http://[/x.png", "a%00b.png",
]))
HTML_INLINE = st.sampled_from(["<br>", "<sup>2</sup>", "<sub>i</sub>", "<b>unclosed", "</i>", "<kbd>Ctrl</kbd>",
                               '<span style="color:red">red</span>', "<img src='missing.png' alt='m'>", "<!-- -->",
                               "<a href='https://example.org'>a</a>", "<abbr title='t'>T</abbr>", "&nbsp;",
                               "<a href='http://['>a</a>", "<img src='http://['>"])


@st.composite
def inlines(draw: st.DrawFn) -> str:
    """A run of text with every inline construct, nested a little, some of them broken."""
    words = st.one_of(WORDS, WORDS, WORDS, ANY_TEXT)
    leaf = st.one_of(
        words,
        words.map(lambda w: f"`{w}`"),
        JUNK_LATEX.map(lambda t: f"${t}$"),
        st.tuples(words, URL).map(lambda p: f"[{p[0]}]({p[1]})"),
        st.tuples(words, IMAGE).map(lambda p: f"![{p[0]}]({p[1]})"),
        st.sampled_from(["[^1]", "[^note]", "[^missing]", "[ ]", "[x]", "<https://example.org>"]),
        HTML_INLINE,
    )
    styled = st.recursive(
        leaf,
        lambda inner: st.one_of(
            inner.map(lambda s: f"**{s}**"), inner.map(lambda s: f"*{s}*"), inner.map(lambda s: f"~~{s}~~"),
            inner.map(lambda s: f"_{s}"),  # unclosed
        ),
        max_leaves=4,
    )
    return " ".join(draw(st.lists(styled, min_size=1, max_size=8)))


@st.composite
def nested_list(draw: st.DrawFn) -> str:
    """A list nested at random, indented by 2 or 4 spaces (or carelessly), with every kind of marker."""
    unit = draw(st.sampled_from([2, 4, 3, 1]))
    lines, depth = [], 0
    for _ in range(draw(st.integers(1, 12))):
        depth = max(0, depth + draw(st.sampled_from([-2, -1, 0, 1, 1, 3])))
        marker = draw(st.sampled_from(["-", "*", "+", "1.", "3)", "- [ ]", "- [x]", "10."]))
        lines.append(" " * unit * depth + f"{marker} {draw(inlines())}")
        if draw(st.booleans()):
            lines.append("" if draw(st.booleans()) else " " * unit * (depth + 1) + draw(inlines()))
    return "\n".join(lines)


@st.composite
def table(draw: st.DrawFn) -> str:
    """A pipe table whose rows have more or fewer cells than its header."""
    width = draw(st.integers(1, 6))
    header = "| " + " | ".join(draw(st.lists(inlines(), min_size=width, max_size=width))) + " |"
    delimiter = "|" + "|".join(draw(st.lists(st.sampled_from(["---", ":--", "--:", ":-:"]),
                                             min_size=width, max_size=width))) + "|"
    rows = ["| " + " | ".join(draw(st.lists(inlines(), max_size=width + 2))) + " |"
            for _ in range(draw(st.integers(0, 5)))]
    return "\n".join([header, delimiter, *rows])


@st.composite
def fence(draw: st.DrawFn) -> str:
    """Fenced code in some language (or none, or an unknown one), sometimes never closed."""
    mark = draw(st.sampled_from(["```", "~~~", "````"]))
    language = draw(st.sampled_from(["", "python", "c++", "no-such-language", "math", "mermaid", "diff"]))
    code = draw(st.lists(st.one_of(ANY_TEXT, st.just("def f(x):\n    return x  # ```")), max_size=5))
    closing = [mark] if draw(st.integers(0, 3)) else []
    return "\n".join([mark + language, *code, *closing])


HTML_BLOCKS = st.sampled_from([
    "<div>", "</div>", "<div align=center>\n\n**bold** inside\n\n</div>",
    "<details>\n<summary>More</summary>\n\nHidden *text*.\n\n</details>", "<details><summary>open",
    "<p align=center><img src='missing.png' width=200></p>", "<table><tr><td>cell", "<center>old</center>",
    "<picture><source srcset='x.webp'><img src='figures/bars.png' alt='b'></picture>",
    "<script>alert(1)</script>", "<iframe src='http://127.0.0.1:9/'></iframe>", "<!-- an unclosed comment",
    "<?php echo 1; ?>", "<![CDATA[ x ]]>", "<!DOCTYPE html>",
])
COMMENTS = st.one_of(
    inlines().map(lambda s: f"<!-- notes: {s} -->"),
    st.sampled_from(["<!-- columns -->", "<!-- columns: 60/40 -->", "<!-- columns: 0/0/0/0 -->",
                     "<!-- columns: abc -->", "<!-- column -->", "<!-- end columns -->", "<!-- notes:\n\nmulti\n\n-->",
                     "<!-- just a comment -->"]),
)


def blocks() -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(st.integers(1, 7), inlines()).map(lambda p: "#" * p[0] + " " + p[1]),
        inlines(),
        nested_list(),
        table(),
        fence(),
        JUNK_LATEX.map(lambda t: f"$$\n{t}\n$$"),
        JUNK_LATEX.map(lambda t: f"$${t}$$"),
        JUNK_LATEX.map(lambda t: f"$$\n{t}"),  # never closed
        HTML_BLOCKS,
        COMMENTS,
        st.sampled_from(["---", "***", "- - -", "> [!NOTE]\n> Careful.", "> > > deep", "[^1]: The note.",
                         "[^note]:\n    Indented *note* text.", "Setext\n===", "    indented code"]),
        inlines().map(lambda s: f"> {s}"),
        IMAGE.map(lambda src: f"![alt text]({src} \"a title\")"),
        st.sampled_from(["#", "##", "###", "-", "1.", "|", ">"]).map(lambda mark: f"{mark} {LONG_TEXT}"),
    )


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A whole notes file: maybe front matter, maybe a title, then blocks with one or two newlines between."""
    front = draw(st.sampled_from(["", "", "", "---\ntitle: Fuzzed\nauthors: [A, B]\n---\n", "---\n---\n",
                                  "---\ntitle: \"a\\fb\\0c\"\nkeywords: x, y\n---\n",
                                  "---\nurl: \"http://[\"\n---\n", "---\nurl: javascript:alert(1)\n---\n"]))  # bad YAML: below
    title = draw(st.sampled_from(["", "# Fuzzed notes\n\nA subtitle.\n"]))
    parts = draw(st.lists(blocks(), min_size=1, max_size=14))
    glue = draw(st.sampled_from(["\n\n", "\n"]))
    return front + title + glue.join(parts) + draw(st.sampled_from(["", "\n", "\n\n\n"]))


SLOW = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


@settings(max_examples=examples(80), **SLOW)
@given(markdown=documents())
def test_markdown_from_the_grammar_never_crashes_either_writer(workspace, markdown):
    writes_or_refuses(workspace, markdown)


def corpus_files() -> list[Path]:
    """The corpus notes small enough (under 10 kB) to write twice per example."""
    return sorted(path for path in CORPUS.glob("*.md") if path.stat().st_size < 10_000 and path.name != "SOURCES.md")


def truncated(text: str, draw: st.DrawFn) -> str:
    return text[: draw(st.integers(0, len(text)))]


def lines_duplicated(text: str, draw: st.DrawFn) -> str:
    lines = text.split("\n")
    start = draw(st.integers(0, len(lines) - 1))
    stop = draw(st.integers(start, min(len(lines), start + 20)))
    return "\n".join(lines[:stop] + lines[start:stop] * draw(st.integers(1, 3)) + lines[stop:])


def characters_deleted(text: str, draw: st.DrawFn) -> str:
    doomed = set(draw(st.lists(st.integers(0, max(0, len(text) - 1)), max_size=40)))
    return "".join(char for index, char in enumerate(text) if index not in doomed)


def markup_deleted(text: str, draw: st.DrawFn) -> str:
    """Delete one kind of markup character everywhere: every `, every $, every |, every newline after a fence."""
    mark = draw(st.sampled_from(["`", "$", "|", "]", ")", "\n\n", "-", "#", ">"]))
    return text.replace(mark, "", draw(st.integers(1, 50)))


MUTATIONS: list[Callable[[str, st.DrawFn], str]] = [truncated, lines_duplicated, characters_deleted, markup_deleted]


@settings(max_examples=examples(40), **SLOW)
@given(data=st.data())
def test_real_notes_cut_repeated_and_chewed_never_crash_either_writer(workspace, data):
    path = data.draw(st.sampled_from(corpus_files()), label="corpus file")
    text = path.read_text(encoding="utf-8")
    for mutation in data.draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3), label="mutations"):
        text = mutation(text, data.draw)
    writes_or_refuses(workspace, text)


def test_the_corpus_is_there_to_be_mutated():
    assert len(corpus_files()) >= 20


# What the properties above found, kept as plain examples.


def texts_of(node: object) -> Iterator[str]:
    """Every string in a document, however deep."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, tuple | list):
        for child in node:
            yield from texts_of(child)
    elif isinstance(node, Value):
        for name in node.__struct_fields__:
            yield from texts_of(getattr(node, name))


@pytest.mark.parametrize("markdown", ["_~ _*_* *$-$*", "_~__`n`_`<`", "$$\n```\nx\n```\n$$"])
def test_python_markdowns_private_marks_never_reach_the_document(markdown):
    document, _ = read_document(markdown, SOURCE)
    leaked = [text for text in texts_of(document) if re.search("[\x02\x03]|klzzwxh|wzxhzdk", text)]
    assert leaked == []


@pytest.mark.parametrize("markdown", ["Text\x0cwith\x00controls", "Entity &#12; here", "---\ntitle: \"a\\fb\"\n---\n"])
def test_characters_no_deck_can_hold_become_replacement_characters(markdown):
    document, _ = read_document(markdown, SOURCE, "Fallback")
    assert [text for text in texts_of(document) if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)] == []


def test_every_image_knows_its_own_line_wherever_it_sits():
    from decks.resources import images

    markdown = (
        "# T\n\nIntro.\n\n![by reference][x]\n\n| a | b |\n|---|---|\n| c | ![cell](cell.png) |\n\n"
        "[![badge](badge.png)](https://example.org)\n\nNote.[^n]\n\n[x]: ref.png\n[^n]: ![note](note.png)\n"
    )
    document, _ = read_document(markdown, SOURCE)
    assert {image.src: image.line for image in images(document)} == {
        "ref.png": 5, "cell.png": 9, "badge.png": 11, "note.png": 16,
    }


def test_a_footnote_that_is_a_picture_shows_it_in_the_handout(workspace):
    writes_or_refuses(workspace, "# T\n\nIntro.\n\nText.[^n]\n\n[^n]: ![a chart](figures/bars.png)\n")
    html = (workspace.root / "fuzz.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="footnote[^>]*>.*<img src="[^"]*bars\.png" alt="a chart"', html, re.S)


def test_a_split_that_would_leave_only_a_repeated_parent_item_is_not_taken(workspace):
    from decks.slides.render import write_deck

    markdown = (REPO / "tests" / "fixtures" / "fuzz" / "parent-repeated-forever.md").read_text(encoding="utf-8")
    document, _ = read_document(markdown, SOURCE)
    with time_limit(20):  # before the fix, every slide showed the parent again and the deck never ended
        write_deck(document, workspace.theme, workspace.root / "parents.pptx", repo_root=workspace.root, timestamp=0)
    assert len(slide_texts(workspace.root / "parents.pptx")) < 10


def test_a_slide_is_never_only_the_parents_its_continuation_repeats_above_the_rest(workspace):
    from decks.slides.render import write_deck

    markdown = (REPO / "tests" / "fixtures" / "fuzz" / "parents-alone-forever.md").read_text(encoding="utf-8")
    document, _ = read_document(markdown, SOURCE)
    with time_limit(20):  # before the fix, the cut moved back to leave only the first two items, forever
        write_deck(document, workspace.theme, workspace.root / "alone.pptx", repo_root=workspace.root, timestamp=0)
    content = slide_texts(workspace.root / "alone.pptx")[1:]
    assert 2 <= len(content) <= 4
    parents = ("Slide", "first a parent", "second a parent", "x")
    assert all(any(not line.startswith(parents) for line in slide.splitlines()) for slide in content)
    assert ["tail one", "tail two", "tail three"] == [
        line for slide in content for line in slide.splitlines() if line.startswith("tail")
    ]


def test_a_heading_as_long_as_a_paragraph_is_cut_and_the_deck_still_ends(workspace):
    from decks.slides.render import write_deck

    points = "".join(f"- point {n}\n  - a detail\n  - another\n" for n in range(4))
    markdown = f"# {LONG_TEXT}\n\n## {LONG_TEXT * 3}\n\n{points}"
    document, _ = read_document(markdown, SOURCE)
    with time_limit(20):  # it took a second; before the title was cut, it never ended
        diagnostics = write_deck(document, workspace.theme, workspace.root / "long.pptx", repo_root=workspace.root,
                                 timestamp=0)
    assert any("it is cut to" in diagnostic.message for diagnostic in diagnostics)
    from pptx import Presentation

    assert len(Presentation(str(workspace.root / "long.pptx")).core_properties.title) <= 255
    assert "point 3" in "\n".join(slide_texts(workspace.root / "long.pptx"))


def test_a_heading_as_long_as_a_paragraph_gives_a_handout_pypdf_can_read(workspace):
    writes_or_refuses(workspace, f"# {LONG_TEXT}\n\n## {LONG_TEXT}\n\nText.\n")
    assert "Text." in "\n".join(page_texts(workspace.root / "fuzz.pdf"))


# ------------------------------------------------------------------ bad papers, through the command line

GOOD_DECK = "papers/tiny-paper/docs/tiny-paper.pptx"
GOOD_HANDOUT = "papers/tiny-paper/docs/tiny-paper-handout.pdf"
BAD_PAPERS: dict[str, dict[str, bytes]] = {
    "only-notes": {"notes.md": b"# Only notes\n\nNo overview yet.\n"},
    "empty": {"overview.md": b"", "notes.md": b" \n\n\t\n"},
    "bad-yaml": {
        "overview.md": b"---\ntitle: Fine\nauthors: Ada\n  year: 1843\n---\n# Bad YAML\n",
        "notes.md": b"---\n- just\n- a list\n---\n# Bad YAML\n",
    },
    "utf-16": {"overview.md": "# Saved as UTF-16\n".encode("utf-16"), "notes.md": b"# Fine\n\nText.\n"},
    "bom-crlf": {
        "overview.md": b"\xef\xbb\xbf---\r\ntitle: Windows\r\n---\r\n\r\n# Windows\r\n\r\n## Slide\r\n\r\n![x](gone.png)\r\n",
        "notes.md": b"\xef\xbb\xbf# Windows\r\n\r\nText\r\n\r\n![x](gone.png)\r\n",
    },
    "missing-image": {
        "overview.md": b"# Missing\n\n## Results\n\n![A chart](figures/chart.png)\n\nAfter the chart.\n",
        "notes.md": b"# Missing\n\nBefore.\n\n![A chart](figures/chart.png)\n",
    },
    "open-fence": {
        "overview.md": b"# Open fence\n\n## Code\n\nBefore.\n\n```python\nx = 1\n\nstill code\n",
        "notes.md": b"# Open fence\n\n```\nnever closed\n",
    },
    "deep": {
        "overview.md": b"# Deep\n\n## Nest\n\n" + b"".join(b"  " * i + b"- level\n" for i in range(40)),
        "notes.md": b"# Deep\n\n" + b"1. " * 3000 + b"x\n\n" + b"> " * 500 + b"quote\n",
    },
    "huge": {"overview.md": b"# Huge\n\n" + b"word " * (MAX_BYTES // 5), "notes.md": b"# Huge\n\nSmall.\n"},
    "unknown-theme": {"overview.md": b"---\ntitle: T\ntheme: glossy\n---\n# T\n", "notes.md": b"# T\n\nText.\n"},
    "slow": {  # Python-Markdown took 10 s over the brackets and 37 s over the references
        "overview.md": b"# Slow\n\n## Slide\n\nFine.\n\n" + b"[unclosed " * 8000 + b"\n",
        "notes.md": b"# Slow\n\n```\n" + b"[" * 8000 + b"\n```\n\n" + b"A claim.[^1]\n\n" * 8000 + b"[^1]: A note.\n",
    },
    "bad-images": {  # and figures/huge.png: 256 million pixels, written by the fixture
        "overview.md": b"# Bad images\n\n## Pictures\n\n![a](figures/huge.png)\n\n![b](figures/broken.svg)\n\n"
                       b"![c](figures/vast.svg)\n\n![d](figures/text.png)\n\nAfter the pictures.\n",
        "notes.md": b"# Bad images\n\n![a](figures/huge.png)\n\n![b](figures/broken.svg)\n\n![c](figures/big.png)\n\n"
                    b"After the pictures.\n",
        "figures/broken.svg": b"<svg",
        "figures/vast.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>',
        "figures/text.png": b"not a picture at all\n",
    },
    "bad-addresses": {
        "overview.md": b"# Bad addresses\n\n## Slide\n\n![a](a%00b.png)\n\n![b](http://[/x.png)\n\n"
                       b"[c](http://[) and <a href='http://['>d</a>\n\nAfter the addresses.\n",
        "notes.md": b"---\nurl: \"http://[\"\n---\n# Bad addresses\n\n![a](a%00b.png)\n\n![b](http://[/x.png)\n\n"
                    b"[c](http://[) and <a href='http://['>d</a>\n\nAfter the addresses.\n",
    },
    "control": {
        "overview.md": b"# Control\n\n## Slide\n\nform\x0cfeed and nul\x00\n\nAn entity &#12; too.\n",
        "notes.md": b"---\ntitle: \"Form\\ffeed\"\n---\n\x1b[31m\n",
    },
}


@dataclass(frozen=True)
class Run:
    root: Path
    code: int
    err: str


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The small good paper and every bad one above, built once through ``decks build``."""
    root = fresh_repo(tmp_path_factory.mktemp("bad") / "repo")
    for paper, files in BAD_PAPERS.items():
        for name, data in files.items():
            (root / "papers" / paper / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "papers" / paper / name).write_bytes(data)
    PILImage.new("1", (16_000, 16_000)).save(root / "papers" / "bad-images" / "figures" / "huge.png")
    PILImage.new("1", (10_000, 10_000)).save(root / "papers" / "bad-images" / "figures" / "big.png")  # warns only
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        code = main(["-C", str(root), "build", "-j", "1"])
    return Run(root, code, err.getvalue())


def built(run: Run, paper: str, kind: str) -> bool:
    name = f"{paper}.pptx" if kind == "deck" else f"{paper}-handout.pdf"
    return ownership(run.root / "papers" / paper / "docs" / name) == "ours"


def test_the_good_paper_is_built_whatever_the_others_do(bad_run):
    assert ownership(bad_run.root / GOOD_DECK) == "ours" and ownership(bad_run.root / GOOD_HANDOUT) == "ours"


def test_the_run_fails_with_a_summary_table_and_no_traceback(bad_run):
    assert bad_run.code == 1
    assert "Traceback" not in bad_run.err and "internal error" not in bad_run.err
    table = bad_run.err[bad_run.err.index("\npaper ") :]
    rows = {line.split()[0]: line.split()[1:3] for line in table.strip().splitlines()[1:-1]}
    assert rows["tiny-paper"] == ["built", "built"]
    assert rows["empty"] == ["failed", "failed"]
    assert rows["only-notes"] == ["failed", "built"]
    assert table.strip().splitlines()[-1].endswith("failed")


def test_every_error_is_one_line_naming_a_file(bad_run):
    errors = [line for line in bad_run.err.splitlines() if line.startswith("error: ")]
    assert errors
    assert all(re.match(r"error: papers/[\w-]+/(overview|notes)\.md(:\d+)?: \S", line) for line in errors), errors


def test_a_paper_without_overview_gets_its_handout_and_is_told_how_to_get_a_deck(bad_run):
    assert "error: papers/only-notes/overview.md: missing; create it to get a deck (the handout is built anyway)" in (
        bad_run.err
    )
    assert built(bad_run, "only-notes", "handout") and not built(bad_run, "only-notes", "deck")


def test_empty_sources_are_refused_with_what_to_write(bad_run):
    for name in ("overview.md", "notes.md"):
        assert f"papers/empty/{name}:1: is empty; start it with a '# Title' heading" in bad_run.err


def test_invalid_front_matter_names_its_line(bad_run):
    assert re.search(r"papers/bad-yaml/overview\.md:4: front matter is not valid YAML: .+", bad_run.err)
    assert "papers/bad-yaml/notes.md:1: front matter must be 'key: value' lines, not a list" in bad_run.err


def test_a_file_saved_as_utf16_is_refused_with_how_to_save_it(bad_run):
    assert "papers/utf-16/overview.md:1: is not UTF-8 (byte 0xFF); save the file as UTF-8" in bad_run.err
    assert built(bad_run, "utf-16", "handout")


def test_a_byte_order_mark_and_crlf_just_work_and_lines_still_count_right(bad_run):
    assert built(bad_run, "bom-crlf", "deck") and built(bad_run, "bom-crlf", "handout")
    assert "papers/bom-crlf/overview.md:9: warning: image 'gone.png' not found" in bad_run.err
    assert "papers/bom-crlf/notes.md:5: warning: image 'gone.png' not shown: no such file" in bad_run.err


def test_a_missing_image_is_a_warning_with_its_line_and_the_rest_is_built(bad_run):
    assert "papers/missing-image/overview.md:5: warning: image 'figures/chart.png' not found" in bad_run.err
    assert "papers/missing-image/notes.md:5: warning: image 'figures/chart.png' not shown: no such file" in bad_run.err
    deck = bad_run.root / "papers" / "missing-image" / "docs" / "missing-image.pptx"
    assert "After the chart." in "\n".join(slide_texts(deck))


def test_an_unclosed_code_fence_is_a_warning_with_the_line_it_opens_on(bad_run):
    message = "warning: code fence is never closed; it runs to the end of its block"
    assert f"papers/open-fence/overview.md:7: {message}" in bad_run.err
    assert f"papers/open-fence/notes.md:3: {message}" in bad_run.err
    assert built(bad_run, "open-fence", "deck") and built(bad_run, "open-fence", "handout")


def test_absurdly_deep_nesting_is_folded_with_a_warning(bad_run):
    message = "warning: nesting deeper than 8 levels folded into level 8"
    assert re.search(rf"papers/deep/overview\.md:\d+: {message}", bad_run.err)
    assert f"papers/deep/notes.md:3: {message}" in bad_run.err  # 3000 list markers on one line
    assert f"papers/deep/notes.md:5: {message}" in bad_run.err  # 500 quote markers
    assert built(bad_run, "deep", "deck") and built(bad_run, "deep", "handout")


def test_a_huge_file_is_refused_with_the_limit_and_its_sibling_is_built(bad_run):
    assert "error: papers/huge/overview.md: is 2001 kB; decks reads Markdown files up to 2000 kB" in bad_run.err
    assert built(bad_run, "huge", "handout")


def test_an_unknown_theme_in_the_front_matter_names_its_line_once_and_fails_both_outputs(bad_run):
    message = "front matter 'theme': unknown theme 'glossy'; available: dark, default, high-contrast"
    assert bad_run.err.count(f"error: papers/unknown-theme/overview.md:3: {message}") == 1  # the handout inherits it
    row = next(line for line in bad_run.err.splitlines() if line.startswith("unknown-theme "))
    assert row.split()[1:3] == ["failed", "failed"]


def test_text_that_would_take_minutes_to_read_is_refused_at_its_line(bad_run):
    assert ("error: papers/slow/overview.md:7: this paragraph holds more than 300 '[', too many to read in time; "
            "put blank lines between its parts or write a bracket as \\[") in bad_run.err
    assert ("error: papers/slow/notes.md:207: footnote '[^1]' is referenced more than 100 times; "
            "decks reads up to that many references to one footnote") in bad_run.err


def test_images_that_cannot_be_read_are_warnings_with_their_lines_and_the_rest_is_built(bad_run):
    for line, name in ((5, "huge.png"), (7, "broken.svg"), (9, "vast.svg"), (11, "text.png")):
        assert f"papers/bad-images/overview.md:{line}: warning: image 'figures/{name}' cannot be read: " in bad_run.err
    assert "papers/bad-images/overview.md:11: warning: image 'figures/text.png' cannot be read: not a picture file" in (
        bad_run.err
    )
    assert "After the pictures." in "\n".join(slide_texts(bad_run.root / "papers/bad-images/docs/bad-images.pptx"))
    for line, name in ((3, "huge.png"), (7, "big.png")):  # Pillow would refuse the first and only warn of the second
        assert f"papers/bad-images/notes.md:{line}: warning: image 'figures/{name}' not shown: Image size (" in (
            bad_run.err
        )
    assert built(bad_run, "bad-images", "handout")


def test_addresses_python_cannot_parse_are_images_not_found_and_links_that_go_nowhere(bad_run):
    assert "papers/bad-addresses/overview.md:5: warning: image 'a%00b.png' " in bad_run.err
    assert "papers/bad-addresses/overview.md:7: warning: image 'http://[/x.png' " in bad_run.err
    assert "papers/bad-addresses/notes.md:6: warning: image 'a%00b.png' not shown: " in bad_run.err
    assert built(bad_run, "bad-addresses", "deck") and built(bad_run, "bad-addresses", "handout")


def test_control_characters_are_replaced_with_a_warning_naming_their_line(bad_run):
    message = "warning: control character replaced with '\ufffd'"
    assert f"papers/control/overview.md:5: {message}" in bad_run.err
    assert f"papers/control/notes.md:4: {message}" in bad_run.err
    assert built(bad_run, "control", "deck") and built(bad_run, "control", "handout")


def test_a_bug_in_decks_is_one_line_with_the_traceback_only_under_debug(tmp_path, monkeypatch, capsys):
    from decks.slides import render

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug in the deck writer")

    monkeypatch.setattr(render, "write_deck", broken)  # decks' own code, so that the test has a bug to meet
    root = fresh_repo(tmp_path / "repo")
    assert main(["-C", str(root), "build", "-j", "1", "--only", "deck"]) == 1
    err = capsys.readouterr().err
    assert ("error: papers/tiny-paper/overview.md: internal error (ZeroDivisionError: a bug in the deck writer); "
            "run with --debug for the traceback") in err
    assert "Traceback" not in err
    assert main(["-C", str(root), "build", "-j", "1", "--only", "deck", "--debug"]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err
