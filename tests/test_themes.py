"""Themes: a folder with theme.toml, resolved along its `extends` chain and validated."""

from pathlib import Path

import pytest

from decks.errors import ThemeError
from decks.themes import available_themes, load_theme

REPO_THEMES = Path(__file__).parents[1] / "themes"


def make_theme(themes: Path, name: str, toml: str) -> Path:
    folder = themes / name
    folder.mkdir(parents=True)
    (folder / "theme.toml").write_text(toml, encoding="utf-8")
    return folder


@pytest.fixture
def themes(tmp_path: Path) -> Path:
    target = tmp_path / "themes"
    make_theme(target, "default", (REPO_THEMES / "default" / "theme.toml").read_text(encoding="utf-8"))
    return target


def test_the_default_theme_loads_with_its_colours_and_sizes():
    theme = load_theme("default", REPO_THEMES)
    assert theme.colour("background") == "FFFFFF"
    assert theme.section("deck")["body_size"] > theme.section("deck")["min_body_size"]


def test_a_theme_that_extends_the_default_overrides_only_what_it_sets(themes):
    make_theme(themes, "mine", 'extends = "default"\n[colors]\naccent = "#FF0000"\n')
    theme = load_theme("mine", themes)
    assert theme.colour("accent") == "FF0000"
    assert theme.colour("text") == load_theme("default", themes).colour("text")


def test_files_are_found_along_the_chain_theme_first(themes):
    (themes / "default" / "handout.css").write_text("/* default */")
    child = make_theme(themes, "mine", 'extends = "default"\n')
    assert load_theme("mine", themes).find("handout.css") == themes / "default" / "handout.css"
    (child / "handout.css").write_text("/* mine */")
    assert load_theme("mine", themes).find("handout.css") == child / "handout.css"


def test_an_unknown_theme_lists_the_available_ones(themes):
    make_theme(themes, "dark", 'extends = "default"\n')
    with pytest.raises(ThemeError, match="unknown theme 'darkk'; available: dark, default"):
        load_theme("darkk", themes)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[colors]\nbakground = "#000000"\n', "unknown key 'colors.bakground'"),
        ('[colors]\naccent = "red"\n', "'colors.accent' must be a colour like"),
        ("[deck]\nbody_size = -3\n", "'deck.body_size' must be a positive number"),
        ('[handout]\npage_size = "A5"\n', "'handout.page_size' must be one of A4, Letter"),
        ("[colors\n", "invalid TOML"),
    ],
)
def test_invalid_theme_values_are_named_with_the_file(themes, toml, message):
    make_theme(themes, "broken", 'extends = "default"\n' + toml)
    with pytest.raises(ThemeError, match=message) as caught:
        load_theme("broken", themes)
    assert caught.value.path.endswith("broken/theme.toml")


def test_a_theme_that_extends_itself_is_refused(themes):
    make_theme(themes, "a", 'extends = "b"\n')
    make_theme(themes, "b", 'extends = "a"\n')
    with pytest.raises(ThemeError, match="extends itself in a loop"):
        load_theme("a", themes)


def test_available_themes_are_the_folders_with_a_theme_toml(themes):
    (themes / "not-a-theme").mkdir()
    assert available_themes(themes) == ["default"]
