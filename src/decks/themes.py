"""Load a theme folder: resolve its ``extends`` chain and validate its values.

The default theme's ``theme.toml`` is the schema: a theme may set only keys that
exist there, with values of the same type, and colours must be ``#RRGGBB``.
Files (``handout.css``, ``handout.html.j2``, ``template.pptx``) are looked up
along the chain ``[theme, its parents..., default]``, as MkDocs resolves themes.
The handout may have colours and a code style of its own (``[handout.colors]``,
``[handout.code]``), so that a dark theme can keep its handout a light page.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from decks.errors import ThemeError

DEFAULT_THEME = "default"
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_PAGE_SIZES = ("A4", "Letter")
# Tables of [handout] that set, for the handout only, keys of the top-level table of the same name.
_HANDOUT_OVERRIDES = ("colors", "code")


@dataclass(frozen=True)
class Theme:
    """A resolved theme: merged values and the folders to search for its files."""

    name: str
    folders: tuple[Path, ...]  # the theme first, the default theme last
    values: Mapping[str, Any]

    def section(self, name: str) -> Mapping[str, Any]:
        return self.values[name]

    def colour(self, key: str) -> str:
        """A colour as ``RRGGBB`` hex, without the hash."""
        return self.values["colors"][key].lstrip("#").upper()

    def find(self, filename: str) -> Path | None:
        """The first file of that name along the chain, or None if no theme has one."""
        for folder in self.folders:
            candidate = folder / filename
            if candidate.is_file():
                return candidate
        return None

    def with_values(self, values: Mapping[str, Any]) -> Theme:
        """The theme with some values replaced, as when a template.pptx's fonts win over theme.toml's."""
        merged = copy.deepcopy(dict(self.values))
        _merge(merged, values)
        return replace(self, values=merged)

    def for_handout(self) -> Theme:
        """The theme as the handout sees it: ``[handout.colors]`` and ``[handout.code]`` over their tables."""
        handout = self.values.get("handout", {})
        return self.with_values({name: handout.get(name, {}) for name in _HANDOUT_OVERRIDES})

    def files(self) -> list[Path]:
        """Every file the theme is made of, for staleness checks."""
        return sorted(p for folder in self.folders for p in folder.rglob("*") if p.is_file())


def available_themes(themes_dir: Path) -> list[str]:
    return sorted(p.parent.name for p in themes_dir.glob("*/theme.toml"))


def _is_folder_name(name: str) -> bool:
    """Whether ``name`` names a folder right inside themes/: a paper's ``theme: ../../elsewhere`` must not leave it."""
    return name not in ("", ".", "..") and not any(mark in name for mark in ("/", "\\", "\0"))


def load_theme(name: str, themes_dir: Path) -> Theme:
    """Read ``themes_dir/name`` and every theme it extends, merged and validated."""
    schema = _schema(themes_dir)
    chain = _resolve_chain(name, themes_dir)
    merged: dict[str, Any] = {}
    for folder in reversed(chain):
        values = _read_toml(folder / "theme.toml")
        _validate(values, schema, folder / "theme.toml")
        _merge(merged, values)
    return Theme(name=name, folders=tuple(chain), values=merged)


def _schema(themes_dir: Path) -> dict[str, Any]:
    """The default theme's values, with ``[handout.colors]`` allowed every key of ``[colors]`` (and so on)."""
    schema = _read_toml(themes_dir / DEFAULT_THEME / "theme.toml")
    for name in _HANDOUT_OVERRIDES:
        if "handout" in schema and name in schema:
            schema["handout"][name] = schema[name]
    return schema


def _resolve_chain(name: str, themes_dir: Path) -> list[Path]:
    chain: list[Path] = []
    current: str | None = name
    while current is not None:
        folder = themes_dir / current
        if not _is_folder_name(current) or not (folder / "theme.toml").is_file():
            choices = ", ".join(available_themes(themes_dir))
            raise ThemeError(f"unknown theme '{current}'; available: {choices}")
        if folder in chain:
            raise ThemeError(f"theme '{name}' extends itself in a loop", str(folder / "theme.toml"))
        chain.append(folder)
        extends = _read_toml(folder / "theme.toml").get("extends")
        current = extends if extends is not None else (None if current == DEFAULT_THEME else DEFAULT_THEME)
    return chain


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ThemeError(f"invalid TOML: {error}", str(path)) from None
    except OSError as error:
        raise ThemeError(f"cannot read theme file: {error.strerror}", str(path)) from None


def _validate(values: Mapping[str, Any], schema: Mapping[str, Any], path: Path, prefix: str = "") -> None:
    for key, value in values.items():
        dotted = f"{prefix}{key}"
        if key == "extends" and not prefix:
            if not isinstance(value, str):
                raise ThemeError("'extends' must be a theme name in quotes", str(path))
            continue
        if key not in schema:
            known = ", ".join(f"{prefix}{k}" for k in schema if k != "extends")
            raise ThemeError(f"unknown key '{dotted}'; known keys: {known}", str(path))
        expected = schema[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise ThemeError(f"'{dotted}' must be a table [{dotted}]", str(path))
            _validate(value, expected, path, f"{dotted}.")
        else:
            _check_value(dotted, value, expected, path)


def _check_value(dotted: str, value: Any, expected: Any, path: Path) -> None:
    numeric = isinstance(expected, int | float) and not isinstance(expected, bool)
    if numeric:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ThemeError(f"'{dotted}' must be a positive number, not {value!r}", str(path))
    elif not isinstance(value, type(expected)):
        raise ThemeError(f"'{dotted}' must be a {type(expected).__name__}, not {value!r}", str(path))
    if dotted.startswith(("colors.", "handout.colors.")) and not _COLOUR.fullmatch(value):
        raise ThemeError(f"'{dotted}' must be a colour like \"#1F2933\", not {value!r}", str(path))
    if dotted == "handout.page_size" and value not in _PAGE_SIZES:
        raise ThemeError(f"'{dotted}' must be one of {', '.join(_PAGE_SIZES)}, not {value!r}", str(path))


def _merge(into: dict[str, Any], values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        elif key != "extends":
            into[key] = value
