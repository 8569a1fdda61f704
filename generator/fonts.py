"""Fonts: the files fontconfig gives each language's font stack, and whether they can draw what the
language prints: every character, in each style, and every accent placed on its letter."""

from __future__ import annotations

import hashlib
import re
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .content import ContentPack
from .errors import KyrError, Problem
from .languages import Language

# fontconfig patterns for the styles the stylesheets print: body text, bold (headings, strong)
# and italic (Markdown emphasis). They ask as Pango does, by weight and slant, not by style name.
STYLES = {"regular": "", "bold": ":weight=bold", "italic": ":slant=italic"}

# Debian packages that hold the families a pack is likely to name, for the set-up and for messages.
PACKAGES = (
    ("Noto Sans CJK", "fonts-noto-cjk"),
    ("Noto Serif CJK", "fonts-noto-cjk"),
    ("Noto ", "fonts-noto-core"),
    ("DejaVu ", "fonts-dejavu-core"),
)

# Combining accents that sit centred above or below their letter (grave to ring above, dot below to
# cedilla, and the rest below); ogonek and horn sit at the side and are not judged on this.
CENTRED_MARKS = frozenset([*range(0x0300, 0x0315), *range(0x0323, 0x0328), *range(0x0329, 0x0334)])


def css_font_family(root: Path) -> str:
    """The first family named for `html` in templates/css/base.css: every language's default."""
    path = Path(root) / "templates" / "css" / "base.css"
    if not path.is_file():
        raise KyrError(Problem("templates/css/base.css", None, "not found: every document's type and colour come from it"))
    css = path.read_text(encoding="utf-8")
    match = re.search(r"html\s*\{[^}]*font-family:\s*\"?([^\",;]+)", css)
    return match.group(1).strip() if match else "sans-serif"


def stack(root: Path, language: Language) -> tuple[str, ...]:
    """The font families that print ``language``: its own, else the stylesheet's."""
    return language.fonts or (css_font_family(root),)


@dataclass(frozen=True)
class LanguageFonts:
    """What `kyr fonts` says about one language."""

    lang: str
    families: tuple[str, ...]
    files: tuple[Path, ...]  # the regular face of each installed family
    missing: tuple[str, ...]  # families fontconfig does not have


def survey(pack: ContentPack) -> list[LanguageFonts]:
    """Each language's fonts and whether they are installed. A pack folder without templates (a
    test fixture) has no stylesheet font, so only the families pack.yaml names count there."""
    has_stylesheet = (Path(pack.root) / "templates" / "css" / "base.css").is_file()
    found = []
    for lang in dict.fromkeys((pack.source_language, *pack.languages)):
        language = pack.language(lang)
        families = stack(pack.root, language) if has_stylesheet else language.fonts
        faces = [face(family, "regular") for family in families]
        found.append(LanguageFonts(lang, families, tuple(f.path for f in faces if f), tuple(missing_families(families))))
    return found


def packages(surveyed: Iterable[LanguageFonts]) -> list[str]:
    """The Debian packages that hold the missing families this table knows."""
    return sorted({name for item in surveyed for family in item.missing if (name := package(family))})


def package(family: str) -> str | None:
    """The Debian package that provides ``family``, when it is one this table knows."""
    return next((name for prefix, name in PACKAGES if family.startswith(prefix) or family == prefix.strip()), None)


def install_hint(family: str) -> str:
    found = package(family)
    return f"install it (Debian: apt-get install {found})" if found else "install it, or name an installed family ('fc-list : family' lists them)"


@dataclass(frozen=True)
class Face:
    path: Path
    index: int  # the font's number inside a collection (.ttc); 0 for a single font


@lru_cache(maxsize=128)
def face(family: str, style: str) -> Face | None:
    """The font file fontconfig gives the renderer for ``family`` in ``style``; None when the family
    is not installed (fontconfig would quietly substitute another)."""
    result = subprocess.run(["fc-match", "--format=%{file}\n%{index}\n%{family}", f"{family}{STYLES[style]}"], capture_output=True, text=True)
    parts = result.stdout.split("\n")
    if result.returncode != 0 or len(parts) != 3 or not parts[0]:
        return None
    names = {name.strip().casefold() for name in parts[2].split(",")}
    return Face(Path(parts[0]), int(parts[1] or 0)) if family.casefold() in names else None


def installed(family: str) -> bool:
    return face(family, "regular") is not None


def missing_families(families: Iterable[str]) -> list[str]:
    return [family for family in families if not installed(family)]


def digest(families: Iterable[str]) -> str:
    """A hash of the font files that print ``families``, so installing other fonts rebuilds the PDFs."""
    hasher = hashlib.sha256()
    for family in dict.fromkeys(families):
        for style in STYLES:
            found = face(family, style)
            if found is not None:
                hasher.update(f"{found.path}#{found.index}".encode())
                hasher.update(_bytes(found.path))
    return hasher.hexdigest()


