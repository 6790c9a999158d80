"""Lines drawn with the Pango layouts their line breaks made: the same PDF as WeasyPrint making them anew."""

from __future__ import annotations

from pathlib import Path

import pytest
from handout_helpers import build, rich_document
from weasyprint.draw import text as drawing
from weasyprint.text import line_break

from decks.handout import engine, kept_layouts

engine.load()

# Text that must still come out right: justified lines (drawn with spacing their line break left out), a
# preformatted block (a newline ends its lines), tabs, right-to-left text, spacing, hyphenation, an ellipsis
# (the drawing changes that line's layout), a line clamped with one, and an SVG's text.
PAGE = """<html lang="en"><body style="font-family: serif">
<p style="text-align: justify; width: 9cm">{prose}</p>
<pre>def attention(q, k, v):\n\treturn softmax(q @ k.T) @ v\n\n# done</pre>
<p dir="rtl" lang="ar">مرحبا بالعالم، هذا نص عربي طويل بما يكفي ليلتف على سطرين أو أكثر في هذه الصفحة الضيقة جدا</p>
<p style="letter-spacing: 0.1em; word-spacing: 0.3em; hyphens: auto; width: 4cm">{prose}</p>
<p style="width: 4cm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis">{prose}</p>
<p style="width: 4cm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis">{prose}</p>
<p style="width: 5cm; line-clamp: 2">{prose}</p>
<svg width="200" height="40"><text x="5" y="20" font-size="12">Text inside an SVG</text></svg>
</body></html>""".format(prose="Attention lets every position look at every other position at once, so the path "
                          "between two distant words is short and the whole computation runs in parallel. " * 3)


def _weasyprint_makes_layouts_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("set_text", "deactivate", "reactivate"):
        monkeypatch.setattr(line_break.Layout, name, kept_layouts._WEASYPRINT[name])
    monkeypatch.setattr(drawing, "draw_first_line", kept_layouts._WEASYPRINT["draw_first_line"])


def test_a_page_of_every_kind_of_text_gives_the_same_pdf_bytes_as_weasyprint_drawing_anew(monkeypatch):
    from weasyprint import HTML

    assert line_break.Layout.reactivate is kept_layouts.reactivate
    ours = HTML(string=PAGE).write_pdf()
    with monkeypatch.context() as patch:
        _weasyprint_makes_layouts_anew(patch)
        theirs = HTML(string=PAGE).write_pdf()
    assert ours == theirs


def test_a_handout_gives_the_same_pdf_bytes_as_weasyprint_drawing_anew(repo: Path, monkeypatch):
    ours = build(repo, rich_document(), name="ours")
    with monkeypatch.context() as patch:
        _weasyprint_makes_layouts_anew(patch)
        theirs = build(repo, rich_document(), name="theirs")
    assert ours.pdf.read_bytes() == theirs.pdf.read_bytes()


def test_lines_without_justification_or_ellipsis_are_drawn_with_the_layouts_their_line_breaks_made(monkeypatch):
    from weasyprint import HTML

    made_anew: list[str] = []
    weasyprint_reactivate = kept_layouts._WEASYPRINT["reactivate"]

    def counted(layout, style):
        made_anew.append(layout.text)
        weasyprint_reactivate(layout, style)

    monkeypatch.setitem(kept_layouts._WEASYPRINT, "reactivate", counted)
    HTML(string=PAGE.replace("text-align: justify", "text-align: left")).write_pdf()
    assert len(made_anew) == 3  # the lines drawn with an ellipsis: the clamped paragraph's last, the two cut off
    made_anew.clear()
    HTML(string=PAGE).write_pdf()
    assert len(made_anew) == 3 + 11  # and the justified paragraph's lines, all but its last of twelve
