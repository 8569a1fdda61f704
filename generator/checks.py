"""The rules `kyr check` applies to a pack: content, translations, fonts, and the built PDFs."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from . import dates, fonts, glossary, markup, readability, review, workers
from .build import Built, Project, Rendered, current, iter_render, load, localize_jobs, record, recorded, write_pdfs
from .catalogs import po_path, read
from .content import ContentPack, Question
from .documents import KINDS
from .errors import KyrError, Problem, display_path
from .extract import template_messages
from .i18n import LocalizedPack
from .languages import PSEUDOS
from .manifest import Manifest
from .plan import Job, plan

# Products read on their own (a budget of a sheet or less): each must carry a risk line.
ONE_SHEET = tuple(k.name for k in KINDS.values() if k.page_budget is not None and k.page_budget <= 2)


@dataclass(frozen=True)
class QuestionScore:
    id: str
    short: readability.Score
    full: readability.Score


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    scores: list[QuestionScore] = field(default_factory=list)  # English, per question
    spanish: dict[str, dict[str, readability.SpanishScore]] = field(default_factory=dict)  # lang -> question -> score
    unscored: list[str] = field(default_factory=list)  # languages no validated formula fits
    outputs: list[Built] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


def _body(question: Question, text_of) -> str:
    return " ".join(_sentence(markup.plain_text(text_of(unit))) for block in question.body for unit in block.items)


def _sentence(text: str) -> str:
    """List items often lack a final stop; without one the formulas read a run-on sentence."""
    text = text.strip()
    return text if text.endswith((".", "?", "!", ":")) else text + "."


def score(question: Question) -> QuestionScore:
    return QuestionScore(question.id, readability.english(question.short.source), readability.english(_body(question, lambda u: u.source)))


def check_pack(pack: ContentPack, today: date | None = None, book: review.Book | None = None) -> list[Problem]:
    """Content rules: review date, sources, English readability. ``book``: the recorded reviews, if read already."""
    today = today or dates.today()
    problems = dates.check(pack, book or review.book(pack.root, pack.source_language, pack.languages), today)
    for question in pack.questions:
        if not question.sources:
            problems.append(Problem(question.path, 2, f"{question.id} has no sources: every answer needs at least one", "warning"))
        result = score(question)
        if result.short.grade > readability.SHORT_GRADE_MAX:
            problems.append(Problem(question.path, question.short.line, f"{question.id} short answer reads at grade {result.short.grade} (target {readability.SHORT_GRADE_MAX:g} or below)", "warning"))
        if result.full.grade > readability.FULL_GRADE_MAX:
            problems.append(Problem(question.path, None, f"{question.id} full answer reads at grade {result.full.grade} (target {readability.FULL_GRADE_MAX:g} or below)", "warning"))
    for doc in ONE_SHEET:
        if not any(right.risk for right in pack.rights_for(doc)):
            problems.append(Problem("content/pack.yaml", None, f"documents.{doc}.rights has no risk line (a right with 'risk: true'): a one-sheet product must warn, not only reassure"))
    for right in pack.rights:
        if not right.sources:
            problems.append(Problem(right.text.path, right.text.line, f"right {right.id} has no sources", "warning"))
    translated = [lang for lang in pack.languages if lang != pack.source_language]
    for office in pack.offices if translated else ():
        if office.hours.free:
            problems.append(
                Problem(
                    pack.office_list.path,
                    office.where,
                    f"the hours of {office.id} are free text, so the {', '.join(translated)} notices print them as written: {office.hours.text!r}; "
                    "write them as days and times (Mon-Fri 08:00-16:30) to print them in every language",
                    "warning",
                )
            )
    return problems


def check_glossary(pack: ContentPack, lang: str, terms: tuple[glossary.Term, ...] | None = None) -> list[Problem]:
    """Units whose English has a glossary term but whose translation lacks its fixed words.
    ``terms``: the glossary, if read already."""
    terms = glossary.load(pack.root) if terms is None else terms
    path = po_path(pack.root, lang, "content")
    shown = display_path(path, pack.root)
    problems = []
    for entry in read(path, pack.root):
        if entry.obsolete or not entry.msgstr or entry.fuzzy:
            continue
        for term in glossary.misses(terms, lang, entry.msgid, entry.msgstr):
            problems.append(Problem(shown, entry.linenum, f"{entry.msgctxt}: {glossary.advice(term, lang)}"))
    return problems


@dataclass(frozen=True)
class Field:
    """One piece of text an output prints, and where a user finds it."""

    path: str
    line: int | None
    name: str  # "q01.short", "organization.name", "office example-pulaski address"
    text: str
    italic: str = ""  # the part printed in italics (Markdown emphasis)


def printed_fields(localized: LocalizedPack, messages: list[tuple[str | None, str]]) -> Iterator[Field]:
    """Everything the templates print in one language: units, template strings, the organization,
    offices, help lines, sources and dates."""
    pack = localized.pack
    for unit in pack.units():
        text = localized.text(unit)
        yield Field(unit.path, unit.line, unit.context, text, markup.emphasized(text))
    catalog = "templates" if localized.lang == pack.source_language or localized.lang in PSEUDOS else display_path(po_path(pack.root, localized.lang, "templates"), pack.root)
    for context, english in messages:
        yield Field(catalog, None, f"template string {context}: {english[:30]!r}", localized.translations.pgettext(context, english))
    org = pack.organization
    for name in ("name", "phone", "website", "email", "address"):
        yield Field("content/pack.yaml", None, f"organization.{name}", getattr(org, name))
    for office in pack.offices:
        hours_text = office.hours.text if office.hours.free else ""
        for name, value in (("name", office.name_in(localized.lang)), ("address", office.address), ("phone", office.phone), ("hours", hours_text)):
            yield Field(pack.office_list.path, None, f"office {office.id} {name}", value)
    for line in pack.help:
        yield Field("content/rights.yaml", None, f"{line.id} phone and website", f"{line.phone} {line.website}")
    for source in pack.sources:
        yield Field("content/sources.yaml", None, f"source {source.id} publisher and url", f"{source.publisher} {source.url}")
        yield Field("content/sources.yaml", None, f"source {source.id} date", localized.long_date(source.published))
    yield Field("content/pack.yaml", None, "as_of", localized.long_date(pack.as_of))


def check_glyphs(localized: LocalizedPack, messages: list[tuple[str | None, str]]) -> list[Problem]:
    """Text a language prints that its own fonts cannot draw, or would draw with an accent out of
    place, naming the character, the language and the unit or field."""
    lang = localized.lang
    families = fonts.stack(localized.pack.root, localized.language)
    named = ", ".join(families)
    absent = fonts.missing_families(families)
    if absent:
        return [Problem("content/pack.yaml", None, f"{lang}: font {family!r} is not installed, so nothing in {lang} can be checked: {fonts.install_hint(family)}") for family in absent]
    problems = []
    printed_all = list(printed_fields(localized, messages))
    # Each style is first asked for all the language prints at once: only a style that lacks
    # something is asked field by field, to name where (most packs lack nothing).
    every = "\n".join(printed.text for printed in printed_all)
    short_of = {style for style, text in (("regular", every), ("bold", every), ("italic", "\n".join(p.italic for p in printed_all))) if fonts.missing(text, families, style)}
    for printed in printed_all:
        where = f"{lang} {printed.name}"
        lacking: dict[str, list[str]] = {}  # character -> the styles without it
        for style, text in (("regular", printed.text), ("bold", printed.text), ("italic", printed.italic)):
            for char in fonts.missing(text, families, style) if text and style in short_of else ():
                lacking.setdefault(char, []).append(style)
        for char, styles in lacking.items():
            face = "" if styles[0] == "regular" else f" ({', '.join(styles)})"
            problems.append(Problem(printed.path, printed.line, f"{where}: {char!r} (U+{ord(char):04X}) has no glyph in {named}{face}"))
        for wrong in fonts.misplaced(printed.text, families):
            problems.append(Problem(printed.path, printed.line, f"{where}: {wrong.cluster!r} prints wrong in {wrong.family} ({', '.join(wrong.styles)}): {wrong.why}; name a font that places it in locales.{lang}.fonts"))
    return problems


def pdf_text(path: Path) -> str:
    """All text of a PDF as a reader sees it: line-break hyphens (U+2010) and line breaks undone."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return _as_read([page.get_textpage().get_text_range() for page in document])
    finally:
        document.close()


