"""YAML syntax errors in a volunteer's words: a tab, a quote left open, an indent that matches nothing.

PyYAML reports where its parser gave up, which is often a line after the mistake and in words
about tokens. These hints find the likely mistake in the text itself and name its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# Errors a wrong indentation or an open quote leads to, in libyaml's and PyYAML's words.
_STRUCTURE = ("did not find expected key", "did not find expected '-' indicator", "mapping values are not allowed", "expected <block end>")
_QUOTED_VALUE = re.compile(r"^\s*(?:-\s+)*(?:[^\s\"'#-][^#]*?:\s+)?([\"'])")
_KEY_OR_ITEM = re.compile(r"^(?:-(?:\s|$)|[^\s\"'#][^#]*?:(?:\s|$))")
_BLOCK_SCALAR = re.compile(r"[|>][+-]?\d?\s*$")


@dataclass(frozen=True)
class Hint:
    line: int
    message: str


def explain(text: str, error: yaml.MarkedYAMLError) -> Hint | None:
    """A clearer message for ``error`` in ``text``, at the line to fix; None keeps YAML's own."""
    lines = text.split("\n")
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None
    at = mark.line + 1
    problem = error.problem or ""
    tab = _tab(lines, at)
    if tab is not None and ("tab" in problem or "cannot start any token" in problem or problem.startswith(_STRUCTURE)):
        return tab
    if error.context == "while scanning a quoted scalar" and error.context_mark is not None:
        opened = error.context_mark
        quote = lines[opened.line][opened.column] if opened.column < len(lines[opened.line]) else '"'
        return Hint(opened.line + 1, f"the quote {quote} that opens on this line is never closed: add {quote} at the end of its text")
    if not problem.startswith(_STRUCTURE):
        return None
    return _open_quote(lines, at) or _indentation(lines, at)


def _tab(lines: list[str], at: int) -> Hint | None:
    """A tab on the line the parser stopped at."""
    line = lines[at - 1] if 0 < at <= len(lines) else ""
    if "\t" not in line:
        return None
    return Hint(at, f"a tab at column {line.index(chr(9)) + 1}: YAML indents with spaces only; replace the tab with spaces (2 for each level)")


def _quoted_spans(lines: list[str]) -> list[tuple[int, int | None]]:
    """(line it opens on, line it closes on or None) of each value that starts with a quote."""
    spans = []
    number = 0
    while number < len(lines):
        match = _QUOTED_VALUE.match(lines[number])
        if not match:
            number += 1
            continue
        quote = match.group(1)
        closed = _closing_line(lines, number, match.end(), quote)
        spans.append((number + 1, closed))
        number = closed if closed is not None else len(lines)
    return spans


def _closing_line(lines: list[str], number: int, start: int, quote: str) -> int | None:
    """The line (1-based) where the quoted text opened at ``lines[number][start - 1]`` ends."""
    column = start
    while number < len(lines):
        line = lines[number]
        while column < len(line):
            char = line[column]
            if quote == '"' and char == "\\":
                column += 2
                continue
            if char == quote:
                if quote == "'" and line[column + 1 : column + 2] == "'":
                    column += 2
                    continue
                return number + 1
            column += 1
        number += 1
        column = 0
    return None


def _open_quote(lines: list[str], at: int) -> Hint | None:
    """A quote opened above the error whose text runs on to the error's line or the end."""
    for opened, closed in reversed(_quoted_spans(lines)):
        if opened < at and (closed is None or closed >= at):
            quote = _QUOTED_VALUE.match(lines[opened - 1]).group(1)
            return Hint(opened, f"the quote {quote} that opens on this line is not closed on it, so YAML reads on to line {at}: add {quote} at the end of its text")
    return None


def _indentation(lines: list[str], at: int) -> Hint | None:
    """The last line up to ``at`` whose indentation matches no open block, with what it should be."""
    inside = {n for opened, closed in _quoted_spans(lines) for n in range(opened + 1, (closed or len(lines)) + 1)}
    levels: list[tuple[int, str]] = [(0, "line 1")]  # each open block: its indentation, and where a line has it
    opens = True  # the line before ends with ':' or '-', so this one may start a block
    block_scalar: int | None = None  # indentation of a '|' or '>' line: deeper lines are its text
    found = None
    for number, line in enumerate(lines[:at], start=1):
        content = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if not content or content.startswith("#") or number in inside or line.lstrip(" ").startswith("\t"):
            continue
        if block_scalar is not None and indent > block_scalar:
            continue
        block_scalar = None
        here = _where(content, number)
        if indent > levels[-1][0]:
            if not opens and _KEY_OR_ITEM.match(content):
                level, like = levels[-1]
                found = Hint(number, f"this line is indented {_spaces(indent)}, deeper than {like}, which has its value, so YAML cannot tell where it belongs: {_indent_by(level, like)}")
            levels.append((indent, here))
        else:
            deeper = None
            while indent < levels[-1][0]:
                deeper = levels.pop()
            if indent != levels[-1][0]:
                options = [_indent_by(level, like) for level, like in ([deeper] if deeper else []) + [levels[-1]]]
                found = Hint(number, f"this line is indented {_spaces(indent)}, which matches no line above it: {', or '.join(options)}")
            levels[-1] = (indent, here)  # siblings share a level; name the nearest in messages
        dashes = re.match(r"(?:-\s+)+", content)
        if dashes and content[dashes.end() :]:
            levels.append((indent + dashes.end(), _where(content[dashes.end() :], number)))
        value = re.sub(r"\s+#.*$", "", content)
        opens = value.endswith(":") or value == "-"
        if _BLOCK_SCALAR.search(value):
            block_scalar = indent
    return found


def _where(content: str, number: int) -> str:
    """A line as a volunteer finds it: "'title' on line 3" for a key, else "line 3"."""
    key = re.match(r"([^\s\"'#:-][^:#]{0,30}?):(?:\s|$)", content)
    if key:
        return f"{key.group(1).strip()!r} on line {number}"
    return f"the '-' on line {number}" if content.startswith("-") else f"line {number}"


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _indent_by(level: int, like: str) -> str:
    return f"indent it by {_spaces(level)} like {like}" if level else f"start it at the left edge like {like}"
