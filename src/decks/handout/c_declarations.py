"""WeasyPrint's C declarations read once, kept in ``build/cache/c-declarations`` in cffi's compiled form.

Importing WeasyPrint, ``weasyprint.text.ffi`` hands cffi 16 KB of C
declarations for Pango, HarfBuzz and fontconfig, which cffi parses with
pycparser: importing pycparser (its lexer compiles some fifty regular
expressions) and parsing took 0.12 s of every handout process, a tenth of a
short handout. cffi can write what it parsed as the tables of an
"out-of-line" FFI (``ffi.emit_python_code``: plain data, no compiler), which
``_cffi_backend`` loads in a millisecond. ``prebuilt`` has WeasyPrint's
``cffi.FFI()`` be such an FFI, made from those tables; its ``cdef`` checks
that WeasyPrint declares what the tables were made from. The libraries,
functions and types are the same, so the PDF is too. The tables are made
again when WeasyPrint's declarations, cffi or Python change.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import io
import marshal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import _cffi_backend  # cffi's C half: loads no parser

from decks import diskcache

_DECLARING_MODULE = "weasyprint.text.ffi"  # the one module whose cffi.FFI() gets the kept tables
_MODULE_NAME = "_decks_weasyprint_ffi"  # the name cffi gives the out-of-line module


class DeclarationsChanged(Exception):
    """WeasyPrint declared other C than the kept tables were made from (raised while it is imported)."""


@contextmanager
def prebuilt() -> Iterator[None]:
    """While the block imports WeasyPrint, its FFI is made from the kept tables (made first if need be).

    Without a cache folder, or when the tables cannot be made, WeasyPrint
    parses its declarations itself, as ever.
    """
    tables = _tables()
    if tables is None:
        yield
        return
    import cffi

    plain = cffi.FFI
    cffi.FFI = functools.partial(_ffi, plain, tables)
    try:
        yield
    finally:
        cffi.FFI = plain


def _ffi(plain: Callable[..., Any], tables: tuple[str, dict[str, Any]], *arguments: Any, **options: Any) -> Any:
    """An FFI for the caller: from the tables for WeasyPrint's declaring module, cffi's own for anyone else."""
    if arguments or options or sys._getframe(1).f_globals.get("__name__") != _DECLARING_MODULE:
        return plain(*arguments, **options)
    declared, arguments = tables
    ffi = _PrebuiltFFI(_MODULE_NAME, **arguments)
    ffi.declared = declared
    return ffi


class _PrebuiltFFI(_cffi_backend.FFI):  # type: ignore[misc]
    """An out-of-line FFI that WeasyPrint may declare its C to, as to an FFI of its own."""

    declared: str  # the hash of the declarations its tables were made from

    def cdef(self, source: str, **_options: object) -> None:
        """Declared already: only checks that ``source`` is what the tables were made from."""
        if _hashed(source) != self.declared:
            raise DeclarationsChanged(_DECLARING_MODULE)


def _tables() -> tuple[str, dict[str, Any]] | None:
    """The hash of WeasyPrint's declarations and cffi's tables for them, kept or made now; None if impossible."""
    import cffi

    path = _declaring_file()
    entry = path and diskcache.file_entry(
        "c-declarations", path, cffi.__version__, sys.version_info[:2], _code(), suffix=".marshal")
    if path is None or entry is None:
        return None
    tables = _read(entry)
    if tables is None:
        try:
            tables = _made(path)
        except Exception:  # noqa: BLE001 - the tables only save time: failing to make them loads WeasyPrint as ever
            return None
        if tables is not None:
            payload = marshal.dumps(tables)
            diskcache.write_atomically(entry, marshal.dumps((hashlib.sha256(payload).hexdigest(), payload)))
    return tables


@functools.cache
def _code() -> str:
    return diskcache.fingerprint((), [Path(__file__)])


def _declaring_file() -> Path | None:
    """WeasyPrint's ``text/ffi.py``, found without importing WeasyPrint."""
    spec = importlib.util.find_spec("weasyprint")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "text" / "ffi.py"
    return path if path.is_file() else None


def _read(entry: Path) -> tuple[str, dict[str, Any]] | None:
    """The tables kept in ``entry``; None when missing or damaged (its checksum, or its shape, is wrong)."""
    try:
        checksum, payload = marshal.loads(entry.read_bytes())
        if hashlib.sha256(payload).hexdigest() != checksum:
            return None
        declared, arguments = marshal.loads(payload)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(declared, str) or not isinstance(arguments, dict):
        return None
    return declared, arguments


def _made(path: Path) -> tuple[str, dict[str, Any]] | None:
    """cffi's out-of-line tables for the one ``ffi.cdef("...")`` in ``path``; None for any other shape."""
    import cffi

    calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cdef"]
    if len(calls) != 1 or len(calls[0].args) != 1 or not isinstance(calls[0].args[0], ast.Constant):
        return None
    source = calls[0].args[0].value
    builder = cffi.FFI()
    builder.cdef(source)
    builder.set_source(_MODULE_NAME, None)  # None: out-of-line ABI mode, tables only, no C compiler
    with tempfile.TemporaryDirectory() as folder, redirect_stdout(io.StringIO()):  # cffi says "generating ..."
        generated = Path(folder) / f"{_MODULE_NAME}.py"
        builder.emit_python_code(str(generated))
        module = ast.parse(generated.read_text(encoding="utf-8"))
    (call,) = [node.value for node in module.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)]
    return _hashed(source), {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}


def _hashed(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()