def _as_read(pages: list[str]) -> str:
    raw = "\n".join(pages).replace("\r\n", "\n")
    raw = re.sub("[\u2010\u00ad\ufffe\x02]\\s*\n", "", raw)
    return re.sub(r"\s+", " ", raw)


def unprinted(path: Path, wanted: list[tuple[str, str]], rtl: bool = False, first: tuple[int, ...] = ()) -> list[tuple[str, str]]:
    """The (what, text) pairs of ``wanted`` that the PDF's text does not show. The pages ``first``
    (where its layout showed them) are read first; then, for what they lack, the pages from the
    first, two, four, eight... at a time, until all are found: every document prints its facts on its
    first sheet or at the start of each language, so a booklet is seldom read whole."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)

    def read(numbers: Iterable[int]) -> list[str]:
        return [document[n].get_textpage().get_text_range() for n in numbers]

    def lacking(pages: list[str], wanted: list[tuple[str, str]]) -> list[tuple[str, str]]:
        printed = PrintedText(_as_read(pages), rtl)
        return [(what, text) for what, text in wanted if not printed.shows(text)]

    try:
        known = [n for n in first if n < len(document)]
        if known:
            wanted = lacking(read(known), wanted)
        pages: list[str] = []
        while wanted and len(pages) < len(document):
            pages += read(range(len(pages), min(max(2, 2 * len(pages)), len(document))))
            wanted = lacking(pages, wanted)
        return wanted
    finally:
        document.close()


def check_output(built: Built, localized: dict[str, LocalizedPack]) -> list[Problem]:
    """Page budget and layout (the writer's check, which also finds the facts and the page numbers
    on the laid-out pages), and the facts every output carries, read back from the PDF's text."""
    where = str(built.job.output)
    problems = [replace(p, message=f"{built.job.doc} in {built.job.edition}: {p.message}") for p in built.problems()]
    if not built.printed:
        return problems
    rtl = any(localized[lang].language.direction == "rtl" for lang in built.job.langs)
    for what, expected in unprinted(built.path, list(built.facts), rtl, built.facts_on):
        problems.append(Problem(where, None, f"{what} ({expected!r}) is missing from its text"))
    return problems


