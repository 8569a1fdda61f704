"""Build: the steps load → plan → localize → render → write PDF → record, for the outputs asked.

Each step is a function over plain data, so `kyr check`, `kyr status`, the review packet and
the tests call the same ones; `build()` strings them together and redoes only the outputs
whose inputs changed. Every PDF is written atomically and recorded in the manifest.
"""

from __future__ import annotations

import calendar
import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, dates, fonts, site, workers
from .content import ContentPack, load_pack
from .documents import KINDS, NAMES, PAGE_SIZES
from .errors import KyrError, Problem
from .facts import facts, page_label
from .files import sweep, write_atomic
from .languages import PSEUDOS
from .manifest import Manifest, Record, digest, files_digest, short
from .plan import Job, editions, per_office, plan
from .review import Book, book

if TYPE_CHECKING:
    from .i18n import LocalizedPack
    from .pdf import Pdf
    from .render import RenderedDocument
    from .session import Session

Progress = Callable[[int, int, str], None]

# Files a PDF reads besides its HTML: stylesheets, images and fonts under templates/ and content/.
SITE_TEMPLATES = f"templates/{site.TEMPLATES}"
# Under the output folder, for the next process: the compiled templates, and the strings they translate.
COMPILED = ".cache/templates"
MESSAGES = ".cache/template-messages.json"
ASSET_SUFFIXES = (".css", ".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp", ".ttf", ".otf", ".woff", ".woff2")


@dataclass(frozen=True)
class Project:
    """Step 1, load: the pack and everything else an output's inputs depend on."""

    root: Path
    pack: ContentPack
    output: Path
    today: date
    assets: str  # hash of stylesheets, images, fonts and the renderer: part of every output's inputs
    templates: str  # hash of the templates
    reviews: Book
    fingerprint: str  # every input file, the assets and the settings: equal means nothing changed
    keeps: bool = True  # work is kept under output/.cache for the next process (not in a dry run)

    @property
    def out_of_date(self) -> bool:
        return self.today > self.pack.review_by

    def kept(self, name: str) -> Path | None:
        """Where the work named ``name`` (COMPILED, MESSAGES) is kept for the next process, if it is."""
        return self.output / name if self.keeps else None


def load(root: Path, output: Path | None = None, page_size: str | None = None, today: date | None = None) -> Project:
    root = Path(root)
    today = today or dates.today()
    pack = load_pack(root)
    if page_size:
        if page_size not in PAGE_SIZES:
            raise KyrError(Problem("command line", None, f"--page-size must be one of {', '.join(PAGE_SIZES)}, got {page_size!r}"))
        pack = replace(pack, page_size=page_size)
    from importlib.metadata import version

    # The online edition's own templates and stylesheet (templates/site/) are no input of a PDF.
    families = [fonts.css_font_family(root), *(family for settings in pack.locales.values() for family in settings.fonts)]
    assets = digest(files_digest(root, ("templates", "content"), ASSET_SUFFIXES, exclude=(SITE_TEMPLATES,)), fonts.digest(families), version("weasyprint"), __version__)
    # Crossing review_by changes what every output prints, so it is part of the fingerprint.
    fingerprint = digest(files_digest(root, ("content", "templates", "locales")), assets, pack.page_size, str(today > pack.review_by))
    reviews = book(root, pack.source_language, pack.languages)
    templates = files_digest(root, ("templates",), (".j2",), exclude=(SITE_TEMPLATES,))
    return Project(root, pack, Path(output) if output else root / "output", today, assets, templates, reviews, fingerprint)


@dataclass
class Localized:
    """Step 3's result: the languages that can be printed, and why the others cannot."""

    packs: dict[str, LocalizedPack] = field(default_factory=dict)
    refused: list[Problem] = field(default_factory=list)  # why languages were refused: the command fails
    in_progress: dict[str, list[Problem]] = field(default_factory=dict)  # never complete yet: the units left


