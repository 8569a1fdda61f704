"""The PDF step: real PDFs that carry their facts, are tagged, and fetch nothing foreign."""

from __future__ import annotations

import http.server
import threading

import pikepdf
import pytest
from helpers import edit, pages, text

from generator.build import build
from generator.errors import KyrError


@pytest.fixture(scope="module")
def mini_build(tmp_path_factory):
    """The mini pack built once for this module's read-only tests."""
    from conftest import MINI, _copy_project

    project = _copy_project(MINI / "content", tmp_path_factory.mktemp("mini-build"), catalogs=False)
    build(project)
    return project / "output"


def test_handout_and_booklet_carry_title_org_date_and_disclaimer(mini_build):
    for doc in ("handout", "booklet"):
        body = text(mini_build / "en" / f"{doc}.pdf")
        for expected in ("Test pack title", "Example Help Group", "Accurate as of November 28, 2026.", "not legal advice", "not yet reviewed by a lawyer"):
            assert expected in body, (doc, expected)


def test_page_counts_and_page_numbers(mini_build):
    assert pages(mini_build / "en/handout.pdf") == 2
    booklet = mini_build / "en/booklet.pdf"
    assert pages(booklet) >= 3
    assert f"Page 2 of {pages(booklet)}" in text(booklet)


def test_booklet_has_every_question_and_its_answer(mini_build):
    body = text(mini_build / "en/booklet.pdf")
    assert "What data can be shared?" in body and "Where can I get help?" in body
    assert "It can share your phone number." in body
    assert "https://example.org/source" in body


def test_pdf_is_tagged_with_language_and_title(mini_build):
    with pikepdf.open(mini_build / "en/handout.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "en"
        assert str(pdf.docinfo["/Title"]) == "Test pack title"
        assert str(pdf.docinfo["/Author"]) == "Example Help Group"


def test_a_forced_rebuild_gives_identical_bytes(mini):
    first = build(mini, docs=["booklet"], jobs=1)
    before = (mini / "output/en/booklet.pdf").read_bytes()
    again = build(mini, docs=["booklet"], jobs=1, force=True)
    assert [b.job.doc for b in first.built] == [b.job.doc for b in again.built] == ["booklet"]  # really written twice
    assert (mini / "output/en/booklet.pdf").read_bytes() == before


def test_no_temporary_files_are_left(mini_build):
    meant = {".kyr-manifest.json", ".cache"}  # the manifest, and what is kept for the next process
    leftovers = [p.name for p in mini_build.rglob("*") if p.suffix == ".tmp" or (p.name.startswith(".") and p.name not in meant)]
    assert leftovers == []
    assert (mini_build / ".cache/template-messages.json").is_file()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "../../../../../../etc/passwd", "/etc/passwd"])
def test_a_stylesheet_outside_the_project_is_refused(mini, url):
    edit(mini / "templates/base.html.j2", "</head>", f'<link rel="stylesheet" href="{url}"></head>')
    with pytest.raises(KyrError) as info:
        build(mini, docs=["handout"])
    assert "refused to fetch" in str(info.value)
    assert not (mini / "output/en/handout.pdf").exists()


def test_attachment_of_a_system_file_is_refused(mini):
    edit(mini / "templates/base.html.j2", "</head>", '<link rel="attachment" href="file:///etc/passwd"></head>')
    with pytest.raises(KyrError, match="refused to fetch file:///etc/passwd"):
        build(mini, docs=["handout"])


def test_network_urls_are_never_requested(mini):
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/x.css"
        edit(mini / "templates/base.html.j2", "</head>", f'<link rel="stylesheet" href="{url}"></head>')
        with pytest.raises(KyrError, match="refused to fetch"):
            build(mini, docs=["handout"])
    finally:
        server.shutdown()
    assert hits == []


def test_the_private_tag_builder_is_still_where_the_writer_expects_it():
    """WeasyPrint's tag builder is private; if it moves, bilingual PDFs lose their per-element
    languages. This fails loudly first (see pdf._tree_builder)."""
    from generator.pdf import element_languages_supported

    assert element_languages_supported()


def _python(code: str, path: str | None = None) -> list[str]:
    """The lines ``code`` prints in a fresh interpreter (``path`` first on its sys.path)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [path, os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return result.stdout.split()


def test_weasyprint_still_asks_for_libraries_by_name_when_imported_plainly():
    """engine.py answers those asks; once WeasyPrint stops making them, this fails, and engine.py can go."""
    asked = _python("import ctypes.util as u; asked = []; find = u.find_library\n"
                    "u.find_library = lambda name: asked.append(name) or find(name)\n"
                    "import weasyprint; print(len(asked))")
    assert int(asked[0]) > 0


def test_weasyprint_imported_through_the_engine_has_every_library_and_leaves_ctypes_as_it_was():
    printed = _python("import ctypes.util as u; find = u.find_library\n"
                      "import generator.pdf\n"
                      "from weasyprint.text import ffi\n"
                      "print(u.find_library is find, *(getattr(ffi, name) is not None for name in ('gobject', 'pango', 'pangoft2', 'harfbuzz', 'harfbuzz_subset', 'fontconfig')))")
    assert printed == ["True"] * 7


def test_a_library_found_only_by_searching_is_still_found(tmp_path):
    """A stand-in for WeasyPrint that loads only when find_library answers: the engine imports it again the usual way."""
    fake = tmp_path / "weasyprint"
    fake.mkdir()
    (fake / "__init__.py").write_text("import ctypes.util\nif ctypes.util.find_library('c') is None:\n    raise OSError('cannot load library')\nLOADED = True\n")
    assert _python("from generator.engine import weasyprint; print(weasyprint.LOADED)", str(tmp_path)) == ["True"]


def test_writing_pdfs_leaves_no_process_wide_state(mini):
    import os

    from weasyprint.pdf import tags

    before_builder, before_epoch = tags._build_box_tree, os.environ.get("SOURCE_DATE_EPOCH")
    build(mini, docs=["handout"], jobs=1)
    assert tags._build_box_tree is before_builder
    assert os.environ.get("SOURCE_DATE_EPOCH") == before_epoch


def test_the_rendered_page_is_complete_for_a_browser(mini):
    """Every URL the HTML names is a file in the project, and the version is filled in."""
    import re
    from urllib.parse import urlsplit

    from generator.build import load, localize_jobs, plan, render

    project = load(mini)
    jobs = plan(project.pack)
    localized = localize_jobs(project, jobs, False).packs
    for item in render(project, jobs, localized):
        html = item.document.html
        assert "kyr-version" not in html and item.document.version in html
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
        assert links == list(item.document.stylesheets) and links[0] == "templates/css/base.css"
        for url in re.findall(r'(?:href|src)="([^"#]+)"', html):
            if urlsplit(url).scheme in ("", "file"):
                assert (mini / url).is_file(), (item.job.label, url)
