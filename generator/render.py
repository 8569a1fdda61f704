"""Render one document, in one language or two, to HTML with Jinja2 (autoescaped, strict)."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import jinja2
from babel.dates import format_date, format_time, get_day_names
from babel.lists import format_list
from markupsafe import Markup, escape

from . import __version__, dates, fonts, markup
from .content import ContentPack, Unit
from .documents import KINDS, DocumentKind, Paper
from .errors import KyrError, Problem
from .files import read_own, write_cache
from .i18n import LocalizedPack
from .languages import PSEUDOS
from .manifest import digest
from .offices import Office
from .partials import PartialsContext
from .review import Book, Reviewed, Verdict

# The version printed on an output is a hash of the output itself, so it is rendered with this
# in its place, hashed, then swapped in: the HTML that leaves this module is complete.
VERSION_SLOT = "kyr-version-0f7c3e"


@dataclass(frozen=True)
class RenderedDocument:
    """A complete HTML page: a browser shows it as it is from the project folder, and the PDF
    step prints it. Every URL in it is relative to the project folder."""

    name: str
    lang: str  # "es", or "en-es" for a bilingual edition
    title: str
    html: str
    stylesheets: tuple[str, ...]  # the stylesheets it links, in order (the PDF step keeps them parsed)
    dir: str = "ltr"  # the leading language's direction: "rtl" pages run right to left
    inputs: str = ""  # hash of everything the PDF depends on: the HTML, stylesheets, images, fonts, tools
    verdicts: tuple[Verdict, ...] = ()  # per edition: what its facts block claims about review

    @property
    def version(self) -> str:
        return self.inputs[:8]


@dataclass(frozen=True, kw_only=True)
class EditionContext(PartialsContext):
    """What a document template (handout.html.j2, …) can use for one language: `c` in templates."""

    doc: str
    kind: DocumentKind
    paper: Paper
    office: Office | None
    page_size: str  # "letter" or "a4" as the pack asks; the kind's paper follows from it


@dataclass(frozen=True)
class Edition:
    html_lang: str
    dir: str
    body: Markup


@dataclass(frozen=True)
class DocumentContext:
    """What base.html.j2 can use: the page, its metadata, and each language's edition."""

    pack: ContentPack
    doc: str
    kind: DocumentKind
    paper: Paper
    html_lang: str
    dir: str
    title: str
    created: str  # ISO date, for the PDF's dates
    generator: str
    stylesheets: tuple[str, ...]  # URLs relative to the project folder
    editions: tuple[Edition, ...]
    font_css: Markup  # each language's font stack, when a language of the page sets one


