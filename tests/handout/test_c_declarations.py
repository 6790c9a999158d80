"""WeasyPrint's C declarations parsed once and kept: later processes load WeasyPrint without pycparser, same PDF."""

from __future__ import annotations

import json
import marshal
import subprocess
import sys
from pathlib import Path

import pytest

from decks import diskcache
from decks.handout import c_declarations

# One process: load WeasyPrint as handouts do, with the cache in argv[1] (none if empty), and write a PDF.
LOAD_AND_WRITE = """
import hashlib, json, sys
from pathlib import Path
from decks import diskcache
diskcache.keep_in(Path(sys.argv[1]) if sys.argv[1] else None)
from decks.handout import engine
engine.load()
import weasyprint
ffi = sys.modules["weasyprint.text.ffi"].ffi
pdf = weasyprint.HTML(string="<p lang=en style='text-align: justify; hyphens: auto'>" + "Hyphenated words "
                      "interlinked characteristically, <u>underlined</u> and <b>bold</b>. " * 40).write_pdf()
print(json.dumps({"parsed": "pycparser" in sys.modules, "ffi": type(ffi).__name__,
                  "pdf": hashlib.sha256(pdf).hexdigest()}))
"""


def _load(cache: Path | None) -> dict:
    done = subprocess.run([sys.executable, "-c", LOAD_AND_WRITE, str(cache or "")], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "c-declarations").rglob("*.marshal"))


def test_the_first_process_parses_the_declarations_and_keeps_them_the_next_loads_them_parsed(tmp_path: Path):
    first = _load(tmp_path / "cache")
    later = _load(tmp_path / "cache")
    assert first["parsed"] and len(_entries(tmp_path / "cache")) == 1
    assert not later["parsed"] and later["ffi"] == "_PrebuiltFFI"
    assert later["pdf"] == first["pdf"]


def test_without_a_cache_weasyprint_parses_its_declarations_itself(tmp_path: Path):
    plain = _load(None)
    assert plain["parsed"] and plain["ffi"] == "FFI"
    assert plain["pdf"] == _load(tmp_path / "cache")["pdf"]


@pytest.mark.parametrize("damage", [b"", b"not marshal", None], ids=["empty", "garbage", "checksum wrong"])
def test_a_damaged_entry_is_parsed_again_and_kept_again(tmp_path: Path, damage):
    cache = tmp_path / "cache"
    good = _load(cache)
    (entry,) = _entries(cache)
    if damage is None:
        checksum, payload = marshal.loads(entry.read_bytes())
        damage = marshal.dumps(("0" * 64, payload))
    entry.write_bytes(damage)
    again = _load(cache)
    assert again["parsed"] and again["pdf"] == good["pdf"]
    assert c_declarations._read(entry) is not None


def test_declarations_other_than_the_kept_ones_are_refused_while_weasyprint_is_imported(tmp_path: Path):
    diskcache.keep_in(tmp_path / "cache")
    try:
        tables = c_declarations._tables()
    finally:
        diskcache.keep_in(None)
    assert tables is not None
    declared, arguments = tables
    ffi = c_declarations._PrebuiltFFI("decks_test", **arguments)
    ffi.declared = declared
    with pytest.raises(c_declarations.DeclarationsChanged):
        ffi.cdef("int another_function(int);")
    source = c_declarations._declaring_file().read_text(encoding="utf-8")
    assert "pango_layout_new" in source and ffi.sizeof("PangoRectangle") == 16
