"""Bad input ends in one located message; a failed or killed build loses nothing; nothing leaves the project."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys

import pytest
from helpers import built_pdfs, edit, text, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import catalogs, offices, tables
from generator.build import build
from generator.content import _question, load_pack
from generator.errors import KyrError, Problem


def pdfs(folder) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in built_pdfs(folder)}


def leftovers(folder) -> list[str]:
    return [p.name for p in folder.rglob("*.tmp")]


def test_a_broken_template_after_a_good_build_keeps_every_pdf(mini, run):
    assert run("build", "--project", str(mini)).exit_code == 0
    before = pdfs(mini / "output")
    edit(mini / "templates/partials/facts.html.j2", "<section", "{% if %}<section")
    result = run("build", "--project", str(mini), "--force")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("templates/partials/facts.html.j2:1: template syntax error")
    assert pdfs(mini / "output") == before and leftovers(mini / "output") == []


def _build(project) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--project", str(project), "--jobs", "1"]


@pytest.fixture(scope="module")
def built_with_offices(tmp_path_factory):
    """The mini pack with 20 more offices, built once in a process of its own; copy it to kill a build in it."""
    from conftest import MINI, _copy_project

    project = _copy_project(MINI / "content", tmp_path_factory.mktemp("killed"), catalogs=False)
    with (project / "content/offices.csv").open("a") as handle:
        for n in range(20):
            handle.write(f"example-{n:02d},EXAMPLE Office {n},{n} Example Rd,(501) 555-01{n:02d},Mon-Fri 08:00-16:30\n")
    subprocess.run(_build(project), check=True, capture_output=True)
    return project


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_build_killed_midway_keeps_every_pdf(built_with_offices, tmp_path, sig):
    project = tmp_path / "project"
    shutil.copytree(built_with_offices, project, symlinks=True)
    before = pdfs(project / "output")
    # Ctrl-C as a terminal sends it, even when this suite runs as a background job (which ignores SIGINT).
    def interruptible() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    process = subprocess.Popen([*_build(project), "--force"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=interruptible)
    for line in process.stdout:  # wait until a few PDFs are written and more are under way
        if line.startswith("[") and "%]" in line and int(line[1:4]) >= 10:
            break
    process.send_signal(sig)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert pdfs(project / "output") == before  # rewritten files are byte-identical, the rest untouched
    if sig != signal.SIGKILL:
        assert leftovers(project / "output") == []
    subprocess.run(_build(project), check=True, capture_output=True)  # the next build sweeps what a kill -9 left
    assert leftovers(project / "output") == []


def test_an_unwritable_output_folder_is_one_message(mini, run):
    (mini / "output").write_text("a file where the folder should be")
    result = run("build", "--project", str(mini))
    assert result.exit_code == 1
    assert result.output.strip().endswith("output: cannot write PDFs here: it is a file, not a folder")


def test_an_unterminated_string_in_a_catalog_names_its_line(mini, run):
    run("i18n", "init", "es", "--project", str(mini))
    path = catalogs.po_path(mini, "es", "content")
    lines = path.read_text().splitlines()
    number = next(n for n, line in enumerate(lines, start=1) if line.startswith("msgstr") and n > 10)
    lines[number - 1] = 'msgstr "sin cerrar'
    path.write_text("\n".join(lines) + "\n")
    result = run("i18n", "status", "--project", str(mini))
    assert result.exit_code == 1
    assert result.output.strip() == f"locales/es/LC_MESSAGES/content.po:{number}: not valid gettext syntax (an unclosed quote or an unknown keyword?)"


def test_wrong_plural_forms_are_refused(mini, run):
    run("i18n", "init", "es", "--project", str(mini))
    path = catalogs.po_path(mini, "es", "templates")
    path.write_text(path.read_text() + '\nmsgctxt "x"\nmsgid "one file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "un archivo"\nmsgstr[1] "%(n)s archivos"\n')
    with pytest.raises(KyrError, match="has 2 plural forms; the header says nplurals=3"):
        catalogs.read(path, mini)


def test_a_missing_logo_names_the_pack_line(mini):
    edit(mini / "content/pack.yaml", '  address: "100', '  logo: images/logo.png\n  address: "100')
    with pytest.raises(KyrError) as info:
        load_pack(mini)
    assert str(info.value) == "content/pack.yaml:15: logo file not found: content/images/logo.png"


def test_a_logo_outside_content_is_refused(mini):
    edit(mini / "content/pack.yaml", '  address: "100', '  logo: ../../../../etc/passwd\n  address: "100')
    with pytest.raises(KyrError, match="the logo must be a file inside content/"):
        load_pack(mini)


def test_a_logo_inside_content_is_printed_with_its_alt_text(mini):
    import pikepdf

    (mini / "content/images").mkdir()
    (mini / "content/images/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#1f4e79"/></svg>')
    edit(mini / "content/pack.yaml", '  address: "100', '  logo: images/logo.svg\n  address: "100')
    build(mini, docs=["handout"], jobs=1)
    with pikepdf.open(mini / "output/en/handout.pdf") as pdf:
        figures = [node for node in _struct_nodes(pdf) if node.get("/S") == "/Figure"]
    assert any(str(node.get("/Alt")) == "Example Help Group" for node in figures)


def _struct_nodes(pdf):
    import pikepdf

    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            yield node
            kids = node.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])


def test_a_symlink_out_of_the_project_is_refused(mini):
    (mini / "templates/css/handout.css").unlink()
    (mini / "templates/css/handout.css").symlink_to("/etc/passwd")
    with pytest.raises(KyrError, match="refused to fetch"):
        build(mini, docs=["handout"], jobs=1)


def test_markdown_images_are_not_fetched_and_template_code_prints_literally(mini):
    edit(mini / "content/questions/q02-help.md", "before you apply.", "before you apply. ![secret](file:///etc/passwd) {{ 7*7 }}")
    build(mini, docs=["booklet"], jobs=1)
    body = text(mini / "output/en/booklet.pdf")
    assert "{{ 7*7 }}" in body and "49" not in body
    assert "root:" not in body


# Fuzzing: the only outcomes are a value or the project's own error with a location.

located = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


def _only_located_problems(problems: list[Problem], path: str) -> None:
    for problem in problems:
        assert problem.path == path
        assert problem.line is None or problem.line >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=located, body=located)
def test_fuzz_question_files(front, body):
    problems: list[Problem] = []
    try:
        _question(f"---\n{front}\n---\n{body}", "content/questions/q.md", problems)
    except KyrError as exc:
        problems += exc.problems
    _only_located_problems(problems, "content/questions/q.md")


@settings(max_examples=150, deadline=None)
@given(yaml_like=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20), lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4), max_leaves=12))
def test_fuzz_question_front_matter_structures(yaml_like):
    import yaml

    problems: list[Problem] = []
    _question(f"---\n{yaml.safe_dump(yaml_like)}---\nAn answer.\n", "content/questions/q.md", problems)
    _only_located_problems(problems, "content/questions/q.md")


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(st.text(max_size=12), max_size=7), max_size=6))
def test_fuzz_office_csv(rows):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows([["id", "name", "address", "phone", "hours"], *rows])
    listed = offices.from_table(tables.read_csv(buffer.getvalue().encode("utf-8"), "content/offices.csv"))
    _only_located_problems(list(listed.problems), "content/offices.csv")
    assert all(o.id and len(o.id) <= 40 for o in listed.offices) or listed.problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=located)
def test_fuzz_catalogs(tmp_path, body):
    path = tmp_path / "locales/es/LC_MESSAGES/content.po"
    write(path, body)
    try:
        catalogs.read(path, tmp_path)
    except KyrError as exc:
        _only_located_problems(exc.problems, "locales/es/LC_MESSAGES/content.po")
