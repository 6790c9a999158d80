"""What a handout may load: the rule (access), WeasyPrint's fetcher, and the raw HTML cleaner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from handout_helpers import FIXTURES
from web_server import Reply, Server, serve

from decks.handout.access import access
from decks.handout.sanitize import clean_html

# ------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("address", "refusal"),
    [
        ("figures/bar-chart.png", ""),
        ("./figures/../figures/bar-chart.png", ""),
        ("data:image/png;base64,AAAA", ""),
        ("figures/absent.png", "no such file"),
        ("../../../etc/passwd", "it is outside the repository; only files inside it are loaded"),
        ("/etc/passwd", "it is outside the repository; only files inside it are loaded"),
        ("file:///etc/passwd", "it is outside the repository; only files inside it are loaded"),
        ("https://example.org/x.png", "remote addresses are fetched only with --allow-remote"),
        ("ftp://example.org/x.png", "'ftp:' addresses are never loaded"),
        ("javascript:alert(1)", "'javascript:' addresses are never loaded"),
    ],
)
def test_only_files_inside_the_repository_and_data_urls_may_be_loaded(repo, address, refusal):
    assert access(address, repo / "papers" / "sample", repo, allow_remote=False).refusal == refusal


def test_a_symlink_that_leads_out_of_the_repository_is_refused(repo):
    (repo / "papers" / "sample" / "escape.png").symlink_to("/etc/passwd")
    refusal = access("escape.png", repo / "papers" / "sample", repo, allow_remote=False).refusal
    assert refusal.startswith("it is outside the repository")


def test_remote_addresses_are_allowed_only_when_asked_for(repo):
    assert access("https://example.org/x.png", repo, repo, allow_remote=True).url == "https://example.org/x.png"


# ------------------------------------------------------------------ WeasyPrint's fetcher


def test_the_fetcher_serves_repository_files_with_their_type(repo):
    from decks.handout.fetch import RepositoryFetcher

    fetcher = RepositoryFetcher(repo, "notes.md", allow_remote=False)
    path = repo / "papers" / "sample" / "figures" / "bar-chart.png"
    response = fetcher(path.as_uri())
    assert response.content_type == "image/png"
    assert response.read() == path.read_bytes()
    assert fetcher.diagnostics == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "ftp://example.org/x"])
def test_the_fetcher_refuses_everything_else_and_says_so(repo, url):
    from decks.handout.fetch import RepositoryFetcher

    fetcher = RepositoryFetcher(repo, "papers/sample/notes.md", allow_remote=False)
    with pytest.raises(PermissionError):
        fetcher(url)
    assert [d.message.split(":")[0] for d in fetcher.diagnostics] == [f"refused to load '{url.split(':')[0]}"]
    assert fetcher.refused == [url]


def test_each_distinct_data_address_gets_a_short_one_the_fetcher_serves(repo):
    from decks.handout.fetch import RepositoryFetcher, short_data_addresses

    svg = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="
    html = f'<p><img src="{svg}"> <img src="figures/bar-chart.png"> <img alt="again" src="{svg}"></p>'
    markup, data = short_data_addresses(html)
    assert markup == ('<p><img src="decks-data:0"> <img src="figures/bar-chart.png"> '
                      '<img alt="again" src="decks-data:0"></p>')
    assert data == {"decks-data:0": svg}
    fetcher = RepositoryFetcher(repo, "papers/sample/notes.md", allow_remote=False, data=data)
    assert fetcher("decks-data:0").read() == b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    with pytest.raises(PermissionError):
        fetcher("decks-data:1")  # not one of this handout's: an unknown scheme, refused


@pytest.mark.parametrize("address", [
    "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
    "data:image/png;base64,iVBORw0KGgo=",
    "data:image/svg+xml;charset=utf-8;base64,PHN2Zy8+",  # a parameter: urllib's way
    "data:image/svg+xml,%3Csvg%2F%3E",  # percent-encoded: urllib's way
    "data:;base64,aGk=",
])
def test_data_addresses_are_read_as_weasyprint_reads_them(repo, address):
    from weasyprint.urls import URLFetcher

    from decks.handout.fetch import RepositoryFetcher

    ours = RepositoryFetcher(repo, "papers/sample/notes.md", allow_remote=False)(address)
    theirs = URLFetcher()(address)
    assert (ours.read(), ours.content_type, ours.charset) == (theirs.read(), theirs.content_type, theirs.charset)


def test_formulas_read_from_short_addresses_give_the_same_pdf_as_from_their_data_addresses(repo, monkeypatch):
    from handout_helpers import build, document, para

    from decks.handout import fetch
    from decks.model import Math, MathBlock

    blocks = [para("Inline ", Math(r"\sqrt{d_k}"), " twice: ", Math(r"\sqrt{d_k}"), "."), MathBlock(r"\sum_i x_i^2")]
    ours = build(repo, document(*blocks), name="ours")
    with monkeypatch.context() as patch:
        patch.setattr(fetch, "short_data_addresses", lambda html: (html, {}))
        theirs = build(repo, document(*blocks), name="theirs")
    assert ours.html.read_text() == theirs.html.read_text()  # the written HTML keeps its data: addresses
    assert "data:image/svg+xml" in ours.html.read_text()
    assert ours.pdf.read_bytes() == theirs.pdf.read_bytes()


CHART = (FIXTURES / "bar-chart.png").read_bytes()


@pytest.fixture
def web() -> Iterator[Server]:
    with serve({"/chart.png": Reply(CHART, "image/png")}) as server:
        yield server


def test_with_remote_fetching_allowed_a_web_image_is_fetched_with_its_type(repo, web):
    from decks.handout.fetch import RepositoryFetcher

    response = RepositoryFetcher(repo, "notes.md", allow_remote=True)(f"{web.url}/chart.png")
    assert (response.read(), response.content_type) == (CHART, "image/png")


def test_a_remote_answer_larger_than_the_cap_is_refused_and_said(repo, web, monkeypatch):
    from decks import remote
    from decks.handout.fetch import RepositoryFetcher

    monkeypatch.setattr(remote, "MAX_BYTES", 100)
    fetcher = RepositoryFetcher(repo, "notes.md", allow_remote=True)
    with pytest.raises(PermissionError, match="larger than"):
        fetcher(f"{web.url}/chart.png")
    assert [d.message for d in fetcher.diagnostics] == [
        f"could not fetch '{web.url}/chart.png': it is larger than 0.0001 MB"
    ]
    assert fetcher.refused == [f"{web.url}/chart.png"]


# ------------------------------------------------------------------ the raw HTML cleaner


def clean(markup: str) -> str:
    return clean_html(markup, 1, lambda src, alt, attributes, line: f"[img {src}]", lambda url: f"[{url}]")


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("<p>text <b>bold</b></p>", "<p>text <b>bold</b></p>"),
        ('<p onclick="x()" style="color:red" class="c" align="center">a</p>', '<p align="center">a</p>'),
        ("<script>alert(1)</script>after", "after"),
        ("<div><iframe src='x'><p>inside</p></iframe>after</div>", "<div>after</div>"),
        ("<embed src='x'><link rel=stylesheet href='y'><meta http-equiv=refresh>after", "after"),
        ("<custom>kept text</custom>", "kept text"),
        ("<div><em>never closed", "<div><em>never closed</em></div>"),
        ("</div>stray end tag", "stray end tag"),
        ('<a href="javascript:alert(1)">js</a>', "<a>js</a>"),
        ('<a href="https://example.org">site</a>', '<a href="https://example.org">site</a>[https://example.org]'),
        ('<a href="#local">here</a>', '<a href="#local">here</a>'),
        ('<img src="x.png" alt="X">', "[img x.png]"),
        ("1 &lt; 2 &amp; <br>done", "1 &lt; 2 &amp; <br>done"),
        ("<svg><image href='file:///etc/passwd'/></svg>after", "after"),
    ],
)
def test_raw_html_is_rebuilt_from_what_is_allowed(raw, cleaned):
    assert clean(raw) == cleaned


def test_the_cleaner_reports_images_with_their_own_line():
    lines: list[int] = []
    clean_html("<p>\n\n<img src='a.png'></p>", 10, lambda src, alt, attributes, line: lines.append(line) or "", str)
    assert lines == [12]

