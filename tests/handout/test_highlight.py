"""Code highlighting and the handout template, kept in build/cache so the next process need not redo them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fixture_repo import fresh_repo

from decks import diskcache
from decks.cli import main
from decks.handout.highlight import highlighted_lines, pygments_css

CODE = "def f(x):\n    return x + 1  # one more"
HIGHLIGHT_IN_A_FRESH_PROCESS = (
    "import json, sys; from pathlib import Path; from decks import diskcache;"
    "from decks.handout.highlight import highlighted_lines, pygments_css;"
    "diskcache.keep_in(Path(sys.argv[1]));"
    f"lines = highlighted_lines({CODE!r}, 'python', 'friendly'); css = pygments_css('friendly');"
    "print(json.dumps([lines, css, 'pygments' in sys.modules]))"
)


def highlight_in_a_fresh_process(cache: Path) -> list:
    run = subprocess.run([sys.executable, "-c", HIGHLIGHT_IN_A_FRESH_PROCESS, str(cache)],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def test_code_highlighted_before_is_read_back_without_loading_pygments(tmp_path):
    first, again = highlight_in_a_fresh_process(tmp_path), highlight_in_a_fresh_process(tmp_path)
    assert first[2] is True and again[2] is False
    assert again[:2] == first[:2]
    assert first[0][0] == '<span class="k">def</span><span class="w"> </span><span class="nf">f</span>(x):'


def test_a_damaged_highlight_entry_is_highlighted_again(tmp_path):
    diskcache.keep_in(tmp_path)
    try:
        expected = highlighted_lines(CODE, "python", "friendly"), pygments_css("friendly")
        for entry in (tmp_path / "highlight").rglob("*.json"):
            entry.write_text('{"_": "lines", "lines": [1, 2]}', encoding="utf-8")
        assert (highlighted_lines(CODE, "python", "friendly"), pygments_css("friendly")) == expected
    finally:
        diskcache.keep_in(None)


def test_an_edited_handout_template_is_used_by_the_next_build_not_its_compiled_copy(tmp_path):
    repo = fresh_repo(tmp_path / "repo")
    template = repo / "themes" / "default" / "handout.html.j2"
    html = repo / "build" / "html" / "tiny-paper-handout.html"
    assert main(["-C", str(repo), "build", "-q", "-j", "1", "--only", "handout"]) == 0
    assert "Edited by hand" not in html.read_text(encoding="utf-8")
    template.write_text(template.read_text(encoding="utf-8").replace("</body>", "<p>Edited by hand</p></body>"),
                        encoding="utf-8")
    assert main(["-C", str(repo), "build", "-q", "-j", "1", "--only", "handout"]) == 0
    assert "Edited by hand" in html.read_text(encoding="utf-8")


def test_a_damaged_compiled_template_is_compiled_again(tmp_path):
    from jinja2.bccache import bc_magic

    repo = fresh_repo(tmp_path / "repo")
    build = ["-C", str(repo), "build", "-q", "-j", "1", "--force", "--only", "handout"]
    assert main(build) == 0
    compiled = list((repo / "build" / "cache" / "templates").iterdir())
    assert compiled
    for entry in compiled:
        entry.write_bytes(bc_magic + b"\x80 not a compiled template")
    assert main(build) == 0
