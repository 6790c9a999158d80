"""Benchmark decks against its floors and its peers, as whole processes; writes bench/results.md.

    make bench                      # N = 1, 20 and 100 papers, 3 runs each (medians)
    make bench PAPERS=../our-papers # the same, on papers of your own
    .venv/bin/python bench/run.py --sizes 1 20 --runs 3 --papers ../our-papers

The library of N papers is built in a temporary repository from the
repository's papers (realistic: math, code, tables, a figure), taken in turn, so
its papers are copies; ``--papers DIR`` takes them from another folder of paper
folders (each with overview.md and notes.md) instead, distinct while N is at
most their number: a library nobody tuned decks for. Peers are measured on the
same sources when installed, and skipped with a note when not:

    pandoc     apt-get install pandoc        (md -> pptx; md -> html, then WeasyPrint)
    marp-cli   npm install -g @marp-team/marp-cli   (and apt-get install chromium)

Not part of the test suite: speed goals live here, never in a timed test.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DECKS = [str(BIN / "decks")]
RESULTS = REPO / "bench" / "results.md"
LARGE = 100  # libraries this big are built cold once per tool: each such build takes minutes
QUICK_ROUNDS = 5  # a sub-second command is run this many times as often as the others


FAILED: dict[str, int] = {}  # a command that failed (a peer choking on a paper) -> its exit status


def timed(command: list[str], cwd: Path, runs: int, before=None) -> tuple[float, int]:
    """Median wall seconds over ``runs`` runs, and the peak RSS (KiB) of any child process.

    A command that fails is timed all the same and listed in the results: it may
    have done less work than the others (pandoc stops at a web image it cannot fetch).
    """
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        if done.returncode:
            FAILED[" ".join(command)[:120]] = done.returncode
    return statistics.median(times), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def source_papers(folder: Path) -> list[Path]:
    """The paper folders in ``folder`` that have both sources."""
    return [paper for paper in sorted(folder.iterdir())
            if (paper / "overview.md").is_file() and (paper / "notes.md").is_file()]


def make_library(root: Path, size: int, sources: list[Path]) -> list[str]:
    """A repository of ``size`` papers taken in turn from ``sources``; returns the paper names."""
    shutil.copytree(REPO / "themes", root / "themes")
    (root / "pyproject.toml").write_text('[tool.decks]\ngroup = "Benchmark group"\n')
    names = []
    for index in range(size):
        source = sources[index % len(sources)]
        name = f"{source.name}-{index:03d}"
        shutil.copytree(source, root / "papers" / name, ignore=shutil.ignore_patterns("*.pptx", "*.pdf"))
        names.append(name)
    return names


def clean_outputs(root: Path) -> None:
    shutil.rmtree(root / "build", ignore_errors=True)
    for output in root.glob("papers/*/docs/*"):
        if output.suffix in (".pptx", ".pdf"):
            output.unlink()


def measure_library(copies: int, runs: int, jobs: int, sources: list[Path]) -> dict[str, float]:
    """A library's builds; a large one's cold builds (ours and pandoc's, minutes each) are run once."""
    figures: dict[str, float] = {}
    cold_runs = runs if copies < LARGE else 1
    with tempfile.TemporaryDirectory(prefix="decks-bench-") as folder:
        root = Path(folder)
        names = make_library(root, copies, sources)
        build = [*DECKS, "build", "-q", "-j", str(jobs)]
        figures["cold"], _ = timed(build, root, cold_runs, before=lambda: clean_outputs(root))
        figures["noop"], _ = timed(build, root, runs)
        notes = root / "papers" / names[0] / "notes.md"
        overview = root / "papers" / names[0] / "overview.md"

        def edit_one() -> None:
            for path in (notes, overview):
                path.write_text(path.read_text() + f"\n<!-- edit {time.perf_counter()} -->\n")

        # The edited paper's build and the same paper built alone (--force, one job), taken in turn: the
        # target compares the two, and figures taken minutes apart differ by this machine's drift.
        single = [*DECKS, "build", "-q", "--force", "-j", "1", names[0]]
        edits, singles = [], []
        for _ in range(runs):
            edits.append(timed(build, root, 1, before=edit_one)[0])
            singles.append(timed(single, root, 1)[0])
        figures["edit_one"], figures["single_paper_here"] = statistics.median(edits), statistics.median(singles)
        figures["per_paper"] = figures["cold"] / len(names)
        if copies > 1 and shutil.which("pandoc"):
            figures["pandoc_library"], _ = timed(pandoc_library(root, names, jobs), root, cold_runs)
        if copies == 1:
            figures.update(measure_one_paper(root, names[0], runs))
    return figures


def measure_one_paper(root: Path, name: str, runs: int) -> dict[str, float]:
    """One paper's deck and handout beside their floors and peers, run in turn so machine drift hits all alike."""
    force = [*DECKS, "build", "-q", "--force", "-j", "1", name]
    figures: dict[str, float] = {}
    figures["single_paper"], rss = timed(force, root, runs)  # first: the peak is of our processes only
    figures["peak_rss_mib"] = rss / 1024
    html = root / "build" / "html" / f"{name}-handout.html"
    peers = peer_commands(root / "papers" / name, root / "peers")
    # Sub-second commands drift with this machine's noise as much as they differ: the deck, its floor
    # and the peers' decks are run back to back, QUICK_ROUNDS times as often as the rest, so their
    # ratios are not one unlucky run's; the handouts likewise among themselves.
    figures.update(interleaved({
        "deck_only": ([*force, "--only", "deck"], root),
        "bare_deck": ([sys.executable, "-c", BARE_DECK], root),
        **{key: command for key, command in peers.items() if key.endswith("_deck")},
    }, runs * QUICK_ROUNDS))
    figures.update(interleaved({
        "handout_only": ([*force, "--only", "handout"], root),
        "weasyprint_alone": ([sys.executable, "-c", f"import weasyprint; weasyprint.HTML({str(html)!r}).write_pdf()"],
                             root),
        **{key: command for key, command in peers.items() if key.endswith("_handout")},
    }, runs))
    # The first build of a paper never seen: nothing in build/cache (Markdown, formulas, fonts, plans).
    figures["deck_nothing_cached"], _ = timed([*force, "--only", "deck"], root, runs,
                                              before=lambda: shutil.rmtree(root / "build", ignore_errors=True))
    return figures


def interleaved(cases: dict[str, tuple[list[str], Path]], runs: int) -> dict[str, float]:
    """Median wall seconds of each command, run one after the other ``runs`` times round."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (command, cwd) in cases.items():
            times[name].append(timed(command, cwd, 1)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def pandoc_library(root: Path, names: list[str], jobs: int) -> list[str]:
    """pandoc doing the same work as a cold build: every paper's deck and handout, ``jobs`` at a time."""
    out = root / "pandoc-out"
    out.mkdir(exist_ok=True)
    one_paper = (  # a deck pandoc cannot make (a web image) does not stop its handout, as ours does not
        f'cd "papers/$1" || exit 1; pandoc overview.md -o "{out}/$1.pptx"; deck=$?; '
        f'pandoc notes.md -s --mathml -o "{out}/$1.html" && '
        f'{sys.executable} -c "import weasyprint, sys; weasyprint.HTML(sys.argv[1]).write_pdf(sys.argv[2])" '
        f'"{out}/$1.html" "{out}/$1.pdf"; handout=$?; exit $(( deck || handout ))'
    )
    papers = " ".join(names)
    return ["bash", "-c", f"printf '%s\\n' {papers} | xargs -P {jobs} -I{{}} bash -c '{one_paper}' _ {{}}"]


BARE_DECK = (  # the floor of our stack: python-pptx making 14 slides of a title and two bullets
    "from pptx import Presentation\nfrom pptx.util import Inches\np = Presentation()\n"
    "p.slide_width, p.slide_height = Inches(13.333), Inches(7.5)\n"
    "for i in range(14):\n    s = p.slides.add_slide(p.slide_layouts[1])\n"
    "    s.shapes.title.text = f'Slide {i}'\n    s.placeholders[1].text = 'A bullet\\nAnother'\n"
    "import io; p.save(io.BytesIO())\n"
)


def measure_floors(runs: int) -> dict[str, float]:
    cwd = Path(tempfile.gettempdir())
    return {
        "import_pptx": timed([sys.executable, "-c", "import pptx"], cwd, runs)[0],
        "import_weasyprint": timed([sys.executable, "-c", "import weasyprint"], cwd, runs)[0],
    }


def peer_commands(paper: Path, out: Path) -> dict[str, tuple[list[str], Path]]:
    """pandoc and marp-cli on the same overview and notes, when installed; what they write goes to ``out``."""
    commands: dict[str, tuple[list[str], Path]] = {}
    out.mkdir(exist_ok=True)
    if shutil.which("pandoc"):
        commands["pandoc_deck"] = (["pandoc", "overview.md", "-o", str(out / "p.pptx")], paper)
        to_pdf = (
            f"pandoc notes.md -s --mathml -o {out}/n.html && "
            f"{sys.executable} -c \"import weasyprint; weasyprint.HTML('{out}/n.html').write_pdf('{out}/n.pdf')\""
        )
        commands["pandoc_handout"] = (["bash", "-c", to_pdf], paper)
    if shutil.which("marp"):
        if shutil.which("chromium"):  # marp-cli renders through a browser; Debian's chromium will do
            os.environ.setdefault("CHROME_PATH", shutil.which("chromium"))
        commands["marp_deck"] = (["marp", "overview.md", "--pptx", "-o", str(out / "m.pptx")], paper)
    return commands


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "n/a (peer not installed)"


def versions() -> str:
    """The versions of what was measured: decks' own libraries and the peers found."""
    from importlib import metadata

    found = [f"{name} {metadata.version(name)}" for name in ("decks", "python-pptx", "weasyprint")]
    for command in (["pandoc", "--version"], ["marp", "--version"]):
        if shutil.which(command[0]):
            first = subprocess.run(command, capture_output=True, text=True, check=False).stdout.splitlines()
            found.append(first[0] if first else command[0])
    return ", ".join(found)


def report(floors: dict[str, float], libraries: dict[int, dict[str, float]], jobs: int,
           sources: list[Path]) -> str:
    one = libraries.get(1, {})
    shown = "the repository's papers" if sources[0].parent == REPO / "papers" else str(sources[0].parent)
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.platform()}; medians of whole processes ({LARGE}-paper libraries: one cold build each); "
        f"{jobs} jobs. Written by `make bench`.",
        "",
        f"Versions: {versions()}.",
        "",
        f"Papers: {len(sources)} distinct, from {shown}, taken in turn (the first for the one-paper cases).",
        "",
        "| case | seconds |",
        "|---|--:|",
    ]
    lines += [f"| floor: {key} | {value:.2f} |" for key, value in floors.items()]
    for copies, figures in libraries.items():
        lines += [f"| {copies} papers: {key} | {value:.2f} |" for key, value in figures.items()]
    lines += [
        "",
        "## Targets",
        "",
        "| target | ratio |",
        "|---|--:|",
        f"| deck alone / bare python-pptx deck (≤ 1.5) | {ratio(one.get('deck_only'), one.get('bare_deck'))} |",
        f"| marp-cli / deck alone (≥ 10) | {ratio(one.get('marp_deck'), one.get('deck_only'))} |",
        f"| marp-cli / deck alone with nothing cached, a paper's first build (no target) | "
        f"{ratio(one.get('marp_deck'), one.get('deck_nothing_cached'))} |",
        f"| handout / WeasyPrint alone on the same HTML (≤ 1.1) | {ratio(one.get('handout_only'), one.get('weasyprint_alone'))} |",
        f"| handout / pandoc → WeasyPrint (< 1) | {ratio(one.get('handout_only'), one.get('pandoc_handout'))} |",
    ]
    if 100 in libraries:
        big = libraries[100]
        lines.append(f"| no-op build, 100 papers (< 0.3 s) | {big['noop']:.2f} s |")
        lines.append(f"| one edit in 100 / single-paper build, in turn (≤ 1.2) | "
                     f"{ratio(big['edit_one'], big['single_paper_here'])} |")
        if 20 in libraries:
            lines.append(f"| per-paper cost 100 / 20 (flat ≈ 1) | {ratio(big['per_paper'], libraries[20]['per_paper'])} |")
    if 20 in libraries:
        twenty = libraries[20]
        lines.append(f"| 20 papers cold / pandoc, same work, {jobs} jobs (≤ 0.6) | "
                     f"{ratio(twenty['cold'], twenty.get('pandoc_library'))} |")
    if "peak_rss_mib" in one:
        lines.append(f"| peak memory per worker (< 300 MiB) | {one['peak_rss_mib']:.0f} MiB |")
    if FAILED:
        lines += ["", "Commands that failed (timed all the same; they may have done less work):", ""]
        lines += [f"- exit {status}: `{command}`" for command, status in FAILED.items()]
    return "\n".join(lines) + "\n"


HISTORY = "\n## Before and after"


def _history() -> str:
    """The hand-written section of results.md that records what each change gained: kept across runs."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    return text[text.index(HISTORY):] if HISTORY in text else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 20, 100])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--papers", type=Path, default=REPO / "papers",
                        help="a folder of paper folders to build the libraries from (default: this repository's)")
    args = parser.parse_args()
    sources = source_papers(args.papers)
    if not sources:
        parser.error(f"{args.papers}: no paper folder with both overview.md and notes.md")
    floors = measure_floors(args.runs)
    libraries = {}
    for copies in sorted(set(args.sizes) | {1}):
        print(f"measuring a library of {copies} ...", flush=True)
        libraries[copies] = measure_library(copies, args.runs, args.jobs, sources)
    RESULTS.write_text(report(floors, libraries, args.jobs, sources) + _history(), encoding="utf-8")
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