class PrintedText:
    """A PDF's text, to find in it what a reader must see. Spaces are ignored: text readers put one
    after a combining accent (ejjan̄in comes out as "ejjan̄ in"). A PDF stores right-to-left lines in
    the order they are drawn, so readers get their words in another order, and the letters of an
    Arabic ligature (لا) reversed: there, each word's letters must be found."""

    def __init__(self, text: str, rtl: bool = False):
        self.rtl = rtl
        self.flat = re.sub(r"\s+", "", text)
        self.words = Counter(_letters(word) for word in re.findall(r"\w+", text)) if rtl else Counter()

    def shows(self, expected: str) -> bool:
        if not self.rtl:
            return re.sub(r"\s+", "", expected) in self.flat
        return not Counter(_letters(word) for word in re.findall(r"\w+", expected)) - self.words


def _letters(word: str) -> str:
    return "".join(sorted(word))


CACHE = ".check"  # under the output folder: the manifest of the pages only check laid out (the pseudo-locales', mostly)


class _Outputs:
    """Each rendered output: the PDF a build made when its inputs are unchanged, else what an earlier
    check found in its layout (output/.check/ keeps a manifest of those), else a fresh layout, made
    by workers that take each page as it is rendered, so the caller reads the other PDFs meanwhile.
    Check makes no PDF of its own: nobody prints the pseudo-locales, and a layout without its PDF
    costs about half as much."""

    def __init__(self, project: Project, jobs: list[Job], localized: dict[str, LocalizedPack], processes: int):
        self.project = project
        self.cache = replace(project, output=project.output / CACHE)
        self.built, self.kept = Manifest.load(project.output), Manifest.load(self.cache.output)
        self.current = Manifest()
        self.found: list[Built] = []
        # Nothing changed since the build (the fingerprint it recorded): its PDF is current, and its
        # record says what the page must show, so the page need not be rendered again.
        unchanged = {job.output for job in jobs if current(self.built, job, project)}
        self.found += [recorded(project, job, self.built.outputs[str(job.output)]) for job in jobs if job.output in unchanged]
        rendered = iter_render(project, [job for job in jobs if job.output not in unchanged], localized)
        self.fresh = write_pdfs(self.cache, self._sorted(rendered), processes, pdf=False)

    def _sorted(self, rendered: Iterable[Rendered]) -> Iterator[Rendered]:
        """The pages neither a build's PDF nor a kept layout is found for; the others go to ``found``."""
        for item in rendered:
            key = str(item.job.output)
            for where, manifest in ((self.project, self.built), (self.cache, self.kept)):
                old = manifest.outputs.get(key)
                if old is None or old.inputs != item.document.inputs:
                    continue
                if where is self.project and (where.output / key).is_file():
                    # The build's PDF is this page; what it must show is read back as of now.
                    self.found.append(replace(recorded(where, item.job, old), facts=item.facts))
                    break
                if where is self.cache and old.facts == item.recorded_facts:
                    # A kept layout's problems hold while the facts looked for in it are the same.
                    self.found.append(recorded(where, item.job, old))
                    self.current.outputs[key] = old
                    break
            else:
                yield item

    def written(self) -> list[Built]:
        """The fresh ones, as their workers finish; the cache then holds only what this check used."""
        try:
            return [record(self.current, self.cache, item, pdf) for item, pdf in self.fresh]
        finally:
            for stale in self.cache.output.rglob("*.pdf"):  # an older check's: this one makes none
                stale.unlink(missing_ok=True)
            if self.current.outputs != self.kept.outputs:
                with contextlib.suppress(OSError):
                    self.current.save(self.cache.output)


