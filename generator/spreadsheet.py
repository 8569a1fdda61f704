"""Spreadsheets for translators: a language's catalogs out to .xlsx or .csv, and back in.

The sheet is a view of the .po files, never a second source. Each row names its unit by
catalog, context and English; import matches rows to catalog entries, runs every check a .po
translation must pass, and writes the catalogs only when the whole file is valid and something
changed, so an unedited round trip leaves them byte-identical. Cells are text both ways: a
text that looks like a formula is exported as text, and a formula found on import is refused.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from . import catalogs, glossary, languages, tables
from .errors import KyrError, Problem, display_path
from .extract import DOMAINS, describe
from .files import write_atomic
from .i18n import markup_problems

FORMATS = ("xlsx", "csv")
STATES = ("translated", "fuzzy", "untranslated")
FIELDS = ("context", "where", "english", "previous", "translation", "notes", "state")  # column order
_TITLES = {"context": "context", "where": "where it prints", "english": "English", "previous": "previous English, if fuzzy", "notes": "notes and glossary", "state": "state"}
_LOCKED = " (do not edit)"
_TRANSLATION = re.compile(r"^translation \((.*)\)$")
CATALOG_TITLE = "catalog" + _LOCKED  # the csv's first column; an xlsx has one sheet per catalog
ABOUT_SHEET = "read me"

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# In a csv, such a text is written after an apostrophe, which spreadsheets show and never run.
# Texts that already start with apostrophes before one of them get one more, so reading back
# (remove one apostrophe) gives every text exactly as it was.
_CSV_QUOTED = re.compile(r"^'*[=+\-@\t\r]")
_CSV_UNQUOTE = re.compile(r"^'+[=+\-@\t\r]")
# Characters an .xlsx (XML) cannot hold, and line separators a .po cannot: polib writes
# U+0085, U+2028 and U+2029 as they are, and reading back splits the line there.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufffe\uffff]")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # what Excel writes when a file has a password, or is .xls
_MAX_BYTES = 20 * 1024 * 1024  # far above a real export (about 100 KiB); guards against zip bombs


def header(lang: str, catalog_column: bool = False) -> tuple[str, ...]:
    """The header row: every column but the translation says it must not be edited."""
    titles = tuple(f"translation ({lang})" if name == "translation" else _TITLES[name] + _LOCKED for name in FIELDS)
    return (CATALOG_TITLE, *titles) if catalog_column else titles


@dataclass(frozen=True)
class Row:
    """One unit as the translator sees it."""

    catalog: str  # "content" or "templates"
    context: str  # "" for a template string without one
    where: str  # the outputs that print it
    english: str
    previous: str  # the English the fuzzy translation was made for
    translation: str
    notes: str
    state: str  # one of STATES

    def cells(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in FIELDS)


def _state(entry: polib.POEntry) -> str:
    return "fuzzy" if entry.fuzzy else "translated" if entry.msgstr else "untranslated"


def _label(catalog: str, context: str | None, english: str) -> str:
    """How messages name a unit: "q07.body.3", or a template string's context and English."""
    if catalog == "content":
        return context or ""
    return f"{context}: {english[:50]!r}"


# Export


def _parse_only(only: str | Iterable[str] | None) -> tuple[str, ...]:
    if only is None:
        return STATES
    wanted = tuple(part.strip() for part in (only.split(",") if isinstance(only, str) else only) if part.strip())
    unknown = [state for state in wanted if state not in STATES]
    if unknown or not wanted:
        raise KyrError(Problem("command line", None, f"--only takes {', '.join(STATES)} (comma-separated), got {', '.join(map(repr, unknown)) or 'nothing'}"))
    return wanted


