"""The built-in themes, how a theme is chosen, and a group's own PowerPoint template.

Builds run on a copy of the small fixture repository with the real themes copied
in; decks are reopened with python-pptx, handouts checked in their HTML (build/html/).
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_FILL
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.shapes.picture import CT_Picture
from pptx.shapes.picture import Picture
from pptx.util import Inches
from pygments.styles import get_style_by_name

from decks.cli import main
from decks.errors import ThemeError
from decks.slides.metrics import font_file
from decks.themes import Theme, available_themes, load_theme

THEMES = Path(__file__).parents[1] / "themes"
BUILT_IN = ["dark", "default", "high-contrast"]
PAPER = "papers/tiny-paper"
DECK = f"{PAPER}/docs/tiny-paper.pptx"
HANDOUT_HTML = "build/html/tiny-paper-handout.html"
CALLOUTS = ["note", "tip", "important", "warning", "caution"]
HANDOUT_ALERT_TINT = 0.07  # themes/default/handout.css: .alert's background
# Text colours and the ground each is set on, on slides and in the handout.
TEXT_ON_GROUND = [
    ("text", "background"), ("heading", "background"), ("accent", "background"), ("muted", "background"),
    ("link", "background"), ("code_text", "code_background"), ("inline_code_text", "inline_code_background"),
    ("table_header_text", "table_header_background"), ("text", "table_band"),
    ("section_text", "section_background"), ("muted", "quote_background"),
]
SLIDE_TEXT_ON_GROUND = [("footer_text", "background"), ("heading", "title_background")]
LINES_ON_GROUND = [("rule", "background"), ("code_border", "code_background"), ("table_border", "background"),
                   ("quote_border", "background"), ("title_rule", "background")]
GROUP_BACKGROUND = RGBColor(0xF3, 0xEE, 0xE4)
GROUP_THEME = """extends = "default"
[colors]
text = "#2B2118"
heading = "#7A1F2B"
accent = "#7A1F2B"
title_rule = "#7A1F2B"
section_text = "#7A1F2B"
"""


# ------------------------------------------------------------------ helpers


def build(root: Path, *args: str) -> int:
    return main(["-C", str(root), "build", "-q", "-j", "1", *args])


def set_front_matter(root: Path, line: str) -> None:
    """Add a line to the front matter of the tiny paper's overview (its notes take their metadata from it)."""
    path = root / PAPER / "overview.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", f"---\n{line}\n", 1), encoding="utf-8")


def set_repository_theme(root: Path, name: str) -> None:
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + f'theme = "{name}"\n', encoding="utf-8")


def title_background(root: Path) -> str:
    """The title slide's own background colour, as ``RRGGBB``."""
    slide = Presentation(str(root / DECK)).slides[0]
    assert not slide.follow_master_background
    return str(slide.background.fill.fore_color.rgb)


def master_colour(root: Path, slot: str) -> str:
    """A colour of the deck's colour scheme (``lt1`` is what slides without their own background show)."""
    master = Presentation(str(root / DECK)).slide_master
    scheme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    return scheme.find(f".//{qn('a:clrScheme')}/{qn('a:' + slot)}/{qn('a:srgbClr')}").get("val")


def handout_property(root: Path, name: str) -> str:
    """A custom property the handout's HTML hands its stylesheet: ``--accent`` -> ``#9A6700``."""
    html = (root / HANDOUT_HTML).read_text(encoding="utf-8")
    return re.search(rf"--{name}: ([^;]+);", html).group(1)


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``RRGGBB`` colours, from 1 to 21."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def tinted(colour: str, ground: str, amount: float) -> str:
    """A call-out box's fill: ``colour`` mixed into ``ground``, as the deck writer mixes it."""
    return "".join(f"{round(int(ground[i:i+2], 16) + (int(colour[i:i+2], 16) - int(ground[i:i+2], 16)) * amount):02X}"
                   for i in (0, 2, 4))


