"""Test helpers: edit a pack as a user would, read PDFs back as a reader would."""

from __future__ import annotations

from pathlib import Path

import polib
import pypdf

from generator import catalogs
from generator.checks import pdf_text

text = pdf_text  # read PDFs back exactly as `kyr check` does


def pages(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a file, failing loudly if it is not there."""
    body = path.read_text(encoding="utf-8")
    assert old in body, f"{old!r} not in {path}"
    path.write_text(body.replace(old, new, 1), encoding="utf-8")


def translate_all(root, lang="es", prefix="ES "):
    """Fill every catalog entry as a translator would, keeping links and placeholders."""
    for domain in ("content", "templates"):
        path = catalogs.po_path(root, lang, domain)
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = prefix + entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
        po.save()


def built_pdfs(output: Path) -> list[Path]:
    """The PDFs a build made under ``output``, without the online edition's copies of them or the
    PDFs only kyr check needed (output/.check/)."""
    return sorted(p for p in Path(output).rglob("*.pdf") if p.relative_to(output).parts[0] not in ("site", ".check"))
