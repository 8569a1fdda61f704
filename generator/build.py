"""Plan which documents to build, render them, and write each PDF atomically."""

from __future__ import annotations

import calendar
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .content import DOCUMENTS, ContentPack, load_pack
from .errors import KyrError, Problem
from .i18n import localize
from .render import Renderer

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Job:
    """One PDF to produce."""

    doc: str
    lang: str
    output: Path  # relative to the output folder

    @property
    def label(self) -> str:
        return f"{self.lang}/{self.doc}"


@dataclass
class Report:
    built: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def plan(pack: ContentPack, langs: Iterable[str] | None = None, docs: Iterable[str] | None = None) -> list[Job]:
    """Every document × language asked for, in a stable order."""
    langs = tuple(langs or pack.languages)
    docs = tuple(docs or DOCUMENTS)
    problems = [Problem("command line", None, f"unknown document {d!r}; known: {', '.join(DOCUMENTS)}") for d in docs if d not in DOCUMENTS]
    problems += [
        Problem("content/pack.yaml", None, f"language {lang!r} is not built by this pack; its languages are: {', '.join(pack.languages)}")
        for lang in langs
        if lang not in pack.languages
    ]
    if problems:
        raise KyrError(problems)
    return [Job(doc, lang, Path(lang) / f"{doc}.pdf") for lang in langs for doc in docs]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(
    root: Path,
    langs: Iterable[str] | None = None,
    docs: Iterable[str] | None = None,
    output: Path | None = None,
    progress: Progress | None = None,
) -> Report:
    """Build the asked documents from the pack at ``root`` into ``output`` (default root/output)."""
    from .pdf import PdfWriter  # WeasyPrint is slow to import: only when rendering

    started = time.perf_counter()
    root = Path(root)
    output = Path(output) if output else root / "output"
    pack = load_pack(root)
    jobs = plan(pack, langs, docs)
    renderer = Renderer(root)
    writer = PdfWriter(root)
    epoch = calendar.timegm(pack.as_of.timetuple())
    report = Report()
    localized = {}
    for n, job in enumerate(jobs, start=1):
        if progress:
            progress(n, len(jobs), job.label)
        if job.lang not in localized:
            localized[job.lang] = localize(pack, job.lang)
        document = renderer.render(localized[job.lang], job.doc)
        target = output / job.output
        try:
            write_atomic(target, writer.write(document, epoch))
        except OSError as exc:
            raise KyrError(Problem(str(target), None, f"cannot write: {exc.strerror}")) from None
        report.built.append(target)
    report.seconds = time.perf_counter() - started
    return report
