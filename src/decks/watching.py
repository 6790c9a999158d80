"""Rebuild what changed on every save, until Ctrl-C: ``decks watch``."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

    ``on_round`` gets each round's outcomes and the changed paths. Returns after
    the first Ctrl-C, once the round under way (if any) is done; a second Ctrl-C
    raises KeyboardInterrupt at once (the caller's to catch).
    """
    from watchfiles import watch as watch_files

    folders = [project.themes_dir] + [paper.folder for paper in project.select(names)]
    if not names:
        folders.append(project.papers_dir)  # new papers appear here
    with _stopped_by_ctrl_c() as stop:
        on_round(build(project, names, options, reporter), [])
        for changes in watch_files(*[f for f in folders if f.is_dir()], watch_filter=_is_source(project),
                                   stop_event=stop):
            changed = sorted({project.relative(Path(path)) for _, path in changes})
            on_round(build(project, names, options, reporter), changed)


@contextmanager
def _stopped_by_ctrl_c() -> Iterator[threading.Event]:
    """An event the first Ctrl-C sets (watchfiles stops waiting when it is set); the second interrupts.

    An interrupt raised in the middle of a build could land where Python only
    reports it (a finaliser) and the watch would go on; an event cannot be lost.
    """
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # only the main thread receives signals
        yield stop
        return

    def on_ctrl_c(_signal: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield stop
    finally:  # None: a handler set outside Python, which cannot be put back; the default is the nearest
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


def _is_source(project: Project) -> Callable[[object, str], bool]:
    """A filter that ignores decks' own outputs and temporary files, so a build does not trigger itself."""

    def accept(_change: object, path: str) -> bool:
        relative = project.relative(Path(path))
        parts = relative.split("/")
        return "docs" not in parts[2:3] and not parts[-1].startswith(".") and relative.split("/")[0] != "build"

    return accept
