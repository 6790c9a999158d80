"""Math in the handout: LaTeX typeset as vector images by ``decks.equations``, or its source when that fails.

Inline math sits on the baseline (lowered by the formula's depth). Sizes are
given in em of the size it was typeset at, so a formula scales with the text
around it: body text, a table cell, a footnote. The LaTeX stays as alt text.
"""

from __future__ import annotations

from base64 import b64encode
from html import escape


def math_markup(tex: str, *, display: bool, size_pt: float, colour: str, preamble: str = "") -> tuple[str, str]:
    """The markup for one formula in ``colour`` (``RRGGBB``), and why it could not be typeset ("" if it was).

    ``preamble`` holds the page's macro definitions (``equations.collect_macros``).
    """
    from decks.equations import typeset

    rendered = typeset(tex, display=display, size_pt=size_pt, color=colour, preamble=preamble)
    if rendered.problem:
        return _source_markup(tex, display=display), rendered.problem
    data = b64encode(rendered.svg.encode("utf-8")).decode("ascii")
    size = (
        f"width: {rendered.width_pt / size_pt:.3f}em; height: {rendered.height_pt / size_pt:.3f}em; "
        f"vertical-align: {-rendered.depth_pt / size_pt:.3f}em"
    )
    kind = "math-block" if display else "math"
    return f'<img class="{kind}" src="data:image/svg+xml;base64,{data}" alt="{escape(tex)}" style="{size}">', ""


def _source_markup(tex: str, *, display: bool) -> str:
    """The LaTeX itself in monospace, for a formula that could not be typeset."""
    kind = "math-source math-source-block" if display else "math-source"
    return f'<code class="{kind}">{escape(tex, quote=False)}</code>'