def localize_jobs(project: Project, jobs: Iterable[Job], allow_incomplete: bool, wait_in_progress: bool = False) -> Localized:
    """Step 3, localize: every language the jobs need."""
    return localize_langs(project, [lang for job in jobs for lang in job.langs], allow_incomplete, wait_in_progress)


def localize_langs(project: Project, langs: Iterable[str], allow_incomplete: bool, wait_in_progress: bool = False) -> Localized:
    """Step 3 for languages named directly (the online edition is per language, not per job).

    A language is refused when its translations are out of date or the fonts the pack names for
    it are not installed. With ``wait_in_progress``, a language whose catalogs have never been
    complete waits quietly (see catalogs.was_complete)."""
    from .catalogs import was_complete
    from .extract import template_messages
    from .i18n import Untranslated, localize

    messages = template_messages(project.root, project.kept(MESSAGES))
    result = Localized()
    for lang in dict.fromkeys(langs):
        absent = fonts.missing_families(project.pack.language(lang).fonts)
        if absent:
            result.refused += [Problem("content/pack.yaml", None, f"'{lang}' is not built: its font {family!r} (locales.{lang}.fonts) is not installed; {fonts.install_hint(family)}") for family in absent]
            continue
        try:
            result.packs[lang] = localize(project.pack, lang, messages, allow_incomplete)
        except Untranslated as exc:
            if wait_in_progress and not was_complete(project.root, lang):
                result.in_progress[lang] = exc.stale
            else:
                result.refused.extend(exc.problems)
        except KyrError as exc:
            result.refused.extend(exc.problems)
    return result


@dataclass(frozen=True)
class Rendered:
    """Step 4's result for one job: the HTML page and what it printed."""

    job: Job
    document: RenderedDocument
    units: dict[str, str]  # unit context -> short hash of the text printed
    parts: dict[str, str]  # what else the page is made from, by name -> short hash: says why it changed
    facts: tuple[tuple[str, str], ...] = ()  # (what, text) every reader must find on the page
    page_label: str | None = None  # its page numbers (see facts.page_label), if its kind numbers pages

    @property
    def recorded_facts(self) -> list[list[str]]:
        """The facts as a manifest Record keeps them (JSON has lists, not tuples)."""
        return [list(fact) for fact in self.facts]


def make_renderer(project: Project):
    """The templates of the project, for the PDFs' pages and the online edition alike."""
    from .render import Renderer  # Jinja2 and Babel load only when something is rendered

    return Renderer(project.root, project.reviews, project.today, project.assets, compiled=project.kept(COMPILED))


def render(project: Project, jobs: Iterable[Job], localized: dict[str, LocalizedPack], templates=None) -> list[Rendered]:
    """Step 4, render: each job whose languages are all localized, as a complete HTML page."""
    return list(iter_render(project, jobs, localized, templates))


def iter_render(project: Project, jobs: Iterable[Job], localized: dict[str, LocalizedPack], templates=None) -> Iterator[Rendered]:
    """Step 4, one page at a time, so a page can go to a worker while the next is rendered."""
    renderer = templates or make_renderer(project)
    for job in jobs:
        if all(lang in localized for lang in job.langs):
            document, used = renderer.render([localized[lang] for lang in job.langs], job.doc, job.office)
            units = {context: short(text) for context, text in sorted(used.items())}
            editions = [localized[lang] for lang in job.langs]
            shown = tuple(
                (f"the {what} in {loc.lang}", text)
                for loc, verdict in zip(editions, document.verdicts, strict=True)
                for what, text in facts(loc, document.version, verdict, project.out_of_date).items()
            )
            label = page_label(editions) if job.kind.page_numbers else None
            yield Rendered(job, document, units, _parts(project, job, document, editions), shown, label)


