"""Scripts beyond Latin: languages CLDR does not know, fonts per language, accents, right to left."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from helpers import edit, text

from generator import catalogs, fonts, glossary, readability
from generator.build import load, localize_jobs, render
from generator.checks import PrintedText, check_glyphs
from generator.content import load_pack
from generator.errors import KyrError
from generator.extract import template_messages
from generator.i18n import localize
from generator.languages import PSEUDO_RTL
from generator.plan import plan

CSS = Path(__file__).resolve().parent.parent / "templates" / "css"


def problems_of(root) -> list[str]:
    with pytest.raises(KyrError) as info:
        load_pack(root)
    return [str(p) for p in info.value.problems]


def test_the_four_script_pack_builds_every_document_and_passes_check(scripts_checked):
    project, report, checked = scripts_checked
    built = {str(b.job.output) for b in report.built}
    for lang in ("mh", "vi", "ar", "zh_Hant"):
        assert {f"{lang}/{doc}.pdf" for doc in ("handout", "booklet", "card", "poster")} <= built
        assert f"{lang}/notices/example-springdale.pdf" in built
    assert not report.problems, report.problems
    assert [str(p) for p in checked.problems] == []  # fit, facts, glyphs and accents in each language's fonts
    # Only English and Spanish have validated readability formulas.
    assert checked.spanish == {} and checked.unscored == ["mh", "vi", "ar", "zh_Hant"]


def test_each_script_prints_in_its_own_fonts(scripts_checked):
    project, _, _ = scripts_checked
    output = project / "output"
    assert PrintedText(text(output / "mh/handout.pdf")).shows("Jipan̄ ko am̧ im am̧ maron̄ ko")
    assert "Trợ cấp của bạn và quyền của bạn" in unicodedata.normalize("NFC", text(output / "vi/handout.pdf"))
    assert "您的福利與您的權利" in text(output / "zh_Hant/handout.pdf")
    assert PrintedText(text(output / "ar/handout.pdf"), rtl=True).shows("مزاياك وحقوقك")
    with pikepdf.open(output / "ar/handout.pdf") as pdf:
        used = {str(font.BaseFont).split("+")[-1] for page in pdf.pages for font in page.Resources.Font.values()}
    assert "Noto-Sans-Arabic" in used and not any(name.startswith("DejaVu") for name in used), used


def test_right_to_left_pdfs_ask_viewers_for_right_to_left_pages(scripts_checked):
    project, _, _ = scripts_checked
    with pikepdf.open(project / "output/ar/booklet.pdf") as pdf:
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
        assert str(pdf.Root.Lang) == "ar"
    with pikepdf.open(project / "output/vi/booklet.pdf") as pdf:
        assert "/Direction" not in pdf.Root.ViewerPreferences


def test_numbers_and_names_from_the_pack_keep_their_order_in_arabic(scripts):
    project = load(scripts)
    jobs = plan(project.pack, ["ar"], ["notice"])
    localized = localize_jobs(project, jobs, allow_incomplete=False).packs
    html = render(project, jobs, localized)[0].document.html
    assert '<html lang="ar" dir="rtl">' in html
    assert '.edition[lang="ar"] { font-family: "Noto Sans Arabic", "Noto Sans", sans-serif; }' in html
    # Without it, "(479) 555-0110" prints as "555-0110 (479)" in a right-to-left line.
    assert '<span dir="ltr">(479) 555-0110</span>' in html


def test_a_language_cldr_has_no_data_for_is_added_built_and_listed(mini, run):
    result = run("i18n", "init", "mh", "--project", str(mini))
    assert result.exit_code == 0, result.output
    assert "mh (Marshallese): dates and numbers will be formatted as en (Babel has no data for mh)" in result.output
    assert 'Plural-Forms: nplurals=2; plural=(n != 1);' in catalogs.po_path(mini, "mh", "templates").read_text()
    built = run("build", "--project", str(mini), "--lang", "mh", "--doc", "card", "--allow-incomplete")
    assert built.exit_code == 0, built.output
    assert "As of November 28, 2026" in text(mini / "output/mh/card.pdf")
    status = run("status", "--project", str(mini))
    assert status.exit_code == 0 and "review mh: nothing else to review; 21 unit(s) are not translated yet" in status.output


def test_the_pack_chooses_the_locale_that_formats_a_language(mini, run):
    edit(mini / "content/pack.yaml", "languages: [en]", "languages: [en]\nlocales:\n  mh:\n    format_locale: en_GB")
    result = run("i18n", "init", "mh", "--project", str(mini))
    assert "dates and numbers will be formatted as en_GB" in result.output
    assert localize(load_pack(mini), "mh", allow_incomplete=True).long_date(load_pack(mini).as_of) == "28 November 2026"


def test_one_rule_for_language_codes(mini, run):
    edit(mini / "content/pack.yaml", "languages: [en]", "languages: [en, zh_Hant]")
    assert load_pack(mini).languages == ("en", "zh_Hant")
    assert run("i18n", "init", "zh_Hant", "--project", str(mini)).exit_code == 0
    assert catalogs.languages(mini) == ["zh_Hant"]
    for bad, why in (("zz_QQ", "'QQ' is not a region"), ("zh_Hanx", "'Hanx' is not a script"), ("es\n", "is not a language code"), ("pseudo", "is not a language code")):
        result = run("i18n", "init", bad, "--project", str(mini))
        assert result.exit_code == 1 and why in result.output, bad


def test_locale_settings_are_checked_like_every_other_key(mini):
    edit(mini / "content/pack.yaml", "languages: [en]", """languages: [en, ar]
