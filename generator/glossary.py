"""The glossary of fixed terms: each English term has one translation per language."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import textfile, yamlfile
from .errors import KyrError, Problem

GLOSSARY = Path("locales") / "glossary.yaml"


@dataclass(frozen=True)
class Term:
    english: str
    translations: dict[str, tuple[str, ...]]  # language -> the accepted forms of the fixed translation
    note: str


def load(root: Path) -> tuple[Term, ...]:
    path = Path(root) / GLOSSARY
    if not path.is_file():
        return ()
    data = yamlfile.load(textfile.read(path, Path(root)), str(GLOSSARY))
    terms = []
    items = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise KyrError(Problem(str(GLOSSARY), 1, "the glossary must have 'terms:', a list of {en, <lang>..., note}"))
    for item, line in zip(items, items.lines, strict=True):
        if not isinstance(item, dict) or not isinstance(item.get("en"), str):
            raise KyrError(Problem(str(GLOSSARY), line, "each term needs 'en' (the English term) and one entry per language"))
        translations = {k: tuple(map(str, v)) if isinstance(v, list) else (str(v),) for k, v in item.items() if k not in ("en", "note")}
        terms.append(Term(item["en"], translations, str(item.get("note") or "")))
    return tuple(terms)


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Lowercase, in one Unicode form, accents kept: "Inmigración" matches "inmigración", but
    Vietnamese "má" (mother) never matches "ma" (ghost), nor Marshallese "m̧" "m"."""
    return unicodedata.normalize("NFC", text.casefold())


def _joins(char: str) -> bool:
    """A character that continues a word: a letter, a digit or an accent on the letter before."""
    return char.isalnum() or char == "_" or unicodedata.combining(char) > 0


def _unspaced(char: str) -> bool:
    """Scripts written without spaces between words (Chinese, Japanese, Thai...): a term is found inside a run."""
    return unicodedata.name(char, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR"))


def _contains(text: str, term: str) -> bool:
    """``term`` appears in ``text`` as a whole word (or inside a run, for scripts without spaces)."""
    text, term = _fold(text), _fold(term)
    if not term or term not in text:  # most terms are in no given text: the cheap test first
        return False
    for match in re.finditer(re.escape(term), text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if (_unspaced(term[0]) or not _joins(before)) and (_unspaced(term[-1]) or not _joins(after)):
            return True
    return False


def notes(terms: tuple[Term, ...], english: str) -> list[str]:
    """Translator notes for the glossary terms that appear in ``english``."""
    found = []
    for term in terms:
        if _contains(english, term.english):
            fixed = ", ".join(f"{lang}: {' / '.join(forms)}" for lang, forms in sorted(term.translations.items()))
            found.append(f"glossary: \"{term.english}\" = {fixed}" + (f" ({term.note})" if term.note else ""))
    return found


def misses(terms: tuple[Term, ...], lang: str, english: str, translation: str) -> list[Term]:
    """Terms in ``english`` whose fixed translation in ``lang`` is missing from ``translation``."""
    base = lang.split("_")[0]
    return [
        term
        for term in terms
        if _contains(english, term.english)
        and (forms := term.translations.get(lang) or term.translations.get(base))
        and not any(_contains(translation, form) for form in forms)
    ]


def advice(term: Term, lang: str) -> str:
    """What to do about a missed term, in the words `kyr check` and the importer both use."""
    forms = " / ".join(term.translations.get(lang) or term.translations.get(lang.split("_")[0], ()))
    return f"glossary term {term.english!r} should be translated as {forms!r}"
