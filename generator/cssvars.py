"""Custom properties that only `:root` sets are constants: their values are put in place before
WeasyPrint parses a document's stylesheets.

WeasyPrint resolves every var() again for each element it styles, parsing a colour each time:
2-3% of a one-page notice. A browser keeps the variables (the online edition links the same
palette), and a property that any other rule sets, or whose value uses var() itself, stays a variable.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import tinycss2

_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']([^"']+)["']""")
_DECLARED = re.compile(r"(--[\w-]+)\s*:")
_USED = re.compile(r"var\(\s*(--[\w-]+)\s*\)")


def constants(sheets: Iterable[str]) -> dict[str, str]:
    """Custom property -> value, for those declared only in top-level `:root` rules (the last
    one wins, as in the cascade) with a value that is not itself a variable."""
    values: dict[str, str] = {}
    at_root: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    for text in sheets:
        anywhere.update(_DECLARED.findall(text))
        for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
            if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != ":root":
                continue
            for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration" and declaration.name.startswith("--"):
                    values[declaration.name] = tinycss2.serialize(declaration.value).strip()
                    at_root[declaration.name] += 1
    return {name: value for name, value in values.items() if anywhere[name] == at_root[name] and value and "var(" not in value and "!" not in value}


def imports(text: str) -> list[str]:
    """The stylesheets ``text`` imports, as written."""
    return _IMPORT.findall(text)


def resolve(text: str, values: dict[str, str]) -> str:
    """``text`` with each var() of a constant replaced by its value."""
    return _USED.sub(lambda match: values.get(match.group(1), match.group(0)), text)
