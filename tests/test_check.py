"""kyr check reads the PDFs a build made and lays out, without making a PDF, only what no build
made (the pseudo-locales' one-sheet documents, mostly), keeping what it found in output/.check/ for
the next check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import edit

from generator import checks, workers
from generator.build import build
from generator.checks import CACHE, check
from generator.manifest import Manifest


def where(report, output: Path) -> dict[str, str]:
    """Each checked output -> where it was read from: the build's PDF, or check's own layout."""
    return {str(b.job.output): ("check" if b.path.is_relative_to(output / CACHE) else "build") for b in report.outputs}


@pytest.fixture
def work(monkeypatch) -> dict[str, list[str]]:
    """The pages each check renders and lays out (the last check's, after ``clear()``)."""
    seen: dict[str, list[str]] = {"rendered": [], "laid out": []}
    render, run = checks.iter_render, workers.Task.run

    def rendering(project, jobs, localized, *args):
        jobs = list(jobs)
        seen["rendered"] += [str(job.output) for job in jobs]
        return render(project, jobs, localized, *args)

    def laying_out(task, writer):
        seen["laid out"].append(task.document.name)
        return run(task, writer)

    monkeypatch.setattr(checks, "iter_render", rendering)
    monkeypatch.setattr(workers.Task, "run", laying_out)
    return seen


def checked(root, work, **options):
    for done in work.values():
        done.clear()
    return check(root, jobs=1, **options)


def test_check_lays_out_only_what_no_build_made_and_keeps_it_for_the_next_check(mini, work):
    output = mini / "output"
    build(mini, jobs=1)
    first = checked(mini, work)
    read_from = where(first, output)
    pseudo = {path for path in read_from if path.startswith("pseudo")}
    assert pseudo and {path for path, folder in read_from.items() if folder == "check"} == pseudo
    assert {path for path, folder in read_from.items() if folder == "build"} == set(Manifest.load(output).outputs) - {p for p in Manifest.load(output).outputs if p.startswith("site/")}
    assert all(b.printed == (read_from[str(b.job.output)] == "build") for b in first.outputs)
    # Nothing changed since the build: its pages are not even rendered, only the pseudo-locales' are laid out.
    assert set(work["rendered"]) == pseudo and len(work["laid out"]) == len(pseudo)
    assert not list((output / CACHE).rglob("*.pdf")), "check made a PDF nobody prints"
    kept = Manifest.load(output / CACHE)
    assert set(kept.outputs) == pseudo and all(r.pages >= 1 and r.size == 0 for r in kept.outputs.values())

    again = checked(mini, work)
    assert where(again, output) == read_from
    assert work["laid out"] == [], "a second check laid out again what the first one kept"
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]

    # An English edit changes the pseudo-locales' pages and leaves the build's PDFs out of date:
    # check lays out both afresh, and after the next build keeps only the pseudo-locales' again.
    edit(mini / "content/rights.yaml", "Only the person applying gives status", "Only the person who applies gives status")
    stale = checked(mini, work)
    assert set(where(stale, output).values()) == {"check"}
    assert len(work["laid out"]) == len(read_from)
    assert Manifest.load(output / CACHE).outputs.keys() == read_from.keys()
    build(mini, jobs=1)
    assert where(checked(mini, work), output) == read_from
    assert work["laid out"] == [] and set(work["rendered"]) == pseudo
    assert set(Manifest.load(output / CACHE).outputs) == pseudo


def test_a_warning_the_date_calls_for_is_looked_for_though_the_page_did_not_change(mini, work):
    """After review_by, every output must say its facts may be out of date. A template that never
    prints the warning makes the same page on both sides of the date: check still looks for it, in
    the build's PDFs and in the layouts it kept from before the date."""
    edit(mini / "templates/partials/facts.html.j2", "{% if c.out_of_date %}", "{% if false %}")
    before, after = date(2026, 11, 28), date(2027, 3, 1)
    build(mini, jobs=1, today=before)
    assert checked(mini, work, today=before).errors == 0
    build(mini, jobs=1, today=after)  # the pages are the same: nothing is written again
    report = checked(mini, work, today=after)
    lacking = {problem.path for problem in report.problems if "out-of-date warning" in problem.message}
    assert lacking == {str(b.job.output) for b in report.outputs if b.job.doc != "card"}  # a card prints it in its margin
    assert {b.printed for b in report.outputs} == {True, False}


