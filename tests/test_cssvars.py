"""Constant custom properties are put in place before WeasyPrint parses the stylesheets, and the
PDFs are the same bytes as with the variables left for WeasyPrint to resolve."""

from __future__ import annotations

import pytest

from generator import cssvars
from generator.build import load, localize_jobs, plan, render
from generator.pdf import PdfWriter


def test_only_what_root_alone_sets_is_a_constant():
    sheets = [
        ":root { --ink: #111; --gap: 10pt; --size: 11pt; }",
        ":root { --size: 24pt; --alias: var(--ink); } /* a comment: --note: x */",
        ".bilingual { --gap: 8pt; } @media print { :root { --late: 1pt; } }",
    ]
    assert cssvars.constants(sheets) == {"--ink": "#111", "--size": "24pt"}
    assert cssvars.resolve("h1 { color: var(--ink); margin: var(--gap); font: var(--size) var( --ink ) }", cssvars.constants(sheets)) == (
        "h1 { color: #111; margin: var(--gap); font: 24pt #111 }"
    )


def test_a_fallback_or_an_unknown_variable_is_left_alone():
    values = {"--ink": "#111"}
    assert cssvars.resolve("a { color: var(--ink, red); b: var(--other) }", values) == "a { color: var(--ink, red); b: var(--other) }"


@pytest.mark.parametrize("edition", ["en", "en-es"])
def test_the_pdfs_are_the_same_bytes_with_the_variables_left_in(shipped, monkeypatch, edition):
    """The poster's bilingual sheet sets --gap itself, so there it stays a variable."""
    project = load(shipped)
    jobs = [job for job in plan(project.pack, [edition], ["notice", "card", "poster"]) if job.office in (None, project.pack.offices[0])]
    rendered = render(project, jobs, localize_jobs(project, jobs, False).packs)
    resolved = [PdfWriter(shipped).write(item.document).data for item in rendered]
    monkeypatch.setattr(cssvars, "resolve", lambda text, values: text)
    kept = PdfWriter(shipped)
    for item, data in zip(rendered, resolved, strict=True):
        assert "var(" in (shipped / item.document.stylesheets[0]).read_text()
        assert kept.write(item.document).data == data, item.job.label
