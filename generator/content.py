"""Load and validate a content pack (pack.yaml, questions/*.md, rights.yaml, offices.csv)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from . import markup, offices, textfile, yamlfile
from .documents import NAMES, PAGE_SIZES
from .errors import KyrError, Problem, display_path
from .ids import ID_RE
from .languages import CODE_HINT, DIRECTIONS, Language, LocaleSettings, cldr_knows, is_code, resolve
from .offices import Office, OfficeList

# A font family goes into the page's CSS: letters, digits, spaces, dots and hyphens only.
FAMILY_RE = re.compile(r"^\w[\w .-]*$")
GENERIC_FAMILIES = ("serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui")


@dataclass(frozen=True)
class Unit:
    """One translatable piece of content: a question field or one Markdown block."""

    context: str  # "q07.body.3": stable across edits and reordering
    source: str  # the English text
    path: str
    line: int


@dataclass(frozen=True)
class Source:
    """One document the pack cites, listed once in content/sources.yaml."""

    id: str
    title: Unit  # the project's own description of it, translated like any other text
    publisher: str  # who first published it (not a reprint site)
    url: str
    published: date  # its publication date: what the facts date is checked against
    read: date  # the day someone read it
    language: str  # the language the source is written in


@dataclass(frozen=True)
class Block:
    """A paragraph ("p") or a list ("ul"/"ol"); each item is one unit."""

    kind: str
    items: tuple[Unit, ...]


@dataclass(frozen=True)
class Question:
    id: str
    question: Unit
    short: Unit
    body: tuple[Block, ...]
    sources: tuple[Source, ...]
    path: str


@dataclass(frozen=True)
class Right:
    """A right, or with ``risk`` a risk a reader must know; ``short`` fits where space is tight."""

    id: str
    title: Unit
    text: Unit
    short: Unit | None
    risk: bool
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class HelpLine:
    id: str
    name: Unit
    phone: str
    website: str
    text: Unit
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Warning:
    id: str
    title: Unit
    text: Unit
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Organization:
    name: str
    phone: str
    website: str
    email: str
    address: str
    logo: str = ""  # path under content/, e.g. "images/logo.png"

    def edition_url(self, lang: str | None = None) -> str:
        """The address a QR code encodes: the online edition of ``lang`` (``website``/es/), or with
        no language (a sheet in two) the page that picks one (``website``/). Empty without a website."""
        if not self.website:
            return ""
        return f"{self.website.rstrip('/')}/{lang + '/' if lang else ''}"


@dataclass(frozen=True)
class DocumentSpec:
    """The ids a document prints, in print order."""

    questions: tuple[str, ...]
    rights: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ContentPack:
    root: Path
    id: str
    title: Unit
    jurisdiction: Unit
    source_language: str
    languages: tuple[str, ...]
    bilingual: tuple[tuple[str, str], ...]  # language pairs printed together, e.g. ("en", "es")
    region: str  # "US": where the readers live, for Babel's conventions ("es" in "US" writes 4:30 p.m.); "" for none
    as_of: date  # the facts date: the last day someone verified the facts
    review_by: date  # after it, every output says the facts may be out of date
    organization: Organization
    page_size: str
    documents: dict[str, DocumentSpec]
    questions: tuple[Question, ...]
    rights: tuple[Right, ...]
    help: tuple[HelpLine, ...]
    warnings: tuple[Warning, ...]
    office_list: OfficeList  # with its own problems: a bad list stops only the notices
    sources: tuple[Source, ...]
    notes: tuple[Problem, ...] = ()  # warnings found while loading: files not read, how a file was read

    @property
    def offices(self) -> tuple[Office, ...]:
        return self.office_list.offices

    locales: dict[str, LocaleSettings] = field(default_factory=dict)  # language -> what pack.yaml sets for it

    def language(self, code: str) -> Language:
        """How ``code`` is printed: its format locale, direction and fonts."""
        return resolve(code, self.locales.get(code), self.source_language)

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    def questions_for(self, document: str) -> tuple[Question, ...]:
        return tuple(self.question(qid) for qid in self.documents[document].questions)

    def rights_for(self, document: str) -> tuple[Right, ...]:
        wanted = self.documents[document].rights
        return tuple(sorted((r for r in self.rights if r.id in wanted), key=lambda r: wanted.index(r.id)))

    def warnings_for(self, document: str) -> tuple[Warning, ...]:
        wanted = self.documents[document].warnings
        return tuple(sorted((w for w in self.warnings if w.id in wanted), key=lambda w: wanted.index(w.id)))

    def units(self) -> tuple[Unit, ...]:
        """Every translatable unit, each once: sources are walked from the registry, not per citation."""
        return self._units

    @cached_property
    def english(self) -> dict[str, str]:
        """Each unit's source text by context (read it, do not change it)."""
        return {unit.context: unit.source for unit in self.units()}

    @cached_property
    def _units(self) -> tuple[Unit, ...]:
        # Asked for by every edition of every page; the walk passes every office of the list.
        return tuple(units_of(self))


