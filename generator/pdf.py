"""Write PDF: rendered HTML to tagged PDF bytes with WeasyPrint, the only module that uses it (engine.py imports it).

One PdfWriter per process keeps fonts and stylesheets warm, fetches only the project's own
files, tags the PDF (PDF/UA-1), fails on WeasyPrint's errors, and checks the layout: text
outside its box, text covered by another box, and what pushes an output past its pages.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import engine  # noqa: F401  (first: it imports WeasyPrint without running a C compiler)

# isort: split
import pydyf
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import cssvars
from .errors import KyrError, Problem
from .render import RenderedDocument

ASSET_FOLDERS = ("templates", "content")
PDF_VARIANT = "pdf/ua-1"
# Removing one of these at a time shows what pushed an output past its page budget.
SUSPECTS = (
    ("the organization's logo: use a wider, shorter image", ".org-logo { display: none !important; }"),
    ("the office name: shorten it in the office list (content/offices.csv or .xlsx)", ".office h2 { display: none !important; }"),
    ("the organization's address: shorten it in content/pack.yaml", ".org-address { display: none !important; }"),
)


def _tree_builder():
    """WeasyPrint's private tag builder, if it still has the shape this module knows.

    WeasyPrint sets only the document's /Lang, so in a bilingual PDF a screen reader would read
    the Spanish with an English voice. Its builder recurses through this module-level name,
    so wrapping it reaches every element. tests/test_pdf.py fails when the name or its
    parameters move, rather than letting the PDFs silently lose their languages.
    """
    builder = getattr(tags, "_build_box_tree", None)
    if builder is None:
        return None
    names = list(inspect.signature(builder).parameters)[:3]
    return builder if names == ["box", "parent", "pdf"] else None


def element_languages_supported() -> bool:
    return _tree_builder() is not None


@contextlib.contextmanager
def _element_languages() -> Iterator[None]:
    """Give structure elements the `lang` of their HTML element, while one PDF is written."""
    original = _tree_builder()
    if original is None:
        yield
        return

    def with_lang(box, parent, pdf, *args, **kwargs):
        source = getattr(box, "_box", box).element
        lang = source.get("lang") if source is not None and source.tag not in ("html", "body") else None
        for element in original(box, parent, pdf, *args, **kwargs):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    tags._build_box_tree = with_lang
    try:
        yield
    finally:
        tags._build_box_tree = original


class ProjectFetcher(URLFetcher):
    """Serves files under the project's asset folders and data: images; refuses the rest."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed = tuple((Path(root) / folder).resolve() for folder in ASSET_FOLDERS)

    def serves(self, path: Path) -> bool:
        """``path`` (resolved) lies in one of the project's asset folders."""
        return any(path.is_relative_to(folder) for folder in self.allowed)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data" and url[5:].lower().startswith("image/"):
            return super().fetch(url, headers)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if self.serves(path) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        raise FatalURLFetchingError(self.refusal(url))

    @staticmethod
    def refusal(url: str) -> str:
        return f"refused to fetch {url}: only files in the project's templates/ and content/ folders can be used"


