"""Our dialect gives real notes from GitHub the block structure GitHub's own renderer (cmark-gfm) gives them.

Block structure is the sequence of block tokens of the HTML: headings, paragraphs,
list items with their depth, code blocks, tables, block quotes, display math and
rules. Two readings of GitHub's output are normalised first, because cmark-gfm
lacks GitHub's math: a ```` ```math ```` fence counts as math, and lines of a
paragraph that hold ``$$...$$`` on their own count as display math, which is
how github.com shows them. A GitHub alert counts as the block quote it is to
cmark-gfm.

Run as a script for the per-file figures:
``python tests/test_gfm_corpus.py`` (add ``--without-prepass`` to see what the
extensions reach alone).
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from decks.gfm_extension import Dialect
from decks.markdown import render_html

cmarkgfm = pytest.importorskip("cmarkgfm")

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
MEAN_SIMILARITY = 0.97
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)
_BLOCK_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "pre", "table", "blockquote", "hr"}


def corpus_files() -> list[Path]:
    """The corpus notes; SOURCES.md is the list of where they came from, not a note."""
    return sorted(path for path in CORPUS.glob("*.md") if path.name != "SOURCES.md")


def github_html(text: str) -> str:
    """GitHub's rendering of a Markdown body (front matter, which GitHub shows as a table, left out)."""
    body = _FRONT_MATTER.sub("", text.removeprefix("\ufeff"), count=1)
    return cmarkgfm.github_flavored_markdown_to_html(body, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)


class BlockTokens(HTMLParser):
    """The block tokens of an HTML document; ``github`` reads cmark-gfm's math as github.com shows it."""

    def __init__(self, github: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.github = github
        self.tokens: list[str] = []
        self.depth = 0
        self.paragraph: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css = dict(attrs).get("class") or ""
        if tag in ("ul", "ol"):
            self.depth += 1
        elif tag == "li":
            self.tokens.append(f"li{self.depth}")
        elif tag == "div" and "arithmatex" in css:
            self.tokens.append("math")
        elif tag == "div" and "markdown-alert" in css:
            self.tokens.append("blockquote")
        elif tag == "code" and "language-math" in css and self.tokens[-1:] == ["pre"]:
            self.tokens[-1] = "math"
        elif tag == "p" and self.github:
            self.paragraph = []
        elif tag in _BLOCK_TAGS and "markdown-alert-title" not in css:
            self.tokens.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self.depth -= 1
        elif tag == "p" and self.paragraph is not None:
            self.tokens.extend(paragraph_tokens("".join(self.paragraph)))
            self.paragraph = None

    def handle_data(self, data: str) -> None:
        if self.paragraph is not None:
            self.paragraph.append(data)


def paragraph_tokens(text: str) -> list[str]:
    """A paragraph's tokens, ``math`` for each run of lines that is ``$$...$$`` display math."""
    tokens: list[str] = []
    in_math = False
    for line in text.strip().split("\n"):
        stripped = line.strip()
        if not in_math and stripped.startswith("$$"):
            tokens.append("math")
            in_math = not (stripped.endswith("$$") and len(stripped) >= 4)
        elif in_math:
            in_math = not stripped.endswith("$$")
        elif tokens[-1:] != ["p"]:
            tokens.append("p")
    return tokens or ["p"]


def block_tokens(html: str, github: bool) -> list[str]:
    parser = BlockTokens(github)
    parser.feed(html)
    parser.close()
    return parser.tokens


def similarity(text: str, render: Callable[[str], str] = render_html) -> float:
    """How alike the block structures of GitHub's and our rendering of ``text`` are (1.0: the same)."""
    ours = block_tokens(render(text), github=False)
    theirs = block_tokens(github_html(text), github=True)
    return difflib.SequenceMatcher(None, theirs, ours, autojunk=False).ratio()


def figures(render: Callable[[str], str] = render_html) -> dict[str, float]:
    return {path.name: similarity(path.read_text(encoding="utf-8"), render) for path in corpus_files()}


def report(scores: dict[str, float]) -> str:
    lines = [f"{score:6.3f}  {name}" for name, score in sorted(scores.items(), key=lambda item: item[1])]
    mean = sum(scores.values()) / len(scores)
    return "\n".join([*lines, f"{mean:6.3f}  mean over {len(scores)} files"])


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the GitHub corpus is not here: {CORPUS}")
def test_the_corpus_has_the_block_structure_github_gives_it() -> None:
    scores = figures()
    mean = sum(scores.values()) / len(scores)
    assert mean >= MEAN_SIMILARITY, "block structure unlike GitHub's:\n" + report(scores)


_TIGHT_LIST_WITH_PARAGRAPHS = pytest.mark.xfail(
    strict=True, reason="Python-Markdown wraps items in <p> once a blank line or a quote sits inside them"
)
SNIPPETS = [
    "- a\n  - b\n    - c\n- d",
    "1. a\n   1. b\n2. c",
    "10. ten\n    - child",
    "-   wide marker\n    - child",
    "text\n- a\n- b",
    "- a\n\n- b",
    "- a\n\n\n- b",
    "- a\n  - b\n\n- c",
    "* a\n  - b\n\n* c\n  - d",
    "- a\n\n  para\n- b",
    "- a\nlazy\n- b",
    "- a\n  1. b\n  2. c",
    "1) a\n2) b",
    "- [ ] task\n- [x] done",
    "- a\n  ```\n  code\n  ```\n- b",
    "- item\n\n  ```\n  code\n\n  more\n  ```\n- next",
    "- a\n\n      code\n- b",
    "para\n```\ncode\n```\nafter",
    "```\n- not a list\n```",
    "    code\n\npara",
    "para\n    not code",
    "para\n| a | b |\n|---|---|\n| 1 | 2 |",
    "> a\n\n> b",
    "> - a\n>   - b\n> - c",
    "> a\n> - b\n>   - c",
    "- a\n# heading",
    "#hashtag is text",
    "Title\n===\n\nSub\n---",
    "***\n---\n___",
    "text  \nbreak",
    "$$\nx\n$$",
    "<details><summary>S</summary>\n\n- in\n\n</details>",
    "<!-- c -->\n- a",
    "- a\n<!-- c -->\n- b",
    "text\n<div>\nhtml\n</div>",
    "<img src=a.png>\n",
    pytest.param("- a\n  > q\n- b", marks=_TIGHT_LIST_WITH_PARAGRAPHS),
    pytest.param("- a\n  - b\n\n  - c\n- d", marks=_TIGHT_LIST_WITH_PARAGRAPHS),
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_a_snippet_has_the_block_structure_github_gives_it(text: str) -> None:
    assert block_tokens(render_html(text), github=False) == block_tokens(github_html(text), github=True)


def test_a_paragraph_with_display_math_lines_reads_as_text_math_text() -> None:
    assert paragraph_tokens("where\n$$\nx^2\n$$\nand") == ["p", "math", "p"]
    assert paragraph_tokens("$$x$$") == ["math"]
    assert paragraph_tokens("costs $$5 and $$6") == ["p"]


def test_list_items_count_their_depth() -> None:
    assert block_tokens("<ul><li>a<ul><li>b</li></ul></li></ul>", github=True) == ["li1", "li2"]


def _without_prepass(text: str) -> str:
    """What the extensions reach alone, for comparison."""
    return _bare_dialect().convert(_FRONT_MATTER.sub("", text, count=1)).html


@functools.cache
def _bare_dialect() -> Dialect:
    return Dialect()


if __name__ == "__main__":
    print(report(figures(_without_prepass if "--without-prepass" in sys.argv else render_html)))
