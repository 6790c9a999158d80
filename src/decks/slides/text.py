"""Wrap paragraphs into lines the way PowerPoint does, to know how tall a text box must be.

Lines break after spaces and hyphens; a word wider than the line breaks between
characters. Widths come from the real fonts (through a Measure), so a box sized
here holds its text in PowerPoint, Keynote and LibreOffice alike.
"""

from __future__ import annotations

import functools
import re
from msgspec.structs import replace

from decks.slides.measure import Measure
from decks.slides.shapes import LINE_BREAK, Para, Run

_BREAKS = re.compile(r"[^ /-]*(?:[/-]+ *| +)|[^ /-]+")  # a line may break after spaces, hyphens and slashes
SLACK = 1.0  # points: a line must fit with this to spare, so rounding in a viewer never wraps it
_SENTENCE_END = re.compile(r"[.!?][)\]\"'\u201d\u2019]* +")  # where a paragraph cut across slides reads best


def line_height(para: Para, measure: Measure) -> float:
    """The height of one line of ``para``: its tallest font at its size, times its spacing."""
    fonts = {(run.font, run.size) for run in para.runs if run.text != LINE_BREAK} | {(para.font, para.size)}
    return max(measure.line_height(font, size) for font, size in fonts) * para.line_spacing


def para_lines(para: Para, width: float, measure: Measure, *, wrap: bool = True) -> list[tuple[Run, ...]]:
    """The runs of each line of ``para`` in a box ``width`` points wide (insets already removed)."""
    return list(_wrapped(para, width, measure, wrap))


def forget_lines() -> None:
    """Drop the remembered lines (and the measure they hold, with its pictures) of the deck planned before."""
    _wrapped.cache_clear()


@functools.lru_cache(maxsize=8192)
def _wrapped(para: Para, width: float, measure: Measure, wrap: bool) -> tuple[tuple[Run, ...], ...]:
    """``para_lines``, remembered: fitting a slide asks for the same paragraph's lines again and again."""
    available = max(width - para.margin - SLACK, 1.0)
    lines: list[list[Run]] = [[]]
    used = -para.hanging if para.bullet is None else 0.0  # the first line starts left of the others, or a bullet
    after_broken_link = False
    for word in _words(para.runs):
        if word[0].text == LINE_BREAK or after_broken_link:
            lines.append([])
            used = 0.0
            after_broken_link = False
            if word[0].text == LINE_BREAK:
                continue
        full = sum(_width(run, measure) for run in word)
        ink = full - _trailing_space_width(word, measure)
        if not wrap or used + ink <= available:
            lines[-1].extend(word)
            used += full
            continue
        if lines[-1]:
            lines.append([])
            used = 0.0
        if ink <= available:
            lines[-1].extend(word)
            used = full
            continue
        for piece in _characters(word):
            piece_width = _width(piece, measure)
            if used + piece_width > available and lines[-1]:
                lines.append([])
                used = 0.0
            lines[-1].append(piece)
            used += piece_width
        after_broken_link = any(run.link for run in word)  # LibreOffice starts the next word on a new line
    return tuple(tuple(_merge(line)) for line in lines)


def para_height(para: Para, width: float, measure: Measure, *, wrap: bool = True) -> float:
    """Height of ``para`` in a box ``width`` wide, including its space before."""
    base = line_height(para, measure)
    return para.space_before + sum(base + _drop(line) for line in para_lines(para, width, measure, wrap=wrap))


def _drop(line: tuple[Run, ...]) -> float:
    """How much a subscript on the line pushes the next line down (viewers make room for it)."""
    return max((-run.baseline / 100 * run.size for run in line if run.baseline < 0), default=0.0)


def paras_height(paras: tuple[Para, ...] | list[Para], width: float, measure: Measure, *, wrap: bool = True) -> float:
    """Height of paragraphs stacked in one box: the first one's space before does not count."""
    if not paras:
        return 0.0
    total = sum(para_height(para, width, measure, wrap=wrap) for para in paras)
    return total - paras[0].space_before


def widest_line(para: Para, measure: Measure) -> float:
    """The width ``para`` needs to stay on one line (per forced line), margin included."""
    return para.margin + max(
        (sum(_width(run, measure) for run in line) for line in para_lines(para, 1e9, measure, wrap=False)),
        default=0.0,
    )


