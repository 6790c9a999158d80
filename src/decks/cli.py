"""The ``decks`` command: arguments in, messages and an exit code out.

The only module that prints or exits. Everything it calls reports problems as
DecksError exceptions or Diagnostic values; this module turns both into one
line each (``path:line: message``) and an exit code: 0 all good, 1 something
failed, 2 a usage mistake.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TextIO

from decks import __version__
from decks.build import KINDS, SLIDES_PDF, Options, Outcome, Reporter, build, clean, status
from decks.errors import DecksError
from decks.project import load_project

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_ALLOCATIONS_BETWEEN_COLLECTIONS = 100_000  # Python's default is 700


def run() -> None:
    """The ``decks`` command: ``main``, then exit without the interpreter taking apart what it built.

    The garbage collector runs less often than Python's default: a short command
    allocates mostly what it keeps (modules, model values, a deck's XML), and
    collecting it over and over cost a deck a twentieth of its time. A handout
    leaves some hundred thousand objects for the collector, which it would walk
    through at exit for a quarter of a second; frozen, they are left to the
    operating system. (Tests call ``main`` and keep collecting as ever.)
    """
    gc.set_threshold(_ALLOCATIONS_BETWEEN_COLLECTIONS, *gc.get_threshold()[1:])
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        project = load_project(Path(args.root) if args.root else Path.cwd())
        return args.run(project, args)
    except DecksError as error:
        print(f"decks: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("decks: interrupted; finished outputs are kept, unfinished ones were not written", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="decks",
        description="Turn each paper's overview.md into a PowerPoint deck and its notes.md into a PDF handout.",
        epilog="Run 'decks COMMAND --help' for a command's options. Outputs go to papers/<paper>/docs/.",
    )
    parser.add_argument("--version", action="version", version=f"decks {__version__}")
    parser.add_argument("-C", "--root", metavar="DIR", help="the repository to work in (default: the one around the current folder)")
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build decks and handouts that are out of date",
                                    description="Build each paper's deck (from overview.md) and handout (from notes.md) "
                                    "into papers/<paper>/docs/. Only outputs whose sources, images, theme or options "
                                    "changed are rebuilt.")
    build_cmd.add_argument("papers", nargs="*", metavar="PAPER", help="paper folder names (default: every paper)")
    build_cmd.add_argument("-f", "--force", action="store_true", help="rebuild everything, even what is up to date")
    build_cmd.add_argument("-j", "--jobs", type=_positive, default=0, metavar="N",
                           help="build in N worker processes (default: one per CPU)")
    build_cmd.add_argument("--theme", default="", metavar="NAME", help="use this theme for every paper")
    build_cmd.add_argument("--only", choices=KINDS, help="build only decks or only handouts")
    build_cmd.add_argument("--pdf-slides", action="store_true",
                           help="also write each deck as a PDF (papers/<paper>/docs/<paper>-slides.pdf), "
                           "through LibreOffice")
    _allow_remote_option(build_cmd)
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print only problems and the failure summary")
    build_cmd.add_argument("-v", "--verbose", action="store_true", help="print every output, fresh ones too")
    build_cmd.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
    build_cmd.set_defaults(run=_build)

    check_cmd = commands.add_parser("check", help="lint every paper without writing outputs (exit 1 on any finding)",
                                    description="Report, as 'file:line: message', everything a build would warn "
                                    "about (missing images, math that cannot be typeset, content that does not fit "
                                    "a slide) plus broken local links and odd heading structures. Writes nothing.")
    check_cmd.add_argument("papers", nargs="*", metavar="PAPER", help="paper folder names (default: every paper)")
    check_cmd.add_argument("--theme", default="", metavar="NAME", help="check with this theme for every paper")
    check_cmd.set_defaults(run=_check)

    list_cmd = commands.add_parser("list", help="show each paper, its sources and whether its outputs are up to date")
    list_cmd.set_defaults(run=_list)

    new_cmd = commands.add_parser("new", help="start a new paper folder from templates and list it in the README",
                                  description="Create papers/<slug>/ with overview.md, notes.md, figures/ and docs/ "
                                  "from templates that show the conventions, and add the paper to the README's "
                                  "'Papers studied' list. Never overwrites an existing paper.")
    new_cmd.add_argument("title", help='the paper\'s title, in quotes: "Attention Is All You Need"')
    new_cmd.add_argument("--authors", nargs="+", default=[], metavar="NAME", help="the paper's authors")
    new_cmd.add_argument("--year", default="", help="the year it was published")
    new_cmd.add_argument("--url", default="", help="a link to the paper")
    new_cmd.set_defaults(run=_new)

    watch_cmd = commands.add_parser("watch", help="rebuild what changed on every save (Ctrl-C to stop)")
    watch_cmd.add_argument("papers", nargs="*", metavar="PAPER", help="paper folder names (default: every paper)")
    watch_cmd.add_argument("--theme", default="", metavar="NAME", help="use this theme for every paper")
    watch_cmd.add_argument("--only", choices=KINDS, help="rebuild only decks or only handouts")
    _allow_remote_option(watch_cmd)
    watch_cmd.set_defaults(run=_watch)

    clean_cmd = commands.add_parser("clean", help="remove generated outputs and build/ (never files decks did not write)")
    clean_cmd.set_defaults(run=_clean)
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of jobs like 2, not '{text}'")
    return int(text)


def _build(project, args: argparse.Namespace) -> int:
    options = Options(
        force=args.force,
        jobs=args.jobs,
        theme=args.theme,
        allow_remote=args.allow_remote,
        kinds=((args.only,) if args.only else KINDS) + ((SLIDES_PDF,) if args.pdf_slides else ()),
        debug=args.debug,
    )
    if args.theme:
        from decks.themes import load_theme

        load_theme(args.theme, project.themes_dir)  # an unknown name fails once, before any work
    reporter = ConsoleReporter(sys.stderr, quiet=args.quiet, verbose=args.verbose)
    outcomes = build(project, args.papers, options, reporter)
    reporter.summary(outcomes)
    return EXIT_FAILED if any(o.status == "failed" for o in outcomes) else EXIT_OK


def _check(project, args: argparse.Namespace) -> int:
    from decks.lint import check_paper

    papers = project.select(args.papers)
    findings = 0
    for paper in papers:
        for diagnostic in check_paper(project, paper, args.theme):
            print(diagnostic)
            findings += 1
    print(f"decks: checked {len(papers)} papers, {findings} findings", file=sys.stderr)
    return EXIT_FAILED if findings else EXIT_OK


def _list(project, args: argparse.Namespace) -> int:
    rows = status(project)
    if not rows:
        print("no papers yet: add papers/<paper>/overview.md and notes.md")
        return EXIT_OK
    width = max(len("paper"), *(len(paper.name) for paper, _ in rows))  # the heading is wider than "a"
    print(f"{'paper':<{width}}  {'sources':<22}  {'deck':<12}  handout")
    for paper, states in rows:
        sources = " ".join(p.name for p in (paper.overview, paper.notes) if p.is_file())
        print(f"{paper.name:<{width}}  {sources:<22}  {states['deck']:<12}  {states['handout']}")
    return EXIT_OK


def _new(project, args: argparse.Namespace) -> int:
    from decks.scaffold import NewPaper, create_paper

    paper = NewPaper(args.title, tuple(args.authors), args.year, args.url)
    folder, listed = create_paper(project, paper)
    print(f"created {project.relative(folder)}/ with overview.md, notes.md, figures/ and docs/")
    print("added it to README.md's 'Papers studied'" if listed else "README.md has no 'Papers studied' section; add the paper there by hand")
    return EXIT_OK


def _allow_remote_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--allow-remote", action="store_true",
                         help="let decks and handouts fetch http(s) images (and handouts their styles), with a "
                         "timeout and a size cap, kept in build/cache/remote/ (off by default: no network)")


def _watch(project, args: argparse.Namespace) -> int:
    from decks.watching import watch

    options = Options(jobs=1, theme=args.theme, kinds=(args.only,) if args.only else KINDS,
                      allow_remote=args.allow_remote)
    reporter = ConsoleReporter(sys.stderr, quiet=True)

    def report(outcomes: list[Outcome], changed: list[str]) -> None:
        built = [o.output for o in outcomes if o.status == "built"]
        failed = [o for o in outcomes if o.status == "failed"]
        cause = f"{', '.join(changed)} changed: " if changed else ""
        print(f"{cause}rebuilt {', '.join(built) or 'nothing'}" + (f"; {len(failed)} failed" if failed else ""), flush=True)

    print("watching papers/ and themes/; Ctrl-C to stop", flush=True)
    try:
        watch(project, args.papers, options, reporter, report)
    except KeyboardInterrupt:  # a second Ctrl-C, in the middle of a round
        pass
    print("stopped watching", flush=True)
    return EXIT_OK


def _clean(project, args: argparse.Namespace) -> int:
    removed, kept = clean(project)
    for path in removed:
        print(f"removed {path}")
    for path in kept:
        print(f"kept {path}: not written by decks, or edited since")
    if not removed and not kept:
        print("nothing to clean")
    return EXIT_OK


class ConsoleReporter(Reporter):
    """Progress on a terminal (one live line), plain lines in logs, a summary table at the end."""

    def __init__(self, stream: TextIO, *, quiet: bool = False, verbose: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.verbose = verbose
        self.live = stream.isatty() and not quiet and os.environ.get("TERM") != "dumb"
        self.total = self.done = 0
        self._said: set[str] = set()  # problems this build showed: a deck and a handout can fail for one reason

    def starting(self, stale: int, fresh: int, total: int) -> None:
        self.total = total
        self._said.clear()  # `decks watch` builds again and again: each build shows its own problems
        if stale and not self.quiet:
            missing = total - stale - fresh
            without = f", {missing} without a source" if missing else ""
            self._line(f"building {stale} of {total} outputs ({fresh} up to date{without})")

    def waiting(self, message: str) -> None:
        self._line(message)

    def finished(self, outcome: Outcome) -> None:
        self.done += 1
        for diagnostic in outcome.diagnostics:
            self._once(str(diagnostic))
        if outcome.status == "failed":
            self._once(f"error: {outcome.error}")
            if outcome.trace:
                self._line(outcome.trace.rstrip())
        elif self.quiet or (outcome.status == "fresh" and not self.verbose):
            self._progress()
            return
        else:
            self._line(f"[{self.done}/{self.total}] {outcome.status:<5} {outcome.output} ({outcome.seconds:.1f}s)")
        self._progress()

    def _once(self, problem: str) -> None:
        """Show ``problem`` unless this build showed it already (the summary table still counts each output)."""
        if problem not in self._said:
            self._said.add(problem)
            self._line(problem)

    def summary(self, outcomes: list[Outcome]) -> None:
        self._clear()
        built = sum(o.status == "built" for o in outcomes)
        failed = [o for o in outcomes if o.status == "failed"]
        if self.quiet and not failed:
            return
        if built or failed:
            self._table(outcomes)
        warnings = sum(len(o.diagnostics) for o in outcomes)
        verdict = f"{len(failed)} failed" if failed else "all good"
        self.stream.write(
            f"decks: {built} built, {sum(o.status == 'fresh' for o in outcomes)} up to date, "
            f"{warnings} warnings, {verdict}\n"
        )

    def _table(self, outcomes: list[Outcome]) -> None:
        papers: dict[str, dict[str, Outcome]] = {}
        for outcome in outcomes:
            papers.setdefault(outcome.paper, {})[outcome.kind] = outcome
        columns = KINDS + ((SLIDES_PDF,) if any(o.kind == SLIDES_PDF for o in outcomes) else ())
        width = max(len("paper"), *(len(name) for name in papers))
        head = "".join(f"{'slides pdf' if k == SLIDES_PDF else k:<12}" for k in columns)
        self.stream.write(f"\n{'paper':<{width}}  {head}{'time':>6}  warnings\n")
        for name, kinds in papers.items():
            cells = "".join(f"{kinds[k].status if k in kinds else '-':<12}" for k in columns)
            seconds = sum(o.seconds for o in kinds.values())
            warnings = sum(len(o.diagnostics) for o in kinds.values())
            self.stream.write(f"{name:<{width}}  {cells}{seconds:>5.1f}s  {warnings}\n")

    def _line(self, text: str) -> None:
        self._clear()
        self.stream.write(text + "\n")
        self.stream.flush()

    def _progress(self) -> None:
        if self.live and self.done < self.total:
            self.stream.write(f"\r[{self.done}/{self.total}] building...")
            self.stream.flush()

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
