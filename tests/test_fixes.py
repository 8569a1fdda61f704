"""Bugs a code review and a new user found, each pinned by the behaviour a user sees."""

from __future__ import annotations

import pytest
from helpers import built_pdfs, edit, write

from generator import catalogs, fonts
from generator.build import build
from generator.errors import KyrError
from generator.extract import extract


def test_i18n_init_adds_the_language_to_a_block_style_list(mini, run):
    edit(mini / "content/pack.yaml", "languages: [en]", "languages:\n  - en  # English first")
    result = run("i18n", "init", "fr", "--project", str(mini))
    assert result.exit_code == 0, result.output
    assert "added fr to languages" in result.output
    assert "languages:\n  - en  # English first\n  - fr\n" in (mini / "content/pack.yaml").read_text()
    assert catalogs.add_language(mini, "fr") is False


def test_an_unexpected_extraction_failure_keeps_its_cause(mini, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")
        yield

    monkeypatch.setattr("generator.extract.extract_from_dir", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        extract(mini, "templates")


def test_a_template_syntax_error_found_in_extraction_is_located(mini):
    write(mini / "templates/partials/broken.html.j2", "<p>\n{% if %}\n")
    with pytest.raises(KyrError) as info:
        extract(mini, "templates")
    assert str(info.value).startswith("templates/partials/broken.html.j2:2: template syntax error")


def test_the_glyph_check_refuses_to_pass_when_a_font_is_not_installed():
    # fontconfig would quietly give another family; the check must not read that one instead.
    with pytest.raises(KyrError, match="'No Such Family' is not installed"):
        fonts.missing("abc", ("No Such Family",))


def test_a_pdf_that_cannot_be_written_is_named_not_the_manifest(mini, monkeypatch):
    def full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("generator.build.write_atomic", full)
    with pytest.raises(KyrError) as info:
        build(mini, docs=["handout"], jobs=1)
    assert str(info.value) == f"{mini / 'output/en/handout.pdf'}: cannot write this PDF: No space left on device"


def test_an_unknown_office_lists_the_known_ones_and_office_builds_only_notices(mini, run):
    bad = run("build", "--project", str(mini), "--office", "nope")
    assert bad.exit_code == 1 and "--office 'nope' is not in content/offices.csv; it has: example-pulaski" in bad.output
    good = run("build", "--project", str(mini), "--office", "example-pulaski")
    assert good.exit_code == 0 and "built 1," in good.output
    assert [p.name for p in built_pdfs(mini / "output")] == ["example-pulaski.pdf"]


def test_output_folder_keeps_a4_apart_from_letter(mini, run):
    assert run("build", "--project", str(mini), "--doc", "poster").exit_code == 0
    letter = (mini / "output/en/poster.pdf").read_bytes()
    result = run("build", "--project", str(mini), "--doc", "poster", "--page-size", "a4", "--output", str(mini / "output-a4"))
    assert result.exit_code == 0, result.output
    assert (mini / "output/en/poster.pdf").read_bytes() == letter
    assert (mini / "output-a4/en/poster.pdf").read_bytes() != letter


def test_status_names_the_real_reason(mini, run):
    build(mini, jobs=1)
    edit(mini / "content/offices.csv", "(501) 555-0110", "(501) 555-0119")
    assert "content/offices.csv changed -> en/notices/example-pulaski" in run("status", "--project", str(mini)).output
    build(mini, jobs=1)
    edit(mini / "content/pack.yaml", '  phone: "(501) 555-0100"', '  phone: "(501) 555-0101"')
    assert "the organization block in content/pack.yaml changed -> en/handout" in run("status", "--project", str(mini)).output


def test_status_says_a_stale_language_would_be_refused_and_the_build_names_what_is_left(mini, run):
    from helpers import translate_all

    assert run("i18n", "init", "es", "--project", str(mini)).exit_code == 0
    translate_all(mini)
    assert run("build", "--project", str(mini), "--lang", "es", "--doc", "handout").exit_code == 0
    edit(mini / "content/questions/q01-data.md", "Ask for help first.", "Ask for free help first.")
    status = run("status", "--project", str(mini))
    assert "would refuse es" in status.output and "es/handout" not in status.output.split("would refuse")[0]
    built = run("build", "--project", str(mini), "--lang", "es", "--doc", "handout")
    assert built.exit_code == 1
    assert f"kept {mini / 'output/es/handout.pdf'} from an earlier build" in built.output
