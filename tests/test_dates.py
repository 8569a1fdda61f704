"""Dates that tell the truth: the facts date against the sources, and the review date."""

from __future__ import annotations

from datetime import date

from helpers import built_pdfs, edit, text

from generator import checks
from generator.build import build
from generator.content import load_pack
from generator.dates import check
from generator.review import book


def date_problems(root, today=date(2026, 11, 28)) -> list[str]:
    pack = load_pack(root)
    return [str(p) for p in check(pack, book(root, pack.source_language, pack.languages), today)]


def test_an_as_of_the_sources_do_not_support_is_refused_with_both_dates(mini, run):
    assert date_problems(mini) == []  # newest source 2026-11-20, as_of 2026-11-28
    edit(mini / "content/sources.yaml", "published: 2026-11-20", "published: 2026-04-02")
    edit(mini / "content/sources.yaml", "published: 2026-10-01", "published: 2026-03-01")
    [problem] = date_problems(mini)
    assert problem.startswith("content/pack.yaml:7: as_of 2026-11-28 is later than the newest source allows")
    assert "published 2026-04-02" in problem and "set as_of to 2026-05-14 or earlier" in problem
    result = run("check", "--project", str(mini))
    assert result.exit_code == 1 and "as_of 2026-11-28 is later than the newest source allows" in result.output


def test_a_recorded_review_on_or_after_as_of_vouches_for_it(mini, run):
    edit(mini / "content/sources.yaml", "published: 2026-11-20", "published: 2026-04-02")
    edit(mini / "content/sources.yaml", "published: 2026-10-01", "published: 2026-03-01")
    assert date_problems(mini)
    run("review", "--project", str(mini))
    assert run("review", "approve", "--project", str(mini), "--by", "Ana Ruiz, attorney").exit_code == 0
    assert date_problems(mini) == []


def test_a_source_cannot_be_read_before_it_was_published(mini):
    edit(mini / "content/sources.yaml", "published: 2026-10-01", "published: 2026-12-01")
    found = date_problems(mini)
    assert "content/sources.yaml:10: source another-source is published 2026-12-01, after today" in found
    assert "content/sources.yaml:10: source another-source was read 2026-11-28, before it was published 2026-12-01" in found


def test_after_review_by_every_pdf_says_the_facts_may_be_out_of_date(mini):
    later = date(2027, 3, 1)
    fresh = build(mini, jobs=1, today=date(2026, 11, 28))
    assert "may be out of date" not in text(mini / "output/en/handout.pdf")
    report = build(mini, jobs=1, today=later)
    assert len(report.built) == len(fresh.built)  # crossing review_by rebuilds everything
    assert any("review_by 2027-02-28 has passed" in str(w) for w in report.warnings)
    for path in built_pdfs(mini / "output"):
        body = text(path)
        expected = "These facts may be out of date: last checked November 28, 2026."
        assert expected in body, path
    # What check reads back from each PDF includes the line, and finds it there.
    assert all(any("may be out of date" in shown for _, shown in b.facts) for b in report.built)
    assert all(checks.check_output(b, report.localized) == [] for b in report.built)
