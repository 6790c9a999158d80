"""Safe by default: a hostile paper, built next to good ones, reads nothing outside the repository and nothing from the web.

The hostile paper (``fixtures/hostile/paper.md``, as both its overview and its
notes) reaches for a secret file beside the repository in every way Markdown,
raw HTML, CSS and SVG allow, and for a web server the test runs on 127.0.0.1.
Other papers are symlinks out of the repository, or ask for a theme outside
it. The build must not send the server a single request, the secret's marker
must appear in no output (deck parts, PDF text and streams, build/), each
refusal must be a warning naming ``file:line``, and everything else must render.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import secrets
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fixture_repo import FIXTURE_REPO, REPO, fresh_repo
from output_text import package_parts, page_texts, pdf_stream_bytes, slide_texts
from PIL import Image, PngImagePlugin

from decks.cli import main
from decks.outputs import ownership

HOSTILE = REPO / "tests" / "fixtures" / "hostile"
PAPER = "hostile papers (v2)"  # spaces and parentheses in a folder name are fine
SOURCES = (f"papers/{PAPER}/overview.md", f"papers/{PAPER}/notes.md")
DECK = f"papers/{PAPER}/docs/{PAPER}.pptx"
HANDOUT = f"papers/{PAPER}/docs/{PAPER}-handout.pdf"
HAND_MADE = (f"papers/{PAPER}/docs/whiteboard.pdf", f"papers/{PAPER}/docs/README.md")


# ------------------------------------------------------------------ a web server that counts requests


class _Recorder(BaseHTTPRequestHandler):
    """Answers anything with a small file of the asked-for type, and remembers the path."""

    requests: list[str]
    png: bytes

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.requests.append(self.path)
        body, kind = (self.png, "image/png") if self.path.endswith(".png") else (b"p { color: red }", "text/css")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads ``requests``."""


@dataclass
class Server:
    url: str
    requests: list[str]


@contextlib.contextmanager
def web_server(png: bytes) -> Iterator[Server]:
    """An HTTP server on 127.0.0.1 in a thread, on a free port, for as long as the block runs."""
    requests: list[str] = []
    handler = type("Recorder", (_Recorder,), {"requests": requests, "png": png})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_address[1]}", requests)
    finally:
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------ the secret, the repository, the build


def write_secrets(outside: Path, marker: str, server: str) -> None:
    """Files beside the repository that must never be read: each would show the marker if it were."""
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{marker}\n")
    (outside / "secret.md").write_text(f"# Secret notes\n\n{marker}\n")
    (outside / "secret.css").write_text(f'@import url("{server}/secret-import.css");\nbody::before {{ content: "{marker}"; }}\n')
    (outside / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">'
        f'<text x="5" y="25">{marker}</text><image href="{server}/secret-svg.png" width="1" height="1"/></svg>'
    )
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", marker)  # a deck embeds a PNG's bytes as they are
    Image.new("RGB", (8, 8), "red").save(outside / "secret.png", pnginfo=info)
    (outside / "paper").mkdir()
    for name in ("overview.md", "notes.md"):
        (outside / "paper" / name).write_text(f"# A paper outside\n\n## Secret\n\n{marker}\n")
    shutil.copytree(REPO / "themes" / "default", outside / "theme")
    (outside / "theme" / "theme.toml").write_text('extends = "default"\n')
    template = outside / "theme" / "handout.html.j2"
    template.write_text(template.read_text().replace("<body>", f"<body><p>{marker}</p>", 1))


def hostile_text(name: str, outside: Path, server: str) -> str:
    text = (HOSTILE / name).read_text(encoding="utf-8")
    return text.replace("@OUTSIDE@", str(outside)).replace("@SERVER@", server)


def add_papers(root: Path, outside: Path, server: str) -> None:
    """The hostile paper, and papers that are (or hold, or want) something outside the repository."""
    paper = root / "papers" / PAPER
    (paper / "figures").mkdir(parents=True)
    for name in ("overview.md", "notes.md"):
        (paper / name).write_text(hostile_text("paper.md", outside, server), encoding="utf-8")
    for name in ("sneaky.svg", "entity.svg"):
        (paper / "figures" / name).write_text(hostile_text(name, outside, server), encoding="utf-8")
    (paper / "figures" / "leak.png").symlink_to("../../../../outside/secret.png")
    (paper / "figures" / "outside").symlink_to("../../../../outside")
    (paper / "docs").mkdir()
    (paper / "docs" / "whiteboard.pdf").write_bytes(b"%PDF-1.4 a scan of the whiteboard")
    (paper / "docs" / "README.md").write_text("Slides from the meeting, made by hand.\n")

    linked_notes = root / "papers" / "linked-notes"
    linked_notes.mkdir()
    (linked_notes / "overview.md").write_text("# Linked notes\n\n## A slide\n\nText.\n")
    (linked_notes / "notes.md").symlink_to("../../../outside/secret.md")
    (root / "papers" / "linked-paper").symlink_to("../../outside/paper")
    linked_docs = root / "papers" / "linked-docs"
    linked_docs.mkdir()
    (linked_docs / "overview.md").write_text("# Linked docs\n\n## A slide\n\nText.\n")
    (linked_docs / "docs").symlink_to("../../../outside")
    foreign_theme = root / "papers" / "foreign-theme"
    foreign_theme.mkdir()
    for name in ("overview.md", "notes.md"):
        (foreign_theme / name).write_text("---\ntheme: ../../outside/theme\n---\n# Foreign theme\n\nText.\n")