def _format_of(output: Path, fmt: str | None) -> str:
    suffix = output.suffix.lower().lstrip(".")
    if fmt is not None and fmt not in FORMATS:
        raise KyrError(Problem("command line", None, f"--format must be {' or '.join(FORMATS)}, got {fmt!r}"))
    if fmt and suffix in FORMATS and suffix != fmt:
        raise KyrError(Problem("command line", None, f"--format {fmt} does not match the file name {output.name!r}; name it '{output.stem}.{fmt}'"))
    return fmt or (suffix if suffix in FORMATS else "xlsx")


def _where_printed(pack, lang: str) -> dict[str, str]:
    """Unit context -> the outputs that print it in ``lang`` (as the review packet lists them).

    Every edition is rendered to HTML with English stand-ins: which units print depends on the
    templates and the pack's document lists, never on the translations, so a catalog that is
    unfinished or broken cannot hide a unit.
    """
    from .i18n import localize
    from .packet import printed_by

    english = localize(pack, pack.source_language)
    stand_ins = {code: replace(english, lang=code) for code in pack.languages}
    return {context: ", ".join(labels) for context, labels in printed_by(pack, stand_ins, lang).items()}


def _templates_where(entry: polib.POEntry) -> str:
    files = dict.fromkeys(name.removeprefix("templates/") for name, _ in entry.occurrences)
    return "every document whose template uses " + ", ".join(files) if files else "the templates"


def _current(root: Path, pack) -> dict[str, set]:
    """What each catalog must hold to be up to date with the content and templates."""
    from .extract import template_messages

    return {"content": {(unit.context, unit.source) for unit in pack.units()}, "templates": set(template_messages(root))}


def rows(root: Path, lang: str, only: str | Iterable[str] | None = None) -> list[Row]:
    """The rows of ``lang``'s catalogs whose state is in ``only`` (default: all), content first."""
    from .content import load_pack

    root = Path(root)
    languages.validate(lang)
    wanted = _parse_only(only)
    pack = load_pack(root)
    if lang == pack.source_language or lang not in pack.languages:
        others = [code for code in pack.languages if code != pack.source_language]
        raise KyrError(Problem("command line", None, f"--lang {lang!r} is not a translation of this pack; it has: {', '.join(others) or 'none (kyr i18n init LANG)'}"))
    where = _where_printed(pack, lang)
    current = _current(root, pack)
    terms = glossary.load(root)
    found: list[Row] = []
    for domain in DOMAINS:
        path = catalogs.po_path(root, lang, domain)
        shown = display_path(path, root)
        live = [entry for entry in catalogs.read(path, root) if not entry.obsolete]
        missing = current[domain] - {(entry.msgctxt, entry.msgid) for entry in live}
        if missing:
            example = _label(domain, *sorted(missing, key=str)[0])
            raise KyrError(Problem(shown, None, f"out of date with the {domain} ({len(missing)} unit(s), e.g. {example}): run 'kyr i18n update' first, so nobody translates old English"))
        for entry in live:
            if entry.msgid_plural:
                raise KyrError(Problem(shown, entry.linenum, f"{_label(domain, entry.msgctxt, entry.msgid)} has plural forms, which a spreadsheet row cannot hold: translate it in the .po"))
            for text in (entry.msgid, entry.msgstr, entry.previous_msgid or ""):
                if bad := _CONTROL.search(text):
                    raise KyrError(Problem(shown, entry.linenum, f"{_label(domain, entry.msgctxt, entry.msgid)} holds a control character (U+{ord(bad.group()):04X}) a spreadsheet cannot keep; remove it in the .po"))
            state = _state(entry)
            if state not in wanted:
                continue
            context = entry.msgctxt or ""
            notes = [describe(context)] if domain == "content" else []
            # From the glossary as it is now, rather than the wrapped copy in the .po's comments.
            notes += glossary.notes(terms, entry.msgid)
            notes += [entry.tcomment] if entry.tcomment else []
            printed = where.get(context, "not printed by any document") if domain == "content" else _templates_where(entry)
            previous = (entry.previous_msgid or "") if entry.fuzzy else ""
            found.append(Row(domain, context, printed, entry.msgid, previous, entry.msgstr, "\n".join(notes), state))
    return found


