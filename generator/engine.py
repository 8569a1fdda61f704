"""WeasyPrint, imported without running a C compiler: pdf.py imports it through this module first.

WeasyPrint tries each of its seven libraries under up to six names, the Windows and macOS ones
before the Linux one. For every name that does not load, cffi asks ctypes.util.find_library, which
on Linux runs ldconfig, then gcc, then ld (Kozea/WeasyPrint#1125): 22 asks, 0.2-0.3 s here, a
third of WeasyPrint's import, paid by every process that lays out a page.

On Linux, find_library answers only a soname, which dlopen then looks for in the same places as the
`libpango-1.0.so.0` names WeasyPrint tries itself. So while WeasyPrint is imported, each ask is
answered "not found" at once. Should some library load only through find_library (a soname other
than the one WeasyPrint names), the import is made again the usual way, with WeasyPrint's own
message if a library is missing.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import sys
from collections.abc import Iterator
from types import ModuleType


@contextlib.contextmanager
def _no_library_search() -> Iterator[None]:
    find = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = find


def _imported() -> ModuleType:
    if sys.platform.startswith("linux") and "weasyprint" not in sys.modules:
        try:
            with _no_library_search():
                return importlib.import_module("weasyprint")
        except OSError:
            for name in [name for name in sys.modules if name.partition(".")[0] == "weasyprint"]:
                del sys.modules[name]
    return importlib.import_module("weasyprint")


weasyprint = _imported()
