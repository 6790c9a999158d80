"""Reading source files: UTF-8 with or without a BOM, any line endings; clear refusals otherwise."""

import pytest

from decks.errors import SourceError
from decks.reading import MAX_BYTES, read_text


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