def _parts(project: Project, job: Job, document: RenderedDocument, editions: list[LocalizedPack]) -> dict[str, str]:
    """The named inputs of a page besides its units, so a rebuild can say what changed."""
    pack = project.pack
    return {
        pack.office_list.path: short(repr(job.office)) if job.office else "",
        "the organization block in content/pack.yaml": short(repr(pack.organization)),
        "the page size": pack.page_size,
        "as_of or review_by in content/pack.yaml": f"{pack.as_of} {pack.review_by} {project.out_of_date}",
        "the recorded reviews (content/reviews/)": short(repr(document.verdicts)),
        "the templates": project.templates[:12],
        "the template translations (templates.po)": short(repr([sorted(getattr(e.translations, "messages", {}).items()) for e in editions])),
        "stylesheets, images, fonts or the renderer": project.assets[:12],
    }


def _epoch(project: Project) -> int:
    return calendar.timegm(project.pack.as_of.timetuple())


def task(key: int, item: Rendered, pdf: bool = True) -> workers.Task:
    """What a worker needs to write ``item``'s PDF (or only lay it out) and check it."""
    kind = item.job.kind
    return workers.Task(key, item.document, kind.page_budget, kind.fit_boxes, item.facts, item.page_label, pdf)


def write_pdfs(project: Project, rendered: Iterable[Rendered], jobs: int, session: Session | None = None, pdf: bool = True) -> Pdfs:
    """Step 5, write PDF: each page goes to a worker process as soon as it is rendered (pass the
    long ones first); once all are handed over, iterate the answer for (Rendered, Pdf) as each
    finishes. ``session``: its warm workers, in a long-running process. ``pdf`` false: the pages
    are laid out and checked, and no PDF is made."""
    if session is not None:
        batch = workers.Warm(session.pool(project.assets), _epoch(project), project.assets)
    else:
        batch = workers.Batch(project.root, jobs, _epoch(project))
    items: list[Rendered] = []
    try:
        for item in rendered:
            batch.submit(task(len(items), item, pdf))
            items.append(item)
    except BaseException:
        batch.close()
        raise
    return Pdfs(batch, items)


class Pdfs:
    """The PDFs being written: (Rendered, Pdf) as each finishes; ``close()`` stops the workers of a
    build that fails before it asks for them all."""

    def __init__(self, batch: workers.Batch | workers.Warm, items: list[Rendered]):
        self.batch, self.items = batch, items

    def __iter__(self) -> Iterator[tuple[Rendered, Pdf]]:
        try:
            for key, pdf in self.batch.results():
                yield self.items[key], pdf
        finally:
            self.batch.close()

    def close(self) -> None:
        self.batch.close()


@dataclass(frozen=True)
class Built:
    """One PDF as written (now or by an earlier build), and what its layout showed."""

    job: Job
    path: Path
    pages: int
    size: int  # bytes
    layout: tuple[str, ...]  # text outside its box, text covered by another box
    facts: tuple[tuple[str, str], ...] = ()  # (what, text) it must show, for check to read back
    facts_on: tuple[int, ...] = ()  # the pages (from 0) that showed them: check reads those first

    @property
    def printed(self) -> bool:
        """Whether there is a PDF: check lays out, without one, the pages no build made."""
        return self.size > 0

    def problems(self) -> list[Problem]:
        """What is wrong with its layout (the writer's check names pages past the budget and why);
        build and check report the same."""
        where = str(self.job.output)
        return [Problem(where, None, line) for line in self.layout]


def record(manifest: Manifest, project: Project, item: Rendered, pdf: Pdf) -> Built:
    """Step 6, record: write the PDF atomically and remember what it was made from. A page only
    laid out (no bytes) is remembered, and nothing is written."""
    target = project.output / item.job.output
    try:
        if pdf.data:
            write_atomic(target, pdf.data)
        else:
            target.unlink(missing_ok=True)  # a PDF made earlier would no longer be what the record says
    except OSError as exc:
        raise KyrError(Problem(str(target), None, f"cannot write this PDF: {exc.strerror or exc}")) from None
    manifest.outputs[str(item.job.output)] = Record(project.fingerprint, item.document.inputs, item.units, pdf.pages, list(pdf.layout), len(pdf.data), item.parts, item.recorded_facts, list(pdf.facts_on))
    return Built(item.job, target, pdf.pages, len(pdf.data), pdf.layout, item.facts, pdf.facts_on)


