"""The real Measure: font files found and read, images read from inside the repository only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from decks.errors import EnvironmentProblem
from decks.slides.metrics import FontMetrics, Pictures, font_file

FIXTURES = Path(__file__).parents[1] / "fixtures" / "decks"


@pytest.fixture(scope="module")
def fonts() -> FontMetrics:
    return FontMetrics(("Calibri", "Courier New"))


def test_calibri_and_courier_new_are_measured_with_their_metric_twins():
    assert font_file("Calibri").name == "Carlito-Regular.ttf"
    assert font_file("Calibri", bold=True, italic=True).name == "Carlito-BoldItalic.ttf"
    assert font_file("Courier New").name == "LiberationMono-Regular.ttf"


def test_a_font_that_is_not_installed_is_an_environment_problem_naming_it():
    with pytest.raises(EnvironmentProblem, match="font 'No Such Font Sans' is not installed"):
        FontMetrics(("No Such Font Sans",))


def test_widths_grow_with_size_and_weight(fonts):
    regular = fonts.text_width("Attention", "Calibri", 20)
    assert fonts.text_width("Attention", "Calibri", 40) == pytest.approx(2 * regular)
    assert fonts.text_width("Attention", "Calibri", 20, bold=True) > regular


def test_every_character_of_the_code_font_is_as_wide_as_the_next(fonts):
    assert fonts.text_width("iiii", "Courier New", 14) == pytest.approx(fonts.text_width("WWWW", "Courier New", 14))


def test_a_line_is_never_less_than_what_libreoffice_or_powerpoint_set(fonts):
    assert fonts.line_height("Calibri", 20) == pytest.approx(20 * 2500 / 2048, rel=1e-3)
    assert fonts.line_height("Courier New", 10) == pytest.approx(12.0)


def test_characters_the_font_lacks_still_take_room(fonts):
    assert fonts.text_width("\u2610", "Calibri", 20) > 10
    assert fonts.text_width("🚀", "Calibri", 20) > 15


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "papers" / "p" / "figures").mkdir(parents=True)
    return tmp_path


def pictures(repo: Path) -> Pictures:
    return Pictures("papers/p/overview.md", repo)


def test_a_missing_image_is_named_in_the_problem(repo):
    assert pictures(repo).picture("figures/fig.png").problem == "image 'figures/fig.png' not found"


def test_an_image_outside_the_repository_is_refused_without_reading_it(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.png"
    Image.new("RGB", (4, 4)).save(outside)
    assert pictures(repo).picture(str(outside)).problem == f"image '{outside}' is outside the repository"
    assert pictures(repo).picture("../../../x.png").problem == "image '../../../x.png' is outside the repository"


def test_a_web_image_is_not_fetched(repo):
    assert "on the web" in pictures(repo).picture("https://example.org/a.png").problem


def test_png_and_jpeg_are_embedded_as_they_are(repo):
    Image.new("RGB", (40, 30), "red").save(repo / "papers/p/figures/a.jpg")
    found = pictures(repo)
    info = found.picture("figures/a.jpg")
    assert (info.key, info.width_px, info.height_px, info.problem) == ("papers/p/figures/a.jpg", 40, 30, "")
    assert found.data[info.key] == ((repo / "papers/p/figures/a.jpg").read_bytes(), "jpg")


def test_other_formats_become_png(repo):
    Image.new("RGB", (40, 30), "blue").save(repo / "papers/p/figures/a.webp")
    found = pictures(repo)
    info = found.picture("figures/a.webp")
    assert found.data[info.key][1] == "png" and (info.width_px, info.height_px) == (40, 30)


def test_an_svg_is_rasterised_large_enough_to_stay_sharp(repo):
    (repo / "papers/p/figures/d.svg").write_bytes((FIXTURES / "figures/pipeline.svg").read_bytes())
    found = pictures(repo)
    info = found.picture("figures/d.svg")
    assert found.data[info.key][0].startswith(b"\x89PNG")
    assert info.width_px >= 2400 and info.width_px / info.height_px == pytest.approx(320 / 120, rel=0.01)


def test_a_file_that_is_not_an_image_is_a_problem_not_a_crash(repo):
    (repo / "papers/p/figures/notes.png").write_text("not a picture", encoding="utf-8")
    assert "cannot be read" in pictures(repo).picture("figures/notes.png").problem
