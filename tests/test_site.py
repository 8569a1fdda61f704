"""The online edition: output/site/, made by `kyr build` with the same rules as the PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import edit

from generator import catalogs
from generator.build import build, load, localize_jobs, plan, render
from generator.content import load_pack
from generator.manifest import Manifest

SITE_FILES = ["en/index.html", "en/q01.html", "en/q02.html", "index.html", "pdf/en/handout.pdf", "site.css"]


def site_files(output: Path) -> list[str]:
    return sorted(str(p.relative_to(output / "site")) for p in (output / "site").rglob("*") if p.is_file())


def page(output: Path, name: str) -> str:
    return (output / "site" / name).read_text(encoding="utf-8")


@pytest.fixture
def built(mini):
    build(mini, docs=["handout"], jobs=1)
    return mini


def test_a_build_writes_every_page_the_stylesheet_and_the_pdfs(built):
    assert site_files(built / "output") == SITE_FILES
    home = page(built / "output", "en/index.html")
    assert '<html lang="en" dir="ltr">' in home
    assert '<a href="q01.html">' in home and '<a href="q02.html">' in home
    assert 'href="../pdf/en/handout.pdf"' in home
    assert (built / "output/site/pdf/en/handout.pdf").read_bytes() == (built / "output/en/handout.pdf").read_bytes()
    question = page(built / "output", "en/q02.html")
    assert 'rel="prev"' in question and 'rel="next"' not in question
    assert '<a class="skip-link" href="#main">' in question


def test_every_page_carries_the_facts_of_the_pdfs(built):
    for name in ("en/index.html", "en/q01.html", "en/q02.html"):
        text = page(built / "output", name)
        for fact in ("Accurate as of November 28, 2026.", "DRAFT: not yet reviewed by a lawyer.", "General information, not legal advice.", "Content version ", "Example Help Group"):
            assert fact in text, (name, fact)


def test_nothing_is_fetched_from_elsewhere(built):
    """Stylesheets, scripts and images are files of the site; only links to sources leave it."""
    for name in site_files(built / "output"):
        if name.endswith(".html"):
            text = page(built / "output", name)
            assets = re.findall(r'<(?:link rel="stylesheet"|script|img)[^>]*(?:href|src)="([^"]+)"', text)
            assert assets and all(not re.match(r"^(https?:)?//", url) for url in assets), (name, assets)
    assert "url(" not in page(built / "output", "site.css")


def test_the_qr_code_opens_the_page_the_site_has_at_that_address(built):
    """The documented address: the pack's website, then /<lang>/ (a sheet in two: the language picker)."""
    project = load(built)
    assert project.pack.organization.edition_url("en") == "https://example.org/help/en/"
    assert project.pack.organization.edition_url() == "https://example.org/help/"
    jobs = plan(project.pack, ["en"], ["handout"])
    localized = localize_jobs(project, jobs, False).packs
    (item,) = render(project, jobs, localized)
    assert 'alt="QR code that opens https://example.org/help/en/"' in item.document.html
    assert (built / "output/site/en/index.html").is_file()
    assert '<link rel="canonical" href="https://example.org/help/en/">' in page(built / "output", "en/index.html")


def test_a_second_build_writes_nothing_and_an_edit_rewrites_only_what_changed(built):
    again = build(built, docs=["handout"], jobs=1)
    assert again.site == [] and again.site_files == 0
    before = {name: (built / "output/site" / name).stat().st_mtime_ns for name in SITE_FILES}
    edit(built / "content/questions/q02-help.md", "before you apply.", "before you sign anything.")
    report = build(built, docs=["handout"], jobs=1)
    assert report.site == ["en"] and report.built == []
    assert "before you sign anything." in page(built / "output", "en/q02.html")
    after = {name: (built / "output/site" / name).stat().st_mtime_ns for name in SITE_FILES}
    # Every page prints the content version, so each changes; the PDF copy and stylesheet do not.
    assert after["pdf/en/handout.pdf"] == before["pdf/en/handout.pdf"] and after["site.css"] == before["site.css"]


def test_the_site_stylesheet_is_no_input_of_a_pdf(built):
    with (built / "templates/site/site.css").open("a") as handle:
        handle.write("\nh1 { letter-spacing: 0.01em; }\n")
    report = build(built, docs=["handout"], jobs=1)
    assert report.built == [] and report.site == ["en"]
    assert "letter-spacing: 0.01em" in page(built / "output", "site.css")


def test_pages_and_copies_the_pack_no_longer_has_are_removed(built):
    (built / "content/questions/q02-help.md").unlink()
    edit(built / "content/pack.yaml", "questions: [q01, q02]", "questions: [q01]")
    build(built, docs=["handout"], jobs=1)
    assert "en/q02.html" not in site_files(built / "output")
    assert "q02.html" not in page(built / "output", "en/index.html")
    assert not any(name.startswith("q02") for name in Manifest.load(built / "output").site)


def test_a_stale_translation_is_refused_on_the_site_too_or_marked_en(mini):
    """The same gate as print: Spanish with nothing translated is not built (a language in progress
    waits), unless asked, and then every unit in English is marked [EN] and the page says so."""
    catalogs.init(mini, "es")
    catalogs.add_language(mini, "es")
    waiting = build(mini, docs=["handout"], jobs=1)
    assert list(waiting.in_progress) == ["es"] and not (mini / "output/site/es").exists()
    assert 'hreflang="es"' not in page(mini / "output", "en/q01.html")  # no link to pages that do not exist
    report = build(mini, docs=["handout"], jobs=1, allow_incomplete=True)
    assert "es" in report.site
    question = page(mini / "output", "es/q01.html")
    assert '<html lang="es" dir="ltr">' in question
    assert '<span class="pending">' in question and "Translation pending: parts marked [EN]" in question
    assert 'hreflang="en"' in question and 'href="../en/q01.html"' in question
    assert 'hreflang="es"' in page(mini / "output", "en/q01.html")
    assert 'href="es/index.html"' in page(mini / "output", "index.html")


def test_a_site_template_that_drops_the_facts_fails_the_build(built, run):
    edit(built / "templates/site/base.html.j2", '{% include "partials/facts.html.j2" %}', "")
    result = run("build", "--project", str(built), "--doc", "handout")
    assert result.exit_code == 1
    assert "site/en/index.html: the disclaimer ('General information, not legal advice.') is missing from the page" in result.output


def test_dry_run_names_the_online_edition(mini, run):
    result = run("build", "--project", str(mini), "--doc", "handout", "--dry-run")
    assert "the online edition is not up to date -> site/en" in result.output
    assert not (mini / "output/site").exists()


def test_the_summary_names_the_online_edition(mini, run):
    result = run("build", "--project", str(mini), "--doc", "handout")
    assert result.exit_code == 0, result.output
    assert re.search(r"wrote .*output/site/ \(the online edition in en; \d+ file\(s\) changed\)", result.output)
    assert load_pack(mini).organization.website == "https://example.org/help"