def recorded(project: Project, job: Job, record: Record) -> Built:
    """An output an earlier build wrote, as the manifest remembers it."""
    return Built(job, project.output / job.output, record.pages, record.size, tuple(record.layout), tuple((what, text) for what, text in record.facts), tuple(record.facts_on))


@dataclass
class Report:
    built: list[Built] = field(default_factory=list)
    unchanged: list[Job] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    reasons: dict[str, list[str]] = field(default_factory=dict)  # why -> output labels (dry runs)
    stale: dict[str, list[str]] = field(default_factory=dict)  # language -> units printed in English
    refused: list[Problem] = field(default_factory=list)  # languages not built: stale translations
    left: list[Path] = field(default_factory=list)  # outputs of a refused language left from an older build
    refused_langs: list[str] = field(default_factory=list)
    in_progress: dict[str, list[Problem]] = field(default_factory=dict)  # languages never complete yet: units left
    offices: list[Problem] = field(default_factory=list)  # mistakes in the office list: no notice is built
    notices_kept: int = 0  # notices of an earlier build kept while the office list has mistakes
    problems: list[Problem] = field(default_factory=list)  # layout errors of the outputs asked for, new or not
    warnings: list[Problem] = field(default_factory=list)  # dates that claim more than they should
    localized: dict[str, LocalizedPack] = field(default_factory=dict)
    output: Path = Path("output")
    pack: ContentPack | None = None  # as this build read it
    site: list[str] = field(default_factory=list)  # languages of the online edition made again
    site_files: int = 0  # files written under site/ (pages, stylesheet, PDF copies)
    seconds: float = 0.0

    @property
    def incomplete(self) -> list[str]:
        return sorted(lang for lang, loc in self.localized.items() if loc.incomplete)


def _why(record: Record | None, item: Rendered) -> list[str]:
    """Why an output is rebuilt, in the user's words: the units or the other inputs that changed."""
    if record is None:
        return ["new output"]
    units = sorted(c for c in item.units.keys() | record.units.keys() if item.units.get(c) != record.units.get(c))
    parts = [name for name, value in item.parts.items() if record.parts.get(name) != value]
    return [f"{c} changed" for c in units] + [f"{name} changed" for name in parts] or ["the page changed"]