class _Collect(logging.Handler):
    """Keeps WeasyPrint's ERROR records, which it otherwise sends to a NullHandler."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


# One handler for the process: every writer clears it before its PDF (a handler per writer would
# pile up on WeasyPrint's logger, each new one holding every later error).
_ERRORS = _Collect()
logging.getLogger("weasyprint").addHandler(_ERRORS)


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int
    layout: tuple[str, ...]  # what the layout check found; empty when all is well
    facts_on: tuple[int, ...] = ()  # the pages (from 0) that show the facts: check reads those first


def _classes(box) -> set[str]:
    element = box.element
    return set((element.get("class") or "").split()) if element is not None and box.element_tag != "html" else set()


def _layout(document: weasyprint.Document, fit: tuple[str, ...]) -> list[str]:
    """Text that runs off the page or out of a fixed-size box (e.g. a wallet card), and text that
    another box covers (a logo over an address).

    A page count sees neither, so the laid-out boxes are checked instead.
    """
    found: list[str] = []
    for number, page in enumerate(document.pages, start=1):
        texts: list = []
        images: list = []
        outside = _walk(page._page_box, (0.0, 0.0, page.width, page.height), set(fit), texts, images)
        found += [f"page {number}: {text[:40]!r} runs outside its box" for text in outside]
        found += [f"page {number}: {text[:40]!r} is covered by {what}" for text, what in _covered(texts, images)]
    # A sheet of ten cards repeats one mistake ten times: say it once, with the count.
    counts: dict[str, int] = {}
    for line in found:
        counts[line] = counts.get(line, 0) + 1
    return [line if n == 1 else f"{line} ({n} times)" for line, n in counts.items()]


def _walk(box, limit: tuple[float, float, float, float], fit: set[str], texts: list, images: list, line: tuple[float, float] | None = None) -> list[str]:
    """Collect the text and image boxes under ``box``; return the texts outside their limit.

    A text box is as tall as its font's ascent and descent, which for Arabic and CJK fonts is far
    more than the line's height; its letters stay in the line, so a text is measured by its line.
    """
    box = getattr(box, "_box", box)  # absolutely positioned boxes sit in a placeholder
    outside = []
    if isinstance(box, boxes.LineBox):
        line = (box.position_y, box.position_y + box.height)
    if fit and _classes(box) & fit:
        # Inside the padding: text in a card's safe margin would be trimmed or crowd the cut;
        # and inside the page, should the box itself be misplaced.
        x, y = box.content_box_x(), box.content_box_y()
        limit = (max(x, limit[0]), max(y, limit[1]), min(x + box.width, limit[2]), min(y + box.height, limit[3]))
    if isinstance(box, boxes.TextBox) and box.text.strip():
        top, end = box.position_y, box.position_y + box.height
        if line is not None:
            top, end = max(top, line[0]), min(end, line[1])
        rect = (box.position_x, top, box.position_x + box.width, end)
        left, _, right, bottom = limit
        if rect[0] < left - 0.5 or rect[2] > right + 0.5 or rect[3] > bottom + 0.5:
            outside.append(box.text.strip())
        texts.append((rect, box.text.strip()))
    elif isinstance(box, boxes.ReplacedBox):
        x, y = box.content_box_x(), box.content_box_y()
        images.append(((x, y, x + box.width, y + box.height), box.element.get("alt") or "an image"))
    for child in getattr(box, "children", ()):
        outside += _walk(child, limit, fit, texts, images, line)
    return outside


def _printed_text(document: weasyprint.Document) -> list[str]:
    """The text laid out on each page, lines joined and hyphenated words made whole."""

    def walk(box, parts: list[str]) -> list[str]:
        box = getattr(box, "_box", box)
        if isinstance(box, boxes.TextBox):
            parts.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child, parts)
        return parts

    return [" ".join(" ".join(walk(page._page_box, [])).replace("\u2010 ", "").split()) for page in document.pages]


def _shown_on(pages: list[str], text: str) -> tuple[int, ...]:
    """The page that shows ``text``, or the two it runs across; none if no page shows it."""
    for n, page in enumerate(pages):
        if text in page:
            return (n,)
    return next(((n, n + 1) for n in range(len(pages) - 1) if text in f"{pages[n]} {pages[n + 1]}".replace("\u2010 ", "")), ())


def _covered(texts: list, images: list) -> Iterator[tuple[str, str]]:
    """Pairs that overlap by more than a sliver: text under an image, or text on text."""
    boxes_ = [(rect, text, True) for rect, text in texts] + [(rect, alt, False) for rect, alt in images]
    boxes_.sort(key=lambda item: item[0][1])
    seen = set()
    for i, (a, what_a, a_text) in enumerate(boxes_):
        for b, what_b, b_text in boxes_[i + 1 :]:
            if b[1] >= a[3] - 1.0:
                break  # sorted by top: nothing further down can reach a
            if not (a_text or b_text):
                continue
            # A line's box is taller than its letters (ascent and descent), so a sliver of overlap
            # between tightly set lines is not a collision; a quarter of a line is.
            tolerance = max(1.0, 0.25 * min(a[3] - a[1], b[3] - b[1]))
            if min(a[2], b[2]) - max(a[0], b[0]) > 1.0 and min(a[3], b[3]) - max(a[1], b[1]) > tolerance:
                text, other = (what_a, what_b if not b_text else f"the text {what_b[:30]!r}") if a_text else (what_b, what_a)
                if (text, other) not in seen:
                    seen.add((text, other))
                    yield text, other


class PdfWriter:
    """Turns rendered HTML into tagged PDF bytes; one per process."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.base_url = self.root.resolve().as_uri() + "/"
        self.fonts = FontConfiguration()
        self.fetcher = ProjectFetcher(self.root)
        self.stylesheets: dict[tuple[str, ...], list[weasyprint.CSS]] = {}
        self.parsed: dict[tuple[Path, str], weasyprint.CSS] = {}
        self.errors = _ERRORS

    def _stylesheets(self, names: tuple[str, ...]) -> list[weasyprint.CSS]:
        """Parsed once per process for each set a page links (a build's pages share a few), with
        the set's constant custom properties in place (see cssvars)."""
        if names not in self.stylesheets:
            paths = [(self.root / name).resolve() for name in names]
            for name, path in zip(names, paths, strict=True):
                if not path.is_file():
                    raise KyrError(Problem(name, None, "stylesheet not found"))
                if not self.fetcher.serves(path):
                    raise KyrError(Problem(name, None, self.fetcher.refusal(path.as_uri())))
            texts = [path.read_text(encoding="utf-8") for path in paths]
            imported = [
                found.read_text(encoding="utf-8")
                for path, text in zip(paths, texts, strict=True)
                for found in ((path.parent / name).resolve() for name in cssvars.imports(text))
                if found.is_file() and self.fetcher.serves(found)
            ]
            values = cssvars.constants([*imported, *texts])
            self.stylesheets[names] = [self._parsed(path, cssvars.resolve(text, values)) for path, text in zip(paths, texts, strict=True)]
        return self.stylesheets[names]

    def _parsed(self, path: Path, text: str) -> weasyprint.CSS:
        """One parse per stylesheet and text: base.css reads the same in every set but the poster's."""
        if (path, text) not in self.parsed:
            self.parsed[path, text] = weasyprint.CSS(string=text, base_url=path.as_uri(), url_fetcher=self.fetcher, font_config=self.fonts)
        return self.parsed[path, text]

    def _lay_out(self, document: RenderedDocument, extra: str = "") -> weasyprint.Document:
        stylesheets = list(self._stylesheets(document.stylesheets))
        if extra:
            stylesheets.append(weasyprint.CSS(string=extra, font_config=self.fonts))
        html = weasyprint.HTML(string=_unlinked(document), base_url=self.base_url, url_fetcher=self.fetcher)
        return html.render(font_config=self.fonts, stylesheets=stylesheets, pdf_variant=PDF_VARIANT)

    def write(
        self,
        document: RenderedDocument,
        budget: int | None = None,
        fit: tuple[str, ...] = (),
        facts: tuple[tuple[str, str], ...] = (),
        page_label: str | None = None,
        pdf: bool = True,
    ) -> Pdf:
        """The PDF of ``document``, and what its layout check found: text out of its box or covered,
        pages past the budget, ``facts`` (what, text) that did not make it onto the pages, and page
        numbers (``page_label``, with %(page)s and %(pages)s) missing from a page after the first.
        ``pdf`` false: the layout is checked and no PDF is made (the bytes are empty)."""
        self.errors.records.clear()
        # No file identifier (/ID): pydyf would serialize and compress every object a second time
        # to hash it, 7% of a notice. ISO 32000-1 makes it optional in a file that is not encrypted
        # (archives and document systems that track files use it; these are printed), and PDF/UA
        # does not ask for it.
        options = {"pdf_variant": PDF_VARIANT, "finisher": _right_to_left if document.dir == "rtl" else None}
        try:
            laid_out = self._lay_out(document)
            data = b""
            if pdf:
                with _element_languages():
                    data = laid_out.write_pdf(**options)
        except FatalURLFetchingError as exc:
            raise KyrError(Problem("templates", None, str(exc))) from None
        if self.errors.records:
            messages = "; ".join(sorted({r.getMessage() for r in self.errors.records}))
            raise KyrError(Problem(f"templates/{document.name}.html.j2", None, f"PDF renderer: {messages}"))
        layout = _layout(laid_out, fit)
        pages = len(laid_out.pages)
        on_pages = _printed_text(laid_out) if facts or page_label else []
        printed = " ".join(on_pages)
        shown = [_shown_on(on_pages, " ".join(text.split())) for _, text in facts]
        missing = [f"{what} ({text!r})" for (what, text), found in zip(facts, shown, strict=True) if not found]
        if missing:
            layout.append(f"not on the page, cut off or left out: {'; '.join(missing)}")
        if page_label and pages > 1:
            label = page_label % {"page": 2, "pages": pages}
            if " ".join(label.split()) not in printed:
                layout.append(f"page numbers ({label!r}) are missing")
        if budget is not None and pages > budget:
            layout.insert(0, f"{pages} pages; its budget is {budget}{self._cause(document, budget)}")
        return Pdf(data, pages, tuple(layout), tuple(sorted({n for found in shown for n in found})))

    def _cause(self, document: RenderedDocument, budget: int) -> str:
        """What pushed ``document`` past its budget, found by leaving out one suspect at a time."""
        for name, css in SUSPECTS:
            selector = css.split(" {")[0]
            if selector.lstrip(".").split()[0] not in document.html:
                continue
            if len(self._lay_out(document, css).pages) <= budget:
                return f": it fits without {name}"
        return ": shorten the text or split it"


def _right_to_left(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
    """Tell viewers and printers that the pages run right to left: facing pages, the order of a
    printed booklet. WeasyPrint already makes the first page a left page and `recto` a left page."""
    preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    preferences["Direction"] = "/R2L"
    pdf.catalog["ViewerPreferences"] = preferences


def _unlinked(document: RenderedDocument) -> str:
    """The HTML without the links to the stylesheets this writer already holds parsed
    (parsing them again for every document would cost more than laying out a notice)."""
    html = document.html
    for href in document.stylesheets:
        html = html.replace(f'<link rel="stylesheet" href="{href}">', "", 1)
    return html
