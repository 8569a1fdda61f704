"""What the printed dates may claim: the facts date against the evidence, and the review date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from . import textfile
from .content import ContentPack
from .errors import KyrError, Problem
from .review import Book

# How long after the newest source's publication the facts date may be without a review vouching for it.
GRACE = timedelta(weeks=6)


def today() -> date:
    """The day every command takes as today unless told: the one clock, so a test can pin it."""
    return date.today()


def _line(pack: ContentPack, key: str) -> int | None:
    """The line of ``key:`` in pack.yaml, for messages."""
    try:
        text = textfile.read(pack.root / "content" / "pack.yaml", pack.root)
    except KyrError:
        return None
    match = re.search(rf"^{key}:", text, flags=re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def vouched(pack: ContentPack, book: Book) -> date | None:
    """The newest English review that covers every unit of the pack in its current text, if any."""
    verdict = book.verdict(pack.source_language, ((u.context, u.source, u.source) for u in pack.units()))
    return verdict.on if verdict else None


def check(pack: ContentPack, book: Book, today: date) -> list[Problem]:
    """Errors when a date claims more than the sources or the reviews support; a warning after review_by."""
    shown = "content/pack.yaml"
    problems = []
    for source in pack.sources:
        if source.published > today:
            problems.append(Problem(source.title.path, source.title.line, f"source {source.id} is published {source.published}, after today"))
        if source.read < source.published:
            problems.append(Problem(source.title.path, source.title.line, f"source {source.id} was read {source.read}, before it was published {source.published}"))
    if pack.sources:
        newest = max(pack.sources, key=lambda s: s.published)
        review = vouched(pack, book)
        if pack.as_of > newest.published + GRACE and not (review and review >= pack.as_of):
            latest = newest.published + GRACE
            problems.append(
                Problem(
                    shown,
                    _line(pack, "as_of"),
                    f"as_of {pack.as_of} is later than the newest source allows: the newest source ({newest.id}) was published {newest.published}. "
                    f"The facts date is the last day someone verified the facts against sources: set as_of to {latest} or earlier, "
                    f"cite the newer sources you checked, or record a review on or after {pack.as_of} ('kyr review', then 'kyr review approve')",
                )
            )
    if today > pack.review_by:
        problems.append(
            Problem(shown, _line(pack, "review_by"), f"review_by {pack.review_by} has passed: every output now says its facts may be out of date (last checked {pack.as_of}); check the facts and set new dates", "warning")
        )
    return problems
