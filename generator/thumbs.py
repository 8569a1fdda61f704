"""Page thumbnails of a PDF as PNG images, for the preview's dashboard (pypdfium2, as kyr check uses)."""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from pathlib import Path

KEEP = 256  # thumbnails kept in memory: every page shown of the shipped pack, a few times over


class Thumbnails:
    """PNGs of PDF pages, cached by the bytes of the PDF, so a rebuilt PDF gets new ones."""

    def __init__(self, width: int = 360):
        self.width = width  # pixels: twice the width shown, for sharp text on dense screens
        self.cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self.lock = threading.Lock()  # PDFium is not thread-safe

    def png(self, path: Path, page: int) -> bytes | None:
        """Page ``page`` (from 1) of the PDF at ``path``; None if it has no such page or is no PDF."""
        data = Path(path).read_bytes()  # whole, once: the file may be replaced while we read
        key = (hashlib.sha1(data).hexdigest(), page)
        with self.lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
            image = self._render(data, page)
            if image is not None:
                self.cache[key] = image
                while len(self.cache) > KEEP:
                    self.cache.popitem(last=False)
            return image

    def _render(self, data: bytes, page: int) -> bytes | None:
        import pypdfium2

        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            return None
        try:
            if not 1 <= page <= len(document):
                return None
            sheet = document[page - 1]
            bitmap = sheet.render(scale=self.width / sheet.get_width())
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, "PNG")
            return buffer.getvalue()
        finally:
            document.close()
