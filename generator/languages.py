"""Languages: the one rule for a language code, the pseudo-locales, and what each language of a
pack needs to print: the locale that formats its dates, its direction and its fonts.

A pack may add a language that CLDR (Babel's data) does not know, such as Marshallese ('mh'):
its dates and numbers are then formatted in another locale, English unless the pack says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .errors import KyrError, Problem

# A language, then an optional script and region: es, mh, pt_BR, zh_Hant, sr_Latn_RS.
# Nothing else may name a folder under locales/ or an output.
LANG_RE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2})?$")
CODE_HINT = "a language code like 'es', 'mh', 'pt_BR' or 'zh_Hant'"
PSEUDO = "pseudo"  # the English stretched and accented, to find layout that a longer language breaks
PSEUDO_RTL = "pseudo-rtl"  # the English in Arabic letters, right to left and as long, to find mirroring bugs
PSEUDOS = (PSEUDO, PSEUDO_RTL)  # built on request or by `kyr check`, never shipped
DIRECTIONS = ("ltr", "rtl")


def is_code(text: object) -> bool:
    return isinstance(text, str) and LANG_RE.fullmatch(text) is not None


def validate(lang: str, where: str = "command line") -> str:
    """A language code safe to use in a path, with a script and region CLDR knows, else a KyrError.

    The language itself may be one CLDR has no data for, or no name: Marshallese has a name and
    no data; Karen ('ksw') has neither, and a group may still need it.
    """
    if not is_code(lang):
        raise KyrError(Problem(where, None, f"{lang!r} is not {CODE_HINT}"))
    from babel import Locale

    english = Locale("en")
    for part in lang.split("_")[1:]:
        known, what = (english.scripts, "script like 'Hant' or 'Latn'") if len(part) == 4 else (english.territories, "region like 'BR' or 'MX'")
        if part not in known:
            raise KyrError(Problem(where, None, f"{lang!r}: {part!r} is not a {what}"))
    return lang


def english_name(lang: str) -> str | None:
    """What CLDR calls the language in English ("Marshallese"), if it names it."""
    from babel import Locale

    names = Locale("en").languages
    return names.get(lang) or names.get(lang.split("_")[0])


@cache
def cldr_knows(locale: str) -> bool:
    """Babel has formatting data for ``locale``."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return False
    return True


@cache
def _cldr_direction(locale: str) -> str:
    from babel import Locale

    return Locale.parse(locale).text_direction


@dataclass(frozen=True)
class LocaleSettings:
    """What pack.yaml's `locales.LANG` says about one language; an empty field keeps the default."""

    format_locale: str = ""
    direction: str = ""
    fonts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Language:
    """One language as a pack prints it."""

    code: str
    format_locale: str  # the CLDR locale that formats its dates and numbers
    direction: str  # "ltr" or "rtl"
    fonts: tuple[str, ...]  # font families, first choice first; () is the stylesheet's
    html_lang: str  # BCP 47, for lang="" and the PDF's /Lang

    @property
    def formats_itself(self) -> bool:
        return self.format_locale == self.code


def resolve(code: str, settings: LocaleSettings | None, source_language: str) -> Language:
    """``code`` as the pack's settings and CLDR's data make it."""
    settings = settings or LocaleSettings()
    fallback = source_language if cldr_knows(source_language) else "en"
    if code == PSEUDO:
        return Language(code, fallback, "ltr", (), "en-XA")
    if code == PSEUDO_RTL:
        return Language(code, fallback, "rtl", (), "ar-XB")
    known = cldr_knows(code)
    return Language(
        code=code,
        format_locale=settings.format_locale or (code if known else fallback),
        direction=settings.direction or (_cldr_direction(code) if known else "ltr"),
        fonts=settings.fonts,
        html_lang=code.replace("_", "-"),
    )
