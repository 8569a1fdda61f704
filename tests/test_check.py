"""kyr check reads the PDFs a build made and writes only what no build made (the pseudo-locales'
one-sheet documents, mostly), keeping those in output/.check/ for the next check."""

from __future__ import annotations

from pathlib import Path

from helpers import edit

from generator.build import build
from generator.checks import CACHE, check
from generator.manifest import Manifest


def where(report, output: Path) -> dict[str, str]:
    """Each checked output -> the folder its PDF was read from: the build's, or check's own."""
    return {str(b.job.output): ("check" if b.path.is_relative_to(output / CACHE) else "build") for b in report.outputs}


def stamps(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.pdf")}


def test_check_writes_only_what_no_build_made_and_keeps_it_for_the_next_check(mini):
    output = mini / "output"
    build(mini, jobs=1)
    first = check(mini, jobs=1)
    read_from = where(first, output)
    assert {path for path, folder in read_from.items() if folder == "check"} == {path for path in read_from if path.startswith("pseudo")}
    assert {path for path, folder in read_from.items() if folder == "build"} == set(Manifest.load(output).outputs) - {p for p in Manifest.load(output).outputs if p.startswith("site/")}
    kept = stamps(output / CACHE)
    assert kept and set(kept) == set(Manifest.load(output / CACHE).outputs)

    again = check(mini, jobs=1)
    assert where(again, output) == read_from
    assert stamps(output / CACHE) == kept, "a second check wrote again what the first one kept"
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]

    # An English edit changes the pseudo-locales' pages and leaves the build's PDFs out of date:
    # check writes both afresh, and after the next build keeps only the pseudo-locales' again.
    edit(mini / "content/rights.yaml", "Only the person applying gives status", "Only the person who applies gives status")
    stale = check(mini, jobs=1)
    assert set(where(stale, output).values()) == {"check"}
    assert all(kept[path] != mtime for path, mtime in stamps(output / CACHE).items() if path in kept)
    build(mini, jobs=1)
    assert where(check(mini, jobs=1), output) == read_from
    assert set(stamps(output / CACHE)) == set(kept)
