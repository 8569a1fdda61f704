"""Readability scores for plain-language targets (screening, not a verdict).

Syllables are counted with Pyphen's hyphenation dictionaries, and the counts and the rounding are
textstat 0.7.4's, which scored the content when its targets were set: words are what is left
between spaces once punctuation is removed, sentences of two words or fewer do not count, and the
two averages are rounded to a tenth before a formula uses them. textstat itself is not used: it
imports pkg_resources, which setuptools 82 removed (and which took 0.1 s of every check), and its
later versions download a dictionary at run time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

# Targets from the content research.
SHORT_GRADE_MAX = 6.0  # Flesch-Kincaid grade, English short answers
FULL_GRADE_MAX = 8.0  # Flesch-Kincaid grade, English full answers
FERNANDEZ_HUERTA_MIN = 70.0  # Spanish: "algo fácil" or easier
SZIGRISZT_PAZOS_MIN = 65.0  # Spanish: INFLESZ "bastante fácil" or easier


# The languages whose formulas were made and validated for them. A formula made for one language
# says nothing reliable about another (Vietnamese syllables are words; Chinese has no spaces), so
# other languages are not scored.
VALIDATED = {"en": "Flesch-Kincaid grade", "es": "Fernández Huerta and Szigriszt-Pazos (INFLESZ)"}


def validated(lang: str) -> str | None:
    """The language whose validated formulas score ``lang`` ("es" for "es_MX"), or None."""
    base = lang.split("_")[0]
    return base if base in VALIDATED else None


@dataclass(frozen=True)
class Score:
    words: int
    grade: float  # Flesch-Kincaid grade level


@dataclass(frozen=True)
class SpanishScore:
    words: int
    fernandez_huerta: float
    szigriszt_pazos: float

    @property
    def below_target(self) -> bool:
        return self.fernandez_huerta < FERNANDEZ_HUERTA_MIN or self.szigriszt_pazos < SZIGRISZT_PAZOS_MIN


@lru_cache(maxsize=1024)  # check asks twice for each question: for its warnings and for its report
def english(text: str) -> Score:
    counts = _Counts.of(text, "en_US")
    grade = 0.39 * counts.sentence_length + 11.8 * counts.syllables_per_word - 15.59
    return Score(words=counts.words, grade=round(_rounded(grade, 1), 1))


@lru_cache(maxsize=1024)
def spanish(text: str) -> SpanishScore:
    counts = _Counts.of(text, "es")
    # Fernández Huerta as corrected (60 x syllables per word), with the rounded averages.
    huerta = 206.84 - 60 * counts.syllables_per_word - 1.02 * counts.sentence_length
    # Szigriszt-Pazos with the exact ratios.
    pazos = 206.84 - 62.3 * counts.syllables / counts.words - counts.words / counts.sentences if counts.words else 0.0
    return SpanishScore(words=counts.words, fernandez_huerta=round(_rounded(huerta, 2), 1), szigriszt_pazos=round(_rounded(pazos, 2), 1))


_PUNCTUATION = re.compile(r"[^\w\s]")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


@dataclass(frozen=True)
class _Counts:
    words: int
    sentences: int
    syllables: int

    @classmethod
    def of(cls, text: str, lang: str) -> _Counts:
        sentences = [sentence for sentence in _SENTENCE.findall(text) if len(_words(sentence)) > 2]
        hyphenation = _dictionary(lang)
        syllables = sum(len(hyphenation.positions(word)) + 1 for word in _words(text.lower()))
        return cls(len(_words(text)), max(1, len(sentences)), syllables)

    @property
    def sentence_length(self) -> float:
        return _rounded(self.words / self.sentences, 1)

    @property
    def syllables_per_word(self) -> float:
        return _rounded(self.syllables / self.words, 1) if self.words else 0.0


def _words(text: str) -> list[str]:
    return _PUNCTUATION.sub("", text).split()


@cache
def _dictionary(lang: str):
    import pyphen

    return pyphen.Pyphen(lang=lang)


def _rounded(number: float, places: int) -> float:
    """Half away from zero."""
    scale = 10**places
    return math.floor(number * scale + math.copysign(0.5, number)) / scale