locales:
  ar:
    font: "Noto Sans Arabic"
    fonts: "Noto Sans Arabic; } body { display: none"
    direction: sideways
    format_locale: xx
  fa:
    fonts: sans-serif""")
    found = problems_of(mini)
    assert "content/pack.yaml:9: unknown key 'locales.ar.font'; a language sets: direction, fonts, format_locale" in found
    assert any(p.startswith("content/pack.yaml:10: 'locales.ar.fonts' has 'Noto Sans Arabic; } body { display: none'") for p in found), found
    assert "content/pack.yaml:11: 'locales.ar.direction' must be one of ltr, rtl, got 'sideways'" in found
    assert any(p.startswith("content/pack.yaml:12: 'locales.ar.format_locale' must be a locale Babel has data for") for p in found), found
    assert "content/pack.yaml:13: locales: 'fa' is not in 'languages'" in found


def test_the_glyph_check_reads_every_field_in_each_languages_fonts(mini):
    with (mini / "content/offices.csv").open("a") as handle:
        handle.write("chinatown,華埠辦公室,1 Main St,(501) 555-0120,Mon-Fri 09:00-17:00\n")
    edit(mini / "content/pack.yaml", 'name: "Example Help Group"', 'name: "Example Help Group (Jikin Kōm̧m̧an)"')
    pack = load_pack(mini)
    found = [str(p) for p in check_glyphs(localize(pack, "en"), template_messages(mini))]
    assert "content/offices.csv: en office chinatown name: '華' (U+83EF) has no glyph in DejaVu Sans" in found
    # DejaVu Sans hangs the cedilla of m̧ under the m's left stem: the characters exist, the accent is wrong.
    assert any(p.startswith("content/pack.yaml: en organization.name: 'm̧' prints wrong in DejaVu Sans (regular, bold): it puts the combining cedilla (U+0327)") for p in found), found


def test_noto_sans_places_marshallese_accents_and_dejavu_sans_does_not():
    marshallese = unicodedata.normalize("NFC", "ā ļ m̧ ņ n̄ ō o̧ ū M̧")
    assert fonts.missing(marshallese, ("Noto Sans",)) == [] and fonts.misplaced(marshallese, ("Noto Sans",)) == []
    assert [m.cluster for m in fonts.misplaced(marshallese, ("DejaVu Sans",))] == ["m̧", "M̧"]
    assert fonts.missing("Tiếng Việt", ("DejaVu Sans",)) == []  # precomposed, or a letter and its accents
    assert fonts.missing("移民", ("Noto Sans",)) == ["民", "移"]


def test_a_language_whose_font_is_missing_is_not_built_and_says_what_to_install(scripts):
    edit(scripts / "content/pack.yaml", 'fonts: "Noto Sans, Noto Sans CJK TC"', 'fonts: "Noto Sans CJK XX"')
    result = localize_jobs(load(scripts), plan(load_pack(scripts), ["zh_Hant", "vi"], ["card"]), allow_incomplete=False)
    assert set(result.packs) == {"vi"}
    assert [str(p) for p in result.refused] == [
        "content/pack.yaml: 'zh_Hant' is not built: its font 'Noto Sans CJK XX' (locales.zh_Hant.fonts) is not installed; install it (Debian: apt-get install fonts-noto-cjk)"
    ]


def test_pseudo_rtl_is_arabic_letters_thirty_percent_longer_and_mirrored(mini, run):
    pack = load_pack(mini)
    right = next(r for r in pack.rights if r.id == "r01")
    stretched = localize(pack, PSEUDO_RTL).text(right.text)
    assert len(stretched) >= 1.3 * len(right.text.source) and not re.search("[A-Za-z]", stretched)
    assert "ي" in stretched
    result = run("build", "--project", str(mini), "--lang", PSEUDO_RTL, "--lang", "pseudo", "--doc", "handout")
    assert result.exit_code == 0, result.output
    with pikepdf.open(mini / "output/pseudo-rtl/handout.pdf") as pdf:
        assert str(pdf.Root.Lang) == "ar-XB" and pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
    # The page number changes sides with the direction: right in the accented edition, left here.
    assert _page_number_x(mini / "output/pseudo/handout.pdf", "2") > 0.5
    assert _page_number_x(mini / "output/pseudo-rtl/handout.pdf", "2") < 0.5


def _page_number_x(path: Path, number: str) -> float:
    """Where the last line's page number sits across page 2, as a fraction of its width."""
    document = pypdfium2.PdfDocument(path)
    try:
        page = document[1]
        textpage = page.get_textpage()
        boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars()) if textpage.get_text_range(i, 1) == number]
        lowest = min(boxes, key=lambda box: box[1])  # PDF y grows upwards: the footer is lowest
        return lowest[0] / page.get_width()
    finally:
        document.close()


