"""Fixtures for handout tests: a fresh small repository, and the rich handout built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from handout_helpers import Built, build, make_repo, rich_document


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The handout of ``rich_document``, built once for every test that only reads it."""
    return build(make_repo(tmp_path_factory.mktemp("rich") / "repo"), rich_document())
