"""The real Measure: font files found and read, images read from inside the repository only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from web_server import Reply, serve

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


MEASURE_IN_A_FRESH_PROCESS = (
    "import json, sys; from pathlib import Path; from decks import diskcache; from decks.slides import metrics;"
    "diskcache.keep_in(Path(sys.argv[1])); fonts = metrics.FontMetrics(('Calibri', 'Courier New'));"
    "widths = [fonts.text_width(t, f, 20, b) for t in ('Attention ☐ 🎉 日本', 'x') for f in ('Calibri', 'Courier New')"
    " for b in (False, True)];"
    "print(json.dumps([widths, fonts.line_height('Calibri', 20), 'fontTools' in sys.modules]))"
)


def test_fonts_are_found_and_read_once_then_measured_the_same_from_the_cache(tmp_path):
    def measure() -> list:
        command = [sys.executable, "-c", MEASURE_IN_A_FRESH_PROCESS, str(tmp_path / "cache")]
        return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)

    first, again = measure(), measure()
    assert first[2] is True and again[2] is False  # the second process never reads a font's tables
    assert again[:2] == first[:2]


def test_a_missing_image_is_named_in_the_problem(repo):
    assert pictures(repo).picture("figures/fig.png").problem == "image 'figures/fig.png' not found"


def test_an_image_outside_the_repository_is_refused_without_reading_it(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.png"
    Image.new("RGB", (4, 4)).save(outside)
    assert pictures(repo).picture(str(outside)).problem == f"image '{outside}' is outside the repository"
    assert pictures(repo).picture("../../../x.png").problem == "image '../../../x.png' is outside the repository"


def test_a_web_image_is_not_fetched_without_allow_remote(repo):
    with serve({"/a.png": Reply(b"never asked for", "image/png")}) as web:
        problem = pictures(repo).picture(f"{web.url}/a.png").problem
        assert web.requests == []
    assert problem == f"image '{web.url}/a.png' is on the web; the deck fetches it only with --allow-remote"


def test_with_allow_remote_a_web_svg_is_rasterised_like_a_file(repo):
    with serve({"/figure": Reply((FIXTURES / "figures/pipeline.svg").read_bytes(), "image/svg+xml")}) as web:
        found = Pictures("papers/p/overview.md", repo, allow_remote=True)
        info = found.picture(f"{web.url}/figure")
    assert (info.key, info.problem) == (f"{web.url}/figure", "")
    assert found.data[info.key][0].startswith(b"\x89PNG") and info.width_px >= 2400


def test_with_allow_remote_a_web_page_that_is_no_picture_is_a_problem_not_a_crash(repo):
    with serve({"/a.png": Reply(b"<html>Please sign in</html>", "text/html")}) as web:
        info = Pictures("papers/p/overview.md", repo, allow_remote=True).picture(f"{web.url}/a.png")
    assert info.problem == f"image '{web.url}/a.png' cannot be read: not a picture file Pillow knows"


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
