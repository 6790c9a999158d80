"""The decks command: check, new, list, watch, and its messages."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from decks.cli import main


def run(root: Path, *args: str) -> int:
    return main(["-C", str(root), *args])


def test_check_passes_a_clean_paper_and_writes_nothing(repo, capsys):
    assert run(repo, "check") == 0
    assert "checked 1 papers, 0 findings" in capsys.readouterr().err
    assert not (repo / "papers" / "tiny-paper" / "docs").exists()


def test_check_reports_planted_problems_with_file_and_line(repo, capsys):
    paper = repo / "papers" / "planted"
    paper.mkdir()
    (paper / "overview.md").write_text(
        "# Planted\n\n## Slide\n\nSee [the notes](nothing.md) and [above](#nowhere).\n\n"
        "#### Too deep\n\n![chart](figures/gone.png)\n\n$$\\frac{a$$\n\n[odd](http://[)\n",
        encoding="utf-8",
    )
    (paper / "notes.md").write_text("---\ntitle: [oops\n---\n# Notes\n", encoding="utf-8")
    assert run(repo, "check", "planted") == 1
    out = capsys.readouterr().out
    assert "papers/planted/overview.md:5: warning: link 'nothing.md': no such file" in out
    assert "papers/planted/overview.md:5: warning: link to '#nowhere': no heading has that anchor" in out
    assert "papers/planted/overview.md:7: warning: a level-4 heading has no place in a deck" in out
    assert "papers/planted/overview.md:9: warning: image 'figures/gone.png' not found" in out
    assert "papers/planted/overview.md:11:" in out  # the equation that cannot be typeset
    assert "papers/planted/notes.md:2: error: front matter is not valid YAML" in out


def test_new_creates_a_paper_from_templates_and_lists_it_in_the_readme(repo, capsys):
    (repo / "README.md").write_text("# Group\n\n## Papers studied\n\n| Paper | Year |\n|---|---|\n| [A](papers/a/) | 2017 |\n\n## Goals\n")
    assert run(repo, "new", "Deep Residual Learning", "--authors", "Kaiming He", "--year", "2015") == 0
    folder = repo / "papers" / "deep-residual-learning"
    assert {p.name for p in folder.iterdir()} == {"overview.md", "notes.md", "docs", "figures"}
    readme = (repo / "README.md").read_text()
    assert "| [A](papers/a/) | 2017 |\n| [Deep Residual Learning](papers/deep-residual-learning/) | 2015 |" in readme
    assert readme.endswith("## Goals\n")
    assert run(repo, "check", "deep-residual-learning") == 0, capsys.readouterr().out


def test_new_refuses_to_overwrite_an_existing_paper(repo, capsys):
    assert run(repo, "new", "Tiny Paper") == 1
    assert "papers/tiny-paper already exists" in capsys.readouterr().err
    assert (repo / "papers" / "tiny-paper" / "overview.md").read_text().startswith("---\ntitle: A Tiny Paper")


def test_list_shows_each_paper_and_whether_its_outputs_are_up_to_date(built_repo, capsys):
    assert run(built_repo, "list") == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("tiny-paper"))
    assert line.split()[1:] == ["overview.md", "notes.md", "up", "to", "date", "up", "to", "date"]


def test_an_unknown_theme_lists_the_available_ones(repo, capsys):
    assert run(repo, "build", "--theme", "darkk") == 1
    assert "unknown theme 'darkk'; available: " in capsys.readouterr().err


def test_watch_rebuilds_on_save_and_stops_cleanly_on_ctrl_c(built_repo):
    command = [sys.executable, "-m", "decks", "-C", str(built_repo), "watch", "--only", "deck"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = [process.stdout.readline() for _ in range(2)]  # "watching ..." and the first round
    assert "rebuilt nothing" in lines[1], lines
    overview = built_repo / "papers" / "tiny-paper" / "overview.md"
    time.sleep(0.5)
    overview.write_text(overview.read_text() + "\n## Added\n\n- a new slide\n")
    changed = process.stdout.readline()
    process.send_signal(signal.SIGINT)
    try:
        rest = process.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:  # never leave it running into the next test: say what it printed
        process.kill()
        raise AssertionError(f"still watching 30 s after Ctrl-C; it printed {changed!r}, then "
                             f"{process.communicate()[0]!r}") from None
    assert "papers/tiny-paper/overview.md changed: rebuilt papers/tiny-paper/docs/tiny-paper.pptx" in changed
    assert "stopped watching" in rest and process.returncode == 0


def test_in_a_watch_the_first_ctrl_c_asks_it_to_stop_and_the_second_interrupts():
    from decks.watching import _stopped_by_ctrl_c

    before = signal.getsignal(signal.SIGINT)
    with _stopped_by_ctrl_c() as stop:
        signal.raise_signal(signal.SIGINT)
        assert stop.is_set()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


def test_the_first_line_counts_outputs_to_build_up_to_date_and_without_a_source(built_repo, capsys):
    (built_repo / "papers" / "tiny-paper" / "notes.md").write_text("# Tiny\n\nEdited.\n", encoding="utf-8")
    (built_repo / "papers" / "notes-only").mkdir()
    (built_repo / "papers" / "notes-only" / "notes.md").write_text("# Only notes\n\nText.\n", encoding="utf-8")
    assert run(built_repo, "build", "-j", "1") == 1  # the missing overview is an error
    first = capsys.readouterr().err.splitlines()[0]
    assert first == "building 2 of 4 outputs (1 up to date, 1 without a source)"


def test_watch_takes_allow_remote_as_build_does(capsys):
    for command in ("build", "watch"):
        try:
            main([command, "--help"])
        except SystemExit:
            pass
        assert "--allow-remote" in capsys.readouterr().out


def test_the_summary_and_the_list_keep_their_columns_under_their_headings_for_a_short_name(repo, capsys):
    def column(output: str, heading: str, cell: str) -> tuple[int, int]:
        lines = output.splitlines()
        head = next(line for line in lines if line.startswith("paper "))
        row = next(line for line in lines if line.startswith("a "))
        return head.index(heading), row.index(cell)

    (repo / "papers" / "tiny-paper").rename(repo / "papers" / "a")
    assert run(repo, "build", "-j", "1", "--only", "deck") == 0
    summary = capsys.readouterr().err
    assert run(repo, "list") == 0
    listing = capsys.readouterr().out
    heading_at, cell_at = column(summary, "deck", "built")
    assert heading_at == cell_at
    heading_at, cell_at = column(listing, "sources", "overview.md")
    assert heading_at == cell_at


def test_a_deck_and_a_handout_failing_for_one_reason_show_it_once(repo, capsys):
    overview = repo / "papers" / "tiny-paper" / "overview.md"
    overview.write_text(overview.read_text(encoding="utf-8").replace("year: 1843", "year: 1843\ntheme: nosuch"),
                        encoding="utf-8")
    assert run(repo, "build", "-j", "1") == 1
    err = capsys.readouterr().err
    assert err.count("front matter 'theme': unknown theme 'nosuch'") == 1
    assert "0 built, 0 up to date, 0 warnings, 2 failed" in err


def test_decks_watch_shows_a_problem_again_at_each_build_that_has_it():
    import io

    from decks.build import Outcome
    from decks.cli import ConsoleReporter

    stream = io.StringIO()
    reporter = ConsoleReporter(stream)
    failed = Outcome("p", "deck", "papers/p/docs/p.pptx", "failed", error="papers/p/overview.md:1: broken")
    for _ in range(2):  # two builds of one watch
        reporter.starting(1, 0, 1)
        reporter.finished(failed)
    assert stream.getvalue().count("error: papers/p/overview.md:1: broken") == 2
