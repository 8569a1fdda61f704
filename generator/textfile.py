"""Reading the text files volunteers save: UTF-8 with or without a byte-order mark, any line ending.

Excel's "CSV UTF-8", Notepad and some editors start a file with a byte-order mark and end lines
with CRLF; neither may change what a file means, so both are removed before anything parses it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import KyrError, Problem, display_path

WINDOWS_1252 = "cp1252"  # Excel's plain "CSV" and old Notepad's "ANSI" on Western-language Windows


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """``data`` as text with its byte-order mark dropped and every line ending made ``\\n``.

    Raises UnicodeDecodeError when it is not in ``encoding``."""
    if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    text = data.decode(encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def not_utf8(data: bytes, error: UnicodeDecodeError, shown: str, how: str) -> Problem:
    """Where the first byte that is not UTF-8 is, and how to save the file as UTF-8."""
    line = data.count(b"\n", 0, error.start) + 1
    byte = data[error.start : error.start + 1].hex()
    guess = ""
    try:
        guess = f" ({data[error.start : error.start + 1].decode(WINDOWS_1252)!r} in Windows-1252)"
    except UnicodeDecodeError:
        pass
    return Problem(shown, line, f"not UTF-8 text: byte 0x{byte}{guess} cannot be read; {how}")


SAVE_AS_UTF8 = "save the file as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)"


def read(path: Path, root: Path, how: str = SAVE_AS_UTF8) -> str:
    """The text of a UTF-8 file (a byte-order mark and CRLF are fine); a KyrError naming it otherwise."""
    shown = display_path(path, root)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KyrError(Problem(shown, None, f"cannot read: {exc.strerror}")) from None
    try:
        return decode(data)
    except UnicodeDecodeError as exc:
        raise KyrError(not_utf8(data, exc, shown, how)) from None


def encode_like(text: str, original: bytes) -> bytes:
    """``text`` as bytes with the byte-order mark and line ends of ``original``, so rewriting
    one line of a volunteer's file does not change every other line in a diff."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    bom = codecs.BOM_UTF8 if original.startswith(codecs.BOM_UTF8) else b""
    return bom + text.encode("utf-8")
