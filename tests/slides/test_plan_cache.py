"""Kept deck plans: a rebuild takes the fitted plan from build/cache, and anything it was made from invalidates it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image
from pptx import Presentation

from decks.cli import main
from decks.slides import plan_cache

PAPER = "papers/tiny-paper"
DECK = f"{PAPER}/docs/tiny-paper.pptx"
REBUILD_DECK_AND_SAY_WHAT_WAS_LOADED = (
    "import json, sys; from decks.cli import main;"
    "code = main(['-C', sys.argv[1], 'build', '-q', '-j', '1', '--force', '--only', 'deck']);"
    "planner = ('decks.slides.plan', 'decks.equations', 'fontTools', 'pptx');"
    "print(json.dumps([code, sorted(m for m in planner if m in sys.modules)]))"
)


def rebuild_deck(root: Path) -> int:
    return main(["-C", str(root), "build", "-q", "-j", "1", "--force", "--only", "deck"])


def picture_size(root: Path) -> tuple[int, int]:
    deck = Presentation(str(root / DECK))
    picture = next(shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13)
    return picture.width, picture.height


def test_a_deck_rebuilt_from_its_kept_plan_is_the_same_and_never_loads_the_planner_or_python_pptx(built_repo):
    before = (built_repo / DECK).read_bytes()
    run = subprocess.run([sys.executable, "-c", REBUILD_DECK_AND_SAY_WHAT_WAS_LOADED, str(built_repo)],
                         capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == [0, []]
    assert (built_repo / DECK).read_bytes() == before


def test_a_picture_changed_under_the_same_name_is_measured_again(built_repo):
    wide, tall = picture_size(built_repo)
    Image.new("RGB", (48, 96), "red").save(built_repo / PAPER / "figures" / "dot.png")  # was 64 x 48
    assert rebuild_deck(built_repo) == 0
    width, height = picture_size(built_repo)
    assert width / height < 1 < wide / tall


def test_a_damaged_plan_or_picture_in_the_cache_is_planned_again(built_repo):
    before = (built_repo / DECK).read_bytes()
    kept = built_repo / "build" / "cache" / "plans"
    entries = list(kept.glob("??/*.json"))
    pictures = list((kept / "pictures").rglob("*.png"))
    assert entries and pictures
    for picture in pictures:
        picture.write_bytes(b"not the picture that was kept")
    assert rebuild_deck(built_repo) == 0
    assert (built_repo / DECK).read_bytes() == before
    for entry in kept.glob("??/*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert rebuild_deck(built_repo) == 0
    assert (built_repo / DECK).read_bytes() == before


def test_a_damaged_or_missing_skeleton_in_the_cache_is_made_again_and_gives_the_same_deck(built_repo):
    before = (built_repo / DECK).read_bytes()
    kept = built_repo / "build" / "cache" / "skeletons"
    entries = list(kept.glob("??/*.json"))
    assert len(entries) == 1
    entries[0].write_text('{"_": "skeleton", "parts": "not parts"}', encoding="utf-8")
    assert rebuild_deck(built_repo) == 0
    assert (built_repo / DECK).read_bytes() == before
    assert "not parts" not in entries[0].read_text(encoding="utf-8")
    shutil.rmtree(kept)
    assert rebuild_deck(built_repo) == 0
    assert (built_repo / DECK).read_bytes() == before
    assert list(kept.glob("??/*.json"))


def test_a_plan_is_trusted_only_while_the_font_files_it_was_measured_with_are_unchanged(tmp_path):
    font = tmp_path / "Body.ttf"
    font.write_bytes(b"glyphs")
    stat = font.stat()
    stored = {"fonts": {str(font): [stat.st_size, stat.st_mtime_ns]}, "blobs": {}}
    assert plan_cache._trusted(tmp_path, stored)
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not plan_cache._trusted(tmp_path, stored)
    font.unlink()
    assert not plan_cache._trusted(tmp_path, stored)


def test_a_picture_torn_in_the_cache_is_kept_again(built_repo):
    kept = built_repo / "build" / "cache" / "plans" / "pictures"
    sizes = {path: path.stat().st_size for path in kept.rglob("*.png")}
    for path in sizes:
        path.write_bytes(b"")
    assert rebuild_deck(built_repo) == 0
    assert {path: path.stat().st_size for path in sizes} == sizes


def test_a_picture_that_cannot_be_read_is_a_warning_not_a_failure(built_repo, capsys):
    picture = built_repo / PAPER / "figures" / "dot.png"
    picture.unlink()
    picture.mkdir()  # a folder where the picture was: reading it fails
    assert rebuild_deck(built_repo) == 0
    assert "image 'figures/dot.png'" in capsys.readouterr().err


def test_a_picture_saved_while_the_deck_is_planned_is_not_kept_under_the_old_key(built_repo, monkeypatch):
    shutil.rmtree(built_repo / "build" / "cache" / "plans")
    picture = built_repo / PAPER / "figures" / "dot.png"
    plan_now = plan_cache._plan_now

    def planned_while_the_picture_changes(*args):
        result = plan_now(*args)
        Image.new("RGB", (48, 96), "red").save(picture)
        return result

    monkeypatch.setattr(plan_cache, "_plan_now", planned_while_the_picture_changes)
    assert rebuild_deck(built_repo) == 0
    assert not list((built_repo / "build" / "cache" / "plans").glob("??/*.json"))


def test_a_deck_from_its_kept_plan_reports_the_same_warnings(built_repo, capsys):
    overview = built_repo / PAPER / "overview.md"
    overview.write_text(overview.read_text(encoding="utf-8") + "\n![gone](figures/gone.png)\n", encoding="utf-8")
    assert rebuild_deck(built_repo) == 0
    first = capsys.readouterr().err
    assert rebuild_deck(built_repo) == 0
    again = capsys.readouterr().err
    assert "image 'figures/gone.png' not found" in first
    assert [line for line in again.splitlines() if "warning" in line] == \
        [line for line in first.splitlines() if "warning" in line]