def fingerprints(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file under ``folder`` (a symlink as where it points)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "-> " + str(path.readlink())
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass(frozen=True)
class Built:
    root: Path
    outside: Path
    marker: str
    code: int
    err: str
    requests: list[str]
    before: dict[str, str]
    outside_before: dict[str, str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The hostile repository, built once without --allow-remote while the web server listens."""
    base = tmp_path_factory.mktemp("hostile")
    marker = f"DECKS-SECRET-{secrets.token_hex(8)}"
    png = (FIXTURE_REPO / "papers" / "tiny-paper" / "figures" / "dot.png").read_bytes()
    with web_server(png) as server:
        write_secrets(base / "outside", marker, server.url)
        root = fresh_repo(base / "repo")
        add_papers(root, base / "outside", server.url)
        before, outside_before = fingerprints(root), fingerprints(base / "outside")
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
            code = main(["-C", str(root), "build", "-j", "1"])
        requests = list(server.requests)
    return Built(root, base / "outside", marker, code, err.getvalue(), requests, before, outside_before)


# ------------------------------------------------------------------ nothing leaves, nothing comes in


def test_the_web_server_gets_no_request_without_allow_remote(built):
    assert built.requests == []


def test_with_allow_remote_the_web_image_is_fetched_so_the_server_does_listen(tmp_path):
    png = (FIXTURE_REPO / "papers" / "tiny-paper" / "figures" / "dot.png").read_bytes()
    with web_server(png) as server:
        write_secrets(tmp_path / "outside", "not-the-point", server.url)
        root = fresh_repo(tmp_path / "repo")
        add_papers(root, tmp_path / "outside", server.url)
        with contextlib.redirect_stderr(io.StringIO()):
            main(["-C", str(root), "build", "-j", "1", "--only", "handout", "--allow-remote", PAPER])
        assert "/image.png" in server.requests
    assert "/secret-import.css" not in server.requests and "/secret-svg.png" not in server.requests


def test_the_secret_is_in_no_output_and_nowhere_in_build(built):
    marker = built.marker.encode()
    deck_parts = package_parts(built.root / DECK)
    assert [name for name, data in deck_parts.items() if marker in data] == []
    assert built.marker not in "\n".join(page_texts(built.root / HANDOUT))
    assert marker not in pdf_stream_bytes(built.root / HANDOUT)
    assert marker not in (built.root / HANDOUT).read_bytes()
    in_build = [p for p in (built.root / "build").rglob("*") if p.is_file() and marker in p.read_bytes()]
    assert in_build == []
    assert built.marker not in built.err


def test_the_secret_is_in_no_output_of_any_paper(built):
    outputs = [p for p in (built.root / "papers").rglob("docs/*") if p.suffix in (".pptx", ".pdf") and p.is_file()]
    assert [p.name for p in outputs if built.marker.encode() in p.read_bytes()] == []
    for deck in (p for p in outputs if p.suffix == ".pptx"):
        assert not any(built.marker.encode() in data for data in package_parts(deck).values())
    for handout in (p for p in outputs if p.suffix == ".pdf" and ownership(p) == "ours"):
        assert built.marker not in "\n".join(page_texts(handout))


def test_files_decks_did_not_write_are_untouched_inside_and_outside_the_repository(built):
    after = fingerprints(built.root)
    assert {name: after.get(name) for name in built.before} == built.before
    added = [name for name in after.keys() - built.before.keys() if not name.startswith("build/")]
    assert added and [name for name in added if ownership(built.root / name) != "ours"] == []
    assert fingerprints(built.outside) == built.outside_before
    for name in HAND_MADE:
        assert (built.root / name).is_file()


def link_targets(built: Built) -> list[str]:
    """Every address a reader can click in the hostile paper's deck and handout."""
    from pypdf import PdfReader

    rels = [data.decode() for name, data in package_parts(built.root / DECK).items() if name.endswith(".rels")]
    targets = re.findall(r'Target="([^"]+)" TargetMode="External"', "".join(rels))
    for page in PdfReader(built.root / HANDOUT).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action.get_object():
                targets.append(str(action.get_object()["/URI"]))
    return targets


def test_every_link_in_the_outputs_is_a_web_address(built):
    targets = link_targets(built)
    assert targets  # the paper has a few
    assert [target for target in targets if not target.startswith(("https://", "http://", "mailto:"))] == []


def test_a_paper_url_that_is_no_web_address_is_left_out_with_a_warning(built):
    message = "warning: front matter 'url' must be a web address (https://...), not 'file:'; it is left out"
    assert f"{SOURCES[0]}:3: {message}" in built.err


# ------------------------------------------------------------------ each refusal is said, with its line


def lines_with(pattern: str, built: Built) -> set[int]:
    """The lines of the hostile paper that match ``pattern``."""
    text = hostile_text("paper.md", built.outside, "")
    return {number for number, line in enumerate(text.split("\n"), 1) if re.search(pattern, line)}


LOADS = r"!\[|<img|<link|<style|style=|<object|<iframe|<embed|<script|<base|<video"  # a line that asks for something
# Images the handout may show, inside the repository or data: addresses (what they load in turn is refused).
ALLOWED = r"figures/(sneaky|entity)\.svg|\(data:"


def warned_lines(err: str, source: str) -> set[int]:
    return {int(found) for found in re.findall(rf"^{re.escape(source)}:(\d+): warning: ", err, re.M)}


def test_every_refused_load_in_the_handout_is_a_warning_naming_its_line(built):
    loads = lines_with(LOADS, built) - lines_with(ALLOWED, built)
    assert len(loads) > 20
    assert loads - warned_lines(built.err, SOURCES[1]) == set()


def test_every_refused_picture_in_the_deck_is_a_warning_naming_its_line(built):
    # A picture on a line of its own; one inside text or a table cell is shown as its alt text, never loaded.
    pictures = lines_with(r"^(!\[|<img)", built) - lines_with(r"figures/sneaky\.svg", built)
    assert len(pictures) > 10
    assert pictures - warned_lines(built.err, SOURCES[0]) == set()


def test_loads_refused_inside_an_svg_are_reported_with_the_paper(built):
    # with the line when the Markdown itself names that address too
    refused = re.findall(rf"^{re.escape(SOURCES[1])}(?::\d+)?: warning: refused to load '([^']+)'", built.err, re.M)
    assert any(address.endswith("/svg-image.png") for address in refused), built.err
    assert any(address.endswith("secret.png") for address in refused), built.err


def test_an_svg_with_an_external_entity_is_not_read_into_the_deck(built):
    assert re.search(rf"^{re.escape(SOURCES[0])}:\d+: warning: image 'figures/entity\.svg' cannot be read", built.err,
                     re.M)


def test_the_rest_of_the_hostile_paper_still_renders(built):
    text = hostile_text("paper.md", built.outside, "")
    expected = [line for line in text.split("\n") if line.startswith("After ")] + ["The end of the hostile paper."]
    deck = "\n".join(slide_texts(built.root / DECK))
    handout = " ".join(" ".join(page_texts(built.root / HANDOUT)).split())
    assert [line for line in expected if line not in deck] == []
    assert [line for line in expected if line not in handout] == []
    assert "A styled paragraph." in handout and "Styled from the web." in handout


# ------------------------------------------------------------------ papers that lead out of the repository


def test_a_folder_name_with_spaces_and_parentheses_builds_fine(built):
    assert ownership(built.root / DECK) == "ours" and ownership(built.root / HANDOUT) == "ours"
    assert re.search(rf"^{re.escape(PAPER)} +built +built ", built.err, re.M)


def test_the_good_paper_is_built_and_the_run_fails_for_the_refused_ones(built):
    assert ownership(built.root / "papers" / "tiny-paper" / "docs" / "tiny-paper.pptx") == "ours"
    assert ownership(built.root / "papers" / "tiny-paper" / "docs" / "tiny-paper-handout.pdf") == "ours"
    assert built.code == 1
    assert "Traceback" not in built.err


def test_a_source_that_is_a_symlink_out_of_the_repository_is_refused(built):
    refusal = "leads outside the repository through a symlink; decks reads only files inside it"
    assert f"error: papers/linked-notes/notes.md: {refusal}" in built.err
    assert f"error: papers/linked-paper/overview.md: {refusal}" in built.err
    assert ownership(built.root / "papers" / "linked-notes" / "docs" / "linked-notes.pptx") == "ours"


def test_a_docs_folder_that_is_a_symlink_out_of_the_repository_is_not_written_to(built):
    assert "error: papers/linked-docs/docs: leads outside the repository through a symlink" in built.err
    assert not (built.outside / "paper" / "docs").exists()


def test_a_theme_outside_the_themes_folder_is_refused(built):
    assert "unknown theme '../../outside/theme'; available: " in built.err
    assert not (built.root / "papers" / "foreign-theme" / "docs" / "foreign-theme-handout.pdf").exists()