Written = Callable[[str], None]  # told each output (path under output/) as soon as it is written


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
    written: Written | None = None,
    session: Session | None = None,
) -> Report:
    """Build the asked outputs from the pack at ``root`` into ``output`` (default root/output), and
    the online edition of their languages into ``output``/site/. ``written`` is told each output
    as it is written; ``session`` keeps workers and templates warm between builds of one process.

    Outputs whose inputs are unchanged since the manifest was written are left alone;
    outputs the pack no longer has are removed (only files the manifest lists).
    """
    started = time.perf_counter()
    docs = tuple(docs) if docs else None
    project = load(root, output, page_size, today)
    if dry_run:
        project = replace(project, keeps=False)  # a dry run writes nothing
    output = project.output
    planned = plan(project.pack, langs, docs, offices)
    if output.exists() and not output.is_dir():
        raise KyrError(Problem(str(output), None, "cannot write PDFs here: it is a file, not a folder"))
    if not dry_run:
        sweep(output)
    manifest = Manifest.load(output)
    report = Report(output=output, pack=project.pack, warnings=[*project.pack.notes, *(replace(p, severity="warning") for p in dates.check(project.pack, project.reviews, project.today))])
    office_problems = project.pack.office_list.problems
    if office_problems and any(KINDS[doc].per_office for doc in docs or NAMES if doc in KINDS):
        report.offices = list(office_problems)

    # Long documents first, so a booklet does not start last and leave the other workers idle.
    todo = sorted((job for job in planned if force or not current(manifest, job, project)), key=lambda job: not job.kind.long)
    report.unchanged = [job for job in planned if job not in todo]
    everything = {str(job.output) for job in [*plan(project.pack), *plan(project.pack, PSEUDOS)]}
    gone = sorted(path for path in manifest.outputs if path not in everything and not path.startswith(f"{site.FOLDER}/"))
    if office_problems:
        # No notice is planned while the office list has mistakes; the last good ones stay.
        gone = [path for path in gone if not per_office(path)]
        report.notices_kept = sum(1 for path in manifest.outputs if per_office(path) and (output / path).is_file())

    if todo:
        # A dry run localizes as the build would, so it says what the build would refuse. A language
        # translated for the first time waits without failing a plain build; asked for by name, it
        # is refused with every unit left, as a stale one is.
        localized = localize_jobs(project, todo, allow_incomplete, wait_in_progress=langs is None)
        report.localized, report.refused, report.in_progress = localized.packs, localized.refused, localized.in_progress
        # A refused language keeps its last good PDFs; the other languages still build.
        report.refused_langs = sorted({lang for job in todo for lang in job.langs if lang not in report.localized and lang not in report.in_progress})
        report.left = [output / job.output for job in todo if not all(lang in report.localized for lang in job.langs) and (output / job.output).is_file()]
    # The site lists the PDFs that exist or that this build writes (those of refused languages are not).
    buildable = [str(job.output) for job in todo if all(lang in report.localized for lang in job.langs)]
    site_plan = site.plan(project.pack, project.fingerprint, manifest, output, langs or editions(project.pack), [*(p for p in manifest.outputs if p not in gone), *buildable], force, [*report.refused_langs, *report.in_progress])
    _localize_site(project, site_plan, report, allow_incomplete, todo)
    report.stale = {lang: sorted(loc.pending) for lang, loc in report.localized.items() if loc.incomplete}
    site_redo = [lang for lang in site_plan.redo if lang in report.localized]
    # Jinja2 loads only when something is rendered: a build with nothing to do stays quick.
    templates = make_renderer(project) if todo or site_redo or site_plan.picker else None
    changes = _changes(project, manifest, report, todo, templates, force)
    if not dry_run:
        # No more workers than pages that may change: a process forks them all at the first page.
        processes = min(jobs or workers.default_jobs(), max(len(todo), 1))
        _write(project, changes, manifest, report, progress, processes, gone, site_plan, site_redo, templates, written, session, dirty=bool(todo))
    else:
        list(changes)
        report.removed = [output / path for path in gone]
    rank = {job.label: n for n, job in enumerate(planned)}  # the pages were rendered long ones first
    for labels in report.reasons.values():
        labels.sort(key=lambda label: rank.get(label, len(rank)))
    for lang in site_redo:
        report.reasons.setdefault("the online edition is not up to date", []).append(f"{site.FOLDER}/{lang}")
    for job in report.unchanged:
        if (kept := manifest.outputs.get(str(job.output))) is not None:
            report.problems += recorded(project, job, kept).problems()
    for built in report.built:
        report.problems += built.problems()
    report.seconds = time.perf_counter() - started
    return report


def _changes(project: Project, manifest: Manifest, report: Report, todo: list[Job], templates, force: bool) -> Iterator[Rendered]:
    """Step 4 for a build: render each job to do, and yield those whose page changed (saying why);
    an output whose page is the same keeps its PDF, and its record the new fingerprint."""
    if not todo:
        return
    for item in iter_render(project, todo, report.localized, templates):
        key = str(item.job.output)
        old = manifest.outputs.get(key)
        if not force and old and old.inputs == item.document.inputs and (project.output / key).is_file():
            # What the page must show can change while its HTML does not (a template that never
            # prints the out-of-date warning): check reads the facts of now from the kept PDF.
            manifest.outputs[key] = replace(old, fingerprint=project.fingerprint, facts=item.recorded_facts)
            report.unchanged.append(item.job)
            continue
        for reason in _why(old, item) if not force else ["--force"]:
            report.reasons.setdefault(reason, []).append(item.job.label)
        yield item


