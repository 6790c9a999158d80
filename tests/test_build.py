"""Building: incremental, atomic, deterministic, and careful with files decks did not write."""

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timezone
from pathlib import Path

from decks.cli import main
from decks.outputs import ownership

PAPER = "papers/tiny-paper"
DECK = f"{PAPER}/docs/tiny-paper.pptx"
HANDOUT = f"{PAPER}/docs/tiny-paper-handout.pdf"


def build(root: Path, *args: str) -> int:
    return main(["-C", str(root), "build", "-j", "1", *args])


def test_a_build_writes_a_deck_and_a_handout_into_the_papers_docs(built_repo):
    assert ownership(built_repo / DECK) == "ours"
    assert ownership(built_repo / HANDOUT) == "ours"
    assert (built_repo / "build" / "html" / "tiny-paper-handout.html").is_file()


def test_a_second_build_rebuilds_nothing(built_repo, capsys):
    files = (built_repo / DECK, built_repo / HANDOUT, built_repo / "build" / "state.json")
    before = {p: p.stat().st_mtime_ns for p in files}
    assert build(built_repo) == 0
    assert "0 built, 2 up to date" in capsys.readouterr().err
    assert before == {p: p.stat().st_mtime_ns for p in before}


def test_a_build_with_nothing_to_do_loads_neither_writer_nor_the_document_model_nor_a_process(built_repo):
    modules = ("weasyprint", "pptx", "decks.model", "markdown", "subprocess", "zipfile")
    code = (
        "import sys; from decks.cli import main\n"
        f"status = main(['-C', {str(built_repo)!r}, 'build', '-q', '-j', '1'])\n"
        f"print(status, sorted(m for m in {modules!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "[]"]


def test_changing_a_theme_file_rebuilds_the_outputs_that_use_it(built_repo, capsys):
    css = built_repo / "themes" / "default" / "handout.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert build(built_repo) == 0
    assert "2 built" in capsys.readouterr().err


def test_changing_an_image_rebuilds_the_outputs_that_show_it(built_repo, capsys):
    image = built_repo / PAPER / "figures" / "dot.png"
    image.write_bytes(image.read_bytes() + b"\0")
    assert build(built_repo) == 0
    assert "2 built" in capsys.readouterr().err


def test_two_builds_of_the_same_sources_give_identical_bytes(built_repo):
    first = {p: (built_repo / p).read_bytes() for p in (DECK, HANDOUT)}
    assert build(built_repo, "--force") == 0
    assert first == {p: (built_repo / p).read_bytes() for p in (DECK, HANDOUT)}


def test_a_file_decks_did_not_write_is_never_touched(repo, capsys):
    mine = repo / DECK
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"my own deck, made by hand")
    assert build(repo) == 1
    assert mine.read_bytes() == b"my own deck, made by hand"
    assert f"{DECK}: exists but was not written by decks" in capsys.readouterr().err
    assert ownership(repo / HANDOUT) == "ours"  # the other output is still built


def test_a_deck_edited_by_hand_is_kept_beside_the_new_one(built_repo, capsys):
    from pptx import Presentation

    deck = built_repo / DECK
    presentation = Presentation(str(deck))
    presentation.slides[0].shapes.title.text_frame.text = "Edited in PowerPoint"
    presentation.save(str(deck))
    edited = deck.read_bytes()
    assert build(built_repo) == 0
    backups = list(deck.parent.glob("tiny-paper.edited-*.pptx"))
    assert [b.read_bytes() for b in backups] == [edited]
    assert "was edited by hand since decks wrote it; your copy is kept as" in capsys.readouterr().err


def test_one_broken_paper_does_not_stop_the_others(repo, capsys):
    broken = repo / "papers" / "broken"
    broken.mkdir()
    (broken / "overview.md").write_text("---\ntitle: [unclosed\n---\n# Broken\n")
    (broken / "notes.md").write_bytes(b"# Caf\xe9\n")
    assert build(repo) == 1
    err = capsys.readouterr().err
    assert "papers/broken/overview.md:2:" in err
    assert "papers/broken/notes.md:1: is not UTF-8 (byte 0xE9); save the file as UTF-8" in err
    assert "Traceback" not in err
    assert ownership(repo / DECK) == "ours" and ownership(repo / HANDOUT) == "ours"


def test_the_longest_handouts_start_first_then_the_decks_longest_first(repo, capsys):
    import shutil

    notes, overview = (repo / PAPER / "notes.md").read_text(), (repo / PAPER / "overview.md").read_text()
    for name, notes_copies, overview_copies in (("alpha", 1, 2), ("beta", 6, 1), ("gamma", 3, 1)):
        shutil.copytree(repo / PAPER, repo / "papers" / name)
        (repo / "papers" / name / "notes.md").write_text("\n\n".join([notes] * notes_copies))
        (repo / "papers" / name / "overview.md").write_text("\n\n".join([overview] * overview_copies))
    assert build(repo, "-v", "alpha", "beta", "gamma") == 0  # one worker: built in the order started
    built = re.findall(r"^\[\d/6\] built papers/\w+/docs/(\S+)", capsys.readouterr().err, flags=re.MULTILINE)
    assert built == [
        "beta-handout.pdf", "gamma-handout.pdf", "alpha-handout.pdf", "alpha.pptx", "beta.pptx", "gamma.pptx",
    ]


