"""The online edition: output/site/, the static HTML edition the QR codes open.

It is made by the same steps as the PDFs: the localized pack (the same stale-translation gate and
[EN] marks), the same facts and review verdicts (render.Renderer), templates under templates/site/
that include the same partials, and templates/site/site.css. Every page works from the folder or
any static host: links are relative, and nothing is fetched from elsewhere. A language is redone
only when what it is made from changed; a file is written only when its bytes change.

Layout, relative to output/site/:

    index.html                the language picker (what a sheet in two languages points to)
    site.css                  palette.css + site.css
    <lang>/index.html         the edition's home: <website>/<lang>/ (what a QR code opens)
    <lang>/<question id>.html one page per question, a stable address
    pdf/<edition>/<doc>.pdf   copies of the PDFs, for download
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from . import __version__
from .content import ContentPack, Question
from .documents import NAMES
from .errors import Problem
from .facts import facts
from .files import write_atomic, write_if_changed
from .languages import PSEUDOS, english_name
from .manifest import Manifest, digest, short
from .partials import PartialsContext
from .plan import editions
from .review import Reviewed

if TYPE_CHECKING:
    from .i18n import LocalizedPack
    from .render import Renderer

FOLDER = "site"  # under the output folder
TEMPLATES = "site"  # under templates/: the site's own templates and stylesheet
STYLESHEETS = ("css/palette.css", "site/site.css")  # under templates/, joined into site/site.css


@dataclass(frozen=True)
class Language:
    """One language of the online edition, as the language switcher shows it."""

    code: str  # "es": its folder
    html_lang: str
    name: str  # in its own language: "Español"


@dataclass(frozen=True)
class Download:
    doc: str  # the document kind: "handout"
    office: str  # the office's name, for a notice; else ""
    href: str  # relative to a language's pages


@dataclass(frozen=True)
class DownloadGroup:
    """The PDFs of one edition: a language, or two on one sheet."""

    edition: str  # "en" or "en-es"
    languages: tuple[Language, ...]
    files: tuple[Download, ...]


@dataclass(frozen=True, kw_only=True)
class SiteContext(PartialsContext):
    """What templates/site/*.html.j2 can use: ``c``. The names the shared partials read mean what
    they mean on paper (partials.PartialsContext)."""

    languages: tuple[Language, ...]  # every language of the site, this one included
    downloads: tuple[DownloadGroup, ...]
    generator: str
    project_url: str = "../"  # content/ images are copied to site/content/


@dataclass(frozen=True)
class Page:
    """One page of a language: its file name (the same in every language) and its question."""

    file: str
    question: Question | None = None
    number: int = 0
    previous: Question | None = None
    next: Question | None = None


@dataclass
class Plan:
    """What the site needs after this build's PDFs are rendered."""

    languages: list[str]  # languages of the pack among the editions asked
    published: list[Language]  # languages the switcher lists: built now or before
    keys: dict[str, str]  # language -> key of everything its pages are made from
    redo: list[str]  # languages whose pages must be made again
    downloads: dict[str, tuple[DownloadGroup, ...]]
    picker: bool  # make site/index.html again: a language changed, or it is missing


def site_languages(pack: ContentPack, asked: Iterable[str]) -> list[str]:
    """The pack's languages among the asked editions (a pair brings both); never the pseudo-locale."""
    wanted = {lang for edition in asked for lang in edition.split("-")}
    return [lang for lang in pack.languages if lang in wanted and lang not in PSEUDOS]


@cache
def language(code: str, html_lang: str) -> Language:
    from babel import Locale, UnknownLocaleError  # only when a page is made: a build with nothing to do stays quick

    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):  # CLDR has no data for it (Marshallese): its English name
        name = english_name(code) or code
    return Language(code, html_lang, name[:1].upper() + name[1:])


def plan(pack: ContentPack, fingerprint: str, manifest: Manifest, output: Path, asked: Iterable[str], pdfs: Iterable[str], force: bool, refused: Iterable[str] = ()) -> Plan:
    """Which languages' pages to make again. ``pdfs``: every PDF (path under output/) that exists
    or this build writes; a language lists those of its editions for download. ``refused``: languages
    this build already refused; the switcher lists a language only if its pages exist or will."""
    site = output / FOLDER
    langs = site_languages(pack, asked)
    refused = set(refused)
    published = [
        language(lang, lang.replace("_", "-"))
        for lang in pack.languages
        if lang not in PSEUDOS and ((lang in langs and lang not in refused) or (site / lang / "index.html").is_file())
    ]
    pdfs = sorted(set(pdfs))
    downloads = {lang: _downloads(pack, lang, pdfs) for lang in langs}
    keys = {lang: digest(fingerprint, repr(published), repr(downloads[lang]))[:16] for lang in langs}
    redo = [lang for lang in langs if force or manifest.site.get(f"{lang}/") != keys[lang] or not (site / lang / "index.html").is_file()]
    picker = bool(langs) and (bool(redo) or not (site / "index.html").is_file())
    return Plan(langs, published, keys, redo, downloads, picker)


def _downloads(pack: ContentPack, lang: str, pdfs: list[str]) -> tuple[DownloadGroup, ...]:
    offices = {office.id: office.name for office in pack.offices}
    groups = []
    for edition in editions(pack):
        langs = edition.split("-")
        if lang not in langs:
            continue
        files = []
        for path in pdfs:
            parts = Path(path).parts
            if parts[0] != edition:
                continue
            if len(parts) == 3 and parts[1] == "notices":
                files.append(Download("notice", offices.get(Path(path).stem, Path(path).stem), f"../pdf/{path}"))
            elif len(parts) == 2:
                files.append(Download(Path(path).stem, "", f"../pdf/{path}"))
        files.sort(key=lambda d: (NAMES.index(d.doc) if d.doc in NAMES else len(NAMES), d.office))
        if files:
            groups.append(DownloadGroup(edition, tuple(language(code, code.replace("_", "-")) for code in langs), tuple(files)))
    return tuple(groups)


class Writer:
    """Makes a language's pages with the project's templates, checking each for the facts."""

    def __init__(self, root: Path, renderer: Renderer, out_of_date: bool):
        self.root = Path(root)
        self.renderer = renderer
        self.out_of_date = out_of_date

    def pages(self, localized: LocalizedPack, site_plan: Plan) -> tuple[dict[str, bytes], list[Problem]]:
        """Every page of one language (file under site/ -> bytes), and the facts a page left out.

        Pages are made twice when reviews are recorded, as a PDF's edition is: what the site may
        claim depends on every unit it prints."""
        from .render import VERSION_SLOT

        used: dict[str, str] = {}
        made = self._made(localized, site_plan, None, False, used)
        verdict = self.renderer.verdicts(localized, used)
        if verdict.reviewed is not None or verdict.english_reviewed:
            made = self._made(localized, site_plan, verdict.reviewed, verdict.english_reviewed, {})
        version = digest(*[part for name, text in sorted(made.items()) for part in (name, text)], self.stylesheet)[:8]
        pages = {name: text.replace(VERSION_SLOT, version) for name, text in made.items()}
        shown = facts(localized, version, verdict, self.out_of_date)
        problems = []
        for name, text in pages.items():
            words = _words(text)
            for what, expected in shown.items():
                if " ".join(expected.split()) not in words:
                    problems.append(Problem(f"{FOLDER}/{name}", None, f"the {what} ({expected!r}) is missing from the page: the site prints the same facts as the PDFs"))
        return {name: text.encode("utf-8") for name, text in pages.items()}, problems

    def _made(self, localized: LocalizedPack, site_plan: Plan, reviewed: Reviewed | None, english_reviewed: bool, used: dict[str, str]) -> dict[str, str]:
        from .render import VERSION_SLOT  # Jinja2 loads only when pages are made

        pack = localized.pack
        lang = localized.lang
        context = SiteContext(
            pack=pack,
            lang=lang,
            html_lang=localized.html_lang,
            dir=localized.language.direction,
            title=localized.text(pack.title),
            questions=pack.questions,
            rights=pack.rights,
            warnings=pack.warnings,
            as_of=localized.long_date(pack.as_of),
            out_of_date=self.out_of_date,
            reviewed=reviewed,
            reviewed_on=localized.long_date(reviewed.on) if reviewed else "",
            english_reviewed=english_reviewed,
            version=VERSION_SLOT,
            incomplete=localized.incomplete,
            site_url=pack.organization.edition_url(lang),
            languages=tuple(site_plan.published),
            downloads=site_plan.downloads[lang],
            generator=f"kyr {__version__}",
        )
        helpers = self.renderer.helpers(localized, used, link=_link)
        used[pack.title.context] = context.title
        questions = pack.questions
        pages = [Page("index.html")]
        pages += [Page(f"{q.id}.html", q, n, questions[n - 2] if n > 1 else None, questions[n] if n < len(questions) else None) for n, q in enumerate(questions, start=1)]
        made = {}
        for page in pages:
            template = "site/question.html.j2" if page.question else "site/index.html.j2"
            made[f"{lang}/{page.file}"] = self.renderer.page(localized, template, c=context, page=page, **helpers)
        return made

    def picker(self, localized: LocalizedPack, published: list[Language]) -> bytes:
        """site/index.html: every language by its own name (the address a sheet in two points to)."""
        pack = localized.pack
        text = self.renderer.page(
            localized,
            "site/languages.html.j2",
            pack=pack,
            title=localized.text(pack.title),
            html_lang=localized.html_lang,
            languages=published,
            site_url=pack.organization.edition_url(),
            generator=f"kyr {__version__}",
        )
        return text.encode("utf-8")

    @cached_property
    def stylesheet(self) -> bytes:
        """site.css: the palette and the site's own rules, read once per build."""
        return b"\n".join((self.root / "templates" / name).read_bytes() for name in STYLESHEETS)


def write_language(manifest: Manifest, site: Path, lang: str, key: str, pages: dict[str, bytes]) -> int:
    """Write a language's pages (only those whose bytes changed) and remove its pages that are
    no longer made (a question taken out of the pack); returns how many were written."""
    written = 0
    for name, data in pages.items():
        written += write_if_changed(site / name, data)
        manifest.site[name] = short(data.decode("utf-8"))
    for name in [n for n in manifest.site if n.startswith(f"{lang}/") and n != f"{lang}/" and n not in pages]:
        (site / name).unlink(missing_ok=True)
        del manifest.site[name]
    manifest.site[f"{lang}/"] = key
    return written


def publish(manifest: Manifest, output: Path, root: Path, pack: ContentPack, stylesheet: bytes, picker: bytes | None) -> int:
    """The files every language shares: the stylesheet, the language picker, the logo, and a copy
    of each PDF the manifest lists (copied again only when the PDF changed); copies of PDFs no
    longer made are removed. Returns how many files were written."""
    site = output / FOLDER
    written = write_if_changed(site / "site.css", stylesheet)
    if picker is not None:
        written += write_if_changed(site / "index.html", picker)
    if pack.organization.logo:
        written += write_if_changed(site / "content" / pack.organization.logo, (root / "content" / pack.organization.logo).read_bytes())
    shipped = {edition for edition in editions(pack)}
    wanted = {f"pdf/{path}": record.inputs for path, record in manifest.outputs.items() if Path(path).parts[0] in shipped}
    for name, inputs in wanted.items():
        target = site / name
        if manifest.site.get(name) != inputs or not target.is_file():
            source = output / name.removeprefix("pdf/")
            if source.is_file():
                write_atomic(target, source.read_bytes())
                manifest.site[name] = inputs
                written += 1
    for name in [n for n in manifest.site if n.startswith("pdf/") and n not in wanted]:
        (site / name).unlink(missing_ok=True)
        del manifest.site[name]
    return written


def _link(href: str, text: str | None = None) -> Markup:
    """An address as a link on the web; a phone number dials (tel: takes digits only)."""
    if href.startswith("tel:"):
        href = "tel:" + re.sub(r"[^\d+]", "", href[4:])
    return Markup('<a href="{}">{}</a>').format(href, text or href)


def _words(page: str) -> str:
    """A page's text as a reader sees it: tags and generated marks left out, spaces collapsed."""
    body = page.split("<body", 1)[-1]
    text = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(text).split())


__all__ = ["FOLDER", "Download", "DownloadGroup", "Language", "Plan", "SiteContext", "Writer", "plan", "publish", "site_languages", "write_language"]
