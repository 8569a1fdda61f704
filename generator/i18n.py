"""Localize a content pack: the text to print for each unit and template string in one language.

A unit whose translation is missing, fuzzy or made for older English is never printed as if
current: the build refuses the language and lists each one, or, when asked, prints the English
marked as pending.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from . import textfile
from .catalogs import fuzzy_flag, po_path, read
from .content import ContentPack, Unit
from .errors import KyrError, Problem, display_path
from .languages import PSEUDO_RTL, PSEUDOS, Language, cldr_knows


@dataclass(frozen=True)
class LocalizedPack:
    """A pack in one language: the text to print for every unit, and which are pending."""

    pack: ContentPack
    lang: str
    texts: Mapping[str, str]  # unit context -> text to print, for every unit of the pack
    pending: frozenset[str] = frozenset()  # contexts printed in English, marked as such
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    templates_pending: int = 0  # template strings printed in English

    def text(self, unit: Unit) -> str:
        """The text to print; a unit the pack's catalog model does not know is a bug, never English."""
        try:
            return self.texts[unit.context]
        except KeyError:
            raise KyrError(Problem(unit.path, unit.line, f"{unit.context} is not a unit of this pack's catalogs, so it has no text in {self.lang!r}")) from None

    @property
    def incomplete(self) -> bool:
        return bool(self.pending or self.templates_pending)

    @property
    def language(self) -> Language:
        return self.pack.language(self.lang)

    @property
    def html_lang(self) -> str:
        return self.language.html_lang

    @property
    def babel_locale(self) -> str:
        """The locale of dates, times and lists: the language's format locale, in the pack's region."""
        return regional(self.language.format_locale, self.pack.region)

    def long_date(self, value: date) -> str:
        """A date as this language prints it: "November 28, 2026", "28 de noviembre de 2026"."""
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.babel_locale)


@cache
def regional(lang: str, region: str) -> str:
    """``lang`` in ``region`` ("es_US") when Babel knows that pairing, else ``lang`` alone."""
    return f"{lang}_{region}" if region and "_" not in lang and cldr_knows(f"{lang}_{region}") else lang


