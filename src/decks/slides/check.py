"""Plan a Document as a deck with the real fonts and images, without writing anything.

``write_deck`` renders the plan this makes; ``decks check`` only wants its
diagnostics. Both start here, so a check reports exactly what a build would.
"""

from __future__ import annotations

from pathlib import Path

from decks.errors import Diagnostic
from decks.model import Document, Math, MathBlock
from decks.slides.metrics import RealMeasure
from decks.slides.outline import outline
from decks.slides.plan import instances, plan_deck
from decks.slides.shapes import DeckPlan
from decks.themes import Theme


def plan_document(document: Document, theme: Theme, *, repo_root: Path, allow_remote: bool = False
                  ) -> tuple[DeckPlan, RealMeasure, list[Diagnostic]]:
    """The fitted plan of ``document``, the measure holding its pictures, and what had to be worked around.

    Raises EnvironmentProblem when a font the theme names (or its metric twin) is not installed.
    """
    fonts = theme.values["fonts"]
    formulas = tuple(node.tex for node in instances(document, Math | MathBlock))
    measure = RealMeasure(
        (fonts["heading"], fonts["body"], fonts["code"]),
        document.source,
        repo_root,
        math_font=str(theme.section("deck")["math_font"]),
        math_colour=theme.colour("text"),
        formulas=formulas,
        allow_remote=allow_remote,
    )
    plan, diagnostics = plan_deck(outline(document), theme, measure, meta=document.meta,
                                  footnotes=document.footnotes, source=document.source)
    return plan, measure, diagnostics


def check_deck(document: Document, theme: Theme, *, repo_root: Path) -> list[Diagnostic]:
    """What writing ``document`` as a deck would report (squeezed or overflowing content, missing images).

    Planned with the slide size and fonts of the theme's template.pptx, if it has one, as ``write_deck`` plans.
    """
    from decks.slides.template import with_template

    return plan_document(document, with_template(theme, repo_root), repo_root=repo_root)[2]
