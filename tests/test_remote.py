"""Web resources, only with --allow-remote: a timeout, a size cap, http(s) only, and a cache in build/cache/remote."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from web_server import Reply, serve

from decks import diskcache, remote
from decks.cli import main


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


CHART = png(120, 80)


@pytest.fixture(autouse=True)
def no_cache() -> Iterator[None]:
    """Each test starts, and leaves, without a cache folder (a build sets its own)."""
    diskcache.keep_in(None)
    yield
    diskcache.keep_in(None)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    diskcache.keep_in(tmp_path / "cache")
    return tmp_path / "cache" / "remote"


def failure(url: str) -> str:
    with pytest.raises(remote.FetchError) as raised:
        remote.fetch(url)
    return str(raised.value)


# ------------------------------------------------------------------ the fetcher


def test_a_web_address_is_fetched_with_its_content_type():
    with serve({"/chart.png": Reply(CHART, "image/png")}) as web:
        assert remote.fetch(f"{web.url}/chart.png") == remote.Fetched(CHART, "image/png")


def test_what_was_fetched_is_read_back_from_the_cache_without_a_request(cache):
    with serve({"/chart.png": Reply(CHART, "image/png")}) as web:
        remote.fetch(f"{web.url}/chart.png")
        assert remote.fetch(f"{web.url}/chart.png") == remote.Fetched(CHART, "image/png")
        assert web.requests == ["/chart.png"]
    assert len([path for path in cache.rglob("*") if path.is_file()]) == 1


def test_a_failed_fetch_is_not_kept_and_is_tried_again(cache):
    with serve({}) as web:
        assert failure(f"{web.url}/chart.png") == "the server answered 404 Not Found"
        web.replies["/chart.png"] = Reply(CHART, "image/png")
        assert remote.fetch(f"{web.url}/chart.png").body == CHART
        assert web.requests == ["/chart.png", "/chart.png"]


def test_a_damaged_cache_entry_is_fetched_again(cache):
    with serve({"/chart.png": Reply(CHART, "image/png")}) as web:
        remote.fetch(f"{web.url}/chart.png")
        [entry] = [path for path in cache.rglob("*") if path.is_file()]
        entry.write_bytes(entry.read_bytes()[:-10])
        assert remote.fetch(f"{web.url}/chart.png").body == CHART
        assert len(web.requests) == 2


@pytest.mark.parametrize(("url", "scheme"), [("file:///etc/passwd", "file"), ("ftp://127.0.0.1/x", "ftp"),
                                             ("data:,secret", "data")])
def test_only_http_and_https_addresses_are_fetched(url, scheme):
    assert failure(url) == f"only http and https addresses are fetched, not '{scheme}:'"


def test_a_redirect_to_another_web_address_is_followed():
    with serve({"/old.png": Reply(status=301, headers=(("Location", "/new.png"),)),
                "/new.png": Reply(CHART, "image/png")}) as web:
        assert remote.fetch(f"{web.url}/old.png").body == CHART


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/secret", "data:,secret"])
def test_a_redirect_to_any_other_kind_of_address_is_refused(target):
    with serve({"/chart.png": Reply(status=302, headers=(("Location", target),))}) as web:
        assert failure(f"{web.url}/chart.png") == f"it redirects to '{target}', which is no http(s) address"


@pytest.mark.parametrize("sized", [True, False])
def test_an_answer_larger_than_the_cap_is_refused_whether_or_not_it_says_its_size(monkeypatch, cache, sized):
    monkeypatch.setattr(remote, "MAX_BYTES", 100)
    with serve({"/chart.png": Reply(CHART, "image/png", sized=sized)}) as web:
        assert failure(f"{web.url}/chart.png") == "it is larger than 0.0001 MB"
    assert not cache.exists()


def test_a_server_that_does_not_answer_is_given_up_after_the_timeout(monkeypatch):
    monkeypatch.setattr(remote, "TIMEOUT_SECONDS", 0.3)
    with serve({"/chart.png": Reply(CHART, "image/png", stall=30)}) as web:
        started = time.monotonic()
        assert failure(f"{web.url}/chart.png") == "no answer within 0.3 s"
        assert time.monotonic() - started < 3


def test_the_timeout_holds_for_the_whole_answer_not_for_each_byte(monkeypatch):
    monkeypatch.setattr(remote, "TIMEOUT_SECONDS", 0.5)
    with serve({"/chart.png": Reply(CHART, "image/png", trickle=0.05)}) as web:  # each byte in time, the whole not
        started = time.monotonic()
        assert failure(f"{web.url}/chart.png") == "no answer within 0.5 s"
        assert time.monotonic() - started < 3


def test_a_server_that_cannot_be_reached_is_named():
    with serve({}) as web:
        url = f"{web.url}/chart.png"
    assert failure(url).startswith("cannot reach it (")


# ------------------------------------------------------------------ through a build


OVERVIEW = "# Web pictures\n\n## A chart\n\n![A chart from the web](@URL@)\n"  # the picture is on line 5
NOTES = "# Web pictures\n\nA chart from the web:\n\n![A chart from the web](@URL@)\n"
SOURCE = "papers/web-paper/overview.md"
DECK = "papers/web-paper/docs/web-paper.pptx"


def add_paper(root: Path, url: str) -> None:
    paper = root / "papers" / "web-paper"
    paper.mkdir()
    (paper / "overview.md").write_text(OVERVIEW.replace("@URL@", url), encoding="utf-8")
    (paper / "notes.md").write_text(NOTES.replace("@URL@", url), encoding="utf-8")


def build(root: Path, *args: str) -> int:
    return main(["-C", str(root), "build", "-j", "1", *args, "web-paper"])


def pictures(deck: Path) -> list[bytes]:
    return [shape.image.blob for slide in Presentation(str(deck)).slides for shape in slide.shapes
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


def placeholders(deck: Path) -> list[str]:
    return [shape.text_frame.text for slide in Presentation(str(deck)).slides for shape in slide.shapes
            if shape.name == "Placeholder"]


def test_with_allow_remote_the_deck_shows_a_web_image_as_a_picture(repo, capsys):
    with serve({"/chart.png": Reply(CHART, "image/png")}) as web:
        add_paper(repo, f"{web.url}/chart.png")
        assert build(repo, "--only", "deck", "--allow-remote") == 0
    assert pictures(repo / DECK) == [CHART]
    assert "0 warnings" in capsys.readouterr().err


def test_both_writers_fetch_a_web_image_once_and_later_builds_not_at_all(repo):
    with serve({"/chart.png": Reply(CHART, "image/png")}) as web:
        add_paper(repo, f"{web.url}/chart.png")
        assert build(repo, "--allow-remote") == 0
        assert build(repo, "--allow-remote", "--force") == 0
        assert web.requests == ["/chart.png"]
    assert pictures(repo / DECK) == [CHART]
    kept = [path for path in (repo / "build" / "cache" / "remote").rglob("*") if path.is_file()]
    assert len(kept) == 1 and kept[0].read_bytes().endswith(CHART)


def test_without_allow_remote_nothing_is_fetched_and_the_deck_shows_where_the_picture_would_be(repo, capsys):
    with serve({"/chart.png": Reply(CHART, "image/png")}) as web:
        add_paper(repo, f"{web.url}/chart.png")
        assert build(repo) == 0
        assert web.requests == []
    warning = f"{SOURCE}:5: warning: image '{web.url}/chart.png' is on the web; the deck fetches it only with " \
              "--allow-remote"
    assert warning in capsys.readouterr().err
    assert pictures(repo / DECK) == []
    assert placeholders(repo / DECK)[0].startswith(f"missing image: {web.url}/chart.png")
    assert not (repo / "build" / "cache" / "remote").exists()


def test_a_web_image_that_does_not_come_in_time_is_a_placeholder_and_a_warning_naming_its_line(
        repo, capsys, monkeypatch):
    monkeypatch.setattr(remote, "TIMEOUT_SECONDS", 0.3)
    with serve({"/chart.png": Reply(CHART, "image/png", stall=30)}) as web:
        add_paper(repo, f"{web.url}/chart.png")
        assert build(repo, "--only", "deck", "--allow-remote") == 0
    warning = f"{SOURCE}:5: warning: image '{web.url}/chart.png' could not be fetched: no answer within 0.3 s"
    assert warning in capsys.readouterr().err
    assert placeholders(repo / DECK)[0].startswith(f"missing image: {web.url}/chart.png")


def test_a_web_image_larger_than_the_cap_is_a_placeholder_and_a_warning_naming_its_line(repo, capsys, monkeypatch):
    monkeypatch.setattr(remote, "MAX_BYTES", 100)
    with serve({"/chart.png": Reply(CHART, "image/png")}) as web:
        add_paper(repo, f"{web.url}/chart.png")
        assert build(repo, "--only", "deck", "--allow-remote") == 0
    warning = f"{SOURCE}:5: warning: image '{web.url}/chart.png' could not be fetched: it is larger than 0.0001 MB"
    assert warning in capsys.readouterr().err
    assert pictures(repo / DECK) == []


def test_the_handout_says_which_web_image_it_could_not_fetch_and_where(repo, capsys, monkeypatch):
    monkeypatch.setattr(remote, "TIMEOUT_SECONDS", 0.3)
    with serve({"/chart.png": Reply(CHART, "image/png", stall=30)}) as web:
        add_paper(repo, f"{web.url}/chart.png")
        assert build(repo, "--only", "handout", "--allow-remote") == 0
    err = capsys.readouterr().err
    assert f"papers/web-paper/notes.md:5: warning: could not fetch '{web.url}/chart.png': no answer within 0.3 s" in err
    assert "WeasyPrint" not in err


def test_a_deck_built_without_allow_remote_is_rebuilt_when_it_is_given(repo, capsys):
    with serve({"/chart.png": Reply(CHART, "image/png")}) as web:
        add_paper(repo, f"{web.url}/chart.png")
        assert build(repo, "--only", "deck") == 0
        assert build(repo, "--only", "deck", "--allow-remote") == 0
        assert build(repo, "--only", "deck", "--allow-remote") == 0
    summaries = [line for line in capsys.readouterr().err.splitlines() if line.startswith("decks: ")]
    assert [summary.split(",")[0] for summary in summaries] == ["decks: 1 built", "decks: 1 built", "decks: 0 built"]
    assert pictures(repo / DECK) == [CHART]