def _localize_site(project: Project, site_plan: site.Plan, report: Report, allow_incomplete: bool, todo: list[Job]) -> None:
    """Localize the languages only the online edition needs (their PDFs are current); a language
    refused there is refused as for a PDF, and keeps its last good pages."""
    tried = {lang for job in todo for lang in job.langs}
    wanted = [lang for lang in site_plan.redo if lang not in tried]
    if site_plan.picker and project.pack.source_language not in report.localized:
        wanted.append(project.pack.source_language)  # the language picker is in the source language
    if not wanted:
        return
    result = localize_langs(project, wanted, allow_incomplete)
    report.localized.update(result.packs)
    report.refused += result.refused
    report.in_progress.update(result.in_progress)
    report.refused_langs = sorted({*report.refused_langs, *(lang for lang in wanted if lang not in result.packs and lang not in result.in_progress)})


def current(manifest: Manifest, job: Job, project: Project) -> bool:
    """Nothing in the project changed since ``job``'s output was built (the fingerprint it recorded)."""
    record = manifest.outputs.get(str(job.output))
    return record is not None and record.fingerprint == project.fingerprint and (project.output / job.output).is_file()


def _write(
    project: Project,
    changes: Iterator[Rendered],
    manifest: Manifest,
    report: Report,
    progress: Progress | None,
    jobs: int,
    gone: list[str],
    site_plan: site.Plan,
    site_redo: list[str],
    templates,
    written: Written | None,
    session: Session | None,
    dirty: bool,
) -> None:
    """Hand each changed page to the workers, write the online edition's pages meanwhile, then
    record each PDF as its worker finishes and write the site's copies of the PDFs; remove
    outputs the pack no longer has, and save the manifest: it lists only what was written.
    A failure names its own cause: saving the manifest after it is best effort and never hides it."""
    writer = site.Writer(project.root, templates, project.out_of_date) if site_plan.languages else None
    results: Pdfs | None = None
    try:
        # The site's pages are made while the workers write.
        results = write_pdfs(project, changes, jobs, session)
        for lang in site_redo:
            pages, problems = writer.pages(report.localized[lang], site_plan)
            report.problems += problems
            report.site_files += site.write_language(manifest, project.output / site.FOLDER, lang, site_plan.keys[lang], pages)
            report.site.append(lang)
            if written:
                written(f"{site.FOLDER}/{lang}/")
        for done, (item, pdf) in enumerate(results, start=1):
            report.built.append(record(manifest, project, item, pdf))
            if progress:
                progress(done, len(results.items), item.job.label)
            if written:
                written(str(item.job.output))
        for path in gone:
            (project.output / path).unlink(missing_ok=True)
            del manifest.outputs[path]
            report.removed.append(project.output / path)
        dirty = dirty or bool(gone or site_redo)
        if writer and (dirty or site_plan.picker):
            source = report.localized.get(project.pack.source_language)
            picker = writer.picker(source, site_plan.published) if site_plan.picker and source else None
            copied = site.publish(manifest, project.output, project.root, project.pack, writer.stylesheet, picker)
            report.site_files += copied
            dirty = dirty or bool(copied)
    except BaseException as exc:
        if results is not None:
            results.close()
        with contextlib.suppress(OSError):
            manifest.save(project.output)
        if isinstance(exc, OSError):
            raise KyrError(Problem(str(getattr(exc, "filename", None) or project.output), None, f"cannot write here: {exc.strerror or exc}")) from None
        raise
    if dirty:
        try:
            manifest.save(project.output)
        except OSError as exc:
            raise KyrError(Problem(str(project.output), None, f"cannot write the build manifest: {exc.strerror}")) from None


__all__ = ["Built", "Job", "Localized", "Project", "Rendered", "Report", "build", "current", "editions", "load", "localize_jobs", "localize_langs", "make_renderer", "plan", "record", "render", "write_pdfs"]
