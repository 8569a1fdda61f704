"""Plan: which outputs a command asks for, as jobs: a document kind in one edition (and office)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .content import ContentPack
from .documents import KINDS, NAMES, DocumentKind
from .errors import KyrError, Problem
from .languages import PSEUDOS
from .offices import Office

NOTICES = "notices"  # the folder of each edition that holds the outputs made per office


@dataclass(frozen=True)
class Job:
    """One PDF to produce: a document in one language, or two on one sheet."""

    doc: str
    langs: tuple[str, ...]
    office: Office | None = None

    @property
    def kind(self) -> DocumentKind:
        return KINDS[self.doc]

    @property
    def edition(self) -> str:
        return "-".join(self.langs)

    @property
    def output(self) -> Path:
        """Relative to the output folder; built only from validated ids."""
        if self.office:
            return Path(self.edition) / NOTICES / f"{self.office.id}.pdf"
        return Path(self.edition) / f"{self.doc}.pdf"

    @property
    def label(self) -> str:
        return str(self.output.with_suffix(""))


def per_office(output: str) -> bool:
    """Whether an output path (relative to the output folder) is one made per office."""
    return Path(output).parent.name == NOTICES


def langs_of_edition(edition: str) -> tuple[str, ...]:
    """The languages of an edition: "en-es" is two; a pseudo-locale, "pseudo-rtl" too, is one."""
    return (edition,) if edition in PSEUDOS else tuple(edition.split("-"))


def editions(pack: ContentPack) -> list[str]:
    """The editions a pack builds by default: each language, then each bilingual pair."""
    return [*pack.languages, *("-".join(pair) for pair in pack.bilingual)]


def plan(pack: ContentPack, langs: Iterable[str] | None = None, docs: Iterable[str] | None = None, offices: Iterable[str] | None = None) -> list[Job]:
    """Every document × edition (× office, for kinds made per office) asked for, in a stable order.

    Asking for offices means asking for the kinds made per office, unless documents are named too.
    """
    known = editions(pack)
    asked = tuple(langs or known)
    made_per_office = tuple(name for name in NAMES if KINDS[name].per_office)
    docs = tuple(docs or (made_per_office if offices else NAMES))
    problems = [Problem("command line", None, f"unknown document {d!r}; known: {', '.join(NAMES)}") for d in docs if d not in NAMES]
    problems += [
        Problem("command line", None, f"--lang {lang!r} is not an edition of this pack; it builds: {', '.join([*known, *PSEUDOS])} (languages are set in content/pack.yaml)")
        for lang in asked
        if lang not in known and lang not in PSEUDOS
    ]
    known_offices = {office.id: office for office in pack.offices}
    chosen = tuple(offices or known_offices)
    if offices and pack.office_list.problems:
        problems += pack.office_list.problems  # the ids asked for cannot be looked up in a list with mistakes
    else:
        listed = pack.office_list.path
        problems += [Problem("command line", None, f"--office {o!r} is not in {listed}; it has: {', '.join(known_offices) or 'no offices'}") for o in chosen if o not in known_offices]
    if offices and not any(KINDS[d].per_office for d in docs if d in KINDS):
        problems.append(Problem("command line", None, f"--office applies to {', '.join(made_per_office)}; add --doc {made_per_office[0]}"))
    if problems:
        raise KyrError(problems)
    jobs = []
    for edition in asked:
        langs_of = langs_of_edition(edition)
        for doc in docs:
            if KINDS[doc].per_office:
                jobs += [Job(doc, langs_of, known_offices[office]) for office in chosen]
            else:
                jobs.append(Job(doc, langs_of))
    return jobs
