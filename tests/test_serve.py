"""`kyr serve` in-process: what it answers, what it refuses, and what it shows beside each document."""

from __future__ import annotations

import concurrent.futures
import threading

import httpx2 as httpx
import pytest
from helpers import edit
from serving import serving, until
from starlette.testclient import TestClient

from generator.build import build
from generator.errors import Problem
from generator.manifest import Manifest
from generator.preview import Output, Preview, place
from generator.serve import Server, app

PORT = 8000
BASE = f"http://127.0.0.1:{PORT}"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from conftest import MINI, _copy_project

    root = _copy_project(MINI / "content", tmp_path_factory.mktemp("serve"), catalogs=False)
    build(root, jobs=2)
    (root / "output/site/en/leak.html").symlink_to("/etc/passwd")
    (root / "outside.txt").write_text("not for the browser")
    return root


@pytest.fixture(scope="module")
def client(project):
    preview = Preview(project, check=False)
    with TestClient(app(Server(preview, PORT), watch=False), base_url=BASE) as client:
        until(lambda: preview.state.built_at, 60, "the first build")
        yield client


def test_the_dashboard_lists_every_document_and_the_online_edition(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for path in ("en/handout.pdf", "en/booklet.pdf", "en/card.pdf", "en/poster.pdf", "en/notices/example-pulaski.pdf"):
        assert f'data-path="{path}"' in page.text
        assert f"/thumb/{path}?page=1" in page.text
    assert '<a href="/site/en/">Online edition: English</a>' in page.text
    assert '<script src="/_kyr/live.js"' in page.text


def test_pdfs_thumbnails_and_site_pages_are_served(client, project):
    pdf = client.get("/pdf/en/handout.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == (project / "output/en/handout.pdf").read_bytes()
    thumb = client.get("/thumb/en/handout.pdf?page=2")
    assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")
    assert client.get("/thumb/en/handout.pdf?page=3").status_code == 404
    page = client.get("/site/en/q01.html")
    assert page.status_code == 200 and '<script src="/_kyr/live.js" data-scope="site/en/"' in page.text
    assert client.get("/site/en/", follow_redirects=False).text.startswith("<!doctype html>")
    assert client.get("/site/en", follow_redirects=False).headers["location"] == "/site/en/"
    assert client.get("/site/site.css").headers["content-type"].startswith("text/css")
    assert client.get("/_kyr/live.js").status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1:8001", "localhost", "192.168.1.5:8000", ""])
def test_a_foreign_host_is_refused(client, host):
    """DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own Host."""
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 403 and "answers only http://127.0.0.1:8000/" in response.text


def test_localhost_with_the_port_is_answered(client):
    assert client.get("/", headers={"Host": f"localhost:{PORT}"}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/site/%2e%2e/%2e%2e/content/pack.yaml",
        "/site/..%2f..%2foutside.txt",
        "/site/%2E%2E/%2e%2e/outside.txt",
        "/site//etc/passwd",
        "/site/en/leak.html",
        "/site/%2fetc%2fpasswd",
        "/site/en/..%5c..%5coutside.txt",
        "/pdf/%2e%2e/outside.txt",
        "/pdf/%2e%2e/%2e%2e/etc/passwd%00.pdf",
        "/pdf/.kyr-manifest.json",
        "/thumb/%2e%2e/outside.txt",
    ],
)
def test_a_path_outside_the_output_is_refused(client, path):
    response = client.get(path)
    assert response.status_code == 403, (path, response.status_code)
    assert "root:" not in response.text and "not for the browser" not in response.text


def test_nothing_the_browser_sends_changes_a_file(client, project):
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file() and not p.is_symlink()}
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/", "/site/en/index.html", "/pdf/en/handout.pdf", "/events"):
            assert client.request(method, path, content=b"x").status_code == 405, (method, path)
    after = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file() and not p.is_symlink()}
    assert after == before