def test_a_fact_missing_from_a_page_is_found_in_a_layout_as_in_a_pdf(mini):
    """A template that drops the content version: check names it on the build's PDFs (read back)
    and on the pages it only lays out (the pseudo-locales')."""
    build(mini, jobs=1)
    edit(mini / "templates/partials/facts.html.j2", "<p class=\"version\">", "<p class=\"version\" style=\"display: none\">")
    build(mini, jobs=1)
    report = check(mini, jobs=1)
    missing = {problem.path for problem in report.problems if "version" in problem.message and problem.severity == "error"}
    printing = [b for b in report.outputs if b.job.doc != "card"]  # a card sheet prints its version in its margin
    assert {str(b.job.output) for b in printing} == missing
    assert {b.printed for b in printing} == {True, False}


def test_check_reads_the_pages_the_layout_showed_the_facts_on_and_no_other(mini, monkeypatch):
    import pypdfium2

    from generator.checks import unprinted
    from generator.manifest import Manifest

    build(mini, jobs=1)
    booklet = mini / "output/en/booklet.pdf"
    record = Manifest.load(mini / "output").outputs["en/booklet.pdf"]
    facts = [(what, text) for what, text in record.facts]
    assert facts and record.facts_on == [0] and record.pages > 2
    read: list[int] = []
    get_page = pypdfium2.PdfDocument.get_page
    monkeypatch.setattr(pypdfium2.PdfDocument, "get_page", lambda self, index: read.append(index) or get_page(self, index))
    assert unprinted(booklet, facts, first=(0,)) == []
    assert read == [0]
    # A record of pages that no longer show them (a template moved the facts) costs one more read.
    read.clear()
    assert unprinted(booklet, facts, first=(record.pages - 1,)) == []
    assert read[0] == record.pages - 1 and 0 in read[1:]


def test_facts_are_found_on_any_page_and_missing_page_numbers_are_named(mini):
    """Check reads a PDF's pages from the first until it has found what it looks for: text on the
    last page of a booklet is found, and text on none is named. Page numbers a stylesheet lost are
    named by check before the next build (in its layouts), by that build, and by check after it."""
    import pypdfium2

    from generator.checks import unprinted

    build(mini, jobs=1)
    booklet = mini / "output/en/booklet.pdf"
    document = pypdfium2.PdfDocument(booklet)
    pages = len(document)
    last = " ".join(document[pages - 1].get_textpage().get_text_range().split()[-6:])
    document.close()
    assert pages > 2  # so the last page is read in a later turn than the first two
    assert unprinted(booklet, [("the last words", last), ("a sentence on no page", "Nobody printed this sentence.")]) == [("a sentence on no page", "Nobody printed this sentence.")]

    numbers = "content: string(pg-before) counter(page) string(pg-middle) counter(pages) string(pg-after);"
    edit(mini / "templates/css/base.css", f"@bottom-right {{ {numbers}", "@bottom-right { content: none;")
    numbered = {"en/booklet.pdf", "en/handout.pdf", "pseudo/handout.pdf"}  # right to left, they are in the other corner

    def lost(problems) -> set[str]:
        return {problem.path for problem in problems if "page numbers (" in problem.message and "are missing" in problem.message}

    assert lost(check(mini, jobs=1).problems) == numbered
    assert lost(build(mini, jobs=1).problems) == {"en/booklet.pdf", "en/handout.pdf"}
    assert lost(check(mini, jobs=1).problems) == numbered