def test_stylesheets_use_logical_sides():
    # A physical side would not mirror on a right-to-left page; crop marks are geometry and stay physical.
    physical = re.compile(r"(?:margin|padding|border)-(?:left|right)\b|float:\s*(?:left|right)|text-align:\s*(?:left|right)")
    for path in CSS.glob("*.css"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if physical.search(line) and ".mark-v" not in line:
                pytest.fail(f"{path.name}:{number}: {line.strip()}")


def test_glossary_keeps_tone_marks_apart():
    mother = glossary.Term("mother", {"vi": ("mẹ",), "zh_Hant": ("母親",)}, "")
    assert glossary.misses((mother,), "vi", "Ask your mother.", "Hỏi mẹ của bạn.") == []
    assert glossary.misses((mother,), "vi", "Ask your mother.", "Hỏi me của bạn.") == [mother]  # "me" is another word
    assert glossary.misses((mother,), "zh_Hant", "Ask your mother.", "請問您的母親。") == []  # no spaces in Chinese
    am = glossary.Term("your", {"mh": ("am̧",)}, "")
    assert glossary.misses((am,), "mh", "your name", "etam am") == [am]


def test_readability_is_scored_only_with_a_validated_formula():
    assert readability.validated("es_MX") == "es" and readability.validated("en") == "en"
    assert readability.validated("vi") is None and readability.validated("mh") is None