@lru_cache(maxsize=16)
def _bytes(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


@lru_cache(maxsize=32)
def _font(found: Face):
    from fontTools.ttLib import TTFont

    return TTFont(found.path, fontNumber=found.index, lazy=True)


@lru_cache(maxsize=32)
def _cmap(found: Face) -> dict[int, str]:
    return _font(found).getBestCmap()


def _faces(families: tuple[str, ...], style: str) -> list[Face]:
    faces = [face(family, style) for family in families]
    absent = [family for family, found in zip(families, faces, strict=True) if found is None]
    if absent:
        # Named by the style asked for: a family can have its regular face and lack its bold one.
        face_ = "" if style == "regular" else f" ({style})"
        raise KyrError(Problem("content/pack.yaml", None, f"font {', '.join(absent)!r}{face_} is not installed: {install_hint(absent[0])}"))
    return faces


def missing(text: str, families: tuple[str, ...], style: str = "regular") -> list[str]:
    """Characters of ``text`` (other than spaces) that no family of the stack draws in ``style``,
    whole or, as HarfBuzz falls back to, as a letter and its accents."""
    return sorted(c for c in set(unicodedata.normalize("NFC", text)) if not c.isspace() and not _drawn(c, families, style))


@lru_cache(maxsize=8192)
def _drawn(char: str, families: tuple[str, ...], style: str) -> bool:
    """Asked for every character of every printed field: a pack repeats the same few hundred."""
    parts = unicodedata.normalize("NFD", char)
    return any(ord(char) in cmap or all(ord(part) in cmap for part in parts) for cmap in (_cmap(found) for found in _faces(families, style)))


@dataclass(frozen=True)
class Misplaced:
    """A letter with an accent that the font cannot put in its place."""

    cluster: str  # the letter and its combining marks, as printed
    family: str
    styles: tuple[str, ...]  # "regular", "bold"
    why: str


def clusters(text: str) -> Iterable[str]:
    """Letters followed by combining marks that have no single precomposed character (m̧, n̄ in NFD)."""
    for match in re.finditer(r".[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+", text):
        yield match.group(0)


def misplaced(text: str, families: tuple[str, ...], styles: tuple[str, ...] = ("regular", "bold")) -> list[Misplaced]:
    """Letter + accent pairs the stack would print with the accent beside the letter or off its centre.

    HarfBuzz draws a precomposed glyph when the font has one; otherwise it attaches the mark with
    the font's GPOS mark-to-base anchors. A font with GPOS but no anchor for the pair leaves the
    mark where it falls, and an anchor far from the letter's middle puts a centred accent askew
    (DejaVu Sans puts the cedilla of m̧ under the m's left stem).
    """
    found: dict[str, Misplaced] = {}
    for cluster in dict.fromkeys(clusters(text)):
        composed = unicodedata.normalize("NFC", cluster)
        for style in styles:
            faces = _faces(families, style)
            # Pango keeps a letter and its marks in the first family that has them all.
            index = next((i for i, f in enumerate(faces) if all(ord(c) in _cmap(f) for c in composed)), None)
            if index is None or len(composed) == 1:
                continue
            why = _placement(faces[index], composed)
            if why and cluster in found:
                found[cluster] = replace(found[cluster], styles=(*found[cluster].styles, style))
            elif why:
                found[cluster] = Misplaced(cluster, families[index], (style,), why)
    return list(found.values())


def _placement(found: Face, composed: str) -> str:
    """Why ``composed`` (a letter, then marks) would print wrong in ``found``; "" when it is right."""
    font = _font(found)
    if "GPOS" not in font:
        return ""  # HarfBuzz then centres marks on the letter's outline by itself
    cmap = _cmap(found)
    base, mark = cmap[ord(composed[0])], cmap[ord(composed[1])]
    anchor = _mark_anchor(found, base, mark)
    accent = f"the {unicodedata.name(composed[1], 'mark').lower()} (U+{ord(composed[1]):04X})"
    if anchor is None:
        return f"it has no place for {accent} on {composed[0]!r}, so the accent prints beside the letter"
    if ord(composed[1]) in CENTRED_MARKS:
        low, high = _ink(found, base)
        where = (anchor - low) / (high - low) if high > low else 0.5
        if not 0.25 <= where <= 0.75:
            return f"it puts {accent} {where:.0%} of the way across {composed[0]!r}, not at its middle"
    return ""


@lru_cache(maxsize=256)
def _mark_anchor(found: Face, base: str, mark: str) -> float | None:
    """The x of the anchor where ``mark`` attaches to ``base`` (GPOS mark-to-base), or None."""
    gpos = _font(found)["GPOS"].table
    for lookup in gpos.LookupList.Lookup if gpos.LookupList else ():
        for table in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 9:
                kind, table = table.ExtensionLookupType, table.ExtSubTable
            if kind != 4 or base not in table.BaseCoverage.glyphs or mark not in table.MarkCoverage.glyphs:
                continue
            mark_class = table.MarkArray.MarkRecord[table.MarkCoverage.glyphs.index(mark)].Class
            anchor = table.BaseArray.BaseRecord[table.BaseCoverage.glyphs.index(base)].BaseAnchor[mark_class]
            if anchor is not None:
                return float(anchor.XCoordinate)
    return None


@lru_cache(maxsize=256)
def _ink(found: Face, glyph: str) -> tuple[float, float]:
    """The left and right edges of a glyph's outline."""
    from fontTools.pens.boundsPen import BoundsPen

    glyphs = _font(found).getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[glyph].draw(pen)
    return (pen.bounds[0], pen.bounds[2]) if pen.bounds else (0.0, 0.0)
