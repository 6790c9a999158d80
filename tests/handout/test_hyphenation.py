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
