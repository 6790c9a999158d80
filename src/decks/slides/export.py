"""Turn a written .pptx into a PDF of its slides, through LibreOffice, with deterministic bytes.

LibreOffice stamps each PDF with the clock (creation dates, a random document
ID). Those values are rewritten in place, keeping their lengths so the PDF's
cross-reference offsets stay valid: the same deck gives the same PDF.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from decks.errors import EnvironmentProblem

_DATE = re.compile(rb"D:\d{14}")
_IDENTIFIERS = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)|(/DocChecksum\s*/)([0-9A-Fa-f]+)()")


def soffice() -> str:
    """The LibreOffice command, or an EnvironmentProblem saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise EnvironmentProblem(
            "--pdf-slides needs LibreOffice to turn decks into PDF; install it "
            "(Debian/Ubuntu: sudo apt-get install libreoffice-impress) or build without --pdf-slides"
        )
    return found


def export_pdf(deck: Path, out: Path, *, timestamp: int) -> None:
    """Write the slides of ``deck`` as a PDF to ``out``."""
    command = soffice()
    with tempfile.TemporaryDirectory(prefix="decks-soffice-") as scratch:
        profile = Path(scratch, "profile").as_uri()  # a profile of its own: parallel exports do not clash
        result = subprocess.run(
            [command, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", scratch, str(deck)],
            capture_output=True, text=True, timeout=300, check=False,
        )
        produced = Path(scratch, deck.with_suffix(".pdf").name)
        if result.returncode != 0 or not produced.is_file():
            reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no PDF was written"]
            raise EnvironmentProblem(f"LibreOffice could not turn the deck into PDF: {reason[0]}")
        out.write_bytes(_fixed(produced.read_bytes(), timestamp))


def _fixed(data: bytes, timestamp: int) -> bytes:
    """The PDF with its clock-dependent values replaced, each by a value of the same length."""
    data = _DATE.sub(datetime.fromtimestamp(timestamp, UTC).strftime("D:%Y%m%d%H%M%S").encode(), data)
    digest = hashlib.sha256(_IDENTIFIERS.sub(b"", data)).hexdigest().upper().encode()

    def same_length(match: re.Match[bytes]) -> bytes:
        return b"".join(
            digest[: len(part)] if index % 2 == 1 else part
            for index, part in enumerate(g for g in match.groups() if g is not None)
        )

    return _IDENTIFIERS.sub(same_length, data)