# The pseudo-locale finds layout that a longer language would break, so check prints the
# kinds that must fit a page budget, one office's notice standing for all.
def _pseudo_jobs(pack: ContentPack) -> list[Job]:
    jobs = plan(pack, PSEUDOS, [name for name, kind in KINDS.items() if kind.page_budget is not None])
    # The two-page ones first: the last to start are short, so both workers finish together.
    return sorted((job for job in jobs if job.office is None or job.office == pack.offices[0]), key=lambda job: -job.kind.page_budget)


def check(root: Path, today: date | None = None, jobs: int | None = None) -> CheckReport:
    """Every problem in the pack at ``root``: content, dates, translations, and every output of every
    edition and of the pseudo-locale, read from the PDFs a build made (or written afresh)."""
    report = CheckReport()
    try:
        project = load(Path(root), today=today)
    except KyrError as exc:
        report.problems = exc.problems
        return report
    pack = project.pack
    editions, pseudo = plan(pack), _pseudo_jobs(pack)
    planned = [*editions, *pseudo]
    result = localize_jobs(project, planned, allow_incomplete=False, wait_in_progress=True)
    localized = result.packs
    # The pseudo-locales' pages are rendered first: no build made them, so their workers start at once,
    # and the content is checked and the PDFs the build made are read meanwhile.
    printable = [job for job in [*pseudo, *editions] if all(lang in localized for lang in job.langs)]
    outputs = _Outputs(project, printable, localized, min(jobs or workers.default_jobs(), len(planned)))
    report.problems += [*pack.notes, *pack.office_list.problems]
    report.problems += check_pack(pack, project.today, project.reviews)
    report.scores = [score(q) for q in pack.questions]
    report.problems += result.refused
    report.problems += [Problem(f"locales/{lang}", None, f"translation in progress: {len(left)} unit(s) left, so {lang} is not checked yet ('kyr status' lists them)", "warning") for lang, left in result.in_progress.items()]
    read = {built.job.output: check_output(built, localized) for built in outputs.found}
    later: list[Problem] = []
    messages = template_messages(pack.root)
    translated = [lang for lang in localized if lang not in PSEUDOS and lang != pack.source_language]
    terms = glossary.load(pack.root) if translated else ()
    for lang, loc in localized.items():
        later += check_glyphs(loc, messages)
        if lang not in translated:
            continue
        later += check_glossary(pack, lang, terms)
        if readability.validated(lang) == "es":
            report.spanish[lang] = {q.id: readability.spanish(_body(q, loc.text)) for q in pack.questions}
        else:
            report.unscored.append(lang)
    fresh = outputs.written()
    read |= {built.job.output: check_output(built, localized) for built in fresh}
    order = {job.output: n for n, job in enumerate(planned)}
    report.outputs = sorted([*outputs.found, *fresh], key=lambda built: order[built.job.output])
    report.problems += [problem for built in report.outputs for problem in read[built.job.output]] + later
    for lang, scores in report.spanish.items():
        for qid, result in scores.items():
            if result.below_target:
                question = pack.question(qid)
                report.problems.append(
                    Problem(question.path, None, f"{lang} {qid} reads at Fernández Huerta {result.fernandez_huerta}, Szigriszt-Pazos {result.szigriszt_pazos} (targets {readability.FERNANDEZ_HUERTA_MIN:g}+, {readability.SZIGRISZT_PAZOS_MIN:g}+)", "warning")
                )
    return report
