"""Ownership of outputs: decks replaces only what it wrote, keeps hand edits, leaves foreign files alone."""

import io
import zipfile
from pathlib import Path

import pytest

from decks.errors import OutputConflict
from decks.outputs import install, ownership, remove_if_ours, remove_stray_temps, stamp, temp_path


def fake_pptx(path: Path, text: str = "hello", *, provenance: bool = True) -> Path:
    """A deck as the deck writer leaves it (fixed dates, decks named in its core properties), or anyone's."""
    buffer = io.BytesIO()
    identifier = "<dc:identifier>decks</dc:identifier>" if provenance else ""
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in (("[Content_Types].xml", "<Types/>"), ("ppt/slides/slide1.xml", text),
                              ("docProps/core.xml", '<cp:coreProperties xmlns:cp="c" xmlns:dc="d">'
                                                    f"<dc:title>T</dc:title>{identifier}</cp:coreProperties>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), content)
    path.write_bytes(buffer.getvalue())
    return path


def fake_pdf(path: Path, text: str = "hello") -> Path:
    path.write_bytes(b"%PDF-1.7\n" + text.encode() + b"\n%%EOF\n")
    return path


def written_by_decks(path: Path, maker=fake_pptx, text: str = "hello") -> Path:
    temp = temp_path(path)
    maker(temp, text)
    stamp(temp)
    install(temp, path, path.name)
    return path


@pytest.mark.parametrize("maker", [fake_pptx, fake_pdf])
def test_a_stamped_output_is_recognised_as_ours(tmp_path, maker):
    assert ownership(written_by_decks(tmp_path / f"x.{maker.__name__[5:]}", maker)) == "ours"


def test_stamping_is_deterministic(tmp_path):
    first = written_by_decks(tmp_path / "a.pptx").read_bytes()
    second = written_by_decks(tmp_path / "b.pptx").read_bytes()
    assert first == second


def test_a_file_decks_did_not_write_is_never_replaced(tmp_path):
    mine = fake_pptx(tmp_path / "x.pptx", "my own slides", provenance=False)
    before = mine.read_bytes()
    temp = fake_pptx(temp_path(mine), "generated")
    stamp(temp)
    with pytest.raises(OutputConflict, match="not written by decks"):
        install(temp, mine, "docs/x.pptx")
    assert mine.read_bytes() == before
    assert not temp.exists()


def test_a_hand_edited_deck_is_kept_as_a_backup_beside_the_new_one(tmp_path):
    deck = written_by_decks(tmp_path / "x.pptx")
    edited = io.BytesIO()
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(edited, "w") as target:
        for name in source.namelist():  # what PowerPoint does: rewrites the package, keeps core properties
            data = source.read(name)
            target.writestr(name, b"edited" if name.startswith("ppt/") else data)
    deck.write_bytes(edited.getvalue())
    assert ownership(deck) == "edited"

    temp = fake_pptx(temp_path(deck), "regenerated")
    stamp(temp)
    diagnostics = install(temp, deck, "docs/x.pptx")

    backups = list(tmp_path.glob("x.edited-*.pptx"))
    assert len(backups) == 1 and backups[0].read_bytes() == edited.getvalue()
    assert ownership(deck) == "ours"
    assert "your copy is kept as x.edited-" in diagnostics[0].message


def test_clean_removes_only_unedited_outputs(tmp_path):
    ours = written_by_decks(tmp_path / "a.pdf", fake_pdf)
    foreign = fake_pdf(tmp_path / "b.pdf")
    assert remove_if_ours(ours) and not ours.exists()
    assert not remove_if_ours(foreign) and foreign.exists()


def test_stray_temporary_files_of_an_interrupted_build_are_removed(tmp_path):
    stray = fake_pdf(temp_path(tmp_path / "x.pdf"))
    other = fake_pdf(tmp_path / ".hidden.pdf")
    remove_stray_temps(tmp_path)
    assert not stray.exists() and other.exists()
