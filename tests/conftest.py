"""Shared fixtures: a small repository of papers, copied fresh for every test that writes."""

import shutil
from pathlib import Path

import fuzzing  # noqa: F401  (loads the Hypothesis profile before any test module)
import pytest

REPO = Path(__file__).parents[1]
FIXTURE_REPO = REPO / "tests" / "fixtures" / "repo"


def copy_repo(target: Path, source: Path = FIXTURE_REPO) -> Path:
    shutil.copytree(source, target, symlinks=True)
    if not (target / "themes").exists():
        shutil.copytree(REPO / "themes", target / "themes")
    return target


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh repository with one small paper (overview, notes, a figure) and the real themes."""
    return copy_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small repository, built once per test session."""
    from decks.cli import main

    root = copy_repo(tmp_path_factory.mktemp("built") / "repo")
    assert main(["-C", str(root), "build", "-q", "-j", "1"]) == 0
    return root


@pytest.fixture
def built_repo(built_template: Path, tmp_path: Path) -> Path:
    """A copy of the built repository, for a test to change as it likes."""
    return copy_repo(tmp_path / "repo", built_template)
