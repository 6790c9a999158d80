"""The theme's :root values written into its stylesheets: the same styles, without a var() to resolve per element."""

from __future__ import annotations

from pathlib import Path

import pytest
from handout_helpers import TIMESTAMP, make_repo, rich_document

from decks.handout import pdf
from decks.handout.html import root_properties
from decks.themes import load_theme

VALUES = {"text": "#222222", "text-rgb": "34, 34, 34", "body-size": "10.5pt"}


def test_a_property_set_only_on_root_is_written_where_a_stylesheet_reads_it():
    from decks.handout.theme_values import with_values

    css = "p { color: var(--text); font: var( --body-size ) serif; background: rgba(var(--text-rgb), 0.1) }"
    assert with_values(css, VALUES, [css]) == "p { color: #222222; font: 10.5pt serif; background: rgba(34, 34, 34, 0.1) }"


def test_a_property_a_stylesheet_sets_a_var_with_a_fallback_and_an_unknown_one_stay_vars():
    from decks.handout.theme_values import with_values

    css = "p { color: var(--text); margin: var(--body-size, 1em); padding: var(--indent) }"
    child = ".alert { --text: red; }"  # set anywhere in the theme's stylesheets: it varies by element
    assert with_values(css, VALUES, [css, child]) == css


def test_the_page_sets_on_root_the_values_written_into_the_stylesheet(repo):
    from decks.handout.html import render_document
    from handout_helpers import document, para

    html, _ = render_document(document(para("Short.")), load_theme("dark", repo / "themes"), group="G",
                              base_dir=repo, repo_root=repo)
    for name, value in root_properties(load_theme("dark", repo / "themes")).items():
        assert f"  --{name}: {value};\n" in html


@pytest.mark.parametrize("theme_name", ["default", "dark"])  # dark @imports the default's stylesheet
def test_the_handout_is_the_same_whether_weasyprint_reads_the_values_or_finds_them_written(
    theme_name, tmp_path: Path, monkeypatch
):
    from decks.handout import theme_values

    repo = make_repo(tmp_path / "repo")
    theme = load_theme(theme_name, repo / "themes")

    def built(name: str) -> bytes:
        pdf._parsed.cache_clear()
        out = repo / "build" / f"{name}.pdf"
        out.parent.mkdir(exist_ok=True)
        pdf.write_handout(rich_document(), theme, out, repo_root=repo, html_out=out.with_suffix(".html"),
                          group="Paper Trail Reading Group", allow_remote=False, timestamp=TIMESTAMP)
        return out.read_bytes()

    seen: list[str] = []
    write = theme_values.with_values
    monkeypatch.setattr(theme_values, "with_values", lambda css, *rest: seen.append(css) or write(css, *rest))
    written = built("written")
    assert len(set(seen)) == len([path for path in theme.files() if path.suffix == ".css"])  # imported ones too
    monkeypatch.setattr(theme_values, "with_values", lambda css, values, stylesheets: css)
    assert built("read") == written
    pdf._parsed.cache_clear()
