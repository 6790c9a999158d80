"""Start a new paper: its folder from templates that show the conventions, and a README entry."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from decks.errors import DecksError
from decks.project import Project

_TEMPLATES = Path(__file__).parent / "templates"
_PAPERS_HEADING = re.compile(r"^##\s+papers studied\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class NewPaper:
    title: str
    authors: tuple[str, ...] = ()
    year: str = ""
    url: str = ""


def slugify(title: str) -> str:
    """``Attention Is All You Need`` -> ``attention-is-all-you-need``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def create_paper(project: Project, paper: NewPaper) -> tuple[Path, bool]:
    """Write ``papers/<slug>/`` and list it in the README; returns the folder and whether the README changed.

    Refuses (DecksError) when the folder exists: a new paper never overwrites one.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    slug = slugify(paper.title)
    if not slug:
        raise DecksError(f"cannot make a folder name from the title '{paper.title}'; use letters or digits")
    folder = project.papers_dir / slug
    if folder.exists():
        raise DecksError(f"{project.relative(folder)} already exists; choose another title or edit that paper")
    environment = Environment(loader=FileSystemLoader(_TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True)
    values = {"title": paper.title, "authors": list(paper.authors), "year": paper.year, "url": paper.url}
    (folder / "docs").mkdir(parents=True)
    (folder / "figures").mkdir()
    for name in ("overview.md", "notes.md"):
        text = environment.get_template(f"{name}.j2").render(values)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "docs" / ".gitkeep").touch()
    return folder, _add_to_readme(project.root / "README.md", slug, paper)


def _add_to_readme(readme: Path, slug: str, paper: NewPaper) -> bool:
    """Append a row to the table (or an item to the list) under the README's "Papers studied"."""
    if not readme.is_file():
        return False
    text = readme.read_text(encoding="utf-8")
    heading = _PAPERS_HEADING.search(text)
    if heading is None:
        return False
    lines = text[heading.end() :].split("\n")
    link = f"[{paper.title}](papers/{slug}/)"
    last = _last_entry(lines)
    if last is None:
        lines.insert(1, f"\n- {link}")
    elif lines[last].lstrip().startswith("|"):
        material = (
            f"[overview](papers/{slug}/overview.md) · [notes](papers/{slug}/notes.md) · "
            f"[deck](papers/{slug}/docs/{slug}.pptx) · [handout](papers/{slug}/docs/{slug}-handout.pdf)"
        )
        lines.insert(last + 1, f"| {link} | {paper.year} | | {material} |")
    else:
        lines.insert(last + 1, f"- {link}")
    readme.write_text(text[: heading.end()] + "\n".join(lines), encoding="utf-8")
    return True


def _last_entry(lines: list[str]) -> int | None:
    """The index of the section's last table row or list item, before the next heading."""
    last = None
    for index, line in enumerate(lines):
        if line.startswith("#"):
            break
        if line.lstrip().startswith(("|", "- ", "* ")):
            last = index
    return last
