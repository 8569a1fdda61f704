"""Recorded review: sign-offs of each unit's exact text, and what an output may claim from them.

A sign-off stores the hash of the text a reviewer approved (for a translation: the English
and the translation together), who approved it and when, and the text itself so the next
packet can show what changed. An output says "Reviewed by" only when every unit it prints
has a sign-off for its current text; no setting in pack.yaml can say more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import textfile, yamlfile
from .errors import KyrError, Problem, display_path
from .files import write_atomic
from .manifest import digest

FOLDER = Path("content") / "reviews"


@dataclass(frozen=True)
class SignOff:
    """The last approval of one unit in one language."""

    context: str
    by: str  # "NAME, ROLE"
    on: date
    english: str  # the English approved
    translation: str | None = None  # the translation approved (languages other than the source)

    @property
    def hash(self) -> str:
        return text_hash(self.english, self.translation)


@dataclass(frozen=True)
class Reviewed:
    """What an edition may print: every unit it prints is signed off in its current text."""

    by: tuple[str, ...]
    on: date  # the newest of those sign-offs


@dataclass(frozen=True)
class Verdict:
    """What one edition of an output claims about review."""

    reviewed: Reviewed | None = None
    english_reviewed: bool = False  # a translation whose English is signed off, but not the translation


def text_hash(english: str, translation: str | None = None) -> str:
    parts = (english,) if translation is None else (english, translation)
    return digest(*parts)[:16]


def path(root: Path, lang: str) -> Path:
    return Path(root) / FOLDER / f"{lang}.yaml"


def load(root: Path, lang: str) -> dict[str, SignOff]:
    """The sign-offs recorded for ``lang``; none when the file does not exist yet."""
    file = path(root, lang)
    if not file.is_file():
        return {}
    shown = display_path(file, Path(root))
    data = yamlfile.load(textfile.read(file, Path(root)), shown) or yamlfile.Mapping()
    if not isinstance(data, dict):
        raise KyrError(Problem(shown, 1, "a review file maps each unit to its sign-off; it is written by 'kyr review approve'"))
    signoffs = {}
    problems = []
    for context, entry in data.items():
        line = data.line_of(context)
        if not isinstance(entry, dict) or not isinstance(entry.get("on"), date) or not all(isinstance(entry.get(k), str) for k in ("by", "english", "hash")):
            problems.append(Problem(shown, line, f"the sign-off of {context!r} needs by, on (a date), hash and english; it is written by 'kyr review approve'"))
            continue
        signoff = SignOff(str(context), entry["by"], entry["on"], entry["english"], entry.get("translation"))
        if signoff.hash != entry["hash"]:
            problems.append(Problem(shown, line, f"the sign-off of {context!r} does not match the text it records (edited by hand?); run 'kyr review' and approve again"))
            continue
        signoffs[signoff.context] = signoff
    if problems:
        raise KyrError(problems)
    return signoffs


def save(root: Path, lang: str, signoffs: Mapping[str, SignOff]) -> Path:
    import yaml

    data = {}
    for context in sorted(signoffs, key=_unit_order):
        s = signoffs[context]
        entry = {"by": s.by, "on": s.on, "hash": s.hash, "english": s.english}
        if s.translation is not None:
            entry["translation"] = s.translation
        data[context] = entry
    header = "# Sign-offs recorded by 'kyr review approve'; commit this file with the content. Do not edit it by hand.\n"
    file = path(root, lang)
    write_atomic(file, (header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)).encode("utf-8"))
    return file


def _unit_order(context: str) -> tuple:
    """q02.body.10 after q02.body.9."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in context.split("."))


@dataclass(frozen=True)
class Book:
    """Every language's sign-offs, and the verdicts drawn from them."""

    source_language: str
    signoffs: Mapping[str, Mapping[str, SignOff]]  # lang -> context -> sign-off

    def current(self, lang: str, context: str, english: str, translation: str | None) -> SignOff | None:
        """The sign-off of this unit, if it approved exactly this text."""
        signoff = self.signoffs.get(lang, {}).get(context)
        if signoff is None:
            return None
        wanted = text_hash(english) if lang == self.source_language else text_hash(english, translation)
        return signoff if signoff.hash == wanted else None

    def verdict(self, lang: str, texts: Iterable[tuple[str, str, str]], pending: Iterable[str] = ()) -> Reviewed | None:
        """``texts``: (context, English, text printed). Reviewed only when every unit is signed off
        in its current text, in English and, for a translation, in the translation too."""
        if set(pending):
            return None
        found = []
        for context, english, printed in texts:
            english_ok = self.current(self.source_language, context, english, None)
            if english_ok is None:
                return None
            found.append(english_ok)
            if lang != self.source_language:
                translated_ok = self.current(lang, context, english, printed)
                if translated_ok is None:
                    return None
                found.append(translated_ok)
        if not found:
            return None
        return Reviewed(tuple(sorted({s.by for s in found})), max(s.on for s in found))


def book(root: Path, source_language: str, langs: Iterable[str]) -> Book:
    return Book(source_language, {lang: load(root, lang) for lang in dict.fromkeys([source_language, *langs])})
