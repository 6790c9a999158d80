"""Rebuild what changed on every save, until Ctrl-C: ``decks watch``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from decks.build import Options, Outcome, Reporter, build
from decks.project import Project


def watch(
    project: Project,
    names: list[str],
    options: Options,
    reporter: Reporter,
    on_round: Callable[[list[Outcome], list[str]], None],
) -> None:
    """Build once, then again after every change to sources or themes (never to outputs).

    ``on_round`` gets each round's outcomes and the changed paths. Returns when
    interrupted (KeyboardInterrupt is the caller's to catch) or when ``stop`` is set
    by watchfiles' own signal handling.
    """
    from watchfiles import watch as watch_files

    on_round(build(project, names, options, reporter), [])
    folders = [project.themes_dir] + [paper.folder for paper in project.select(names)]
    if not names:
        folders.append(project.papers_dir)  # new papers appear here
    for changes in watch_files(*[f for f in folders if f.is_dir()], watch_filter=_is_source(project)):
        changed = sorted({project.relative(Path(path)) for _, path in changes})
        on_round(build(project, names, options, reporter), changed)


def _is_source(project: Project) -> Callable[[object, str], bool]:
    """A filter that ignores decks' own outputs and temporary files, so a build does not trigger itself."""

    def accept(_change: object, path: str) -> bool:
        relative = project.relative(Path(path))
        parts = relative.split("/")
        return "docs" not in parts[2:3] and not parts[-1].startswith(".") and relative.split("/")[0] != "build"

    return accept