def _counter_parts(label: str) -> tuple[str, str, str]:
    """Split "Page {page} of {pages}" into the text before, between and after the numbers."""
    match = re.fullmatch(r"(.*)\{page\}(.*)\{pages\}(.*)", str(label), flags=re.S)
    return match.groups() if match else ("", " / ", "")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, in memory for every Renderer of this process and, in ``folder``, for the
    next process: a check after a build compiles none of them (0.1-0.2 s). Jinja2 checks each
    against its source's checksum, so an edited template is compiled again and replaces the old
    code; a file that cannot be read as compiled code is compiled again too."""

    _memory: dict[str, bytes] = {}
    _lock = threading.Lock()

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with self._lock:
            data = self._memory.get(bucket.key)
        if data is None and self.folder is not None:
            with contextlib.suppress(OSError):
                data = read_own(self.folder / bucket.key)
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # a torn or foreign file: compile the template again
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        with self._lock:
            self._memory[bucket.key] = data
        if self.folder is not None:
            with contextlib.suppress(OSError):  # a read-only output folder only goes without the cache
                write_cache(self.folder / bucket.key, data)


class _ProjectTemplates(jinja2.FileSystemLoader):
    """A project's templates/, each named by its path in the project (templates/notice.html.j2), not
    by where the project lies: the compiled code is then the same for every copy of a project, so a
    process compiles each template once (a preview's rebuilds, the tests' hundreds of copies), and
    errors name the file as the user would."""

    def get_source(self, environment: jinja2.Environment, template: str):
        source, _, uptodate = super().get_source(environment, template)
        return source, f"templates/{template}", uptodate


class Renderer:
    """The project's templates, with one Jinja2 environment per language (its translations
    installed once), the recorded reviews, and the day that decides if the facts are out of date."""

    def __init__(self, root: Path, book: Book | None = None, today: date | None = None, assets: str = "", compiled: Path | None = None):
        self.root = Path(root)
        self.compiled = _CompiledTemplates(compiled)  # ``compiled``: a folder that keeps them for the next process
        self.assets = assets  # hash of stylesheets, images, fonts and tools: part of every version
        self.book = book
        self.today = today or dates.today()
        self.loader = _ProjectTemplates(self.root / "templates")
        self.default_font = fonts.css_font_family(self.root)  # every language's, unless the pack names its own
        self.envs: dict[str, jinja2.Environment] = {}

    def env(self, localized: LocalizedPack) -> jinja2.Environment:
        if localized.lang not in self.envs:
            env = jinja2.Environment(
                loader=self.loader,
                bytecode_cache=self.compiled,
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.filters["counter_parts"] = _counter_parts
            env.filters["upper_first"] = _upper_first
            env.install_gettext_translations(localized.translations, newstyle=True)
            self.envs[localized.lang] = env
        return self.envs[localized.lang]

    def render(self, editions: Sequence[LocalizedPack], doc: str, office: Office | None = None) -> tuple[RenderedDocument, dict[str, str]]:
        """The document ``doc`` with one edition per language, the first one leading,
        and the text of every unit it printed (by context, languages joined)."""
        pack = editions[0].pack
        kind = KINDS[doc]
        used: dict[str, str] = {}
        rendered = [self._edition(localized, doc, office, len(editions) > 1, used) for localized in editions]
        bodies = tuple(body for body, _ in rendered)
        lead = editions[0]
        title = " / ".join(dict.fromkeys(localized.text(pack.title) for localized in editions))
        context = DocumentContext(
            pack=pack,
            doc=doc,
            kind=kind,
            paper=kind.paper(pack.page_size),
            html_lang=lead.html_lang,
            dir=lead.language.direction,
            title=title,
            created=pack.as_of.isoformat(),
            generator=f"kyr {__version__}",
            stylesheets=("templates/css/base.css", f"templates/{kind.stylesheet}"),
            editions=bodies,
            font_css=_font_css(editions, self.default_font),
        )
        html = self._run(self.env(lead), "base.html.j2", c=context)
        inputs = digest(html, self.assets)
        verdicts = tuple(verdict for _, verdict in rendered)
        lang = "-".join(localized.lang for localized in editions)
        html = html.replace(VERSION_SLOT, inputs[:8])
        return RenderedDocument(doc, lang, title, html, context.stylesheets, context.dir, inputs, verdicts), used

    def _edition(self, localized: LocalizedPack, doc: str, office: Office | None, bilingual: bool, used: dict[str, str]) -> tuple[Edition, Verdict]:
        """One language's body. It is rendered twice when reviews are recorded: what an edition
        may claim depends on the units it prints, which only the template knows."""
        printed: dict[str, str] = {}
        body = self._edition_body(localized, doc, office, bilingual, None, False, printed)
        verdict = self.verdicts(localized, printed)
        if verdict.reviewed is not None or verdict.english_reviewed:
            printed.clear()
            body = self._edition_body(localized, doc, office, bilingual, verdict.reviewed, verdict.english_reviewed, printed)
        for context, text in printed.items():
            used[context] = used[context] + "\n" + text if context in used else text
        return body, verdict

    def verdicts(self, localized: LocalizedPack, printed: dict[str, str]) -> Verdict:
        """What an edition (or a language's site) that printed ``printed`` may claim: reviewed in its
        own language, or else, for a translation, that its English was reviewed."""
        reviewed = self.verdict(localized, printed)
        english = reviewed is None and localized.lang != localized.pack.source_language and self.verdict(localized, printed, english_only=True) is not None
        return Verdict(reviewed, english)

    def verdict(self, localized: LocalizedPack, printed: dict[str, str], english_only: bool = False) -> Reviewed | None:
        """What the recorded reviews allow an edition that printed ``printed`` to claim."""
        if self.book is None or localized.lang in PSEUDOS:
            return None
        english = localized.pack.english
        lang = localized.pack.source_language if english_only else localized.lang
        return self.book.verdict(lang, ((c, english[c], text) for c, text in printed.items()), () if english_only else localized.pending & printed.keys())

    def _edition_body(
        self, localized: LocalizedPack, doc: str, office: Office | None, bilingual: bool, reviewed: Reviewed | None, english_reviewed: bool, used: dict[str, str]
    ) -> Edition:
        pack = localized.pack
        kind = KINDS[doc]
        context = EditionContext(
            pack=pack,
            doc=doc,
            kind=kind,
            paper=kind.paper(pack.page_size),
            lang=localized.lang,
            html_lang=localized.html_lang,
            dir=localized.language.direction,
            title=_printed(localized, pack.title, used),
            questions=pack.questions_for(doc),
            rights=pack.rights_for(doc),
            warnings=pack.warnings_for(doc),
            office=office,
            as_of=localized.long_date(pack.as_of),
            out_of_date=self.today > pack.review_by,
            reviewed=reviewed,
            reviewed_on=localized.long_date(reviewed.on) if reviewed else "",
            english_reviewed=english_reviewed,
            bilingual=bilingual,
            page_size=pack.page_size,
            version=VERSION_SLOT,
            incomplete=localized.incomplete,
            site_url=pack.organization.edition_url(None if bilingual else localized.lang),
        )
        body = self._run(self.env(localized), kind.template, c=context, **self.helpers(localized, used))
        return Edition(context.html_lang, context.dir, Markup(body))

    def helpers(self, localized: LocalizedPack, used: dict[str, str], link=None) -> dict:
        """The functions every template gets: ``t`` and ``md`` print a unit (recording it in ``used``,
        marking it when pending), ``fmt_date`` a date in the language, ``qr`` a QR code, and ``link``
        an address: plain text on paper unless the caller makes it a link."""
        locale = localized.babel_locale
        pack = localized.pack

        def data(value: str) -> Markup:
            return _as_written(value, pack.language(pack.source_language).direction, localized.language.direction)

        return {
            "t": lambda unit: _text(localized, unit, used),
            "md": lambda unit: _inline(localized, unit, used),
            "data": data,
            "fmt_date": localized.long_date,
            "qr": _qr_data_uri,
            "link": link or (lambda href, text=None: data(text or href)),
            "weekday": lambda number: get_day_names("wide", locale=locale)[number],
            "clock": lambda value: format_time(value, "short", locale=locale),
            "and_list": lambda items: _and_list(items, locale),
        }

    def page(self, localized: LocalizedPack, name: str, **variables) -> str:
        """Any template under templates/ in ``localized``'s language, errors as the user's file and line."""
        return self._run(self.env(localized), name, **variables)

    def _run(self, env: jinja2.Environment, name: str, **variables) -> str:
        try:
            return env.get_template(name).render(**variables)
        except jinja2.TemplateSyntaxError as exc:
            path = exc.filename or f"templates/{name}"
            raise KyrError(Problem(path, exc.lineno, f"template syntax error: {exc.message}")) from None
        except jinja2.TemplateNotFound as exc:
            raise KyrError(Problem(f"templates/{exc.name}", None, "template not found")) from None
        except jinja2.UndefinedError as exc:
            path, line = _template_location(exc)
            raise KyrError(Problem(path, line, f"template error: {exc.message}")) from None


def _font_css(editions: Sequence[LocalizedPack], default: str) -> Markup:
    """CSS giving each edition its language's fonts, and the page (its margins too) all of them,
    the leading language's first. Nothing when no language of the page sets fonts, so the
    stylesheet's font stands. Family names were checked when pack.yaml was read."""
    if not any(localized.language.fonts for localized in editions):
        return Markup("")

    def stack(families: Iterable[str]) -> str:
        return ", ".join(f'"{family}"' for family in dict.fromkeys(families)) + ", sans-serif"

    stacks = {localized.html_lang: localized.language.fonts or (default,) for localized in editions}
    rules = [f"html {{ font-family: {stack(f for families in stacks.values() for f in families)}; }}"]
    rules += [f'.edition[lang="{lang}"] {{ font-family: {stack(families)}; }}' for lang, families in stacks.items()]
    return Markup("\n".join(rules))


def _printed(localized: LocalizedPack, unit: Unit, used: dict[str, str]) -> str:
    text = localized.text(unit)
    used[unit.context] = text
    return text


def _text(localized: LocalizedPack, unit: Unit, used: dict[str, str]) -> Markup:
    text = escape(_printed(localized, unit, used))
    if unit.context in localized.pending:
        return Markup('<span class="pending">{}</span>').format(text)
    return text


def _inline(localized: LocalizedPack, unit: Unit, used: dict[str, str]) -> Markup:
    html = Markup(markup.inline_html(_printed(localized, unit, used)))
    if unit.context in localized.pending:
        return Markup('<span class="pending">{}</span>').format(html)
    return html


def _as_written(value: str, direction: str, edition: str) -> Markup:
    """Text from the pack's own files (names, addresses, phone numbers), kept in the direction it was
    written in when the edition runs the other way: in Arabic, "(479) 555-0110" would otherwise
    print as "555-0110 (479)"."""
    if direction == edition:
        return escape(value)
    return Markup('<span dir="{}">{}</span>').format(direction, value)


def _template_location(exc: Exception) -> tuple[str, int | None]:
    """The innermost template frame of a rendering error, as the user's file and line."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = ("templates", None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _upper_first(text: str) -> Markup:
    """The text with its first letter a capital, as at the start of a line ("lunes" in Spanish)."""
    text = escape(text)
    return text[:1].upper() + text[1:]


def _and_list(items: Sequence[str], locale: str) -> str:
    """Items joined as the locale joins a list ("lunes, miércoles y viernes"), as plain text."""
    return format_list([item.unescape() if isinstance(item, Markup) else str(item) for item in items], locale=locale)


@lru_cache(maxsize=8)
def _qr_data_uri(url: str) -> str:
    """A vector QR code for ``url``, as an image the PDF step may load (data: URI)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=1, border=2, dark="#000")


def long_date(value: date, locale: str) -> str:
    return format_date(value, format="long", locale=locale)


def render_review(root: Path, pack: ContentPack, packet, diff, today: date) -> RenderedDocument:
    """The review packet (see packet.py) as a document for the PDF step; its words are English."""
    from .extract import describe

    renderer = Renderer(root)
    env = renderer.env(LocalizedPack(pack, pack.source_language, {}))
    title = f"Review packet: {packet.lang}"
    html = renderer._run(
        env,
        "review.html.j2",
        p=packet,
        pack=pack,
        title=title,
        pack_title=pack.title.source,
        made=long_date(today, "en"),
        generator=f"kyr {__version__}",
        diff=diff,
        describe=describe,
        fmt_date=lambda value: long_date(value, "en"),
    )
    return RenderedDocument("review", packet.lang, title, html, ("templates/css/base.css", "templates/css/review.css"))
