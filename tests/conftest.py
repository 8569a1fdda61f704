"""Shared fixtures: copies of a pack that a test may edit, and PDFs built once per session."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import dates
from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
SCRIPTS = Path(__file__).resolve().parent / "fixtures" / "scripts"


def _copy_project(content: Path, target: Path, catalogs: bool | Path = True) -> Path:
    """Content, the real templates, and the shipped catalogs, a fixture's own (a folder), or only the glossary."""
    shutil.copytree(content, target / "content")
    shutil.copytree(ROOT / "templates", target / "templates")
    if catalogs is True:
        shutil.copytree(ROOT / "locales", target / "locales")
        return target
    if catalogs:
        shutil.copytree(catalogs, target / "locales")
    else:
        (target / "locales").mkdir()
    shutil.copy(ROOT / "locales/glossary.yaml", target / "locales")
    return target


@pytest.fixture(scope="session", autouse=True)
def pinned_today() -> Iterator[date]:
    """Every command run in a test takes the fixtures' as_of for today, as if it ran the day they
    were written: what a PDF or a sign-off says must not depend on the day the tests run. Session
    wide and autouse, so that it comes before the fixtures that build once for the whole run."""
    day = date(2026, 11, 28)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "today", lambda: day)
        yield day


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A two-question pack with the real templates, free to edit."""
    return _copy_project(MINI / "content", tmp_path / "mini", catalogs=False)


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """The shipped pack with the real templates, free to edit."""
    return _copy_project(ROOT / "content", tmp_path / "shipped")


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The shipped pack built once for the whole run, whichever test worker asks first (the
    others wait for it: pytest-xdist's recipe); read it, do not edit it."""
    from generator.build import build

    # Under xdist the workers' temporary folders share a parent that belongs to this run only.
    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    project = shared / "shipped-build"
    with (shared / "shipped-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (project / "built").is_file():
            shutil.rmtree(project, ignore_errors=True)
            _copy_project(ROOT / "content", project)
            report = build(project, jobs=2)
            assert not report.refused, report.refused
            build(project, langs=["pseudo"], jobs=2)
            (project / "built").touch()
    return project / "output"


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    """The pack in Marshallese, Vietnamese, Arabic and Chinese, free to edit."""
    return _copy_project(SCRIPTS / "content", tmp_path / "scripts", SCRIPTS / "locales")


@pytest.fixture(scope="session")
def scripts_checked(tmp_path_factory: pytest.TempPathFactory):
    """The four-script pack built once, then checked as `kyr check` does; read it, do not edit it."""
    from generator import fonts
    from generator.build import build
    from generator.checks import check
    from generator.content import load_pack

    project = _copy_project(SCRIPTS / "content", tmp_path_factory.mktemp("scripts-build"), SCRIPTS / "locales")
    wanted = fonts.packages(fonts.survey(load_pack(project)))
    assert not wanted, f"the four-script test pack needs fonts: run 'make test' as root, or apt-get install {' '.join(wanted)}"
    report = build(project, jobs=2)
    assert not report.refused, report.refused
    return project, report, check(project, jobs=2)


@pytest.fixture
def run():
    """Invoke the real `kyr` command; returns click's Result."""

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke
