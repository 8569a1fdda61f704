"""Markdown answers: split into translatable blocks, and inline Markdown to safe HTML.

Raw HTML is off and only web, mail and phone links survive, so content from other
groups cannot reach files or run anything in the PDF renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from .errors import Problem

SAFE_LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")


@dataclass(frozen=True)
class RawBlock:
    """A paragraph ("p") or a list ("ul"/"ol") of inline Markdown items, with their lines."""

    kind: str
    items: tuple[tuple[str, int], ...]  # (inline Markdown, line in the body)


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_LINK_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = _safe_link
    return md


_BLOCKS_NOT_ALLOWED = {
    "heading_open": "headings",
    "blockquote_open": "quotes",
    "code_block": "code blocks",
    "fence": "code blocks",
    "hr": "horizontal rules",
}


def split_blocks(body: str, path: str, first_line: int) -> tuple[list[RawBlock], list[Problem]]:
    """Split an answer into paragraphs and single-level lists of inline items."""
    blocks: list[RawBlock] = []
    problems: list[Problem] = []
    list_kind: str | None = None
    items: list[tuple[str, int]] = []
    depth = 0
    for token in _parser().parse(body):
        line = first_line + (token.map[0] if token.map else 0)
        if token.type in _BLOCKS_NOT_ALLOWED:
            problems.append(Problem(path, line, f"{_BLOCKS_NOT_ALLOWED[token.type]} are not allowed in an answer; use paragraphs and '- ' lists"))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth > 1:
                problems.append(Problem(path, line, "lists inside lists are not allowed; use one level of '- ' items"))
            list_kind = "ul" if token.type == "bullet_list_open" else "ol"
            items = []
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0 and list_kind:
                blocks.append(RawBlock(list_kind, tuple(items)))
                list_kind = None
        elif token.type == "inline":
            if list_kind:
                items.append((token.content, line))
            else:
                blocks.append(RawBlock("p", ((token.content, line),)))
    return blocks, problems


def inline_html(text: str) -> str:
    """Render one inline Markdown unit (bold, italics, links) to escaped HTML."""
    return _parser().renderInline(text)


def emphasized(text: str) -> str:
    """The words of an inline Markdown unit that print in italics."""
    parts: list[str] = []
    for token in _parser().parseInline(text):
        depth = 0
        for child in token.children or ():
            depth += {"em_open": 1, "em_close": -1}.get(child.type, 0)
            if depth and child.type in ("text", "code_inline"):
                parts.append(child.content)
    return " ".join(parts)


def plain_text(text: str) -> str:
    """Inline Markdown reduced to its words, for readability and glyph checks."""
    tokens = _parser().parseInline(text)
    parts: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts)