class CatalogTranslations(gettext.NullTranslations):
    """Template strings from a parsed catalog; anything not translated falls back to English."""

    def __init__(self, messages: Mapping[tuple[str | None, str], str]):
        super().__init__()
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get((None, message), message)

    def pgettext(self, context: str, message: str) -> str:
        return self.messages.get((context, message), message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.pgettext(context, singular if n == 1 else plural)


# What a translation must keep from the English: placeholders, link targets and tags.
_KEPT = (
    ("placeholders", re.compile(r"%\(\w+\)s|%s|\{\w*\}")),
    ("link targets", re.compile(r"\]\(([^)\s]*)")),
    ("markup tags", re.compile(r"</?[a-zA-Z][^>]*>")),
)


def markup_problems(english: str, translation: str) -> list[str]:
    """Ways ``translation`` changes what must stay as in ``english`` (translations are trusted markup)."""
    found = []
    for name, pattern in _KEPT:
        want, got = sorted(pattern.findall(english)), sorted(pattern.findall(translation))
        if want != got:
            found.append(f"{name} differ from the English: expected {want or 'none'}, got {got or 'none'}")
    return found


def _state(entry, english: str) -> str:
    if entry is None:
        return "missing"
    if entry.msgid != english:
        return "outdated"
    if entry.fuzzy:
        return "fuzzy"
    if not entry.msgstr:
        return "untranslated"
    return "ok"


_WHY = {
    "missing": "has no entry (run 'kyr i18n update')",
    "outdated": "was translated from older English (run 'kyr i18n update', then review it)",
    "fuzzy": "is fuzzy: the English changed since it was translated",
    "untranslated": "is not translated",
}


class Untranslated(KyrError):
    """A language with units not translated or out of date: it is not printed."""

    def __init__(self, lang: str, stale: list[Problem]):
        self.lang = lang
        self.stale = stale
        header = Problem(lang, None, f"{len(stale)} unit(s) are not translated or out of date, so '{lang}' is not built; translate them, or build with --allow-incomplete to print them in English marked 'translation pending'")
        super().__init__([header, *stale])


@dataclass
class _Resolved:
    """Translations found in one catalog, and what could not be used."""

    texts: dict = field(default_factory=dict)  # key -> translation
    stale: list[Problem] = field(default_factory=list)  # printed in English at most
    errors: list[Problem] = field(default_factory=list)  # never printed


def _resolve(root, path, wanted, key_of) -> _Resolved:
    """Look up each (key, English, label) in the catalog at ``path``, entries indexed by ``key_of``."""
    shown = display_path(path, root)
    entries = {key_of(e): e for e in read(path, root) if not e.obsolete}
    resolved = _Resolved()
    lines: list[str] = []
    for key, english, label in wanted:
        entry = entries.get(key)
        state = _state(entry, english)
        line = entry.linenum if entry is not None else None
        if state == "fuzzy":
            lines = lines or textfile.read(path, root).split("\n")
            line, flags = fuzzy_flag(lines, entry)
            # Name the flag's own line: it is the one to delete once the translation is checked.
            old = " (the '#|' lines show the old English)" if entry.previous_msgid else ""
            undo = "delete this '#, fuzzy' line" if flags == ["fuzzy"] else "remove 'fuzzy' from this line"
            resolved.stale.append(Problem(shown, line, f"{label} {_WHY[state]}; check the translation against the new English{old}, then {undo} (in Poedit: turn off 'Needs work')"))
            continue
        if state != "ok":
            resolved.stale.append(Problem(shown, line, f"{label} {_WHY[state]}"))
            continue
        resolved.errors += [Problem(shown, line, f"{label}: {problem}") for problem in markup_problems(english, entry.msgstr)]
        resolved.texts[key] = entry.msgstr
    return resolved


def localize(pack: ContentPack, lang: str, template_messages=(), allow_incomplete: bool = False) -> LocalizedPack:
    """The pack in ``lang``. ``template_messages`` are the (context, English) pairs the templates use."""
    if lang == pack.source_language:
        return LocalizedPack(pack, lang, {unit.context: unit.source for unit in pack.units()})
    if lang in PSEUDOS:
        return _pseudo(pack, template_messages, lang)
    units = list(pack.units())
    content = _resolve(pack.root, po_path(pack.root, lang, "content"), [(u.context, u.source, u.context) for u in units], lambda e: e.msgctxt)
    templates = _resolve(
        pack.root,
        po_path(pack.root, lang, "templates"),
        [((context, english), english, f"{context}: {english[:50]!r}") for context, english in template_messages],
        lambda e: (e.msgctxt, e.msgid),
    )
    if content.errors or templates.errors:
        raise KyrError(content.errors + templates.errors)
    stale = content.stale + templates.stale
    if stale and not allow_incomplete:
        raise Untranslated(lang, stale)
    pending = frozenset(u.context for u in units if u.context not in content.texts)
    texts = {u.context: content.texts.get(u.context, u.source) for u in units}
    return LocalizedPack(pack, lang, texts, pending, CatalogTranslations(templates.texts), len(templates.stale))


_ACCENTED = str.maketrans("aceinosuyACEINOSUY", "àçéîñöšüýÀÇÉÎÑÖŠÜÝ")
# One Arabic letter for each Latin one, so words keep their length and their letters join.
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_ARABIC = str.maketrans(_LATIN + _LATIN.upper(), "ابثدعفغهيجكلمنوطقرستصظشخىز" * 2)
_PROTECTED = re.compile(r"(%\(\w+\)s|\{\w*\}|\]\([^)]*\)|https?://\S+|[\w.+-]+@[\w.-]+|<[^>]+>|\*\*|\[)")


def pseudo_text(english: str, letters: dict[int, str] = _ACCENTED) -> str:
    """About 30% longer (Spanish runs 15–25% longer than English), its letters replaced (accented,
    or Arabic for the right-to-left pseudo-locale) and bracketed, with placeholders, links and tags kept."""
    parts = _PROTECTED.split(english)
    out = "".join(part if i % 2 else part.translate(letters) for i, part in enumerate(parts))
    padding = "·" * max(1, len(english) * 3 // 10 - 2)
    return f"⟦{out} {padding}⟧"


def _pseudo(pack: ContentPack, template_messages, lang: str) -> LocalizedPack:
    letters = _ARABIC if lang == PSEUDO_RTL else _ACCENTED
    texts = {unit.context: pseudo_text(unit.source, letters) for unit in pack.units()}
    messages = {(context, english): pseudo_text(english, letters) for context, english in template_messages}
    return LocalizedPack(pack, lang, texts, translations=CatalogTranslations(messages))