def units_of(value: object) -> Iterator[Unit]:
    """The units a value holds, in field order, found through its dataclass fields.

    This is the one declaration of what is translatable: any field that holds a Unit.
    A question or right only cites sources; their units belong to the pack's registry.
    """
    if isinstance(value, Unit):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from units_of(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if f.name != "sources" or isinstance(value, ContentPack):
                yield from units_of(getattr(value, f.name))


@dataclass(frozen=True)
class Key:
    """One key of pack.yaml, as the README's reference lists it (a test keeps the two in step)."""

    name: str  # dotted: "organization.logo"; "documents.KIND.rights" for each kind
    type: str
    default: str  # "required" when there is none
    example: str


PACK_KEYS = (
    Key("id", "short id", "required", "ar-benefits-ice"),
    Key("title", "text (translated)", "required", '"Your benefits information and immigration enforcement in Arkansas"'),
    Key("jurisdiction", "text (translated)", "required", '"Arkansas, United States"'),
    Key("source_language", "language code", "en", "en"),
    Key("languages", "list of language codes", "required", "[en, es]"),
    Key("bilingual", "list of pairs", "none", "[en-es]"),
    Key("region", "country code: each language prints times as people there write them", "none", "US"),
    Key("as_of", "date", "required", "2026-03-13"),
    Key("review_by", "date", "required", "2026-05-12"),
    Key("page_size", "letter or a4", "letter", "a4"),
    Key("organization.name", "text", "required", '"Example Help Group"'),
    Key("organization.phone", "text", "none", '"(501) 555-0100"'),
    Key("organization.website", "https:// address (the QR code opens it)", "none", '"https://example.org/help"'),
    Key("organization.email", "text", "none", '"help@example.org"'),
    Key("organization.address", "text", "none", '"123 Example Street, Little Rock, AR 72201"'),
    Key("organization.logo", "file under content/ (.png, .jpg, .jpeg, .svg)", "none", '"images/logo.png"'),
    Key("locales.LANG.format_locale", "a locale Babel has data for: formats LANG's dates and numbers", "LANG if Babel knows it, else source_language", "en"),
    Key("locales.LANG.direction", "ltr or rtl", "Babel's for LANG, else ltr", "rtl"),
    Key("locales.LANG.fonts", "font families, first choice first (installed: `kyr fonts`)", "the stylesheet's (DejaVu Sans)", '"Noto Sans Arabic, Noto Sans"'),
    Key("documents.KIND.questions", "list of question ids, in print order", "all", "[q01, q04, q05]"),
    Key("documents.KIND.rights", "list of right ids, in print order", "all", "[r01, r02, r05]"),
    Key("documents.KIND.warnings", "list of warning ids, in print order", "all", "[w01]"),
)


def _unknown_keys(pack: _Reader) -> None:
    """Keys pack.yaml has that nothing reads: a typo would otherwise be silently ignored."""
    top = {key.name.split(".")[0] for key in PACK_KEYS} | {"status"}
    for name in pack.data:
        if name not in top:
            pack.fail(name, f"unknown key {name!r}; pack.yaml knows: {', '.join(sorted(top - {'status'}))} (see the README's reference)")
    org = pack.data.get("organization")
    if isinstance(org, yamlfile.Mapping):
        known = {key.name.split(".")[1] for key in PACK_KEYS if key.name.startswith("organization.")}
        for name in org:
            if name not in known:
                pack.problems.append(Problem(pack.path, org.line_of(name), f"unknown key 'organization.{name}'; organization knows: {', '.join(sorted(known))}"))
    docs = pack.data.get("documents")
    known_lists = {key.name.split(".")[2] for key in PACK_KEYS if key.name.startswith("documents.")}
    if isinstance(docs, yamlfile.Mapping):
        for kind, lists in docs.items():
            for name in lists if isinstance(lists, yamlfile.Mapping) else ():
                if name not in known_lists:
                    pack.problems.append(Problem(pack.path, lists.line_of(name), f"unknown key 'documents.{kind}.{name}'; a document lists: {', '.join(sorted(known_lists))}"))
    locales = pack.data.get("locales")
    known_settings = {key.name.split(".")[2] for key in PACK_KEYS if key.name.startswith("locales.")}
    if isinstance(locales, yamlfile.Mapping):
        for lang, settings in locales.items():
            for name in settings if isinstance(settings, yamlfile.Mapping) else ():
                if name not in known_settings:
                    pack.problems.append(Problem(pack.path, settings.line_of(name), f"unknown key 'locales.{lang}.{name}'; a language sets: {', '.join(sorted(known_settings))}"))


class _Reader:
    """Reads typed fields from one YAML mapping, collecting problems instead of stopping."""

    def __init__(self, data: object, path: str, problems: list[Problem], what: str = "the file"):
        self.path = path
        self.problems = problems
        if isinstance(data, yamlfile.Mapping):
            self.data = data
        else:
            self.data = yamlfile.Mapping()
            self.data.line = getattr(data, "line", 1) or 1
            self.fail(None, f"{what} must be a mapping of 'key: value' lines, got {_kind(data)}")

    def fail(self, key: object, message: str) -> None:
        line = self.data.line_of(key) if key is not None else self.data.line
        self.problems.append(Problem(self.path, line, message))

    def line(self, key: object) -> int:
        return self.data.line_of(key)

    def get(self, key: str, required: bool = True) -> object:
        if key not in self.data or self.data[key] is None:
            if required:
                self.fail(None, f"'{key}' is missing")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True) -> str:
        value = self.get(key, required)
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"'{key}' must be text, got {_kind(value)}")
            return ""
        return value.strip()

    def date(self, key: str) -> date:
        value = self.get(key)
        if value is None:
            return date(1970, 1, 1)
        if not isinstance(value, date):
            self.fail(key, f"'{key}' must be a date written as YYYY-MM-DD, got {value!r}")
            return date(1970, 1, 1)
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.get(key, required=default is None)
        if value is None:
            return default or choices[0]
        if value not in choices:
            self.fail(key, f"'{key}' must be one of {', '.join(choices)}, got {value!r}")
            return choices[0]
        return value

    def ident(self, key: str) -> str:
        value = self.text(key)
        if value and not ID_RE.match(value):
            self.fail(key, f"'{key}' must be a short id of lowercase letters, digits, '-' or '_', got {value!r}")
        return value

    def sequence(self, key: str, required: bool = True) -> yamlfile.Sequence:
        value = self.get(key, required)
        if value is None:
            return yamlfile.Sequence()
        if not isinstance(value, yamlfile.Sequence):
            self.fail(key, f"'{key}' must be a list, got {_kind(value)}")
            return yamlfile.Sequence()
        return value

    def unit(self, key: str, context: str) -> Unit:
        return Unit(context, self.text(key), self.path, self.line(key))


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def _items(reader: _Reader, key: str, what: str, required: bool = True) -> Iterator[_Reader]:
    """Each mapping in the list ``key`` as a reader of its own."""
    for item in reader.sequence(key, required):
        yield _Reader(item, reader.path, reader.problems, what)


