"""The incremental cache: an output is fresh only while nothing it was built from changed."""

import os

from decks.state import BuildState, Record, sign


def built(tmp_path, options="v1"):
    (tmp_path / "src.md").write_text("# A\n")
    (tmp_path / "out.pdf").write_text("output")
    state = BuildState(tmp_path / "build" / "state.json")
    state.records["out.pdf"] = Record(options, {"src.md": sign(tmp_path / "src.md")}, sign(tmp_path / "out.pdf"))
    state.save()
    return BuildState.load(tmp_path / "build" / "state.json")


def test_an_output_is_fresh_when_nothing_changed(tmp_path):
    assert built(tmp_path).is_fresh("out.pdf", "v1", tmp_path)


def test_changed_options_make_it_stale(tmp_path):
    assert not built(tmp_path).is_fresh("out.pdf", "v2", tmp_path)


def test_a_changed_source_makes_it_stale(tmp_path):
    state = built(tmp_path)
    (tmp_path / "src.md").write_text("# B\n")
    assert not state.is_fresh("out.pdf", "v1", tmp_path)


def test_a_touched_but_identical_source_keeps_it_fresh(tmp_path):
    state = built(tmp_path)
    os.utime(tmp_path / "src.md", ns=(1, 1))
    assert state.is_fresh("out.pdf", "v1", tmp_path)


def test_a_deleted_output_makes_it_stale(tmp_path):
    state = built(tmp_path)
    (tmp_path / "out.pdf").unlink()
    assert not state.is_fresh("out.pdf", "v1", tmp_path)


def test_an_unreadable_cache_starts_empty(tmp_path):
    path = tmp_path / "state.json"
    path.write_text("{not json")
    assert BuildState.load(path).records == {}