def test_problems_are_placed_beside_the_documents_that_print_them(project):
    outputs = [Output("en/handout.pdf", "handout", "en", ""), Output("en/booklet.pdf", "booklet", "en", ""), Output("es/booklet.pdf", "booklet", "es", "")]
    manifest = Manifest.load(project / "output")
    manifest.outputs["es/booklet.pdf"] = manifest.outputs["en/booklet.pdf"]
    problems = [
        Problem("en/handout.pdf", None, "3 pages; its budget is 2"),
        Problem("locales/es/LC_MESSAGES/content.po", 12, "q02.body.1 is fuzzy: the English changed"),
        Problem("content/questions/q01-data.md", 4, "q01 short answer reads at grade 9", "warning"),
        Problem("es", None, "2 unit(s) are not translated"),
        Problem("content/pack.yaml", 16, "review_by has passed", "warning"),
    ]
    placed = place(problems, outputs, manifest, {"content/questions/q01-data.md": "q01"})
    assert [p.message for p in placed.by_output["en/handout.pdf"]] == ["3 pages; its budget is 2", "q01 short answer reads at grade 9"]
    assert [p.line for p in placed.by_output["es/booklet.pdf"]] == [12, 4]
    assert [p.line for p in placed.by_output["en/booklet.pdf"]] == [4]
    assert [p.message for p in placed.by_edition["es"]] == ["2 unit(s) are not translated"]
    assert [p.line for p in placed.general] == [16]


def test_a_broken_edit_shows_its_error_and_keeps_the_last_good_preview(mini):
    build(mini, docs=["handout"], jobs=1)
    good = (mini / "output/en/handout.pdf").read_bytes()
    preview = Preview(mini, check=False)
    with TestClient(app(Server(preview, PORT), watch=False), base_url=BASE) as client:
        until(lambda: preview.state.built_at, 60, "the first build")
        edit(mini / "content/pack.yaml", "languages: [en]", "languages: [en")
        assert preview.rebuild().state == "failed"
        dashboard = client.get("/").text
        assert "The last edit did not build" in dashboard and "content/pack.yaml:7: YAML" in dashboard
        page = client.get("/site/en/q01.html").text
        assert 'role="alert"' in page and "content/pack.yaml:7: YAML" in page
        assert client.get("/pdf/en/handout.pdf").content == good
        edit(mini / "content/pack.yaml", "languages: [en", "languages: [en]")
        assert preview.rebuild().state == "built"
        assert "did not build" not in client.get("/").text and 'role="alert"' not in client.get("/site/en/q01.html").text


def test_fifty_requests_during_a_rebuild_all_get_complete_files(mini):
    """Each file is replaced by a rename and read whole before it is sent: never half of one.
    50 clients ask again and again while a forced rebuild replaces every file they ask for."""
    build(mini, jobs=2)
    with serving(mini, watch=False) as (base, preview):
        files = {"/pdf/en/booklet.pdf": "en/booklet.pdf", "/pdf/en/handout.pdf": "en/handout.pdf", "/site/pdf/en/card.pdf": "site/pdf/en/card.pdf", "/site/en/q01.html": "site/en/q01.html"}
        expected = {url: (mini / "output" / path).read_bytes() for url, path in files.items()}
        replaced = threading.Event()
        preview.listeners.append(lambda event: replaced.set() if event.changed else None)
        done = threading.Event()
        rebuild = threading.Thread(target=lambda: (preview.rebuild(force=True), done.set()))

        def fetch(n: int) -> list[tuple[str, int, bytes, int, bool]]:
            answers = []
            with httpx.Client(base_url=base, timeout=60) as http:
                for turn in range(200):  # bounded: the rebuild of the mini pack ends long before
                    url = list(files)[(n + turn) % len(files)]
                    during = replaced.is_set() and not done.is_set()
                    response = http.get(url)
                    answers.append((url, response.status_code, response.content, int(response.headers["content-length"]), during))
                    if done.is_set():
                        break
            return answers

        rebuild.start()
        with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
            answers = [answer for batch in pool.map(fetch, range(50)) for answer in batch]
        rebuild.join(120)
        assert done.is_set()
        assert sum(during for *_, during in answers) >= 50, "too few requests overlapped the rebuild"
        for url, status, body, length, _ in answers:
            # The same inputs make the same bytes (a page's live-reload script aside): a torn file differs.
            assert status == 200 and len(body) == length, url
            if url.endswith(".pdf"):
                assert body == expected[url], url
            else:
                assert body.startswith(expected[url][:100]) and body.rstrip().endswith(b"</html>"), url


def test_the_check_runs_after_a_build_and_its_problems_show_beside_the_documents(mini):
    edit(mini / "content/rights.yaml", "    sources: [example-source]\n", "")
    with serving(mini, watch=False, check=True) as (base, preview):
        until(lambda: preview.state.checked is not None, 120, "kyr check")
        page = httpx.get(base + "/").text
        card = page[page.index('data-path="en/card.pdf"') :]
        card = card[: card.index("</li>\n    \n    <li")] if "</li>\n    \n    <li" in card else card
        assert "right r01 has no sources" in card and "content/rights.yaml:4" in card