SOURCE_FIELDS = "each source (id, publisher, title, url, published, read, language)"


def _source_registry(text: str, shown: str, problems: list[Problem]) -> dict[str, Source]:
    try:
        data = yamlfile.load(text, shown)
    except KyrError as exc:
        problems.extend(exc.problems)
        return {}
    registry: dict[str, Source] = {}
    for item in _items(_Reader(data, shown, problems), "sources", SOURCE_FIELDS):
        sid = item.ident("id")
        url = item.text("url")
        if url and not url.startswith(("https://", "http://")):
            item.fail("url", f"a source url must start with https:// or http://, got {url!r}")
        source = Source(
            id=sid,
            title=item.unit("title", f"source.{sid}"),
            publisher=item.text("publisher"),
            url=url,
            published=item.date("published"),
            read=item.date("read"),
            language=item.text("language", False) or "en",
        )
        if sid in registry:
            item.fail("id", f"source id {sid!r} is listed twice")
        registry[sid] = source
    return registry


def _cited(reader: _Reader, registry: dict[str, Source] | None) -> tuple[Source, ...]:
    """The sources a question or right lists by id; ids are checked only when the registry loaded."""
    listed = reader.sequence("sources", required=False)
    cited = []
    for sid, line in zip(listed, listed.lines, strict=True):
        if registry is None:
            continue
        if not isinstance(sid, str) or sid not in registry:
            reader.problems.append(Problem(reader.path, line, f"unknown source {sid!r}: sources are listed by id, as written in content/sources.yaml"))
        else:
            cited.append(registry[sid])
    return tuple(cited)


