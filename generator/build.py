"""Plan which documents to build, render them, and write each PDF atomically."""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from .content import DOCUMENTS, PAGE_SIZES, ContentPack, Office, load_pack
from .errors import KyrError, Problem
from .files import write_atomic
from .extract import template_messages
from .i18n import PSEUDO, LocalizedPack, localize
from .render import Renderer

Progress = Callable[[int, int, str], None]


# Pages each document may use in every edition; None: any number.
PAGE_BUDGET = {"handout": 2, "booklet": None, "notice": 1, "card": 2}


@dataclass(frozen=True)
class Job:
    """One PDF to produce: a document in one language, or two on one sheet."""

    doc: str
    langs: tuple[str, ...]
    office: Office | None = None

    @property
    def edition(self) -> str:
        return "-".join(self.langs)

    @property
    def output(self) -> Path:
        """Relative to the output folder; built only from validated ids."""
        if self.office:
            return Path(self.edition) / "notices" / f"{self.office.id}.pdf"
        return Path(self.edition) / f"{self.doc}.pdf"

    @property
    def label(self) -> str:
        return str(self.output.with_suffix(""))


@dataclass(frozen=True)
class Built:
    """One PDF written, and what its layout showed."""

    job: Job
    path: Path
    pages: int
    size: int  # bytes
    overflow: tuple[str, ...]

    @property
    def over_budget(self) -> bool:
        budget = PAGE_BUDGET[self.job.doc]
        return budget is not None and self.pages > budget


@dataclass
class Report:
    built: list[Built] = field(default_factory=list)
    localized: dict[str, LocalizedPack] = field(default_factory=dict)
    incomplete: list[str] = field(default_factory=list)  # languages printed with English stand-ins
    seconds: float = 0.0


def _localize_all(pack: ContentPack, jobs: list[Job], allow_incomplete: bool) -> dict[str, LocalizedPack]:
    """Every language the jobs need; all refusals are reported together."""
    messages = template_messages(pack.root)
    localized: dict[str, LocalizedPack] = {}
    problems: list[Problem] = []
    for lang in dict.fromkeys(lang for job in jobs for lang in job.langs):
        try:
            localized[lang] = localize(pack, lang, messages, allow_incomplete)
        except KyrError as exc:
            problems.extend(exc.problems)
    if problems:
        raise KyrError(problems)
    return localized


def editions(pack: ContentPack) -> list[str]:
    """The editions a pack builds by default: each language, then each bilingual pair."""
    return [*pack.languages, *("-".join(pair) for pair in pack.bilingual)]


def plan(pack: ContentPack, langs: Iterable[str] | None = None, docs: Iterable[str] | None = None, offices: Iterable[str] | None = None) -> list[Job]:
    """Every document × edition (× office, for notices) asked for, in a stable order."""
    known = editions(pack)
    asked = tuple(langs or known)
    docs = tuple(docs or DOCUMENTS)
    problems = [Problem("command line", None, f"unknown document {d!r}; known: {', '.join(DOCUMENTS)}") for d in docs if d not in DOCUMENTS]
    problems += [
        Problem("command line", None, f"--lang {lang!r} is not an edition of this pack; it builds: {', '.join([*known, PSEUDO])} (languages are set in content/pack.yaml)")
        for lang in asked
        if lang not in known and lang != PSEUDO
    ]
    known_offices = {office.id: office for office in pack.offices}
    chosen = tuple(offices or known_offices)
    problems += [Problem("command line", None, f"--office {o!r} is not in content/offices.csv") for o in chosen if o not in known_offices]
    if problems:
        raise KyrError(problems)
    jobs = []
    for edition in asked:
        langs_of = tuple(edition.split("-"))
        for doc in docs:
            if doc == "notice":
                jobs += [Job(doc, langs_of, known_offices[office]) for office in chosen]
            else:
                jobs.append(Job(doc, langs_of))
    return jobs


def build(
    root: Path,
    langs: Iterable[str] | None = None,
    docs: Iterable[str] | None = None,
    output: Path | None = None,
    progress: Progress | None = None,
    allow_incomplete: bool = False,
    offices: Iterable[str] | None = None,
    page_size: str | None = None,
) -> Report:
    """Build the asked documents from the pack at ``root`` into ``output`` (default root/output)."""
    from .pdf import PdfWriter  # WeasyPrint is slow to import: only when rendering

    started = time.perf_counter()
    root = Path(root)
    output = Path(output) if output else root / "output"
    pack = load_pack(root)
    if page_size:
        if page_size not in PAGE_SIZES:
            raise KyrError(Problem("command line", None, f"--page-size must be one of {', '.join(PAGE_SIZES)}, got {page_size!r}"))
        pack = replace(pack, page_size=page_size)
    jobs = plan(pack, langs, docs, offices)
    localized = _localize_all(pack, jobs, allow_incomplete)
    renderer = Renderer(root)
    writer = PdfWriter(root)
    epoch = calendar.timegm(pack.as_of.timetuple())
    report = Report(localized=localized, incomplete=sorted(lang for lang, loc in localized.items() if loc.incomplete))
    for n, job in enumerate(jobs, start=1):
        if progress:
            progress(n, len(jobs), job.label)
        document = renderer.render([localized[lang] for lang in job.langs], job.doc, job.office)
        target = output / job.output
        pdf = writer.write(document, epoch)
        try:
            write_atomic(target, pdf.data)
        except OSError as exc:
            raise KyrError(Problem(str(target), None, f"cannot write: {exc.strerror}")) from None
        report.built.append(Built(job, target, pdf.pages, len(pdf.data), pdf.overflow))
    report.seconds = time.perf_counter() - started
    return report
