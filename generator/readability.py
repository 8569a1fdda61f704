"""Readability scores for plain-language targets (screening, not a verdict)."""

from __future__ import annotations

from dataclasses import dataclass

import textstat

# Targets from the content research: FK grade for English handout text.
SHORT_GRADE_MAX = 6.0
FULL_GRADE_MAX = 8.0


@dataclass(frozen=True)
class Score:
    words: int
    grade: float  # Flesch-Kincaid grade level
    ease: float  # Flesch reading ease


def english(text: str) -> Score:
    textstat.set_lang("en_US")
    return Score(
        words=textstat.lexicon_count(text),
        grade=round(textstat.flesch_kincaid_grade(text), 1),
        ease=round(textstat.flesch_reading_ease(text), 1),
    )
