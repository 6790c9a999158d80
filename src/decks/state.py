"""The incremental cache: what each output was last built from, kept in ``build/state.json``.

For every output it records the options it was built with, every file it
depended on (sources, images, theme files) with size, mtime and hash, and the
output's own size and mtime. An output is fresh when the options match, no
dependency changed and the output is still the one decks wrote. Sizes and
mtimes are compared first; a file is hashed only when they differ, so a no-op
build reads no file contents. A missing or unreadable cache starts empty.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_VERSION = 1


@dataclass(frozen=True)
class FileSig:
    size: int
    mtime_ns: int
    sha256: str


def sign(path: Path) -> FileSig | None:
    """The signature of a file, or None when it does not exist."""
    try:
        info = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return FileSig(info.st_size, info.st_mtime_ns, digest)


def unchanged(path: Path, recorded: FileSig | None) -> bool:
    """Whether ``path`` still has the recorded content; hashes only when size or mtime moved."""
    try:
        info = path.stat()
    except OSError:
        return recorded is None
    if recorded is None:
        return False
    if (info.st_size, info.st_mtime_ns) == (recorded.size, recorded.mtime_ns):
        return True
    return info.st_size == recorded.size and sign(path) == FileSig(info.st_size, info.st_mtime_ns, recorded.sha256)


@dataclass
class Record:
    """How one output was built."""

    options: str
    deps: dict[str, FileSig | None]
    output: FileSig


@dataclass
class BuildState:
    path: Path
    records: dict[str, Record] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> BuildState:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != _VERSION:
                return cls(path)
            return cls(path, {key: _record(value) for key, value in raw["outputs"].items()})
        except (OSError, ValueError, KeyError, TypeError):
            return cls(path)

    def is_fresh(self, output: str, options: str, root: Path) -> bool:
        record = self.records.get(output)
        if record is None or record.options != options:
            return False
        if not unchanged(root / output, record.output):
            return False
        return all(unchanged(root / dep, sig) for dep, sig in record.deps.items())

    def save(self) -> None:
        """Write atomically, so an interrupted build never leaves a torn cache."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": _VERSION, "outputs": {k: _raw(v) for k, v in sorted(self.records.items())}}
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temp, self.path)


def _record(value: dict[str, Any]) -> Record:
    return Record(
        options=value["options"],
        deps={dep: FileSig(*sig) if sig else None for dep, sig in value["deps"].items()},
        output=FileSig(*value["output"]),
    )


def _raw(record: Record) -> dict[str, Any]:
    return {
        "options": record.options,
        "deps": {dep: [sig.size, sig.mtime_ns, sig.sha256] if sig else None for dep, sig in record.deps.items()},
        "output": [record.output.size, record.output.mtime_ns, record.output.sha256],
    }