def text_pairs(theme: Theme, *, slides: bool) -> list[tuple[str, str, float]]:
    """Every (text colour, ground, contrast) the theme sets, call-out titles and text in their tinted boxes too."""
    pairs = TEXT_ON_GROUND + (SLIDE_TEXT_ON_GROUND if slides else [])
    found = [(text, ground, contrast(theme.colour(text), theme.colour(ground))) for text, ground in pairs]
    tint = float(theme.section("deck")["callout_tint"]) if slides else HANDOUT_ALERT_TINT
    for kind in CALLOUTS:
        box = tinted(theme.colour(kind), theme.colour("background"), tint)
        found += [(kind, f"{kind} box", contrast(theme.colour(kind), box)),
                  ("text", f"{kind} box", contrast(theme.colour("text"), box))]
    return found


def make_template(path: Path, *, width: float = 13.333333, fonts: tuple[str, str] = ("Cambria", "Arial")) -> None:
    """A group's template made as PowerPoint would hold it: a master with its own background, theme fonts
    (major for headings, minor for body), a logo picture, and a sample slide of its own."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(width), Inches(7.5)
    master = presentation.slide_master
    master.background.fill.solid()
    master.background.fill.fore_color.rgb = GROUP_BACKGROUND
    theme_part = master.part.part_related_by(RT.THEME)
    scheme = etree.fromstring(theme_part.blob)
    for tag, face in zip(("a:majorFont", "a:minorFont"), fonts, strict=True):
        scheme.find(f".//{qn('a:fontScheme')}/{qn(tag)}/{qn('a:latin')}").set("typeface", face)
    theme_part._blob = etree.tostring(scheme)
    logo = io.BytesIO()
    Image.new("RGB", (64, 64), "#7A1F2B").save(logo, "PNG")
    logo.seek(0)
    _, rid = master.part.get_or_add_image_part(logo)
    left = Inches(width - 0.9)
    master.shapes._spTree.append(CT_Picture.new_pic(99, "Logo", "The group's logo", rid, left, Inches(0.25),
                                                    Inches(0.6), Inches(0.6)))
    presentation.slides.add_slide(presentation.slide_layouts[0]).shapes.title.text = "The template's sample slide"
    presentation.save(str(path))


def group_repo(root: Path, theme_toml: str = GROUP_THEME, **template: object) -> Path:
    """The fixture repository with a section slide in its paper and a theme 'group' that has a template."""
    overview = root / PAPER / "overview.md"
    overview.write_text(overview.read_text(encoding="utf-8") + "\n# Part two\n\n## Results\n\n- It works\n",
                        encoding="utf-8")
    folder = root / "themes" / "group"
    folder.mkdir()
    (folder / "theme.toml").write_text(theme_toml, encoding="utf-8")
    make_template(folder / "template.pptx", **template)  # type: ignore[arg-type]
    return root


def runs(shape) -> list:
    return [run for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]


def run_font(run) -> str:
    return run._r.find(f"{qn('a:rPr')}/{qn('a:latin')}").get("typeface")


# ------------------------------------------------------------------ the built-in themes


def test_the_built_in_themes_are_default_dark_and_high_contrast():
    assert set(BUILT_IN) <= set(available_themes(THEMES))


@pytest.mark.parametrize("name", BUILT_IN)
def test_a_built_in_theme_names_installed_fonts_and_real_pygments_styles(name):
    theme = load_theme(name, THEMES)
    for role in ("heading", "body", "code"):
        assert font_file(theme.values["fonts"][role]).is_file()
    get_style_by_name(theme.section("code")["pygments_style"])
    get_style_by_name(theme.for_handout().section("code")["pygments_style"])


@pytest.mark.parametrize("name", ["dark", "high-contrast"])
def test_a_built_in_theme_extends_the_default_and_adds_its_css_on_top_of_the_defaults(name):
    folder = THEMES / name
    assert 'extends = "default"' in (folder / "theme.toml").read_text(encoding="utf-8")
    css = load_theme(name, THEMES).find("handout.css")
    assert css == folder / "handout.css"
    assert '@import url("../default/handout.css");' in css.read_text(encoding="utf-8")


def test_the_dark_theme_has_dark_slides_and_a_light_handout():
    dark = load_theme("dark", THEMES)
    assert contrast(dark.colour("background"), "000000") < 1.2
    handout = dark.for_handout()
    assert handout.colour("background") == "FFFFFF"
    assert contrast(handout.colour("text"), "FFFFFF") >= 7
    assert handout.section("code")["pygments_style"] != dark.section("code")["pygments_style"]


@pytest.mark.parametrize("slides", [True, False], ids=["slides", "handout"])
def test_the_high_contrast_theme_sets_every_text_at_7_to_1_or_more(slides):
    theme = load_theme("high-contrast", THEMES)
    theme = theme if slides else theme.for_handout()
    assert [pair for pair in text_pairs(theme, slides=slides) if pair[2] < 7] == []
    assert [(line, ground) for line, ground in LINES_ON_GROUND
            if contrast(theme.colour(line), theme.colour(ground)) < 3] == []


def test_the_high_contrast_theme_colours_no_code_tokens():
    style = get_style_by_name(load_theme("high-contrast", THEMES).section("code")["pygments_style"])
    assert {look["color"] for _, look in style if look["color"]} == set()


@pytest.mark.parametrize("slides", [True, False], ids=["slides", "handout"])
def test_the_dark_theme_sets_every_text_at_4_5_to_1_or_more(slides):
    theme = load_theme("dark", THEMES)
    theme = theme if slides else theme.for_handout()
    assert [pair for pair in text_pairs(theme, slides=slides) if pair[2] < 4.5] == []


# ------------------------------------------------------------------ the handout's own colours


def make_theme(themes: Path, toml: str) -> None:
    folder = themes / "mine"
    folder.mkdir()
    (folder / "theme.toml").write_text('extends = "default"\n' + toml, encoding="utf-8")


def test_handout_colours_and_code_style_apply_to_the_handout_only(repo):
    themes = repo / "themes"
    make_theme(themes, '[colors]\ntext = "#EEEEEE"\n[handout.colors]\ntext = "#111111"\n'
                       '[handout.code]\npygments_style = "vs"\n')
    theme = load_theme("mine", themes)
    assert (theme.colour("text"), theme.section("code")["pygments_style"]) == ("EEEEEE", "friendly")
    handout = theme.for_handout()
    assert (handout.colour("text"), handout.section("code")["pygments_style"]) == ("111111", "vs")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[handout.colors]\nbakground = "#FFFFFF"\n', "unknown key 'handout.colors.bakground'"),
        ('[handout.colors]\ntext = "black"\n', "'handout.colors.text' must be a colour like"),
        ("[handout.code]\npygments_style = 3\n", "'handout.code.pygments_style' must be a str"),
    ],
)
def test_handout_colours_are_validated_like_the_slides(repo, toml, message):
    themes = repo / "themes"
    make_theme(themes, toml)
    with pytest.raises(ThemeError, match=message):
        load_theme("mine", themes)


# ------------------------------------------------------------------ choosing a theme


def test_without_any_choice_papers_use_the_default_theme(repo):
    assert build(repo, "--only", "deck") == 0
    assert title_background(repo) == load_theme("default", THEMES).colour("title_background")


def test_the_overviews_front_matter_chooses_the_theme_of_a_papers_deck_and_handout(repo):
    set_front_matter(repo, "theme: dark")
    assert build(repo) == 0
    dark = load_theme("dark", THEMES)
    assert title_background(repo) == dark.colour("title_background")
    assert master_colour(repo, "lt1") == dark.colour("background")  # what content slides show
    assert handout_property(repo, "accent") == dark.values["handout"]["colors"]["accent"]
    assert "themes/dark/handout.css" in (repo / HANDOUT_HTML).read_text(encoding="utf-8")


def test_the_build_option_chooses_the_theme_of_every_paper_over_its_front_matter(repo):
    set_front_matter(repo, "theme: dark")
    assert build(repo, "--theme", "high-contrast") == 0
    high_contrast = load_theme("high-contrast", THEMES)
    assert title_background(repo) == high_contrast.colour("title_background")
    assert master_colour(repo, "lt1") == high_contrast.colour("background")
    assert handout_property(repo, "body-size") == "12pt"
    assert "themes/high-contrast/handout.css" in (repo / HANDOUT_HTML).read_text(encoding="utf-8")


def test_the_repository_setting_chooses_the_theme_when_the_paper_names_none(repo):
    set_repository_theme(repo, "dark")
    assert build(repo, "--only", "deck") == 0
    assert master_colour(repo, "lt1") == load_theme("dark", THEMES).colour("background")


def test_a_decks_toml_chooses_the_theme_as_well(repo):
    (repo / "decks.toml").write_text('theme = "high-contrast"\n', encoding="utf-8")
    assert build(repo, "--only", "deck") == 0
    assert master_colour(repo, "lt1") == load_theme("high-contrast", THEMES).colour("background")


def test_front_matter_wins_over_the_repository_setting(repo):
    set_repository_theme(repo, "high-contrast")
    set_front_matter(repo, "theme: dark")
    assert build(repo, "--only", "deck") == 0
    assert master_colour(repo, "lt1") == load_theme("dark", THEMES).colour("background")


def test_an_unknown_theme_on_the_command_line_lists_the_available_ones(repo, capsys):
    assert build(repo, "--theme", "darkk") == 1
    assert "unknown theme 'darkk'; available: dark, default, high-contrast" in capsys.readouterr().err
    assert not (repo / DECK).exists()


def test_an_unknown_theme_in_front_matter_fails_that_paper_and_lists_the_available_ones(repo, capsys):
    set_front_matter(repo, "theme: darkk")
    assert build(repo, "--only", "deck") == 1
    assert "unknown theme 'darkk'; available: dark, default, high-contrast" in capsys.readouterr().err


# ------------------------------------------------------------------ a group's PowerPoint template


@pytest.fixture
def group_deck(repo: Path):
    """The tiny paper, with a section, built with a theme that has its own template.pptx."""
    root = group_repo(repo)
    assert build(root, "--theme", "group", "--only", "deck") == 0
    return Presentation(str(root / DECK)), load_theme("group", root / "themes")


def test_a_template_gives_the_decks_slide_master_and_its_layouts(group_deck):
    deck, _ = group_deck
    assert [slide.slide_layout.name for slide in deck.slides] == [
        "Title Slide", "Title Only", "Section Header", "Title Only"]
    assert len(deck.slide_masters) == 1
    assert all(slide.slide_layout.slide_master == deck.slide_master for slide in deck.slides)


def test_a_templates_own_slides_are_left_out(group_deck):
    deck, _ = group_deck
    assert deck.slides[0].shapes.title.text_frame.text == "A Tiny Paper"
    assert not any("sample slide" in shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                   if shape.has_text_frame)


def test_a_templates_background_and_logo_show_on_every_slide(group_deck):
    deck, _ = group_deck
    background = deck.slide_master.background.fill
    assert (background.type, background.fore_color.rgb) == (MSO_FILL.SOLID, GROUP_BACKGROUND)
    assert [shape.name for shape in deck.slide_master.shapes if isinstance(shape, Picture)] == ["Logo"]
    assert all(slide.follow_master_background for slide in deck.slides)


def test_a_template_edited_after_a_build_is_the_one_the_next_build_uses(repo):
    root = group_repo(repo)
    assert build(root, "--theme", "group", "--only", "deck") == 0
    template = root / "themes" / "group" / "template.pptx"
    edited = Presentation(str(template))
    edited.slide_master.background.fill.fore_color.rgb = RGBColor(0x10, 0x20, 0x30)  # same size, fonts, layouts
    edited.save(str(template))
    assert build(root, "--theme", "group", "--only", "deck") == 0
    assert Presentation(str(root / DECK)).slide_master.background.fill.fore_color.rgb == RGBColor(0x10, 0x20, 0x30)


def test_a_kept_deck_with_a_template_is_rebuilt_the_same_without_loading_python_pptx(repo):
    root = group_repo(repo)
    assert build(root, "--theme", "group", "--only", "deck") == 0
    before = (root / DECK).read_bytes()
    rebuild = ("import sys; from decks.cli import main; "
               "code = main(['-C', sys.argv[1], 'build', '-q', '--force', '--theme', 'group', '--only', 'deck']); "
               "print(code, 'pptx' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", rebuild, str(root)], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["0", "False"]
    assert (root / DECK).read_bytes() == before


def test_notes_pages_use_a_templates_own_notes_master_and_a_kept_skeleton_gives_the_same_deck(repo):
    root = group_repo(repo)
    template = root / "themes" / "group" / "template.pptx"
    with_notes = Presentation(str(template))
    with_notes.slides[0].notes_slide.notes_text_frame.text = "The template's own notes"  # makes its notes master
    with_notes.save(str(template))
    assert build(root, "--theme", "group", "--only", "deck") == 0
    first = (root / DECK).read_bytes()
    with zipfile.ZipFile(root / DECK) as package:
        masters = [name for name in package.namelist() if re.fullmatch(r"ppt/notesMasters/notesMaster\d+\.xml", name)]
    assert len(masters) == 1
    deck = Presentation(str(root / DECK))
    assert [slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide] == ["Say hello."]
    assert build(root, "--theme", "group", "--only", "deck", "--force") == 0  # from the kept skeleton
    assert (root / DECK).read_bytes() == first


def test_a_templates_fonts_set_the_titles_and_text_in_the_themes_colours(group_deck):
    deck, theme = group_deck
    content = deck.slides[1]
    title = runs(content.shapes.title)
    body = [run for shape in content.shapes if shape.has_text_frame and shape.name == "Text" for run in runs(shape)]
    assert {(run_font(run), str(run.font.color.rgb)) for run in title} == {("Cambria", theme.colour("heading"))}
    assert ("Arial", theme.colour("text")) in {(run_font(run), str(run.font.color.rgb)) for run in body}


def test_a_templates_colour_and_font_schemes_are_kept(group_deck):
    deck, theme = group_deck
    scheme = etree.fromstring(deck.slide_master.part.part_related_by(RT.THEME).blob)
    assert scheme.find(f".//{qn('a:majorFont')}/{qn('a:latin')}").get("typeface") == "Cambria"
    accent = scheme.find(f".//{qn('a:accent1')}/{qn('a:srgbClr')}")
    assert accent is not None and accent.get("val") != theme.colour("accent")


def test_a_templates_slide_size_wins_and_every_shape_stays_on_the_slide(repo):
    root = group_repo(repo, width=10.0)
    assert build(root, "--theme", "group", "--only", "deck") == 0
    deck = Presentation(str(root / DECK))
    assert (deck.slide_width, deck.slide_height) == (Inches(10), Inches(7.5))
    assert [(slide.slide_id, shape.name) for slide in deck.slides for shape in slide.shapes
            if shape.left + shape.width > deck.slide_width or shape.top + shape.height > deck.slide_height] == []


def test_a_template_without_a_named_layout_lists_the_ones_it_has(repo, capsys):
    root = group_repo(repo, GROUP_THEME + '[template]\ncontent_layout = "Main"\n')
    assert build(root, "--theme", "group", "--only", "deck") == 1
    error = capsys.readouterr().err
    assert "template.pptx has no layout named 'Main' (template.content_layout); its layouts: Blank, " in error


def test_a_templates_font_must_be_installed_to_measure_slide_text(repo, capsys):
    root = group_repo(repo, fonts=("No Such Font", "Arial"))
    assert build(root, "--theme", "group", "--only", "deck") == 1
    error = capsys.readouterr().err
    assert "themes/group/template.pptx: the template's theme font: font 'No Such Font'" in error


# ------------------------------------------------------------------ a dark theme's notes and handout


def test_speaker_notes_take_the_notes_pages_colour_so_they_read_under_a_dark_theme(repo):
    assert build(repo, "--theme", "dark", "--only", "deck") == 0
    notes = [slide.notes_slide.notes_text_frame for slide in Presentation(str(repo / DECK)).slides
             if slide.has_notes_slide]
    assert "Say hello." in [frame.text for frame in notes]
    assert [run for frame in notes for paragraph in frame.paragraphs for run in paragraph.runs
            if run.font.color.type is not None] == []


def test_a_dark_themes_handout_sets_its_math_in_the_handouts_text_colour(repo):
    notes = repo / PAPER / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\nThe cost grows as $n^2$.\n", encoding="utf-8")
    assert build(repo, "--theme", "dark", "--only", "handout") == 0
    html = (repo / HANDOUT_HTML).read_text(encoding="utf-8")
    svg = base64.b64decode(re.search(r'class="math" src="data:image/svg\+xml;base64,([^"]+)"', html).group(1))
    dark = load_theme("dark", THEMES)
    assert dark.for_handout().colour("text").encode() in svg.upper()
    assert dark.colour("text").encode() not in svg.upper()
