"""The small fixture repository for module-scoped builds (test modules cannot import conftest reliably)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).parents[1]
FIXTURE_REPO = REPO / "tests" / "fixtures" / "repo"


def fresh_repo(target: Path) -> Path:
    """The small repository (one tiny paper) with the real themes, at ``target``."""
    shutil.copytree(FIXTURE_REPO, target, symlinks=True)
    shutil.copytree(REPO / "themes", target / "themes")
    return target
