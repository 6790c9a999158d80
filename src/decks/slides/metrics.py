"""The real Measure: font files for text widths, image files for pictures, decks.equations for math.

Fonts are found with fontconfig (``fc-match``), or by scanning the usual font
folders where it is missing. A font named in the theme must be installed, or
its metric-compatible twin (Carlito for Calibri, Liberation Mono for Courier
New): measuring with any other font would be a guess, so its absence is an
EnvironmentProblem. Images are read once; the bytes the deck embeds are kept
here under the key the planner got, for the renderer.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image, ImageFont, ImageOps, UnidentifiedImageError

from decks import diskcache, equations
from decks.errors import EnvironmentProblem
from decks.resources import is_remote, resolve_local, split_url
from decks.slides.measure import EquationInfo, PictureInfo, Position

_EM = 1000  # fonts are loaded at 1000 px per em; widths scale linearly from there
METRIC_TWINS = {
    "calibri": "Carlito",
    "cambria": "Caladea",
    "courier new": "Liberation Mono",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "times new roman": "Liberation Serif",
}
_FALLBACK = "DejaVu Sans"  # what stands in for symbols the theme's font lacks (☐, ☑, arrows)
_EMOJI_WIDTH = 1.25  # em: colour emoji (Noto Color Emoji, Segoe UI Emoji) are about this wide
# Symbols viewers often draw from an emoji font when the text font lacks them (♠, ☐, ✓, 🚀).
_EMOJI_BLOCKS = (("\u2600", "\u27bf"), ("\u2b00", "\u2bff"), ("\U0001f000", "\U0001faff"))
_LEAST_FALLBACK_WIDTH = 1.0  # em: viewers pick their own font for symbols (♠, ☐), often wider than ours
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts",
              "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")
# LibreOffice sets single line spacing at 1.2 em whatever the font, PowerPoint at the font's own
# line height (1.22 em for Calibri, 1.13 em for Courier New): a box must hold the taller of the two.
_LEAST_LINE_HEIGHT = 1.2
_SVG_LONG_SIDE = 2400  # px: an SVG is rasterised at least this large, enough for a full slide
# Where a PNG can say how it is turned, as Pillow reads it: an eXIf chunk, EXIF as a text chunk, XMP.
_PNG_ORIENTATIONS = (b"eXIf", b"Raw profile type exif", b"XML:com.adobe.xmp")


@dataclass(frozen=True)
class _Face:
    font: ImageFont.FreeTypeFont
    covered: frozenset[int]
    height: float  # line height in em, as the taller of PowerPoint and LibreOffice sets it


class FontMetrics:
    """Widths and line heights of text set in named fonts, from the fonts' own files."""

    def __init__(self, families: tuple[str, ...]) -> None:
        self._widths: dict[tuple[str, str, bool, bool], float] = {}
        for family in families:
            _face(family, False, False)
        self._fallback = _optional_face(_FALLBACK)

    def text_width(self, text: str, font: str, size: float, bold: bool = False, italic: bool = False) -> float:
        key = (text, font, bold, italic)
        width = self._widths.get(key)
        if width is None:
            width = self._em_width(text, _face(font, bold, italic))
            self._widths[key] = width
        return width * size

    def line_height(self, font: str, size: float) -> float:
        return _face(font, False, False).height * size

    def _em_width(self, text: str, face: _Face) -> float:
        """Width in em; characters the font lacks are measured in the fallback font or as emoji."""
        total = 0.0
        start = 0
        for index, char in enumerate(text):
            if ord(char) in face.covered:
                continue
            total += face.font.getlength(text[start:index]) / _EM + self._missing_width(char)
            start = index + 1
        return total + face.font.getlength(text[start:]) / _EM

    def _missing_width(self, char: str) -> float:
        if char in "\u200d\ufe0e\ufe0f" or "\U0001f3fb" <= char <= "\U0001f3ff":
            return 0.0
        if any(low <= char <= high for low, high in _EMOJI_BLOCKS):
            return _EMOJI_WIDTH
        if self._fallback and ord(char) in self._fallback.covered:
            return max(self._fallback.font.getlength(char) / _EM, _LEAST_FALLBACK_WIDTH)
        return _EMOJI_WIDTH


def font_file(family: str, bold: bool = False, italic: bool = False) -> Path:
    """The file of ``family`` (or of its metric-compatible twin) in that style."""
    names = [family] + ([METRIC_TWINS[family.lower()]] if family.lower() in METRIC_TWINS else [])
    for name in names:
        found = _find_font(name, bold, italic)
        if found is not None:
            return found
    twin = f" or its metric-compatible twin '{names[1]}'" if len(names) > 1 else ""
    raise EnvironmentProblem(
        f"font '{family}'{twin} is not installed, so slide text cannot be measured; "
        "install it (Debian: fonts-crosextra-carlito, fonts-liberation2) or choose another font in the theme"
    )


