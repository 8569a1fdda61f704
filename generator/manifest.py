"""The build manifest: what each output was built from, so a rebuild redoes only what changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .files import write_atomic

NAME = ".kyr-manifest.json"
FORMAT = 3


@dataclass
class Record:
    """One output as last written."""

    fingerprint: str  # every input file of the project when it was built
    inputs: str  # its own inputs: rendered HTML, stylesheets, fonts, tool versions
    units: dict[str, str] = field(default_factory=dict)  # unit context -> short hash of the text printed
    pages: int = 0
    layout: list[str] = field(default_factory=list)  # what the layout check found, reported until fixed
    size: int = 0  # bytes
    parts: dict[str, str] = field(default_factory=dict)  # named inputs besides units, to say what changed
    facts: list[list[str]] = field(default_factory=list)  # (what, text) it must show: check reads them back
    facts_on: list[int] = field(default_factory=list)  # the pages (from 0) that showed them


@dataclass
class Manifest:
    outputs: dict[str, Record] = field(default_factory=dict)  # path relative to the output folder
    # The online edition: each file under site/ -> short hash of what it holds (a PDF copy: its
    # record's inputs), and each language "es/" -> the key of everything its pages were made from.
    site: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The manifest in ``folder``; an unreadable one counts as empty (everything rebuilds)."""
        try:
            data = json.loads((Path(folder) / NAME).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls()
            return cls({path: Record(**record) for path, record in data["outputs"].items()}, dict(data.get("site", {})))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()

    def save(self, folder: Path) -> None:
        data = {"format": FORMAT, "outputs": {path: asdict(record) for path, record in sorted(self.outputs.items())}, "site": dict(sorted(self.site.items()))}
        write_atomic(Path(folder) / NAME, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def short(text: str) -> str:
    return digest(text)[:12]


def files_digest(root: Path, folders: tuple[str, ...], suffixes: tuple[str, ...] | None = None, exclude: tuple[str, ...] = ()) -> str:
    """One hash over every file (path and bytes) under the given folders of ``root``, less the
    folders in ``exclude`` (relative to ``root``)."""
    parts: list[str | bytes] = []
    skipped = tuple(Path(root) / folder for folder in exclude)
    for folder in folders:
        base = Path(root) / folder
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            if any(path.is_relative_to(skip) for skip in skipped):
                continue
            if suffixes is None or path.suffix in suffixes:
                parts += [str(path.relative_to(root)), path.read_bytes()]
    return digest(*parts)