def test_a_missing_notes_file_fails_only_the_handout(repo, capsys):
    (repo / PAPER / "notes.md").unlink()
    assert build(repo) == 1
    assert "papers/tiny-paper/notes.md: missing; create it to get a handout (the deck is built anyway)" in (
        capsys.readouterr().err
    )
    assert ownership(repo / DECK) == "ours"


def test_clean_removes_generated_outputs_and_build_but_not_hand_made_files(built_repo):
    scan = built_repo / PAPER / "docs" / "whiteboard-scan.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    assert main(["-C", str(built_repo), "clean"]) == 0
    assert not (built_repo / DECK).exists() and not (built_repo / HANDOUT).exists()
    assert not (built_repo / "build").exists()
    assert scan.read_bytes() == b"%PDF-1.4 scan"


def killed_while_writing(root: Path, paper: str) -> Path | None:
    """Run a forced build of ``paper``'s deck and kill it the moment its temporary file appears; that file.

    None when the build finished between two looks (the window is a fraction of a second).
    """
    docs = root / "papers" / paper / "docs"
    command = [sys.executable, "-m", "decks", "-C", str(root), "build", "--force", "-j", "1", "-q", "--only", "deck", paper]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    temp = None
    while temp is None and process.poll() is None and time.monotonic() < deadline:
        temp = next(docs.glob(".*.decks-tmp.*"), None) if docs.is_dir() else None
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return temp


def test_a_build_killed_while_writing_loses_nothing_and_the_next_build_cleans_up(repo):
    from random import Random

    from PIL import Image

    paper = repo / "papers" / "noise"  # a picture that does not compress: writing the deck takes a while
    (paper / "figures").mkdir(parents=True)
    noise = Random(5).randbytes(1500 * 1500 * 3)
    Image.frombytes("RGB", (1500, 1500), noise).save(paper / "figures" / "noise.png")
    (paper / "overview.md").write_text("# Noise\n\n## A picture\n\n![noise](figures/noise.png)\n")
    deck = paper / "docs" / "noise.pptx"
    assert build(repo, "--only", "deck", "noise") == 0
    before = deck.read_bytes()
    temp = next(filter(None, (killed_while_writing(repo, "noise") for _ in range(3))), None)
    assert temp is not None and temp.exists(), "the kill should land while the deck is being written"
    assert deck.read_bytes() == before  # the old deck stays whole until the new one is complete
    assert build(repo, "--only", "deck", "noise") == 0
    assert not temp.exists() and ownership(deck) == "ours"


def test_two_builds_at_once_both_succeed_one_after_the_other(repo):
    command = [sys.executable, "-m", "decks", "-C", str(repo), "build", "-j", "1", "-q"]
    processes = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate()[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    assert ownership(repo / DECK) == "ours" and ownership(repo / HANDOUT) == "ours"


def test_python_dash_m_decks_shows_the_commands():
    result = subprocess.run([sys.executable, "-m", "decks", "--help"], capture_output=True, text=True, check=True)
    for command in ("build", "list", "clean", "new", "watch"):
        assert command in result.stdout


def test_a_timestamp_from_source_date_epoch_is_used(repo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(repo, "--only", "deck") == 0
    assert deck_date(repo) == 1700000000


def deck_date(repo: Path) -> float:
    from pptx import Presentation

    return Presentation(str(repo / DECK)).core_properties.created.replace(tzinfo=timezone.utc).timestamp()


def test_outputs_are_dated_by_their_sources_last_commit(repo, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    git = ["git", "-c", "user.name=Group", "-c", "user.email=group@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "papers"], cwd=repo, check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": "1700000000 +0000"})
    assert build(repo, "--only", "deck") == 0
    assert deck_date(repo) == 1700000000


def test_outside_a_git_repository_outputs_carry_the_earliest_zip_date(repo, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert not any((folder / ".git").exists() for folder in (repo, *repo.parents))
    assert build(repo, "--only", "deck") == 0
    assert deck_date(repo) == 315532800  # 1980-01-01: the timestamp 0, as a zip entry can carry it


def test_pdf_slides_writes_the_deck_as_a_pdf_with_one_page_per_slide_and_stable_bytes(built_repo):
    import pypdf
    from pptx import Presentation

    slides_pdf = built_repo / PAPER / "docs" / "tiny-paper-slides.pdf"
    assert build(built_repo, "--pdf-slides") == 0
    first = slides_pdf.read_bytes()
    assert len(pypdf.PdfReader(slides_pdf).pages) == len(Presentation(str(built_repo / DECK)).slides)
    assert build(built_repo, "--pdf-slides", "--force") == 0
    assert slides_pdf.read_bytes() == first


def test_pdf_slides_without_libreoffice_says_how_to_install_it(repo, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(repo))  # a PATH with no soffice on it
    assert build(repo, "--pdf-slides") == 1
    err = capsys.readouterr().err
    assert "--pdf-slides needs LibreOffice" in err and "apt-get install libreoffice-impress" in err
    assert ownership(repo / DECK) == "ours"  # the deck itself is still built
