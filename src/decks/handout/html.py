"""Turn a Document and a Theme into the handout's HTML: the theme's Jinja2 template, filled.

The writer only supplies facts (metadata, the body markup, the contents, theme
values); the cover, the contents page and every style decision live in the
theme's ``handout.html.j2`` and ``handout.css``. The HTML links the stylesheet,
so that a browser, or WeasyPrint run on the file alone, shows the same handout;
``pdf.py`` hands WeasyPrint the same stylesheet already parsed instead.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from decks import diskcache
from decks.errors import Diagnostic, ThemeError
from decks.handout.body import BodySettings, render_body
from decks.handout.highlight import pygments_css
from decks.model import Document
from decks.themes import Theme

TEMPLATE = "handout.html.j2"
STYLESHEET = "handout.css"


def render_document(
    document: Document,
    theme: Theme,
    *,
    group: str,
    base_dir: Path,
    repo_root: Path,
    allow_remote: bool = False,
    timestamp: int = 0,
    inline_notes: frozenset[int] = frozenset(),
) -> tuple[str, list[Diagnostic]]:
    """The handout's HTML for ``document``; ``base_dir`` is the Markdown file's folder.

    ``inline_notes`` are the numbers of footnotes to print in the text rather than
    at the foot of the page (``pdf.py`` uses it for notes a layout lost).
    """
    theme = theme.for_handout()  # its own colours and code style, where the theme gives the handout any
    settings = theme.section("handout")
    body = render_body(
        document,
        BodySettings(
            base_dir=base_dir,
            repo_root=repo_root,
            allow_remote=allow_remote,
            reading_list_headings=tuple(settings["reading_list_headings"]),
            wide_table_columns=int(settings["wide_table_columns"]),
            math_size=float(settings["body_size"]),
            math_colour=theme.colour("text"),
            pygments_style=str(theme.section("code")["pygments_style"]),
            inline_notes=inline_notes,
        ),
    )
    from markupsafe import Markup

    html = _template(theme).render(
        meta=document.meta,
        group=group,
        body=Markup(body.html),
        top_level=body.top_level,
        toc=[{"level": entry.level, "anchor": entry.anchor, "html": Markup(entry.html)} for entry in body.toc],
        colors=_css_names(theme.values["colors"]),
        handout=settings,
        properties=root_properties(theme),
        pygments_css=Markup(pygments_css(theme.section("code")["pygments_style"])),
        stylesheet_url=stylesheet_path(theme).as_uri(),
        base_url=base_dir.resolve().as_uri() + "/",
        source=document.source,
        date=datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        updated=datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d") if timestamp else "",
    )
    return html, body.diagnostics


def stylesheet_path(theme: Theme) -> Path:
    """The theme's handout.css (its own, or the one it inherits)."""
    path = theme.find(STYLESHEET)
    if path is None:
        raise ThemeError(f"theme '{theme.name}' has no {STYLESHEET}", str(theme.folders[0]))
    return path


def _template(theme: Theme) -> Any:
    if theme.find(TEMPLATE) is None:
        raise ThemeError(f"theme '{theme.name}' has no {TEMPLATE}", str(theme.folders[0]))
    return _environment(theme.folders, diskcache.folder("templates")).get_template(TEMPLATE)


@lru_cache(maxsize=8)
def _environment(folders: tuple[Path, ...], compiled: Path | None) -> Any:
    """One Jinja2 environment per theme chain: templates are compiled once per process.

    And kept compiled in ``compiled`` (``build/cache/templates``), which Jinja2
    checks against each template's source, so the next process need not compile them.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=FileSystemLoader([str(folder) for folder in folders]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_kept_compiled(compiled) if compiled is not None else None,
    )
    environment.filters["rgb"] = _rgb
    return environment


def _kept_compiled(folder: Path) -> Any:
    """Jinja2's bytecode cache in ``folder``, through decks.diskcache: it never fails a handout.

    (Jinja2's own FileSystemBytecodeCache raises when its folder cannot be
    written, has gone, or holds a damaged entry.)
    """
    from jinja2 import BytecodeCache

    class KeptCompiled(BytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            try:
                with (folder / f"{bucket.key}.cache").open("rb") as file:
                    bucket.load_bytecode(file)
            except Exception:  # missing, unreadable or damaged: the template is compiled afresh
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            buffer = io.BytesIO()
            bucket.write_bytecode(buffer)
            diskcache.write_atomically(folder / f"{bucket.key}.cache", buffer.getvalue())

    return KeptCompiled()


def _rgb(colour: str) -> str:
    """``#1F6FEB`` as ``31, 111, 235``, for ``rgba(...)`` tints in the stylesheet."""
    hex_digits = colour.lstrip("#")
    return ", ".join(str(int(hex_digits[i : i + 2], 16)) for i in (0, 2, 4))


def root_properties(theme: Theme) -> dict[str, str]:
    """The custom properties the handout sets on ``:root`` (``--text``, ``--body-size``, ...), by name without ``--``.

    The template writes them into the page and ``pdf.py`` into the theme's
    stylesheet before parsing it (``theme_values``): the two must agree.
    """
    from markupsafe import Markup

    theme = theme.for_handout()
    settings = theme.section("handout")
    properties: dict[str, str] = {}
    for name, value in _css_names(theme.values["colors"]).items():
        properties |= {name: value, f"{name}-rgb": _rgb(value)}
    for name in ("body_font", "heading_font", "code_font"):
        properties[_css_name(name)] = Markup(settings[name])  # quoted family names, as they are
    for name in ("body_size", "code_size", "footnote_size"):
        properties[_css_name(name)] = f"{settings[name]}pt"
    properties["line-height"] = str(settings["line_height"])
    return properties


def _css_names(colours: Mapping[str, str]) -> dict[str, str]:
    """Theme colours keyed by CSS custom property name: ``code_background`` -> ``code-background``."""
    return {_css_name(key): value for key, value in sorted(colours.items())}


def _css_name(key: str) -> str:
    return key.replace("_", "-")
