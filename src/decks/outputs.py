"""Ownership of generated files: stamp what decks writes, recognise it later, replace it atomically.

Every output ends with a stamp, ``decks-sha256 <hash of the whole file with the
hash zeroed>``: as the zip comment of a .pptx, as a trailing comment line of a
.pdf. A .pptx also names decks in its core properties (``dc:identifier``,
set by the deck writer), which PowerPoint keeps when it saves. So a file at
an output path is

* ``ours``     - the stamp matches: decks wrote it and nobody changed it;
* ``edited``   - decks wrote it (the provenance survives) but the bytes changed;
* ``foreign``  - decks did not write it: it is never replaced or removed.

The stamp lives in the file, not in ``build/``, so a fresh clone of the group's
repository still knows which committed outputs are generated.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path
from typing import Literal

from decks.errors import Diagnostic, OutputConflict

Ownership = Literal["missing", "ours", "edited", "foreign"]

_STAMP = b"decks-sha256 "
_ZEROS = b"0" * 64
PROVENANCE = "decks"  # a deck's dc:identifier: decks wrote it, even after someone saved it again
_TEMP_MARK = ".decks-tmp"


def temp_path(final: Path) -> Path:
    """Where an output is written before it is renamed into place: same folder, same disk."""
    return final.with_name(f".{final.stem}.{os.getpid()}{_TEMP_MARK}{final.suffix}")


def remove_stray_temps(folder: Path) -> None:
    """Delete temporary files an interrupted build left behind (only decks' own)."""
    if folder.is_dir():
        for leftover in folder.glob(f".*{_TEMP_MARK}.*"):
            leftover.unlink(missing_ok=True)


def stamp(path: Path) -> None:
    """Add its stamp to a freshly written output, whose writer made its bytes deterministic."""
    data = path.read_bytes()
    data = _pptx_with_stamp_slot(data) if path.suffix == ".pptx" else _pdf_with_stamp_slot(data)
    start = data.rfind(_STAMP) + len(_STAMP)
    checksum = hashlib.sha256(data).hexdigest().encode()
    path.write_bytes(data[:start] + checksum + data[start + len(_ZEROS) :])


def ownership(path: Path) -> Ownership:
    if not path.exists():
        return "missing"
    data = path.read_bytes()
    at = data.rfind(_STAMP)
    if at >= 0:
        start, end = at + len(_STAMP), at + len(_STAMP) + 64
        zeroed = data[:start] + _ZEROS + data[end:]
        if hashlib.sha256(zeroed).hexdigest().encode() == data[start:end]:
            return "ours"
        return "edited"
    return "edited" if _has_pptx_provenance(data) else "foreign"


def install(temp: Path, final: Path, relative: str) -> list[Diagnostic]:
    """Move a finished, stamped output into place, keeping any hand-edited copy.

    Raises OutputConflict, leaving everything as it was, when ``final`` is a file
    decks did not write.
    """
    state = ownership(final)
    diagnostics = []
    if state == "foreign":
        temp.unlink(missing_ok=True)
        raise OutputConflict(
            "exists but was not written by decks, so decks leaves it alone; "
            "rename or move it to build this output",
            relative,
        )
    if state == "edited":
        backup = _backup_name(final)
        os.replace(final, backup)
        diagnostics.append(
            Diagnostic(relative, 0, f"was edited by hand since decks wrote it; your copy is kept as {backup.name}")
        )
    os.replace(temp, final)
    return diagnostics


def remove_if_ours(path: Path) -> bool:
    """Delete a generated output unless someone edited it or decks never wrote it."""
    if ownership(path) == "ours":
        path.unlink()
        return True
    return False


def _backup_name(final: Path) -> Path:
    moment = time.strftime("%Y%m%d-%H%M%S")
    candidate = final.with_name(f"{final.stem}.edited-{moment}{final.suffix}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = final.with_name(f"{final.stem}.edited-{moment}-{counter}{final.suffix}")
    return candidate


def _pptx_with_stamp_slot(data: bytes) -> bytes:
    """The deck with a zeroed stamp as its zip comment: only the zip's directory is written again.

    The deck writer already wrote it deterministically (fixed dates, fixed order) with its provenance.
    """
    import zipfile  # here and below: a build with nothing to do never opens a deck

    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = _STAMP + _ZEROS
    return buffer.getvalue()


def _has_pptx_provenance(data: bytes) -> bool:
    import zipfile

    try:
        core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml")
    except (zipfile.BadZipFile, KeyError):
        return False
    return f"<dc:identifier>{PROVENANCE}</dc:identifier>".encode() in core


def _pdf_with_stamp_slot(data: bytes) -> bytes:
    """A PDF is deterministic as WeasyPrint writes it here; the stamp is a trailing comment."""
    if not data.endswith(b"\n"):
        data += b"\n"
    return data + b"%" + _STAMP + _ZEROS + b"\n"
