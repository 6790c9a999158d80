"""The repository: its root, its settings and its papers."""

from pathlib import Path

import pytest

from decks.errors import DecksError
from decks.project import Config, find_root, load_project


def make_repo(root: Path, papers: dict[str, list[str]]) -> Path:
    for name, files in papers.items():
        folder = root / "papers" / name
        folder.mkdir(parents=True)
        for file in files:
            (folder / file).write_text("# T\n", encoding="utf-8")
    return root


def test_papers_are_the_folders_with_an_overview_or_notes_sorted_by_name(tmp_path):
    make_repo(tmp_path, {"b-paper": ["notes.md"], "a-paper": ["overview.md"], "empty": []})
    assert [p.name for p in load_project(tmp_path).papers()] == ["a-paper", "b-paper"]


def test_outputs_have_stable_names_derived_from_the_folder(tmp_path):
    make_repo(tmp_path, {"my paper (2017)": ["overview.md"]})
    paper = load_project(tmp_path).papers()[0]
    assert paper.deck.name == "my paper (2017).pptx"
    assert paper.handout.name == "my paper (2017)-handout.pdf"
    assert paper.deck.parent == paper.folder / "docs"


def test_the_root_is_found_from_a_folder_inside_it(tmp_path):
    make_repo(tmp_path, {"x": ["overview.md"]})
    assert find_root(tmp_path / "papers" / "x") == tmp_path.resolve()


def test_outside_a_repository_the_error_says_what_to_do(tmp_path):
    with pytest.raises(DecksError, match="no papers/ folder"):
        find_root(tmp_path)


def test_settings_come_from_tool_decks_in_pyproject(tmp_path):
    make_repo(tmp_path, {})
    (tmp_path / "papers").mkdir(exist_ok=True)
    (tmp_path / "pyproject.toml").write_text('[tool.decks]\ngroup = "Readers"\ntheme = "dark"\n')
    assert load_project(tmp_path).config == Config(group="Readers", theme="dark")


def test_decks_toml_wins_over_pyproject(tmp_path):
    (tmp_path / "papers").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.decks]\ngroup = "A"\n')
    (tmp_path / "decks.toml").write_text('group = "B"\n')
    assert load_project(tmp_path).config.group == "B"


def test_an_unknown_setting_is_named_with_the_known_ones(tmp_path):
    (tmp_path / "papers").mkdir()
    (tmp_path / "decks.toml").write_text('teme = "dark"\n')
    with pytest.raises(DecksError, match="unknown setting 'teme'; known: group, theme"):
        load_project(tmp_path)


def test_selecting_an_unknown_paper_lists_the_papers(tmp_path):
    make_repo(tmp_path, {"a": ["overview.md"]})
    with pytest.raises(DecksError, match="no paper named 'b' in papers/; papers: a"):
        load_project(tmp_path).select(["b"])
