"""HTML to PDF with WeasyPrint: the only module that imports it.

One PdfWriter per process keeps fonts and stylesheets warm, fetches only the
project's own files, tags the PDF (PDF/UA-1) and fails on WeasyPrint's errors.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .errors import KyrError, Problem
from .render import RenderedDocument

ASSET_FOLDERS = ("templates", "content")
PDF_VARIANT = "pdf/ua-1"


def _tag_element_languages() -> None:
    """Give structure elements the `lang` of their HTML element.

    WeasyPrint sets only the document's /Lang, so in a bilingual PDF a screen reader would
    read the Spanish with an English voice. Its tag builder recurses through the module-level
    name, so wrapping that name reaches every element.
    """
    build_box_tree = tags._build_box_tree
    if getattr(build_box_tree, "sets_lang", False):
        return

    def with_lang(box, parent, pdf, *args, **kwargs):
        source = getattr(box, "_box", box).element
        lang = source.get("lang") if source is not None and source.tag not in ("html", "body") else None
        for element in build_box_tree(box, parent, pdf, *args, **kwargs):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    with_lang.sets_lang = True
    tags._build_box_tree = with_lang


_tag_element_languages()


class ProjectFetcher(URLFetcher):
    """Serves files under the project's asset folders and data: images; refuses the rest."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed = tuple((Path(root) / folder).resolve() for folder in ASSET_FOLDERS)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data" and url[5:].lower().startswith("image/"):
            return super().fetch(url, headers)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.allowed) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise FatalURLFetchingError(f"refused to fetch {url}: only files in the project's templates/ and content/ folders can be used")


class _Collect(logging.Handler):
    """Keeps WeasyPrint's ERROR records, which it otherwise sends to a NullHandler."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_errors = _Collect()
logging.getLogger("weasyprint").addHandler(_errors)


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int
    overflow: tuple[str, ...]  # text laid out outside its page or its fixed-size box


def _overflow(document: weasyprint.Document) -> list[str]:
    """Text that runs off the page or out of a box marked class="fit" (e.g. a wallet card).

    A page count cannot see text clipped or spilled inside a fixed-size box, so the layout
    is checked line by line instead.
    """
    found = []

    def walk(box, limit, number):
        element = box.element
        if element is not None and "fit" in (element.get("class") or "").split():
            # Inside the padding: text in a card's safe margin would be trimmed or crowd the cut.
            x, y = box.content_box_x(), box.content_box_y()
            limit = (x, y, x + box.width, y + box.height)
        if isinstance(box, boxes.TextBox) and box.text.strip():
            left, top, right, bottom = limit
            if box.position_x < left - 0.5 or box.position_x + box.width > right + 0.5 or box.position_y + box.height > bottom + 0.5:
                found.append(f"page {number}: {box.text.strip()[:40]!r} runs outside its box")
        for child in getattr(box, "children", ()):
            walk(child, limit, number)

    for number, page in enumerate(document.pages, start=1):
        walk(page._page_box, (0.0, 0.0, page.width, page.height), number)
    return found


class PdfWriter:
    """Turns rendered HTML into tagged PDF bytes; one per process."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.base_url = (self.root / "templates").resolve().as_uri() + "/"
        self.fonts = FontConfiguration()
        self.fetcher = ProjectFetcher(self.root)
        self.stylesheets: dict[str, weasyprint.CSS] = {}

    def _stylesheet(self, name: str) -> weasyprint.CSS:
        """Parsed once per process: every document of a build shares them."""
        if name not in self.stylesheets:
            path = (self.root / "templates" / name).resolve()
            if not path.is_file():
                raise KyrError(Problem(f"templates/{name}", None, "stylesheet not found"))
            self.stylesheets[name] = weasyprint.CSS(url=path.as_uri(), url_fetcher=self.fetcher, font_config=self.fonts)
        return self.stylesheets[name]

    def write(self, document: RenderedDocument, epoch: int) -> Pdf:
        """The PDF of ``document``; ``epoch`` pins every date inside the file."""
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        _errors.records.clear()
        options = {"pdf_variant": PDF_VARIANT, "pdf_identifier": f"{document.name}-{document.lang}".encode()}
        try:
            stylesheets = [self._stylesheet(name) for name in document.stylesheets]
            html = weasyprint.HTML(string=document.html, base_url=self.base_url, url_fetcher=self.fetcher)
            laid_out = html.render(font_config=self.fonts, stylesheets=stylesheets, **options)
            data = laid_out.write_pdf(**options)
        except FatalURLFetchingError as exc:
            raise KyrError(Problem("templates", None, str(exc))) from None
        if _errors.records:
            messages = "; ".join(sorted({r.getMessage() for r in _errors.records}))
            raise KyrError(Problem(f"templates/{document.name}.html.j2", None, f"PDF renderer: {messages}"))
        return Pdf(data, len(laid_out.pages), tuple(_overflow(laid_out)))
