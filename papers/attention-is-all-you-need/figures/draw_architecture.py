"""Draw the Transformer's encoder-decoder block diagram as a landscape PNG.

Run from anywhere: ``python draw_architecture.py`` writes
``transformer-architecture.png`` next to this script. Only Pillow is needed.
Pillow draws shapes without anti-aliasing, so the picture is drawn at twice
its final size and scaled down once, which smooths every edge. No timestamp or
other metadata is written, so every run produces the same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 1000  # final size in pixels (16:10, fits a 16:9 slide)
SCALE = 2  # supersampling factor: draw big, shrink once at the end
OUTPUT = Path(__file__).with_name("transformer-architecture.png")

NAVY = "#0B3C5D"
BLUE = "#1C6DD0"
GREY = "#5B6B7C"
WHITE = "#FFFFFF"
FRAME_FILL = "#F3F7FB"
FILLS = {
    "attention": "#FDE9D4",
    "feed_forward": "#DDF1E4",
    "add_norm": "#FFF6CC",
    "embedding": "#E9E1F7",
    "output": "#DCEBFB",
}
LEGEND = [
    ("attention", "Attention"),
    ("feed_forward", "Feed-forward"),
    ("add_norm", "Residual + LayerNorm"),
    ("embedding", "Embedding"),
    ("output", "Output layer"),
]

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/crosextra"),
    Path("/usr/share/fonts/truetype/dejavu"),
]
FONT_FILES = {
    "regular": ["Carlito-Regular.ttf", "DejaVuSans.ttf"],
    "bold": ["Carlito-Bold.ttf", "DejaVuSans-Bold.ttf"],
    "italic": ["Carlito-Italic.ttf", "DejaVuSans-Oblique.ttf"],
}

# Column geometry in final-size pixels.
ENCODER_X = 550  # centre line of the encoder column
DECODER_X = 1110  # centre line of the decoder column
BOX_W = 330  # width of a sub-layer box
FRAME_PAD = 34  # space between a layer frame and the boxes inside it
SUBLAYER_H = 54
NORM_H = 38
GAP = 34  # vertical gap between stacked boxes (room for an arrow)
FRAME_BOTTOM = 770  # both layer frames end here, so the embeddings line up
SUM_Y = 812  # centre of the "embedding + positional encoding" circles
EMBED_TOP = 852


@lru_cache(maxsize=None)
def load_font(style: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Prefer Carlito (the deck's Calibri stand-in), then DejaVu Sans, then Pillow's own."""
    for name in FONT_FILES[style]:
        for folder in FONT_DIRS:
            path = folder / name
            if path.exists():
                return ImageFont.truetype(str(path), size * SCALE)
    return ImageFont.load_default(size * SCALE)


