"""Reading-level scores: the figures textstat 0.7.4 gave when the content's targets were set."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from generator import readability

# Each figure below is what textstat 0.7.4 printed for the same text (readability.py counts as it did).
ENGLISH = [
    ("You can apply just for your child, such as a U.S. citizen child, without giving your own status or Social Security number.", 22, 6.4),
    ("Keep a copy. Ask who will see it. Write down the name of the person you spoke with, and the date.", 21, -1.2),
    ("", 0, -15.7),
]
SPANISH = [
    ("Usted puede pedir ayuda legal gratuita. La oficina debe decirle por qué pide su número de Seguro Social y cómo lo usará.", 22, 81.6, 76.9),
    ("", 0, 206.8, 0.0),
]


def test_english_scores_are_the_ones_the_targets_were_set_with():
    assert [(readability.english(text).words, readability.english(text).grade) for text, *_ in ENGLISH] == [(words, grade) for _, words, grade in ENGLISH]


def test_spanish_scores_are_the_ones_the_targets_were_set_with():
    scores = [readability.spanish(text) for text, *_ in SPANISH]
    assert [(s.words, s.fernandez_huerta, s.szigriszt_pazos) for s in scores] == [tuple(row[1:]) for row in SPANISH]


def test_scoring_needs_no_pkg_resources():
    """setuptools 82 removed it; textstat 0.7.4 imported it."""
    import subprocess
    import sys

    code = "import sys, generator.checks; print('pkg_resources' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split() == ["False"]


@given(st.text(max_size=300))
def test_any_text_gets_a_finite_score(text):
    english, spanish = readability.english(text), readability.spanish(text)
    assert english.words == spanish.words >= 0
    assert all(math.isfinite(value) for value in (english.grade, spanish.fernandez_huerta, spanish.szigriszt_pazos))
