"""WeasyPrint's Pango layouts made from parts shared by all text of the same font and language.

WeasyPrint 70 makes a Pango layout for every attempt at a line, for every
word whose width a table measures, and again for every piece of text it
draws; each time ``Layout.setup`` made a new Pango context (its direction
and language set), a new font description from the style, the font's
metrics for underlines, and the OpenType feature string, although a handout
has only a few dozen distinct fonts and one language. ``setup`` here makes
the same layout from those parts, each made once per font configuration:
a Pango layout keeps its own copy of the description and only reads its
context, so sharing them changes nothing in the PDF. Importing this module
imports WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from weasyprint.text import line_break
from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
from weasyprint.text.fonts import font_features, get_font_description

_DESCRIBED_BY = (  # the style values get_font_description reads
    "font_family", "font_style", "font_stretch", "font_weight", "font_size", "font_variant_caps",
    "font_variation_settings",
)
_FEATURES_FROM = (  # the style values, in font_features' order, that choose OpenType features
    "font_kerning", "font_variant_ligatures", "font_variant_position", "font_variant_caps",
    "font_variant_numeric", "font_variant_alternates", "font_variant_east_asian", "font_feature_settings",
)
_WEASYPRINT_SETUP = line_break.Layout.setup  # WeasyPrint's own, which the tests compare with


def install() -> None:
    """WeasyPrint sets up its text layouts with ``setup`` from now on in this process (again is harmless)."""
    line_break.Layout.setup = setup


@dataclass
class _Context:
    pointer: Any  # PangoContext *
    language: Any  # PangoLanguage *
    metrics: dict[tuple, tuple[float, ...]] = field(default_factory=dict)  # description key -> decoration metrics


@dataclass
class _Parts:
    """What the layouts of one font configuration share."""

    contexts: dict[tuple[str, str | None], _Context] = field(default_factory=dict)
    descriptions: dict[tuple, Any] = field(default_factory=dict)  # PangoFontDescription *
    features: dict[tuple, bytes] = field(default_factory=dict)


_PARTS: WeakKeyDictionary[Any, _Parts] = WeakKeyDictionary()  # FontConfiguration -> its parts


def setup(layout: Any, style: Any) -> None:
    """``Layout.setup`` as WeasyPrint 70 does it, from shared parts: the same Pango layout, attributes and metrics."""
    layout.style = style
    layout.first_line_direction = 0
    parts = _PARTS.setdefault(style.font_config, _Parts())
    context = _context(parts, style)
    layout.language = context.language
    description_key = tuple(map(style.__getitem__, _DESCRIBED_BY))
    description = _kept(parts.descriptions, description_key, lambda: get_font_description(style))
    layout.layout = ffi.gc(pango.pango_layout_new(context.pointer), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(layout.layout, False)
    pango.pango_layout_set_font_description(layout.layout, description)
    if style["text_decoration_line"] != "none":
        metrics = _kept(context.metrics, description_key, lambda: _decoration_metrics(context, description))
        (layout.ascent, layout.underline_position, layout.strikethrough_position, layout.underline_thickness,
         layout.strikethrough_thickness) = metrics
    else:
        layout.ascent = layout.underline_position = layout.strikethrough_position = None
    features = _features(parts, style)
    if features:
        # One attribute per feature string, kept where WeasyPrint keeps it (WeasyPrint made a new one each
        # time all the same); the list is the layout's own, as set_text adds to it
        kept = style.font_config.font_features
        attribute = kept.get(features) or kept.setdefault(features, pango.pango_attr_font_features_new(features))
        attributes = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attributes, attribute)
        pango.pango_layout_set_attributes(layout.layout, attributes)


def _context(parts: _Parts, style: Any) -> _Context:
    """The Pango context for the style's direction and language (None: Pango's default)."""
    if style["font_language_override"] != "normal":
        override = style["font_language_override"]
        language = LST_TO_ISO.get(override.lower(), override)
    else:
        language = style["lang"] or None
    key = (style["direction"], language)
    context = parts.contexts.get(key)
    if context is None:
        context = parts.contexts[key] = _new_context(style.font_config.font_map, *key)
    return context


def _new_context(font_map: Any, direction: str, language: str | None) -> _Context:
    pointer = ffi.gc(pango.pango_font_map_create_context(font_map), gobject.g_object_unref)
    pango.pango_context_set_round_glyph_positions(pointer, False)
    pango.pango_context_set_base_dir(pointer, PANGO_DIRECTION[direction])
    if language is None:
        return _Context(pointer, pango.pango_language_get_default())
    language_p, _ = unicode_to_char_p(language)
    pango_language = pango.pango_language_from_string(language_p)
    pango.pango_context_set_language(pointer, pango_language)
    return _Context(pointer, pango_language)


def _decoration_metrics(context: _Context, description: Any) -> tuple[float, ...]:
    """Ascent, underline position, strike-through position, underline and strike-through thickness."""
    metrics = ffi.gc(
        pango.pango_context_get_metrics(context.pointer, description, context.language),
        pango.pango_font_metrics_unref)
    return tuple(FROM_UNITS * value(metrics) for value in (
        pango.pango_font_metrics_get_ascent, pango.pango_font_metrics_get_underline_position,
        pango.pango_font_metrics_get_strikethrough_position, pango.pango_font_metrics_get_underline_thickness,
        pango.pango_font_metrics_get_strikethrough_thickness))


def _features(parts: _Parts, style: Any) -> bytes:
    """The style's OpenType features as Pango reads them (``b"kern 1,liga 0"``); empty for none."""
    values = tuple(map(style.__getitem__, _FEATURES_FROM))
    return _kept(parts.features, values, lambda: ",".join(
        f"{name} {value}" for name, value in font_features(*values).items()).encode())


def _kept(table: dict[tuple, Any], key: tuple, make: Callable[[], Any]) -> Any:
    """``table[key]``, made by ``make`` the first time; made afresh each time for a key that cannot be hashed.

    WeasyPrint's computed values are strings, numbers and tuples; a list among them is not expected, and not kept.
    """
    try:
        value = table.get(key)
    except TypeError:
        return make()
    if value is None:
        value = table[key] = make()
    return value
