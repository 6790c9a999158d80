"""The repository decks works in: its root, its settings, and the papers it holds."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from decks.errors import DecksError

OVERVIEW = "overview.md"
NOTES = "notes.md"
DEFAULT_GROUP = "Our study group"


@dataclass(frozen=True)
class Config:
    """Repository-wide settings from ``[tool.decks]`` in pyproject.toml or from decks.toml."""

    group: str = DEFAULT_GROUP
    theme: str = "default"


@dataclass(frozen=True)
class Paper:
    """One folder under ``papers/``: its sources and the outputs decks writes for it."""

    name: str
    folder: Path

    @property
    def overview(self) -> Path:
        return self.folder / OVERVIEW

    @property
    def notes(self) -> Path:
        return self.folder / NOTES

    @property
    def docs(self) -> Path:
        return self.folder / "docs"

    @property
    def deck(self) -> Path:
        return self.docs / f"{self.name}.pptx"

    @property
    def handout(self) -> Path:
        return self.docs / f"{self.name}-handout.pdf"

    @property
    def slides_pdf(self) -> Path:
        """The deck as a PDF, for sharing (``decks build --pdf-slides``)."""
        return self.docs / f"{self.name}-slides.pdf"


@dataclass(frozen=True)
class Project:
    root: Path
    config: Config

    @property
    def papers_dir(self) -> Path:
        return self.root / "papers"

    @property
    def themes_dir(self) -> Path:
        return self.root / "themes"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def relative(self, path: Path) -> str:
        """A path as messages show it: relative to the repository root when inside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def papers(self) -> list[Paper]:
        """Every folder in ``papers/`` that holds an overview or notes, by name."""
        if not self.papers_dir.is_dir():
            return []
        return [
            Paper(folder.name, folder)
            for folder in sorted(self.papers_dir.iterdir())
            if folder.is_dir() and ((folder / OVERVIEW).is_file() or (folder / NOTES).is_file())
        ]

    def select(self, names: list[str]) -> list[Paper]:
        """The papers named (by folder name, or a path to the folder); all when none are named."""
        papers = self.papers()
        if not names:
            return papers
        by_name = {paper.name: paper for paper in papers}
        chosen = []
        for name in names:
            key = Path(name).name if "/" in name.rstrip("/") else name.rstrip("/")
            if key not in by_name:
                known = ", ".join(by_name) or "none yet"
                raise DecksError(f"no paper named '{name}' in papers/; papers: {known}")
            chosen.append(by_name[key])
        return chosen


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that has a ``papers/`` folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "papers").is_dir():
            return folder
    raise DecksError(f"no papers/ folder in {start} or above; run decks inside the group's repository")


def load_project(start: Path) -> Project:
    root = find_root(start)
    return Project(root=root, config=_read_config(root))


def _read_config(root: Path) -> Config:
    """``decks.toml`` wins over ``[tool.decks]`` in ``pyproject.toml``; both are optional."""
    for path, table in ((root / "decks.toml", ()), (root / "pyproject.toml", ("tool", "decks"))):
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise DecksError(f"invalid TOML: {error}", path.name) from None
        for key in table:
            data = data.get(key, {})
        if data:
            return _config_from(data, path.name)
    return Config()


def _config_from(data: dict, source: str) -> Config:
    known = set(Config.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise DecksError(f"unknown setting '{unknown[0]}'; known: {', '.join(sorted(known))}", source)
    for key, value in data.items():
        if not isinstance(value, str):
            raise DecksError(f"setting '{key}' must be a string in quotes", source)
    return Config(**data)
