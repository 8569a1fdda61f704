"""Office lists as volunteers keep them: Excel's CSV flavours or a workbook, and the notices they make."""

from __future__ import annotations

import codecs
import csv
import io

import openpyxl
import pytest
from helpers import edit, text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import tables
from generator.checks import check_pack
from generator.content import load_pack
from generator.offices import from_table

HEADER = ["id", "name", "address", "phone", "hours"]
ROW = ["example-pulaski", "EXAMPLE Oficina de Peña", "1 Example Rd, Little Rock, AR", "(501) 555-0110", "Mon-Fri 08:00-16:30"]


def csv_bytes(rows, encoding: str = "utf-8", bom: bool = False, newline: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode(encoding)


def workbook(path, rows, sheet: str = "Offices") -> None:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)


def notice(root, office="example-pulaski", lang="en") -> str:
    return text(root / "output" / lang / "notices" / f"{office}.pdf")


def test_excel_csv_utf8_with_its_byte_order_mark_and_crlf_builds(mini, run):
    (mini / "content/offices.csv").write_bytes(csv_bytes([HEADER, ROW], bom=True))
    result = run("build", "--project", str(mini), "--doc", "notice")
    assert result.exit_code == 0, result.output
    assert "EXAMPLE Oficina de Peña" in notice(mini)
    assert "Monday to Friday, 8:00 AM to 4:30 PM" in notice(mini)


def test_excel_plain_csv_in_windows_1252_builds_and_says_so_once(mini, run):
    (mini / "content/offices.csv").write_bytes(csv_bytes([HEADER, ROW], encoding="cp1252"))
    result = run("build", "--project", str(mini), "--doc", "notice")
    assert result.exit_code == 0, result.output
    assert "EXAMPLE Oficina de Peña" in notice(mini)
    [line] = [line for line in result.output.splitlines() if "Windows-1252" in line]
    assert line == (
        "content/offices.csv: warning: read as Windows-1252 (Excel's plain 'CSV'), as it is not UTF-8; check its accents in the notices, "
        "or save it as CSV UTF-8: in Excel: File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"
    )


def test_a_csv_in_neither_encoding_says_how_to_save_it(mini):
    (mini / "content/offices.csv").write_bytes(csv_bytes([HEADER, ROW]) + b"bad,\x81\r\n")
    assert [str(p) for p in load_pack(mini).office_list.problems] == [
        "content/offices.csv:3: not UTF-8 text: byte 0x81 cannot be read; save it as CSV UTF-8: in Excel: File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"
    ]


def test_a_semicolon_separated_csv_says_what_was_found(mini):
    (mini / "content/offices.csv").write_bytes(csv_bytes([HEADER, ROW]).replace(b",", b";"))
    [problem] = [str(p) for p in load_pack(mini).office_list.problems]
    assert problem.startswith("content/offices.csv:1: the columns are separated by semicolons (';'), not commas: found 'id;name;address;phone;hours'; save it from Excel as offices.xlsx")


def test_a_bad_office_list_stops_only_the_notices(mini, run):
    assert run("build", "--project", str(mini)).exit_code == 0
    before = (mini / "output/en/notices/example-pulaski.pdf").read_bytes()
    edit(mini / "content/offices.csv", "Mon-Fri 08:00-16:30", "Mon-Fri 8-4:30")
    edit(mini / "content/rights.yaml", "Only the person applying gives status", "Only the applicant gives status")
    result = run("build", "--project", str(mini))
    assert result.exit_code == 1
    assert "content/offices.csv:2: hours of 'example-pulaski': '8' is not a time; write HH:MM on the 24-hour clock, like 08:00 or 16:30" in result.output
    assert "no notice is built until content/offices.csv is fixed; 1 notice(s) from an earlier build are kept as they were" in result.output
    assert sorted(line.split()[1] for line in result.output.splitlines() if line.startswith("wrote") and "/site/" not in line) == [
        str(mini / f"output/en/{doc}.pdf") for doc in ("booklet", "card", "handout", "poster")
    ]
    assert (mini / "output/en/notices/example-pulaski.pdf").read_bytes() == before
    assert "Only the applicant gives status" in text(mini / "output/en/handout.pdf")


def test_a_bad_office_list_does_not_fail_a_build_without_notices(mini, run):
    edit(mini / "content/offices.csv", "id,name", "id,nmae")
    assert run("build", "--project", str(mini), "--doc", "handout").exit_code == 0
    asked = run("build", "--project", str(mini), "--office", "example-pulaski")
    assert asked.exit_code == 1
    assert "content/offices.csv:1: unknown column 'nmae'" in asked.output