@cache
def _find_font(name: str, bold: bool, italic: bool) -> Path | None:
    if shutil.which("fc-match"):
        style = f"{name}:weight={200 if bold else 80}:slant={100 if italic else 0}"
        result = subprocess.run(
            ["fc-match", "-f", "%{family}\n%{file}", style], capture_output=True, text=True, check=False
        )
        families, _, file = result.stdout.partition("\n")
        if name.lower() in (f.strip().lower() for f in families.split(",")) and file.endswith((".ttf", ".otf")):
            return Path(file)
        return None
    return _scan_font_dirs(name, bold, italic)


def _scan_font_dirs(name: str, bold: bool, italic: bool) -> Path | None:
    """Without fontconfig: the first font file whose family and style match, by its own name table."""
    wanted = " ".join(word for word, wanted in (("bold", bold), ("italic", italic)) if wanted) or "regular"
    styles = (wanted, wanted.replace("italic", "oblique"))
    for folder in _FONT_DIRS:
        for path in sorted(Path(folder).expanduser().rglob("*.[ot]tf")):
            try:
                family, style = ImageFont.truetype(str(path), 10).getname()
            except OSError:
                continue
            if (family or "").lower() == name.lower() and (style or "").lower() in styles:
                return path
    return None


@cache
def _face(family: str, bold: bool, italic: bool) -> _Face:
    """The face of ``family`` in that style, once per process (a worker measures many decks).

    Finding the file (fontconfig) and reading its character map take a tenth of a
    second per font, so both are kept in the disk cache, trusted while the file
    keeps its size and modification time.
    """
    def describe() -> dict[str, Any]:
        return _description(font_file(family, bold, italic))

    stored = diskcache.cached_json(diskcache.folder("fonts"), "font", [family, bold, italic], describe,
                                   trust=_unchanged)
    return _loaded(stored)


def _optional_face(family: str) -> _Face | None:
    try:
        return _face(family, False, False)
    except EnvironmentProblem:
        return None


def _description(path: Path) -> dict[str, Any]:
    """What measuring needs of a font file, as JSON: where it is, the characters it has, its line height."""
    from fontTools.ttLib import TTFont  # only when the cache does not know the font: it takes 40 ms to import

    with TTFont(str(path), lazy=True, fontNumber=0) as tables:
        covered = sorted(tables["cmap"].getBestCmap())
    font = ImageFont.truetype(str(path), _EM, layout_engine=ImageFont.Layout.BASIC)
    return {"path": str(path), "stat": diskcache.file_state(path), "covered": _ranges(covered),
            "height": max(font.font.height / _EM, _LEAST_LINE_HEIGHT)}


def _unchanged(stored: dict[str, Any]) -> bool:
    return "path" in stored and stored.get("stat") == diskcache.file_state(str(stored["path"]))


def font_files() -> dict[str, list[int]]:
    """Every font file this process has measured with, and its size and modification time then."""
    return dict(_measured_with)


_measured_with: dict[str, list[int]] = {}


def _loaded(stored: dict[str, Any]) -> _Face:
    _measured_with[str(stored["path"])] = list(stored["stat"])
    font = ImageFont.truetype(str(stored["path"]), _EM, layout_engine=ImageFont.Layout.BASIC)
    covered = frozenset(code for start, end in stored["covered"] for code in range(start, end + 1))
    return _Face(font=font, covered=covered, height=float(stored["height"]))


