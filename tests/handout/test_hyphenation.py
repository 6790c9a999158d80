"""Hyphenation patterns kept parsed in build/cache: pyphen's own patterns, so the same hyphens in the same PDF."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyphen
import pytest

from decks import diskcache
from decks.handout.hyphenation import _KeptDictionaries

WORDS = ["hyphenation", "representations", "transformer", "self-attention", "regularisation", "a"]
NOTES_HANDOUT = "papers/tiny-paper/docs/tiny-paper-handout.pdf"
REBUILD_HANDOUT = "import sys; from decks.cli import main; sys.exit(main(['-C', sys.argv[1], 'build', '-q', " \
                  "'--force', '--only', 'handout']))"


def test_kept_patterns_are_the_ones_pyphen_parses_and_hyphenate_alike(tmp_path, monkeypatch):
    monkeypatch.setattr(diskcache, "_root", tmp_path)
    path = pyphen.LANGUAGES["en_US"]
    parsed = pyphen.HyphDict(path)
    _KeptDictionaries()[path] = parsed
    kept = _KeptDictionaries()
    assert path in kept  # a new process's cache finds it on disk, without parsing
    assert (kept[path].patterns, kept[path].maxlen) == (parsed.patterns, parsed.maxlen)
    assert [kept[path].positions(word) for word in WORDS] == [parsed.positions(word) for word in WORDS]


@pytest.mark.parametrize("damage", ['{"patterns": {"ab": "not a pattern"}, "maxlen": 2}',
                                    '{"patterns": {"hy": [0, ["x"]]}, "maxlen": 2}', '{"patterns": {}}', "{not json"])
def test_a_damaged_entry_is_not_used_and_is_kept_whole_again_once_parsed(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(diskcache, "_root", tmp_path)
    path = pyphen.LANGUAGES["en_US"]
    _KeptDictionaries()[path] = pyphen.HyphDict(path)
    [entry] = (tmp_path / "hyphenation").glob("??/*.json")
    entry.write_text(damage, encoding="utf-8")
    assert path not in _KeptDictionaries()
    _KeptDictionaries()[path] = pyphen.HyphDict(path)
    assert path in _KeptDictionaries()


def test_a_handout_is_the_same_whether_its_process_parsed_the_patterns_or_read_them(built_repo: Path):
    before = (built_repo / NOTES_HANDOUT).read_bytes()
    kept = built_repo / "build" / "cache" / "hyphenation"
    shutil.rmtree(kept, ignore_errors=True)
    rebuild_handout(built_repo)  # parses the patterns, and keeps them
    assert list(kept.glob("??/*.json"))
    assert (built_repo / NOTES_HANDOUT).read_bytes() == before
    rebuild_handout(built_repo)  # reads them
    assert (built_repo / NOTES_HANDOUT).read_bytes() == before


def rebuild_handout(root: Path) -> None:
    """A build in a process of its own, which has parsed no patterns yet."""
    subprocess.run([sys.executable, "-c", REBUILD_HANDOUT, str(root)], check=True)


# ------------------------------------------------------------------ a table's narrowest measure

LONG_WORDS = ("internationalisation representations regularisation characteristically "
              "incomprehensibilities electroencephalography counterrevolutionaries")
NARROW_TABLE = f"""<html lang="en"><body style="font-family: serif; hyphens: auto">
<table style="width: 6cm"><tr><td>{LONG_WORDS}</td><td>{LONG_WORDS}</td><td>short</td></tr></table>
<p style="width: 0">{LONG_WORDS}</p></body></html>"""


def _one_way_offered_is_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from contextlib import nullcontext

    from decks.handout import hyphenation

    monkeypatch.setattr(hyphenation, "shortest_only", lambda context: nullcontext())


def test_splits_at_width_0_give_the_same_pdf_as_trying_every_way_to_hyphenate(monkeypatch):
    from decks.handout import engine

    engine.load()
    from weasyprint import HTML

    ours = HTML(string=NARROW_TABLE).write_pdf()
    with monkeypatch.context() as patch:
        _one_way_offered_is_switched_off(patch)
        theirs = HTML(string=NARROW_TABLE).write_pdf()
    assert ours == theirs


def test_splits_at_width_0_lay_out_one_way_to_hyphenate_a_word_not_each(monkeypatch):
    from decks.handout import engine

    engine.load()
    from weasyprint import HTML
    from weasyprint.text import line_break

    def layouts_made() -> int:
        made = []

        def counted(text, style, context, max_width, justification_spacing):
            if max_width == 0:
                made.append(text)
            return create(text, style, context, max_width, justification_spacing)

        with monkeypatch.context() as patch:
            patch.setattr(line_break, "create_layout", counted)
            HTML(string=NARROW_TABLE).write_pdf()
        return len(made)

    create = line_break.create_layout
    ours = layouts_made()
    with monkeypatch.context() as patch:
        _one_way_offered_is_switched_off(patch)
        theirs = layouts_made()
    assert ours < 0.6 * theirs