def longest_word(para: Para, measure: Measure) -> float:
    """The width of ``para``'s widest unbreakable word, margin included: a column's least width."""
    widths = [sum(_width(run, measure) for run in word) for word in _words(para.runs)]
    return para.margin + max(widths, default=0.0)


def split_para(para: Para, width: float, measure: Measure, room: float) -> tuple[Para, Para]:
    """``para`` cut after the lines that fit in ``room`` (one at least): the tail keeps the margin, not the bullet.

    The cut falls after a sentence in the last half of those lines when there is one, else between lines.
    """
    wrapped = para_lines(para, width, measure)
    base = line_height(para, measure)
    count = 0
    used = 0.0
    for line in wrapped[:-1]:
        used += base + _drop(line)
        if used > room and count:
            break
        count += 1
    text = "".join(run.text for line in wrapped[:count] for run in line)  # lines hold no line breaks
    earliest = sum(len(run.text) for line in wrapped[: (count + 1) // 2] for run in line)
    ends = [match.end() for match in _SENTENCE_END.finditer(text) if match.end() > earliest]
    head_runs, tail_runs = _cut(para.runs, ends[-1] if ends else len(text))
    head = replace(para, runs=_rstrip(head_runs), keep_with_next=False)
    tail = replace(para, runs=_lstrip(tail_runs), bullet=None, hanging=0.0, space_before=0.0, cut=True)
    return head, tail


def _cut(runs: tuple[Run, ...], offset: int) -> tuple[tuple[Run, ...], tuple[Run, ...]]:
    """The runs before and after character ``offset`` of their text, line breaks not counted."""
    head: list[Run] = []
    tail: list[Run] = []
    position = 0
    for run in runs:
        end = position + (0 if run.text == LINE_BREAK else len(run.text))
        if end <= offset and not (run.text == LINE_BREAK and position == offset):
            head.append(run)
        elif position >= offset:
            tail.append(run)
        else:
            head.append(replace(run, text=run.text[: offset - position]))
            tail.append(replace(run, text=run.text[offset - position :]))
        position = end
    return tuple(head), tuple(tail)


def _width(run: Run, measure: Measure) -> float:
    if run.text == LINE_BREAK:
        return 0.0
    return measure.text_width(run.text, run.font, run.size, run.bold, run.italic)


def _trailing_space_width(word: list[Run], measure: Measure) -> float:
    last = word[-1]
    stripped = last.text.rstrip(" ")
    if stripped == last.text:
        return 0.0
    return _width(last, measure) - _width(replace(last, text=stripped), measure)


def _words(runs: tuple[Run, ...]) -> list[list[Run]]:
    """Runs cut into words: a word ends where a line may break (after spaces, a hyphen or a slash).

    A line break is a word of its own; a word may span runs (``**bold**text``).
    A link is one word: LibreOffice keeps a link together as a field, and
    breaks it between characters only when it is wider than the whole line.
    """
    words: list[list[Run]] = [[]]
    for run in runs:
        if run.text == LINE_BREAK:
            words.extend([[run], []])
            continue
        for piece in [run.text] if run.link else _BREAKS.findall(run.text):
            words[-1].append(replace(run, text=piece))
            if piece.endswith((" ", "-", "/")):
                words.append([])
    return [word for word in words if word]


def _characters(word: list[Run]) -> list[Run]:
    return [replace(run, text=char) for run in word for char in run.text]


def _merge(runs: list[Run]) -> list[Run]:
    """Neighbouring pieces of one run joined again, so a line holds as few runs as the source."""
    merged: list[Run] = []
    for run in runs:
        if merged and run.text != LINE_BREAK and merged[-1].text != LINE_BREAK and replace(
            merged[-1], text=""
        ) == replace(run, text=""):
            merged[-1] = replace(merged[-1], text=merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


def _lstrip(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """The runs without the spaces and line breaks they start with."""
    while runs and runs[0].text == LINE_BREAK:
        runs = runs[1:]
    if runs and runs[0].text.startswith(" "):
        return (replace(runs[0], text=runs[0].text.lstrip(" ")), *runs[1:])
    return runs


def _rstrip(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """The runs without the spaces and line breaks they end with."""
    while runs and runs[-1].text == LINE_BREAK:
        runs = runs[:-1]
    if runs and runs[-1].text.endswith(" "):
        return (*runs[:-1], replace(runs[-1], text=runs[-1].text.rstrip(" ")))
    return runs
