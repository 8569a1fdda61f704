"""Benefit offices for the notices, from content/offices.csv or content/offices.xlsx.

Every cell is checked and a mistake names its cell. A list with mistakes stops only the
notices: the pack's other documents do not depend on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import hours, tables
from .errors import KyrError, Problem, display_path
from .ids import ID_RE
from .languages import is_code

COLUMNS = ("id", "name", "address", "phone", "hours")
FILES = ("offices.csv", "offices.xlsx")
SHEET = "Offices"  # the worksheet read from a workbook with several
_NAME_IN = re.compile(r"^name_(\w+)$", flags=re.I)


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    address: str
    phone: str
    hours: hours.Hours
    names: tuple[tuple[str, str], ...] = ()  # (language, the office's name in it), from name_LANG columns
    where: int | str | None = field(default=None, compare=False, repr=False)  # its hours cell, for messages

    def name_in(self, lang: str) -> str:
        return dict(self.names).get(lang) or self.name


@dataclass(frozen=True)
class OfficeList:
    path: str = "content/offices.csv"  # the file read, as messages show it
    offices: tuple[Office, ...] = ()
    problems: tuple[Problem, ...] = ()  # errors: no notice is built until they are fixed
    notes: tuple[Problem, ...] = ()  # warnings: how the file was read, columns nothing prints


def load(content: Path, root: Path, languages: tuple[str, ...]) -> OfficeList:
    """The offices in ``content``; none when the pack has no office list."""
    found = [content / name for name in FILES if (content / name).is_file()]
    others = sorted(p for p in content.glob("offices.*") if p.name not in FILES and p.is_file())
    notes = tuple(Problem(display_path(p, root), None, f"not read: offices are read from {' or '.join(f'content/{n}' for n in FILES)}", "warning") for p in others)
    if not found:
        return OfficeList(notes=notes)
    shown = display_path(found[0], root)
    if len(found) > 1:
        return OfficeList(shown, problems=(Problem(display_path(found[1], root), None, f"there is also {shown}: keep one office list and remove the other"),), notes=notes)
    try:
        if found[0].suffix == ".xlsx":
            table = tables.read_xlsx(found[0], shown, SHEET)
        else:
            table = tables.read_csv(found[0].read_bytes(), shown)
    except KyrError as exc:
        return OfficeList(shown, problems=tuple(exc.problems), notes=notes)
    except OSError as exc:
        return OfficeList(shown, problems=(Problem(shown, None, f"cannot read: {exc.strerror}"),), notes=notes)
    result = from_table(table, languages)
    return OfficeList(result.path, result.offices, result.problems, notes + result.notes)


def from_table(table: tables.Table, languages: tuple[str, ...] = ()) -> OfficeList:
    """The offices a table lists, every cell checked; ``languages`` are the pack's, for name_LANG columns."""
    problems: list[Problem] = []
    notes = list(table.notes)
    if not table.rows:
        return OfficeList(table.path, notes=tuple(notes))
    header = table.rows[0]
    columns = _columns(table, header, problems, notes, languages)
    if columns is None:
        return OfficeList(table.path, problems=tuple(problems), notes=tuple(notes))
    offices = []
    seen: set[str] = set()
    for row in table.rows[1:]:
        office = _office(table, row, columns, len(header.cells), problems)
        if office is None:
            continue
        if office.id in seen:
            problems.append(Problem(table.path, table.where(row, columns["id"]), f"office id {office.id!r} is used twice"))
        seen.add(office.id)
        offices.append(office)
    # A list with mistakes gives no offices: every notice waits, rather than some of them.
    return OfficeList(table.path, () if problems else tuple(offices), tuple(problems), tuple(notes))


def _columns(table: tables.Table, header: tables.Row, problems: list[Problem], notes: list[Problem], languages: tuple[str, ...]) -> dict[str, int] | None:
    """Where each column is: its name, or "name_es" for a name in a language; None when the header is wrong."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header.cells):
        name = cell.strip()
        where = table.where(header, index)
        language = _NAME_IN.match(name)
        if name.lower() in COLUMNS:
            name = name.lower()
        elif language and is_code(language[1]):
            name = f"name_{language[1]}"
            if language[1] not in languages:
                notes.append(Problem(table.path, where, f"column {name!r} is for {language[1]!r}, which is not in 'languages' in content/pack.yaml, so nothing prints it", "warning"))
        elif name:
            problems.append(Problem(table.path, where, f"unknown column {name!r}; offices have the columns {','.join(COLUMNS)}, and name_LANG (name_es) for a name in another language"))
            continue
        else:
            continue
        if name in columns:
            problems.append(Problem(table.path, where, f"column {name!r} is there twice"))
        columns[name] = index
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        found = ",".join(cell.strip() for cell in header.cells)
        problems.append(Problem(table.path, table.where(header, 0), f"the first row must be the columns {','.join(COLUMNS)} (name_es and the like may follow); missing: {', '.join(missing)}; found: {found}"))
    return None if problems else columns


def _office(table: tables.Table, row: tables.Row, columns: dict[str, int], width: int, problems: list[Problem]) -> Office | None:
    # Excel leaves out a row's empty cells at its end, so only a CSV row must have every column.
    if table.sheet is None and len(row.cells) != width:
        hint = ": is there a ',' inside a value without quotes around it?" if len(row.cells) > width else ""
        problems.append(Problem(table.path, row.number, f"expected {width} columns ({','.join(c.strip() for c in table.rows[0].cells)}), got {len(row.cells)}{hint}"))
        return None
    for index in range(width, len(row.cells)):
        if row.cells[index].strip():
            problems.append(Problem(table.path, table.where(row, index), "a value in a column with no name in the first row"))
            return None

    def cell(name: str) -> str:
        index = columns[name]
        return row.cells[index].strip() if index < len(row.cells) else ""

    def fail(name: str, message: str) -> None:
        problems.append(Problem(table.path, table.where(row, columns[name]), message))

    before = len(problems)
    office_id = cell("id")
    if not ID_RE.match(office_id):
        fail("id", f"office id must be lowercase letters, digits, '-' or '_', got {office_id!r}")
    if not cell("name"):
        fail("name", f"office {office_id!r} has no name")
    try:
        parsed = hours.parse(cell("hours"))
    except hours.HoursError as exc:
        fail("hours", f"hours of {office_id!r}: {exc}")
        parsed = hours.Hours()
    names = tuple((name[len("name_") :], cell(name)) for name in columns if name.startswith("name_") and cell(name))
    office = Office(office_id, cell("name"), cell("address"), cell("phone"), parsed, names, table.where(row, columns["hours"]))
    return office if len(problems) == before else None