@dataclass(frozen=True)
class Box:
    """A rectangle in final-size pixels; the canvas scales it when drawing."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def centred_box(cx: float, top: float, height: float, width: float = BOX_W) -> Box:
    """A box of the given size hanging from `top`, centred on the column line `cx`."""
    return Box(cx - width / 2, top, cx + width / 2, top + height)


class Canvas:
    """Pillow drawing in final-size coordinates, multiplied by SCALE underneath."""

    def __init__(self) -> None:
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    def _xy(self, *points: tuple[float, float]) -> list[tuple[int, int]]:
        return [(round(x * SCALE), round(y * SCALE)) for x, y in points]

    def rect(self, box: Box, fill: str, outline: str = NAVY, width: int = 2,
             radius: int = 10) -> None:
        """A filled rounded rectangle with an outline."""
        (x0, y0), (x1, y1) = self._xy((box.left, box.top), (box.right, box.bottom))
        self.draw.rounded_rectangle((x0, y0, x1, y1), radius=radius * SCALE, fill=fill,
                                    outline=outline, width=width * SCALE)

    def text(self, x: float, y: float, words: str, size: int, style: str = "regular",
             colour: str = NAVY, anchor: str = "mm") -> None:
        """Text anchored at (x, y); the default anchor centres it both ways."""
        font = load_font(style, size)
        self.draw.text(self._xy((x, y))[0], words, font=font, fill=colour, anchor=anchor)

    def line(self, *points: tuple[float, float], colour: str = NAVY, width: int = 2) -> None:
        """A polyline with rounded joints, so bends look clean."""
        self.draw.line(self._xy(*points), fill=colour, width=width * SCALE, joint="curve")

    def arrow(self, *points: tuple[float, float], colour: str = NAVY, width: int = 2) -> None:
        """A polyline ending in a filled arrow head that points along its last segment."""
        (x0, y0), (x1, y1) = points[-2], points[-1]
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        head, half = 12, 6
        base = (x1 - ux * head, y1 - uy * head)
        self.line(*points[:-1], base, colour=colour, width=width)
        wing_a = (base[0] - uy * half, base[1] + ux * half)
        wing_b = (base[0] + uy * half, base[1] - ux * half)
        self.draw.polygon(self._xy((x1, y1), wing_a, wing_b), fill=colour)

    def circle(self, cx: float, cy: float, r: float, fill: str = WHITE) -> None:
        """An outlined circle centred on (cx, cy)."""
        (x0, y0), (x1, y1) = self._xy((cx - r, cy - r), (cx + r, cy + r))
        self.draw.ellipse((x0, y0, x1, y1), fill=fill, outline=NAVY, width=2 * SCALE)

    def save(self, path: Path) -> None:
        """Shrink to the final size and write a PNG with no metadata chunks."""
        small = self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        small.save(path, format="PNG", optimize=False)


def labelled_box(canvas: Canvas, box: Box, kind: str, title: str, subtitle: str = "") -> None:
    """A sub-layer box with a bold title and an optional smaller second line."""
    canvas.rect(box, FILLS[kind])
    if subtitle:
        canvas.text(box.cx, box.cy - 10, title, 22, "bold")
        canvas.text(box.cx, box.cy + 13, subtitle, 17, "italic", GREY)
    else:
        canvas.text(box.cx, box.cy, title, 22, "bold")


def qkv_inputs(canvas: Canvas, box: Box, branch_y: float, source_y: float,
               prongs: tuple[int, ...]) -> None:
    """The stream below a box splits into arrows entering its bottom edge (Q, K, V)."""
    fork_y = (box.bottom + branch_y) / 2
    canvas.line((box.cx, source_y), (box.cx, fork_y))
    xs = [box.cx + offset for offset in prongs]
    canvas.line((min(xs), fork_y), (max(xs), fork_y))
    for x in xs:
        canvas.arrow((x, fork_y), (x, box.bottom))


def residual(canvas: Canvas, branch_y: float, norm: Box, cx: float, side: int) -> None:
    """The skip connection: leaves the stream at `branch_y`, rejoins at the Add & Norm box.

    `side` is -1 to run down the left of the column, +1 for the right.
    """
    edge = norm.left if side < 0 else norm.right
    outer = edge + side * 18
    canvas.circle(cx, branch_y, 4, fill=BLUE)
    canvas.arrow((cx, branch_y), (outer, branch_y), (outer, norm.cy), (edge, norm.cy),
                 colour=BLUE)


@dataclass(frozen=True)
class Sublayer:
    """One sub-layer as placed on the page: its own box and the Add & Norm bar above it."""

    box: Box
    norm: Box
    kind: str
    title: str
    subtitle: str


def stack(cx: float, specs: list[tuple[str, str, str]]) -> tuple[list[Sublayer], Box]:
    """Lay out sub-layers bottom-up inside a frame ending at FRAME_BOTTOM.

    Each spec is (kind, title, subtitle). Returns the sub-layers, bottom first,
    and the frame that surrounds them.
    """
    placed: list[Sublayer] = []
    bottom = FRAME_BOTTOM - FRAME_PAD - 12
    for kind, title, subtitle in specs:
        box = centred_box(cx, bottom - SUBLAYER_H, SUBLAYER_H)
        norm = centred_box(cx, box.top - GAP - NORM_H, NORM_H)
        placed.append(Sublayer(box, norm, kind, title, subtitle))
        bottom = norm.top - GAP
    top = placed[-1].norm.top - FRAME_PAD + 8
    frame = Box(cx - BOX_W / 2 - FRAME_PAD, top, cx + BOX_W / 2 + FRAME_PAD, FRAME_BOTTOM)
    return placed, frame


def draw_layer(canvas: Canvas, cx: float, specs: list[tuple[str, str, str]], side: int,
               self_attention_rows: set[int]) -> tuple[list[Sublayer], Box]:
    """One encoder or decoder layer: frame, sub-layers, arrows and skip connections.

    Rows in `self_attention_rows` take queries, keys and values from the stream
    below, so their input arrow forks in three.
    """
    placed, frame = stack(cx, specs)
    canvas.rect(frame, FRAME_FILL, outline=GREY, radius=18)
    stream_y = FRAME_BOTTOM + 2  # the residual stream enters the frame from below
    for row, sub in enumerate(placed):
        branch_y = stream_y - 12
        if row in self_attention_rows:
            qkv_inputs(canvas, sub.box, branch_y, stream_y, (-70, 0, 70))
        else:
            canvas.arrow((cx, stream_y), (cx, sub.box.bottom))
        residual(canvas, branch_y, sub.norm, cx, side)
        canvas.arrow((cx, sub.box.top), (cx, sub.norm.bottom))
        labelled_box(canvas, sub.box, sub.kind, sub.title, sub.subtitle)
        labelled_box(canvas, sub.norm, "add_norm", "Add & Norm")
        stream_y = sub.norm.top
    return placed, frame


def side_label(canvas: Canvas, frame: Box, name: str, side: int) -> None:
    """'Encoder' or 'Decoder' and the N× repeat mark beside a layer frame."""
    x = frame.left - 62 if side < 0 else frame.right + 62
    canvas.text(x, frame.cy - 24, name, 26, "bold")
    canvas.text(x, frame.cy + 14, "N×", 30, "bold", BLUE)
    canvas.text(x, frame.cy + 46, "(N = 6)", 18, "italic", GREY)


def embedding_and_position(canvas: Canvas, cx: float, title: str, caption: str, side: int) -> None:
    """Token embedding, the sum with positional encoding, and the input caption below."""
    embed = centred_box(cx, EMBED_TOP, 56)
    canvas.arrow((cx, embed.bottom + 32), (cx, embed.bottom))
    canvas.text(cx, embed.bottom + 50, caption, 21, "italic", GREY)
    canvas.arrow((cx, embed.top), (cx, SUM_Y + 17))
    canvas.arrow((cx, SUM_Y - 17), (cx, FRAME_BOTTOM + 2))
    labelled_box(canvas, embed, "embedding", title, "× √d_model")
    canvas.circle(cx, SUM_Y, 17)
    canvas.text(cx, SUM_Y - 1, "+", 30, "bold")
    wave_x = cx + side * 82
    canvas.circle(wave_x, SUM_Y, 22)
    sine = [(wave_x - 14 + i, SUM_Y - 9 * math.sin(2 * math.pi * i / 28)) for i in range(29)]
    canvas.line(*sine, colour=BLUE, width=2)
    canvas.arrow((wave_x - side * 22, SUM_Y), (cx + side * 17, SUM_Y))
    anchor = "rm" if side < 0 else "lm"
    canvas.text(wave_x + side * 32, SUM_Y - 11, "Positional", 19, "regular", GREY, anchor)
    canvas.text(wave_x + side * 32, SUM_Y + 11, "encoding", 19, "regular", GREY, anchor)


def output_head(canvas: Canvas, frame: Box) -> None:
    """Linear, softmax and the output probabilities above the decoder stack."""
    linear = centred_box(DECODER_X, frame.top - 28 - 44, 44)
    softmax = centred_box(DECODER_X, linear.top - 26 - 44, 44)
    canvas.arrow((DECODER_X, frame.top), (DECODER_X, linear.bottom))
    canvas.arrow((DECODER_X, linear.top), (DECODER_X, softmax.bottom))
    canvas.arrow((DECODER_X, softmax.top), (DECODER_X, softmax.top - 24))
    canvas.text(DECODER_X, softmax.top - 38, "Output probabilities (next token)", 21, "italic",
                GREY)
    labelled_box(canvas, linear, "output", "Linear")
    labelled_box(canvas, softmax, "output", "Softmax")


def encoder_to_decoder(canvas: Canvas, encoder_frame: Box, cross: Box) -> None:
    """The encoder's output feeds keys and values into the decoder's cross-attention."""
    lift = encoder_frame.top - 30
    bend_x = (encoder_frame.right + cross.left) / 2 - 20
    canvas.line((ENCODER_X, encoder_frame.top), (ENCODER_X, lift), (bend_x, lift),
                (bend_x, cross.cy), colour=BLUE, width=3)
    canvas.arrow((bend_x, cross.cy - 12), (cross.left, cross.cy - 12), colour=BLUE, width=3)
    canvas.arrow((bend_x, cross.cy + 12), (cross.left, cross.cy + 12), colour=BLUE, width=3)
    canvas.line((bend_x, cross.cy - 12), (bend_x, cross.cy + 12), colour=BLUE, width=3)
    canvas.text(bend_x + 12, cross.cy - 34, "K, V", 19, "bold", BLUE, "lm")
    canvas.text((ENCODER_X + bend_x) / 2, lift - 16, "encoder output (memory)", 19, "italic",
                BLUE)


def legend(canvas: Canvas) -> None:
    """Colour key in the top-left corner, where the diagram leaves room."""
    x, y = 60, 60
    canvas.text(x, y, "Transformer (base model)", 28, "bold", NAVY, "lm")
    canvas.text(x, y + 32, "d_model = 512, h = 8 heads, d_ff = 2048", 20, "regular", GREY, "lm")
    for row, (kind, label) in enumerate(LEGEND):
        top = y + 72 + row * 34
        canvas.rect(Box(x, top, x + 34, top + 22), FILLS[kind], radius=4)
        canvas.text(x + 46, top + 11, label, 20, "regular", NAVY, "lm")
    top = y + 72 + len(LEGEND) * 34
    canvas.line((x, top + 11), (x + 34, top + 11), colour=BLUE, width=2)
    canvas.text(x + 46, top + 11, "Residual (skip) path", 20, "regular", NAVY, "lm")


def draw() -> Canvas:
    """The whole diagram, bottom-up in each column."""
    canvas = Canvas()
    encoder_layers = [
        ("attention", "Multi-Head Attention", "self-attention"),
        ("feed_forward", "Feed Forward", "position-wise"),
    ]
    decoder_layers = [
        ("attention", "Masked Multi-Head Attention", "self-attention, no peeking ahead"),
        ("attention", "Multi-Head Attention", "cross-attention over the encoder"),
        ("feed_forward", "Feed Forward", "position-wise"),
    ]
    _, encoder_frame = draw_layer(canvas, ENCODER_X, encoder_layers, -1, {0})
    decoder_sublayers, decoder_frame = draw_layer(canvas, DECODER_X, decoder_layers, +1, {0})
    embedding_and_position(canvas, ENCODER_X, "Input Embedding", "Inputs (source tokens)", -1)
    embedding_and_position(canvas, DECODER_X, "Output Embedding",
                           "Outputs so far (shifted right)", +1)
    side_label(canvas, encoder_frame, "Encoder", -1)
    side_label(canvas, decoder_frame, "Decoder", +1)
    encoder_to_decoder(canvas, encoder_frame, decoder_sublayers[1].box)
    output_head(canvas, decoder_frame)
    legend(canvas)
    return canvas


if __name__ == "__main__":
    draw().save(OUTPUT)
    print(f"wrote {OUTPUT}")
