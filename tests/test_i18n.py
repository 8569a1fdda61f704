"""Translation: extraction, safe updates, the print gate, pseudo-locale and bilingual editions."""

from __future__ import annotations

import pikepdf
import polib
import pytest
from helpers import edit, pages, text, translate_all

from generator import catalogs
from generator.errors import KyrError
from generator.extract import extract


def entry(root, context, lang="es"):
    po = polib.pofile(str(catalogs.po_path(root, lang, "content")))
    return next(e for e in po if e.msgctxt == context and not e.obsolete)


@pytest.fixture
def mini_es(mini, run):
    """The mini pack with a complete Spanish translation and an en-es edition."""
    assert run("i18n", "init", "es", "--project", str(mini)).exit_code == 0
    edit(mini / "content/pack.yaml", "languages: [en, es]", "languages: [en, es]\nbilingual: [en-es]")
    translate_all(mini)
    return mini


def test_extract_has_one_unit_per_field_and_block_with_notes(mini):
    catalog = extract(mini, "content")
    contexts = [m.context for m in catalog if m.id]
    assert contexts[:4] == ["pack.title", "pack.jurisdiction", "r01.title", "r01.text"]
    assert {"q01.question", "q01.short", "q01.body.1", "q01.body.3", "q02.body.1"} <= set(contexts)
    body = catalog.get("It can share your phone number.", context="q01.body.3")
    assert body.locations == [("content/questions/q01-data.md", 10)]
    assert body.auto_comments[0].startswith("q01 · full answer, part 3")


def test_extract_templates_uses_the_template_area_as_context(mini):
    catalog = extract(mini, "templates")
    assert catalog.get("Free legal help", context="help") is not None
    assert catalog.get("Accurate as of %(date)s.", context="facts") is not None


def test_extract_reports_a_broken_template(mini):
    edit(mini / "templates/handout.html.j2", "<header", "{% if %}\n<header")
    with pytest.raises(KyrError) as info:
        extract(mini, "templates")
    assert str(info.value).startswith("templates/handout.html.j2:1: template syntax error")


def test_complete_spanish_builds_in_spanish_with_spanish_dates(mini_es, run):
    result = run("build", "--project", str(mini_es), "--lang", "es")
    assert result.exit_code == 0, result.output
    body = text(mini_es / "output/es/handout.pdf")
    assert "ES Only the person applying gives status" in body
    assert "28 de noviembre de 2026" in body
    assert "[EN]" not in body and "Translation pending" not in body


def test_edited_answer_refuses_spanish_until_translated_again(mini_es, run):
    q01 = mini_es / "content/questions/q01-data.md"
    edit(q01, "It can share your address.", "It can share your home address.")
    stale = entry(mini_es, "q01.body.2")

    refused = run("build", "--project", str(mini_es), "--lang", "es")
    assert refused.exit_code == 1
    assert f"locales/es/LC_MESSAGES/content.po:{stale.linenum}: q01.body.2 was translated from older English" in refused.output
    assert run("build", "--project", str(mini_es), "--lang", "en").exit_code == 0

    assert run("i18n", "update", "--project", str(mini_es)).exit_code == 0
    updated = entry(mini_es, "q01.body.2")
    assert updated.fuzzy and updated.previous_msgid == "It can share your address."
    assert updated.msgstr == "ES It can share your address."
    assert not entry(mini_es, "q01.body.3").fuzzy
    refused = run("build", "--project", str(mini_es), "--lang", "es")
    assert refused.exit_code == 1 and "q01.body.2 is fuzzy" in refused.output

    po = polib.pofile(str(catalogs.po_path(mini_es, "es", "content")))
    fixed = next(e for e in po if e.msgctxt == "q01.body.2")
    fixed.msgstr, fixed.flags, fixed.previous_msgid = "ES It can share your home address.", [], None
    po.save()
    assert run("build", "--project", str(mini_es), "--lang", "es").exit_code == 0


def test_update_never_takes_another_questions_translation(mini_es, run):
    # q02's short answer is rewritten to q01's exact English; Babel's matcher would copy q01's translation.
    edit(mini_es / "content/questions/q02-help.md", 'short: "Call a legal aid group. The call is free."', 'short: "Your name and address can be shared. Ask for help first."')
    run("i18n", "update", "--project", str(mini_es))
    q02 = entry(mini_es, "q02.short")
    assert q02.fuzzy
    assert q02.msgstr == "ES Call a legal aid group. The call is free."
    assert q02.previous_msgid == "Call a legal aid group. The call is free."
    assert entry(mini_es, "q01.short").msgstr == "ES Your name and address can be shared. Ask for help first."