def _front_matter(text: str, path: str, problems: list[Problem]) -> tuple[object, str, int]:
    """Split ``---`` front matter from the Markdown body; returns (data, body, body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "a question file must start with '---', then its fields, then '---'"))
        return None, "", 1
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            data = yamlfile.load("".join(lines[1:end]), path, first_line=2)
            return data, "".join(lines[end + 1 :]), end + 2
    problems.append(Problem(path, 1, "the front matter that starts on line 1 never ends: add a line '---'"))
    return None, "", 1


def _read(path: Path, root: Path, problems: list[Problem]) -> str | None:
    try:
        return textfile.read(path, root)
    except KyrError as exc:
        problems.extend(exc.problems)
    return None


def _question(text: str, shown: str, problems: list[Problem], registry: dict[str, Source] | None = None) -> Question | None:
    try:
        data, body, body_line = _front_matter(text, shown, problems)
    except KyrError as exc:
        problems.extend(exc.problems)
        return None
    if data is None:
        return None
    fields = _Reader(data, shown, problems, "the front matter")
    qid = fields.ident("id")
    sources = _cited(fields, registry)
    raw_blocks, block_problems = markup.split_blocks(body, shown, body_line)
    problems.extend(block_problems)
    if not raw_blocks:
        problems.append(Problem(shown, body_line, "the answer after the front matter is empty"))
    blocks = []
    n = 0
    for raw in raw_blocks:
        units = []
        for text, line in raw.items:
            n += 1
            units.append(Unit(f"{qid}.body.{n}", text, shown, line))
        blocks.append(Block(raw.kind, tuple(units)))
    return Question(
        id=qid,
        question=fields.unit("question", f"{qid}.question"),
        short=fields.unit("short", f"{qid}.short"),
        body=tuple(blocks),
        sources=sources,
        path=shown,
    )


def _rights(text: str, shown: str, problems: list[Problem], registry: dict[str, Source] | None = None) -> tuple[tuple, tuple, tuple]:
    try:
        data = yamlfile.load(text, shown)
    except KyrError as exc:
        problems.extend(exc.problems)
        return (), (), ()
    top = _Reader(data, shown, problems)
    rights = []
    for item in _items(top, "rights", "each right (id, title, text, short, risk, sources)"):
        rid = item.ident("id")
        short = item.unit("short", f"{rid}.short") if item.get("short", required=False) is not None else None
        risk = item.get("risk", required=False) or False
        if not isinstance(risk, bool):
            item.fail("risk", f"'risk' must be true or false, got {risk!r}")
        rights.append(Right(rid, item.unit("title", f"{rid}.title"), item.unit("text", f"{rid}.text"), short, risk is True, _cited(item, registry)))
    lines = []
    for item in _items(top, "help", "each help line (id, name, phone, website, text, sources)"):
        hid = item.ident("id")
        lines.append(HelpLine(hid, item.unit("name", f"{hid}.name"), item.text("phone", False), item.text("website", False), item.unit("text", f"{hid}.text"), _cited(item, registry)))
    warnings = []
    for item in _items(top, "warnings", "each warning (id, title, text, sources)", required=False):
        wid = item.ident("id")
        warnings.append(Warning(wid, item.unit("title", f"{wid}.title"), item.unit("text", f"{wid}.text"), _cited(item, registry)))
    return tuple(rights), tuple(lines), tuple(warnings)


def _region(pack: _Reader) -> str:
    region = pack.text("region", False)
    if region and not re.fullmatch(r"[A-Z]{2}|[0-9]{3}", region):
        pack.fail("region", f"'region' is a country code of two capital letters, like US or MX, got {region!r}")
        return ""
    return region


LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")


def _logo(org: _Reader, content: Path) -> str:
    """The logo's path under content/, checked to exist there and nowhere else."""
    logo = org.text("logo", False)
    if not logo:
        return ""
    path = (content / logo).resolve()
    if not path.is_relative_to(content.resolve()):
        org.fail("logo", f"the logo must be a file inside content/, got {logo!r}")
    elif path.suffix.lower() not in LOGO_TYPES:
        org.fail("logo", f"the logo must be one of {', '.join(LOGO_TYPES)}, got {logo!r}")
    elif not path.is_file():
        org.fail("logo", f"logo file not found: content/{logo}")
    else:
        return path.relative_to(content.resolve()).as_posix()
    return ""


