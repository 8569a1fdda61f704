"""Document kinds: everything the pipeline knows about a product, in one registry.

Plan, render, checks, progress, the CLI's help and the tests read this table; nothing else
names a kind. Adding a kind is one entry here, a template `templates/<name>.html.j2` and a
stylesheet `templates/css/<name>.css`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paper:
    name: str
    css: str  # the CSS `size` value
    width: float  # inches
    height: float


PAPERS = {
    "letter": Paper("letter", "letter", 8.5, 11.0),
    "a4": Paper("a4", "A4", 8.27, 11.69),
    "tabloid": Paper("tabloid", "11in 17in", 11.0, 17.0),
    "a3": Paper("a3", "A3", 11.69, 16.54),
}
PAGE_SIZES = ("letter", "a4")  # what a pack's page_size or --page-size chooses; each kind maps it to its paper


@dataclass(frozen=True)
class DocumentKind:
    name: str
    description: str  # one line, for help and the README
    page_budget: int | None  # pages each output may use, in every edition; None: any number
    papers: dict[str, str] = field(default_factory=lambda: {"letter": "letter", "a4": "a4"})
    per_office: bool = False  # one output per office in offices.csv, else one per edition
    page_numbers: bool = True  # "Page x of y" in the footer
    fit_boxes: tuple[str, ...] = ()  # CSS classes of fixed-size boxes that text must stay inside
    long: bool = False  # many pages: scheduled first so no worker waits for it at the end

    @property
    def template(self) -> str:
        return f"{self.name}.html.j2"

    @property
    def stylesheet(self) -> str:
        return f"css/{self.name}.css"

    def paper(self, page_size: str) -> Paper:
        return PAPERS[self.papers[page_size]]


KINDS: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("handout", "rights and free legal help on the front, key questions with short answers, QR code", page_budget=2),
        DocumentKind("booklet", "cover, contents, every question with its full answer, sources", page_budget=None, long=True),
        DocumentKind("notice", "a benefit office's notice: how information given there may be shared", page_budget=1, per_office=True, page_numbers=False),
        DocumentKind("card", "ten wallet cards per sheet with crop marks, fronts and backs for duplex", page_budget=2, page_numbers=False, fit_boxes=("card",)),
        DocumentKind(
            "poster",
            "a tabloid poster (A3 with --page-size a4) for waiting rooms: rights, risk, help number, QR",
            page_budget=1,
            papers={"letter": "tabloid", "a4": "a3"},
            page_numbers=False,
        ),
    )
}
NAMES = tuple(KINDS)


def kind(name: str) -> DocumentKind:
    return KINDS[name]
