"""Build every paper's outputs: discover, skip what is fresh, write the rest in parallel, report.

Each output (a paper's deck or its handout) is one task. A task reads its
sources, writes a temporary file beside the output, stamps it and renames it
into place (``outputs.install``), so a crash never leaves a half-written file
and nothing decks did not write is replaced. Failures are values: one broken
paper never stops the others.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from decks import __version__, diskcache
from decks.errors import DecksError, Diagnostic, OutputConflict, ThemeError
from decks.outputs import install, remove_if_ours, remove_stray_temps, stamp, temp_path
from decks.project import Paper, Project
from decks.state import BuildState, Record, sign
from decks.themes import Theme, load_theme

if TYPE_CHECKING:  # the document model is loaded with the first output written: a no-op build never needs it
    from decks.model import Document, Meta

Kind = Literal["deck", "handout", "slides"]
KINDS: tuple[Kind, ...] = ("deck", "handout")  # what a build makes unless asked for more
SLIDES_PDF: Kind = "slides"  # the deck as a PDF too, with --pdf-slides
_WORK_ORDER: dict[Kind, int] = {SLIDES_PDF: 0, "handout": 1, "deck": 2}  # the slowest to build first


@dataclass(frozen=True)
class Options:
    force: bool = False
    jobs: int = 0  # 0: one per CPU
    theme: str = ""  # overrides front matter and the repository's setting
    allow_remote: bool = False
    kinds: tuple[Kind, ...] = KINDS
    debug: bool = False


@dataclass(frozen=True)
class Task:
    """Everything a worker process needs to build one output; plain data, so it pickles."""

    paper: Paper
    kind: Kind
    root: Path
    theme: str
    config_theme: str
    group: str
    allow_remote: bool
    debug: bool

    @property
    def source(self) -> Path:
        return self.paper.notes if self.kind == "handout" else self.paper.overview

    @property
    def output(self) -> Path:
        return {"deck": self.paper.deck, "handout": self.paper.handout, "slides": self.paper.slides_pdf}[self.kind]


@dataclass(frozen=True)
class Outcome:
    paper: str
    kind: Kind
    output: str
    status: Literal["built", "fresh", "failed"]
    seconds: float = 0.0
    diagnostics: tuple[Diagnostic, ...] = ()
    error: str = ""
    trace: str = ""
    deps: dict = field(default_factory=dict, compare=False)


class Reporter:
    """What the build tells the outside world; the CLI subclasses it to print."""

    def starting(self, stale: int, fresh: int, total: int) -> None: ...

    def waiting(self, message: str) -> None: ...

    def finished(self, outcome: Outcome) -> None: ...


def build(project: Project, names: list[str], options: Options, reporter: Reporter) -> list[Outcome]:
    """Bring every selected paper's outputs up to date and return one Outcome per output."""
    papers = project.select(names)
    with _lock(project.build_dir, reporter):
        state = BuildState.load(project.build_dir / "state.json")
        outcomes: list[Outcome] = []
        stale: dict[str, tuple[Task, str]] = {}  # output -> its task and fingerprint
        for paper in papers:
            remove_stray_temps(paper.docs)
            for kind in options.kinds:
                task = _task(project, paper, kind, options)
                fingerprint = _fingerprint(task)
                output = project.relative(task.output)
                if not task.source.is_file():
                    outcomes.append(_missing_source(project, task))
                elif not options.force and state.is_fresh(output, fingerprint, project.root):
                    outcomes.append(Outcome(paper.name, kind, output, "fresh"))
                else:
                    stale[output] = (task, fingerprint)
        fresh = sum(outcome.status == "fresh" for outcome in outcomes)
        reporter.starting(len(stale), fresh, len(outcomes) + len(stale))
        for outcome in outcomes:
            reporter.finished(outcome)
        try:
            for outcome in _run(_longest_first([task for task, _ in stale.values()]), options.jobs):
                outcomes.append(outcome)
                if outcome.status == "built":
                    fingerprint = stale[outcome.output][1]
                    state.records[outcome.output] = Record(fingerprint, outcome.deps, sign(project.root / outcome.output))
                reporter.finished(outcome)
        finally:
            if stale:  # a build with nothing to do leaves the state file as it was (and is quicker for it)
                state.save()
    order = {(p.name, k): i for i, (p, k) in enumerate((p, k) for p in papers for k in options.kinds)}
    return sorted(outcomes, key=lambda o: order[(o.paper, o.kind)])


