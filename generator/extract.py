"""Extraction: content units and template strings into gettext templates (.pot) with Babel."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po
from jinja2 import TemplateSyntaxError

from . import glossary
from .content import file_units
from .errors import KyrError, Problem
from .files import read_own, write_atomic, write_cache
from .manifest import files_digest

DOMAINS = ("content", "templates")
CONTENT_METHODS = [("content/pack.yaml", "generator.extract:extract_content"), ("content/sources.yaml", "generator.extract:extract_content"), ("content/rights.yaml", "generator.extract:extract_content"), ("content/questions/*.md", "generator.extract:extract_content")]
TEMPLATE_METHODS = [("templates/**.j2", "jinja2")]
# silent=false: Babel's Jinja2 extractor otherwise skips a broken template and reports nothing.
TEMPLATE_OPTIONS = {"templates/**.j2": {"silent": "false", "trimmed": "true", "extensions": "jinja2.ext.i18n"}}

_FIELDS = {"question": "the question", "short": "short answer or sentence (handout, card, bilingual notice)", "title": "title", "text": "text", "name": "name of the help line"}


def describe(context: str) -> str:
    """What a unit is, in words, for the translator: "q07 · full answer, part 3"."""
    owner, _, rest = context.partition(".")
    if owner == "source":
        return f"source {rest} · our description of it (the booklet's source list)"
    if rest.startswith("body."):
        return f"{owner} · full answer, part {rest.split('.')[1]} (Markdown: keep **bold** and [links](…))"
    return f"{owner} · {_FIELDS.get(rest, rest)}"


def extract_content(fileobj: BinaryIO, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method for content files: one pgettext message per unit."""
    path = Path(fileobj.name)
    for unit in file_units(path, _project_root(path)):
        yield unit.line, "pgettext", (unit.context, unit.source), [describe(unit.context)]


def _project_root(path: Path) -> Path:
    for parent in path.resolve().parents:
        if parent.name == "content":
            return parent.parent
    return path.parent


def extract(root: Path, domain: str, notes: bool = True) -> Catalog:
    """A fresh template for one domain, messages in file order, with translator notes (the glossary's
    terms found in each message; a build that only needs the messages skips them)."""
    methods, options = (CONTENT_METHODS, {}) if domain == "content" else (TEMPLATE_METHODS, TEMPLATE_OPTIONS)
    terms = glossary.load(root) if notes else []
    catalog = Catalog(project="kyr", charset="utf-8", fuzzy=False)
    current: list[str] = ["templates"]  # the file being read, for error messages
    try:
        for filename, lineno, message, comments, context in extract_from_dir(
            root, methods, options, comment_tags=("TRANSLATORS:",), callback=lambda name, method, opts: current.__setitem__(0, name)
        ):
            found = [*comments, *glossary.notes(terms, message if isinstance(message, str) else message[0])] if terms else list(comments)
            catalog.add(message, locations=[(filename, lineno)], auto_comments=found, context=context)
    except TemplateSyntaxError as exc:  # reported by Jinja2 through Babel; anything else is a bug and keeps its traceback
        raise KyrError(Problem(current[0], exc.lineno, f"template syntax error: {exc.message}")) from None
    return catalog


_extracted: dict[Path, tuple[str, tuple[tuple[str | None, str], ...]]] = {}  # project -> (templates' hash, pairs)


def template_messages(root: Path, keep: Path | None = None) -> list[tuple[str | None, str]]:
    """The (context, English) pairs the templates translate; extracted again only when a template
    changed, since a build, a check and every rebuild of `kyr serve` ask for them. ``keep``: a file
    that keeps them for the next process (a check after a build extracts nothing)."""
    root = Path(root).resolve()
    key = files_digest(root, ("templates",), (".j2",))
    known = _extracted.get(root)
    if known is None or known[0] != key:
        pairs = _kept(keep, key)
        if pairs is None:
            pairs = tuple((m.context, m.id) for m in extract(root, "templates", notes=False) if m.id and isinstance(m.id, str))
            if keep is not None:
                with contextlib.suppress(OSError):  # a read-only output folder only goes without it
                    write_cache(keep, json.dumps({"templates": key, "messages": pairs}).encode())
        known = _extracted[root] = (key, pairs)
    return list(known[1])


def _kept(path: Path | None, key: str) -> tuple[tuple[str | None, str], ...] | None:
    """The pairs ``path`` keeps, if it keeps them for templates with this hash."""
    if path is None:
        return None
    try:
        kept = json.loads(read_own(path))
        if kept["templates"] == key:
            return tuple((context, message) for context, message in kept["messages"])
    except (OSError, ValueError, TypeError, KeyError):
        pass
    return None


def pot_text(catalog: Catalog) -> str:
    """The .pot file text; no creation date, so an unchanged template is byte-identical."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, sort_output=False)
    text = buffer.getvalue().decode("utf-8")
    return re.sub(r'"POT-Creation-Date: [^"]*\\n"\n', "", text)


def write_templates(root: Path) -> list[Path]:
    """Write locales/<domain>.pot for both domains; returns the files that changed."""
    changed = []
    for domain in DOMAINS:
        catalog = extract(root, domain)
        path = root / "locales" / f"{domain}.pot"
        text = pot_text(catalog)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode("utf-8"))
            changed.append(path)
    return changed
