"""Golden HTML: each document kind's page for the mini pack, committed, so a template change
shows as a reviewable diff. Refresh with: KYR_UPDATE_GOLDEN=1 make test"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from generator.build import load, localize_jobs, plan, render
from generator.documents import NAMES

GOLDEN = Path(__file__).resolve().parent / "golden"


def normalized(html: str, version: str) -> str:
    """The page without what changes for reasons other than the templates: the version hash and
    the tool's own version."""
    html = re.sub(r'content="kyr [^"]+"', 'content="kyr VERSION"', html.replace(version, "VERSION"))
    return re.sub(r"\n\s*\n+", "\n", html).strip() + "\n"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from conftest import MINI, _copy_project

    root = _copy_project(MINI / "content", tmp_path_factory.mktemp("golden"), catalogs=False)
    project = load(root, today=date(2026, 11, 28))
    jobs = plan(project.pack, ["en"])
    localized = localize_jobs(project, jobs, False).packs
    return {item.job.doc: normalized(item.document.html, item.document.version) for item in render(project, jobs, localized)}


@pytest.mark.parametrize("kind", NAMES)
def test_the_page_matches_its_golden_copy(pages, kind):
    path = GOLDEN / f"{kind}.html"
    if os.environ.get("KYR_UPDATE_GOLDEN"):
        path.write_text(pages[kind], encoding="utf-8")
    assert path.is_file(), "no golden copy yet: run KYR_UPDATE_GOLDEN=1 make test"
    assert pages[kind] == path.read_text(encoding="utf-8"), f"{kind}: the page changed; review the diff, then KYR_UPDATE_GOLDEN=1 make test"