def test_a_new_question_starts_untranslated_even_if_similar_to_another(mini_es, run):
    source = (mini_es / "content/questions/q01-data.md").read_text().replace("id: q01", "id: q03")
    (mini_es / "content/questions/q03-copy.md").write_text(source)
    run("i18n", "update", "--project", str(mini_es))
    assert entry(mini_es, "q03.short").msgstr == ""
    assert not entry(mini_es, "q03.short").fuzzy


def test_a_one_word_flip_is_never_treated_as_translated(mini_es, run):
    edit(mini_es / "content/questions/q01-data.md", "It can share your address.", "It cannot share your address.")
    run("i18n", "update", "--project", str(mini_es))
    assert entry(mini_es, "q01.body.2").fuzzy
    assert run("build", "--project", str(mini_es), "--lang", "es").exit_code == 1


def test_a_second_update_keeps_the_first_english_as_previous(mini_es, run):
    q01 = mini_es / "content/questions/q01-data.md"
    edit(q01, "It can share your address.", "It can share your street address.")
    run("i18n", "update", "--project", str(mini_es))
    edit(q01, "It can share your street address.", "It may share your street address.")
    run("i18n", "update", "--project", str(mini_es))
    again = entry(mini_es, "q01.body.2")
    assert again.fuzzy and again.previous_msgid == "It can share your address."
    assert "# |" not in catalogs.po_path(mini_es, "es", "content").read_text()


def test_allow_incomplete_marks_english_stand_ins(mini_es, run):
    edit(mini_es / "content/questions/q01-data.md", 'short: "Your name', 'short: "Today your name')
    result = run("build", "--project", str(mini_es), "--lang", "es", "--doc", "handout", "--allow-incomplete")
    assert result.exit_code == 0, result.output
    assert "es has text printed in English, marked 'translation pending'" in result.output
    body = text(mini_es / "output/es/handout.pdf")
    assert "[EN] Today your name and address can be shared." in body
    assert "ES Translation pending: parts marked [EN] are not yet translated" in body


def test_a_translation_that_changes_a_link_target_is_refused(mini_es, run):
    po = polib.pofile(str(catalogs.po_path(mini_es, "es", "content")))
    link = next(e for e in po if "](https://example.org/help)" in e.msgid)
    link.msgstr = link.msgstr.replace("https://example.org/help", "https://evil.example/")
    po.save()
    result = run("build", "--project", str(mini_es), "--lang", "es")
    assert result.exit_code == 1
    assert f"content.po:{link.linenum}: q02.body.1: link targets differ from the English" in result.output


def test_a_translation_that_adds_markup_is_refused(mini_es, run):
    po = polib.pofile(str(catalogs.po_path(mini_es, "es", "templates")))
    help_entry = next(e for e in po if e.msgid == "Free legal help")
    help_entry.msgstr = 'Ayuda <img src="file:///etc/passwd">'
    po.save()
    result = run("build", "--project", str(mini_es), "--lang", "es")
    assert result.exit_code == 1
    assert "templates.po" in result.output and "markup tags differ" in result.output


def test_bilingual_edition_has_both_languages_each_marked(mini_es, run):
    result = run("build", "--project", str(mini_es), "--lang", "en-es", "--doc", "handout")
    assert result.exit_code == 0, result.output
    path = mini_es / "output/en-es/handout.pdf"
    body = text(path)
    assert "Only the person applying gives status" in body and "ES Only the person applying gives status" in body
    assert pages(path) == 2


def test_pseudo_locale_stretches_and_accents_without_a_catalog(mini, run):
    result = run("build", "--project", str(mini), "--lang", "pseudo", "--doc", "handout")
    assert result.exit_code == 0, result.output
    body = text(mini / "output/pseudo/handout.pdf")
    assert "Öñlý thé péršöñ àpplýîñg gîvéš štàtüš" in body
    assert "1-800-555-0199" in body


def test_init_validates_the_language_before_touching_a_path(mini, run):
    for bad in ("../../x", "es/../../etc", "zz_QQ", ""):
        result = run("i18n", "init", bad, "--project", str(mini))
        assert result.exit_code == 1, bad
    assert not (mini / "locales" / "..").resolve().joinpath("x").exists()
    assert catalogs.languages(mini) == []


def test_init_adds_a_language_in_one_command(mini, run):
    result = run("i18n", "init", "fr", "--project", str(mini))
    assert result.exit_code == 0, result.output
    assert (mini / "locales/fr/LC_MESSAGES/content.po").is_file()
    assert "languages: [en, fr]" in (mini / "content/pack.yaml").read_text()
    status = run("i18n", "status", "--project", str(mini))
    assert "fr        content               0      0            21" in status.output