def clean(project: Project) -> tuple[list[str], list[str]]:
    """Remove generated outputs and ``build/``; return (removed, kept because not ours or edited)."""
    removed, kept = [], []
    for paper in project.papers():
        remove_stray_temps(paper.docs)
        for path in (paper.deck, paper.handout, paper.slides_pdf):
            if not path.exists():
                continue
            (removed if remove_if_ours(path) else kept).append(project.relative(path))
    if project.build_dir.is_dir():
        _remove_tree(project.build_dir)
        removed.append("build/")
    return removed, kept


def status(project: Project) -> list[tuple[Paper, dict[Kind, str]]]:
    """For ``decks list``: each paper and, per output, up to date / out of date / no source."""
    state = BuildState.load(project.build_dir / "state.json")
    rows = []
    for paper in project.papers():
        states: dict[Kind, str] = {}
        for kind in KINDS:
            task = _task(project, paper, kind, Options())
            if not task.source.is_file():
                states[kind] = "no source"
            elif state.is_fresh(project.relative(task.output), _fingerprint(task), project.root):
                states[kind] = "up to date"
            else:
                states[kind] = "out of date"
        rows.append((paper, states))
    return rows


def _task(project: Project, paper: Paper, kind: Kind, options: Options) -> Task:
    return Task(
        paper=paper,
        kind=kind,
        root=project.root,
        theme=options.theme,
        config_theme=project.config.theme,
        group=project.config.group,
        allow_remote=options.allow_remote,
        debug=options.debug,
    )


def _fingerprint(task: Task) -> str:
    """The options an output depends on besides its files: a change rebuilds it."""
    values = [__version__, task.kind, task.theme, task.config_theme, task.group, task.allow_remote]
    return json.dumps(values)


def _missing_source(project: Project, task: Task) -> Outcome:
    other = "deck" if task.kind == "handout" else "handout"
    message = f"{project.relative(task.source)}: missing; create it to get a {task.kind} (the {other} is built anyway)"
    return Outcome(task.paper.name, task.kind, project.relative(task.output), "failed", error=message)


def _longest_first(tasks: list[Task]) -> list[Task]:
    """The tasks, the slowest first: a worker then never starts a long one while the others run out of work.

    A handout takes several times as long as a deck, and a long source longer
    than a short one: started last, it would run on one core while the rest
    stand idle. So handouts go before decks, and within a kind the larger sources first.
    """
    return sorted(tasks, key=lambda task: (_WORK_ORDER[task.kind], -_size(task.source)))


