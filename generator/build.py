"""Plan the outputs, rebuild only those whose inputs changed, and write each PDF atomically."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, dates, fonts, workers
from .content import DOCUMENTS, PAGE_SIZES, PSEUDO, ContentPack, Office, load_pack
from .errors import KyrError, Problem
from .files import sweep, write_atomic

if TYPE_CHECKING:
    from .i18n import LocalizedPack
from .manifest import Manifest, Record, digest, files_digest, short
from .review import Verdict

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
    version: str  # the short input hash printed on it
    verdicts: tuple[Verdict, ...] = ()  # per edition: what it claims about review

    @property
    def over_budget(self) -> bool:
        budget = PAGE_BUDGET[self.job.doc]
        return budget is not None and self.pages > budget


@dataclass
class Report:
    built: list[Built] = field(default_factory=list)
    unchanged: list[Job] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    reasons: dict[str, list[str]] = field(default_factory=dict)  # why -> output labels (dry runs)
    stale: dict[str, list[str]] = field(default_factory=dict)  # language -> units printed in English
    refused: list[Problem] = field(default_factory=list)  # languages not built: stale translations
    warnings: list[Problem] = field(default_factory=list)  # dates that claim more than they should
    localized: dict[str, "LocalizedPack"] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def incomplete(self) -> list[str]:
        return sorted(lang for lang, loc in self.localized.items() if loc.incomplete)


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


def _localize_all(pack: ContentPack, jobs: list[Job], allow_incomplete: bool) -> tuple[dict[str, "LocalizedPack"], list[Problem]]:
    """Every language the jobs need, and the reasons for each language refused."""
    from .extract import template_messages
    from .i18n import localize

    messages = template_messages(pack.root)
    localized: dict[str, "LocalizedPack"] = {}
    refused: list[Problem] = []
    for lang in dict.fromkeys(lang for job in jobs for lang in job.langs):
        try:
            localized[lang] = localize(pack, lang, messages, allow_incomplete)
        except KyrError as exc:
            refused.extend(exc.problems)
    return localized, refused


def _fingerprint(root: Path, assets: str) -> str:
    """Every input file of the project, the fonts and the tools: equal means nothing changed."""
    return digest(files_digest(root, ("content", "templates", "locales")), assets, __version__)


def _assets(root: Path, family: str) -> str:
    """What a PDF depends on besides its HTML: stylesheets and images, fonts, the renderer."""
    from importlib.metadata import version

    return digest(files_digest(root, ("templates", "content"), (".css", ".png", ".jpg", ".svg")), fonts.digest(family), version("weasyprint"), __version__)


def _why(job: Job, record: Record | None, units: dict[str, str]) -> list[str]:
    if record is None:
        return ["new output"]
    changed = sorted(c for c in units.keys() | record.units.keys() if units.get(c) != record.units.get(c))
    return [f"{c} changed" for c in changed] or ["templates, styles or settings changed"]


def build(
    root: Path,
    langs: Iterable[str] | None = None,
    docs: Iterable[str] | None = None,
    output: Path | None = None,
    progress: Progress | None = None,
    allow_incomplete: bool = False,
    offices: Iterable[str] | None = None,
    page_size: str | None = None,
    force: bool = False,
    jobs: int | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> Report:
    """Build the asked outputs from the pack at ``root`` into ``output`` (default root/output).

    Outputs whose inputs are unchanged since the manifest was written are left alone;
    outputs the pack no longer has are removed (only files the manifest lists).
    """
    started = time.perf_counter()
    today = today or date.today()
    root = Path(root)
    output = Path(output) if output else root / "output"
    pack = load_pack(root)
    if page_size:
        if page_size not in PAGE_SIZES:
            raise KyrError(Problem("command line", None, f"--page-size must be one of {', '.join(PAGE_SIZES)}, got {page_size!r}"))
        pack = replace(pack, page_size=page_size)
    planned = plan(pack, langs, docs, offices)
    if output.exists() and not output.is_dir():
        raise KyrError(Problem(str(output), None, "cannot write PDFs here: it is a file, not a folder"))
    if not dry_run:
        sweep(output)
    manifest = Manifest.load(output)
    family = fonts.css_font_family(root)
    assets = _assets(root, family)
    # Crossing review_by changes what every output prints, so it is part of the fingerprint.
    fingerprint = digest(_fingerprint(root, assets), pack.page_size, str(today > pack.review_by))
    report = Report()
    from .review import book

    reviews = book(root, pack.source_language, pack.languages)
    report.warnings = [replace(p, severity="warning") for p in dates.check(pack, reviews, today)]

    todo = [job for job in planned if force or not _current(manifest, job, output, fingerprint)]
    report.unchanged = [job for job in planned if job not in todo]
    everything = {str(job.output) for job in [*plan(pack), *plan(pack, [PSEUDO])]}
    gone = sorted(path for path in manifest.outputs if path not in everything)

    if todo:
        report.localized, report.refused = _localize_all(pack, todo, allow_incomplete or dry_run)
        report.stale = {lang: sorted(loc.pending) for lang, loc in report.localized.items() if loc.incomplete}
        # A refused language keeps its last good PDFs; the other languages still build.
        todo = [job for job in todo if all(lang in report.localized for lang in job.langs)]
        from .render import Renderer  # Jinja2 and Babel load only when something is rendered

        renderer = Renderer(root, reviews, today)
        rendered = []
        for job in todo:
            document, used = renderer.render([report.localized[lang] for lang in job.langs], job.doc, job.office)
            inputs = digest(document.html, assets, pack.page_size)
            units = {context: short(text) for context, text in sorted(used.items())}
            record = manifest.outputs.get(str(job.output))
            if not force and record and record.inputs == inputs and (output / job.output).is_file():
                manifest.outputs[str(job.output)] = replace(record, fingerprint=fingerprint)
                report.unchanged.append(job)
                continue
            for reason in _why(job, record, units) if not force else ["--force"]:
                report.reasons.setdefault(reason, []).append(job.label)
            rendered.append((job, document, inputs, units))
        if not dry_run:
            _render_pdfs(root, pack, rendered, output, manifest, fingerprint, report, progress, jobs or workers.default_jobs())

    if dry_run:
        report.removed = [output / path for path in gone]
    else:
        for path in gone:
            (output / path).unlink(missing_ok=True)
            del manifest.outputs[path]
            report.removed.append(output / path)
        if todo or gone:
            manifest.save(output)
    report.seconds = time.perf_counter() - started
    return report


def _current(manifest: Manifest, job: Job, output: Path, fingerprint: str) -> bool:
    record = manifest.outputs.get(str(job.output))
    return record is not None and record.fingerprint == fingerprint and (output / job.output).is_file()


def _render_pdfs(root, pack, rendered, output, manifest, fingerprint, report, progress, jobs) -> None:
    """Write each PDF as its worker finishes; the manifest records only what was written."""
    from .render import VERSION_PLACEHOLDER

    epoch = calendar.timegm(pack.as_of.timetuple())
    tasks = [
        workers.Task(n, replace(document, html=document.html.replace(VERSION_PLACEHOLDER, inputs[:8])), epoch)
        for n, (job, document, inputs, units) in enumerate(rendered)
    ]
    # Longest first, so a booklet does not start last and leave the other workers idle.
    tasks.sort(key=lambda task: (rendered[task.key][0].doc != "booklet", task.key))
    try:
        for done, (key, pdf) in enumerate(workers.run(root, tasks, jobs), start=1):
            job, document, inputs, units = rendered[key]
            target = output / job.output
            try:
                write_atomic(target, pdf.data)
            except OSError as exc:
                raise KyrError(Problem(str(target), None, f"cannot write: {exc.strerror or exc}")) from None
            manifest.outputs[str(job.output)] = Record(fingerprint, inputs, units, pdf.pages)
            report.built.append(Built(job, target, pdf.pages, len(pdf.data), pdf.overflow, inputs[:8], document.verdicts))
            if progress:
                progress(done, len(tasks), job.label)
    finally:
        try:
            manifest.save(output)
        except OSError as exc:
            raise KyrError(Problem(str(output), None, f"cannot write the build manifest: {exc.strerror}")) from None
