"""Lint a paper without writing outputs: what ``decks check`` reports.

Everything the build would warn about (missing images, refused URLs, math
that cannot be typeset, content squeezed or cut to fit a slide), plus what only
a linter looks for: broken local links and anchors, and heading structures
that make odd slides. Each finding is a Diagnostic naming ``file:line``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from decks.errors import DecksError, Diagnostic
from decks.model import Document, Heading, Link, walk
from decks.project import Paper, Project
from decks.reading import read_paper_document
from decks.resources import resolve_local, split_url
from decks.themes import load_theme


def check_paper(project: Project, paper: Paper, theme_override: str = "") -> list[Diagnostic]:
    """Every problem of one paper's sources, errors and warnings alike, ordered by file and line."""
    found: list[Diagnostic] = []
    for kind, source in (("deck", paper.overview), ("handout", paper.notes)):
        shown = project.relative(source)
        if not source.is_file():
            found.append(Diagnostic(shown, 0, f"missing; create it to get a {kind}", "error"))
            continue
        try:
            document, diagnostics = read_paper_document(paper, kind, project.root)
            theme = load_theme(theme_override or document.meta.theme or project.config.theme, project.themes_dir)
            found += diagnostics
            found += _links(document, project.root)
            found += _deck(document, theme, project.root) if kind == "deck" else _handout(document, theme, project)
        except DecksError as error:
            found.append(Diagnostic(error.path or shown, error.line, error.message, "error"))
    return _unique(found)


def _deck(document: Document, theme, root: Path) -> list[Diagnostic]:  # noqa: ANN001 - a Theme
    from decks.slides.check import check_deck

    return _headings(document) + check_deck(document, theme, repo_root=root)


def _handout(document: Document, theme, project: Project) -> list[Diagnostic]:  # noqa: ANN001 - a Theme
    from decks.handout.html import render_document

    source_dir = (project.root / document.source).parent
    _, diagnostics = render_document(
        document, theme, group=project.config.group, base_dir=source_dir, repo_root=project.root
    )
    return list(diagnostics)


def _headings(document: Document) -> list[Diagnostic]:
    """Heading structures that make odd decks: no slides at all, or levels a deck has no use for."""
    headings = [block for block in document.blocks if isinstance(block, Heading)]
    found = []
    if not any(heading.level == 2 for heading in headings):
        found.append(Diagnostic(document.source, 1, "no '## ' headings: the whole overview becomes one slide; "
                                "start each slide with '## Title'"))
    for heading in headings:
        if heading.level >= 4:
            found.append(Diagnostic(document.source, heading.line, f"a level-{heading.level} heading has no place "
                                    "in a deck (## is a slide, ### a sub-heading); use ### or bold text"))
    return found


def _links(document: Document, root: Path) -> list[Diagnostic]:
    """Local links whose file does not exist, and ``#anchors`` no heading has."""
    anchors = {block.anchor for block in walk(document) if isinstance(block, Heading)}
    base = (root / document.source).parent
    found = []
    for link, line in _links_with_lines(document):
        parts = split_url(link.url)
        if parts.scheme or parts.netloc or not link.url:
            continue
        if not parts.path:
            if parts.fragment and unquote(parts.fragment) not in anchors:
                found.append(Diagnostic(document.source, line, f"link to '#{parts.fragment}': no heading has that anchor"))
            continue
        target = resolve_local(link.url.split("#")[0], base, root)
        if target is None:
            found.append(Diagnostic(document.source, line, f"link '{link.url}' points outside the repository"))
        elif not target.exists():
            found.append(Diagnostic(document.source, line, f"link '{link.url}': no such file"))
    return found


def _links_with_lines(document: Document) -> list[tuple[Link, int]]:
    """Each link with the line of the nearest block that holds it."""
    found, line = [], 0
    for node in walk(document):
        line = getattr(node, "line", line) or line
        if isinstance(node, Link):
            found.append((node, line))
    return found


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Both writers report some problems (a missing image): say each once."""
    seen: dict[tuple[str, int, str], Diagnostic] = {}
    for diagnostic in diagnostics:
        seen.setdefault((diagnostic.path, diagnostic.line, diagnostic.message), diagnostic)
    return sorted(seen.values(), key=lambda d: (d.path, d.line))