def _size(path: Path) -> int:
    """A source's size in bytes; 0 when it is missing (its task fails on its own)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _run(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    """Run tasks in worker processes (or in this one when one worker is enough)."""
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        yield from map(run_task, tasks)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed  # 20 ms: only when there is a pool
    from multiprocessing import get_context

    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        futures = [pool.submit(run_task, task) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def run_task(task: Task) -> Outcome:
    """Build one output; every problem comes back inside the Outcome, never as an exception."""
    started = time.perf_counter()
    output = _relative(task.root, task.output)
    try:
        diagnostics, deps = _produce(task)
    except DecksError as error:
        return Outcome(task.paper.name, task.kind, output, "failed", time.perf_counter() - started, error=str(error))
    except Exception as error:  # a bug in decks, not the user's mistake: keep the trace for --debug
        import traceback  # only here: a build that goes well never loads it

        message = f"{_relative(task.root, task.source)}: internal error ({type(error).__name__}: {error}); run with --debug for the traceback"
        return Outcome(
            task.paper.name, task.kind, output, "failed", time.perf_counter() - started,
            error=message, trace=traceback.format_exc() if task.debug else "",
        )
    return Outcome(
        task.paper.name, task.kind, output, "built", time.perf_counter() - started, tuple(diagnostics), deps=deps
    )


def _produce(task: Task) -> tuple[list[Diagnostic], dict]:
    """Read, write to a temporary file, stamp, install; returns diagnostics and dependencies."""
    from decks.reading import read_paper_document
    from decks.resources import images, resolve_local

    document, diagnostics = read_paper_document(task.paper, task.kind, task.root, _cache(task) / "documents")
    # Read afresh for every output (a few small TOML files), so that `decks watch` sees theme edits.
    theme = _theme(task, document.meta)
    deps: set[Path] = {task.source, *theme.files()}
    if task.kind == "handout" and task.paper.overview.is_file():
        deps.add(task.paper.overview)
    for image in images(document):
        local = resolve_local(image.src, task.source.parent, task.root)
        if local is not None:
            deps.add(local)
    final = task.output
    final.parent.mkdir(parents=True, exist_ok=True)
    if not final.parent.resolve().is_relative_to(task.root.resolve()):  # docs/ is a symlink out of the repository
        raise OutputConflict("leads outside the repository through a symlink; decks writes only inside it",
                             _relative(task.root, final.parent))
    temp = temp_path(final)
    diskcache.keep_in(_cache(task))  # formulas, fonts, web files and deck plans, for this output
    try:
        with diskcache.bundled(_relative(task.root, final)):
            diagnostics += _write(task, document, theme, temp)
        stamp(temp)
        diagnostics += install(temp, final, _relative(task.root, final))
    finally:
        diskcache.keep_in(None)
        temp.unlink(missing_ok=True)
    return diagnostics, {_relative(task.root, dep): sign(dep) for dep in sorted(deps)}


def _cache(task: Task) -> Path:
    """Where kept results live, each kind in a folder of its own (see decks.diskcache); ``decks clean`` empties it."""
    return task.root / "build" / "cache"


def _theme(task: Task, meta: Meta) -> Theme:
    """The theme for this output: ``--theme``, else the front matter's, else the repository's setting."""
    if task.theme or not meta.theme:
        return load_theme(task.theme or task.config_theme, task.root / "themes")
    try:
        return load_theme(meta.theme, task.root / "themes")
    except ThemeError as error:
        if error.path:  # the theme exists, and one of its files is wrong
            raise
        raise ThemeError(f"front matter 'theme': {error.message}", *meta.theme_at) from None


def _write(task: Task, document: Document, theme: Theme, temp: Path) -> list[Diagnostic]:
    timestamp = _timestamp(task.source, task.root)
    if task.kind == "deck":
        from decks.slides.render import write_deck

        return write_deck(document, theme, temp, repo_root=task.root, timestamp=timestamp,
                          allow_remote=task.allow_remote)
    if task.kind == SLIDES_PDF:
        return _write_slides_pdf(task, document, theme, temp, timestamp)
    from decks.handout.pdf import write_handout

    html_out = task.root / "build" / "html" / f"{task.paper.name}-handout.html"
    html_out.parent.mkdir(parents=True, exist_ok=True)
    return write_handout(
        document, theme, temp, repo_root=task.root, html_out=html_out, group=task.group,
        allow_remote=task.allow_remote, timestamp=timestamp,
    )


def _write_slides_pdf(task: Task, document: Document, theme: Theme, temp: Path, timestamp: int) -> list[Diagnostic]:
    """The deck, written to a scratch file, then turned into PDF by LibreOffice."""
    import tempfile

    from decks.slides.export import export_pdf, soffice
    from decks.slides.render import write_deck

    soffice()  # before any work: say at once when LibreOffice is missing
    with tempfile.TemporaryDirectory(prefix="decks-slides-") as scratch:
        deck = Path(scratch, task.paper.deck.name)
        diagnostics = write_deck(document, theme, deck, repo_root=task.root, timestamp=timestamp,
                                 allow_remote=task.allow_remote)
        export_pdf(deck, temp, timestamp=timestamp)
    return diagnostics


def _timestamp(source: Path, root: Path) -> int:
    """The date written into outputs: SOURCE_DATE_EPOCH, else the source's last commit, else 0.

    Never the clock: the same sources must give the same bytes.
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    if "GIT_DIR" not in os.environ and not any((folder / ".git").exists() for folder in (root, *root.parents)):
        return 0  # no repository git could find: no process to start
    import subprocess  # only here: a build with nothing to do never starts a process

    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", str(source)],
            cwd=root, capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return 0
    return int(result.stdout.strip()) if result.stdout.strip().isdigit() else 0


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@contextmanager
def _lock(build_dir: Path, reporter: Reporter) -> Iterator[None]:
    """One build at a time per repository: a second one waits for the first."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            reporter.waiting("another decks build is running in this repository; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _remove_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    folder.rmdir()