def test_status_counts_fuzzy_apart_from_translated(mini_es, run):
    edit(mini_es / "content/questions/q01-data.md", "It can share your address.", "It can share where you live.")
    run("i18n", "update", "--project", str(mini_es))
    rows = {(r.lang, r.domain): r for r in catalogs.status(mini_es)}
    assert (rows["es", "content"].translated, rows["es", "content"].fuzzy, rows["es", "content"].untranslated) == (20, 1, 0)


def test_bilingual_pdf_marks_each_language_for_screen_readers(mini_es, run):
    run("build", "--project", str(mini_es), "--lang", "en-es", "--doc", "handout")
    with pikepdf.open(mini_es / "output/en-es/handout.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"
        langs = {}
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/Lang" in node and node.get("/S") == "/Art":
                    langs[str(node.Lang)] = langs.get(str(node.Lang), 0) + 1
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(kids)
                elif isinstance(kids, pikepdf.Dictionary):
                    stack.append(kids)
    assert set(langs) == {"en", "es"}


def test_a_paragraph_inserted_above_keeps_the_moved_translations_current(mini_es, run):
    edit(mini_es / "content/questions/q01-data.md", "The office keeps your name and address.", "A new first paragraph.\n\nThe office keeps your name and address.")
    run("i18n", "update", "--project", str(mini_es))
    inserted, moved, last = (entry(mini_es, f"q01.body.{n}") for n in (1, 2, 4))
    assert (inserted.msgstr, inserted.fuzzy) == ("", False)
    assert (moved.msgstr, moved.fuzzy) == ("ES The office keeps your name and address.", False)
    assert (last.msgstr, last.fuzzy) == ("ES It can share your phone number.", False)


def test_a_language_never_complete_waits_in_one_line_and_fails_nothing(mini, run):
    assert run("i18n", "init", "fr", "--project", str(mini)).exit_code == 0
    left = sum(row.untranslated for row in catalogs.status(mini) if row.lang == "fr")
    result = run("build", "--project", str(mini))
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line for line in lines if "fr" in line.split(":")[0]] == [f"fr: translation in progress, {left} unit(s) left, so it is not built yet ('kyr status' lists them)"]
    assert (mini / "output/en/handout.pdf").is_file() and not (mini / "output/fr").exists()
    status = run("status", "--project", str(mini)).output
    assert f"fr: translation in progress, {left} unit(s) left before it is built:" in status
    assert sum(line.startswith("  locales/fr/LC_MESSAGES/") for line in status.splitlines()) == left
    assert "q01.short is not translated" in status
    asked = run("build", "--project", str(mini), "--lang", "fr")
    assert asked.exit_code == 1 and f"{left} unit(s) are not translated or out of date, so 'fr' is not built" in asked.output


def test_a_language_that_was_complete_fails_when_it_goes_stale(mini, run):
    assert run("i18n", "init", "fr", "--project", str(mini)).exit_code == 0
    translate_all(mini, "fr", "FR ")
    assert run("build", "--project", str(mini)).exit_code == 0
    assert (mini / "output/fr/handout.pdf").is_file()
    edit(mini / "content/questions/q01-data.md", "It can share your address.", "It can share your home address.")
    assert run("i18n", "update", "--project", str(mini)).exit_code == 0
    assert 'X-Kyr-Was-Complete: yes' in catalogs.po_path(mini, "fr", "content").read_text()
    result = run("build", "--project", str(mini))
    assert result.exit_code == 1
    assert "q01.body.2 is fuzzy" in result.output and "in progress" not in result.output


def test_a_language_still_in_progress_stays_in_progress_after_an_update(mini, run):
    assert run("i18n", "init", "fr", "--project", str(mini)).exit_code == 0
    po = polib.pofile(str(catalogs.po_path(mini, "fr", "content")))
    po[0].msgstr = "FR " + po[0].msgid
    po.save()
    edit(mini / "content/questions/q01-data.md", "It can share your address.", "It can share your home address.")
    assert run("i18n", "update", "--project", str(mini)).exit_code == 0
    assert "X-Kyr-Was-Complete" not in catalogs.po_path(mini, "fr", "content").read_text()
    left = sum(row.untranslated + row.fuzzy for row in catalogs.status(mini) if row.lang == "fr")
    result = run("build", "--project", str(mini), "--doc", "handout")
    assert result.exit_code == 0 and f"fr: translation in progress, {left} unit(s) left" in result.output


def test_check_gives_a_language_in_progress_one_warning(mini):
    from generator.checks import check

    assert catalogs.init(mini, "fr") and catalogs.add_language(mini, "fr")
    report = check(mini)
    assert report.errors == 0, [str(p) for p in report.problems if p.severity == "error"]
    [line] = [str(p) for p in report.problems if "fr" in p.path]
    assert line.startswith("locales/fr: warning: translation in progress: ") and line.endswith("unit(s) left, so fr is not checked yet ('kyr status' lists them)")