def test_the_first_row_names_what_is_missing_and_what_was_found(mini):
    edit(mini / "content/offices.csv", "id,name,address,phone,hours", "id,name,address,phone,opening")
    problems = [str(p) for p in load_pack(mini).office_list.problems]
    assert problems == [
        "content/offices.csv:1: unknown column 'opening'; offices have the columns id,name,address,phone,hours, and name_LANG (name_es) for a name in another language",
        "content/offices.csv:1: the first row must be the columns id,name,address,phone,hours (name_es and the like may follow); missing: hours; found: id,name,address,phone,opening",
    ]


def test_csv_row_with_wrong_columns_and_unsafe_ids_are_named_by_line(mini):
    with (mini / "content/offices.csv").open("a") as handle:
        handle.write("broken,row\n../../x,Name,Addr,Phone,Mon 08:00-12:00\nx2,Name,2 Rd, Rogers,Phone,Mon 08:00-12:00\n")
    assert [str(p) for p in load_pack(mini).office_list.problems] == [
        "content/offices.csv:3: expected 5 columns (id,name,address,phone,hours), got 2",
        "content/offices.csv:4: office id must be lowercase letters, digits, '-' or '_', got '../../x'",
        "content/offices.csv:5: expected 5 columns (id,name,address,phone,hours), got 6: is there a ',' inside a value without quotes around it?",
    ]


def test_an_xlsx_office_list_builds_its_notices(mini, run):
    (mini / "content/offices.csv").unlink()
    workbook(mini / "content/offices.xlsx", [HEADER, ROW, ["example-second", "EXAMPLE Second", "2 Example Rd", 5015550111, "Sat 09:00-12:00"]])
    result = run("build", "--project", str(mini), "--doc", "notice")
    assert result.exit_code == 0, result.output
    assert "EXAMPLE Oficina de Peña" in notice(mini)
    assert "5015550111" in notice(mini, "example-second") and "Saturday, 9:00 AM to 12:00 PM" in notice(mini, "example-second")


def test_an_xlsx_mistake_is_named_by_sheet_and_cell(mini, run):
    (mini / "content/offices.csv").unlink()
    rows = [HEADER, ROW, *([f"example-{n}", f"Office {n}", "Rd", "555", "Mon 08:00-12:00"] for n in range(2, 6)), ["example-7", None, "Rd", "555", "Mon 8am-12pm"]]
    workbook(mini / "content/offices.xlsx", rows)
    result = run("build", "--project", str(mini), "--doc", "notice")
    assert result.exit_code == 1
    assert "content/offices.xlsx:Offices!B7: office 'example-7' has no name" in result.output
    assert "content/offices.xlsx:Offices!E7: hours of 'example-7': '8am': use the 24-hour clock without AM or PM, like 16:30 for 4:30 PM" in result.output


def test_a_workbook_with_several_sheets_is_read_from_the_one_named_offices(mini):
    (mini / "content/offices.csv").unlink()
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Offices")
    for row in [HEADER, ROW]:
        sheet.append(row)
    book.save(mini / "content/offices.xlsx")
    assert [o.id for o in load_pack(mini).offices] == ["example-pulaski"]
    book.remove(sheet)
    book.create_sheet("List")
    book.save(mini / "content/offices.xlsx")
    assert [str(p) for p in load_pack(mini).office_list.problems] == ["content/offices.xlsx: it has the sheets Notes, List; name the one to read 'Offices'"]


def test_two_office_lists_are_one_too_many(mini):
    workbook(mini / "content/offices.xlsx", [HEADER, ROW])
    assert [str(p) for p in load_pack(mini).office_list.problems] == ["content/offices.xlsx: there is also content/offices.csv: keep one office list and remove the other"]


def test_a_spanish_notice_prints_hours_and_name_in_spanish(shipped, run):
    result = run("build", "--project", str(shipped), "--lang", "es", "--office", "example-washington")
    assert result.exit_code == 0, result.output
    body = notice(shipped, "example-washington", "es")
    assert "EJEMPLO - Oficina del DHS del condado de Washington" in body
    assert "Horario De lunes a viernes, de 8:00 a.m. a 4:30 p.m. Sábado, de 9:00 a.m. a 12:00 p.m." in body
    assert "Monday" not in body


def test_check_warns_when_a_translated_notice_prints_free_text_hours(shipped):
    edit(shipped / "content/offices.csv", "Mon-Fri 08:00-16:30; Sat 09:00-12:00", "text: Mon-Fri by appointment")
    warnings = [str(p) for p in check_pack(load_pack(shipped)) if "free text" in p.message]
    assert warnings == [
        "content/offices.csv:3: warning: the hours of example-washington are free text, so the es notices print them as written: 'Mon-Fri by appointment'; "
        "write them as days and times (Mon-Fri 08:00-16:30) to print them in every language"
    ]