@dataclass(frozen=True)
class Exported:
    path: Path
    format: str
    counts: dict[str, int]  # rows per catalog


def export(root: Path, lang: str, output: Path, fmt: str | None = None, only: str | Iterable[str] | None = None) -> Exported:
    """Write ``lang``'s catalogs to ``output`` as one row per unit (xlsx: one sheet per catalog)."""
    output = Path(output)
    fmt = _format_of(output, fmt)
    found = rows(root, lang, only)
    data = _xlsx_bytes(found, lang) if fmt == "xlsx" else _csv_bytes(found, lang)
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise KyrError(Problem(str(output), None, f"cannot write: {exc.strerror or exc}")) from None
    return Exported(output, fmt, {domain: sum(1 for row in found if row.catalog == domain) for domain in DOMAINS})


def _csv_cell(text: str) -> str:
    return "'" + text if _CSV_QUOTED.match(text) else text


def _csv_bytes(found: list[Row], lang: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(lang, catalog_column=True))
    writer.writerows([_csv_cell(cell) for cell in (row.catalog, *row.cells())] for row in found)
    # With a BOM, Excel opens the file as UTF-8 and shows accents as they are.
    return buffer.getvalue().encode("utf-8-sig")


_WIDTHS = {"context": 16, "where": 28, "english": 60, "previous": 45, "translation": 60, "notes": 45, "state": 13}


def _put_text(cell, text: str) -> None:
    if not text:
        return  # an empty cell, not an empty string
    cell.value = text
    cell.data_type = "s"  # openpyxl would store "=…" as a formula and "#N/A" as an error value
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True  # and a spreadsheet keeps it text even when someone edits the cell


