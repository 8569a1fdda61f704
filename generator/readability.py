"""Readability scores for plain-language targets (screening, not a verdict)."""

from __future__ import annotations

from dataclasses import dataclass

import textstat

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


def english(text: str) -> Score:
    textstat.set_lang("en_US")
    return Score(
        words=textstat.lexicon_count(text),
        grade=round(textstat.flesch_kincaid_grade(text), 1),
    )


def spanish(text: str) -> SpanishScore:
    textstat.set_lang("es")
    return SpanishScore(
        words=textstat.lexicon_count(text),
        fernandez_huerta=round(textstat.fernandez_huerta(text), 1),
        szigriszt_pazos=round(textstat.szigriszt_pazos(text), 1),
    )
