"""What the shared partials (templates/partials/: rights, help, facts, organization, QR) read as
``c``: the same names, meaning the same things, on paper (render.EditionContext) and on the web
(site.SiteContext). Light to import: the build loads it without Jinja2 or Babel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from .content import ContentPack, Question, Right, Warning
    from .review import Reviewed


@dataclass(frozen=True, kw_only=True)
class PartialsContext:
    pack: ContentPack
    lang: str
    html_lang: str
    dir: str
    title: str
    questions: tuple[Question, ...]
    rights: tuple[Right, ...]
    warnings: tuple[Warning, ...]
    as_of: str  # "November 28, 2026" in the language's own words
    out_of_date: bool  # review_by has passed: say the facts may be out of date
    reviewed: Reviewed | None  # set only when every unit printed is signed off as printed
    reviewed_on: str  # the newest sign-off's date in the language's words, or ""
    english_reviewed: bool  # a translation whose English is signed off but not the translation
    version: str  # short hash of what is printed
    incomplete: bool  # some text is printed in English, marked as not yet translated
    site_url: str  # what the QR code opens: the online edition of this language, or ""
    bilingual: bool = False  # another language shares the sheet: keep to one side (never on the web)
    project_url: str = ""  # the project folder relative to the page: where content/ images are found