def _xlsx_bytes(found: list[Row], lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    locked_fill = PatternFill("solid", fgColor="E7E6E6")
    open_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    titles = header(lang)
    book = Workbook()
    book.remove(book.active)
    for domain in DOMAINS:
        sheet = book.create_sheet(domain)
        mine = [row for row in found if row.catalog == domain]
        for column, (name, title) in enumerate(zip(FIELDS, titles, strict=True), start=1):
            editable = name == "translation"
            cell = sheet.cell(1, column)
            _put_text(cell, title)
            cell.font = Font(bold=True)
            cell.fill = open_fill if editable else locked_fill
            sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS[name]
            for number, row in enumerate(mine, start=2):
                cell = sheet.cell(number, column)
                _put_text(cell, getattr(row, name))
                cell.alignment = wrap
                if editable:
                    cell.protection = Protection(locked=False)
                    cell.number_format = "@"  # what a translator types stays text: "3/4" is no date
                    cell.fill = open_fill
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(FIELDS))}{len(mine) + 1}"
        # Locked cells cannot be edited; filtering (by state) and resizing stay allowed.
        sheet.protection.sheet = True
        sheet.protection.autoFilter = False
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
    about = book.create_sheet(ABOUT_SHEET)
    about.column_dimensions["A"].width = 110
    for number, line in enumerate(_about(lang), start=1):
        _put_text(about.cell(number, 1), line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about(lang: str) -> list[str]:
    return [
        f"Translation sheet for '{lang}', written by 'kyr i18n export'.",
        f"Translate in the yellow column 'translation ({lang})' only; the grey columns are locked.",
        "Keep [link text](addresses), **bold** marks and %(placeholders)s exactly as in the English.",
        "A fuzzy unit's English changed since it was translated: compare it with 'previous English', then edit the translation.",
        "An edited translation is no longer fuzzy. An emptied cell removes the translation.",
        "Formulas are refused: type text only.",
        "When done: kyr i18n import FILE. Nothing is written unless every row passes the checks.",
    ]


# Import


@dataclass(frozen=True)
class Cell:
    ref: str  # how a problem names it: "es.xlsx:content!E12"
    text: str


@dataclass(frozen=True)
class SheetRow:
    """The cells of one row that import reads: the rest is for the translator only."""

    catalog: str
    context: Cell
    english: Cell
    translation: Cell


@dataclass
class Imported:
    lang: str
    changed: int = 0  # translations added or edited
    refreshed: int = 0  # of those, units that were fuzzy and now are current
    cleared: int = 0  # translations removed by emptying the cell
    written: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _text(value: object) -> str:
    # Excel may save an in-cell line break as CRLF; catalogs hold LF.
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _language(cell: Cell, problems: list[Problem]) -> str | None:
    match = _TRANSLATION.match(cell.text)
    if not match:
        problems.append(Problem(cell.ref, None, f"expected the header 'translation (LANG)', got {cell.text!r}: keep the header row 'kyr i18n export' wrote"))
        return None
    try:
        return languages.validate(match.group(1), cell.ref)
    except KyrError as exc:
        problems += exc.problems
        return None


def _check_header(cells: list[Cell], lang: str | None, catalog_column: bool, problems: list[Problem]) -> None:
    expected = header(lang or "LANG", catalog_column)
    for position, want in enumerate(expected):
        got = cells[position] if position < len(cells) else None
        if want.startswith("translation ("):
            continue
        if got is None or got.text != want:
            where = got.ref if got is not None else cells[0].ref if cells else "row 1"
            problems.append(Problem(where, None, f"expected the header {want!r}, got {got.text if got else 'nothing'!r}: keep the header row 'kyr i18n export' wrote"))
            return


def _read_csv(data: bytes, shown: str) -> tuple[str | None, list[SheetRow], list[Problem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KyrError(Problem(shown, None, "not UTF-8 text: save it as 'CSV UTF-8' (Excel) or with the UTF-8 character set")) from None
    # Excel in a Spanish (or French, German…) setting saves csv with semicolons.
    for delimiter in (",", ";", "\t"):
        try:
            table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
        except csv.Error as exc:
            raise KyrError(Problem(shown, None, f"not a valid csv file: {exc}")) from None
        if table and len(table[0]) > 1 and table[0][0] == CATALOG_TITLE:
            break
    else:
        raise KyrError(Problem(f"{shown}:A1", None, f"expected the header row 'kyr i18n export' writes, starting with {CATALOG_TITLE!r}: export again"))

    def cell(number: int, index: int, values: list[str]) -> Cell:
        raw = values[index] if index < len(values) else ""
        return Cell(f"{shown}:{tables.column_letter(index)}{number}", _text(raw[1:] if _CSV_UNQUOTE.match(raw) else raw))

    problems: list[Problem] = []
    titles = [cell(1, index, table[0]) for index in range(len(table[0]))]
    position = {name: FIELDS.index(name) + 1 for name in FIELDS}
    lang = _language(titles[position["translation"]], problems) if len(titles) > position["translation"] else None
    _check_header(titles, lang, True, problems)
    if problems:
        raise KyrError(problems)
    found = []
    for number, values in enumerate(table[1:], start=2):
        if not any(value.strip() for value in values):
            continue
        catalog = cell(number, 0, values)
        if catalog.text not in DOMAINS:
            problems.append(Problem(catalog.ref, None, f"catalog must be {' or '.join(DOMAINS)}, got {catalog.text!r}"))
            continue
        found.append(SheetRow(catalog.text, *(cell(number, position[name], values) for name in ("context", "english", "translation"))))
    return lang, found, problems


def _check_zip(data: bytes, shown: str) -> None:
    """Refuse an .xlsx that would unpack to far more than any export (a zip bomb), or whose
    archive is damaged, before openpyxl reads it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > 10 * _MAX_BYTES:
                raise KyrError(Problem(shown, None, f"unpacks to {unpacked // 2**20} MiB, far more than a translation sheet: export it again"))
            damaged = archive.testzip()  # reads every member: checksums, compression, encryption
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        # zipfile raises NotImplementedError for an unknown compression, RuntimeError for an encrypted member.
        damaged = " ".join(str(exc).split())
    if damaged:
        raise KyrError(Problem(shown, None, f"not a readable .xlsx file (damaged: {damaged}): save it from the spreadsheet as .xlsx"))


def _xlsx_cell(cell, ref: str, problems: list[Problem]) -> Cell | None:
    """The text of a cell; a formula, number, date or error value is a problem, never evaluated."""
    value = cell.value
    if cell.data_type == "f":
        formula = value if isinstance(value, str) else getattr(value, "text", None) or "an array or table formula"
        problems.append(Problem(ref, None, f"formulas are not allowed: {formula}; type the text itself"))
        return None
    if value is None:
        return Cell(ref, "")
    if isinstance(value, str) and cell.data_type in ("s", "inlineStr"):
        return Cell(ref, _text(value))
    what = "an error value" if cell.data_type == "e" else "a date" if cell.is_date else "a number or true/false"
    problems.append(Problem(ref, None, f"holds {what} ({value!r}), not text: format the cell as Text and type it again"))
    return None


def _read_xlsx(data: bytes, shown: str) -> tuple[str | None, list[SheetRow], list[Problem]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(data, shown)
    try:
        # data_only=False: a formula is read as its text, so it can be refused, never its value.
        book = load_workbook(io.BytesIO(data), data_only=False, keep_links=False, keep_vba=False)
    except (InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, AttributeError, IndexError, OSError, SyntaxError) as exc:
        # openpyxl reports a damaged file in many ways (found by fuzzing); SyntaxError covers XML parse errors.
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]  # one line, however openpyxl words it
        raise KyrError(Problem(shown, None, f"not a readable .xlsx file ({reason}): save it from the spreadsheet as .xlsx")) from None
    sheets = [name for name in DOMAINS if name in book.sheetnames]
    if not sheets:
        raise KyrError(Problem(shown, None, f"has no sheet named {' or '.join(map(repr, DOMAINS))}: import the file 'kyr i18n export' wrote"))
    problems: list[Problem] = []
    langs: dict[str, str] = {}
    found: list[SheetRow] = []
    for name in sheets:
        sheet = book[name]
        grid = list(sheet.iter_rows())
        cells = [[_xlsx_cell(cell, f"{shown}:{name}!{cell.coordinate}", problems) for cell in row] for row in grid]
        titles = [cell or Cell(f"{shown}:{name}!{tables.column_letter(index)}1", "") for index, cell in enumerate(cells[0] if cells else [])]
        if not titles:
            problems.append(Problem(f"{shown}:{name}!A1", None, "the header row is missing: import the file 'kyr i18n export' wrote"))
            continue
        position = {field_name: FIELDS.index(field_name) for field_name in FIELDS}
        lang = _language(titles[position["translation"]], problems) if len(titles) > position["translation"] else None
        _check_header(titles, lang, False, problems)
        if lang:
            langs[name] = lang
        for number, row in enumerate(cells[1:], start=2):
            wanted = [row[position[key]] if position[key] < len(row) else Cell(f"{shown}:{name}!{tables.column_letter(position[key])}{number}", "") for key in ("context", "english", "translation")]
            if any(cell is None for cell in wanted) or not any(cell and cell.text.strip() for cell in row):
                continue  # a refused cell (already reported) or an empty row
            found.append(SheetRow(name, *wanted))
    if len(set(langs.values())) > 1:
        problems.append(Problem(shown, None, f"its sheets are for different languages: {', '.join(f'{sheet}: {lang}' for sheet, lang in langs.items())}"))
    return next(iter(langs.values()), None), found, problems


def _merge(po: polib.POFile, lang: str, rows_: list[SheetRow], terms, result: Imported, seen: dict) -> tuple[bool, list[Problem]]:
    """Apply the rows of one catalog to ``po``; returns whether it changed, and the problems."""
    live = [entry for entry in po if not entry.obsolete]
    by_key = {(entry.msgctxt, entry.msgid): entry for entry in live}
    by_context = {entry.msgctxt: entry for entry in live}
    problems: list[Problem] = []
    changed = False
    for row in rows_:
        context = row.context.text or None
        key = (context, row.english.text)
        label = _label(row.catalog, context, row.english.text)
        entry = by_key.get(key)
        if entry is None:
            if row.catalog == "content" and context in by_context:
                problems.append(Problem(row.english.ref, None, f"{label}: this is not the catalog's English any more (the content changed since the export, or the cell was edited): export again"))
            else:
                problems.append(Problem(row.context.ref, None, f"{label} is not a unit of the {row.catalog} catalog: export again"))
            continue
        if (row.catalog, key) in seen:
            problems.append(Problem(row.context.ref, None, f"{label} is in this file twice (also {seen[row.catalog, key]})"))
            continue
        seen[row.catalog, key] = row.context.ref
        translation = row.translation.text if row.translation.text.strip() else ""
        if translation == entry.msgstr:
            continue  # unedited: a fuzzy unit stays fuzzy until someone edits its translation
        if bad := _CONTROL.search(translation):
            problems.append(Problem(row.translation.ref, None, f"{label}: holds a control character or line separator (U+{ord(bad.group()):04X}) a catalog cannot keep; type the text again"))
            continue
        if translation:
            found = markup_problems(entry.msgid, translation)
            problems += [Problem(row.translation.ref, None, f"{label}: {problem}") for problem in found]
            if found:
                continue
            result.warnings += [Problem(row.translation.ref, None, f"{label}: {glossary.advice(term, lang)}", "warning") for term in glossary.misses(terms, lang, entry.msgid, translation)]
            result.changed += 1
            result.refreshed += 1 if entry.fuzzy else 0
        else:
            result.cleared += 1
        entry.msgstr = translation
        if entry.fuzzy:
            # A translator who writes the translation has read the new English.
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = None
        changed = True
    return changed, problems


def import_sheet(root: Path, file: Path) -> Imported:
    """Merge a translator's spreadsheet back into its language's catalogs, all or nothing."""
    root, file = Path(root), Path(file)
    shown = str(file)
    try:
        if file.stat().st_size > _MAX_BYTES:
            raise KyrError(Problem(shown, None, f"is {file.stat().st_size // 2**20} MiB, far more than a translation sheet: import the file 'kyr i18n export' wrote"))
        data = file.read_bytes()
    except OSError as exc:
        raise KyrError(Problem(shown, None, f"cannot read: {exc.strerror or exc}")) from None
    # Known by its content, not its name: an .xlsx is a zip archive.
    if data[:8] == _OLE:
        raise KyrError(Problem(shown, None, "a password-protected or old (.xls) Excel file: save it as .xlsx without a password"))
    lang, found, problems = _read_xlsx(data, shown) if data[:4] == b"PK\x03\x04" else _read_csv(data, shown)
    if lang is None:
        raise KyrError(problems or Problem(shown, None, "no language in the header: import the file 'kyr i18n export' wrote"))
    result = Imported(lang)
    terms = glossary.load(root)
    seen: dict = {}
    changed: dict[str, polib.POFile] = {}
    for domain in DOMAINS:
        mine = [row for row in found if row.catalog == domain]
        if not mine:
            continue
        path = catalogs.po_path(root, lang, domain)
        po = catalogs.read(path, root)
        edited, more = _merge(po, lang, mine, terms, result, seen)
        problems += more
        if edited:
            changed[domain] = po
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise KyrError([*errors, *result.warnings])
    for domain, po in changed.items():
        catalogs.save(po, catalogs.po_path(root, lang, domain))
        result.written.append(catalogs.po_path(root, lang, domain))
    return result