def _ranges(codes: list[int]) -> list[list[int]]:
    """Sorted code points as [first, last] runs: a font's map is a few hundred runs, not thousands of numbers."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return runs


class Pictures:
    """Images named in one Markdown file, read from inside the repository only; from the web with ``allow_remote``."""

    def __init__(self, source: str, repo_root: Path, *, allow_remote: bool = False) -> None:
        self._base = (repo_root / PurePosixPath(source)).parent
        self._root = repo_root
        self._allow_remote = allow_remote
        self.data: dict[str, tuple[bytes, str]] = {}  # key -> (bytes, extension)
        self._infos: dict[str, PictureInfo] = {}

    def picture(self, src: str) -> PictureInfo:
        if src not in self._infos:
            self._infos[src] = self._read(src)
        return self._infos[src]

    def _read(self, src: str) -> PictureInfo:
        if is_remote(src):
            return self._fetched(src)
        path = resolve_local(src, self._base, self._root)
        if path is None:
            return PictureInfo(key=src, problem=f"image '{src}' is outside the repository")
        if not path.is_file():
            return PictureInfo(key=src, problem=f"image '{src}' not found")
        key = path.relative_to(self._root.resolve()).as_posix()
        return self._decoded(src, key, path.read_bytes, svg=path.suffix.lower() == ".svg")

    def _fetched(self, src: str) -> PictureInfo:
        """A web image through ``decks.remote`` (its timeout, size cap and cache), keyed by its address."""
        if not self._allow_remote:
            return PictureInfo(key=src, problem=f"image '{src}' is on the web; the deck fetches it only with "
                                                "--allow-remote")
        from decks import remote  # urllib and its kin, only for a build that may fetch

        try:
            fetched = remote.fetch(src)
        except remote.FetchError as error:
            return PictureInfo(key=src, problem=f"image '{src}' could not be fetched: {error}")
        svg = fetched.content_type.partition(";")[0].strip().lower() == "image/svg+xml" \
            or split_url(src).path.lower().endswith(".svg")
        return self._decoded(src, src, lambda: fetched.body, svg=svg)

    def _decoded(self, src: str, key: str, read: Callable[[], bytes], *, svg: bool) -> PictureInfo:
        """The picture ``read`` gives, kept under ``key`` for the renderer, or why it cannot be shown."""
        try:
            with warnings.catch_warnings():  # more pixels than Pillow's limit: refused, not read with a warning
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                data, extension, size = _svg(read()) if svg else _bitmap(read())
        except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError,
                Image.DecompressionBombWarning) as error:
            reason = "not a picture file Pillow knows" if isinstance(error, UnidentifiedImageError) else str(error)
            return PictureInfo(key=key, problem=f"image '{src}' cannot be read: {reason}")
        self.data[key] = (data, extension)
        return PictureInfo(key=key, width_px=size[0], height_px=size[1])


def _bitmap(data: bytes) -> tuple[bytes, str, tuple[int, int]]:
    """The file's bytes when PowerPoint shows them as they are; else a PNG, upright.

    A PNG with nowhere to say otherwise is upright, which is known without
    asking Pillow: to find an orientation after the pixels it decodes them all.
    """
    with Image.open(io.BytesIO(data)) as image:
        silent = image.format == "PNG" and not any(place in data for place in _PNG_ORIENTATIONS)
        upright = silent or image.getexif().get(0x0112, 1) == 1
        if image.format in ("PNG", "JPEG", "GIF") and upright:
            return data, image.format.lower().replace("jpeg", "jpg"), image.size
        converted = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        converted.save(buffer, format="PNG")
        return buffer.getvalue(), "png", converted.size


def _svg(data: bytes) -> tuple[bytes, str, tuple[int, int]]:
    """An SVG rasterised to PNG, large enough to stay sharp on any slide (nothing it names is loaded)."""
    from xml.etree.ElementTree import ParseError

    import cairosvg
    from cairocffi import CairoError

    try:
        with Image.open(io.BytesIO(cairosvg.svg2png(bytestring=data, unsafe=False))) as natural:
            scale = max(1.0, _SVG_LONG_SIDE / max(natural.size))
        png = cairosvg.svg2png(bytestring=data, scale=scale, unsafe=False)
    except (CairoError, ParseError) as error:  # not XML, or a size cairo cannot draw
        raise ValueError(f"not an SVG that can be drawn ({error})") from None
    with Image.open(io.BytesIO(png)) as image:
        return png, "png", image.size


class Equations:
    """Math typeset by decks.equations in the theme's math font and text colour.

    ``preamble`` holds the document's macro definitions: on GitHub a
    ``\\newcommand`` in one formula holds for the rest of the page.
    """

    def __init__(self, font: str, colour: str, preamble: str = "") -> None:
        self._font = font
        self._colour = colour
        self._preamble = preamble
        self.data: dict[str, tuple[bytes, str]] = {}

    def equation(self, tex: str, size: float) -> EquationInfo:
        key = f"math:{size:.2f}:{tex}"
        if equations.defines_only(tex):
            return EquationInfo(key=key, definitions=True)
        problem = equations.check(tex, preamble=self._preamble)
        if problem:
            return EquationInfo(key=key, problem=f"cannot typeset the equation: {problem}; it is shown as LaTeX")
        png, width, height = equations.to_png(tex, display=True, size_pt=size, dpi=300, color=self._colour,
                                              preamble=self._preamble)
        omml = equations.to_omml(tex, display=True, font=self._font, size_pt=size, color=self._colour,
                                 preamble=self._preamble)
        if not png or not omml:
            return EquationInfo(key=key, problem="cannot typeset the equation; it is shown as LaTeX")
        self.data[key] = (png, "png")
        return EquationInfo(key=key, width=width, height=height, omml=omml)

    def math_text(self, tex: str) -> tuple[tuple[str, Position], ...] | None:
        pieces = equations.to_unicode(tex, preamble=self._preamble)
        return tuple((text, position) for text, position in pieces) if pieces else None  # type: ignore[misc]


class RealMeasure(FontMetrics):
    """Everything the planner asks, answered from fonts, files and decks.equations."""

    def __init__(self, families: tuple[str, ...], source: str, repo_root: Path, *, math_font: str, math_colour: str,
                 formulas: tuple[str, ...] = (), allow_remote: bool = False) -> None:
        super().__init__(families)
        self.pictures = Pictures(source, repo_root, allow_remote=allow_remote)
        self.equations = Equations(math_font, math_colour, equations.collect_macros(formulas))

    def picture(self, src: str) -> PictureInfo:
        return self.pictures.picture(src)

    def equation(self, tex: str, size: float) -> EquationInfo:
        return self.equations.equation(tex, size)

    def math_text(self, tex: str) -> tuple[tuple[str, Position], ...] | None:
        return self.equations.math_text(tex)

    def blob(self, key: str) -> tuple[bytes, str]:
        """The bytes and file extension of a picture or equation this measure handed out."""
        return self.pictures.data.get(key) or self.equations.data[key]
