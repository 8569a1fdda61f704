"""Glyph coverage: every character a language prints must exist in the fonts the CSS names."""

from __future__ import annotations

import hashlib
import re
import subprocess
from functools import lru_cache
from pathlib import Path

from .errors import KyrError, Problem

STYLES = ("Regular", "Bold", "Oblique")


def css_font_family(root: Path) -> str:
    """The first family named for `html` in templates/css/base.css."""
    css = (Path(root) / "templates" / "css" / "base.css").read_text(encoding="utf-8")
    match = re.search(r"html\s*\{[^}]*font-family:\s*\"?([^\",;]+)", css)
    return match.group(1).strip() if match else "sans-serif"


@lru_cache(maxsize=8)
def files(family: str) -> tuple[Path, ...]:
    """The font file of each face of ``family``, as fontconfig resolves it for the renderer."""
    found = []
    for style in STYLES:
        result = subprocess.run(["fc-match", "--format=%{file}", f"{family}:style={style}"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout:
            found.append(Path(result.stdout))
    return tuple(found)


@lru_cache(maxsize=8)
def digest(family: str) -> str:
    """A hash of the font files, so installing other fonts rebuilds the PDFs."""
    hasher = hashlib.sha256()
    for path in files(family):
        hasher.update(str(path).encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


@lru_cache(maxsize=8)
def _cmaps(family: str) -> tuple[frozenset[int], ...]:
    """The characters each face of ``family`` covers."""
    from fontTools.ttLib import TTFont

    cmaps = []
    for path in files(family):
        with TTFont(path, lazy=True) as font:
            cmaps.append(frozenset(font.getBestCmap()))
    return tuple(cmaps)


def missing(text: str, family: str) -> list[str]:
    """Characters of ``text`` (other than spaces) that some face of ``family`` lacks."""
    faces = _cmaps(family)
    if not faces:
        raise KyrError(Problem("templates/css/base.css", None, f"fontconfig finds no font files for {family!r}, so no glyph can be checked: install the font (fc-list shows what is installed)"))
    return sorted({c for c in text if not c.isspace() and any(ord(c) not in cmap for cmap in faces)})