def _families(item: _Reader, key: str, where: str) -> tuple[str, ...]:
    """Font families, written "A, B" or as a list; each goes into the page's CSS, so only plain names."""
    value = item.get(key, required=False)
    if value is None:
        return ()
    names = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else None
    if names is None or not all(isinstance(name, str) for name in names):
        item.fail(key, f"'{where}' must be font family names, like \"Noto Sans Arabic, Noto Sans\", got {_kind(value)}")
        return ()
    families = tuple(name.strip().strip("\"'").strip() for name in names)
    for family in families:
        if family.lower() in GENERIC_FAMILIES:
            item.fail(key, f"'{where}' names {family!r}: leave out generic families, the page adds one after yours")
        elif not FAMILY_RE.fullmatch(family):
            item.fail(key, f"'{where}' has {family!r}: a family name is letters, digits, spaces, dots and hyphens")
    return families


def _locales(pack: _Reader, languages: tuple[str, ...]) -> dict[str, LocaleSettings]:
    """What pack.yaml sets for each language: the locale that formats its dates, its direction, its fonts."""
    block = pack.get("locales", required=False)
    if block is None:
        return {}
    if not isinstance(block, yamlfile.Mapping):
        pack.fail("locales", f"'locales' must map language codes to settings (format_locale, direction, fonts), got {_kind(block)}")
        return {}
    result = {}
    for lang, raw in block.items():
        if not is_code(lang) or lang not in languages:
            why = f"is not {CODE_HINT}" if not is_code(lang) else "is not in 'languages'"
            pack.problems.append(Problem(pack.path, block.line_of(lang), f"locales: {lang!r} {why}"))
            continue
        item = _Reader(raw, pack.path, pack.problems, f"'locales.{lang}'")
        format_locale = item.text("format_locale", False)
        if format_locale and not (is_code(format_locale) and cldr_knows(format_locale)):
            item.fail("format_locale", f"'locales.{lang}.format_locale' must be a locale Babel has data for, like 'en' or 'es_MX'; got {format_locale!r}")
        direction = item.text("direction", False)
        if direction and direction not in DIRECTIONS:
            item.fail("direction", f"'locales.{lang}.direction' must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
        result[lang] = LocaleSettings(format_locale, direction, _families(item, "fonts", f"locales.{lang}.fonts"))
    return result


def _documents(reader: _Reader, known: dict[str, list[str]], complete: bool) -> dict[str, DocumentSpec]:
    """What each document prints: lists of question, right and warning ids, in print order.

    A list left out means all of them. Unknown ids are only reported when every file loaded,
    so one broken question file does not also show up as unknown ids here.
    """
    docs = _Reader(reader.get("documents") or yamlfile.Mapping(), reader.path, reader.problems, "'documents'")
    result = {}
    for name in NAMES:
        item = _Reader(docs.get(name, required=False) or yamlfile.Mapping(), reader.path, reader.problems, f"'documents.{name}'")
        chosen = {}
        for kind, ids in known.items():
            listed = item.sequence(kind, required=False)
            if not listed:
                chosen[kind] = tuple(ids)
                continue
            for value, line in zip(listed, listed.lines, strict=True):
                if value not in ids and complete:
                    reader.problems.append(Problem(reader.path, line, f"documents.{name}.{kind} uses unknown id {value!r}"))
            chosen[kind] = tuple(value for value in listed if value in ids)
        result[name] = DocumentSpec(**chosen)
    for name in docs.data:
        if name not in NAMES:
            docs.fail(name, f"unknown document {name!r}; known: {', '.join(NAMES)}")
    return result


SYSTEM_FILES = {"thumbs.db", "desktop.ini"}  # files Windows puts in folders by itself


def _unread_questions(folder: Path, root: Path) -> list[Problem]:
    """Files in questions/ that are not read: a question saved as .txt would otherwise vanish,
    and the only sign would be an unknown id in pack.yaml. Hidden and backup files are left alone."""
    unread = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.suffix == ".md" or not path.is_file() or path.name.startswith((".", "~")) or path.name.endswith("~") or path.name.lower() in SYSTEM_FILES:
            continue
        base = path.stem[:-3] if path.stem.lower().endswith(".md") else path.stem  # "q21.md.txt": Windows hid the .txt
        unread.append(Problem(display_path(path, root), None, f"not read: question files end in .md; rename it {base}.md", "warning"))
    return unread


def load_pack(root: Path) -> ContentPack:
    """Read every content file under ``root``; raise KyrError listing every problem found."""
    root = Path(root)
    content = root / "content"
    pack_path = content / "pack.yaml"
    if not pack_path.is_file():
        raise KyrError(Problem(display_path(pack_path, root), None, "not found: is --project the folder that holds content/pack.yaml?"))
    problems: list[Problem] = []
    shown = display_path(pack_path, root)
    pack = _Reader(yamlfile.load(_read(pack_path, root, problems) or "", shown), shown, problems)

    _unknown_keys(pack)
    if "status" in pack.data:
        pack.fail("status", "'status' is no longer set by hand: a PDF says 'Reviewed by' only when 'kyr review approve' recorded a sign-off for every unit it prints; remove this line")
    sources_path = content / "sources.yaml"
    sources_text = _read(sources_path, root, problems) if sources_path.is_file() else None
    registry = _source_registry(sources_text, display_path(sources_path, root), problems) if sources_text else {}
    registry_ok = not problems

    question_paths = sorted((content / "questions").glob("*.md"))
    questions: dict[str, Question] = {}
    all_loaded = True
    for path in question_paths:
        text = _read(path, root, problems)
        question = _question(text, display_path(path, root), problems, registry if registry_ok else None) if text is not None else None
        if question is None or not question.id:
            all_loaded = False
            continue
        if question.id in questions:
            problems.append(Problem(question.path, 2, f"question id {question.id!r} is also used by {questions[question.id].path}"))
            continue
        questions[question.id] = question
    if not question_paths:
        problems.append(Problem(display_path(content / "questions", root), None, "no question files (*.md) found"))

    rights_path = content / "rights.yaml"
    before = len(problems)
    rights_text = _read(rights_path, root, problems) if rights_path.is_file() else None
    rights, help_lines, warnings = _rights(rights_text, display_path(rights_path, root), problems, registry if registry_ok else None) if rights_text else ((), (), ())
    # A rights.yaml that did not load would also show up as unknown ids in pack.yaml: say it once.
    all_loaded = all_loaded and len(problems) == before

    org = _Reader(pack.get("organization") or yamlfile.Mapping(), shown, problems, "'organization'")
    organization = Organization(
        name=org.text("name"),
        phone=org.text("phone", False),
        website=org.text("website", False),
        email=org.text("email", False),
        address=org.text("address", False),
        logo=_logo(org, content),
    )
    languages = tuple(str(lang) for lang in pack.sequence("languages"))
    lines = pack.sequence("languages").lines
    for lang, line in zip(languages, lines, strict=True):
        if not is_code(lang):
            problems.append(Problem(shown, line, f"{lang!r} is not {CODE_HINT}"))
    source_language = pack.text("source_language", False) or "en"
    if not is_code(source_language):
        pack.fail("source_language", f"'source_language' {source_language!r} is not {CODE_HINT}")
    locales = _locales(pack, (*languages, source_language))
    pairs = []
    listed = pack.sequence("bilingual", required=False)
    for pair, line in zip(listed, listed.lines, strict=True):
        langs = tuple(str(pair).split("-"))
        if len(langs) != 2 or any(lang not in languages for lang in langs):
            problems.append(Problem(shown, line, f"bilingual editions are written 'en-es', with both languages in 'languages'; got {pair!r}"))
        else:
            pairs.append(langs)
    office_list = offices.load(content, root, languages)
    known = {"questions": list(questions), "rights": [r.id for r in rights], "warnings": [w.id for w in warnings]}
    documents = _documents(pack, known, all_loaded)
    pack_id = pack.ident("id")
    result = ContentPack(
        root=root,
        id=pack_id,
        title=pack.unit("title", "pack.title"),
        jurisdiction=pack.unit("jurisdiction", "pack.jurisdiction"),
        source_language=source_language,
        languages=languages or (source_language,),
        bilingual=tuple(pairs),
        region=_region(pack),
        as_of=pack.date("as_of"),
        review_by=pack.date("review_by"),
        organization=organization,
        page_size=pack.choice("page_size", PAGE_SIZES, default="letter"),
        documents=documents,
        questions=tuple(questions.values()),
        rights=rights,
        help=help_lines,
        warnings=warnings,
        office_list=office_list,
        sources=tuple(registry.values()),
        notes=(*_unread_questions(content / "questions", root), *office_list.notes),
        locales=locales,
    )
    if problems:
        raise KyrError([*result.notes, *problems])
    return result


def pack_language(root: Path, lang: str) -> Language:
    """One language as content/pack.yaml sets it up, read without loading the rest of the pack."""
    path = Path(root) / "content" / "pack.yaml"
    shown = display_path(path, Path(root))
    problems: list[Problem] = []
    pack = _Reader(yamlfile.load(_read(path, Path(root), problems) or "", shown), shown, problems)
    source_language = pack.text("source_language", False) or "en"
    languages = tuple(str(code) for code in pack.sequence("languages", required=False))
    settings = _locales(pack, (*languages, source_language)).get(lang)
    if problems:
        raise KyrError(problems)
    return resolve(lang, settings, source_language)


def file_units(path: Path, root: Path) -> list[Unit]:
    """The translatable units of one content file, in file order (for extraction)."""
    problems: list[Problem] = []
    shown = display_path(path, root)
    text = _read(path, root, problems) or ""
    units: list[Unit] = []
    if path.suffix == ".md":
        question = _question(text, shown, problems)
        units = list(units_of(question)) if question else []
    elif path.name == "rights.yaml":
        units = list(units_of(_rights(text, shown, problems)))
    elif path.name == "sources.yaml":
        units = [source.title for source in _source_registry(text, shown, problems).values()]
    elif path.name == "pack.yaml":
        fields = _Reader(yamlfile.load(text, shown), shown, problems)
        units = [fields.unit("title", "pack.title"), fields.unit("jurisdiction", "pack.jurisdiction")]
    if problems:
        raise KyrError(problems)
    return units
