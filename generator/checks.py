"""The rules `kyr check` applies to a content pack, each finding as a Problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import markup, readability
from .content import ContentPack, Question, load_pack
from .errors import KyrError, Problem


@dataclass(frozen=True)
class QuestionScore:
    id: str
    short: readability.Score
    full: readability.Score


def score(question: Question) -> QuestionScore:
    body = " ".join(markup.plain_text(unit.source) for block in question.body for unit in block.items)
    return QuestionScore(question.id, readability.english(question.short.source), readability.english(body))


def check_pack(pack: ContentPack, today: date | None = None) -> list[Problem]:
    today = today or date.today()
    problems: list[Problem] = []
    pack_file = "content/pack.yaml"
    if today > pack.review_by:
        problems.append(Problem(pack_file, None, f"review_by {pack.review_by} has passed: the content may be out of date; review it and set a new date", "warning"))
    for question in pack.questions:
        if not question.sources:
            problems.append(Problem(question.path, 2, f"{question.id} has no sources: every answer needs at least one", "warning"))
        result = score(question)
        if result.short.grade > readability.SHORT_GRADE_MAX:
            problems.append(Problem(question.path, question.short.line, f"{question.id} short answer reads at grade {result.short.grade} (target {readability.SHORT_GRADE_MAX:g} or below)", "warning"))
        if result.full.grade > readability.FULL_GRADE_MAX:
            problems.append(Problem(question.path, None, f"{question.id} full answer reads at grade {result.full.grade} (target {readability.FULL_GRADE_MAX:g} or below)", "warning"))
    for right in pack.rights:
        if not right.sources:
            problems.append(Problem(right.text.path, right.text.line, f"right {right.id} has no sources", "warning"))
    return problems


@dataclass(frozen=True)
class CheckReport:
    problems: list[Problem]
    scores: list[QuestionScore]  # empty when the pack did not load

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


def check(root: Path, today: date | None = None) -> CheckReport:
    """Every problem in the pack at ``root`` (load errors, or the rules above) and its scores."""
    try:
        pack = load_pack(Path(root))
    except KyrError as exc:
        return CheckReport(exc.problems, [])
    return CheckReport(check_pack(pack, today), [score(q) for q in pack.questions])
