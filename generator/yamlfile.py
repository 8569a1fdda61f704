"""YAML loading that remembers the line of every key and list item."""

from __future__ import annotations

import yaml

from . import yamlhints
from .errors import KyrError, Problem


class Mapping(dict):
    """A YAML mapping whose keys know the line they were written on."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[object, int] = {}

    def line_of(self, key: object) -> int:
        return self.lines.get(key, self.line)


class Sequence(list):
    """A YAML list whose items know the line they start on."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser is ~10x faster
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise yaml.MarkedYAMLError(problem="a key must be plain text", problem_mark=key_node.start_mark) from None
        if key in result.lines:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence()
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.lines.append(item.start_mark.line + 1)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(text: str, path: str, first_line: int = 1) -> object:
    """Parse YAML text; a syntax error becomes a Problem at its line in ``path``."""
    # Blank lines in front keep every line number as it is in the whole file.
    padded = "\n" * (first_line - 1) + text
    try:
        return yaml.load(padded, Loader=_Loader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        hint = yamlhints.explain(padded, exc)
        if hint is not None:
            raise KyrError(Problem(path, hint.line, f"YAML: {hint.message}")) from None
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else first_line
        raise KyrError(Problem(path, line, f"YAML: {exc.problem or exc.context}")) from None
    except yaml.YAMLError as exc:
        raise KyrError(Problem(path, first_line, f"YAML: {exc}")) from None
