"""The shipped pack's print products: page budgets, facts, tags, fonts and fit on two paper sizes."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pikepdf
import pypdf
import pytest
from helpers import built_pdfs, pages, text

from generator.build import build
from generator.checks import check
from generator.content import load_pack
from generator.documents import KINDS
from generator.manifest import Manifest


@pytest.fixture(scope="session")
def shipped_pdfs(shipped_build):
    return built_pdfs(shipped_build)


def test_every_edition_of_every_document_is_built(shipped_build):
    pack = load_pack(shipped_build.parent)
    editions = [*pack.languages, *("-".join(p) for p in pack.bilingual), "pseudo"]
    for edition in editions:
        for doc in ("handout", "booklet", "card", "poster"):
            assert (shipped_build / edition / f"{doc}.pdf").is_file(), (edition, doc)
        for office in pack.offices:
            assert (shipped_build / edition / "notices" / f"{office.id}.pdf").is_file()


def test_page_budgets(shipped_build):
    for path in built_pdfs(shipped_build):
        count = pages(path)
        if path.name == "handout.pdf" or path.name == "card.pdf":
            assert count == 2, path
        elif path.parent.name == "notices" or path.name == "poster.pdf":
            assert count == 1, path
        else:
            assert count >= 3, path


def test_every_pdf_is_well_formed_tagged_titled_and_has_a_language(shipped_pdfs):
    for path in shipped_pdfs:
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == [], path
            assert "/StructTreeRoot" in pdf.Root, path
            assert pdf.Root.MarkInfo.Marked, path
            assert str(pdf.Root.Lang) in ("en", "es", "en-XA"), path
            assert str(pdf.docinfo["/Title"]).strip(), path
            assert pdf.Root.ViewerPreferences.DisplayDocTitle


def test_kyr_check_passes_reading_every_pdf_the_build_made(shipped_build):
    """Facts, page numbers, budgets and layout of every output, read back from its PDF."""
    report = check(shipped_build.parent)
    assert report.errors == 0, [str(p) for p in report.problems if p.severity == "error"]
    checked = {str(b.job.output) for b in report.outputs}
    made = {str(p.relative_to(shipped_build)) for p in built_pdfs(shipped_build) if p.parts[-2] != "pseudo" and "pseudo" not in p.relative_to(shipped_build).parts}
    assert made <= checked, made - checked
    assert [str(p) for p in report.problems if p.severity == "warning"] == [
        "content/pack.yaml:18: warning: review_by 2026-06-01 has passed: every output now says its facts may be out of date (last checked 2026-04-02); check the facts and set new dates"
    ]


def test_headings_start_at_one_and_never_skip_a_level(shipped_pdfs):
    for path in shipped_pdfs:
        if path.name == "card.pdf":
            continue
        with pikepdf.open(path) as pdf:
            levels = [int(str(node.S)[2]) for node in _walk(pdf.Root.StructTreeRoot) if re.fullmatch(r"/H[1-6]", str(node.get("/S")))]
        assert levels and levels[0] == 1, path
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (path, levels)


def test_qr_code_has_a_text_alternative_and_the_url_is_printed(shipped_build):
    path = shipped_build / "en/handout.pdf"
    with pikepdf.open(path) as pdf:
        alts = [str(node.Alt) for node in _walk(pdf.Root.StructTreeRoot) if node.get("/S") == "/Figure"]
    site = load_pack(shipped_build.parent).organization.edition_url("en")
    assert site.endswith("/en/") and f"QR code that opens {site}" in alts
    # PDFium reads a hyphen that ends a line as U+FFFE (a break), so hyphens are left out on both sides.
    printed = re.sub("[-\ufffe ]", "", text(path))
    assert site.removeprefix("https://").replace("-", "") in printed


def test_body_text_is_at_least_11_points(shipped_build):
    for name in ("en/handout.pdf", "en/booklet.pdf", "en/notices/example-benton.pdf", "en/card.pdf"):
        sizes = _text_sizes(shipped_build / name)
        # Inside the page margins: running footers (9 pt) and the card sheet's margin notes are not body text,
        # nor each card's fine print (who gave it, how current it is), set apart below 7 pt.
        body = [size for size, y in sizes if 0.75 * 72 < y < 792 - 0.45 * 72 and size > 7]
        small = [size for size in body if size < 10.9]
        assert len(small) <= 0.03 * len(body), (name, sorted(set(small)))


@pytest.mark.parametrize("edition", ["en", "es", "en-es"])
def test_the_poster_reads_from_two_metres(shipped_build, edition):
    """One tabloid page; everything above the facts block at 24 pt or more."""
    path = shipped_build / edition / "poster.pdf"
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 1
        assert [round(float(v)) for v in pdf.pages[0].MediaBox[2:]] == [792, 1224]
        assert "/StructTreeRoot" in pdf.Root
    sizes = _text_sizes(path)
    facts_top = max(y for size, y in sizes if size < 20)  # the facts block and the QR caption
    upper = [size for size, y in sizes if y > facts_top + 30]
    assert upper and min(upper) >= 23.9, sorted(set(upper))[:5]
    body = text(path)
    pack = load_pack(shipped_build.parent)
    assert pack.help[0].phone in body


def test_the_poster_is_a3_on_a4_paper(shipped):
    report = build(shipped, langs=["en"], docs=["poster"], page_size="a4", jobs=1)
    assert report.problems == []
    with pikepdf.open(shipped / "output/en/poster.pdf") as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox[2:]] == [842, 1191]


def test_the_palette_has_enough_contrast_on_white(shipped_build):
    css = (shipped_build.parent / "templates/css/palette.css").read_text()
    for name in ("ink", "muted", "accent", "warn"):
        color = re.search(rf"--{name}: #([0-9a-f]{{6}});", css).group(1)
        assert _contrast(color, "ffffff") >= 4.5, name


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_both_paper_sizes_fit_without_overflow(shipped_build, tmp_path, size):
    """English and the 30% longer pseudo-locale, each document within its budget, no text out of
    its box (the session's build is letter; A4 is built beside it)."""
    output = shipped_build
    if size == "a4":
        output = tmp_path / "a4"
        assert build(shipped_build.parent, langs=["en", "pseudo"], page_size=size, jobs=2, output=output).built
    records = {path: record for path, record in Manifest.load(output).outputs.items() if path.split("/")[0] in ("en", "pseudo")}
    assert len(records) == 2 * (len(KINDS) - 1 + len(load_pack(shipped_build.parent).offices))
    for path, record in records.items():
        budget = KINDS[Path(path).stem if "/notices/" not in path else "notice"].page_budget
        assert (budget is None or record.pages <= budget) and record.layout == [], (size, path, record.pages, record.layout)
    with pikepdf.open(output / "en/handout.pdf") as pdf:
        width, height = (float(v) for v in pdf.pages[0].MediaBox[2:])
    assert (round(width), round(height)) == ((595, 842) if size == "a4" else (612, 792))


def test_fit_check_catches_text_that_overflows_a_card(shipped):
    path = shipped / "content/rights.yaml"
    title = load_pack(shipped).rights[0].title.source
    path.write_text(path.read_text().replace(f'title: "{title}"', 'title: "' + f"{title} " * 4 + '"'))
    report = build(shipped, langs=["en"], docs=["card"], jobs=1)
    assert any("runs outside its box" in line for line in report.built[0].layout)


def _walk(root):
    stack = [root]
    ordered = []
    while stack:
        node = stack.pop(0)
        if isinstance(node, pikepdf.Dictionary):
            ordered.append(node)
            kids = node.get("/K")
            children = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if isinstance(kids, pikepdf.Dictionary) else []
            stack = children + stack
    return ordered


def _text_sizes(path):
    sizes = []
    for page in pypdf.PdfReader(path).pages:

        def visit(text, cm, tm, font, size):
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                sizes.extend([(round(size * scale, 1), cm[5] + tm[5] * cm[3])] * len(text.strip()))

        page.extract_text(visitor_text=visit)
    return sizes


def _contrast(a: str, b: str) -> float:
    def luminance(hex_color: str) -> float:
        channels = [int(hex_color[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_booklet_has_all_20_questions_in_order(shipped_build):
    pack = load_pack(shipped_build.parent)
    body = text(shipped_build / "en/booklet.pdf")
    chapters = body[body.index("In short:") - 400 :]  # past the contents list
    positions = [chapters.find(q.question.source) for q in pack.questions_for("booklet")]
    assert len(positions) == 20 and -1 not in positions
    assert positions == sorted(positions)


def test_the_handout_front_gives_rights_and_a_legal_help_line(shipped_build):
    pack = load_pack(shipped_build.parent)
    front = pypdf.PdfReader(shipped_build / "en/handout.pdf").pages[0].extract_text()
    front = re.sub(r"\s+", " ", front)
    for right in pack.rights_for("handout"):
        assert right.title.source in front
    assert pack.help[0].phone in front
    for warning in pack.warnings_for("handout"):
        assert warning.title.source in front


def test_spanish_editions_are_in_spanish_with_nothing_pending(shipped_build):
    for name in ("es/handout.pdf", "es/booklet.pdf", "es/card.pdf", "en-es/handout.pdf", "en-es/notices/example-benton.pdf"):
        body = text(shipped_build / name)
        assert "ayuda legal gratis" in body.lower() and "2 de abril de 2026" in body, name
        assert "[EN]" not in body and "Translation pending" not in body and "Traducción pendiente" not in body, name
    assert load_pack(shipped_build.parent).rights[0].title.source in text(shipped_build / "en-es/handout.pdf")
