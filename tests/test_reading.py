"""Reading source files: UTF-8 with or without a BOM, any line endings; clear refusals otherwise."""

import json
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
from fixture_repo import REPO

from decks.errors import SourceError
from decks.model import Document
from decks.reading import MAX_BYTES, read_file, read_text

CORPUS = REPO.parent / "shared" / "corpus"


def test_a_byte_order_mark_and_crlf_line_endings_just_work(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes(b"\xef\xbb\xbf# Title\r\n\r\nText\r\n")
    assert read_text(path, "notes.md") == "# Title\n\nText\n"


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes("# Title\n\nCaf\u00e9\n".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        read_text(path, "papers/x/notes.md")
    assert str(caught.value) == "papers/x/notes.md:3: is not UTF-8 (byte 0xE9); save the file as UTF-8"


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"])
def test_an_empty_file_is_refused_with_what_to_write(tmp_path, content):
    path = tmp_path / "overview.md"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="is empty; start it with a '# Title' heading"):
        read_text(path, "overview.md")


def test_a_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes(b"word " * (MAX_BYTES // 5 + 1))
    with pytest.raises(SourceError, match="decks reads Markdown files up to"):
        read_text(path, "notes.md")


# ------------------------------------------------------------------ the cache of read documents

READ_AND_REPORT = (
    "import json, sys; from pathlib import Path; from decks.reading import read_file; import msgspec;"
    "root = Path(sys.argv[1]);"
    "document, found = read_file(root / 'papers/p/notes.md', root, 'Fallback', root / 'build/cache/documents');"
    "print(json.dumps([msgspec.to_builtins(document), [str(d) for d in found], 'markdown' in sys.modules]))"
)


def read_in_a_fresh_process(root: Path) -> tuple[object, list[str], bool]:
    output = subprocess.run([sys.executable, "-c", READ_AND_REPORT, str(root)], capture_output=True, text=True,
                            check=True)
    return tuple(json.loads(output.stdout))


@pytest.fixture
def paper_root(tmp_path: Path) -> Path:
    (tmp_path / "papers" / "p").mkdir(parents=True)
    notes = (REPO / "papers" / "attention-is-all-you-need" / "notes.md").read_text(encoding="utf-8")
    (tmp_path / "papers" / "p" / "notes.md").write_text(notes + "\n```\nnever closed\n", encoding="utf-8")
    return tmp_path


def test_a_document_read_before_comes_back_from_the_cache_without_python_markdown(paper_root):
    first = read_in_a_fresh_process(paper_root)
    again = read_in_a_fresh_process(paper_root)
    assert first[2] is True and again[2] is False
    assert again[:2] == first[:2]
    assert any("code fence is never closed" in message for message in again[1])  # warnings come back too


def test_an_edited_file_is_read_afresh(paper_root):
    read_in_a_fresh_process(paper_root)
    notes = paper_root / "papers" / "p" / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")
    document, _, parsed = read_in_a_fresh_process(paper_root)
    assert parsed is True and "A new last line." in json.dumps(document)


def test_a_damaged_cache_entry_is_ignored(paper_root):
    expected = read_in_a_fresh_process(paper_root)
    for entry in (paper_root / "build" / "cache" / "documents").rglob("*.json"):
        entry.write_text('{"_": "document", "document": {"@": "Nonsense"}, "diagnostics": []}', encoding="utf-8")
    assert read_in_a_fresh_process(paper_root)[:2] == expected[:2]


def test_a_refusal_is_kept_and_given_again_with_its_line(tmp_path):
    (tmp_path / "papers" / "p").mkdir(parents=True)
    (tmp_path / "papers" / "p" / "notes.md").write_text("---\ntitle: [unclosed\n---\n# T\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(SourceError, match="front matter is not valid YAML") as caught:
            read_file(tmp_path / "papers" / "p" / "notes.md", tmp_path, "T", tmp_path / "build" / "cache")
        assert (caught.value.path, caught.value.line) == ("papers/p/notes.md", 2)


def test_every_corpus_document_survives_its_json_form_unchanged():
    from decks.markdown import read_document

    for path in [REPO / "papers" / "attention-is-all-you-need" / name for name in ("overview.md", "notes.md")] + \
            sorted(CORPUS.glob("*.md")):
        document, _ = read_document(path.read_text(encoding="utf-8"), "papers/x/notes.md")
        assert msgspec.convert(json.loads(json.dumps(msgspec.to_builtins(document))), Document) == document, path.name
