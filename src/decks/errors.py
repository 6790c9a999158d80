"""Every error type of decks, and Diagnostic: a recoverable problem returned as a value.

The core never prints or exits; it raises a DecksError (the build of that output
stops) or returns Diagnostics next to its result (the build carries on). Only
``cli.py`` turns either into a message and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


def location(path: str, line: int = 0) -> str:
    """``path:line`` as compilers print it, or just ``path`` when the line is unknown."""
    return f"{path}:{line}" if line else path


def shown_path(path: Path, repo_root: Path) -> str:
    """A file as messages name it: relative to the repository when it is inside (symlinks resolved), else whole."""
    resolved, root = path.resolve(), repo_root.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)


@dataclass(frozen=True)
class Diagnostic:
    """A problem the build worked around: a missing image, squeezed content, a refused URL."""

    path: str
    line: int
    message: str
    severity: Literal["warning", "error"] = "warning"

    def __str__(self) -> str:
        prefix = location(self.path, self.line) if self.path else "decks"
        return f"{prefix}: {self.severity}: {self.message}"


class DecksError(Exception):
    """A problem that stops one output (or the whole command); always the user's to fix."""

    def __init__(self, message: str, path: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return f"{location(self.path, self.line)}: {self.message}" if self.path else self.message


class SourceError(DecksError):
    """A Markdown source that cannot be read: not UTF-8, bad front matter, empty."""


class ThemeError(DecksError):
    """A theme that does not exist or whose values are invalid."""


class OutputConflict(DecksError):
    """An output path holds a file decks did not write, or one edited by hand."""


class EnvironmentProblem(DecksError):
    """Something missing from the machine: a font needed for measuring, LibreOffice."""
