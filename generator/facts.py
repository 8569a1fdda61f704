"""The facts every output must show a reader, worked out from the pack and the recorded reviews
rather than from the templates, so a template that drops one, or a page that cuts one off, is caught."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: importing the localize step would load Jinja2 and Babel's catalogs
    from .i18n import LocalizedPack
    from .review import Verdict


def facts(localized: LocalizedPack, version: str, verdict: Verdict, out_of_date: bool) -> dict[str, str]:
    """What every document must show a reader, in this language, worked out from the pack and the
    recorded reviews rather than from the templates."""
    pack = localized.pack
    gettext = localized.translations.pgettext
    as_of = localized.long_date(pack.as_of)
    found = {
        "title": localized.text(pack.title),
        "organization name": pack.organization.name,
        "accurate-as-of date": as_of,
        "content version": version,
        "disclaimer": gettext("facts", "General information, not legal advice."),
    }
    reviewed = verdict.reviewed
    on = localized.long_date(reviewed.on) if reviewed else ""
    if reviewed:
        found["review status"] = gettext("facts", "Reviewed by %(names)s on %(date)s.") % {"names": "; ".join(reviewed.by), "date": on}
    elif verdict.english_reviewed:
        found["review status"] = gettext("facts", "DRAFT: this translation is not yet reviewed.")
    else:
        found["review status"] = gettext("facts", "DRAFT: not yet reviewed by a lawyer.")
    if out_of_date:
        found["out-of-date warning"] = gettext("facts", "These facts may be out of date: last checked %(date)s.") % {"date": as_of}
    return found


def page_label(editions: Sequence[LocalizedPack]) -> str:
    """The page numbers an output of several pages prints, with %(page)s and %(pages)s: in its
    language's words, or only the numbers when two languages share the pages."""
    if len(editions) > 1:
        return "%(page)s / %(pages)s"
    return editions[0].translations.pgettext("base", "Page %(page)s of %(pages)s")
