"""Tables volunteers keep in Excel, read as rows of text that know their place in the file.

A CSV file is read as Excel saves it: "CSV UTF-8" (a byte-order mark, CRLF) or plain "CSV",
which is Windows-1252 on Western-language Windows. An .xlsx workbook is read with openpyxl.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from . import textfile
from .errors import KyrError, Problem

SAVE_AS_CSV_UTF8 = "in Excel: File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"
_SEPARATORS = {";": "semicolons (';')", "\t": "tabs"}


@dataclass(frozen=True)
class Row:
    number: int  # the line a CSV row starts on; the row number in a workbook
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    path: str  # as messages show it: "content/offices.csv"
    rows: tuple[Row, ...]  # the header first; blank rows are left out
    sheet: str | None = None  # the worksheet read, for a workbook
    notes: tuple[Problem, ...] = ()  # warnings about how the file was read

    def where(self, row: Row, column: int) -> int | str:
        """A cell's place in messages: its line in a CSV, "Offices!B7" in a workbook."""
        if self.sheet is None:
            return row.number
        sheet = self.sheet if re.fullmatch(r"\w+", self.sheet) else "'" + self.sheet.replace("'", "''") + "'"
        return f"{sheet}!{column_letter(column)}{row.number}"


def column_letter(index: int) -> str:
    """Excel's name for the column at ``index`` (0 is A, 26 is AA)."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_csv(data: bytes, shown: str) -> Table:
    """A CSV file's rows; a KyrError when it cannot be read as a comma-separated table."""
    notes = []
    try:
        text = textfile.decode(data)
    except UnicodeDecodeError as error:
        try:
            text = textfile.decode(data, textfile.WINDOWS_1252)
        except UnicodeDecodeError:
            raise KyrError(textfile.not_utf8(data, error, shown, f"save it as CSV UTF-8: {SAVE_AS_CSV_UTF8}")) from None
        notes.append(Problem(shown, None, f"read as Windows-1252 (Excel's plain 'CSV'), as it is not UTF-8; check its accents in the notices, or save it as CSV UTF-8: {SAVE_AS_CSV_UTF8}", "warning"))
    reader = csv.reader(io.StringIO(text))
    rows = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(Row(start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise KyrError(Problem(shown, start, f"not a CSV row: {exc}")) from None
    if rows and len(rows[0].cells) == 1:
        header = rows[0].cells[0]
        for separator, name in _SEPARATORS.items():
            if separator in header:
                raise KyrError(
                    Problem(
                        shown,
                        rows[0].number,
                        f"the columns are separated by {name}, not commas: found {header!r}; "
                        "save it from Excel as offices.xlsx (Excel Workbook) instead, which is read as it is, or replace those separators with commas",
                    )
                )
    return Table(shown, tuple(rows), notes=tuple(notes))


def read_xlsx(path: Path, shown: str, sheet: str) -> Table:
    """The rows of the worksheet named ``sheet``, or of the only one, as text."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():  # openpyxl warns about Excel features it skips, such as data validation
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise KyrError(Problem(shown, None, f"cannot read this workbook ({exc}); open it in Excel and save it as 'Excel Workbook (*.xlsx)'")) from None
    names = {name.lower(): name for name in workbook.sheetnames}
    if sheet.lower() in names:
        worksheet = workbook[names[sheet.lower()]]
    elif len(workbook.sheetnames) == 1:
        worksheet = workbook.worksheets[0]
    else:
        raise KyrError(Problem(shown, None, f"it has the sheets {', '.join(workbook.sheetnames)}; name the one to read {sheet!r}"))
    rows = []
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        cells = [_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            rows.append(Row(number, tuple(cells)))
    return Table(shown, tuple(rows), sheet=worksheet.title)


def _text(value: object) -> str:
    """A cell's value as the text Excel shows for it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)