def test_a_name_column_for_a_language_the_pack_does_not_build_is_a_warning(mini):
    edit(mini / "content/offices.csv", "phone,hours", "phone,hours,name_es")
    edit(mini / "content/offices.csv", "Mon-Fri 08:00-16:30", "Mon-Fri 08:00-16:30,Oficina")
    pack = load_pack(mini)
    assert pack.offices[0].name_in("es") == "Oficina" and pack.offices[0].name_in("en") == "EXAMPLE Pulaski County Office"
    assert [str(p) for p in pack.notes] == ["content/offices.csv:1: warning: column 'name_es' is for 'es', which is not in 'languages' in content/pack.yaml, so nothing prints it"]


# The reader: any table Excel could save comes back cell for cell, each row knowing its line.

cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from(",\"\n "), max_size=10)
table_rows = st.lists(st.lists(cell, min_size=2, max_size=5).filter(lambda r: r[0].strip()), min_size=1, max_size=6)


@settings(max_examples=100, deadline=None)
@given(rows=table_rows, bom=st.booleans(), newline=st.sampled_from(["\r\n", "\n"]))
def test_csv_reader_returns_every_cell_and_the_line_each_row_starts_on(rows, bom, newline):
    data = csv_bytes(rows, bom=bom, newline=newline)
    table = tables.read_csv(data, "content/offices.csv")
    assert [list(r.cells) for r in table.rows] == rows
    starts, line = [], 1
    for row in rows:
        starts.append(line)
        line += csv_bytes([row], newline="\n").count(b"\n")
    assert [r.number for r in table.rows] == starts


def _windows_1252_characters() -> list[str]:
    found = []
    for byte in range(0x20, 0x100):
        try:
            found.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            continue
    return found


windows_cell = st.text(alphabet=st.sampled_from([*_windows_1252_characters(), "\n"]), max_size=10)


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.lists(windows_cell, min_size=2, max_size=5).filter(lambda r: r[0].strip()), min_size=1, max_size=6))
def test_csv_reader_reads_windows_1252_when_it_is_not_utf8(rows):
    data = csv_bytes(rows, encoding="cp1252")
    table = tables.read_csv(data, "content/offices.csv")
    if is_utf8(data):  # plain ASCII, or bytes that happen to be UTF-8 too: read as UTF-8
        assert not table.notes
    else:
        assert [list(r.cells) for r in table.rows] == rows
        assert [p.message.split(" (")[0] for p in table.notes] == ["read as Windows-1252"]


xlsx_cell = st.one_of(st.none(), st.integers(-(10**6), 10**6), st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10).map(str.strip).filter(lambda t: t and not t.startswith("=")))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(xlsx_cell, min_size=1, max_size=5), min_size=1, max_size=6))
def test_xlsx_reader_returns_every_cell_as_text_with_its_row(tmp_path, rows):
    workbook(tmp_path / "offices.xlsx", rows)
    table = tables.read_xlsx(tmp_path / "offices.xlsx", "content/offices.xlsx", "Offices")
    expected = []
    for number, row in enumerate(rows, start=1):
        cells = ["" if value is None else str(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            expected.append((number, cells))
    assert [(r.number, list(r.cells)) for r in table.rows] == expected
    assert table.sheet == "Offices" and all(table.where(r, 1) == f"Offices!B{r.number}" for r in table.rows)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=7), max_size=6))
def test_any_office_table_gives_offices_or_located_problems(rows):
    listed = from_table(tables.Table("content/offices.csv", tuple(tables.Row(n, tuple(r)) for n, r in enumerate([HEADER, *rows], start=1))))
    assert all(isinstance(p.line, int) and p.line >= 1 for p in listed.problems)
    assert listed.problems or all(o.id and o.name for o in listed.offices)


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_are_excels(index, letters):
    assert tables.column_letter(index) == letters


def test_one_bad_row_stops_every_notice_not_only_its_own(mini, run):
    with (mini / "content/offices.csv").open("a") as handle:
        handle.write("example-second,EXAMPLE Second,2 Rd,555,Mon 8-12\n")
    assert load_pack(mini).offices == ()
    result = run("build", "--project", str(mini), "--doc", "notice")
    assert result.exit_code == 1 and not [line for line in result.output.splitlines() if line.startswith("wrote") and "/site/" not in line]


def test_status_says_the_notices_wait_for_the_office_list(mini, run):
    edit(mini / "content/offices.csv", "Mon-Fri 08:00-16:30", "text:")
    status = run("status", "--project", str(mini))
    assert status.exit_code == 0
    assert "content/offices.csv:2: hours of 'example-pulaski': 'text:' needs the text to print after it" in status.output
    assert "no notice is built until content/offices.csv is fixed" in status.output
